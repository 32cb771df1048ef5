"""Assignment with queues and criticality (issue 13): hand-solvable equilibria, bundled years."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
import toy
from scipy.optimize import brentq

import corridors as cr
from corridors.assignment import queue_delay

# Two places 1° of longitude apart at 40° N, joined by two parallel rail links of equal length:
# one at 50 km/h, one at 25 km/h, each with its own capacity.
_P, _Q = (47.0, 40.0), (48.0, 40.0)
_KM = float(math.ceil(toy.geodesic_km(_P, _Q)))
_SPEEDS = {"rail_fast": 50.0, "rail_slow": 25.0}
_CAPACITY = {"rail_fast": 60_000.0, "rail_slow": 90_000.0}


def _two_links(directory):
    nodes = [
        {
            "properties": {
                "id": name,
                "name": name.title(),
                "country": "AZE",
                "kind": "city",
                "source": "test fixture",
            },
            "geometry": {"type": "Point", "coordinates": list(xy)},
        }
        for name, xy in (("p_city", _P), ("q_city", _Q))
    ]
    links = [
        {
            "properties": {
                "id": link,
                "u": "p_city",
                "v": "q_city",
                "mode": "rail",
                "gauge_mm": 1520,
                "country": "AZE",
                "length_km": _KM,
                "length_source": "geodesic",
                "speed_kmh": _SPEEDS[link],
                "speed_source": "assumption: test fixture",
                "capacity_teu_year": _CAPACITY[link],
                "capacity_source": "test fixture",
                "status": toy.OPEN,
                "tags": [],
                "source": "test fixture",
            },
            "geometry": {"type": "LineString", "coordinates": [list(_P), list(_Q)]},
        }
        for link in _SPEEDS
    ]
    return cr.load_network(
        toy.write_dataset(directory, nodes=nodes, links=links), as_of="2021-01-01"
    )


@pytest.fixture(scope="module")
def two_links(tmp_path_factory):
    return _two_links(tmp_path_factory.mktemp("two_links"))


def _demand(teu):
    return pd.DataFrame(
        {"origin": ["p_city"], "destination": ["q_city"], "teu_per_year": [teu], "source": ["x"]}
    )


def _volumes(result):
    table = result.elements.set_index("element")
    return float(table.loc["rail_fast", "volume_teu"]), float(table.loc["rail_slow", "volume_teu"])


@pytest.mark.parametrize("method", ["frank-wolfe", "msa", "gradient-projection"])
def test_two_parallel_links_with_linear_delays_match_the_analytic_equilibrium(two_links, method):
    # delay = K * v / C: linear, a_i = K / C_i hours per TEU a year
    k = 10.0
    demand = 100_000.0
    t_fast, t_slow = _KM / 50.0, _KM / 25.0
    a_fast, a_slow = k / _CAPACITY["rail_fast"], k / _CAPACITY["rail_slow"]
    # equal times: t_fast + a_fast x = t_slow + a_slow (D - x)
    expected_fast = (t_slow - t_fast + a_slow * demand) / (a_fast + a_slow)
    assert 0 < expected_fast < demand  # both links used: an interior equilibrium
    result = cr.assign(
        two_links,
        _demand(demand),
        method=method,
        max_iter=200,
        gap=1e-4,
        delay=lambda v, c, s: k * v / c,
    )
    fast, slow = _volumes(result)
    assert fast == pytest.approx(expected_fast, rel=0.01)
    assert slow == pytest.approx(demand - expected_fast, rel=0.01)
    assert result.converged and result.gaps[-1] < 1e-4
    assert result.gaps[0] > result.gaps[-1]  # all-or-nothing start is far from equilibrium
    # at equilibrium both routes take the same time (Wardrop's first principle)
    times = result.routes["time_h"].to_numpy()
    assert len(times) == 2 and times.max() - times.min() < 0.01 * times.max()
    row = result.elements.set_index("element").loc["rail_fast"]
    assert row["queue_h"] == pytest.approx(k * fast / _CAPACITY["rail_fast"], rel=1e-9)
    assert row["v_c"] == pytest.approx(fast / _CAPACITY["rail_fast"], rel=1e-9)


def test_two_parallel_links_with_mm1_queues_match_a_root_found_by_hand(two_links):
    demand = 120_000.0
    service = {name: 8760.0 * 90.0 / c for name, c in _CAPACITY.items()}  # a 90-TEU train

    def wait(name, v):
        rho = v / _CAPACITY[name]
        return service[name] * rho / (1 - rho)

    def excess(x):  # fast route minus slow route, h
        return _KM / 50.0 + wait("rail_fast", x) - (_KM / 25.0 + wait("rail_slow", demand - x))

    expected_fast = brentq(excess, demand - 0.999 * _CAPACITY["rail_slow"], 0.999 * 60_000.0)
    result = cr.assign(two_links, _demand(demand), gap=1e-5, max_iter=100)
    fast, _ = _volumes(result)
    assert fast == pytest.approx(expected_fast, rel=0.01)
    assert result.converged
    table = result.elements.set_index("element")
    assert table.loc["rail_fast", "service_h"] == pytest.approx(service["rail_fast"])
    assert result.od["unserved_teu"].iloc[0] == 0
    assert result.od["served_teu"].iloc[0] == pytest.approx(demand)


def test_the_gap_falls_to_the_tolerance_and_is_reported_per_iteration(two_links):
    result = cr.assign(two_links, _demand(100_000.0), method="frank-wolfe", gap=1e-3, max_iter=50)
    assert result.converged and result.gaps[-1] < 1e-3
    assert all(g >= 0 for g in result.gaps)
    stopped = cr.assign(two_links, _demand(100_000.0), method="msa", gap=1e-12, max_iter=3)
    assert not stopped.converged and len(stopped.gaps) == 3


def test_queue_delay_is_mm1_below_the_limit_and_its_tangent_above():
    s = 4.0
    assert float(queue_delay(50.0, 100.0, s, rho_max=0.95)) == pytest.approx(s)  # rho 0.5
    assert float(queue_delay(90.0, 100.0, s, rho_max=0.95)) == pytest.approx(9 * s)
    at_limit = s * 0.95 / 0.05
    slope = s / 0.05**2
    above = float(queue_delay(120.0, 100.0, s, rho_max=0.95))
    assert above == pytest.approx(at_limit + slope * 0.25)
    volumes = np.linspace(0, 300, 301)
    waits = queue_delay(volumes, 100.0, s, rho_max=0.95)
    assert np.isfinite(waits).all() and (np.diff(waits) >= 0).all()
    assert (np.diff(waits, 2) >= -1e-9).all()  # convex: Frank-Wolfe's objective is convex


def test_unserved_volume_when_no_route_joins_a_pair(two_links):
    table = pd.DataFrame(
        {"origin": ["p_city"], "destination": ["q_city"], "teu_per_year": [5000.0]}
    )
    closed = dataclasses.replace(
        cr.Scenario(name="both closed"), avoid={"links": ["rail_fast", "rail_slow"]}
    )
    result = cr.assign(two_links, table, scenario=closed, as_of="2021-01-01")
    assert result.od["unserved_teu"].iloc[0] == 5000.0
    assert result.od["served_teu"].iloc[0] == 0.0
    assert result.unserved_teu == 5000.0


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (pd.DataFrame({"origin": ["p_city"], "destination": ["q_city"]}), "missing column"),
        (
            pd.DataFrame({"origin": ["p_city"], "destination": ["q_city"], "teu_per_year": [-1]}),
            "row 2: teu_per_year -1",
        ),
        (
            pd.DataFrame({"origin": ["p_city"], "destination": ["p_city"], "teu_per_year": [1]}),
            "same place",
        ),
    ],
)
def test_bad_demand_is_one_line_naming_the_fix(two_links, table, message):
    with pytest.raises(cr.UsageError, match=message):
        cr.assign(two_links, table)


def test_a_row_may_restrict_its_modes(two_links):
    by_road = pd.DataFrame(
        {"origin": ["p_city"], "destination": ["q_city"], "teu_per_year": [10.0], "modes": ["road"]}
    )
    result = cr.assign(two_links, by_road)  # the two links are rail: nothing carries it
    assert result.od["unserved_teu"].iloc[0] == 10.0
    assert result.od["modes"].iloc[0] == "road"
    by_rail = by_road.assign(modes="sea+rail")
    assert cr.assign(two_links, by_rail).od["modes"].iloc[0] == "rail+sea"  # normalised
    with pytest.raises(cr.UsageError, match="unknown mode 'train'"):
        cr.assign(two_links, by_road.assign(modes="train"))


def test_a_scenario_file_may_name_a_demand_file_beside_it(tmp_path, net):
    (tmp_path / "mine.csv").write_text(
        "origin,destination,teu_per_year\nalmaty,istanbul,1000\n", encoding="utf-8"
    )
    scenario = tmp_path / "mine.toml"
    scenario.write_text(
        'name = "mine"\nas_of = "2026-11-29"\ndemand = "mine.csv"\n', encoding="utf-8"
    )
    result = cr.assign(net, scenario=scenario)
    assert list(result.od["origin"]) == ["almaty"]
    assert result.od["served_teu"].iloc[0] == pytest.approx(1000.0)
    assert result.scenario == "mine"


def test_bad_options_and_missing_files_are_usage_errors(two_links):
    with pytest.raises(cr.UsageError, match="method must be one of"):
        cr.assign(two_links, _demand(1.0), method="newton")
    with pytest.raises(cr.UsageError, match="max_iter"):
        cr.assign(two_links, _demand(1.0), max_iter=0)
    with pytest.raises(cr.UsageError, match="china_europe_2022"):
        cr.assign(two_links, "no_such_demand")
    with pytest.raises(cr.UsageError, match="no demand"):
        cr.assign(two_links)


# --- the bundled network and demand -------------------------------------------------------------


@pytest.fixture(scope="module")
def net():
    return cr.load_network()


def _no_iran():
    """2022-sanctions: EU shippers avoid Russia, Belarus and Iran (the scenario file)."""
    return cr.load_scenario("2022-sanctions")


def test_bundled_demand_files_carry_their_sources():
    for name in ("china_europe_2021", "china_europe_2022"):
        table = cr.load_demand(name)
        assert list(table.columns) == list(cr.assignment.DEMAND_COLUMNS)
        assert table["source"].str.contains("http").all()
        assert (table["modes"] == "rail+ferry+sea").all()  # a rail container market
    # the rows add up to the published totals they split (China Railway, TITR Association)
    total_2021 = cr.load_demand("china_europe_2021")["teu_per_year"].sum()
    assert total_2021 == pytest.approx(1_460_000 + 25_200, abs=10)
    total_2022 = cr.load_demand("china_europe_2022")["teu_per_year"].sum()
    assert total_2022 == pytest.approx(1_475_000 * 12 / 11 + 33_600, abs=10)


def test_scenarios_name_their_demand():
    assert cr.load_scenario("2022-sanctions").demand == "china_europe_2022"
    assert cr.load_scenario("2021-baseline").demand == "china_europe_2021"
    with pytest.raises(cr.ScenarioError, match="demand"):
        cr.scenarios.parse_scenario({"name": "x", "demand": "nowhere"})


def test_2022_demand_overwhelms_the_caspian_crossing_and_2021_does_not(net):
    y2022 = cr.assign(net, scenario="2022-sanctions")
    assert y2022.converged
    ferry = y2022.elements.set_index("element").loc["ferry_aktau_alat"]
    capacity = ferry["capacity_teu_year"]
    # on an empty network the diverted China-EU demand would all cross Aktau-Alat
    assert ferry["free_flow_teu"] > 10 * capacity
    # with queues the excess goes elsewhere (the Southern route, the sea), or queues for days
    assert (ferry["v_c"] > 1 and ferry["queue_h"] >= 24) or ferry["diverted_teu"] >= (
        ferry["free_flow_teu"] - capacity
    )
    assert ferry["volume_teu"] <= capacity

    y2021 = cr.assign(net, scenario="2021-baseline")
    assert y2021.converged
    ferry21 = y2021.elements.set_index("element").loc["ferry_aktau_alat"]
    assert ferry21["v_c"] < 1 and ferry21["free_flow_teu"] < ferry21["capacity_teu_year"]
    assert ferry21["queue_h"] < 24


def test_2022_sanctions_saturate_the_caspian_with_a_queue_of_days(net):
    # the scenario avoids Russia, Belarus and Iran (US secondary sanctions since Nov 2018)
    assert set(cr.load_scenario("2022-sanctions").avoid["countries"]) == {"RUS", "BLR", "IRN"}
    result = cr.assign(net, "china_europe_2022", scenario="2022-sanctions")
    assert result.converged
    alat = result.elements.set_index("element").loc["alat"]  # every Caspian ferry lands there
    assert alat["v_c"] > 1 and alat["queue_h"] >= 72
    # Wardrop: the routes of a pair in use take the same time, within the gap
    for _, group in result.routes.groupby(["origin", "destination"]):
        used = group[group["share"] > 0.01]["time_h"]
        assert used.max() - used.min() <= 0.02 * used.max()


def test_criticality_ranks_the_caspian_crossing_first_for_middle_corridor_demand(net):
    demand = cr.load_demand("china_europe_2022")
    middle = demand[demand["destination"] == "istanbul"]
    table = cr.criticality(net, middle, scenario=_no_iran(), pairs_top=3)
    singles = table[table["kind"] != "pair"]
    caspian_or_btk = {"alat", "aktau", "kuryk", "turkmenbashi"}
    top = list(singles["element"][:3])
    assert any(e in caspian_or_btk or "alat" in e or "btk" in e for e in top), top
    assert list(table["rank"]) == list(range(1, len(table) + 1))
    pairs = table[table["kind"] == "pair"]
    assert len(pairs) == 3  # 3 choose 2
    # closing two elements hurts at least as much as closing the worse of the two
    worst_single = singles.set_index("element")["added_teu_h"]
    for element, added in zip(pairs["element"], pairs["added_teu_h"], strict=True):
        a, b = element.split("+")
        assert added >= max(worst_single[a], worst_single[b]) - 1e-6


def test_criticality_is_the_same_serially_and_on_a_local_cluster(net):
    from dask.distributed import Client, LocalCluster

    demand = cr.load_demand("china_europe_2022")
    middle = demand[demand["destination"] == "istanbul"]
    base = cr.assign(net, middle, scenario=_no_iran())
    # a few closures keep the test quick; how they are split among workers must not matter
    chosen = ["alat", "ferry_turkmenbashi_alat", "road_ankara_istanbul", "road_kordai_almaty"]
    serial = cr.criticality(net, base, elements=chosen, pairs_top=2)
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        on_dask = cr.criticality(net, base, elements=chosen, pairs_top=2, client=client)
    pd.testing.assert_frame_equal(serial, on_dask)


# --- command line ------------------------------------------------------------------------------


def _demand_file(tmp_path):
    path = tmp_path / "demand.csv"
    path.write_text(
        "origin,destination,teu_per_year,source\np_city,q_city,100000,assumption: test\n",
        encoding="utf-8",
    )
    return path


def test_cli_assign_writes_tables_a_geopackage_and_a_flow_map(tmp_path, two_links):
    import geopandas as gpd
    from click.testing import CliRunner

    from corridors.cli import cli

    data = tmp_path / "data"
    _two_links(data)
    out = tmp_path / "out"
    args = ["assign", "--demand", str(_demand_file(tmp_path)), "--out", str(out)]
    result = CliRunner().invoke(cli, [*args, "--data", str(data)])
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert {"elements.csv", "od.csv", "assignment.gpkg", "flows.png"} <= names
    elements = pd.read_csv(out / "elements.csv")
    for column in ("element", "kind", "name", "volume_teu", "capacity_teu_year", "v_c", "queue_h"):
        assert column in elements.columns
    assert elements["volume_teu"].sum() == pytest.approx(100_000, rel=1e-6)
    links = gpd.read_file(out / "assignment.gpkg", layer="links")
    assert set(links["link"]) == {"rail_fast", "rail_slow"}
    assert links.geometry.geom_type.eq("LineString").all()
    od = pd.read_csv(out / "od.csv")
    assert od["served_teu"].iloc[0] == pytest.approx(100_000, rel=1e-6)


def test_cli_criticality_ranks_and_maps(tmp_path, two_links):
    from click.testing import CliRunner

    from corridors.cli import cli

    data = tmp_path / "data"
    _two_links(data)
    out = tmp_path / "crit"
    args = ["criticality", "--demand", str(_demand_file(tmp_path)), "--out", str(out)]
    result = CliRunner().invoke(cli, [*args, "--data", str(data), "--pairs-top", "2"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "criticality.csv")
    assert (out / "criticality.png").stat().st_size > 10_000
    # closing one link sends all 100,000 TEU to the other, at its queue by hand (M/M/1 with
    # its tangent above 95 %), against the equilibrium's mean time
    base = cr.assign(two_links, _demand(100_000.0))
    before = float(base.od["time_h"].iloc[0])
    dwell = 2 * cr.settings.dwell_hours["rail"]  # at the origin and at the destination
    singles = table[table["kind"] != "pair"].set_index("element")
    for closed, other in (("rail_fast", "rail_slow"), ("rail_slow", "rail_fast")):
        s = 8760.0 * 90.0 / _CAPACITY[other]
        rho = 100_000.0 / _CAPACITY[other]
        wait = s * 0.95 / 0.05 + s / 0.05**2 * (rho - 0.95)
        after = dwell + _KM / _SPEEDS[other] + wait
        assert singles.loc[closed, "added_teu_h"] == pytest.approx(
            100_000.0 * (after - before), rel=0.01
        )
        assert singles.loc[closed, "unserved_teu"] == 0
    # all on the smaller fast link is worse than all on the larger slow one
    assert list(table["element"][:1]) == ["rail_slow"]
    # closing both strands all the demand
    pair = table[table["kind"] == "pair"].iloc[0]
    assert pair["unserved_teu"] == pytest.approx(100_000)


def test_cli_usage_errors_are_one_line_with_exit_2(tmp_path):
    from click.testing import CliRunner

    from corridors.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["assign", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2 and "give --demand FILE" in result.output
    result = runner.invoke(cli, ["assign", "--demand", "nope.csv", "--out", str(tmp_path / "y")])
    assert result.exit_code == 2 and "not found" in result.output
    assert "Traceback" not in result.output

"""Every figure behind a route's totals is cited: Route.sources, `route --sources`, sources.csv."""

import json
import subprocess
import sys

import pytest
import toy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corridors as cr
from corridors.reports import cited_sources, sources_text
from corridors.routing import SOURCE_COLUMNS
from corridors.scenarios import parse_scenario
from corridors.settings import settings as session_settings

EXE = [sys.executable, "-m", "corridors"]


def _records(route, quantity):
    return [r for r in route.source_records() if r["quantity"] == quantity]


def test_each_leg_cites_its_length_speed_and_rates(toy_net):
    r = cr.route(toy_net, "a_city", "t_city", modes=["rail"])
    lengths = _records(r, "length_km")
    assert [rec["item"] for rec in lengths] == [
        f"{leg.from_node}→{leg.to_node} ({leg.link})" for leg in r.legs
    ]
    assert all(rec["source"] == "geodesic" for rec in lengths)  # the toy's length_source
    assert [rec["value"] for rec in lengths] == [toy.link_length_km(leg.link) for leg in r.legs]
    speeds = _records(r, "speed_kmh")
    assert {rec["source"] for rec in speeds} == {"assumption: test fixture"}
    assert {rec["value"] for rec in speeds} == {50.0}
    rates = _records(r, "cost_usd_per_teu_km")
    assert {rec["source"] for rec in rates} == {
        "default cost_usd_per_teu_km.rail: " + session_settings.sources["cost_usd_per_teu_km.rail"]
    }


def test_borders_and_transfers_cite_their_node(toy_net):
    r = cr.route(toy_net, "a_city", "t_city", modes=["rail"])
    borders = _records(r, "border_hours")
    assert [(rec["item"], rec["value"], rec["source"]) for rec in borders] == [
        ("border AZE→GEO at b_border", 5.0, "test fixture"),
        ("border GEO→TUR at t_border", 6.0, "test fixture"),
    ]
    (gauge,) = _records(r, "transfer_hours")
    assert gauge["item"] == "gauge change rail:1520→rail:1435 at g_gauge"
    assert (gauge["value"], gauge["source"]) == (8.0, "test fixture")


def test_a_figure_the_data_lacks_cites_the_settings_default(toy_net):
    links = {k: dict(v) for k, v in toy_net.link_records.items()}
    del links["rail_a_city_b_border"]["speed_kmh"]
    net = toy_net.replace(link_records=links)
    r = cr.route(net, "a_city", "b_border", modes=["rail"])
    (speed,) = _records(r, "speed_kmh")
    assert speed["value"] == session_settings.speed_kmh["rail"]
    assert speed["source"].startswith("default speed_kmh.rail: ")
    assert session_settings.sources["speed_kmh.rail"] in speed["source"]


def test_ferry_wait_and_customs_on_landing_are_cited(toy_net):
    r = cr.route(toy_net, "k_port", "a_city")
    (wait,) = _records(r, "wait_h")
    assert (wait["value"], wait["source"]) == (10.0, "test fixture")
    (customs,) = _records(r, "border_hours")
    assert customs["item"] == "border KAZ→AZE at a_port"
    assert (customs["value"], customs["source"]) == (3.0, "test fixture")
    (port,) = _records(r, "transfer_hours")  # a_port gives no transfer time: the default
    assert port["source"] == (
        "default transfer_hours.port: " + session_settings.sources["transfer_hours.port"]
    )


def test_scenario_overrides_and_factors_cite_the_scenario(toy_net):
    s = parse_scenario(
        {
            "name": "faster",
            "as_of": "2021-01-01",
            "overrides": [
                {"link": "rail_a_city_b_border", "speed_kmh": 25, "source": "a timetable"},
                {"node": "b_border", "border_hours_factor": 0.5, "source": "a reform"},
            ],
            "factors": {"cost_usd_per_teu_km.rail": 0.2},
        },
        net=toy_net,
    )
    r = cr.route(toy_net, "a_city", "t_city", modes=["rail"], scenario=s)
    speed = _records(r, "speed_kmh")[0]
    assert speed["value"] == 25.0
    assert speed["source"] == "scenario faster: a timetable (speed_kmh = 25)"
    border = _records(r, "border_hours")[0]
    assert border["value"] == 2.5
    assert border["source"].startswith("test fixture; × 0.5 by scenario faster: a reform")
    rate = _records(r, "cost_usd_per_teu_km")[0]
    assert rate["value"] == 0.2
    assert "scenario faster: [factors] cost_usd_per_teu_km.rail = 0.2" in rate["source"]


def test_sources_frame_and_grouping(toy_net):
    r = cr.route(toy_net, "a_city", "t_city", modes=["rail"])
    frame = r.sources()
    assert list(frame.columns) == SOURCE_COLUMNS
    assert len(frame) == len(r.source_records()) > 0
    grouped = cited_sources(r.source_records())
    assert set(grouped["test fixture"]) == {
        "border_hours",
        "border_cost_usd",
        "transfer_hours",
        "transfer_cost_usd",
    }
    text = sources_text(r.source_records(), shown=1)
    assert any(line.endswith("] geodesic") for line in text.splitlines())
    assert f"({len(r.legs)} in all)" in text


# --- the cited figures give back the totals (bundled data) -----------------------------------
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    od=st.sampled_from(
        [
            ("xian", "duisburg"),
            ("baku", "kars"),
            ("aktau", "constanta"),
            ("shanghai", "rotterdam"),
            ("tashkent", "istanbul"),
            ("baku", "nakhchivan"),
            ("almaty", "istanbul"),
        ]
    ),
    as_of=st.sampled_from(["2015-01-01", "2021-06-01", "2026-11-26", "2030-06-01"]),
    avoid=st.sampled_from([(), ("RUS", "BLR"), ("IRN",)]),
)
def test_cited_figures_reproduce_every_total(bundled, od, as_of, avoid):
    try:
        r = cr.route(bundled, *od, as_of=as_of, avoid_countries=avoid)
    except cr.NoRouteError:
        return
    for step in r.steps:
        figures = {q: v for q, v, _ in step.provenance}
        assert all(src for _, _, src in step.provenance), step
        if isinstance(step, cr.Leg):
            km = figures["length_km"]
            assert step.distance_km == pytest.approx(km)
            assert step.time_h == pytest.approx(
                km / figures["speed_kmh"] + figures.get("wait_h", 0)
            )
            assert step.cost_usd == pytest.approx(km * figures["cost_usd_per_teu_km"])
            assert step.co2_kg == pytest.approx(km * figures["co2_kg_per_teu_km"])
        elif isinstance(step, cr.BorderCrossing):
            assert step.hours == figures["border_hours"]
            assert step.cost_usd == figures["border_cost_usd"]
        elif isinstance(step, cr.Dwell):
            assert step.hours == figures["dwell_hours"]
        else:
            assert step.hours == figures["transfer_hours"]
            assert step.cost_usd == figures["transfer_cost_usd"]


# --- command line and compare output ------------------------------------------------------
def test_cli_route_sources_text_and_json(tmp_path):
    run = subprocess.run(
        [*EXE, "route", "baku", "kars", "--mode", "rail", "--sources"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=True,
    )
    assert "sources of the figures" in run.stdout
    assert "railwaymagazine.co.uk" in run.stdout  # Marabda–Akhalkalaki 153 km
    assert "border_hours: border AZE→GEO at boyuk_kasik" in run.stdout
    as_json = subprocess.run(
        [*EXE, "route", "baku", "kars", "--mode", "rail", "--sources", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=True,
    )
    (route,) = json.loads(as_json.stdout)["routes"]
    assert set(route["sources"][0]) == set(SOURCE_COLUMNS)
    items = {s["item"] for s in route["sources"]}
    assert "gauge change rail:1520→rail:1435 at akhalkalaki" in items


def test_compare_writes_sources_csv_and_cites_them_in_markdown(tmp_path):
    import pandas as pd

    out = tmp_path / "out"
    subprocess.run(
        [*EXE, "compare", "2026-today", "--od", "baku:kars", "--out", str(out), "--no-maps"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=True,
    )
    sources = pd.read_csv(out / "sources.csv").set_index("source_id")
    figures = pd.read_csv(out / "figures.csv")
    steps = pd.read_csv(out / "route_elements.csv")
    assert set(steps["od"]) == {"baku→kars"} and sources["text"].notna().all()
    best = steps[steps["rank"] == 1].merge(figures, on="element_id")
    lengths = best[best["figure"] == "length_km"].assign(
        source=lambda f: sources.loc[f["source_id"], "text"].to_numpy()
    )
    table = pd.read_csv(out / "comparison.csv")
    best_km = table.loc[table["rank"] == 1, "distance_km"].iloc[0]
    assert lengths["value"].sum() == pytest.approx(best_km, abs=0.5)
    report = (out / "comparison.md").read_text(encoding="utf-8")
    # every length of the best route is cited in the report, with its own source
    cited = {src.split(" ")[0] for src in lengths["source"] if src.startswith("http")}
    assert "## Sources of the figures" in report and cited
    assert all(url in report for url in cited)


# --- capacities: reported with their source, not enforced ------------------------------------
def _with_capacities(toy_net):
    links = {k: dict(v) for k, v in toy_net.link_records.items()}
    nodes = {k: dict(v) for k, v in toy_net.node_records.items()}
    links["rail_a_city_b_border"].update(capacity_teu_year=50_000, capacity_source="line page")
    nodes["g_gauge"].update(capacity_teu_year=20_000, capacity_source="terminal page")
    return toy_net.replace(node_records=nodes, link_records=links)


def test_bottleneck_is_the_least_capacity_on_the_route(toy_net):
    net = _with_capacities(toy_net)
    r = cr.route(net, "a_city", "t_city", modes=["rail"])
    assert r.bottleneck == {
        "item": "gauge change rail:1520→rail:1435 at g_gauge",
        "capacity_teu_year": 20_000,
        "source": "terminal page",
    }
    assert r.figures()["capacity_teu_year"] == 20_000
    # a route that handles nothing at g_gauge is limited by the line alone
    short = cr.route(net, "a_city", "b_border", modes=["rail"])
    assert short.bottleneck["capacity_teu_year"] == 50_000
    # no published capacity on the way: no bottleneck, not zero
    road = cr.route(net, "g_city", "t_city", modes=["road"])
    assert road.bottleneck is None and road.figures()["capacity_teu_year"] is None


def test_a_scenario_raises_capacity_and_says_so(toy_net):
    net = _with_capacities(toy_net)
    s = parse_scenario(
        {
            "name": "bigger",
            "as_of": "2021-01-01",
            "overrides": [{"node": "g_gauge", "capacity_factor": 3, "source": "an expansion"}],
        },
        net=net,
    )
    r = cr.route(net, "a_city", "t_city", modes=["rail"], scenario=s)
    assert r.bottleneck["capacity_teu_year"] == 50_000  # the line now, not the terminal
    (terminal,) = _records(r, "capacity_teu_year")[1:]
    assert terminal["value"] == 60_000
    assert (
        terminal["source"]
        == "terminal page; × 3 by scenario bigger: an expansion (capacity_factor = 3)"
    )

"""Routes that must pass through a country or a tagged line; the corridor families built on it."""

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corridors as cr
from corridors.families import FAMILY_COLUMNS, choose_families, load_families

EXE = [sys.executable, "-m", "corridors"]


# --- through_countries / through_tags on the toy network (hand-checkable) ------------------
def test_through_country_is_not_ticked_by_going_in_and_straight_back(toy_net):
    # Russia is a dead end on the toy network: the only way "through" it is to run to r_city and
    # back on the same links (issue 9.3), which no forwarder does: no route, naming the cause.
    base = cr.route(toy_net, "a_city", "t_city", modes=["rail"])
    assert "RUS" not in base.countries
    with pytest.raises(cr.NoRouteError, match="passing through RUS"):
        cr.route(toy_net, "a_city", "t_city", modes=["rail"], through_countries=["rus"])
    # … nor by crossing the border and straight back without travelling in Russia
    records = toy_net.copy_records()[1]
    records["rail_r_border_r_city"]["status"] = [
        {"status": "closed", "from": None, "source": "test"}
    ]
    stub = toy_net.replace(link_records=records)
    with pytest.raises(cr.NoRouteError, match="no link in RUS is open"):
        cr.route(stub, "a_city", "t_city", modes=["rail"], through_countries=["RUS"])


def test_through_tag_forces_the_tagged_link(toy_net):
    r = cr.route(toy_net, "a_city", "t_city", modes=["road"], through_tags=["pass_road"])
    assert "road_g_city_t_border" in r.links
    with pytest.raises(cr.NoRouteError, match="no link tagged pass_road is open on that date"):
        cr.route(toy_net, "a_city", "t_city", through_tags=["pass_road"], as_of="2023-06-01")


def test_through_and_avoid_conflicts_and_limits(toy_net):
    with pytest.raises(cr.UsageError, match="country RUS is both to pass through and to avoid"):
        cr.route(toy_net, "a_city", "t_city", through_countries=["RUS"], avoid_countries=["RUS"])
    with pytest.raises(cr.UsageError, match="at most 4 countries and tags"):
        cr.route(
            toy_net,
            "a_city",
            "t_city",
            through_countries=["RUS", "GEO", "TUR", "KAZ"],
            through_tags=["middle"],
        )
    with pytest.raises(cr.UsageError, match="unknown tag"):
        cr.route(toy_net, "a_city", "t_city", through_tags=["no_such_tag"])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    od=st.lists(
        st.sampled_from(["a_city", "g_city", "t_city", "r_city", "k_port"]),
        min_size=2,
        max_size=2,
        unique=True,
    ),
    through=st.lists(
        st.sampled_from(["AZE", "GEO", "TUR", "RUS", "KAZ"]), min_size=1, max_size=2, unique=True
    ),
    weight=st.sampled_from(["distance", "time", "cost", "co2"]),
)
def test_a_route_through_countries_enters_them_and_costs_no_less(toy_net, od, through, weight):
    try:
        r = cr.route(toy_net, *od, weight=weight, through_countries=through)
    except cr.NoRouteError:
        return
    assert set(through) <= set(r.countries)
    assert r.total(weight) >= cr.route(toy_net, *od, weight=weight).total(weight) - 1e-6


# --- the families file ----------------------------------------------------------------------
def test_bundled_families_name_only_what_the_dataset_has(bundled):
    families = load_families()
    assert {f.group for f in families.values()} == {"east_west", "caucasus", "karabakh"}
    tags = {t for p in bundled.link_records.values() for t in p.get("tags") or ()}
    countries = {p.get("country") for p in bundled.node_records.values()}
    for f in families.values():
        assert f.name and f.source.startswith("https://")
        assert set(f.through_tags) | set(f.avoid_tags) <= tags, f.id
        assert set(f.through_countries) | set(f.avoid_countries) <= countries, f.id


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[x]\ngroup = "g"\nname = "X"\ncolour = "red"\n',
            "families.toml: [x] colour: unknown key",
        ),
        ('[x]\ngroup = "g"\nname = "X"\nmodes = "rail"\n', "[x] modes: a list of strings"),
        ('[x]\ngroup = "g"\nname = "X"\nmodes = ["boat"]\n', "[x] modes: unknown mode 'boat'"),
        ('[x]\ngroup = "g"\n', "[x] name: a non-empty string is required"),
        ("[x\n", "families.toml: not valid TOML"),
    ],
)
def test_bad_families_file_fails_in_one_line(tmp_path, text, message):
    path = tmp_path / "families.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(cr.UsageError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_families(path)


def test_choose_families_by_group_and_id():
    families = load_families()
    assert [f.id for f in choose_families("caucasus", families)] == [
        "zangezur",
        "aras",
        "georgia_turkey",
    ]
    assert [f.id for f in choose_families("middle,sea_cape", families)] == ["middle", "sea_cape"]
    with pytest.raises(cr.UsageError, match="unknown corridor family or group 'nordic'"):
        choose_families(["nordic"], families)
    with pytest.raises(cr.UsageError, match="did you mean 'east_west'"):
        choose_families("eastwest", families)


# --- the families on the bundled network ------------------------------------------------------
def _legs_tagged(route, tag):
    return [leg for leg in route.legs if tag in leg.tags]


def test_china_eu_families_are_what_they_say(bundled):
    # mid-2023: before container lines left the Red Sea (Dec 2023, data/geo/disruptions.json)
    table = cr.corridor_routes(bundled, "xian", "duisburg", as_of="2023-06-01")
    assert list(table.columns) == FAMILY_COLUMNS
    r = dict(zip(table["family"], table["route"], strict=True))
    assert "RUS" in r["northern"].countries and r["northern"].modes == ["rail"]
    assert _legs_tagged(r["middle"], "caspian")
    assert not {"RUS", "BLR", "IRN"} & set(r["middle"].countries)
    assert "IRN" in r["southern"].countries and "RUS" not in r["southern"].countries
    assert _legs_tagged(r["sea_suez"], "suez") and "sea" in r["sea_suez"].modes
    assert _legs_tagged(r["sea_cape"], "cape") and not _legs_tagged(r["sea_cape"], "suez")
    # What the industry publishes: rail through Russia is the fastest (~14-18 days), the Cape
    # adds thousands of km to Suez, and the sea via Suez is the cheapest: the World Bank (via EY)
    # quotes USD 1,500-2,000 per FEU by sea, 2,599-3,121 via Russia, 2,500-3,250 on the Middle
    # Corridor, tariffs for a 40-ft box on the cheapest way
    days = {k: v.time_h / 24 for k, v in r.items()}
    assert min(days, key=days.get) == "northern" and 12 <= days["northern"] <= 20
    assert r["sea_cape"].distance_km - r["sea_suez"].distance_km > 5000
    cheapest = cr.corridor_routes(
        bundled, "xian", "duisburg", as_of="2023-06-01", weight="cost", box=40
    )
    cost = dict(zip(cheapest["family"], (v.cost_usd for v in cheapest["route"]), strict=True))
    assert cost["sea_suez"] < min(cost["northern"], cost["middle"], cost["southern"])
    assert cost["sea_cape"] < min(cost["middle"], cost["southern"])


def test_a_mistake_of_the_caller_fails_once_not_per_family(bundled):
    with pytest.raises(cr.UsageError, match="unknown country code 'XXX'"):
        cr.corridor_routes(bundled, "xian", "duisburg", avoid_countries=["XXX"])
    with pytest.raises(cr.UsageError, match="unknown weight"):
        cr.corridor_routes(bundled, "xian", "duisburg", weight="speed")


def test_a_family_without_a_route_says_why(bundled):
    table = cr.corridor_routes(bundled, "xian", "duisburg", scenario="red-sea-closed")
    row = table.set_index("family").loc["sea_suez"]
    assert row["route"] is None and pd_isna(row["distance_km"])
    assert "no link tagged suez is open" in row["note"]
    assert table.set_index("family").loc["sea_cape", "route"] is not None


def pd_isna(value):
    import pandas as pd

    return bool(pd.isna(value))


def test_the_origin_country_is_exempt_from_a_family_avoidance(bundled):
    # Almaty lies in Kazakhstan, which the sea families avoid as a land bridge (the Suez
    # family in 2021: the Red Sea is closed to container lines since Dec 2023)
    table = cr.corridor_routes(
        bundled, "almaty", "rotterdam", families="sea_suez", as_of="2021-06-01"
    )
    (route,) = table["route"]
    assert route.countries[0] == "KAZ" and "RUS" not in route.countries


def test_zangezur_family_opens_with_the_scenario(bundled):
    by_id = cr.corridor_routes(
        bundled, "baku", "nakhchivan", families="caucasus", as_of="2026-11-26"
    ).set_index("family")
    # the reason is the line not being built yet (issue 9.8), with its status and date
    note = by_id.loc["zangezur", "note"]
    assert by_id.loc["zangezur", "route"] is None
    assert "needs what is not open" in note and "opening announced for 2028-12-31" in note
    assert "embargo" not in note and "passing through ARM" not in note
    assert "IRN" in by_id.loc["aras", "route"].countries
    opened = cr.corridor_routes(
        bundled,
        "baku",
        "nakhchivan",
        families="caucasus",
        scenario="2028-zangezur-open",
        modes=["rail"],
    ).set_index("family")
    zangezur = opened.loc["zangezur", "route"]
    assert zangezur.countries == ["AZE", "ARM", "AZE"] and _legs_tagged(zangezur, "tripp")
    # the Armenian section of the railway is the published 42-45 km (BRIEF §4)
    armenian_km = sum(leg.distance_km for leg in zangezur.legs if leg.country == "ARM")
    assert 40 <= armenian_km <= 47


# --- command line ---------------------------------------------------------------------------
def _run(*args, cwd):
    return subprocess.run([*EXE, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_cli_route_by_corridor_table_and_json(tmp_path):
    run = _run(
        "route",
        "xian",
        "duisburg",
        "--corridors",
        "east_west",
        "--as-of",
        "2026-11-26",
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    for name in ("Northern route (via Russia)", "Middle Corridor", "Sea via the Cape"):
        assert name in run.stdout
    as_json = _run(
        "route",
        "xian",
        "duisburg",
        "--corridors",
        "middle,sea_suez",
        "--json",
        "-s",
        "red-sea-closed",
        cwd=tmp_path,
    )
    payload = json.loads(as_json.stdout)
    middle, suez = payload["corridors"]
    assert middle["family"] == "middle" and middle["route"]["distance_km"] > 10000
    assert suez["route"] is None and "suez" in suez["note"]


def test_cli_families_and_errors(tmp_path):
    listed = _run("families", cwd=tmp_path)
    assert listed.returncode == 0 and "through tags tripp" in listed.stdout
    bad = _run("route", "baku", "kars", "--corridors", "nordic", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "groups:" in bad.stderr
    both = _run("route", "baku", "kars", "--corridors", "caucasus", "-k", "2", cwd=tmp_path)
    assert both.returncode == 2 and "not both" in both.stderr
    through = _run(
        "route",
        "xian",
        "duisburg",
        "--through-country",
        "IRN",
        "--avoid-country",
        "RUS",
        "--avoid-country",
        "BLR",
        "--json",
        cwd=tmp_path,
    )
    (route,) = json.loads(through.stdout)["routes"]
    assert "IRN" in route["countries"] and "RUS" not in route["countries"]


# --- compare by family ----------------------------------------------------------------------
def test_scenario_families_key_is_checked(bundled):
    from corridors.scenarios import parse_scenario

    s = parse_scenario({"name": "t", "families": ["middle", "caucasus"]}, net=bundled)
    assert s.families == ("middle", "zangezur", "aras", "georgia_turkey")
    with pytest.raises(cr.ScenarioError, match="scenario: families: unknown corridor family"):
        parse_scenario({"name": "t", "families": "nordic"}, net=bundled)
    with pytest.raises(cr.ScenarioError, match="families: must be"):
        parse_scenario({"name": "t", "families": [1]}, net=bundled)


def test_compare_by_family_ranks_families_and_compares_like_with_like(bundled):
    table = cr.compare(
        ["2026-today", "red-sea-closed"],
        od=[("xian", "duisburg")],
        net=bundled,
        families="east_west",
    )
    assert len(table) == 2 * 5
    for scenario, rows in table.groupby("scenario"):
        assert sorted(rows["rank"]) == [1, 2, 3, 4, 5], scenario
        found = rows.dropna(subset=["time_h"]).sort_values("rank")
        assert list(found["time_h"]) == sorted(found["time_h"])  # best family first
    today = table[table.scenario == "2026-today"].set_index("family")
    assert today.loc["northern", "rank"] == 1
    closed = table[table.scenario == "red-sea-closed"].set_index("family")
    assert (
        pd_isna(closed.loc["sea_suez", "distance_km"]) and "suez" in closed.loc["sea_suez", "note"]
    )
    assert closed.loc["sea_suez", "rank"] == 5  # families without a route come last
    # deltas compare a family with the same family of the baseline (2026-today)
    assert closed.loc["sea_cape", "delta_time_h"] == 0
    assert closed.loc["middle", "delta_distance_km"] == 0


def test_compare_without_families_leaves_the_column_empty(bundled):
    table = cr.compare(["2026-today"], od=[("baku", "kars")], net=bundled)
    assert len(table) >= 1 and set(table["family"]) == {""}


def test_cli_compare_by_family(tmp_path):
    import pandas as pd

    out = tmp_path / "out"
    run = _run(
        "compare",
        "red-sea-closed",
        "--od",
        "shanghai:rotterdam",
        "--corridors",
        "sea_suez,sea_cape",
        "--out",
        str(out),
        "--no-maps",
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    header = run.stdout.splitlines()[1].split()
    assert header[:2] == ["scenario", "family"]
    table = pd.read_csv(out / "comparison.csv", keep_default_na=False)
    assert set(table["family"]) == {"sea_suez", "sea_cape"}
    assert "| family |" in (out / "comparison.md").read_text(encoding="utf-8")


def test_middle_corridor_bottleneck_is_the_caspian_and_2030_triples_it(bundled):
    today = cr.corridor_routes(bundled, "xian", "duisburg", as_of="2026-11-26").set_index("family")
    upgraded = cr.corridor_routes(
        bundled, "xian", "duisburg", scenario="2030-middle-corridor-upgraded"
    ).set_index("family")
    middle = today.loc["middle", "route"].bottleneck
    caspian = ("aktau", "kuryk", "turkmenbashi", "alat")
    assert any(place in middle["item"] for place in caspian), middle
    # published: the Middle Corridor carries a small fraction of the Northern route's volume
    assert today.loc["northern", "capacity_teu_year"] > 3 * today.loc["middle", "capacity_teu_year"]
    assert upgraded.loc["middle", "capacity_teu_year"] == pytest.approx(
        3 * today.loc["middle", "capacity_teu_year"]
    )
    assert "2030-middle-corridor-upgraded" in upgraded.loc["middle", "route"].bottleneck["source"]


# --- issue 9.3: a family's route is one a forwarder would run ------------------------------
def _shared_pairs() -> list[tuple[str, str]]:
    import tomllib

    from corridors.scenarios import scenarios_dir

    spec = tomllib.loads((scenarios_dir() / "shared-od.toml").read_text(encoding="utf-8"))
    return sorted({(p["from"], p["to"]) for p in spec["od"]})


@pytest.mark.parametrize("scenario", ["2026-today", "2030-middle-corridor-upgraded"])
def test_every_family_route_uses_each_link_once_and_never_turns_back(scenario):
    chosen = cr.load_scenario(scenario)
    net = chosen.apply(cr.load_network())
    answered = 0
    for origin, destination in _shared_pairs():
        table = cr.corridor_routes(net, origin, destination, families=None, scenario=chosen)
        for family, r in zip(table["family"], table["route"], strict=True):
            if not isinstance(r, cr.Route):
                continue
            answered += 1
            assert len(r.links) == len(set(r.links)), (scenario, origin, destination, family)
            for a, b in zip(r.border_crossings, r.border_crossings[1:], strict=False):
                straight_back = a.at == b.at and a.from_country == b.to_country
                assert not straight_back, (scenario, origin, destination, family, a.at)
    # the property means nothing if the families stopped answering
    assert answered >= 40


def test_southern_family_in_2030_does_not_tick_iran_at_the_julfa_bridge():
    r = cr.route(
        cr.load_network(),
        "xian",
        "duisburg",
        scenario="2030-middle-corridor-upgraded",
        **cr.load_families()["southern"].constraints(exempt_countries={"CHN", "DEU"}),
    )
    assert "IRN" in r.countries
    assert len(r.links) == len(set(r.links))
    assert sum(leg.country == "IRN" for leg in r.legs) >= 2  # travels in Iran, not just into it

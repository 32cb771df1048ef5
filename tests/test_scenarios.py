"""Scenario files, overrides, compare(), and the comparisons that must hold."""

import json
import textwrap

import pandas as pd
import pytest
import toy
from click.testing import CliRunner

import corridors as cr
from corridors.cli import cli
from corridors.scenarios import COLUMNS, parse_scenario
from corridors.settings import settings

CHINA_EU = [("xian", "duisburg"), ("chongqing", "duisburg")]


@pytest.fixture(scope="module")
def table():
    return cr.compare()


def _write(tmp_path, text, name="s.toml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --- schema: each bad input gives its one-line error -----------------------------------------
@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ('name = "x"\ncolour = "red"\n', "colour: unknown key; allowed: name"),
        ('name = "x"\nalternatives = "3"\n', "alternatives: must be a whole number, not str"),
        ('name = "x"\nas_of = "2023-02-30"\n', "as_of: as_of '2023-02-30' is not a date"),
        ('name = "x"\nweight = "fast"\n', "weight: 'fast' is not one of"),
        ('name = "x"\n[avoid]\ncountries = ["RUSS"]\n', "avoid.countries: unknown country 'RUSS'"),
        ('name = "x"\n[avoid]\nairports = []\n', "avoid.airports: unknown key"),
        ('name = "x"\n[avoid]\ntags = ["lachin"]\n', "did you mean"),
        (
            'name = "x"\n[[overrides]]\nlink = "rail_nowhere"\nstatus = "open"\nsource = "s"\n',
            "overrides[0].link: unknown link 'rail_nowhere'",
        ),
        (
            'name = "x"\n[[overrides]]\ntag = "suez"\nstatus = "shut"\nsource = "s"\n',
            "overrides[0].status: 'shut' is not one of",
        ),
        (
            'name = "x"\n[[overrides]]\ntag = "suez"\nstatus = "closed"\n',
            "overrides[0].source: missing",
        ),
        (
            'name = "x"\n[[overrides]]\nnode = "kars"\nspeed_kmh = 10\nsource = "s"\n',
            "overrides[0].speed_kmh: applies to links",
        ),
        (
            'name = "x"\n[[overrides]]\ntag = "suez"\nlink = "x"\nstatus = "closed"\n'
            'source = "s"\n',
            "needs exactly one of link, node or tag",
        ),
        ('name = "x"\n[factors]\n"wait_h.ferries" = 1\n', "factors.wait_h.ferries: unknown factor"),
        ('name = "x"\n[[od]]\nfrom = "baku"\nto = "stepanakrt"\n', "od[0].to: unknown place"),
        ('name = "x"\nod_include = "nope.toml"\n', "od_include: file 'nope.toml' not found"),
        ('description = "no name"\n', "name: missing"),
    ],
)
def test_bad_scenario_files_fail_in_one_line(tmp_path, body, needle):
    path = _write(tmp_path, body, "bad.toml")
    with pytest.raises(cr.ScenarioError) as info:
        cr.load_scenario(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("bad.toml: ")
    assert needle in message


def test_invalid_toml_and_unknown_bundled_name(tmp_path):
    with pytest.raises(cr.ScenarioError, match="not valid TOML"):
        cr.load_scenario(_write(tmp_path, "name = \n"))
    with pytest.raises(cr.ScenarioError, match="did you mean '2022-sanctions'"):
        cr.load_scenario("2022-sanction")


def test_bundled_scenarios_load_with_descriptions_and_sources():
    names = cr.list_scenarios()
    assert names[:3] == ["2021-baseline", "2022-sanctions", "2023-lachin-blockade"]
    assert {
        "2026-today",
        "2028-zangezur-open",
        "2030-middle-corridor-upgraded",
        "red-sea-closed",
    } <= set(names)
    for name in names:
        s = cr.load_scenario(name)
        assert s.description and len(s.od) >= 11
        for override in s.overrides:
            assert override["source"]
        if s.name != "2026-today" and (s.overrides or s.avoid):
            assert s.sources


# --- overrides on the toy network (hand-checkable) ----------------------------------------
def _toy_scenario(toy_net, **data):
    return parse_scenario({"name": "t", "as_of": "2021-01-01", **data}, net=toy_net)


def test_link_speed_override(toy_net):
    s = _toy_scenario(
        toy_net, overrides=[{"link": "rail_a_city_b_border", "speed_kmh": 25, "source": "test"}]
    )
    before = cr.route(toy_net, "a_city", "t_city", modes=["rail"])
    after = cr.route(toy_net, "a_city", "t_city", modes=["rail"], scenario=s)
    km = toy.link_length_km("rail_a_city_b_border")
    assert after.time_h == pytest.approx(before.time_h + km / 25 - km / 50)
    assert toy_net.link_records["rail_a_city_b_border"]["speed_kmh"] == 50.0  # untouched


def test_tag_status_override_and_node_factor(toy_net):
    closed = _toy_scenario(
        toy_net, overrides=[{"tag": "pass_road", "status": "closed", "source": "test"}]
    )
    assert (
        "road_g_city_t_border" not in cr.route(toy_net, "a_city", "t_city", scenario=closed).links
    )
    halved = _toy_scenario(
        toy_net, overrides=[{"node": "b_border", "border_hours_factor": 0.5, "source": "test"}]
    )
    r = cr.route(toy_net, "a_city", "t_city", modes=["rail"], scenario=halved)
    assert [b.hours for b in r.border_crossings] == [2.5, 6.0]


def test_the_scenario_network_cache_follows_the_overrides_not_the_object(toy_net):
    # Keying on id() served a collected scenario's network to a newer one at the same address;
    # an object whose overrides change stands in for that, deterministically.
    s = _toy_scenario(
        toy_net, overrides=[{"link": "rail_a_city_b_border", "speed_kmh": 25, "source": "test"}]
    )
    assert s.apply(toy_net).link_records["rail_a_city_b_border"]["speed_kmh"] == 25
    s.overrides = [{"link": "rail_a_city_b_border", "speed_kmh": 100, "source": "test"}]
    assert s.apply(toy_net).link_records["rail_a_city_b_border"]["speed_kmh"] == 100
    twin = _toy_scenario(toy_net, overrides=list(s.overrides))
    assert twin.apply(toy_net) is s.apply(toy_net)  # same content, one routing graph


def test_factor_override_and_avoid(toy_net):
    s = _toy_scenario(
        toy_net, factors={"wait_h.ferry": 0, "transfer_hours.port": 1}, avoid={"countries": ["GEO"]}
    )
    r = cr.route(toy_net, "k_port", "a_city", scenario=s)
    ferry_h = toy.link_length_km("ferry_k_port_a_port") / 20.0 + 10.0  # the link's own wait
    assert r.legs[0].time_h == pytest.approx(ferry_h)
    assert [t.hours for t in r.transfers] == [1.0]
    assert settings.transfer_hours["port"] != 1  # the session's settings are untouched
    with pytest.raises(cr.NoRouteError):
        cr.route(toy_net, "a_city", "t_city", scenario=s)


def test_options_beside_a_scenario_narrow_it(toy_net):
    s = _toy_scenario(toy_net, avoid={"tags": ["pass_road"]})
    r = cr.route(toy_net, "a_city", "t_city", scenario=s, modes=["rail"])
    assert r.modes == ["rail"]


# --- the comparisons that must hold on the bundled data -------------------------------------
def _best(table, scenario, od):
    rows = table[(table.scenario == scenario) & (table.od == od) & (table["rank"] == 1)]
    assert len(rows) == 1, (scenario, od)
    return rows.iloc[0]


def test_sanctions_keep_china_eu_out_of_russia_and_belarus(table):
    rows = table[
        (table.scenario == "2022-sanctions")
        & table.od.isin([f"{o}→{d}" for o, d in CHINA_EU] + ["shanghai→rotterdam"])
    ]
    assert len(rows) >= 6
    for countries in rows["countries"].dropna():
        assert not {"RUS", "BLR"} & set(countries.split("-"))
    base = _best(table, "2021-baseline", "xian→duisburg")
    assert "RUS" in base["countries"]


def test_lachin_blockade(table):
    row = _best(table, "2023-lachin-blockade", "yerevan→khankendi")
    assert pd.isna(row["distance_km"]) and "no route" in row["note"]
    before = _best(table, "2021-baseline", "yerevan→khankendi")
    assert "lachin_corridor" in before["tags"]
    baku = _best(table, "2023-lachin-blockade", "baku→khankendi")
    assert "aghdam_road" in baku["tags"] and "lachin_corridor" not in baku["tags"]


def test_zangezur_opening_shortens_baku_nakhchivan_by_rail(table):
    cmp = cr.scenarios.compare_routes(
        ["2028-zangezur-open", "2026-today"], od=[cr.scenarios.OD("baku", "nakhchivan", ("rail",))]
    )
    zangezur = cmp.routes[("2028-zangezur-open", "baku→nakhchivan (rail)", 1)]
    for place in ("horadiz", "aghband", "meghri", "julfa"):
        assert place in zangezur.nodes
    assert "tripp" in zangezur.tags
    assert set(zangezur.modes) == {"rail"}
    today = _best(cmp.table, "2026-today", "baku→nakhchivan (rail)")
    if not pd.isna(today["distance_km"]):
        assert zangezur.distance_km < 0.25 * today["distance_km"]


def test_red_sea_closure_sends_ships_round_the_cape(table):
    suez = _best(table, "2021-baseline", "shanghai→rotterdam (sea)")
    cape = _best(table, "red-sea-closed", "shanghai→rotterdam (sea)")
    assert cape["distance_km"] - suez["distance_km"] > 4000
    assert "EGY" not in cape["countries"].split("-")
    # the dataset's own closure (red_sea_houthi_2023) already sends today's ships round the Cape,
    # so the scenario adds nothing to its baseline 2026-today
    today = _best(table, "2026-today", "shanghai→rotterdam (sea)")
    assert today["distance_km"] == pytest.approx(cape["distance_km"])
    assert cape["delta_distance_km"] == pytest.approx(0.0, abs=0.2)


def test_upgraded_middle_corridor_is_faster(table):
    for od in ("urumqi→istanbul", "almaty→istanbul", "aktau→constanta", "baku→kars"):
        upgraded = _best(table, "2030-middle-corridor-upgraded", od)
        today = _best(table, "2026-today", od)
        assert upgraded["time_h"] < today["time_h"], od


# --- compare() table and outputs ------------------------------------------------------------
def test_compare_table_shape_and_deltas(table):
    assert list(table.columns) == COLUMNS
    assert set(table.scenario) == set(cr.list_scenarios())
    for (_, _), group in table.groupby(["scenario", "od"]):
        assert list(group["rank"]) == list(range(1, len(group) + 1))
    base = table[table.scenario == "2021-baseline"]
    assert (base[base["rank"] == 1]["delta_time_h"].dropna() == 0).all()
    assert (base[base["rank"] > 1]["delta_time_h"].dropna() >= 0).all()  # alternatives are worse
    row = _best(table, "2022-sanctions", "xian→duisburg")
    ref = _best(table, "2021-baseline", "xian→duisburg")
    assert row["delta_time_h"] == pytest.approx(row["time_h"] - ref["time_h"], abs=0.2)


def test_compare_with_explicit_od_and_baseline():
    t = cr.compare(["red-sea-closed"], od=[("Shanghai", "Rotterdam")], baseline="2026-today")
    assert set(t.od) == {"shanghai→rotterdam"}
    assert set(t.baseline) == {"2026-today"}


def test_cli_compare_writes_outputs_and_protects_folders(tmp_path):
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "compare",
            "2026-today",
            "red-sea-closed",
            "--od",
            "shanghai:rotterdam",
            "--out",
            str(out),
            "--no-maps",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "shanghai→rotterdam" in result.output
    csv = pd.read_csv(out / "comparison.csv")
    assert list(csv.columns) == COLUMNS
    assert (out / "comparison.md").read_text().startswith("# Scenario comparison")
    import pyogrio

    routes = pyogrio.read_dataframe(out / "routes.gpkg", layer="routes")
    assert set(routes["scenario"]) == {"2026-today", "red-sea-closed"}
    # a second run may overwrite what corridors wrote …
    again = runner.invoke(
        cli, ["compare", "2026-today", "--od", "baku:kars", "--out", str(out), "--no-maps"]
    )
    assert again.exit_code == 0, again.output
    # … but not a folder of the user's
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_text("precious")
    refused = runner.invoke(cli, ["compare", "2026-today", "--out", str(mine), "--no-maps"])
    assert refused.exit_code == 2
    assert "not empty" in refused.output and "--force" in refused.output
    assert [p.name for p in mine.iterdir()] == ["thesis.docx"]


def test_cli_route_with_scenario():
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "route",
            "shanghai",
            "rotterdam",
            "--mode",
            "sea",
            "--scenario",
            "red-sea-closed",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    r = json.loads(result.output)["routes"][0]
    assert "cape_of_good_hope" in r["nodes"]
    bad = runner.invoke(cli, ["route", "baku", "kars", "--scenario", "2031-fantasy"])
    assert bad.exit_code == 2 and "unknown scenario" in bad.output


def test_bad_od_option():
    result = CliRunner().invoke(cli, ["compare", "--od", "xian-duisburg", "--no-maps"])
    assert result.exit_code == 2 and "FROM:TO" in result.output


def test_modes_beside_a_scenario_only_narrow(toy_net):
    s = _toy_scenario(toy_net, avoid={"modes": ["road"]})
    with pytest.raises(cr.NoRouteError):
        cr.route(toy_net, "a_city", "t_city", scenario=s, modes=["road"])

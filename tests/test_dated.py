"""Dated facts: evidence grades, dated values, disruptions and transit embargoes.

Each rule is checked on the toy dataset against a hand calculation, then on the bundled data
against published states (sources in data/geo/disruptions.json and embargoes.json).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import toy

import corridors as cr
from corridors import _dated
from corridors.network import thaw
from corridors.scenarios import parse_scenario

FERRY = "ferry_k_port_a_port"
RAIL_AB = "rail_a_city_b_border"


def _write(
    tmp_path: Path,
    *,
    links: dict[str, dict] | None = None,
    nodes: dict[str, dict] | None = None,
    disruptions: list[dict] | None = None,
    embargoes: list[dict] | None = None,
) -> Path:
    """Write the toy dataset with some properties changed and optional JSON files."""
    node_feats, link_feats = toy.node_features(), toy.link_features()
    for feats, changes in ((node_feats, nodes or {}), (link_feats, links or {})):
        for f in feats:
            f["properties"].update(changes.get(f["properties"]["id"], {}))
    directory = toy.write_dataset(tmp_path, nodes=node_feats, links=link_feats)
    if disruptions is not None:
        text = json.dumps({"about": "test", "disruptions": disruptions})
        (directory / "disruptions.json").write_text(text)
    if embargoes is not None:
        (directory / "embargoes.json").write_text(json.dumps({"embargoes": embargoes}))
    return directory


def _closure(where: dict, start: str | None, end: str | None, **extra) -> dict:
    return {
        "id": extra.pop("id", "shut"),
        "name": "test closure",
        "kind": "closure",
        "where": where,
        "periods": [{"from": start, "until": end, "source": "test period"}],
        "source": "test fixture",
        **extra,
    }


# --- evidence grades ------------------------------------------------------------------------
def test_default_grade_follows_the_dataset_date():
    day = dt.date(2026, 11, 29)
    assert _dated.grade_of({"from": None}, dataset_date=day) == "verified"
    assert _dated.grade_of({"from": "2026-11-29"}, dataset_date=day) == "verified"
    assert _dated.grade_of({"from": "2026-11-30"}, dataset_date=day) == "announced"
    assert _dated.grade_of({"from": "2000-01-01", "grade": "operating"}) == "operating"


def _announced_link(*, confirmed: bool) -> dict:
    events = [
        {"status": "planned", "from": "2015-01-01", "source": "test"},
        {"status": "open", "from": "2020-01-01", "source": "test", "grade": "announced"},
    ]
    if confirmed:
        events.append({"status": "open", "from": "2022-01-01", "source": "test"})
    return {RAIL_AB: {"status": events}}


def test_announced_opening_is_ignored_unless_asked(tmp_path):
    directory = _write(tmp_path, links=_announced_link(confirmed=True))
    net = cr.load_network(directory, as_of="2021-01-01")
    # the announced opening of 2020 keeps the previous status, planned
    assert net.link_status(RAIL_AB) == "planned"
    assert RAIL_AB not in net.usable_links
    assert net.at("2021-01-01", announced=True).link_status(RAIL_AB) == "open"
    # the confirming (by default verified) opening of 2022 counts either way
    assert net.at("2023-01-01").link_status(RAIL_AB) == "open"


def test_unconfirmed_past_announcement_is_a_validation_problem(tmp_path):
    problems = cr.validate(_write(tmp_path / "a", links=_announced_link(confirmed=False)))
    assert len(problems) == 1
    assert RAIL_AB in problems[0] and "2020-01-01" in problems[0]
    assert cr.validate(_write(tmp_path / "b", links=_announced_link(confirmed=True))) == []


def test_later_opening_is_announced_by_default(tmp_path, monkeypatch):
    # the toy's 2030 opening is graded under_construction; without the grade it is announced
    events = [
        {"status": "planned", "from": "2020-01-01", "source": "test"},
        {"status": "open", "from": "2030-01-01", "source": "test"},
    ]
    directory = _write(tmp_path, links={"rail_g_city_t_border": {"status": events}})
    later = cr.load_network(directory, as_of="2030-06-01")
    assert later.link_status("rail_g_city_t_border") == "planned"
    assert later.at("2030-06-01", announced=True).link_status("rail_g_city_t_border") == "open"
    # once the dataset is dated after the opening, the same event counts as verified
    monkeypatch.setattr(cr.settings, "dataset_date", dt.date(2030, 6, 1))
    assert later.at("2031-01-01").link_status("rail_g_city_t_border") == "open"


# --- dated values ---------------------------------------------------------------------------
DATED = [
    {"from": "2020-01-01", "until": "2022-01-01", "set": {"speed_kmh": 25}, "source": "slow"},
    {"from": "2021-01-01", "until": None, "set": {"speed_kmh": 40}, "source": "faster"},
    {
        "from": None,
        "until": "2019-01-01",
        "set": {"capacity_teu_year": 1000},
        "source": "small",
    },
]


def test_dated_values_overlay_in_order(tmp_path):
    directory = _write(
        tmp_path,
        links={RAIL_AB: {"dated": DATED, "capacity_teu_year": 5000, "capacity_source": "big"}},
    )
    km = toy.link_length_km(RAIL_AB)
    cases = {  # day: (speed, its source, capacity, its source), by hand from DATED
        "2018-06-01": (50.0, "assumption: test fixture", 1000, "small"),
        "2020-06-01": (25, "slow", 5000, "big"),
        "2021-06-01": (40, "faster", 5000, "big"),  # both in force: the later entry wins
        "2023-06-01": (40, "faster", 5000, "big"),
    }
    net = cr.load_network(directory, as_of="2018-06-01")
    for day, (speed, speed_source, capacity, capacity_source) in cases.items():
        record = net.at(day).link_records[RAIL_AB]
        assert (record["speed_kmh"], record["speed_source"]) == (speed, speed_source)
        assert (record["capacity_teu_year"], record["capacity_source"]) == (
            capacity,
            capacity_source,
        )
        r = cr.route(net, "a_city", "b_border", modes=["rail"], as_of=day)
        assert r.legs[0].time_h == pytest.approx(km / speed)
        cited = {q: s for q, _, s in r.legs[0].provenance}
        assert cited["speed_kmh"] == speed_source


def test_records_of_a_day_are_new_dicts(tmp_path):
    directory = _write(tmp_path, links={RAIL_AB: {"dated": DATED}})
    loaded = cr.read_dataset(directory).links[RAIL_AB]
    net = cr.load_network(directory, as_of="2020-06-01")
    assert net.link_records[RAIL_AB]["speed_kmh"] == 25
    assert net.link_records[RAIL_AB] is not cr.load_network(directory).link_records[RAIL_AB]
    # going to other dates and back does not leak one day's values into another
    back = net.at("2023-06-01").at("2018-06-01")
    assert back.link_records[RAIL_AB]["speed_kmh"] == 50.0
    small = {"capacity_teu_year": 1000, "capacity_source": "small"}  # DATED[2] until 2019
    # (the loaded records are frozen: lists come back as tuples, so compare plain copies)
    assert thaw(back.link_records[RAIL_AB]) == thaw({**loaded, **small})
    assert loaded["speed_kmh"] == 50.0 and "capacity_teu_year" not in loaded


def test_bad_dated_entries_are_reported(tmp_path):
    bad = [
        {"from": "2020-01-01", "until": "2019-01-01", "set": {"speed_kmh": 10}, "source": "s"},
        {"from": None, "until": None, "set": {"length_km": 10}, "source": "s"},
        {"from": None, "until": None, "set": {"wait_h": -1}, "source": "s"},
        {"from": None, "until": None, "set": {"wait_h": 1}},
    ]
    problems = cr.validate(_write(tmp_path, links={FERRY: {"dated": bad}}), geography=False)
    assert len(problems) == 4
    assert "ends (2019-01-01) before it starts" in problems[0]
    assert "cannot set 'length_km'" in problems[1]
    assert "non-negative" in problems[2]
    assert "no source" in problems[3]


# --- disruptions ----------------------------------------------------------------------------
def test_closure_closes_what_it_names_while_in_force(tmp_path):
    directory = _write(
        tmp_path,
        disruptions=[_closure({"links": ["rail_a_city_r_border"]}, "2021-01-01", "2022-01-01")],
    )
    during = cr.load_network(directory, as_of="2021-06-01")
    assert during.link_status("rail_a_city_r_border") == "closed"
    assert during.link_records["rail_a_city_r_border"]["closed_by"] == ["shut"]
    assert [d["id"] for d in during.disruptions_in_force()] == ["shut"]
    with pytest.raises(cr.NoRouteError):
        cr.route(during, "a_city", "r_city", modes=["rail"])
    after = during.at("2022-01-01")  # until is exclusive
    assert after.link_status("rail_a_city_r_border") == "open"
    assert "closed_by" not in after.link_records["rail_a_city_r_border"]
    assert after.disruptions_in_force() == []
    assert cr.route(after, "a_city", "r_city", modes=["rail"]).links == [
        "rail_a_city_r_border",
        "rail_r_border_r_city",
    ]


def test_closure_by_country_takes_links_nodes_and_border_sides(tmp_path):
    directory = _write(tmp_path, disruptions=[_closure({"countries": ["GEO"]}, None, None)])
    net = cr.load_network(directory, as_of="2021-06-01")
    closed_nodes = {i for i in net.node_records if net.node_status(i) == "closed"}
    # GEO's own places and both border crossings with a GEO side
    assert closed_nodes == {"g_city", "g_gauge", "b_border", "t_border"}
    closed_links = {i for i in net.link_records if net.link_status(i) == "closed"}
    expected = {i for i, spec in toy.LINKS.items() if spec[4] == "GEO"}
    # a closure changes only what is open: the line planned until 2030 stays planned
    assert net.link_status("rail_g_city_t_border") == "planned"
    assert closed_links == expected - {"rail_g_city_t_border"}


def test_closure_by_tag(tmp_path):
    directory = _write(tmp_path, disruptions=[_closure({"tags": ["north"]}, None, None)])
    net = cr.load_network(directory, as_of="2021-06-01")
    closed = {i for i in net.link_records if net.link_status(i) == "closed"}
    assert closed == {"rail_a_city_r_border", "rail_r_border_r_city"}


def test_disruption_multiplies_factors_and_is_cited(tmp_path):
    slow = {
        "id": "storm",
        "name": "storm",
        "kind": "disruption",
        "where": {"links": [FERRY], "nodes": ["b_border"]},
        "periods": [{"from": "2021-01-01", "until": None, "source": "test period"}],
        "factors": {"wait_h_factor": 2.0, "speed_factor": 0.5, "border_hours_factor": 3.0},
        "source": "storm report",
    }
    net = cr.load_network(_write(tmp_path, disruptions=[slow]), as_of="2021-06-01")
    km = toy.link_length_km(FERRY)
    ferry = cr.route(net, "k_port", "a_port")
    # by hand: speed 20 km/h halved, the link's own 10 h wait doubled
    assert ferry.legs[0].time_h == pytest.approx(km / 10.0 + 20.0)
    cited = {q: s for q, _, s in ferry.legs[0].provenance}
    assert "disruption storm: storm report" in cited["wait_h"]
    assert net.link_records[FERRY]["disrupted_by"] == ["storm"]
    # node factors apply to the node named, link factors are not laid on it
    crossing = cr.route(net, "a_city", "g_city", modes=["rail"]).border_crossings[0]
    assert crossing.hours == pytest.approx(5.0 * 3.0)
    assert "speed_factor" not in net.node_records["b_border"]
    before = net.at("2020-06-01")
    assert cr.route(before, "k_port", "a_port").legs[0].time_h == pytest.approx(km / 20.0 + 10.0)


def test_bad_disruptions_are_reported(tmp_path):
    bad = [
        _closure({"links": ["nowhere"]}, None, None, id="a"),
        _closure({"tags": ["x"]}, "2021-01-01", "2020-01-01", id="b"),
        _closure({"tags": ["x"]}, None, None, id="c", factors={"speed_factor": 0.5}),
        {**_closure({"tags": ["x"]}, None, None, id="d"), "kind": "disruption"},
        {
            **_closure({"tags": ["x"]}, None, None, id="e", factors={"cost_factor": 2}),
            "kind": "disruption",
        },
        {**_closure({"nodes": ["a_city"]}, None, None, id="f"), "kind": "strike"},
        _closure({"countries": ["XXX"]}, None, None, id="g"),
    ]
    problems = cr.validate(_write(tmp_path, disruptions=bad), geography=False)
    expected = [
        "'nowhere', which is not a known id",
        "ends (2020-01-01) before it starts",
        "a closure has no factors",
        "a disruption needs factors",
        "factor 'cost_factor' is not one of",
        "kind 'strike' is not one of",
        "unknown country 'XXX'",
    ]
    assert len(problems) == len(expected)
    for problem, text, record in zip(problems, expected, "abcdefg", strict=True):
        assert text in problem and f"disruption '{record}'" in problem


# --- embargoes of both kinds ----------------------------------------------------------------
TRANSIT = {
    "id": "geo_transit_tur",
    "kind": "transit",
    "through_country": "GEO",
    "to_country": "TUR",
    "from_country": None,
    "except_tags": [],
    "periods": [{"from": "2000-01-01", "until": "2022-01-01", "source": "test"}],
    "source": "test",
}
ORIGIN = {
    "id": "aze_to_tur",
    "from_country": "AZE",
    "to_country": "TUR",
    "periods": [{"from": None, "until": None, "source": "test"}],
    "source": "test",
}


def test_transit_embargo_is_loaded_beside_origin_ones(tmp_path):
    net = cr.load_network(_write(tmp_path, embargoes=[ORIGIN, TRANSIT]), as_of="2021-06-01")
    assert [e["id"] for e in net.embargoes_in_force()] == ["aze_to_tur", "geo_transit_tur"]
    assert [e["id"] for e in net.embargoes_in_force(kind="origin")] == ["aze_to_tur"]
    assert net.embargoes_in_force(kind="transit")[0]["through_country"] == "GEO"
    assert net.embargoes_in_force()[0]["kind"] == "origin"  # the default kind is made explicit
    assert [e["id"] for e in net.at("2022-01-01").embargoes_in_force()] == ["aze_to_tur"]
    # a transit ban is not an origin ban: routes from GEO are not barred from TUR by it
    assert cr.route(net, "g_city", "t_city").destination == "t_city"


def test_bad_embargoes_are_reported(tmp_path):
    bad = [
        {**TRANSIT, "through_country": None},
        {**ORIGIN, "from_country": None},
        {**TRANSIT, "kind": "export"},
        {**TRANSIT, "through_country": "TUR"},
    ]
    problems = cr.validate(_write(tmp_path, embargoes=bad), geography=False)
    assert len(problems) == 4
    assert "missing required field(s) through_country" in problems[0]
    assert "missing required field(s) from_country" in problems[1]
    assert "kind 'export' is not one of origin, transit" in problems[2]
    assert "through_country and to_country are both TUR" in problems[3]


# --- scenarios ------------------------------------------------------------------------------
def test_use_announced_passes_announced_to_the_network(tmp_path):
    net = cr.load_network(_write(tmp_path, links=_announced_link(confirmed=True)))
    data = {"name": "t", "as_of": "2021-01-01", "use_announced": True}
    assert parse_scenario(data, net=net).apply(net).link_status(RAIL_AB) == "open"
    plain = parse_scenario({"name": "t", "as_of": "2021-01-01"}, net=net)
    assert plain.apply(net).link_status(RAIL_AB) == "planned"
    with pytest.raises(cr.ScenarioError, match="use_announced: must be true or false"):
        parse_scenario({"name": "t", "use_announced": "yes"}, net=net)


# --- published states on the bundled data --------------------------------------------------
BTK = ["rail_marabda_tsalka", "rail_akhalkalaki_kartsakhi", "rail_arpacay_kars"]


def test_btk_capacity_rose_from_1_to_5_million_tonnes_in_may_2024(bundled):
    # 1 and 5 million t/year at 10 t/TEU (Azerbaijan Railways via Trend, 6 May 2024)
    before, after = bundled.at("2024-05-19"), bundled.at("2024-05-20")
    for link in BTK:
        assert before.link_records[link]["capacity_teu_year"] == 100_000
        assert after.link_records[link]["capacity_teu_year"] == 500_000
    r = cr.route(before, "baku", "kars", modes=["rail"])
    assert r.bottleneck["capacity_teu_year"] == 100_000
    assert "1 million t/year" in r.bottleneck["source"]


def test_red_sea_closed_from_december_2023_and_suez_blocked_in_march_2021(bundled):
    red_sea = ["sea_malacca_bab_el_mandeb", "sea_bab_el_mandeb_suez"]
    for day, status in (("2021-06-01", "open"), ("2024-06-01", "closed"), ("2026-11-29", "closed")):
        assert {bundled.at(day).link_status(i) for i in red_sea} == {status}, day
    assert bundled.at("2024-06-01").link_records[red_sea[0]]["closed_by"] == ["red_sea_houthi_2023"]
    assert bundled.at("2021-03-25").link_status("sea_suez_port_said") == "closed"
    assert bundled.at("2021-03-30").link_status("sea_suez_port_said") == "open"
    # the Cape route is ~5,900 km longer (13,800 vs 10,600 nm, port economics handbook)
    suez = cr.route(bundled, "shanghai", "rotterdam", modes=["sea"], as_of="2021-06-01")
    cape = cr.route(bundled, "shanghai", "rotterdam", modes=["sea"], as_of="2024-06-01")
    assert 4000 < cape.distance_km - suez.distance_km < 7500


def test_azerbaijan_lifted_its_bans_on_cargo_to_armenia_on_21_october_2025(bundled):
    def ids(day: str) -> set[str]:
        return {e["id"] for e in bundled.at(day).embargoes_in_force()}

    assert {"aze_to_arm", "aze_transit_arm"} <= ids("2024-06-01")
    assert {"aze_to_arm", "aze_transit_arm"} <= ids("2025-10-20")
    assert not {"aze_to_arm", "aze_transit_arm"} & ids("2025-10-21")
    assert not {"aze_to_arm", "aze_transit_arm"} & ids("2026-11-29")
    assert "arm_to_aze" in ids("2026-11-29")  # Armenian goods are still barred


def test_iran_poland_and_announced_openings_on_the_bundled_data(bundled):
    # the war on Iran (28 Feb 2026) to the ceasefire (8 Apr 2026): Iranian crossings closed
    assert bundled.at("2026-03-15").node_status("astara") == "closed"
    assert bundled.at("2026-04-08").node_status("astara") == "open"
    # Poland closed the Belarus border from 12 to 25 Sep 2025
    assert bundled.at("2025-09-15").node_status("brest") == "closed"
    assert bundled.at("2025-09-25").node_status("brest") == "open"
    # Horadiz-Aghband's end-2026 opening is only announced
    assert bundled.at("2027-06-01").link_status("rail_mahmudlu_zangilan") == "under_construction"
    assert bundled.at("2027-06-01", announced=True).link_status("rail_mahmudlu_zangilan") == "open"


def test_black_sea_ferries_open_on_their_first_sailings(bundled):
    # E60 Constanta-Poti from 27 Jun 2023; PB Shipping Burgas-Batumi from 4 Jul 2022
    assert bundled.at("2023-06-26").link_status("ferry_poti_constanta") is None
    assert bundled.at("2023-06-27").link_status("ferry_poti_constanta") == "open"
    assert bundled.at("2022-07-03").link_status("ferry_batumi_burgas") is None
    assert bundled.at("2022-07-04").link_status("ferry_batumi_burgas") == "open"


def test_unknown_grade_is_reported(tmp_path):
    events = [{"status": "open", "from": None, "source": "test", "grade": "rumoured"}]
    problems = cr.validate(_write(tmp_path, links={RAIL_AB: {"status": events}}), geography=False)
    assert len(problems) == 1
    assert RAIL_AB in problems[0] and "grade 'rumoured' is not one of announced" in problems[0]


# --- one-way borders ------------------------------------------------------------------------
def _one_way_events(direction: object = "AZE>GEO", status: str = "open") -> list[dict]:
    return [
        {"status": "open", "from": None, "source": "test"},
        {"status": status, "from": "2020-01-01", "one_way": direction, "source": "test"},
        {"status": "open", "from": "2020-02-01", "source": "test"},
    ]


def test_a_one_way_border_is_crossed_only_in_its_direction_while_in_force(tmp_path):
    net = cr.load_network(_write(tmp_path, nodes={"b_border": {"status": _one_way_events()}}))
    during, after = net.at("2020-01-15"), net.at("2020-03-01")
    assert during.border_one_way("b_border") == "AZE>GEO"
    assert after.border_one_way("b_border") is None
    crossed = cr.route(during, "a_city", "g_city").to_dict()["border_crossings"]
    assert [(c["at"], c["from_country"], c["to_country"]) for c in crossed] == [
        ("b_border", "AZE", "GEO")
    ]
    # Gamma to Alpha crosses Bravo the other way only: barred while the one-way event is on
    with pytest.raises(cr.NoRouteError, match=r"one way that day: b_border AZE>GEO only"):
        cr.route(during, "g_city", "a_city")
    crossed = cr.route(after, "g_city", "a_city").to_dict()["border_crossings"]
    assert [c["at"] for c in crossed] == ["b_border"]


@pytest.mark.parametrize(
    ("node", "events", "expected"),
    [
        ("b_border", _one_way_events("AZE-GEO"), "write the open direction as 'AZE>ARM'"),
        ("b_border", _one_way_events(status="closed"), "one_way needs status 'open'"),
        ("b_border", _one_way_events("AZE>TUR"), "must go between the border's countries"),
        ("a_city", _one_way_events(), "one_way is for border nodes only"),
    ],
)
def test_bad_one_way_events_are_reported(tmp_path, node, events, expected):
    problems = cr.validate(_write(tmp_path, nodes={node: {"status": events}}), geography=False)
    assert len(problems) == 1 and expected in problems[0], problems


def test_hakari_was_open_only_out_of_karabakh_for_the_2023_exodus(bundled):
    # first refugees crossed on 24 Sep 2023 (Guardian); the last bus left on 2 Oct (skai.gr)
    exodus = bundled.at("2023-09-28")
    assert exodus.border_one_way("hakari_bridge") == "AZE>ARM"

    def crossings(a: str, b: str, day: str) -> list[str]:
        found = cr.route(bundled, a, b, modes=["road"], as_of=day, embargoes=False)
        return [c["at"] for c in found.to_dict()["border_crossings"]]

    assert crossings("khankendi", "goris", "2023-09-28") == ["hakari_bridge"]
    assert "hakari_bridge" not in crossings("goris", "khankendi", "2023-09-28")
    assert "hakari_bridge" not in crossings("khankendi", "goris", "2023-10-05")


# --- closures one way -------------------------------------------------------------------------
def test_a_link_closed_one_way_keeps_the_other_way(tmp_path):
    shut = _closure({"links": [FERRY]}, "2021-01-01", "2021-02-01", direction="k_port>a_port")
    net = cr.load_network(_write(tmp_path, disruptions=[shut]), as_of="2021-01-15")
    assert net.link_status(FERRY) == "open"
    assert net.link_records[FERRY]["closed_directions"] == ["k_port>a_port"]
    with pytest.raises(
        cr.NoRouteError,
        match=r"links closed one way that day: ferry_k_port_a_port closed "
        r"k_port>a_port by shut",
    ):
        cr.route(net, "k_port", "a_port", modes=["ferry"])
    assert cr.route(net, "a_port", "k_port", modes=["ferry"]).links == [FERRY]
    # the NetworkX graph drops the closed direction too
    assert not net.graph.has_edge("k_port", "a_port")
    assert net.graph.has_edge("a_port", "k_port")
    after = net.at("2021-02-01")  # until is exclusive
    assert "closed_directions" not in after.link_records[FERRY]
    assert cr.route(after, "k_port", "a_port", modes=["ferry"]).links == [FERRY]


def test_a_border_closed_one_way_is_crossed_the_other_way_only(tmp_path):
    shut = _closure({"nodes": ["b_border"]}, "2021-01-01", "2021-02-01", direction="AZE>GEO")
    net = cr.load_network(_write(tmp_path, disruptions=[shut]), as_of="2021-01-15")
    assert net.border_one_way("b_border") == "GEO>AZE"
    assert net.node_records["b_border"]["closed_by"] == ["shut"]
    crossed = cr.route(net, "g_city", "a_city").to_dict()["border_crossings"]
    assert [(c["at"], c["from_country"]) for c in crossed] == [("b_border", "GEO")]
    with pytest.raises(cr.NoRouteError, match=r"b_border GEO>AZE only"):
        cr.route(net, "a_city", "g_city")
    assert net.at("2021-02-01").border_one_way("b_border") is None


def test_a_border_already_one_way_closed_that_way_is_shut(tmp_path):
    # open AZE>GEO only in Jan 2020 (its own status); a closure of AZE>GEO then shuts it
    shut = _closure({"nodes": ["b_border"]}, "2020-01-10", "2020-01-20", direction="AZE>GEO")
    directory = _write(
        tmp_path, nodes={"b_border": {"status": _one_way_events()}}, disruptions=[shut]
    )
    net = cr.load_network(directory, as_of="2020-01-15")
    assert net.node_status("b_border") == "closed"
    # closing the way it is already shut changes nothing
    other = _closure({"nodes": ["b_border"]}, "2020-01-10", "2020-01-20", direction="GEO>AZE")
    directory = _write(
        tmp_path / "other", nodes={"b_border": {"status": _one_way_events()}}, disruptions=[other]
    )
    net = cr.load_network(directory, as_of="2020-01-15")
    assert net.border_one_way("b_border") == "AZE>GEO"


@pytest.mark.parametrize(
    ("where", "direction", "kind", "expected"),
    [
        ({"links": [FERRY]}, "k_port-a_port", "closure", "must read 'FROM>TO'"),
        ({"links": [FERRY]}, "a_city>a_port", "closure", "must join link ferry_k_port_a_port"),
        ({"nodes": ["b_border"]}, "AZE>TUR", "closure", "must join border node b_border"),
        ({"nodes": ["a_city"]}, "AZE>GEO", "closure", "a_city is not a border"),
        ({"tags": ["north"]}, "AZE>GEO", "closure", "by id, not tags or countries"),
        ({"links": [FERRY]}, "k_port>a_port", "disruption", "direction is for closures only"),
    ],
)
def test_bad_one_way_closures_are_reported(tmp_path, where, direction, kind, expected):
    record = {**_closure(where, None, None, direction=direction), "kind": kind}
    if kind == "disruption":
        record["factors"] = {"wait_h_factor": 2.0}
    problems = cr.validate(_write(tmp_path, disruptions=[record]), geography=False)
    assert len(problems) == 1 and expected in problems[0], problems


def test_ktz_bans_close_the_kuryk_ferry_saryagash_and_dostyk_one_way(bundled):
    # KTZ order 1242: no wagons for export via the Kuryk ferry, 26 May - 2 Jun 2025 (Trend)
    ban = bundled.at("2025-05-28")
    with pytest.raises(cr.NoRouteError, match="ktz_kuryk_export_2025_05"):
        cr.route(ban, "kuryk", "alat", modes=["ferry"])
    assert cr.route(ban, "alat", "kuryk", modes=["ferry"]).links == ["ferry_kuryk_alat"]
    assert cr.route(bundled.at("2025-06-03"), "kuryk", "alat", modes=["ferry"])
    # KTZ: no freight to Central Asia via Saryagash, 22-24 Nov 2025 (Asia-Plus); inbound open

    def crossings(a: str, b: str, day: str) -> list[str]:
        found = cr.route(bundled, a, b, modes=["rail"], as_of=day)
        return [c["at"] for c in found.to_dict()["border_crossings"]]

    assert crossings("almaty", "tashkent", "2025-11-21") == ["saryagash"]
    assert "saryagash" not in crossings("almaty", "tashkent", "2025-11-23")
    assert crossings("tashkent", "almaty", "2025-11-23") == ["saryagash"]
    assert crossings("almaty", "tashkent", "2025-11-25") == ["saryagash"]
    # KTZ: no freight accepted for Dostyk, towards China, 4-8 Sep 2023 (Forbes Kazakhstan)
    assert crossings("dostyk", "jinghe", "2023-09-05") == ["khorgos"]
    assert crossings("jinghe", "dostyk", "2023-09-05") == ["alashankou"]
    assert crossings("dostyk", "jinghe", "2023-09-09") == ["alashankou"]

"""Operations priced inside the search (issue 11): dwell, ferry headways, port calls, borders by
direction, 40-ft boxes. Each figure is checked against a hand calculation on the toy network."""

from __future__ import annotations

import pytest
import toy

import corridors as cr
from corridors.settings import settings

RAIL = toy.RAIL_ROUTE


def _net(tmp_path, *, node=None, link=None):
    """The toy network with some properties of one node and one link changed."""
    nodes, links = toy.node_features(), toy.link_features()
    for features, change in ((nodes, node), (links, link)):
        for f in features:
            if change and f["properties"]["id"] == change[0]:
                f["properties"].update(change[1])
                for key in [k for k, v in change[1].items() if v is None]:
                    del f["properties"][key]
    return cr.load_network(
        toy.write_dataset(tmp_path, nodes=nodes, links=links), as_of="2021-01-01"
    )


def _leg(r, link):
    return next(leg for leg in r.legs if leg.link == link)


def test_a_ferry_that_sails_when_full_waits_half_its_headway_plus_the_fill(tmp_path):
    ferry = {"wait_h": None, "sailings_per_week": 3.5, "sailings_source": "s", "fill_hours": 12.0}
    net = _net(tmp_path, link=("ferry_k_port_a_port", {**ferry, "fill_source": "f"}))
    leg = _leg(cr.route(net, "k_port", "a_port"), "ferry_k_port_a_port")
    # 3.5 sailings a week: one every 48 h, half of it on average, and 12 h to fill the ship
    assert leg.wait_h == pytest.approx(24.0 + 12.0)
    km = toy.link_length_km("ferry_k_port_a_port")
    assert leg.time_h == pytest.approx(km / 20.0 + 36.0)
    cited = {q: (v, src) for q, v, src in leg.provenance}
    assert cited["sailings_per_week"] == (3.5, "s") and cited["fill_hours"] == (12.0, "f")


def test_an_explicit_wait_wins_over_sailings(tmp_path):
    net = _net(
        tmp_path, link=("ferry_k_port_a_port", {"sailings_per_week": 7.0, "sailings_source": "s"})
    )
    assert _leg(cr.route(net, "k_port", "a_port"), "ferry_k_port_a_port").wait_h == 10.0


def test_a_ship_spends_port_call_hours_at_each_call(tmp_path):
    calls = {"wait_h": None, "port_calls": 3, "port_calls_source": "c"}
    net = _net(tmp_path, link=("ferry_k_port_a_port", calls))
    leg = _leg(cr.route(net, "k_port", "a_port"), "ferry_k_port_a_port")
    assert leg.wait_h == pytest.approx(3 * settings.port_call_hours)


def test_border_hours_by_direction(tmp_path):
    by_direction = {"border_hours_by_direction": {"AZE>GEO": 30.0, "GEO>AZE": 2.0}}
    net = _net(tmp_path, node=("b_border", {**by_direction, "border_source": "cpmm"}))
    east = cr.route(net, "a_city", "g_city", modes=["rail"])
    west = cr.route(net, "g_city", "a_city", modes=["rail"])
    assert [b.hours for b in east.border_crossings] == [30.0]
    assert [b.hours for b in west.border_crossings] == [2.0]
    assert "(AZE>GEO)" in {q: s for q, _, s in east.border_crossings[0].provenance}["border_hours"]


def test_terminal_dwell_where_the_trip_starts_and_ends(tmp_path):
    net = _net(tmp_path, node=("a_city", {"dwell_hours": 10.0, "dwell_source": "terminal"}))
    r = cr.route(net, "a_city", "t_city", modes=["rail"])
    assert [(d.at, d.hours) for d in r.dwells] == [
        ("a_city", 10.0),
        ("t_city", settings.dwell_hours["rail"]),
    ]
    moving = sum(leg.time_h for leg in r.legs)
    assert r.time_h == pytest.approx(moving + 8 + 5 + 6 + 10.0 + settings.dwell_hours["rail"])
    # no change of mode at the ends: the dwell already covers getting the box on board
    assert all(t.at not in ("a_city", "t_city") for t in r.transfers)
    assert r.links == RAIL


def test_dwell_is_part_of_the_time_search(tmp_path):
    # a terminal that takes a week makes the road (trucks load in 2 h) the fastest way
    net = _net(tmp_path, node=("a_city", {"dwell_hours": 168.0, "dwell_source": "slow"}))
    assert cr.route(net, "a_city", "t_city", modes=["rail"]).time_h > 168
    assert cr.route(net, "a_city", "t_city").modes == ["road"]


def test_a_forty_foot_box_pays_haulage_by_slot_and_fees_once(toy_net):
    teu = cr.route(toy_net, "a_city", "t_city", modes=["rail"], weight="distance")
    feu = cr.route(toy_net, "a_city", "t_city", modes=["rail"], weight="distance", box=40)
    haulage = settings.cost_usd_per_teu_km["rail"] * teu.distance_km
    fees = 100 + 40 + 30  # gauge change at Gaugeton, borders at Bravo and Tango Gate
    assert teu.cost_usd == pytest.approx(haulage + fees)
    assert feu.cost_usd == pytest.approx(haulage * settings.feu_factor["rail"] + fees)
    assert feu.time_h == pytest.approx(teu.time_h) and feu.box == 40
    # the one-line summary says what the money and the CO2 are per
    assert f"USD {feu.cost_usd:,.0f}/40-ft box" in feu.summary()
    assert "kg CO2e/40-ft box" in feu.summary() and "/TEU" not in feu.summary()
    assert f"USD {teu.cost_usd:,.0f}/TEU" in teu.summary()
    with pytest.raises(cr.UsageError, match="box must be 20 or 40"):
        cr.route(toy_net, "a_city", "t_city", box=30)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("dwell_hours", -1, "must be a finite number >= 0"),
        ("border_hours_by_direction", {"AZE-GEO": 3}, "use 'FROM>TO'"),
        ("border_hours_by_direction", [], "must be an object of hours by direction"),
    ],
)
def test_bad_operations_figures_on_nodes_are_reported(tmp_path, field, value, message):
    nodes = toy.node_features()
    for f in nodes:
        if f["properties"]["id"] == "b_border":
            f["properties"].update({field: value, "dwell_source": "x", "border_source": "x"})
    problems = cr.validate(toy.write_dataset(tmp_path, nodes=nodes), geography=False)
    assert any(field in p and message in p for p in problems), problems


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sailings_per_week", 0, "must be a finite number > 0"),
        ("port_calls", 1.5, "must be a whole number >= 0"),
        ("fill_hours", float("nan"), "must be a finite number >= 0"),
    ],
)
def test_bad_operations_figures_on_links_are_reported(tmp_path, field, value, message):
    links = toy.link_features()
    for f in links:
        if f["properties"]["id"] == "ferry_k_port_a_port":
            f["properties"][field] = value
    problems = cr.validate(toy.write_dataset(tmp_path, links=links), geography=False)
    assert any(field in p and message in p for p in problems), problems


def test_a_box_brought_by_truck_waits_for_its_train(toy_net):
    # trains leave on a timetable, trucks when loaded: road→rail at Golf pays the rail
    # terminal's dwell on top of the handling; rail→road pays the handling only
    avoid = ["rail_a_city_b_border", "road_g_city_t_border"]
    east = cr.route(toy_net, "a_city", "t_city", avoid_links=avoid)
    west = cr.route(toy_net, "t_city", "a_city", avoid_links=avoid)
    assert east.links[:2] == ["road_a_city_b_border", "road_b_border_g_city"]
    handling = settings.transfer_hours["mode"]
    change = {t.at: t.hours for t in east.transfers if t.kind == "mode"}
    assert change == {"g_city": pytest.approx(handling + settings.dwell_hours["rail"])}
    assert {t.at: t.hours for t in west.transfers if t.kind == "mode"} == {"g_city": handling}
    cited = {q: src for q, _, src in east.transfers[0].provenance}
    assert "dwell_hours.rail" in cited["dwell_hours"]

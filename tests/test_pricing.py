"""The pricing stage (issue 10): a priced graph, its parts, and re-pricing without rebuilding."""

from __future__ import annotations

import numpy as np
import pytest
import toy

import corridors as cr
from corridors import routing
from corridors.schema import TIME_PARTS

RAIL = toy.RAIL_ROUTE


def test_time_is_the_sum_of_its_parts(toy_net):
    priced = cr.price(toy_net)
    total = sum(priced.parts[p] for p in TIME_PARTS)
    assert np.allclose(priced.quantities["time_h"], total)
    # a link's moving time is its length over its speed (toy speeds are in the fixture)
    i = next(i for i, e in enumerate(priced.edges) if e.get("link") == "rail_a_city_b_border")
    km = toy.link_length_km("rail_a_city_b_border")
    assert priced.parts["moving_h"][i] == pytest.approx(km / toy.LINKS[RAIL[0]][5])


def test_price_is_the_graph_routing_uses(toy_net):
    priced = cr.price(toy_net, as_of="2021-01-01")
    assert priced is cr.routing_graph(toy_net.at("2021-01-01"))


def test_repricing_borders_changes_the_route_by_hand_and_shares_the_structure(toy_net):
    priced = cr.price(toy_net)
    crossings = priced.parts["border_h"] > 0
    slow = cr.reprice(priced, border_h=np.where(crossings, priced.parts["border_h"] + 100.0, 0.0))
    assert slow.tail is priced.tail and slow.edges is priced.edges
    assert slow.turn_graph is priced.turn_graph  # built once, shared
    before = routing.route(toy_net, "a_city", "t_city", graph=priced, modes=["rail"])
    after = routing.route(toy_net, "a_city", "t_city", graph=slow, modes=["rail"])
    assert after.links == before.links == RAIL
    # two borders on the route, each 100 h slower
    assert after.time_h == pytest.approx(before.time_h + 200.0)
    assert [b.hours - 100.0 for b in after.border_crossings] == [5.0, 6.0]


def test_repricing_dwell_and_waits(toy_net):
    priced = cr.price(toy_net)
    none = cr.reprice(priced, dwell_h=np.zeros(len(priced.nodes)))
    r = routing.route(toy_net, "a_city", "t_city", graph=none, modes=["rail"])
    assert r.dwells == []
    ferry = [i for i, e in enumerate(priced.edges) if e.get("link") == "ferry_k_port_a_port"]
    waits = priced.parts["wait_h"].copy()
    waits[ferry] = 99.0
    leg = routing.route(toy_net, "k_port", "a_port", graph=cr.reprice(priced, wait_h=waits)).legs
    assert [x.wait_h for x in leg if x.link == "ferry_k_port_a_port"] == [99.0]


@pytest.mark.parametrize("bad", [np.zeros(3), -np.ones(1), np.array([np.nan])])
def test_repricing_refuses_arrays_of_the_wrong_shape_or_value(toy_net, bad):
    priced = cr.price(toy_net)
    wrong = bad if bad.shape == (3,) else np.full(len(priced.edges), bad[0])
    with pytest.raises(cr.UsageError, match="border_h must be"):
        cr.reprice(priced, border_h=wrong)


@pytest.mark.parametrize("part", ["wait_h", "border_h", "transfer_h"])
def test_repricing_refuses_hours_where_the_part_does_not_apply(toy_net, part):
    priced = cr.price(toy_net)
    applies = priced.part_edges[part]
    assert applies.any() and not applies.all()
    # the graph's own figures sit only where they apply
    assert not priced.parts[part][~applies].any()
    stray = priced.parts[part].copy()
    stray[np.flatnonzero(~applies)[0]] = 1.0
    with pytest.raises(cr.UsageError, match=f"{part} is above 0 on 1 edge"):
        cr.reprice(priced, **{part: stray})
    # the same hours where they apply are accepted
    cr.reprice(priced, **{part: priced.parts[part] + applies})

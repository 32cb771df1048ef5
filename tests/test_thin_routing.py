"""Thin routing (issue 15): routes made on first use, weights and matrix data kept per graph.

A route answers with its path; its legs, transfers and crossings are made when first read, and
must then be the route the constructor makes. The search keeps the weights of each graph,
weight and constraints read-only with their CSR data, and bars the changes at a trip's ends
per search; answers must stay those of a search on the full weights.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle

import numpy as np
import pytest
from toy import RAIL_ROUTE as RAIL

import corridors as cr
from corridors import routing
from corridors.results import DEFERRED_FIELDS, Route
from corridors.search import search_arrays
from corridors.settings import settings


def _eager(route: Route) -> Route:
    """The same route made by the constructor, every field given."""
    return Route(**{f.name: getattr(route, f.name) for f in dataclasses.fields(Route)})


def test_a_route_is_made_on_first_read_once(toy_net):
    made = []
    real = routing.route(toy_net, "a_city", "t_city", modes=["rail"])
    fields = {name: getattr(real, name) for name in DEFERRED_FIELDS}

    def make():
        made.append(1)
        return dict(fields)

    lazy = Route.deferred(
        origin="a_city", destination="t_city", weight="time", as_of=real.as_of, box=20, make=make
    )
    assert lazy.origin == "a_city" and made == []  # what the search knows costs nothing
    assert lazy.links == RAIL and made == [1]
    assert lazy.time_h == real.time_h and lazy.summary() == real.summary() and made == [1]
    assert lazy == real and repr(lazy) == repr(real)


def test_a_deferred_route_is_the_route_the_constructor_makes(bundled):
    for o, d in [("xian", "duisburg"), ("baku", "kars"), ("yerevan", "tbilisi")]:
        lazy = cr.route(bundled, o, d)
        assert "legs" not in vars(lazy)  # nothing made by the search itself
        eager = _eager(lazy)
        assert lazy == eager and repr(lazy) == repr(eager)
        assert lazy.to_dict(sources=True) == eager.to_dict(sources=True)
        assert lazy.figures() == eager.figures()
        # the totals are the sums of the steps, by hand
        legs, steps = lazy.legs, lazy.transfers + lazy.border_crossings + lazy.dwells
        assert lazy.time_h == pytest.approx(
            sum(x.time_h for x in legs) + sum(x.hours for x in steps)
        )


def test_a_deferred_route_pickles_and_copies_whole_without_its_graph(bundled):
    lazy = cr.route(bundled, "baku", "kars")
    sent = pickle.dumps(lazy)
    assert len(sent) == len(pickle.dumps(_eager(lazy)))  # no graph, no network on the way
    back = pickle.loads(sent)
    assert back == lazy and back.to_dict(sources=True) == lazy.to_dict(sources=True)
    assert "_make" not in vars(back)
    for made in (copy.copy(cr.route(bundled, "baku", "kars")), copy.deepcopy(lazy)):
        assert made == lazy


def test_a_deferred_route_keeps_the_routes_behaviour(bundled):
    lazy = cr.route(bundled, "baku", "kars")
    with pytest.raises(TypeError):  # a mutable dataclass: unhashable, as before
        hash(lazy)
    with pytest.raises(AttributeError, match="no attribute 'legz'"):
        lazy.legz  # noqa: B018 (a misspelt field is not made, it is an error)
    wrong = Route.deferred(
        origin="a", destination="b", weight="time", as_of=lazy.as_of, box=20, make=dict
    )
    with pytest.raises(TypeError, match="a deferred route needs"):
        wrong.legs  # noqa: B018


def _arrays(edges):
    tail = np.asarray([e[0] for e in edges])
    head = np.asarray([e[1] for e in edges])
    weight = np.asarray([e[2] for e in edges], dtype=float)
    return tail, head, weight


@pytest.mark.parametrize(
    ("barred", "expected"),
    [
        ([], [0, 2]),  # the cheaper of the parallel edges 0 and 1, then 1 -> 2
        ([0], [1, 2]),  # a parallel edge barred: its twin is searched
        ([0, 1], [3]),  # both barred: the direct edge
        ([2], [3]),  # a lone edge barred
        ([2, 3], None),
    ],
)
def test_barred_edges_are_inf_weights_on_kept_matrix_data(barred, expected):
    tail, head, w = _arrays([(0, 1, 1), (0, 1, 2), (1, 2, 1), (0, 2, 5)])
    w.flags.writeable = False  # kept with its matrix data, as routing keeps its weights
    cache: dict = {}
    by_hand = w.copy()
    by_hand[barred] = np.inf
    for _ in range(2):  # the second search reads the kept data
        assert search_arrays(3, tail, head, by_hand, [[0], [2]]) == expected
        found = search_arrays(
            3, tail, head, w, [[0], [2]], cache=cache, barred=np.asarray(barred, dtype=np.int64)
        )
        assert found == expected
    assert np.isfinite(w).all()  # the kept weights themselves are not barred


def test_kept_matrix_data_follows_each_weights_array():
    tail, head, _ = _arrays([(0, 1, 1), (1, 2, 1), (0, 2, 5)])
    cache: dict = {}
    for i in range(50):  # new arrays, some at addresses of freed ones: each its own answer
        direct = 1.0 if i % 2 else 3.0
        w = np.asarray([1.0, 1.0, direct])
        w.flags.writeable = False
        assert search_arrays(3, tail, head, w, [[0], [2]], cache=cache) == (
            [2] if i % 2 else [0, 1]
        )
        del w


def test_priced_graph_is_kept_until_a_factor_changes(toy_net):
    first = cr.routing_graph(toy_net)
    assert cr.routing_graph(toy_net) is first
    old = settings.cost_usd_per_teu_km["rail"]
    try:
        settings.cost_usd_per_teu_km["rail"] = old * 2  # changed in place
        doubled = cr.routing_graph(toy_net)
        assert doubled is not first
        rail = [i for i, e in enumerate(first.edges) if e.get("mode") == "rail"]
        assert doubled.quantities["cost_usd"][rail] == pytest.approx(
            2 * first.quantities["cost_usd"][rail]
        )
    finally:
        settings.cost_usd_per_teu_km["rail"] = old
    assert cr.routing_graph(toy_net) is first  # the same values: the same priced graph
    other = settings.copy()
    assert cr.routing_graph(toy_net, factors=other) is first  # equal settings, another object


def test_repriced_graphs_keep_their_own_weights(toy_net):
    priced = cr.price(toy_net)
    crossings = priced.parts["border_h"] > 0
    slow = cr.reprice(priced, border_h=np.where(crossings, priced.parts["border_h"] + 100.0, 0.0))
    for _ in range(2):  # in turns: neither graph's kept weights serve the other
        before = routing.route(toy_net, "a_city", "t_city", graph=priced, modes=["rail"])
        after = routing.route(toy_net, "a_city", "t_city", graph=slow, modes=["rail"])
        assert after.time_h == pytest.approx(before.time_h + 200.0)

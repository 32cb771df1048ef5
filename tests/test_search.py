"""The search on tiny arrays, as NetworkX tests its algorithms (issue 10)."""

from __future__ import annotations

import numpy as np

from corridors.search import search_arrays


def _arrays(edges):
    tail = np.asarray([e[0] for e in edges])
    head = np.asarray([e[1] for e in edges])
    weight = np.asarray([e[2] for e in edges], dtype=float)
    return tail, head, weight


def test_shortest_of_two_ways_by_hand():
    # 0 -> 1 -> 3 costs 1 + 1; 0 -> 2 -> 3 costs 1 + 5
    tail, head, w = _arrays([(0, 1, 1), (1, 3, 1), (0, 2, 1), (2, 3, 5)])
    assert search_arrays(4, tail, head, w, [[0], [3]]) == [0, 1]


def test_inf_weights_are_barred_and_no_way_is_none():
    tail, head, w = _arrays([(0, 1, 1), (1, 3, 1), (0, 2, 1), (2, 3, 5)])
    w[1] = np.inf
    assert search_arrays(4, tail, head, w, [[0], [3]]) == [2, 3]
    w[3] = np.inf
    assert search_arrays(4, tail, head, w, [[0], [3]]) is None


def test_parallel_edges_keep_the_cheaper():
    tail, head, w = _arrays([(0, 1, 5), (0, 1, 2)])
    assert search_arrays(2, tail, head, w, [[0], [1]]) == [1]


def test_via_stops_and_costs_at_the_ends():
    # 0 -> 1 -> 2, or 0 -> 2 directly; via 1 forces the long way
    tail, head, w = _arrays([(0, 1, 1), (1, 2, 1), (0, 2, 1)])
    assert search_arrays(3, tail, head, w, [[0], [2]]) == [2]
    assert search_arrays(3, tail, head, w, [[0], [1], [2]]) == [0, 1]
    # two ways to start: node 0 (dwell 10) or node 1 (dwell 0); both end at 2
    assert search_arrays(
        3, tail, head, w, [[0, 1], [2]], start_cost=[10.0, 0.0, 0.0].__getitem__
    ) == [1]


def test_a_cached_pattern_takes_each_search_weights():
    # one pattern for every search of a graph: the mask and the weights come with each search
    edges = [(0, 1, 1), (0, 1, 1), (1, 2, 1), (0, 2, 9), (0, 1, 1)]
    tail, head, _ = _arrays(edges)
    cache: dict = {}
    cases = [
        ([1, 1, 1, 9, 1], [0, 2]),  # equal parallel edges: the first
        ([5, 3, 1, 9, 4], [1, 2]),  # the cheapest of three
        ([np.inf, 3, 1, 9, 2], [4, 2]),  # a barred edge is never the one searched
        ([np.inf, np.inf, 1, 9, np.inf], [3]),  # all three barred: the direct edge
        ([1, 1, np.inf, np.inf, 1], None),  # nothing reaches 2
        ([2, 2, 1, 2.5, 2], [3]),  # the direct edge is cheaper again
    ]
    for weights, expected in cases:
        w = np.asarray(weights, dtype=float)
        assert search_arrays(3, tail, head, w, [[0], [2]], cache=cache) == expected, weights
        assert search_arrays(3, tail, head, w, [[0], [2]]) == expected  # as without a cache
    assert len(cache) == 1

"""Median times of routing on the bundled network, and of the CLI from start to answer.

Run on demand (not part of the test suite):

    python benchmarks/bench_routing.py

Targets (issue 2): one ``route`` < 5 ms, ``alternatives(k=5)`` < 100 ms, CLI < 1.5 s. Also
reported: a route that must pass through two countries (4 copies of the graph; target 20 ms,
ours) and the five east-west corridor families of one pair (target 100 ms, ours).

Thin routing (issue 15), measured in the same run: the share of ``cr.route``'s time spent in
the search itself (``scipy.sparse.csgraph.dijkstra``), target at least half, and the ratio of a
``cr.route`` call to a bare csgraph Dijkstra from the origin's routing nodes on the same priced
layered graph, target at most 2x; the issue asks for either. A route's legs, transfers and
crossings are made when first read, so the ratio of a call whose route is then read in full
(``to_dict()``) is printed too (no target).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import corridors as cr

sys.path.insert(0, str(Path(__file__).parent))
from timing import median_seconds

PAIRS = [
    ("xian", "duisburg"),
    ("baku", "kars"),
    ("shanghai", "rotterdam"),
    ("yerevan", "tbilisi"),
    ("almaty", "istanbul"),
]
TARGETS = {
    "route": 0.005,
    "alternatives_k5": 0.100,
    "route_through_2": 0.020,
    "corridor_families": 0.100,
    "cli": 1.5,
}


def _in_turns(funcs: list[Callable[[], object]], repeat: int) -> list[float]:
    """Return the median wall time of each of ``funcs``, called in turns ``repeat`` times, s."""
    times: list[list[float]] = [[] for _ in funcs]
    for _ in range(repeat):
        for func, spent in zip(funcs, times, strict=True):
            start = time.perf_counter()
            func()
            spent.append(time.perf_counter() - start)
    return [statistics.median(spent) for spent in times]


def thin_routing(
    net: cr.Network,
) -> tuple[float, float, list[float], list[float], list[float]]:
    """Return the C search's and the search stage's shares of ``cr.route``'s time, and per pair
    the call's ratio to a bare csgraph Dijkstra: each timed in a row (warm caches for both),
    in turns (the same load and caches for both), and in turns with the route read in full."""
    import scipy.sparse.csgraph as csgraph
    from scipy.sparse import csr_matrix

    rg = cr.routing_graph(net)
    n = len(rg.nodes)
    matrix = csr_matrix((rg.quantities["time_h"] + 1e-9, (rg.tail, rg.head)), shape=(n, n))
    matrix.sum_duplicates()  # parallel edges summed: a bare search's timing, not its answer
    in_a_row, ratios, read = [], [], []
    for o, d in PAIRS:
        sources = rg.by_place[o]
        in_a_row.append(
            median_seconds(lambda o=o, d=d: cr.route(net, o, d), 50)
            / median_seconds(
                lambda s=sources: csgraph.dijkstra(matrix, indices=s, return_predecessors=True),
                50,
            )
        )
        # in turns, so that the three see the same load on a shared machine
        call, bare, full = _in_turns(
            [
                lambda o=o, d=d: cr.route(net, o, d),
                lambda s=sources: csgraph.dijkstra(matrix, indices=s, return_predecessors=True),
                lambda o=o, d=d: cr.route(net, o, d).to_dict(),
            ],
            100,
        )
        ratios.append(call / bare)
        read.append(full / bare)
    # the shares: time inside csgraph's Dijkstra (the C search), and inside the whole search
    # stage (weights into the cached pattern, Dijkstra, walk back), over the calls' time
    routing = sys.modules["corridors.routing"]
    dijkstra, stage, spent = csgraph.dijkstra, routing.search, {"c": 0.0, "stage": 0.0}

    def timer(func: Callable[..., object], key: str) -> Callable[..., object]:
        def timed(*args: object, **keywords: object) -> object:
            start = time.perf_counter()
            try:
                return func(*args, **keywords)
            finally:
                spent[key] += time.perf_counter() - start

        return timed

    csgraph.dijkstra, routing.search = timer(dijkstra, "c"), timer(stage, "stage")
    try:
        start = time.perf_counter()
        for _ in range(50):
            for o, d in PAIRS:
                cr.route(net, o, d)
        total = time.perf_counter() - start
    finally:
        csgraph.dijkstra, routing.search = dijkstra, stage
    return spent["c"] / total, spent["stage"] / total, in_a_row, ratios, read


def main() -> int:
    net = cr.load_network(as_of="2026-11-26")
    cr.route(net, "xian", "duisburg")  # build the routing graph once, as a session would
    results = {
        "route": statistics.median(
            median_seconds(lambda o=o, d=d: cr.route(net, o, d), 30) for o, d in PAIRS
        ),
        "alternatives_k5": statistics.median(
            median_seconds(lambda o=o, d=d: cr.alternatives(net, o, d, k=5), 5) for o, d in PAIRS
        ),
        "route_through_2": median_seconds(
            lambda: cr.route(net, "xian", "duisburg", through_countries=["IRN", "GEO"]), 10
        ),
        "corridor_families": median_seconds(lambda: cr.corridor_routes(net, "xian", "duisburg"), 5),
    }
    exe = shutil.which("corridors", path=str(Path(sys.executable).parent)) or "corridors"
    results["cli"] = median_seconds(
        lambda: subprocess.run(
            [exe, "route", "baku", "kars", "--json"], check=True, capture_output=True
        ),
        5,
    )
    share, stage, in_a_row, ratios, read = thin_routing(net)
    ratio = statistics.median(ratios)
    failed = 0
    for name, seconds in results.items():
        ok = seconds <= TARGETS[name]
        failed += not ok
        print(
            f"{name:<16} {seconds * 1000:9.1f} ms   target {TARGETS[name] * 1000:7.0f} ms   "
            f"{'ok' if ok else 'SLOW'}"
        )
    thin = share >= 0.5 or ratio <= 2.0
    failed += not thin
    print(
        f"search share of cr.route {share:6.1%}   target >= 50%   "
        f"(the search stage, pattern fill and walk back included: {stage:.1%})\n"
        f"cr.route / bare Dijkstra {ratio:6.1f}x   target <= 2x   (either: "
        f"{'ok' if thin else 'SLOW'}; timed in turns, pairs {min(ratios):.1f}-{max(ratios):.1f}x;"
        f" each timed in a row: {statistics.median(in_a_row):.1f}x)\n"
        f"cr.route read in full (to_dict) / bare Dijkstra {statistics.median(read):.1f}x "
        f"(pairs {min(read):.1f}-{max(read):.1f}x, no target)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

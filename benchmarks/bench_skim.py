"""A 50 x 50 skim against the loop of ``cr.route`` calls that gives the same numbers.

Run on demand (not part of the test suite):

    python benchmarks/bench_skim.py

Target (issue 13): ``cr.skim`` of 50 x 50 places at least 10x faster than 2,500 ``cr.route``
calls, measured in the same run, with every figure of every pair the same (pairs with no route
have the same reason). Both run on the same priced graph, priced before timing, and pandas (which
the table needs) is imported before timing. Exit status 1 when the figures differ or the ratio
is under the target.
"""

from __future__ import annotations

import math
import random
import statistics
import sys
import time

import corridors as cr

TARGET_RATIO = 10.0
SIZE = 50
REPEAT = 3
FIGURES = ("time_h", "cost_usd", "distance_km", "co2_kg")


def _places(net: cr.Network) -> tuple[list[str], list[str]]:
    """50 origins and 50 destinations among the cities and ports (a fixed seed)."""
    terminals = sorted(
        place for place, p in net.usable_nodes.items() if p.get("kind") in ("city", "port")
    )
    rng = random.Random(2026)
    return rng.sample(terminals, SIZE), rng.sample(terminals, SIZE)


def _loop(net: cr.Network, origins: list[str], destinations: list[str]) -> dict:
    out = {}
    for o in origins:
        for d in destinations:
            try:
                out[(o, d)] = cr.route(net, o, d)
            except (cr.NoRouteError, cr.UsageError) as exc:
                out[(o, d)] = str(exc)
    return out


def _differences(table, routes: dict) -> int:
    wrong = 0
    for row in table.itertuples():
        found = routes[(row.origin, row.destination)]
        if isinstance(found, str):
            wrong += not (math.isnan(row.time_h) and row.reason == found)
            continue
        same = all(
            math.isclose(getattr(row, f), getattr(found, f), rel_tol=1e-12, abs_tol=1e-9)
            for f in FIGURES
        )
        wrong += not (same and row.countries == "-".join(found.countries))
    return wrong


def main() -> int:
    net = cr.load_network(as_of="2026-11-26")
    origins, destinations = _places(net)
    cr.route(net, "xian", "duisburg")  # price the graph once, as a session would
    cr.skim(net, ["xian"], ["duisburg"])  # and import pandas, once a session, before timing
    # the median of three runs each, interleaved, so that load from elsewhere hits both alike
    skim_runs, loop_runs = [], []
    for _ in range(REPEAT):
        start = time.perf_counter()
        table = cr.skim(net, origins, destinations)
        skim_runs.append(time.perf_counter() - start)
        start = time.perf_counter()
        routes = _loop(net, origins, destinations)
        loop_runs.append(time.perf_counter() - start)
    skim_s, loop_s = statistics.median(skim_runs), statistics.median(loop_runs)
    wrong = _differences(table, routes)
    routed = int((table["reason"] == "").sum())
    ratio = loop_s / skim_s
    print(
        f"skim {SIZE}x{SIZE} ({routed} pairs with a route): {skim_s * 1000:8.1f} ms\n"
        f"loop of cr.route:                    {loop_s * 1000:8.1f} ms\n"
        f"ratio {ratio:5.1f}x   target >= {TARGET_RATIO:.0f}x   "
        f"{'ok' if ratio >= TARGET_RATIO else 'SLOW'}   pairs that differ: {wrong}"
    )
    return 1 if wrong or ratio < TARGET_RATIO else 0


if __name__ == "__main__":
    sys.exit(main())

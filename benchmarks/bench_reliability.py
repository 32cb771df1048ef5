"""Vectorised draws against re-pricing and routing once per draw.

Run on demand (not part of the test suite):

    python benchmarks/bench_reliability.py

Issue 12: 10,000 draws for one OD pair must run at least 20 times faster than 10,000 calls of
the router with re-priced waits (ratio in the same run). The per-call side is timed on 500
calls and scaled to 10,000 (each call is independent, so its time is linear in the count).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

import corridors as cr
from corridors import routing
from corridors.reliability import route_ranges

sys.path.insert(0, str(Path(__file__).parent))
from timing import median_seconds

DRAWS = 10_000
CALLS = 500
TARGET_RATIO = 20.0


def main() -> int:
    net = cr.load_network(as_of="2026-11-29")
    best = cr.route(net, "xian", "duisburg")
    vectorised = median_seconds(lambda: route_ranges([best], draws=DRAWS, seed=1), 5)
    priced = cr.price(net)
    rng = np.random.default_rng(1)
    borders = priced.parts["border_h"]
    start = time.perf_counter()
    for _ in range(CALLS):
        drawn = borders * rng.lognormal(-0.09, 0.42, size=borders.shape)
        routing.route(net, "xian", "duisburg", graph=cr.reprice(priced, border_h=drawn))
    per_call = (time.perf_counter() - start) / CALLS
    looped = per_call * DRAWS
    ratio = looped / vectorised
    print(f"{DRAWS:,} vectorised draws:               {vectorised * 1000:8.1f} ms")
    print(f"{DRAWS:,} re-priced routes (from {CALLS}):  {looped * 1000:8.1f} ms")
    verdict = "ok" if ratio >= TARGET_RATIO else "MISSED"
    print(f"ratio {ratio:.0f}x (target >= {TARGET_RATIO:.0f}x): {verdict}")
    return 0 if ratio >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())

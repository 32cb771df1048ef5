"""Re-pricing the routing graph with new waits against loading and routing from scratch.

Run on demand (not part of the test suite):

    python benchmarks/bench_pricing.py

Issue 10: re-pricing the bundled routing graph with new waits and routing again must be at least
20 times faster than loading the network, pricing it and routing (ratio measured in the same
run). "From scratch" clears the loaded-dataset cache, as a new process would have to.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

import corridors as cr

sys.path.insert(0, str(Path(__file__).parent))
from timing import median_seconds

from corridors import network, routing

TARGET_RATIO = 20.0
PAIR = ("xian", "duisburg")


def _from_scratch() -> None:
    network._LOADED.clear()
    net = cr.load_network(as_of="2026-11-29")
    cr.route(net, *PAIR)


def main() -> int:
    net = cr.load_network(as_of="2026-11-29")
    priced = cr.price(net)
    rng = np.random.default_rng(1)
    borders = priced.parts["border_h"]

    def repriced() -> None:
        drawn = borders * rng.lognormal(0.0, 0.3, size=borders.shape)
        routing.route(net, *PAIR, graph=cr.reprice(priced, border_h=drawn))

    repriced()  # the turn graph and caches warm once, as in a sweep
    scratch = median_seconds(_from_scratch, 5)
    again = median_seconds(repriced, 50)
    ratio = scratch / again
    print(f"load, price and route from scratch: {scratch * 1000:8.1f} ms")
    print(f"re-price waits and route again:     {again * 1000:8.1f} ms")
    verdict = "ok" if ratio >= TARGET_RATIO else "MISSED"
    print(f"ratio {ratio:.0f}x (target >= {TARGET_RATIO:.0f}x): {verdict}")
    return 0 if ratio >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())

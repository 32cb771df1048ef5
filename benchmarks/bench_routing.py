"""Median times of routing on the bundled network, and of the CLI from start to answer.

Run on demand (not part of the test suite):

    python benchmarks/bench_routing.py

Targets (issue 2): one ``route`` < 5 ms, ``alternatives(k=5)`` < 100 ms, CLI < 1.5 s. Also
reported: a route that must pass through two countries (4 copies of the graph; target 20 ms,
ours) and the five east-west corridor families of one pair (target 100 ms, ours).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
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
    failed = 0
    for name, seconds in results.items():
        ok = seconds <= TARGETS[name]
        failed += not ok
        print(
            f"{name:<16} {seconds * 1000:9.1f} ms   target {TARGETS[name] * 1000:7.0f} ms   "
            f"{'ok' if ok else 'SLOW'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

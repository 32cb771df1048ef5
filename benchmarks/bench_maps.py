"""Time ``corridors compare`` with its maps against ``--no-maps``, in the same run.

Run on demand (not part of the test suite):

    python benchmarks/bench_maps.py [--repeat N] [--out DIR]

Target (issue 15): ``compare`` with maps takes at most 2.5 times as long as with ``--no-maps``
(it took about 7 times before each map was drawn once). Both runs are whole CLI processes on the
default scenarios; they alternate, and the fastest and the median of ``--repeat`` runs of each
are reported (the fastest is the least disturbed by other work on a shared machine; the ratio
is taken on it), as wall time, which the target is about, and as CPU time (user + system of
the process and the workers that draw the maps, for the work done whatever the cores). Each map
is also checked to be rendered exactly once.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 2.5


def _run(args: list[str]) -> tuple[float, float]:
    """Run ``args``; return its wall time and its CPU time, seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _corridors() -> list[str]:
    exe = shutil.which("corridors")
    if exe is not None and Path(exe).parent == Path(sys.executable).parent:
        return [exe]
    return [sys.executable, "-m", "corridors"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (median reported)")
    parser.add_argument("--out", type=Path, default=None, help="keep the outputs here")
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="bench_maps_"))
    base = [*_corridors(), "compare"]
    times: dict[str, list[tuple[float, float]]] = {"no_maps": [], "maps": []}
    for i in range(args.repeat):
        for kind, extra in (("no_maps", ["--no-maps"]), ("maps", [])):
            folder = out / f"{kind}_{i}"
            times[kind].append(_run([*base, "--out", str(folder), "--force", *extra]))
    n_maps = len(list((out / "maps_0" / "maps").glob("*.png")))
    print(f"corridors compare (default scenarios), {args.repeat} runs each, fastest (median):")
    ratios = {}
    for j, what in enumerate(("wall", "cpu")):
        without = [t[j] for t in times["no_maps"]]
        with_maps = [t[j] for t in times["maps"]]
        ratios[what] = min(with_maps) / min(without)
        print(
            f"  {what:4s}: --no-maps {min(without):6.2f} s ({statistics.median(without):6.2f}), "
            f"with {n_maps} maps {min(with_maps):6.2f} s ({statistics.median(with_maps):6.2f}), "
            f"ratio {ratios[what]:.2f} (target <= {TARGET_RATIO})"
        )
    renders = _renders_per_map()
    print(f"  renders per map (Figure.draw calls while drawing and saving one): {renders}")
    if args.out is None:
        shutil.rmtree(out, ignore_errors=True)
    return 0 if ratios["wall"] <= TARGET_RATIO and renders == 1 else 1


def _renders_per_map() -> int:
    """Draw and save one comparison map, counting how often its figure is rendered."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    import corridors as cr
    from corridors import maps

    net = cr.load_network()
    routes = cr.alternatives(net, "xian", "duisburg", k=3)
    calls = 0
    original = Figure.draw

    def counting(self: Figure, renderer: object) -> None:
        nonlocal calls
        calls += 1
        original(self, renderer)

    Figure.draw = counting  # type: ignore[method-assign]
    try:
        with tempfile.TemporaryDirectory() as folder:
            maps.save_figure(maps.plot_routes(routes, net=net), Path(folder) / "m.png")
    finally:
        Figure.draw = original  # type: ignore[method-assign]
    return calls


if __name__ == "__main__":
    os.environ.setdefault("MPLBACKEND", "Agg")
    sys.exit(main())

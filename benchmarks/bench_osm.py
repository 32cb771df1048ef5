"""OSM import and routing on imported graphs: ours against OSMnx and NetworkX, same run.

Run on demand (not part of the test suite; the full run takes several minutes and ~5 GiB for
the OSMnx reference):

    python benchmarks/bench_osm.py                  # 100k-way comparison, then the 1M-way run
    python benchmarks/bench_osm.py --ways 20000 --big 0   # a quick look

Synthetic rail grids are written with pyosmium's ``SimpleWriter``
(``tests/osm_fixtures.write_rail_grid``: junctions, degree-2 chains of two ways per line,
gauge changes). Each measurement runs in a fresh subprocess, so its peak memory
(``resource.getrusage``, ``ru_maxrss``) is its own.

Targets (issue 15): import of the 100k-way file ≥ 20× faster than ``osmnx.graph_from_xml`` +
``simplify_graph`` on the same data, with the same edges; the 1M-way file imports with peak
memory < 4 GiB; a shortest path on the imported 1M-way graph ≥ 10× faster with csgraph than
with NetworkX on the same graph.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

TARGET_IMPORT_RATIO = 20.0
TARGET_MEMORY_GIB = 4.0
TARGET_ROUTING_RATIO = 10.0


def _grid_size(ways: int) -> int:
    """Smallest grid whose 4·s·(s−1) ways reach ``ways``."""
    return math.ceil((1 + math.sqrt(1 + ways)) / 2)


def _peak_gib() -> float:
    # ru_maxrss is in KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def _edge_digest(pairs: list[tuple[int, int]], lengths: list[float]) -> dict:
    """Count, sorted-edge hash and total length, to compare two graphs across processes."""
    text = ",".join(f"{u}-{v}" for u, v in sorted(pairs))
    return {
        "edges": len(pairs),
        "edges_sha1": hashlib.sha1(text.encode()).hexdigest(),
        "length_m": float(sum(lengths)),
    }


# --- measurements, each in its own process --------------------------------------------------
def _child_ours(path: str, route: bool) -> dict:
    import numpy as np
    import osmium  # noqa: F401  (imported before the clock starts, as OSMnx is)
    import pyproj  # noqa: F401
    import scipy.sparse.csgraph
    import scipy.spatial  # noqa: F401

    from corridors.osm import load_osm

    start = time.perf_counter()
    graph = load_osm(path, mode="rail")
    seconds = time.perf_counter() - start
    out = {
        "seconds": seconds,
        "peak_gib": _peak_gib(),
        "ways_per_s": None,
        "nodes": graph.number_of_nodes(),
        **_edge_digest(
            list(
                zip(graph.node_ids[graph.u].tolist(), graph.node_ids[graph.v].tolist(), strict=True)
            ),
            graph.length.tolist(),
        ),
    }
    if route:
        import networkx as nx

        rng = np.random.default_rng(15)
        pairs = rng.integers(0, graph.number_of_nodes(), size=(3, 2)).tolist()
        start = time.perf_counter()
        graph.shortest_path(*pairs[0])
        out["csgraph_first_s"] = time.perf_counter() - start  # includes building the CSR matrix
        ours, metres = [], []
        for a, b in pairs:
            start = time.perf_counter()
            found = graph.shortest_path(a, b)
            ours.append(time.perf_counter() - start)
            metres.append(found[2] if found else math.inf)
        reference = graph.to_networkx(geometry=False)
        theirs = []
        for (a, b), m in zip(pairs, metres, strict=True):
            start = time.perf_counter()
            length = nx.dijkstra_path_length(
                reference, int(graph.node_ids[a]), int(graph.node_ids[b]), weight="length"
            )
            theirs.append(time.perf_counter() - start)
            assert math.isclose(length, m, rel_tol=1e-9), (length, m)
        out["csgraph_s"] = statistics.median(ours)
        out["networkx_s"] = statistics.median(theirs)
        out["path_km"] = [m / 1000 for m in metres]
    return out


def _child_osmnx(path: str) -> dict:
    import osmnx as ox

    from corridors.osm import NODE_TAGS, WAY_TAGS

    # the same tags as ours, so that a change of gauge ends an edge in both
    ox.settings.useful_tags_way = [*ox.settings.useful_tags_way, *WAY_TAGS]
    ox.settings.useful_tags_node = [*ox.settings.useful_tags_node, *NODE_TAGS]
    start = time.perf_counter()
    graph = ox.graph_from_xml(path, bidirectional=True, simplify=False, retain_all=True)
    graph = ox.simplify_graph(graph, edge_attrs_differ=["gauge", "usage"])
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "peak_gib": _peak_gib(),
        "nodes": graph.number_of_nodes(),
        **_edge_digest(
            [(u, v) for u, v in graph.edges()], [d["length"] for *_, d in graph.edges(data=True)]
        ),
    }


def _run_child(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmark child {args} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the run ------------------------------------------------------------------------------------
def _write(path: Path, ways: int) -> dict:
    from osm_fixtures import write_rail_grid

    start = time.perf_counter()
    info = write_rail_grid(path, size=_grid_size(ways))
    info["write_s"] = time.perf_counter() - start
    info["mib"] = path.stat().st_size / 2**20
    return info


def _compare(workdir: Path, ways: int) -> bool:
    pbf, xml = workdir / "grid.osm.pbf", workdir / "grid.osm"
    info = _write(pbf, ways)
    _write(xml, ways)
    print(
        f"{info['ways']:,}-way rail grid: {info['nodes']:,} OSM nodes, "
        f"PBF {info['mib']:.1f} MiB, XML {xml.stat().st_size / 2**20:.0f} MiB"
    )
    ours_pbf = _run_child("ours", str(pbf))
    ours_xml = _run_child("ours", str(xml))
    theirs = _run_child("osmnx", str(xml))
    same = ours_pbf["edges_sha1"] == theirs["edges_sha1"] == ours_xml["edges_sha1"]
    length_ok = math.isclose(ours_pbf["length_m"], theirs["length_m"], rel_tol=1e-3)
    ratio_pbf = theirs["seconds"] / ours_pbf["seconds"]
    ratio_xml = theirs["seconds"] / ours_xml["seconds"]
    print(f"  {'':34} {'seconds':>9} {'peak GiB':>9} {'edges':>10}")
    for label, r in (
        ("osmnx graph_from_xml+simplify (XML)", theirs),
        ("corridors load_osm (PBF)", ours_pbf),
        ("corridors load_osm (XML)", ours_xml),
    ):
        print(f"  {label:<34} {r['seconds']:>9.2f} {r['peak_gib']:>9.2f} {r['edges']:>10,}")
    print(
        f"  same edges: {same}; total length {ours_pbf['length_m'] / 1000:,.1f} km vs "
        f"{theirs['length_m'] / 1000:,.1f} km (OSMnx)"
    )
    memory = theirs["peak_gib"] / ours_pbf["peak_gib"]
    print(
        f"  speed-up vs OSMnx: {ratio_pbf:.0f}× from PBF, {ratio_xml:.0f}× from XML "
        f"(target ≥ {TARGET_IMPORT_RATIO:.0f}×); peak memory {memory:.0f}× less"
    )
    return same and length_ok and min(ratio_pbf, ratio_xml) >= TARGET_IMPORT_RATIO


def _big(workdir: Path, ways: int) -> bool:
    pbf = workdir / "big.osm.pbf"
    info = _write(pbf, ways)
    print(
        f"{info['ways']:,}-way rail grid: {info['nodes']:,} OSM nodes, PBF {info['mib']:.0f} MiB "
        f"(written in {info['write_s']:.0f} s)"
    )
    r = _run_child("ours-route", str(pbf))
    ratio = r["networkx_s"] / r["csgraph_s"]
    print(
        f"  import: {r['seconds']:.1f} s, peak memory {r['peak_gib']:.2f} GiB "
        f"(target < {TARGET_MEMORY_GIB:.0f} GiB); {r['nodes']:,} nodes, {r['edges']:,} edges"
    )
    print(
        f"  shortest path (median of 3, {', '.join(f'{k:,.0f}' for k in r['path_km'])} km): "
        f"csgraph {r['csgraph_s']:.3f} s (first {r['csgraph_first_s']:.3f} s with the CSR "
        f"matrix), NetworkX {r['networkx_s']:.3f} s: {ratio:.0f}× (target ≥ "
        f"{TARGET_ROUTING_RATIO:.0f}×)"
    )
    return r["peak_gib"] < TARGET_MEMORY_GIB and ratio >= TARGET_ROUTING_RATIO


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ways", type=int, default=100_000, help="ways of the comparison")
    parser.add_argument("--big", type=int, default=1_000_000, help="ways of the big run (0: skip)")
    parser.add_argument("--child", nargs=2, metavar=("WHAT", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        what, path = args.child
        result = _child_osmnx(path) if what == "osmnx" else _child_ours(path, what == "ours-route")
        print(json.dumps(result))
        return 0
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-osm-") as tmp:
        if args.ways:
            ok &= _compare(Path(tmp), args.ways)
        if args.big:
            ok &= _big(Path(tmp), args.big)
    print("all targets met" if ok else "a target was missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Small synthetic OpenStreetMap extracts the OSM tests write themselves (XML and PBF).

A stretch along the Aras near Agarak and Meghri (lon 46.02-46.38, lat 38.86-38.94): a 1,520 mm
railway in two ways that meet at a station, a parallel primary road (M2) that crosses the
railway at the station node (the two share that node), a short 1,435 mm industrial spur, and
things that are neither (the river, a residential street, an abandoned railway) which a rail or
road graph must leave out.

    road  (M2)   r0 ─ r1 ─ … ─────── station ─────── … ─ r12
    rail  (1520) w0 ~ w1 ~ … ~ w6 ── station ── e1 ~ … ~ e6     (wiggles: ~2 % longer than a line)
                                        └─ spur (1435)
    river        ──────────────────────────────────────────     (waterway=river)
"""

from __future__ import annotations

import math
from pathlib import Path
from xml.sax.saxutils import quoteattr

STATION = 500
"""Id of the node rail and road share (Agarak station, a level crossing)."""
STATION_XY = (46.20, 38.905)
WEST_XY = (46.02, 38.93)
"""Western end of the railway (node 100)."""
EAST_XY = (46.38, 38.88)
"""Eastern end of the railway (node 206)."""
WEST_END = 100
EAST_END = 206


def _wiggle(a: tuple[float, float], b: tuple[float, float], n: int, amp: float) -> list:
    """Points from ``a`` to ``b`` (ends excluded) offset by a small sine across the line."""
    out = []
    for i in range(1, n):
        t = i / n
        lon = a[0] + (b[0] - a[0]) * t
        lat = a[1] + (b[1] - a[1]) * t + amp * math.sin(2 * math.pi * i / 2.5)
        out.append((round(lon, 6), round(lat, 6)))
    return out


def _build() -> tuple[dict[int, tuple[float, float, dict]], list[tuple[int, list[int], dict]]]:
    nodes: dict[int, tuple[float, float, dict]] = {}
    ways: list[tuple[int, list[int], dict]] = []

    def add(node_id: int, xy: tuple[float, float], tags: dict | None = None) -> int:
        nodes[node_id] = (xy[0], xy[1], tags or {})
        return node_id

    add(STATION, STATION_XY, {"railway": "station", "name": "Agarak"})
    rail = {"railway": "rail", "gauge": "1520", "usage": "main", "name": "Yerevan–Meghri railway"}
    west = [add(WEST_END, WEST_XY)]
    west += [add(101 + i, p) for i, p in enumerate(_wiggle(WEST_XY, STATION_XY, 7, 0.002))]
    west.append(STATION)
    east = [STATION]
    east += [add(201 + i, p) for i, p in enumerate(_wiggle(STATION_XY, EAST_XY, 7, 0.002))]
    east.append(add(EAST_END, EAST_XY))
    ways.append((1, west, {**rail, "maxspeed": "60"}))
    ways.append((2, east, {**rail, "maxspeed": "40"}))
    spur = [STATION, add(301, (46.205, 38.915)), add(302, (46.21, 38.925))]
    ways.append(
        (3, spur, {"railway": "rail", "gauge": "1435", "usage": "industrial", "service": "spur"})
    )

    road = {"highway": "primary", "ref": "M2", "name": "M2", "maxspeed": "70"}
    shifted_w = (WEST_XY[0], WEST_XY[1] + 0.006)
    shifted_e = (EAST_XY[0], EAST_XY[1] + 0.006)
    r_west = [add(400, shifted_w)]
    r_west += [add(401 + i, p) for i, p in enumerate(_wiggle(shifted_w, STATION_XY, 6, 0.001))]
    r_west.append(STATION)
    r_east = [STATION]
    r_east += [add(451 + i, p) for i, p in enumerate(_wiggle(STATION_XY, shifted_e, 6, 0.001))]
    r_east.append(add(460, shifted_e))
    ways.append((10, r_west + r_east[1:], road))
    ways.append(
        (
            11,
            [add(470, (46.24, 38.90)), add(471, (46.245, 38.915))],
            {
                "highway": "residential",
                "name": "Meghri street",
            },
        )
    )

    river = [add(600 + i, (46.0 + 0.05 * i, 38.87 - 0.002 * i)) for i in range(9)]
    ways.append((20, river, {"waterway": "river", "name": "Aras"}))
    ways.append(
        (
            21,
            [add(610, (46.10, 38.90)), add(611, (46.12, 38.90))],
            {
                "railway": "abandoned",
            },
        )
    )
    return nodes, ways


NODES, WAYS = _build()


def write_osm_xml(path: Path) -> Path:
    """Write the fixture as OSM XML (``.osm``) and return the path."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="tests">']
    for node_id, (lon, lat, tags) in NODES.items():
        if tags:
            lines.append(f'  <node id="{node_id}" version="1" lat="{lat}" lon="{lon}">')
            lines += [f"    <tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items()]
            lines.append("  </node>")
        else:
            lines.append(f'  <node id="{node_id}" version="1" lat="{lat}" lon="{lon}"/>')
    for way_id, refs, tags in WAYS:
        lines.append(f'  <way id="{way_id}" version="1">')
        lines += [f'    <nd ref="{ref}"/>' for ref in refs]
        lines += [f"    <tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items()]
        lines.append("  </way>")
    lines.append("</osm>")
    path = Path(path)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_osm_pbf(path: Path) -> Path:
    """Write the fixture as a PBF extract (``.osm.pbf``) with pyosmium and return the path."""
    import osmium

    path = Path(path)
    path.unlink(missing_ok=True)
    writer = osmium.SimpleWriter(str(path))
    try:
        for node_id, (lon, lat, tags) in sorted(NODES.items()):
            writer.add_node(
                osmium.osm.mutable.Node(id=node_id, version=1, location=(lon, lat), tags=tags)
            )
        for way_id, refs, tags in sorted(WAYS):
            writer.add_way(osmium.osm.mutable.Way(id=way_id, version=1, nodes=refs, tags=tags))
    finally:
        writer.close()
    return path


# --- awkward networks: every rule of simplification, compared with OSMnx in the tests ---------
def _tricky() -> tuple[dict[int, tuple[float, float, dict]], list[tuple[int, list[int], dict]]]:
    """Small road pieces, each testing one case of OSMnx's graph building and simplification.

    Each piece lies in its own 0.1° cell so that the pieces never touch.
    """
    nodes: dict[int, tuple[float, float, dict]] = {}
    ways: list[tuple[int, list[int], dict]] = []

    def line(first_id: int, cell: int, count: int, *, ring: bool = False) -> list[int]:
        ids = []
        for i in range(count):
            angle = 2 * math.pi * i / count
            if ring:
                xy = (44.0 + 0.1 * cell + 0.02 * math.cos(angle), 40.0 + 0.02 * math.sin(angle))
            else:  # a gentle zigzag eastwards
                xy = (44.0 + 0.1 * cell + 0.01 * i, 40.0 + 0.002 * (i % 2))
            nodes[first_id + i] = (round(xy[0], 7), round(xy[1], 7), {})
            ids.append(first_id + i)
        return ids

    primary = {"highway": "primary"}
    # 1 two ways meeting at a degree-2 node, tagged differently: one edge, merged tags
    a = line(1000, 0, 7)
    ways.append((1, a[:4], {**primary, "maxspeed": "90", "name": "Left"}))
    ways.append((2, a[3:], {**primary, "maxspeed": "60"}))
    # 2 one-way, then two-way: the change of direction ends an edge
    b = line(1100, 1, 7)
    ways.append((3, b[:4], {**primary, "oneway": "yes"}))
    ways.append((4, b[3:], primary))
    # 3 one-way against the drawing
    c = line(1200, 2, 4)
    ways.append((5, c, {"highway": "secondary", "oneway": "-1"}))
    # 4 a roundabout (one-way without the tag) with a two-way road to it
    d = line(1300, 3, 6, ring=True)
    ways.append((6, [*d, d[0]], {"highway": "tertiary", "junction": "roundabout"}))
    e = line(1310, 3, 3)
    nodes[1310] = (nodes[1310][0] + 0.03, nodes[1310][1], {})
    ways.append((7, [d[0], *e[1:]], {"highway": "tertiary"}))
    # 5 a closed ring with no junction: OSMnx leaves it unsimplified
    f = line(1400, 4, 5, ring=True)
    ways.append((8, [*f, f[0]], {"highway": "trunk"}))
    # 6 a lollipop: a stick and a loop back to its end
    g = line(1500, 5, 4)
    h = line(1510, 5, 4, ring=True)
    ways.append((9, [*g, h[0]], primary))
    ways.append((10, [*h, h[0]], primary))
    # 7 the same road drawn twice over the same nodes: parallel edges
    k = line(1600, 6, 4)
    ways.append((11, k, {"highway": "motorway", "ref": "M1"}))
    ways.append((12, k, {"highway": "motorway", "ref": "M1"}))
    # 8 class change at a degree-2 node (primary to secondary) ends an edge
    m = line(1700, 7, 6)
    ways.append((13, m[:3], primary))
    ways.append((14, m[2:], {"highway": "secondary"}))
    # 9 a node repeated in a row, and a way of the wrong kind sharing a node
    n = line(1800, 8, 4)
    ways.append((15, [n[0], n[1], n[1], n[2], n[3]], primary))
    ways.append((16, [n[1], 1900], {"highway": "footway"}))
    nodes[1900] = (nodes[n[1]][0], nodes[n[1]][1] + 0.01, {})
    # 10 a T junction: three edges meet
    t = line(2000, 9, 5)
    ways.append((17, t, primary))
    nodes[2010] = (nodes[t[2]][0], nodes[t[2]][1] + 0.02, {})
    ways.append((18, [t[2], 2010], primary))
    return nodes, ways


TRICKY_NODES, TRICKY_WAYS = _tricky()


def write_tricky_xml(path: Path) -> Path:
    """Write the awkward road network (:func:`_tricky`) as OSM XML and return the path."""
    return _write_xml(path, TRICKY_NODES, TRICKY_WAYS)


def _write_xml(path: Path, nodes: dict, ways: list) -> Path:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="tests">']
    for node_id, (lon, lat, _) in sorted(nodes.items()):
        lines.append(f'  <node id="{node_id}" version="1" lat="{lat}" lon="{lon}"/>')
    for way_id, refs, tags in ways:
        lines.append(f'  <way id="{way_id}" version="1">')
        lines += [f'    <nd ref="{ref}"/>' for ref in refs]
        lines += [f"    <tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items()]
        lines.append("  </way>")
    lines.append("</osm>")
    path = Path(path)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- synthetic rail grids of any size (tests and benchmarks/bench_osm.py) ----------------------
def write_rail_grid(path: Path, *, size: int, inner: int = 5) -> dict[str, int]:
    """Write a ``size`` × ``size`` grid of railways with pyosmium (PBF, or XML for ``.osm``).

    Junctions sit 0.02° apart from (30°E, 40°N); each line between neighbouring junctions has
    ``inner`` zigzag vertices and is drawn as two ways that meet at its middle vertex (a
    degree-2 node that simplification removes). Every line is ``railway=rail``,
    ``gauge=1520``; the two halves of every third line differ in ``maxspeed`` (a merged edge
    lists both) and the second half of every seventh line is ``gauge=1435`` (the change of
    gauge keeps the middle vertex as a node).

    Returns
    -------
    dict
        ``ways`` written, ``lines`` (grid lines), ``junctions``, ``gauge_breaks`` (lines
        cut in two by a change of gauge) and ``nodes`` written.
    """
    import osmium

    path = Path(path)
    path.unlink(missing_ok=True)
    spacing = 0.02
    writer = osmium.SimpleWriter(str(path))
    lines = []
    for r in range(size):
        for c in range(size):
            if c + 1 < size:
                lines.append(((r, c), (r, c + 1)))
            if r + 1 < size:
                lines.append(((r, c), (r + 1, c)))
    next_id = size * size + 1
    node = osmium.osm.mutable.Node
    way = osmium.osm.mutable.Way
    breaks = 0
    try:
        for r in range(size):
            for c in range(size):
                xy = (30.0 + spacing * c, 40.0 + spacing * r)
                writer.add_node(node(id=1 + r * size + c, version=1, location=xy))
        refs_of = []
        for (r0, c0), (r1, c1) in lines:
            refs = [1 + r0 * size + c0]
            for i in range(1, inner + 1):
                t = i / (inner + 1)
                off = 0.001 * (1 if i % 2 else -1)
                lon = 30.0 + spacing * (c0 + (c1 - c0) * t) + (off if r1 != r0 else 0.0)
                lat = 40.0 + spacing * (r0 + (r1 - r0) * t) + (off if c1 != c0 else 0.0)
                writer.add_node(node(id=next_id, version=1, location=(lon, lat)))
                refs.append(next_id)
                next_id += 1
            refs.append(1 + r1 * size + c1)
            refs_of.append(refs)
        mid = (inner + 1) // 2
        way_id = 1
        rail = {"railway": "rail", "gauge": "1520", "usage": "main"}
        for i, refs in enumerate(refs_of):
            second = dict(rail)
            if i % 3 == 0:
                second["maxspeed"] = "80"
            if i % 7 == 0:
                second["gauge"] = "1435"
                breaks += 1
            writer.add_way(way(id=way_id, version=1, nodes=refs[: mid + 1], tags=rail))
            writer.add_way(way(id=way_id + 1, version=1, nodes=refs[mid:], tags=second))
            way_id += 2
    finally:
        writer.close()
    return {
        "ways": 2 * len(lines),
        "lines": len(lines),
        "junctions": size * size,
        "gauge_breaks": breaks,
        "nodes": next_id - 1,
    }

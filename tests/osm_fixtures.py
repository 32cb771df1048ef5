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

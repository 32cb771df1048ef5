"""The streaming OSM import against OSMnx, hand counts and brute force; csgraph routing.

Every file is written by the tests (tests/osm_fixtures.py): the Aras stretch, an awkward road
network with one piece per rule of OSMnx's simplification, and small synthetic rail grids.
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

import networkx as nx
import numpy as np
import osm_fixtures as fx
import pytest

from corridors import osm
from corridors.osm_graph import EARTH_RADIUS_M, OSMGraph
from corridors.settings import settings

REL = 1e-3  # the brief's tolerance on lengths against OSMnx (0.1 %)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("osm_graph")
    grid_xml = base / "grid.osm"
    fx.write_rail_grid(grid_xml, size=6)
    grid_pbf = base / "grid.osm.pbf"
    fx.write_rail_grid(grid_pbf, size=6)
    return {
        "aras": fx.write_osm_xml(base / "aras.osm"),
        "tricky": fx.write_tricky_xml(base / "tricky.osm"),
        "grid": grid_xml,
        "grid_pbf": grid_pbf,
    }


def _osmnx_reference(path: Path, mode: str) -> nx.MultiDiGraph:
    """OSMnx's graph of the same file: graph_from_xml, the mode's edges, simplify_graph."""
    import osmnx as ox

    tags = {
        "useful_tags_way": [*ox.settings.useful_tags_way, *osm.WAY_TAGS],
        "useful_tags_node": [*ox.settings.useful_tags_node, *osm.NODE_TAGS],
    }
    saved = {k: getattr(ox.settings, k) for k in tags}
    try:
        for k, v in tags.items():
            setattr(ox.settings, k, v)
        graph = ox.graph_from_xml(
            path, bidirectional=(mode == "rail"), simplify=False, retain_all=True
        )
    finally:
        for k, v in saved.items():
            setattr(ox.settings, k, v)
    key, values = ("railway", osm.RAIL_VALUES) if mode == "rail" else ("highway", osm.ROAD_VALUES)
    graph.remove_edges_from(
        [(u, v, k) for u, v, k, d in graph.edges(keys=True, data=True) if d.get(key) not in values]
    )
    graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    differ = ["gauge", "usage"] if mode == "rail" else ["highway"]
    return ox.simplify_graph(graph, edge_attrs_differ=differ)


def _as_set(value: object) -> set:
    return set(value) if isinstance(value, list) else {value}


def _by_pair(graph: nx.MultiDiGraph) -> dict[tuple[int, int], list[dict]]:
    pairs: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for u, v, data in graph.edges(data=True):
        pairs[(u, v)].append(data)
    return {k: sorted(d, key=lambda e: e["length"]) for k, d in pairs.items()}


@pytest.mark.parametrize(
    ("name", "mode"), [("aras", "rail"), ("aras", "road"), ("tricky", "road"), ("grid", "rail")]
)
def test_same_edges_lengths_and_tags_as_osmnx(files, name, mode):
    ours = osm.load_osm(files[name], mode=mode)
    reference = _osmnx_reference(files[name], mode)
    assert ours.number_of_edges() == reference.number_of_edges()
    ours_nx = ours.to_networkx()
    assert sorted(ours_nx.nodes) == sorted(reference.nodes)
    assert sorted(ours_nx.edges) == sorted(reference.edges)
    mine, theirs = _by_pair(ours_nx), _by_pair(reference)
    for pair, edges in theirs.items():
        for a, b in zip(mine[pair], edges, strict=True):
            assert a["length"] == pytest.approx(b["length"], rel=REL)
            assert _as_set(a["osmid"]) == _as_set(b["osmid"])
            assert a["oneway"] == b["oneway"]
            assert _as_set(a["reversed"]) == _as_set(b["reversed"])
            for tag in osm.WAY_TAGS:
                assert _as_set(a.get(tag)) == _as_set(b.get(tag)), (pair, tag)
            if "geometry" in b:  # OSMnx draws only merged edges; ours draws every edge
                np.testing.assert_allclose(a["geometry"].coords, b["geometry"].coords, atol=1e-9)


def test_awkward_cases_by_hand(files):
    g = osm.load_osm(files["tricky"], mode="road").to_networkx()
    # 1: one edge each way over two ways, tags merged where they differ
    (left,) = g.get_edge_data(1000, 1006).values()
    assert sorted(left["osmid"]) == [1, 2] and sorted(left["maxspeed"]) == ["60", "90"]
    assert left["name"] == "Left"
    # 3: drawn eastwards but one-way westwards: only the edge from east to west
    assert g.has_edge(1203, 1200) and not g.has_edge(1200, 1203)
    # 5: a ring without a junction is left out (OSMnx's remove_rings)
    assert not [n for n in g if 1400 <= n < 1405]
    # 6: the loop of the lollipop is a self-loop at its junction, once each way
    assert g.number_of_edges(1510, 1510) == 2
    # 7: a road drawn twice gives parallel edges, and every vertex is a junction of the two
    assert g.number_of_edges(1600, 1601) == 2 and g.number_of_edges(1601, 1600) == 2
    # 8: the class change keeps node 1702
    assert 1702 in g and g.has_edge(1700, 1702) and g.has_edge(1702, 1705)
    # 9: a repeated node is not a loop, and the footway is not part of the road network
    assert 1900 not in g and not g.has_edge(1801, 1801) and g.has_edge(1800, 1803)


def test_grid_counts_by_hand(files):
    size = 6
    written = fx.write_rail_grid(files["grid"].with_name("again.osm.pbf"), size=size)
    graph = osm.load_osm(files["grid_pbf"], mode="rail")
    lines = [
        ((r, c), end)
        for r in range(size)
        for c in range(size)
        for end in ((r, c + 1), (r + 1, c))
        if max(end) < size
    ]
    assert written["lines"] == len(lines) and written["ways"] == 2 * len(lines)
    breaks = sum(1 for i in range(len(lines)) if i % 7 == 0)
    # a grid corner joins two lines and is no junction, unless the gauge changes there: the
    # half of line i ending at the corner is 1435 mm when i % 7 == 0 and it is the second half
    corners = {(0, 0), (0, size - 1), (size - 1, 0), (size - 1, size - 1)}
    gauges: dict[tuple[int, int], set[str]] = defaultdict(set)
    for i, (a, b) in enumerate(lines):
        for point, second in ((a, False), (b, True)):
            if point in corners:
                gauges[point].add("1435" if second and i % 7 == 0 else "1520")
    kept = sum(1 for g in gauges.values() if len(g) > 1)
    assert graph.number_of_nodes() == size * size - 4 + kept + breaks
    # each line is one edge each way, two where the gauge changes; merged at open corners
    assert graph.number_of_edges() == 2 * (len(lines) + breaks - (4 - kept))
    assert int(graph.tag_id.max()) < len(graph.tag_sets)
    assert repr(graph).startswith(f"<OSMGraph rail: {graph.number_of_nodes()} nodes")
    assert len(graph.osmid) == 2 * (2 * len(lines))  # each edge lists the ways it runs over


def test_length_is_the_great_circle_on_the_osmnx_sphere(tmp_path):
    path = fx._write_xml(
        tmp_path / "one.osm",
        {1: (44.0, 40.0, {}), 2: (44.01, 40.0, {}), 3: (44.01, 40.01, {})},
        [(1, [1, 2, 3], {"railway": "rail"})],
    )
    graph = osm.load_osm(path, mode="rail")
    phi = math.radians(40.0)
    # haversine by hand: east along the parallel, then north along the meridian
    east = 2 * EARTH_RADIUS_M * math.asin(math.cos(phi) * math.sin(math.radians(0.01) / 2))
    north = EARTH_RADIUS_M * math.radians(0.01)
    assert graph.length[0] == pytest.approx(east + north, rel=1e-9)


def test_a_node_missing_from_the_file_splits_the_way(tmp_path):
    path = fx._write_xml(
        tmp_path / "gap.osm",
        {i: (44.0 + 0.01 * i, 40.0, {}) for i in (1, 2, 4, 5)},
        [(1, [1, 2, 3, 4, 5], {"railway": "rail"})],
    )
    graph = osm.load_osm(path, mode="rail")
    assert sorted(graph.to_networkx().edges) == [(1, 2, 0), (2, 1, 0), (4, 5, 0), (5, 4, 0)]


def test_round_trip_through_networkx(files):
    graph = osm.load_osm(files["tricky"], mode="road")
    back = OSMGraph.from_networkx(graph.to_networkx())
    assert back.number_of_edges() == graph.number_of_edges()
    np.testing.assert_array_equal(back.node_ids, graph.node_ids)

    def rows(g: OSMGraph) -> list:
        return sorted(zip(g.u.tolist(), g.v.tolist(), g.length.round(6).tolist(), strict=True))

    assert rows(back) == rows(graph)
    assert back.graph["mode"] == "road"


def test_nearest_node_agrees_with_brute_force(files):
    graph = osm.load_osm(files["grid_pbf"], mode="rail")
    rng = np.random.default_rng(7)
    for lon, lat in zip(rng.uniform(29.9, 30.2, 40), rng.uniform(39.9, 40.2, 40), strict=True):
        i, km = graph.nearest(lon, lat)
        lam, phi = np.radians(graph.lon - lon), np.radians(graph.lat)
        h = (
            np.sin((phi - math.radians(lat)) / 2) ** 2
            + math.cos(math.radians(lat)) * np.cos(phi) * np.sin(lam / 2) ** 2
        )
        brute = 2 * EARTH_RADIUS_M / 1000 * np.arcsin(np.sqrt(h))
        assert km == pytest.approx(brute.min(), abs=1e-6)
        assert brute[i] == pytest.approx(brute.min(), abs=1e-6)


def test_shortest_path_equals_networkx(files):
    graph = osm.load_osm(files["grid_pbf"], mode="rail")
    reference = graph.to_networkx(geometry=False)
    ids = graph.node_ids
    rng = np.random.default_rng(3)
    for a, b in rng.integers(0, len(ids), size=(10, 2)).tolist():
        if a == b:
            continue
        nodes, edges, metres = graph.shortest_path(a, b)
        expected = nx.shortest_path_length(reference, ids[a], ids[b], weight="length")
        assert metres == pytest.approx(expected, rel=1e-12)
        assert [int(graph.u[e]) for e in edges] == nodes[:-1]
        assert [int(graph.v[e]) for e in edges] == nodes[1:]
        coords = graph.path_coords(edges)
        assert tuple(coords[0]) == (graph.lon[a], graph.lat[a])
        assert tuple(coords[-1]) == (graph.lon[b], graph.lat[b])


def test_no_path_is_none(tmp_path):
    path = fx._write_xml(
        tmp_path / "two.osm",
        {i: (44.0 + 0.01 * i, 40.0, {}) for i in (1, 2, 4, 5)},
        [(1, [1, 2], {"railway": "rail"}), (2, [4, 5], {"railway": "rail"})],
    )
    graph = osm.load_osm(path, mode="rail")
    assert graph.shortest_path(0, 3) is None


def test_refine_on_the_arrays_equals_refine_on_networkx(files, tmp_path):
    import toy

    west, east = (fx.WEST_XY[0] - 0.002, fx.WEST_XY[1]), (fx.EAST_XY[0] + 0.002, fx.EAST_XY[1])

    def node(node_id, xy):
        props = {"id": node_id, "name": node_id, "country": "ARM", "kind": "station"}
        return {"properties": {**props, "source": "test"}, "geometry": {"type": "Point",
                "coordinates": list(xy)}}  # fmt: skip

    link = {
        "properties": {
            "id": "l",
            "u": "w",
            "v": "e",
            "mode": "rail",
            "gauge_mm": 1520,
            "country": "ARM",
            "length_km": 35.0,
            "length_source": "test",
            "status": toy.OPEN,
            "tags": [],
            "source": "test",
        },
        "geometry": {"type": "LineString", "coordinates": [list(west), list(east)]},
    }
    import corridors as cr

    net = cr.load_network(
        toy.write_dataset(tmp_path, nodes=[node("w", west), node("e", east)], links=[link]),
        as_of="2025-01-01",
    )
    arrays = osm.load_osm(files["aras"], mode="rail")
    a_net, a_report = osm.refine(net, arrays, links="l", replace_length=True)
    b_net, b_report = osm.refine(net, arrays.to_networkx(), links="l", replace_length=True)
    assert a_report.to_dict() == b_report.to_dict()
    assert a_net.link_records["l"]["coords"] == b_net.link_records["l"]["coords"]


def test_a_progress_bar_counts_the_objects_read(files, monkeypatch, capsys):
    monkeypatch.setattr(settings, "progress", True)
    osm.load_osm(files["grid_pbf"], mode="rail")
    assert "read OSM" in capsys.readouterr().err
    monkeypatch.setattr(settings, "progress", False)
    osm.load_osm(files["grid_pbf"], mode="rail")
    assert "read OSM" not in capsys.readouterr().err


def test_escaped_tags_and_a_way_without_nodes(tmp_path):
    name = "Line 1, km 5=end 100% ready"
    path = tmp_path / "odd.osm"
    path.write_text(
        '<osm version="0.6"><node id="1" lat="40.0" lon="44.0"/><node id="2" lat="40.0" '
        'lon="44.01"/><way id="1"><nd ref="1"/><nd ref="2"/><tag k="railway" v="rail"/>'
        f'<tag k="name" v="{name}"/></way><way id="2"><tag k="railway" v="rail"/></way></osm>',
        encoding="utf-8",
    )
    graph = osm.load_osm(path, mode="rail")
    assert graph.number_of_edges() == 2
    assert {graph.edge_data(e)["name"] for e in range(2)} == {name}
    assert set(graph.osmid.tolist()) == {1}

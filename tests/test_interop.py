"""OSMnx and NetworkX functions on ``net.graph`` (issue 14): each call the README promises."""

from __future__ import annotations

import json
from itertools import pairwise

import networkx as nx
import pytest
import shapely

import corridors as cr

ox = pytest.importorskip("osmnx")
pyogrio = pytest.importorskip("pyogrio")


@pytest.fixture(scope="module")
def graph(bundled: cr.Network) -> nx.MultiDiGraph:
    return bundled.at("2026-11-26").graph


def test_osmnx_shortest_path_by_length_matches_networkx(graph):
    # OSMnx reads a bare string as a list of origins (a str is iterable): lists of place ids
    [path] = ox.routing.shortest_path(graph, ["baku"], ["kars"], weight="length")
    assert path[0] == "baku" and path[-1] == "kars"
    assert path == nx.shortest_path(graph, "baku", "kars", weight="length")
    # its length is the sum of the cheapest parallel links' lengths along it, in metres
    metres = sum(min(d["length"] for d in graph[u][v].values()) for u, v in pairwise(path))
    assert metres == pytest.approx(nx.shortest_path_length(graph, "baku", "kars", "length"))
    # and a path found by OSMnx has edge lengths in metres: Baku-Kars is over 800 km by land
    assert 800_000 < metres < 2_000_000


def test_every_edge_has_an_osmid_and_keys_are_link_ids(graph, bundled):
    for u, v, key, data in graph.edges(keys=True, data=True):
        assert data["osmid"] == key == data["link"]
        link = bundled.at("2026-11-26").link_records[key]
        assert {u, v} == {link["u"], link["v"]}
        assert data["length"] == pytest.approx(link["length_km"] * 1000)


def test_street_count_is_what_osmnx_counts(graph):
    counted = ox.stats.count_streets_per_node(graph)
    assert counted == {n: d["street_count"] for n, d in graph.nodes(data=True)}


def test_basic_stats(graph):
    stats = ox.basic_stats(graph)
    assert stats["n"] == graph.number_of_nodes()
    assert stats["m"] == graph.number_of_edges()
    # total edge length, both directions of two-way links: the records' km × 1000
    total = sum(d["length"] for _, _, d in graph.edges(data=True))
    assert stats["edge_length_total"] == pytest.approx(total)
    # "streets" are links counted once: the undirected length is the sum over usable links
    once = {k: d["length"] for _, _, k, d in graph.edges(keys=True, data=True)}
    assert stats["street_length_total"] == pytest.approx(sum(once.values()))


def test_save_graph_geopackage(graph, tmp_path):
    path = tmp_path / "network.gpkg"
    ox.save_graph_geopackage(graph, path)
    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert {"nodes", "edges"} <= layers
    nodes = pyogrio.read_dataframe(path, layer="nodes")
    edges = pyogrio.read_dataframe(path, layer="edges")
    assert len(nodes) == graph.number_of_nodes()
    # one row per link: OSMnx pairs the two directions by osmid and geometry
    assert len(edges) == len({k for _, _, k in graph.edges(keys=True)})
    assert set(edges["osmid"]) == {k for _, _, k in graph.edges(keys=True)}


def test_osmnx_graphml_round_trip(graph, tmp_path):
    path = tmp_path / "network.graphml"
    ox.save_graphml(graph, path)
    back = ox.load_graphml(path, **cr.GRAPHML_DTYPES)
    assert back.graph == graph.graph
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
    assert set(back.edges(keys=True)) == set(graph.edges(keys=True))
    for u, v, key, data in graph.edges(keys=True, data=True):
        loaded = dict(back.edges[u, v, key])
        assert loaded.pop("geometry").equals(data["geometry"])
        assert loaded == {k: val for k, val in data.items() if k != "geometry"}
    # types too: a figure is a number, a list a list
    kars = back.nodes["kars"]
    assert isinstance(kars["transfer_hours"], int | float) and isinstance(kars["aliases"], list)


def test_osmnx_graphml_without_dtypes_fails_on_place_ids(graph, tmp_path):
    # why GRAPHML_DTYPES exists: OSMnx makes node ids integers by default
    path = tmp_path / "network.graphml"
    ox.save_graphml(graph, path)
    with pytest.raises(ValueError, match="invalid literal for int"):
        ox.load_graphml(path)


def test_networkx_write_graphml(graph, tmp_path):
    with pytest.raises(nx.NetworkXError):  # lists and geometries: not GraphML types
        nx.write_graphml(graph, tmp_path / "raw.graphml")
    path = tmp_path / "network.graphml"
    nx.write_graphml(cr.graphml_ready(graph), path)
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    kars = back.nodes["kars"]
    assert kars["x"] == pytest.approx(graph.nodes["kars"]["x"])
    assert json.loads(kars["aliases"]) == graph.nodes["kars"]["aliases"]
    for u, v, key, data in graph.edges(keys=True, data=True):
        written = back.edges[u, v, key]
        assert written["length"] == pytest.approx(data["length"])
        assert json.loads(written["tags"]) == data["tags"]
        assert shapely.from_wkt(written["geometry"]).equals(data["geometry"])
    # the network's own graph is untouched
    assert isinstance(graph.nodes["kars"]["aliases"], list)


def test_graph_lists_are_not_shared_with_the_records(bundled):
    net = bundled.at("2026-11-26")
    graph = net.graph
    edge = graph.edges["alat", "baku", "rail_baku_alat"]
    edge["tags"].append("mine")
    assert "mine" not in net.link_records["rail_baku_alat"]["tags"]
    assert "mine" not in graph.edges["baku", "alat", "rail_baku_alat"]["tags"]
    edge["tags"].remove("mine")

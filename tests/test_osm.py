"""OpenStreetMap: loading XML and PBF offline, keeping rail and road apart, refining links.

Every fixture is written by the tests (tests/osm_fixtures.py): a synthetic stretch along the
Aras near Agarak and Meghri with a railway and a road that share the station node.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import osm_fixtures as fx
import pytest
import toy
from click.testing import CliRunner
from pyproj import Geod

import corridors as cr
from corridors import osm
from corridors._cli_osm import osm as osm_cli
from corridors.osm_graph import OSMGraph

GEOD = Geod(ellps="WGS84")
OSM_TEXT = "OpenStreetMap contributors, ODbL"
# Corridor nodes a little off the OSM ends (~0.2-0.3 km), as a schematic dataset has them.
WEST = (fx.WEST_XY[0] - 0.002, fx.WEST_XY[1] + 0.001)
EAST = (fx.EAST_XY[0] + 0.002, fx.EAST_XY[1] - 0.001)
FAR = (46.15, 39.15)  # Kajaran-ish, ~25 km north of the railway
PUBLISHED_KM = 35.0


@pytest.fixture(scope="module")
def osm_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("osm")
    return {
        "xml": fx.write_osm_xml(base / "aras.osm"),
        "pbf": fx.write_osm_pbf(base / "aras.osm.pbf"),
    }


@pytest.fixture(scope="module")
def rail_arrays(osm_files: dict[str, Path]) -> OSMGraph:
    return osm.load_osm(osm_files["xml"], mode="rail")


@pytest.fixture(scope="module")
def rail(rail_arrays: OSMGraph):
    return rail_arrays.to_networkx()


@pytest.fixture(scope="module")
def road(osm_files: dict[str, Path]):
    return osm.load_osm(osm_files["xml"], mode="road").to_networkx()


def _node(node_id: str, xy: tuple[float, float], name: str) -> dict:
    props = {"id": node_id, "name": name, "country": "ARM", "kind": "station", "source": "test"}
    return {"properties": props, "geometry": {"type": "Point", "coordinates": list(xy)}}


def _link(link_id: str, u: tuple, v: tuple, mode: str, length_km: float, source: str) -> dict:
    mid = ((u[1][0] + v[1][0]) / 2, (u[1][1] + v[1][1]) / 2)
    props = {
        "id": link_id,
        "u": u[0],
        "v": v[0],
        "mode": mode,
        "gauge_mm": 1520 if mode == "rail" else None,
        "country": "ARM",
        "length_km": length_km,
        "length_source": source,
        "status": toy.OPEN,
        "tags": ["aras_corridor"],
        "source": "test fixture",
    }
    coords = [list(u[1]), list(mid), list(v[1])]
    return {"properties": props, "geometry": {"type": "LineString", "coordinates": coords}}


@pytest.fixture(scope="module")
def aras_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    west, east, far = ("west", WEST), ("east", EAST), ("far", FAR)
    straight = toy.geodesic_km(WEST, EAST)
    return toy.write_dataset(
        tmp_path_factory.mktemp("aras"),
        nodes=[
            _node("west", WEST, "Agarak West"),
            _node("east", EAST, "Meghri East"),
            _node("far", FAR, "Far Away"),
        ],
        links=[
            _link("rail_west_east", west, east, "rail", PUBLISHED_KM, "test: published 35 km"),
            _link("road_west_east", west, east, "road", round(straight + 0.5), "geodesic"),
            _link("rail_west_far", west, far, "rail", 40.0, "geodesic"),
        ],
    )


@pytest.fixture(scope="module")
def aras_net(aras_dir: Path) -> cr.Network:
    return cr.load_network(aras_dir, as_of="2025-01-01")


# --- loading ---------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["xml", "pbf"])
def test_xml_and_pbf_load_the_same_rail_graph(osm_files, kind):
    compact = osm.load_osm(osm_files[kind], mode="rail")
    assert isinstance(compact, OSMGraph) and compact.number_of_edges() == 6
    graph = compact.to_networkx()
    assert graph.graph["crs"] == "EPSG:4326"
    assert graph.graph["mode"] == "rail"
    assert graph.graph["source"] == str(osm_files[kind])
    # simplified: the ends, the station (where the spur branches off) and the spur's end;
    # three edges, each both ways
    assert sorted(graph.nodes) == sorted([fx.WEST_END, fx.EAST_END, fx.STATION, 302])
    assert graph.number_of_edges() == 6
    for _, _, data in graph.edges(data=True):
        assert data["length"] > 0 and data["geometry"].geom_type == "LineString"
    assert {n: (round(d["x"], 6), round(d["y"], 6)) for n, d in graph.nodes(data=True)}[
        fx.STATION
    ] == fx.STATION_XY


def test_pbf_and_xml_agree(osm_files, rail):
    from_pbf = osm.load_osm(osm_files["pbf"], mode="rail").to_networkx()
    assert sorted(from_pbf.edges) == sorted(rail.edges)
    total = sum(d["length"] for *_, d in rail.edges(data=True))
    assert sum(d["length"] for *_, d in from_pbf.edges(data=True)) == pytest.approx(total)
    road_pbf = osm.load_osm(osm_files["pbf"], mode="road")
    assert road_pbf.number_of_edges() == 2


def test_rail_and_road_are_kept_apart_where_they_share_a_node(rail, road):
    assert all(
        d.get("railway") == "rail" and d.get("highway") is None for *_, d in rail.edges(data=True)
    )
    assert all(
        d.get("highway") == "primary" and d.get("railway") is None
        for *_, d in road.edges(data=True)
    )
    # the shared station is a junction of the railway; the road runs through it unbroken
    assert fx.STATION in rail and fx.STATION not in road
    # neither the river, nor the residential street, nor the abandoned railway
    names = {d.get("name") for *_, d in rail.edges(data=True)} | {
        d.get("name") for *_, d in road.edges(data=True)
    }
    assert "Aras" not in names and "Meghri street" not in names
    assert not ({600, 610, 470} & (set(rail) | set(road)))


def test_tags_are_kept(rail, road):
    west = rail.get_edge_data(fx.WEST_END, fx.STATION)[0]
    east = rail.get_edge_data(fx.STATION, fx.EAST_END)[0]
    assert (west["gauge"], west["usage"], west["maxspeed"]) == ("1520", "main", "60")
    assert east["maxspeed"] == "40" and east["name"] == "Yerevan–Meghri railway"
    spur = rail.get_edge_data(fx.STATION, 302)[0]
    assert (spur["gauge"], spur["usage"]) == ("1435", "industrial")
    assert rail.nodes[fx.STATION]["railway"] == "station"
    (edge,) = [d for u, v, d in road.edges(data=True) if u < v]
    assert (edge["highway"], edge["ref"], edge["name"], edge["maxspeed"]) == (
        "primary",
        "M2",
        "M2",
        "70",
    )


def test_simplify_false_keeps_every_vertex(osm_files, rail):
    raw = osm.load_osm(osm_files["xml"], mode="rail", simplify=False).to_networkx()
    assert len(raw) > len(rail) and all(
        d.get("railway") == "rail" for *_, d in raw.edges(data=True)
    )


@pytest.mark.parametrize("kind", ["xml", "pbf"])
def test_bbox_clips(osm_files, kind):
    west_half = osm.load_osm(
        osm_files[kind], mode="rail", bbox=(46.0, 38.85, 46.201, 38.95)
    ).to_networkx()
    assert all(d["x"] <= 46.201 for _, d in west_half.nodes(data=True))
    assert fx.WEST_END in west_half and fx.EAST_END not in west_half
    assert west_half.graph["bbox"] == [46.0, 38.85, 46.201, 38.95]


def test_bbox_with_nothing_inside_is_an_error(osm_files):
    with pytest.raises(osm.OSMError, match=r"no rail ways .* inside bbox"):
        osm.load_osm(osm_files["xml"], mode="rail", bbox=(40.0, 40.0, 40.1, 40.1))


def test_osmnx_settings_are_restored(osm_files):
    import osmnx as ox

    before = list(ox.settings.useful_tags_way)
    osm.load_osm(osm_files["xml"], mode="road")
    assert ox.settings.useful_tags_way == before


@pytest.mark.parametrize(
    ("source", "kwargs", "error", "text"),
    [
        ("aras.shp", {"mode": "rail"}, cr.UsageError, "unknown OSM file type"),
        ("missing.osm.pbf", {"mode": "rail"}, cr.UsageError, "does not exist"),
        ("missing.osm", {"mode": "rail"}, cr.UsageError, "does not exist"),
        ("x.osm", {"mode": "ferry"}, cr.UsageError, "unknown OSM mode"),
        ("overpass", {"mode": "rail"}, cr.UsageError, "needs a bbox"),
        ("overpass", {"mode": "rail", "bbox": (46.4, 38.85, 46.0, 38.95)}, cr.UsageError, "west"),
        ("overpass", {"mode": "rail", "bbox": (1, 2, 3)}, cr.UsageError, "four numbers"),
    ],
)
def test_bad_arguments_are_one_line_errors(tmp_path, source, kwargs, error, text):
    if source == "aras.shp":
        (tmp_path / source).write_text("not osm")
    path = source if source == "overpass" else tmp_path / source
    with pytest.raises(error, match=text) as info:
        osm.load_osm(path, **kwargs)
    assert "\n" not in str(info.value)


def test_unreadable_files_are_one_line_errors(tmp_path):
    bad_xml = tmp_path / "bad.osm"
    bad_xml.write_text("<osm><node id='1'")
    bad_pbf = tmp_path / "bad.osm.pbf"
    bad_pbf.write_bytes(b"this is not a pbf")
    for path in (bad_xml, bad_pbf):
        with pytest.raises(osm.OSMError, match=path.name) as info:
            osm.load_osm(path, mode="rail")
        assert "\n" not in str(info.value)


def test_compressed_xml_loads(osm_files, tmp_path, rail):
    import bz2

    packed = tmp_path / "aras.osm.bz2"
    packed.write_bytes(bz2.compress(osm_files["xml"].read_bytes()))
    assert sorted(osm.load_osm(packed, mode="rail").to_networkx().edges) == sorted(rail.edges)


def test_an_empty_file_is_an_error(tmp_path):
    empty = tmp_path / "empty.osm"
    empty.write_text('<?xml version="1.0"?>\n<osm version="0.6"></osm>\n')
    with pytest.raises(osm.OSMError, match=r"empty\.osm: no road ways"):
        osm.load_osm(empty, mode="road")


def test_a_file_without_the_mode_is_an_error(tmp_path):
    only_road = tmp_path / "road.osm"
    only_road.write_text(
        '<osm version="0.6"><node id="1" lat="38.9" lon="46.0"/><node id="2" lat="38.9" '
        'lon="46.1"/><way id="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/></way>'
        "</osm>"
    )
    with pytest.raises(osm.OSMError, match="no rail ways"):
        osm.load_osm(only_road, mode="rail")


def test_overpass_offline_fails_fast_and_clearly(monkeypatch):
    import osmnx as ox

    def no_network(*args, **kwargs):
        raise OSError("[Errno -3] Temporary failure in name resolution")

    def must_not_be_called(*args, **kwargs):
        raise AssertionError("Overpass was queried although offline")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(ox, "graph_from_bbox", must_not_be_called)
    start = time.perf_counter()
    with pytest.raises(osm.OSMError, match=r"cannot reach the Overpass API.*offline") as info:
        osm.load_osm("overpass", mode="rail", bbox=(46.0, 38.85, 46.4, 38.95))
    assert time.perf_counter() - start < 1.0
    assert "\n" not in str(info.value) and "geofabrik" in str(info.value)
    assert isinstance(info.value, cr.CorridorsError)


def test_overpass_uses_a_filter_and_no_rate_limit(monkeypatch, rail):
    import osmnx as ox

    calls = []

    class Connection:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def fake_bbox(bbox, **kwargs):
        calls.append((bbox, kwargs, ox.settings.overpass_rate_limit, ox.settings.requests_timeout))
        return rail.copy()  # already simplified: good enough to check the pipeline

    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: Connection())
    monkeypatch.setattr(ox, "graph_from_bbox", fake_bbox)
    graph = osm.load_osm("overpass", mode="rail", bbox=(46.0, 38.85, 46.4, 38.95), simplify=False)
    ((bbox, kwargs, rate_limit, timeout),) = calls
    assert bbox == (46.0, 38.85, 46.4, 38.95)
    assert kwargs["custom_filter"] == '["railway"="rail"]' and kwargs["simplify"] is False
    assert rate_limit is False and timeout <= 60
    assert ox.settings.overpass_rate_limit is True  # restored
    assert graph.graph["source"] == "Overpass API" and graph.graph["mode"] == "rail"


def test_overpass_failure_is_one_line(monkeypatch):
    import osmnx as ox

    class Connection:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def timeout(*args, **kwargs):
        raise TimeoutError("Read timed out.\n(read timeout=60)")

    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: Connection())
    monkeypatch.setattr(ox, "graph_from_bbox", timeout)
    with pytest.raises(osm.OSMError, match="Overpass download failed") as info:
        osm.load_osm("overpass", mode="road", bbox=(46.0, 38.85, 46.4, 38.95))
    assert "\n" not in str(info.value)


def test_summary_counts_two_way_edges_once(rail):
    table = osm.summary(rail)
    by_gauge = dict(zip(table["class"], table["km"], strict=True))
    assert set(by_gauge) == {"1520", "1435"}
    assert by_gauge["1520"] == pytest.approx(31.84, abs=0.05)
    assert table["edges"].sum() == 3


def test_to_gpkg_writes_nodes_and_edges(tmp_path, rail):
    import geopandas as gpd

    path = osm.to_gpkg(rail, tmp_path / "rail.gpkg")
    edges = gpd.read_file(path, layer="edges")
    nodes = gpd.read_file(path, layer="nodes")
    assert len(edges) == 3 and len(nodes) == 4
    assert set(edges["gauge"]) == {"1520", "1435"}
    assert [p.name for p in tmp_path.iterdir()] == ["rail.gpkg"]  # no temporary file left


# --- refinement --------------------------------------------------------------------------
def test_refine_replaces_the_geometry_and_keeps_the_length(aras_net, rail):
    before = aras_net.link_records["rail_west_east"]
    refined, report = osm.refine(aras_net, rail, links=["rail_west_east"])
    after = refined.link_records["rail_west_east"]
    assert len(after["coords"]) > len(before["coords"]) + 10  # follows the OSM vertices
    assert after["coords"][0] == WEST and after["coords"][-1] == EAST  # pinned to the nodes
    # the OSM vertices are on the new line, in order
    osm_points = [(lon, lat) for lon, lat, _ in (fx.NODES[n] for n in (101, 103, fx.STATION, 204))]
    positions = [after["coords"].index(p) for p in osm_points]
    assert positions == sorted(positions)
    assert after["length_km"] == PUBLISHED_KM and after["length_source"] == before["length_source"]
    assert after["source"] == f"test fixture; {OSM_TEXT}"
    # the input network is untouched
    assert aras_net.link_records["rail_west_east"]["coords"] == before["coords"]
    assert OSM_TEXT not in before["source"]
    assert list(report.columns) == list(osm.REPORT_COLUMNS)
    row = report.iloc[0]
    assert row["link"] == "rail_west_east" and row["old_km"] == PUBLISHED_KM
    assert row["osm_nodes"] == 3  # simplified graph: west end, station (spur junction), east end
    assert row["drawn_new_km"] > row["drawn_old_km"]


def test_refine_path_length_is_the_osm_length(aras_net, rail):
    _, report = osm.refine(aras_net, rail, links="rail_west_east")
    row = report.iloc[0]
    osm_km = (
        sum(
            rail.get_edge_data(u, v)[0]["length"]
            for u, v in ((fx.WEST_END, fx.STATION), (fx.STATION, fx.EAST_END))
        )
        / 1000
    )
    connectors = toy.geodesic_km(WEST, fx.WEST_XY) + toy.geodesic_km(EAST, fx.EAST_XY)
    assert row["new_km"] == pytest.approx(osm_km + connectors, abs=0.01)
    assert row["change_pct"] == pytest.approx(
        (row["new_km"] - PUBLISHED_KM) / PUBLISHED_KM * 100, abs=0.01
    )
    assert row["drawn_new_km"] == pytest.approx(row["new_km"], rel=0.005)  # geodesic vs haversine


def test_refine_with_replace_length_changes_the_routes(aras_net, rail):
    before = cr.route(aras_net, "west", "east", weight="distance", modes=["rail"])
    assert before.distance_km == pytest.approx(PUBLISHED_KM)
    refined, report = osm.refine(aras_net, rail, links=["rail_west_east"], replace_length=True)
    link = refined.link_records["rail_west_east"]
    new_km = report.iloc[0]["new_km"]
    assert link["length_km"] == round(new_km, 1) < PUBLISHED_KM
    assert link["length_source"].startswith(f"{OSM_TEXT}: path length")
    after = cr.route(refined, "west", "east", weight="distance", modes=["rail"])
    assert after.distance_km == pytest.approx(round(new_km, 1))
    assert after.time_h < before.time_h
    # the network's graph (OSMnx conventions) follows too
    edge = refined.graph.get_edge_data("west", "east")["rail_west_east"]
    assert edge["length"] == pytest.approx(link["length_km"] * 1000)
    assert len(edge["geometry"].coords) == len(link["coords"])
    # and the original network still routes over the published length
    assert cr.route(aras_net, "west", "east", weight="distance", modes=["rail"]).distance_km == (
        pytest.approx(PUBLISHED_KM)
    )


def test_refined_records_still_validate(aras_net, rail, tmp_path):
    from corridors import _validation

    refined, _ = osm.refine(aras_net, rail, links=["rail_west_east"], replace_length=True)
    features = [
        (
            "links_x.geojson",
            {
                "properties": {k: v for k, v in rec.items() if k not in ("coords", "geodesic_km")},
                "geometry": {"type": "LineString", "coordinates": rec["coords"]},
            },
        )
        for rec in refined.link_records.values()
    ]
    _, problems = _validation.check_links(features, refined.node_records, countries=None)
    assert problems == []


def test_refine_a_road_link_on_the_road_graph(aras_net, road):
    refined, report = osm.refine(aras_net, road, links=["road_west_east"], replace_length=True)
    coords = refined.link_records["road_west_east"]["coords"]
    assert (fx.STATION_XY in coords) and len(coords) > 10
    assert report.iloc[0]["new_km"] > toy.geodesic_km(WEST, EAST)


def test_refine_refuses_a_mode_mismatch(aras_net, rail, road):
    with pytest.raises(
        cr.UsageError, match=r"road link .* holds rail; load the OSM data with mode='road'"
    ):
        osm.refine(aras_net, rail, links=["road_west_east"])
    with pytest.raises(cr.UsageError, match="rail link"):
        osm.refine(aras_net, road, links=["rail_west_east"])


def test_refine_refuses_a_far_node(aras_net, rail):
    with pytest.raises(
        osm.OSMError, match=r"node 'far' is 2\d\.\d km from the nearest OSM rail node"
    ) as info:
        osm.refine(aras_net, rail, links=["rail_west_far"])
    assert "\n" not in str(info.value)
    refined, _ = osm.refine(aras_net, rail, links=["rail_west_east"], max_snap_km=0.5)
    assert refined is not aras_net
    with pytest.raises(osm.OSMError, match=r"limit 0\.1 km"):
        osm.refine(aras_net, rail, links=["rail_west_east"], max_snap_km=0.1)


def test_refine_unknown_link_and_no_path(aras_net, rail):
    with pytest.raises(cr.UsageError, match="unknown link 'nope'"):
        osm.refine(aras_net, rail, links=["nope"])
    cut = rail.copy()
    cut.remove_edges_from([(fx.STATION, fx.EAST_END, 0), (fx.EAST_END, fx.STATION, 0)])
    with pytest.raises(osm.OSMError, match="no path in the OSM graph"):
        osm.refine(aras_net, cut, links=["rail_west_east"])


def test_refine_refuses_a_kept_length_that_contradicts_the_path(aras_net, rail):
    nodes, links = aras_net.copy_records()
    links["rail_west_east"]["length_km"] = 25.0  # shorter than the OSM line
    short = aras_net.replace(node_records=nodes, link_records=links)
    with pytest.raises(osm.OSMError, match="replace_length=True"):
        osm.refine(short, rail, links=["rail_west_east"])
    refined, _ = osm.refine(short, rail, links=["rail_west_east"], replace_length=True)
    assert refined.link_records["rail_west_east"]["length_km"] > 30


# --- command line --------------------------------------------------------------------------
def invoke(*args: str):
    return CliRunner().invoke(osm_cli, [str(a) for a in args])


def test_cli_import_prints_a_summary_and_writes_a_geopackage(osm_files, tmp_path):
    out = tmp_path / "rail.gpkg"
    result = invoke("import", osm_files["pbf"], "--mode", "rail", "--out", out)
    assert result.exit_code == 0, result.output
    assert "rail network from" in result.output and "4 nodes, 3 edges, 34.2 km" in result.output
    assert "1520" in result.output and "1435" in result.output
    assert out.is_file()
    again = invoke("import", osm_files["pbf"], "--mode", "rail", "--out", out)
    assert again.exit_code == 2 and "use --force" in again.stderr
    forced = invoke("import", osm_files["pbf"], "--mode", "rail", "--out", out, "--force")
    assert forced.exit_code == 0, forced.output


def test_cli_import_road_with_bbox(osm_files):
    result = invoke(
        "import", osm_files["xml"], "--mode", "road", "--bbox", "46.0,38.85,46.25,38.95"
    )
    assert result.exit_code == 0, result.output
    assert "road network" in result.output and "primary" in result.output


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (["import", "aras.shp", "--mode", "rail"], 2, "unknown OSM file type"),
        (["import", "missing.osm.pbf", "--mode", "rail"], 2, "does not exist"),
        (["import", "overpass", "--mode", "rail"], 2, "needs a bbox"),
        (["import", "x.osm", "--mode", "rail", "--bbox", "1,2"], 2, "four numbers"),
    ],
)
def test_cli_errors_are_one_line(args, code, text):
    result = invoke(*args)
    assert result.exit_code == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("corridors: error: ") and text in lines[0]
    assert "Traceback" not in result.output


def test_cli_overpass_offline(monkeypatch):
    monkeypatch.setattr(
        socket, "create_connection", lambda *a, **k: (_ for _ in ()).throw(OSError("down"))
    )
    result = invoke("import", "overpass", "--mode", "road", "--bbox", "46.0,38.85,46.4,38.95")
    assert result.exit_code == 1 and "offline" in result.stderr


def test_cli_refine_prints_the_report(osm_files, aras_dir):
    result = invoke(
        "refine", osm_files["xml"], "--mode", "rail", "--link", "rail_west_east", "--data", aras_dir
    )
    assert result.exit_code == 0, result.output
    assert "rail_west_east" in result.output and "35.0" in result.output
    assert "lengths kept" in result.output


def test_cli_refine_writes_a_valid_dataset_copy(osm_files, aras_dir, tmp_path):
    out = tmp_path / "refined"
    result = invoke(
        "refine",
        osm_files["pbf"],
        "--mode",
        "rail",
        "--link",
        "rail_west_east",
        "--replace-length",
        "--data",
        aras_dir,
        "--out",
        out,
    )
    assert result.exit_code == 0, result.output
    assert (out / "osm_refine_report.csv").is_file()
    assert cr.validate(out, geography=False) == []
    net = cr.load_network(out, as_of="2025-01-01")
    link = net.link_records["rail_west_east"]
    assert link["length_km"] < PUBLISHED_KM and OSM_TEXT in link["source"]
    assert len(link["coords"]) > 10
    r = cr.route(net, "west", "east", weight="distance", modes=["rail"])
    assert r.distance_km == pytest.approx(link["length_km"])
    # the other links are as they were
    original = cr.load_network(aras_dir, as_of="2025-01-01").link_records["road_west_east"]
    assert net.link_records["road_west_east"]["coords"] == original["coords"]


def test_cli_refine_never_overwrites_a_user_folder(osm_files, aras_dir, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    args = [
        "refine",
        osm_files["xml"],
        "--mode",
        "rail",
        "--link",
        "rail_west_east",
        "--replace-length",
        "--data",
        aras_dir,
        "--out",
        out,
    ]
    refused = invoke(*args)
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    forced = invoke(*args, "--force")
    assert forced.exit_code == 0, forced.output
    assert (out / "notes.txt").read_text() == "mine" and (out / "links_toy.geojson").is_file()


def test_cli_refine_errors(osm_files, aras_dir):
    unknown = invoke(
        "refine", osm_files["xml"], "--mode", "rail", "--link", "nope", "--data", aras_dir
    )
    assert unknown.exit_code == 2 and "unknown link 'nope'" in unknown.stderr
    far = invoke(
        "refine", osm_files["xml"], "--mode", "rail", "--link", "rail_west_far", "--data", aras_dir
    )
    assert far.exit_code == 1 and "km from the nearest OSM rail node" in far.stderr
    mismatch = invoke(
        "refine", osm_files["xml"], "--mode", "road", "--link", "rail_west_east", "--data", aras_dir
    )
    assert mismatch.exit_code == 2 and "mode='rail'" in mismatch.stderr

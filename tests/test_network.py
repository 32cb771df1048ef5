import datetime as dt
import json

import networkx as nx
import pytest
import toy

import corridors as cr
from corridors.network import status_on


def _write(tmp_path, *, nodes=None, links=None):
    return toy.write_dataset(tmp_path, nodes=nodes, links=links)


def _problems(tmp_path, *, nodes=None, links=None):
    directory = _write(tmp_path, nodes=nodes, links=links)
    return cr.validate(directory, geography=False)


def test_toy_dataset_is_valid(toy_dir):
    assert cr.validate(toy_dir, geography=False) == []


def test_graph_follows_osmnx_conventions(toy_net):
    g = toy_net.graph
    assert isinstance(g, nx.MultiDiGraph)
    assert g.graph["crs"] == "EPSG:4326"
    assert g.nodes["a_city"]["x"] == pytest.approx(49.0)
    assert g.nodes["a_city"]["y"] == pytest.approx(40.5)
    data = g.get_edge_data("a_city", "b_border")
    rail = data["rail_a_city_b_border"]
    assert rail["length"] == pytest.approx(toy.link_length_km("rail_a_city_b_border") * 1000)
    assert rail["geometry"].coords[0] == pytest.approx((49.0, 40.5))
    # links run both ways with reversed geometry
    back = g.get_edge_data("b_border", "a_city")["rail_a_city_b_border"]
    assert back["geometry"].coords[0] == pytest.approx(toy.NODES["b_border"]["xy"])


def test_osmnx_functions_work_on_the_graph(toy_net):
    ox = pytest.importorskip("osmnx")
    nodes, edges = ox.convert.graph_to_gdfs(toy_net.graph)
    assert len(nodes) == toy_net.graph.number_of_nodes()
    assert len(edges) == toy_net.graph.number_of_edges()


def test_geodataframes(toy_net):
    assert toy_net.nodes.crs == "EPSG:4326"
    assert set(toy_net.links.index) == set(toy_net.usable_links)
    assert "rail_g_city_t_border" in toy_net.all_links.index
    assert toy_net.all_links.loc["rail_g_city_t_border", "status"] == "planned"
    assert "rail_g_city_t_border" not in toy_net.links.index


def test_status_on_dates():
    events = [
        {"status": "under_construction", "from": "2008-07-24", "source": "s"},
        {"status": "open", "from": "2017-10-30", "source": "s"},
    ]
    assert status_on(events, dt.date(2008, 7, 23)) is None
    assert status_on(events, dt.date(2015, 1, 1)) == "under_construction"
    assert status_on(events, dt.date(2017, 10, 30)) == "open"
    assert status_on([], dt.date(2000, 1, 1)) == "open"


def test_as_of_keeps_only_usable_links(toy_dir):
    before = cr.load_network(toy_dir, as_of="2021-01-01")
    blockaded = cr.load_network(toy_dir, as_of="2023-06-01")
    later = cr.load_network(toy_dir, as_of="2030-06-01")
    assert "road_g_city_t_border" in before.usable_links
    assert "road_g_city_t_border" not in blockaded.usable_links
    assert "road_g_city_t_border" not in blockaded.graph.get_edge_data(
        "g_city", "t_border", default={}
    )
    assert "rail_g_city_t_border" in later.usable_links
    assert before.at("2030-06-01").usable_links.keys() == later.usable_links.keys()


def test_bad_as_of_is_a_usage_error(toy_dir):
    with pytest.raises(cr.UsageError, match="YYYY-MM-DD"):
        cr.load_network(toy_dir, as_of="2023-13-45")


# --- validation: each fault kind, and all at once -----------------------------------------
def _nodes(**changes):
    feats = toy.node_features()
    for f in feats:
        f["properties"].update(changes.get(f["properties"]["id"], {}))
    return feats


def _links(**changes):
    feats = toy.link_features()
    for f in feats:
        f["properties"].update(changes.get(f["properties"]["id"], {}))
    return feats


def test_unknown_node_reference(tmp_path):
    problems = _problems(tmp_path, links=_links(rail_a_city_b_border={"v": "nowhere"}))
    assert any("'nowhere' is not a known node id" in p for p in problems)


def test_duplicate_id(tmp_path):
    nodes = toy.node_features()
    nodes.append(json.loads(json.dumps(nodes[0])))
    problems = _problems(tmp_path, nodes=nodes)
    assert any("duplicate id" in p and "a_city" in p for p in problems)


def test_geometry_end_away_from_node(tmp_path):
    links = toy.link_features()
    links[0]["geometry"]["coordinates"][0] = [49.9, 40.5]
    problems = _problems(tmp_path, links=links)
    assert any("starts" in p and "km from node 'a_port'" in p for p in problems)


def test_missing_required_field(tmp_path):
    links = toy.link_features()
    del links[1]["properties"]["source"]
    problems = _problems(tmp_path, links=links)
    assert any("missing required field(s) source" in p for p in problems)


def test_a_figure_needs_its_source_and_a_sane_value(tmp_path):
    problems = _problems(
        tmp_path,
        links=_links(
            rail_a_city_b_border={"cost_usd_per_teu_km": 0.3},
            rail_b_border_g_city={"speed_kmh": -5},
        ),
        nodes=_nodes(g_city={"border_hours": 4}, a_port={"capacity_teu_year": "big"}),
    )
    assert any("cost_usd_per_teu_km is set but cost_source is missing" in p for p in problems)
    assert any("speed_kmh = -5: must be a finite number > 0" in p for p in problems)
    assert any("border_hours is set but border_source is missing" in p for p in problems)
    assert any("capacity_teu_year = 'big': must be a finite number > 0" in p for p in problems)


def test_unknown_mode_and_country(tmp_path):
    problems = _problems(
        tmp_path,
        links=_links(rail_a_city_b_border={"mode": "hovercraft"}),
        nodes=_nodes(g_city={"country": "XXX"}),
    )
    assert any("unknown mode 'hovercraft'" in p for p in problems)
    assert any("unknown country 'XXX'" in p for p in problems)


def test_length_shorter_or_far_longer_than_geometry(tmp_path):
    short = toy.link_length_km("rail_a_city_b_border") * 0.5
    long = toy.link_length_km("rail_b_border_g_city") * 3
    problems = _problems(
        tmp_path,
        links=_links(
            rail_a_city_b_border={"length_km": short}, rail_b_border_g_city={"length_km": long}
        ),
    )
    assert any("rail_a_city_b_border" in p and "shorter than the geodesic" in p for p in problems)
    assert any("rail_b_border_g_city" in p and "far longer" in p for p in problems)


def test_every_problem_is_reported_and_loading_fails(tmp_path):
    links = _links(
        rail_a_city_b_border={"mode": "hovercraft"},
        rail_b_border_g_city={"u": "ghost"},
        road_a_city_b_border={"length_km": 1.0},
    )
    directory = _write(tmp_path, links=links)
    problems = cr.validate(directory, geography=False)
    assert len(problems) >= 3
    with pytest.raises(cr.DatasetError) as info:
        cr.load_network(directory)
    assert len(info.value.problems) == len(problems)
    assert "\n" not in str(info.value)


def test_land_link_country_must_match_its_ends(tmp_path):
    problems = _problems(tmp_path, links=_links(rail_t_border_t_city={"country": "GEO"}))
    assert any("not a country of its end node 't_city'" in p for p in problems)


def test_bad_status_events(tmp_path):
    status = [{"status": "opened", "from": "2017-99-01"}]
    problems = _problems(tmp_path, links=_links(rail_a_city_b_border={"status": status}))
    assert any("'opened' is not one of" in p for p in problems)
    assert any("not a date" in p for p in problems)
    assert any("has no source" in p for p in problems)


def test_geography_check_finds_a_node_in_the_wrong_country(tmp_path):
    directory = _write(
        tmp_path,
        nodes=_nodes(t_city={"country": "ARM"}),
        links=_links(
            rail_t_border_t_city={"country": "GEO"}, road_t_border_t_city={"country": "GEO"}
        ),
    )
    problems = cr.validate(directory, geography=True)
    assert any("'t_city'" in p and "lies in TUR" in p for p in problems)

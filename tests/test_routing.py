import json
import math

import pytest
import toy

import corridors as cr
from corridors.settings import settings

RAIL = toy.RAIL_ROUTE
ROAD = [
    "road_a_city_b_border",
    "road_b_border_g_city",
    "road_g_city_t_border",
    "road_t_border_t_city",
]


def km(links):
    return sum(toy.link_length_km(i) for i in links)


def hours(links):
    return sum(toy.link_length_km(i) / toy.LINKS[i][5] for i in links)


def test_rail_route_by_hand(toy_net):
    r = cr.route(toy_net, "a_city", "t_city", modes=["rail"], weight="distance")
    assert r.links == RAIL
    assert r.nodes == ["a_city", "b_border", "g_city", "g_gauge", "t_border", "t_city"]
    assert r.countries == ["AZE", "GEO", "TUR"]
    assert r.distance_km == pytest.approx(km(RAIL))
    # gauge change at Gaugeton (8 h from the node) and two borders (5 h and 6 h)
    assert [(t.at, t.kind, t.hours) for t in r.transfers] == [("g_gauge", "gauge", 8.0)]
    assert [(b.at, b.from_country, b.to_country, b.hours) for b in r.border_crossings] == [
        ("b_border", "AZE", "GEO", 5.0),
        ("t_border", "GEO", "TUR", 6.0),
    ]
    # and a rail terminal's dwell where the trip starts and where it ends (settings' default)
    assert [(d.at, d.kind, d.hours) for d in r.dwells] == [
        ("a_city", "origin", settings.dwell_hours["rail"]),
        ("t_city", "destination", settings.dwell_hours["rail"]),
    ]
    assert r.time_h == pytest.approx(hours(RAIL) + 8 + 5 + 6 + 2 * settings.dwell_hours["rail"])
    rail_cost = settings.cost_usd_per_teu_km["rail"] * km(RAIL)
    assert r.cost_usd == pytest.approx(rail_cost + 100 + 40 + 30)
    rail_co2 = settings.co2_kg_per_teu_km["rail"] * km(RAIL)
    assert r.co2_kg == pytest.approx(rail_co2 + settings.transfer_co2_kg["gauge"])


def test_time_weight_prefers_the_faster_road(toy_net):
    r = cr.route(toy_net, "a_city", "t_city", weight="time")
    assert r.links == ROAD
    assert r.time_h == pytest.approx(hours(ROAD) + 5 + 6 + 2 * settings.dwell_hours["road"])
    assert r.transfers == []


def test_each_weight_minimises_its_own_total(toy_net):
    routes = {w: cr.route(toy_net, "a_port", "t_city", weight=w) for w in cr.routing.WEIGHTS}
    for w, r in routes.items():
        for other in routes.values():
            assert r.total(w) <= other.total(w) + 1e-6


def test_ferry_landing_pays_wait_transfer_and_customs(toy_net):
    r = cr.route(toy_net, "k_port", "a_city", weight="time")
    assert r.links == ["ferry_k_port_a_port", "rail_a_port_a_city"]
    ferry_h = toy.link_length_km("ferry_k_port_a_port") / 20.0 + 10.0
    rail_h = toy.link_length_km("rail_a_port_a_city") / 50.0
    assert r.legs[0].time_h == pytest.approx(ferry_h)
    assert [(t.at, t.kind) for t in r.transfers] == [("a_port", "mode")]
    assert [(b.at, b.from_country, b.to_country, b.hours) for b in r.border_crossings] == [
        ("a_port", "KAZ", "AZE", 3.0)
    ]
    port_h = settings.transfer_hours["port"]
    # plus a ferry port's dwell where the trip starts and a rail terminal's where it ends
    dwell = settings.dwell_hours["ferry"] + settings.dwell_hours["rail"]
    assert r.time_h == pytest.approx(ferry_h + rail_h + port_h + 3.0 + dwell)
    assert r.countries == ["KAZ", "AZE"]


def test_avoid_country_blocks_and_says_why(toy_net):
    with pytest.raises(cr.NoRouteError, match="avoiding GEO"):
        cr.route(toy_net, "a_city", "t_city", avoid_countries=["GEO"])


def test_avoid_tag_and_link(toy_net):
    r = cr.route(toy_net, "a_city", "t_city", weight="time", avoid_tags=["pass_road"])
    assert "road_g_city_t_border" not in r.links
    r2 = cr.route(toy_net, "a_city", "t_city", weight="time", avoid_links=["road_a_city_b_border"])
    assert "road_a_city_b_border" not in r2.links


def test_via_forces_a_detour(toy_net):
    r = cr.route(toy_net, "a_port", "t_city", via=["r_city"], modes=["rail"], weight="distance")
    assert "r_city" in r.nodes
    assert r.nodes.index("r_city") < r.nodes.index("t_city")
    assert r.distance_km == pytest.approx(
        km(["rail_a_port_a_city", "rail_a_city_r_border", "rail_r_border_r_city"]) * 2
        - toy.link_length_km("rail_a_port_a_city")
        + km(RAIL)
    )


def test_as_of_changes_the_answer(toy_net):
    # the pass road is blockaded in 2023, so the fastest route goes by rail or mixes modes
    r2021 = cr.route(toy_net, "a_city", "t_city", weight="time")
    r2023 = cr.route(toy_net, "a_city", "t_city", weight="time", as_of="2023-06-01")
    assert "road_g_city_t_border" in r2021.links
    assert "road_g_city_t_border" not in r2023.links
    assert r2023.time_h > r2021.time_h
    assert r2023.as_of.isoformat() == "2023-06-01"
    # the planned 1435 line opens in 2030 and gives a gauge change at Gamma (default hours)
    r2030 = cr.route(
        toy_net, "a_city", "t_city", modes=["rail"], weight="distance", as_of="2030-06-01"
    )
    assert "rail_g_city_t_border" in r2030.links
    assert [(t.at, t.hours) for t in r2030.transfers] == [
        ("g_city", settings.transfer_hours["gauge"])
    ]


def test_closed_border_is_not_crossed(toy_dir, tmp_path):
    nodes = toy.node_features()
    for f in nodes:
        if f["properties"]["id"] == "t_border":
            f["properties"]["status"] = [
                {"status": "open", "from": None, "source": "t"},
                {"status": "closed", "from": "1993-04-03", "source": "t"},
            ]
    net = cr.load_network(toy.write_dataset(tmp_path, nodes=nodes), as_of="2021-01-01")
    with pytest.raises(cr.NoRouteError):
        cr.route(net, "a_city", "t_city")
    # a place at the closed border can still be reached from its own side
    assert cr.route(net, "a_city", "t_border").countries == ["AZE", "GEO"]
    assert cr.route(net.at("1990-01-01"), "a_city", "t_city").countries == ["AZE", "GEO", "TUR"]


def test_usage_errors(toy_net):
    with pytest.raises(cr.UsageError, match="unknown weight"):
        cr.route(toy_net, "a_city", "t_city", weight="speed")
    with pytest.raises(cr.UsageError, match="unknown mode 'train' — did you mean 'rail'"):
        cr.route(toy_net, "a_city", "t_city", modes=["train"])
    with pytest.raises(cr.UsageError, match="unknown country code 'XYZ'"):
        cr.route(toy_net, "a_city", "t_city", avoid_countries=["XYZ"])
    with pytest.raises(cr.UsageError, match="unknown tag"):
        cr.route(toy_net, "a_city", "t_city", avoid_tags=["lachin"])
    with pytest.raises(cr.UsageError, match="same place"):
        cr.route(toy_net, "Alpha", "a_city")
    with pytest.raises(cr.UsageError, match="lies in GEO"):
        cr.route(toy_net, "a_city", "g_city", avoid_countries=["GEO"])


def test_lowercase_country_codes_are_accepted(toy_net):
    r = cr.route(toy_net, "a_city", "r_city", avoid_countries=["geo"])
    assert "GEO" not in r.countries


def test_alternatives_are_distinct_sorted_and_first_is_best(toy_net):
    best = cr.route(toy_net, "a_city", "t_city", weight="time")
    alts = cr.alternatives(toy_net, "a_city", "t_city", k=3, weight="time")
    assert alts[0].links == best.links
    assert len({tuple(a.links) for a in alts}) == len(alts)
    assert [a.time_h for a in alts] == sorted(a.time_h for a in alts)
    assert len(alts) >= 2


def test_alternatives_share_little(toy_net):
    alts = cr.alternatives(toy_net, "a_city", "t_city", k=3, weight="time", share_factor=0.3)
    for i, a in enumerate(alts):
        for b in alts[:i]:
            la = {leg.link: leg.distance_km for leg in a.legs}
            lb = {leg.link for leg in b.legs}
            shared = sum(d for link, d in la.items() if link in lb)
            assert shared <= 0.3 * min(a.distance_km, b.distance_km) + 1e-6


def test_alternatives_bad_arguments(toy_net):
    with pytest.raises(cr.UsageError):
        cr.alternatives(toy_net, "a_city", "t_city", k=0)
    with pytest.raises(cr.UsageError):
        cr.alternatives(toy_net, "a_city", "t_city", share_factor=2)


def test_route_to_gdf_and_dict(toy_net):
    r = cr.route(toy_net, "a_city", "t_city", modes=["rail"])
    gdf = r.to_gdf()
    assert list(gdf["link"]) == r.links
    assert gdf.crs == "EPSG:4326"
    assert gdf.geometry.iloc[0].coords[0] == pytest.approx(toy.NODES["a_city"]["xy"])
    assert gdf.geometry.iloc[-1].coords[-1] == pytest.approx(toy.NODES["t_city"]["xy"])
    d = r.to_dict(rank=1)
    assert d["rank"] == 1 and d["countries"] == ["AZE", "GEO", "TUR"]
    assert math.isclose(sum(leg["distance_km"] for leg in d["legs"]), d["distance_km"], abs_tol=0.5)


def test_routing_graph_exposes_transfers_and_borders_as_edges(toy_net):
    g = cr.routing_graph(toy_net).to_networkx()
    a = ("g_gauge", "rail:1520", "GEO")
    b = ("g_gauge", "rail:1435", "GEO")
    assert g.has_edge(a, b)
    edge = next(iter(g.get_edge_data(a, b).values()))
    assert edge["transfer"] == "gauge" and edge["time_h"] == 8.0
    assert g.has_edge(("b_border", "road", "AZE"), ("b_border", "road", "GEO"))


def test_settings_changes_reprice_routes(toy_net):
    before = cr.route(toy_net, "a_city", "t_city", modes=["rail"], weight="cost").cost_usd
    old = settings.cost_usd_per_teu_km["rail"]
    try:
        settings.cost_usd_per_teu_km["rail"] = old * 2
        after = cr.route(toy_net, "a_city", "t_city", modes=["rail"], weight="cost").cost_usd
    finally:
        settings.cost_usd_per_teu_km["rail"] = old
    assert after == pytest.approx(before + old * km(RAIL))


def test_every_factor_has_a_source():
    assert set(settings.factors()) <= set(settings.sources)
    assert all(settings.sources[k] for k in settings.factors())


def _embargo_net(tmp_path, *, until=None):
    nodes = toy.node_features()
    for f in nodes:
        if f["properties"]["id"] == "t_border":
            f["properties"]["tags"] = ["middle"]
    directory = toy.write_dataset(tmp_path, nodes=nodes)
    embargo = {
        "id": "aze_to_tur",
        "from_country": "AZE",
        "to_country": "TUR",
        "except_tags": ["middle"],
        "periods": [{"from": "2000-01-01", "until": until, "source": "test"}],
        "source": "test",
    }
    (directory / "embargoes.json").write_text(json.dumps({"embargoes": [embargo]}))
    return cr.load_network(directory, as_of="2021-01-01")


def test_embargo_bars_goods_from_a_country_except_on_exempt_links(tmp_path):
    net = _embargo_net(tmp_path)
    assert [e["id"] for e in net.embargoes_in_force()] == ["aze_to_tur"]
    r = cr.route(net, "a_city", "t_city", weight="time")
    # the road into TUR is barred, the exempt rail corridor is not
    assert "rail_t_border_t_city" in r.links
    assert all(leg.mode == "rail" for leg in r.legs if leg.country == "TUR")
    assert cr.route(net, "a_city", "t_city", weight="time", embargoes=False).links == ROAD
    assert cr.route(net, "g_city", "t_city", weight="time").links == ROAD[2:]  # not from AZE
    with pytest.raises(cr.NoRouteError, match="embargo aze_to_tur"):
        cr.route(net, "a_city", "t_city", avoid_links=["rail_t_border_t_city"])


def test_embargo_periods_end(tmp_path):
    net = _embargo_net(tmp_path, until="2020-01-01")
    assert net.embargoes_in_force() == []
    assert cr.route(net, "a_city", "t_city", weight="time").links == ROAD


def test_bad_embargo_file_is_reported(tmp_path):
    directory = toy.write_dataset(tmp_path)
    bad = {
        "embargoes": [
            {
                "id": "x",
                "from_country": "XXX",
                "to_country": "TUR",
                "source": "s",
                "periods": [{"from": "2020-02-30", "source": "s"}],
            }
        ]
    }
    (directory / "embargoes.json").write_text(json.dumps(bad))
    problems = cr.validate(directory, geography=False)
    assert any("unknown country 'XXX'" in p for p in problems)
    assert any("not a date" in p for p in problems)

"""Tests of corridors.sea and of the bundled sea network (offline)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from _scripts import load_script
from pyproj import Geod

from corridors._geojson import dumps
from corridors.errors import SeaRouteError
from corridors.sea import SeaLeg, _land_runs, sea_leg, valid_passages

ROOT = Path(__file__).resolve().parent.parent
GEO = ROOT / "data" / "geo"
GEOD = Geod(ellps="WGS84")

SHANGHAI = (121.6, 31.35)
ROTTERDAM = (4.05, 51.955)
AKTAU = (51.17, 43.605)
CONSTANTA = (28.66, 44.16)


def _km(coords):
    lons, lats = zip(*coords, strict=False)
    return GEOD.line_length(lons, lats) / 1000


def _load(name):
    return json.loads((GEO / name).read_text(encoding="utf-8"))["features"]


@pytest.fixture(scope="module")
def sea_network():
    nodes = {f["properties"]["id"]: f for f in _load("nodes_sea.geojson")}
    # ports: from the regional files, else the interface table (as the build script does)
    for pid, (lon, lat, country) in load_script("build_sea_links")._port_coords(GEO).items():
        nodes[pid] = {
            "properties": {"id": pid, "country": country},
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
        }
    links = {(f["properties"]["u"], f["properties"]["v"]): f for f in _load("links_sea.geojson")}
    return nodes, links


# --- sea_leg guards -------------------------------------------------------------------------


def test_leg_basic():
    leg = sea_leg(SHANGHAI, ROTTERDAM)
    assert isinstance(leg, SeaLeg)
    assert leg.geometry.coords[0] == SHANGHAI and leg.geometry.coords[-1] == ROTTERDAM
    assert leg.speed_kmh == 30.0
    assert math.isclose(leg.hours, leg.distance_km / 30.0)
    assert {"suez", "malacca", "babalmandab", "gibraltar"} <= set(leg.passages)
    assert math.isclose(leg.distance_km, _km(leg.geometry.coords), rel_tol=1e-9)
    feature = leg.to_feature(id="x")
    assert feature["geometry"]["coordinates"][0] == [121.6, 31.35]
    assert feature["properties"]["id"] == "x"


def test_restrictions_keep_default_closed_passages():
    # searoute's restrictions=['suez'] alone would open the Arctic; sea_leg keeps it closed
    leg = sea_leg(SHANGHAI, ROTTERDAM, avoid_passages=["suez"])
    assert "suez" not in leg.passages
    assert not {"northwest", "bering"} & set(leg.passages)
    assert max(y for _, y in leg.geometry.coords) < 60
    arctic = sea_leg(
        SHANGHAI, ROTTERDAM, avoid_passages=["suez"], allow_passages=["northwest", "bering"]
    )
    assert max(y for _, y in arctic.geometry.coords) > 66


def test_unknown_passage():
    with pytest.raises(SeaRouteError, match=r"valid: .*suez"):
        sea_leg(SHANGHAI, ROTTERDAM, avoid_passages=["suezz"])
    assert "dardanelles" in valid_passages() and "segment" not in valid_passages()


def test_no_path_raises():
    with pytest.raises(SeaRouteError, match="no sea lane"):
        sea_leg(CONSTANTA, ROTTERDAM, avoid_passages=["bosporus"])


def test_longitudes_normalised():
    leg = sea_leg(SHANGHAI, (-118.27, 33.73))  # across the Pacific
    assert all(-180 <= x <= 180 for x, _ in leg.geometry.coords)
    assert sea_leg((481.6, 31.35), ROTTERDAM).origin == pytest.approx(SHANGHAI)


def test_inland_point_raises():
    with pytest.raises(SeaRouteError, match="km from the sea network; is it inland"):
        sea_leg((76.9, 43.25), ROTTERDAM)  # Almaty


def test_volga_don_needs_russia():
    with pytest.raises(SeaRouteError, match="Volga-Don"):
        sea_leg(AKTAU, CONSTANTA)
    with pytest.raises(SeaRouteError, match="Volga-Don"):
        sea_leg(AKTAU, CONSTANTA, allow_countries=["KAZ", "ROU"])
    leg = sea_leg(AKTAU, CONSTANTA, allow_countries=["RUS", "KAZ", "ROU", "UKR"])
    assert leg.distance_km > 2000


def test_land_of_countries_not_allowed():
    with pytest.raises(SeaRouteError, match="EGY"):
        sea_leg(SHANGHAI, ROTTERDAM, allow_countries=["CHN", "NLD"])
    sea_leg(SHANGHAI, ROTTERDAM, allow_countries=["CHN", "NLD", "EGY"])


def test_bad_speed_and_point():
    with pytest.raises(SeaRouteError):
        sea_leg(SHANGHAI, ROTTERDAM, speed_kmh=0)
    with pytest.raises(SeaRouteError):
        sea_leg((1.0, 95.0), ROTTERDAM)


def test_distance_agrees_with_searoute():
    import searoute

    a, b = (103.861103, 1.171415), (43.3, 12.7)  # two MARNET nodes
    own = searoute.searoute(list(a), list(b), restrictions=["northwest", "bering"])
    leg = sea_leg(a, b)
    assert leg.distance_km == pytest.approx(own["properties"]["length"], rel=0.01)


# --- bundled network ------------------------------------------------------------------------


def _path_km(links, pairs):
    total = 0.0
    for u, v in pairs:
        f = links.get((u, v)) or links[(v, u)]
        total += f["properties"]["length_km"]
    return total


def test_published_distances(sea_network):
    _, links = sea_network
    suez = _path_km(
        links,
        [
            ("shanghai", "malacca"),
            ("malacca", "bab_el_mandeb"),
            ("bab_el_mandeb", "suez"),
            ("suez", "port_said"),
            ("port_said", "gibraltar"),
            ("gibraltar", "ushant"),
            ("ushant", "rotterdam"),
        ],
    )
    # Shanghai-Rotterdam via Suez ~10,600 nm = 19,630 km
    assert suez == pytest.approx(19630, rel=0.05)
    # via the Cape ~13,800 nm = 25,560 km, from the Singapore Strait where the liners call
    cape_malacca = _path_km(
        links, [("shanghai", "malacca"), ("malacca", "cape_of_good_hope")]
    ) + _path_km(links, [("cape_of_good_hope", "ushant"), ("ushant", "rotterdam")])
    assert cape_malacca == pytest.approx(25560, rel=0.05)


def test_caspian_ferry_distance(sea_network):
    _, links = sea_network
    # Baku-Aktau ferry ~470 km (BRIEF section 4). Alat lies ~60 km south of the old Baku port,
    # so the Alat-Aktau lane is a little longer: allow 470 km -0/+7%.
    alat = links[("aktau", "alat")]["properties"]["length_km"]
    assert 470 <= alat <= 470 * 1.07
    baku_port = (49.87, 40.36)  # old Baku sea port
    assert sea_leg(AKTAU, baku_port).distance_km == pytest.approx(470, rel=0.05)


def test_links_schema(sea_network):
    nodes, links = sea_network
    for (u, v), f in links.items():
        p = f["properties"]
        assert p["id"] == f"{p['mode']}_{u}_{v}"
        coords = f["geometry"]["coordinates"]
        assert coords[0] == nodes[u]["geometry"]["coordinates"][:2], p["id"]
        assert coords[-1] == nodes[v]["geometry"]["coordinates"][:2], p["id"]
        geodesic = _km(coords)
        assert 0.95 * geodesic <= p["length_km"] <= 1.5 * geodesic, p["id"]
        assert p["source"] and p["status"] and p["speed_source"]
        assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in coords)
        if p["mode"] == "ferry":
            assert p["sailings_per_week"] > 0 and p["sailings_source"]
            assert p["fill_hours"] >= 0 and p["fill_source"]
            assert "wait_h" not in p  # derived from the sailings by routing


def test_caspian_ferries_stay_in_caspian(sea_network):
    _, links = sea_network
    for f in links.values():
        if "caspian" in f["properties"]["tags"]:
            assert all(46.5 < x < 55.5 and 36 < y < 47.5 for x, y in f["geometry"]["coordinates"])


def test_no_lane_crosses_unnamed_land(sea_network):
    nodes, links = sea_network
    for (u, v), f in links.items():
        named = {f["properties"]["country"]}
        named |= {nodes[n]["properties"].get("country") for n in (u, v)}
        coords = [tuple(c) for c in f["geometry"]["coordinates"]]
        crossed = set(_land_runs(coords)) - named
        assert not crossed, f"{f['properties']['id']} crosses {crossed}"


def test_build_is_up_to_date_and_deterministic():
    module = load_script("build_sea_links")
    nodes, links = module.build(GEO)
    assert dumps(nodes) == (GEO / "nodes_sea.geojson").read_text(encoding="utf-8")
    assert dumps(links) == (GEO / "links_sea.geojson").read_text(encoding="utf-8"), (
        "links_sea.geojson is stale: run scripts/build_sea_links.py"
    )

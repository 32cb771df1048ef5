"""A small synthetic dataset the tests write themselves, with figures easy to check by hand.

Places (lon, lat) are loosely placed in the South Caucasus so that countries are real ISO3 codes;
lengths are the geodesic lengths of straight lines rounded up to whole km, so expected totals
are sums the tests can make.

    k_port ~ferry~ a_port -rail- a_city -rail/road- b_border(AZE|GEO) -rail/road- g_city
                                       |                                                   |
                                   r_border(AZE|RUS)                             rail 1520 / road
                                       |                                                   |
                                   r_city            t_city -1435- t_border -1435- g_gauge
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

from pyproj import Geod

_GEOD = Geod(ellps="WGS84")
OPEN = [{"status": "open", "from": None, "source": "test fixture"}]

NODES: dict[str, dict[str, Any]] = {
    "a_city": {
        "name": "Alpha",
        "aliases": ["Älpha", "Alfa"],
        "country": "AZE",
        "kind": "city",
        "xy": (49.0, 40.5),
    },
    "a_port": {
        "name": "Alphaport",
        "country": "AZE",
        "kind": "port",
        "xy": (49.4, 40.0),
        "border_hours": 3.0,
        "border_source": "test fixture",
    },
    "b_border": {
        "name": "Bravo",
        "country": "AZE",
        "kind": "border",
        "countries": ["AZE", "GEO"],
        "border_hours": 5.0,
        "border_cost_usd": 40.0,
        "border_source": "test fixture",
        "xy": (45.4, 41.1),
    },
    "g_city": {"name": "Gamma", "country": "GEO", "kind": "city", "xy": (44.8, 41.7)},
    "g_gauge": {
        "name": "Gaugeton",
        "country": "GEO",
        "kind": "station",
        "xy": (43.6, 41.4),
        "transfer_hours": 8.0,
        "transfer_cost_usd": 100.0,
        "transfer_source": "test fixture",
    },
    "t_border": {
        "name": "Tango Gate",
        "country": "GEO",
        "kind": "border",
        "countries": ["GEO", "TUR"],
        "border_hours": 6.0,
        "border_cost_usd": 30.0,
        "border_source": "test fixture",
        "xy": (43.3, 41.1),
    },
    "t_city": {
        "name": "Tango",
        "aliases": ["Tangö"],
        "country": "TUR",
        "kind": "city",
        "xy": (43.1, 40.6),
    },
    "r_border": {
        "name": "Romeo Gate",
        "country": "AZE",
        "kind": "border",
        "countries": ["RUS", "AZE"],
        "border_hours": 20.0,
        "border_source": "test fixture",
        "xy": (48.6, 41.8),
    },
    "r_city": {"name": "Romeo", "country": "RUS", "kind": "city", "xy": (47.5, 42.9)},
    "k_port": {"name": "Kilo", "country": "KAZ", "kind": "port", "xy": (51.2, 43.6)},
}

# id: (u, v, mode, gauge, country, speed, extra)
LINKS: dict[str, tuple] = {
    "rail_a_port_a_city": ("a_port", "a_city", "rail", 1520, "AZE", 50.0, {}),
    "rail_a_city_b_border": ("a_city", "b_border", "rail", 1520, "AZE", 50.0, {"tags": ["middle"]}),
    "rail_b_border_g_city": ("b_border", "g_city", "rail", 1520, "GEO", 50.0, {"tags": ["middle"]}),
    "rail_g_city_g_gauge": ("g_city", "g_gauge", "rail", 1520, "GEO", 50.0, {"tags": ["middle"]}),
    "rail_g_gauge_t_border": (
        "g_gauge",
        "t_border",
        "rail",
        1435,
        "GEO",
        50.0,
        {"tags": ["middle"]},
    ),
    "rail_t_border_t_city": ("t_border", "t_city", "rail", 1435, "TUR", 50.0, {"tags": ["middle"]}),
    "road_a_city_b_border": ("a_city", "b_border", "road", None, "AZE", 60.0, {}),
    "road_b_border_g_city": ("b_border", "g_city", "road", None, "GEO", 60.0, {}),
    "road_g_city_t_border": (
        "g_city",
        "t_border",
        "road",
        None,
        "GEO",
        60.0,
        {
            "tags": ["pass_road"],
            "status": [
                {"status": "open", "from": None, "source": "test fixture"},
                {"status": "blockaded", "from": "2022-12-12", "source": "test"},
                {"status": "open", "from": "2024-01-01", "source": "test"},
            ],
        },
    ),
    "road_t_border_t_city": ("t_border", "t_city", "road", None, "TUR", 60.0, {}),
    "rail_a_city_r_border": ("a_city", "r_border", "rail", 1520, "AZE", 50.0, {"tags": ["north"]}),
    "rail_r_border_r_city": ("r_border", "r_city", "rail", 1520, "RUS", 50.0, {"tags": ["north"]}),
    "ferry_k_port_a_port": (
        "k_port",
        "a_port",
        "ferry",
        None,
        None,
        20.0,
        {"wait_h": 10.0, "wait_source": "test fixture", "tags": ["caspian"]},
    ),
    "rail_g_city_t_border": (
        "g_city",
        "t_border",
        "rail",
        1435,
        "GEO",
        50.0,
        {
            "tags": ["shortcut"],
            "status": [
                {"status": "planned", "from": "2020-01-01", "source": "test"},
                # graded: a later-dated opening is otherwise "announced" and ignored by default
                {
                    "status": "open",
                    "from": "2030-01-01",
                    "source": "test",
                    "grade": "under_construction",
                },
            ],
        },
    ),
}


def geodesic_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return _GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000.0


def link_length_km(link_id: str) -> float:
    u, v = LINKS[link_id][:2]
    return float(math.ceil(geodesic_km(NODES[u]["xy"], NODES[v]["xy"])))


def _feature(props: dict, geometry: dict) -> str:
    return json.dumps(
        {"type": "Feature", "properties": props, "geometry": geometry}, ensure_ascii=False
    )


def _collection(lines: list[str]) -> str:
    return '{"type": "FeatureCollection", "features": [\n' + ",\n".join(lines) + "\n]}\n"


def node_features(nodes: dict[str, dict] | None = None) -> list[dict]:
    out = []
    for node_id, spec in (nodes or NODES).items():
        props = {k: v for k, v in spec.items() if k != "xy"}
        props = {"id": node_id, **props, "source": "test fixture"}
        out.append(
            {"properties": props, "geometry": {"type": "Point", "coordinates": list(spec["xy"])}}
        )
    return out


def link_features(links: dict[str, tuple] | None = None) -> list[dict]:
    out = []
    for link_id, (u, v, mode, gauge, country, speed, extra) in (links or LINKS).items():
        a, b = NODES[u]["xy"], NODES[v]["xy"]
        mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        props = {
            "id": link_id,
            "u": u,
            "v": v,
            "mode": mode,
            "gauge_mm": gauge,
            "country": country,
            "length_km": link_length_km(link_id),
            "length_source": "geodesic",
            "speed_kmh": speed,
            "speed_source": "assumption: test fixture",
            "status": copy.deepcopy(extra.get("status", OPEN)),
            "tags": extra.get("tags", []),
            "source": "test fixture",
        }
        props.update({k: v for k, v in extra.items() if k not in ("status", "tags")})
        out.append(
            {
                "properties": props,
                "geometry": {"type": "LineString", "coordinates": [list(a), list(mid), list(b)]},
            }
        )
    return out


def write_dataset(
    directory: Path, *, nodes: list[dict] | None = None, links: list[dict] | None = None
) -> Path:
    """Write the toy dataset (or the given features) as nodes_toy/links_toy GeoJSON files."""
    directory.mkdir(parents=True, exist_ok=True)
    nodes = node_features() if nodes is None else nodes
    links = link_features() if links is None else links
    (directory / "nodes_toy.geojson").write_text(
        _collection([_feature(f["properties"], f["geometry"]) for f in nodes]), encoding="utf-8"
    )
    (directory / "links_toy.geojson").write_text(
        _collection([_feature(f["properties"], f["geometry"]) for f in links]), encoding="utf-8"
    )
    return directory


RAIL_ROUTE = [
    "rail_a_city_b_border",
    "rail_b_border_g_city",
    "rail_g_city_g_gauge",
    "rail_g_gauge_t_border",
    "rail_t_border_t_city",
]
"""The rail route Alpha → Tango, link by link (the tests' hand calculations follow it)."""

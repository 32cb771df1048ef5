"""corridors: an offline-first geospatial, multimodal model of the Eurasian transport corridors.

Load the bundled network, route on it, compare scenarios::

    import corridors as cr
    net = cr.load_network(as_of="2026-11-26")
    r = cr.route(net, "xian", "duisburg", avoid_countries=["RUS", "BLR"])
    r.summary()
"""

from __future__ import annotations

from .api import alternatives, corridor_routes, route, simulate, simulate_ranges
from .assignment import Assignment, assign, criticality, load_demand
from .comparison import compare
from .errors import (
    CorridorsError,
    DatasetError,
    NoRouteError,
    ScenarioError,
    SeaRouteError,
    UnknownPlaceError,
    UsageError,
)
from .families import Family, load_families
from .interop import GRAPHML_DTYPES, graphml_ready
from .network import Network, load_network, read_dataset, status_on, validate
from .places import PlaceIndex, normalize
from .pricing import price, reprice, routing_graph
from .query import Query
from .routing import BorderCrossing, Dwell, Leg, Route, Transfer
from .scenarios import Scenario, list_scenarios, load_scenario
from .settings import Settings, settings
from .skim import skim


def __getattr__(name: str):  # heavy modules load on first use (CLI start-up time matters)
    import importlib

    if name in ("maps", "interactive", "osm", "sea", "scenarios", "reports", "rangeplot"):
        return importlib.import_module(f".{name}", __name__)
    if name in ("sea_leg", "add_sea_link"):
        return getattr(importlib.import_module(".sea", __name__), name)
    if name in ("explore", "plot_network", "plot_routes", "plot_scenario_diff"):
        return getattr(importlib.import_module(".maps", __name__), name)
    if name in ("refine", "load_osm"):
        return getattr(importlib.import_module(".osm", __name__), name)
    raise AttributeError(f"module 'corridors' has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "GRAPHML_DTYPES",
    "Assignment",
    "BorderCrossing",
    "CorridorsError",
    "DatasetError",
    "Dwell",
    "Family",
    "Leg",
    "Network",
    "NoRouteError",
    "PlaceIndex",
    "Query",
    "Route",
    "Scenario",
    "ScenarioError",
    "SeaRouteError",
    "Settings",
    "Transfer",
    "UnknownPlaceError",
    "UsageError",
    "__version__",
    "add_sea_link",
    "alternatives",
    "assign",
    "compare",
    "corridor_routes",
    "criticality",
    "explore",
    "graphml_ready",
    "list_scenarios",
    "load_demand",
    "load_families",
    "load_network",
    "load_osm",
    "load_scenario",
    "normalize",
    "plot_network",
    "plot_routes",
    "plot_scenario_diff",
    "price",
    "read_dataset",
    "refine",
    "reprice",
    "route",
    "routing_graph",
    "sea_leg",
    "settings",
    "simulate",
    "simulate_ranges",
    "skim",
    "status_on",
    "validate",
]

"""corridors: an offline-first geospatial, multimodal model of the Eurasian transport corridors.

Load the bundled network, route on it, compare scenarios::

    import corridors as cr
    net = cr.load_network(as_of="2026-11-26")
    r = cr.route(net, "xian", "duisburg", avoid_countries=["RUS", "BLR"])
    r.summary()
"""

from __future__ import annotations

from .errors import (
    CorridorsError,
    DatasetError,
    NoRouteError,
    ScenarioError,
    SeaRouteError,
    UnknownPlaceError,
    UsageError,
)
from .network import Network, load_network, read_dataset, status_on, validate
from .places import PlaceIndex, normalize
from .routing import (
    BorderCrossing,
    Leg,
    Route,
    Transfer,
    alternatives,
    route,
    routing_graph,
)
from .scenarios import Scenario, compare, list_scenarios, load_scenario
from .settings import Settings, settings

__version__ = "0.1.0"

__all__ = [
    "BorderCrossing",
    "CorridorsError",
    "DatasetError",
    "Leg",
    "Network",
    "NoRouteError",
    "PlaceIndex",
    "Route",
    "Scenario",
    "ScenarioError",
    "SeaRouteError",
    "Settings",
    "Transfer",
    "UnknownPlaceError",
    "UsageError",
    "__version__",
    "alternatives",
    "compare",
    "list_scenarios",
    "load_network",
    "load_scenario",
    "normalize",
    "read_dataset",
    "route",
    "routing_graph",
    "settings",
    "status_on",
    "validate",
]

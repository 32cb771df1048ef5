"""What static and interactive maps share: colours by mode and route, the source line, the basemap.

Neither kind of map styles its lines on its own, so a route is the same colour in a PNG and on
the interactive page.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from .errors import DatasetError
from .settings import bundled_path

if TYPE_CHECKING:
    import geopandas as gpd

MODE_STYLE: dict[str, dict[str, Any]] = {
    "rail": {"color": "#6b6257", "linewidth": 0.9},
    "road": {"color": "#c2a57a", "linewidth": 0.7},
    "ferry": {"color": "#5b8db8", "linewidth": 0.9},
    "sea": {"color": "#9dbad6", "linewidth": 0.8},
    "river": {"color": "#3d7ab8", "linewidth": 0.9},
}
ROUTE_COLORS = [
    "#d62728",
    "#1f77b4",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
]
"""Line colour and width of each mode on maps."""

SOURCE_LINE = (
    "Data: corridors dataset (sources per link in data/geo), Natural Earth 1:10m (public "
    "domain), searoute/Eurostat MARNET."
)
"""Attribution printed on every map."""


@cache
def basemap() -> gpd.GeoDataFrame:
    """Return the country outlines of the bundled basemap (Natural Earth 1:10m, lon/lat).

    Loaded once per session; the same outlines whichever dataset is drawn.
    """
    import geopandas as gpd

    # the bundled basemap, whichever dataset is drawn: a user's dataset need not carry one
    path = bundled_path("geo/countries.geojson")
    if path is None:
        raise DatasetError(
            [
                "the bundled country basemap (data/geo/countries.geojson) is missing; "
                "reinstall corridors"
            ],
            where="corridors",
        )
    return gpd.read_file(path)


__all__ = ["MODE_STYLE", "ROUTE_COLORS", "SOURCE_LINE", "basemap"]

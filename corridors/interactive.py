"""Interactive maps: one self-contained HTML page (Leaflet inlined) that works offline.

The page is ``corridors/templates/explore.html`` with the data, Leaflet's code and styles
filled in; routes are layers with a popup per leg citing its figures, the network's links have
popups with their status and source.
"""

from __future__ import annotations

import html
import json
import string
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ._geojson import write_text_atomic
from .errors import UsageError
from .mapstyle import MODE_STYLE, ROUTE_COLORS, SOURCE_LINE, basemap
from .network import Network

if TYPE_CHECKING:
    from .routing import Route


@dataclass
class InteractiveMap:
    """A self-contained HTML map (Leaflet inlined). Shows itself in Jupyter; ``save`` writes it."""

    html: str

    def save(self, path: str | Path) -> Path:
        """Write the HTML file atomically and return its path."""
        path = Path(path)
        if path.suffix.lower() not in (".html", ".htm"):
            raise UsageError(f"cannot write {path.name} as an interactive map: use .html")
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, self.html)
        return path

    def __repr__(self) -> str:
        return f"<InteractiveMap: {len(self.html) / 1e6:.1f} MB of HTML; .save('map.html')>"

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.html)}" style="width:100%;height:520px;'
            'border:none"></iframe>'
        )


@cache
def _page_template() -> string.Template:
    """Return the page around the data, with ``${name}`` placeholders.

    ``string.Template`` rather than ``str.format``: the page's script is full of braces and
    has no ``$``.
    """
    from importlib.resources import files

    text = (files("corridors") / "templates" / "explore.html").read_text(encoding="utf-8")
    return string.Template(text)


@cache
def _leaflet() -> tuple[str, str]:
    from importlib.resources import files

    static = files("js_lib_leaflet") / "static" / "js_lib_leaflet"
    return (static / "leaflet.js").read_text(encoding="utf-8"), (static / "leaflet.css").read_text(
        encoding="utf-8"
    )


@cache
def _basemap_geojson() -> dict:
    frame = basemap()[["ADM0_A3", "name", "geometry"]].copy()
    frame["geometry"] = frame.geometry.simplify(0.05, preserve_topology=True)
    return json.loads(frame.to_json(drop_id=True))


def _route_features(routes: Sequence[Route], names: Sequence[str]) -> list[dict]:
    layers = []
    for i, r in enumerate(routes):
        features = []
        for leg, coords in zip(r.legs, r.leg_coords, strict=True):
            mode = f"{leg.mode} {leg.gauge_mm}" if leg.gauge_mm else leg.mode
            popup = (
                f"<b>{html.escape(leg.from_node)} → {html.escape(leg.to_node)}</b><br>"
                f"{mode}, {leg.country or 'at sea'}<br>{leg.distance_km:,.0f} km · "
                f"{leg.time_h:,.1f} h · USD {leg.cost_usd:,.0f}/TEU · "
                f"{leg.co2_kg:,.0f} kg CO2e<br><small>{html.escape(leg.link)}"
                f"{_cited_html(leg.provenance)}</small>"
            )
            features.append(
                {
                    "type": "Feature",
                    "properties": {"popup": popup},
                    "geometry": {"type": "LineString", "coordinates": coords},
                }
            )
        summary = (
            f"{names[i]}: {r.distance_km:,.0f} km, {r.time_h / 24:.1f} days, "
            f"USD {r.cost_usd:,.0f}/TEU, {'-'.join(r.countries)}"
        )
        layers.append(
            {
                "name": html.escape(summary),
                "color": ROUTE_COLORS[i % len(ROUTE_COLORS)],
                "data": {"type": "FeatureCollection", "features": features},
            }
        )
    return layers


def _cited_html(provenance: Sequence[tuple[str, float, str]], *, limit: int = 160) -> str:
    """Length and speed of a leg with their sources, as popup lines (long sources cut)."""
    lines = []
    for quantity, value, source in provenance:
        if quantity not in ("length_km", "speed_kmh"):
            continue
        text = source if len(source) <= limit else source[: limit - 1] + "…"
        what = "length" if quantity == "length_km" else f"speed {value:,.0f} km/h"
        lines.append(f"<br>{what}: {html.escape(text)}")
    return "".join(lines)


def _network_features(net: Network) -> dict:
    features = []
    for link_id, p in net.link_records.items():
        status = net.link_status(link_id)
        if status is None:
            continue
        popup = (
            f"<b>{html.escape(p.get('name') or link_id)}</b><br>{p['mode']}"
            f"{' ' + str(p['gauge_mm']) if p.get('gauge_mm') else ''}, {p.get('country') or 'sea'}"
            f"<br>{p['length_km']:,.0f} km · {status} on {net.as_of}<br>"
            f"<small>{html.escape(str(p.get('source', '')))[:200]}</small>"
        )
        features.append(
            {
                "type": "Feature",
                "properties": {"popup": popup, "mode": p["mode"], "open": status == "open"},
                "geometry": {"type": "LineString", "coordinates": p["coords"]},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def explore(
    routes_or_network: Route | Sequence[Route] | Network,
    *,
    net: Network | None = None,
    names: Sequence[str] | None = None,
    title: str = "corridors",
) -> InteractiveMap:
    """Return an interactive map of routes and/or a network that works without internet.

    Leaflet's JavaScript and CSS and the country outlines are inlined; web tiles are an optional
    layer. Each route is a layer with a popup per leg (km, h, USD, kg CO2e); the network's links
    have popups with their status and source.

    Parameters
    ----------
    routes_or_network
        A route, a list of routes, or a network.
    net
        Network to show under routes (optional).
    names
        Layer names of the routes; ``"1. origin → destination"`` by default.
    title
        Page title.

    Returns
    -------
    InteractiveMap
        Displays in Jupyter; ``.save("map.html")`` writes it.
    """
    if isinstance(routes_or_network, Network):
        routes: list[Route] = []
        net = routes_or_network
    else:
        routes = (
            [routes_or_network]
            if not isinstance(routes_or_network, Sequence)
            else list(routes_or_network)
        )
    names = (
        list(names)
        if names
        else [f"{i + 1}. {r.origin} → {r.destination}" for i, r in enumerate(routes)]
    )
    js, css = _leaflet()
    data = {
        "countries": _basemap_geojson(),
        "network": _network_features(net) if net is not None else None,
        "routes": _route_features(routes, names),
    }
    page = _page_template().substitute(
        title=html.escape(title),
        css=css,
        js=js,
        data=json.dumps(data, ensure_ascii=False).replace("</", "<\\/"),
        modes=json.dumps({m: s["color"] for m, s in MODE_STYLE.items()}),
        source=json.dumps(html.escape(SOURCE_LINE)),
    )
    return InteractiveMap(page)


__all__ = ["InteractiveMap", "explore"]

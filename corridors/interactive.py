"""Interactive maps: a :class:`folium.Map` that works offline, as ``GeoDataFrame.explore`` returns.

:func:`explore` draws the bundled country outlines as the base (no web tiles), the network's
links by mode, each route as a layer with a popup per leg citing its figures, labels for the
places where routes start, end, cross a border or change mode, a title and a legend. Leaflet's
JavaScript and CSS (from the ``django-js-lib-leaflet`` package, with its images as data URIs)
are written into the page instead of folium's CDN links, so a saved map opens without a network.
The result is a :class:`folium.Map`: add layers to it as to any other.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from ._files import replace_atomically
from .errors import UsageError
from .mapstyle import MODE_STYLE, ROUTE_COLORS, SOURCE_LINE, basemap
from .network import Network
from .schema import WATER_MODES

if TYPE_CHECKING:
    from .routing import Route

REGION_BOXES: dict[str, tuple[float, float, float, float]] = {
    "eurasia": (-2.0, 22.0, 124.0, 60.0),
    "caucasus": (40.6, 38.3, 50.4, 42.4),
    "caspian": (43.5, 36.0, 56.5, 47.5),
    "world": (-22.0, -38.0, 128.0, 62.0),
}
"""Named regions as ``(west, south, east, north)`` in degrees, the boxes of the static maps.

Kept here because static maps (:mod:`corridors.maps`) sit above this module; a test checks
that both name the same boxes.
"""

COUNTRY_STYLE = {"color": "#b9b2a6", "weight": 0.6, "fillColor": "#f4f1ea", "fillOpacity": 1.0}
"""Style of the country outlines drawn as the base of every interactive map."""

WATER_COLOR = "#e8f0f7"
"""Background of the map (the sea, where no country is drawn)."""

_LEAFLET_IMAGE = re.compile(r"url\((?:['\"])?images/([\w.-]+\.png)(?:['\"])?\)")


class InteractiveMap(folium.Map):
    """A :class:`folium.Map` whose page carries Leaflet itself instead of CDN links.

    Only Leaflet is inlined: folium's other defaults (jQuery, Bootstrap, Font Awesome) serve
    ``folium.Icon`` markers and are left out, so add those from a CDN yourself if you need them.
    ``save`` returns the path it wrote.
    """

    default_js: list[tuple[str, str]] = []  # noqa: RUF012 - folium's own class attribute
    default_css: list[tuple[str, str]] = []  # noqa: RUF012

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(tiles=None, **kwargs)
        js, css = _leaflet()
        header = self.get_root().header  # type: ignore[attr-defined]
        header.add_child(_Raw("style", css), name="leaflet_css")
        header.add_child(_Raw("script", js), name="leaflet")
        header.add_child(
            _Raw(
                "style",
                f".folium-map{{background:{WATER_COLOR}}}"
                ".corridors-label{font:11px sans-serif;padding:1px 4px}",
            ),
            name="corridors_css",
        )

    def save(self, outfile: str | Path, close_file: bool = True, **kwargs: Any) -> Path:  # type: ignore[override]
        """Write the page and return its path (``.html`` or ``.htm``).

        Raises
        ------
        UsageError
            If ``outfile`` has another suffix.
        """
        path = Path(outfile)
        if path.suffix.lower() not in (".html", ".htm"):
            raise UsageError(f"cannot write {path.name} as an interactive map: use .html")
        # written beside and renamed, so a reader never sees half a page
        return replace_atomically(
            path, lambda tmp: folium.Map.save(self, str(tmp), close_file=close_file, **kwargs)
        )


class _Raw(Element):
    """Text put into the page as it is, inside ``<tag>…</tag>``.

    No template: Leaflet's code has braces a template would read.
    """

    def __init__(self, tag: str, text: str) -> None:
        super().__init__()
        self._tag, self._text = tag, text

    def render(self, **kwargs: Any) -> str:
        return f"<{self._tag}>{self._text}</{self._tag}>"


class _MetricScale(MacroElement):
    """A scale bar in km only (folium's ``control_scale`` shows miles too)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )


class _FixedBox(MacroElement):
    """A box of HTML fixed on the map (title, legend) that does not catch map clicks."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div class="corridors-box" style="{{ this.style }}">{{ this.content }}</div>
        {% endmacro %}
        """
    )

    def __init__(self, content: str, style: str) -> None:
        super().__init__()
        self._name = "FixedBox"
        self.content, self.style = content, style


class _Popup(MacroElement):
    """A popup of HTML bound to its parent layer.

    ``folium.Popup`` builds its content with jQuery, which an offline page does not have.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.bindPopup({{ this.content|tojson }}, {maxWidth: 420});
        {% endmacro %}
        """
    )

    def __init__(self, content: str) -> None:
        super().__init__()
        self._name = "Popup"
        self.content = content


@cache
def _leaflet() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS, the CSS's images turned into data URIs."""
    from importlib.resources import files

    static = files("js_lib_leaflet") / "static" / "js_lib_leaflet"
    js = (static / "leaflet.js").read_text(encoding="utf-8")
    css = (static / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        data = (static / "images" / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode('ascii')})"

    # a relative url() would make the browser ask for a file beside the page
    js = js.replace("</script", "<\\/script")
    return js, _LEAFLET_IMAGE.sub(inline, css)


@cache
def _countries_geojson() -> str:
    """Return the bundled country outlines as GeoJSON, simplified to 0.02° (about 2 km)."""
    frame = basemap()[["ADM0_A3", "name", "geometry"]].copy()
    frame["geometry"] = frame.geometry.simplify(0.02, preserve_topology=True)
    return frame.to_json(drop_id=True, to_wgs84=False)


def region_box(region: str | Sequence[float]) -> tuple[float, float, float, float]:
    """Return ``(west, south, east, north)`` of a named region or check a given box, degrees.

    Raises
    ------
    UsageError
        For an unknown name or a box that is not west < east, south < north within ±180/±90.
    """
    if isinstance(region, str):
        if region not in REGION_BOXES:
            raise UsageError(
                f"unknown region {region!r}; use one of {', '.join(REGION_BOXES)} or a bbox"
            )
        return REGION_BOXES[region]
    values = tuple(float(v) for v in region)
    if len(values) != 4:
        raise UsageError(f"bad bbox {tuple(region)}; give west, south, east, north in degrees")
    west, south, east, north = values
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise UsageError(f"bad bbox {values}; give west, south, east, north in degrees")
    return west, south, east, north


def _place_name(net: Network | None, node: str) -> str:
    record = net.node_records.get(node) if net is not None else None
    return str(record.get("name") or node) if record else node


def _leg_popup(leg: Any) -> str:
    mode = f"{leg.mode} {leg.gauge_mm}" if leg.gauge_mm else leg.mode
    return (
        f"<b>{html.escape(leg.from_node)} → {html.escape(leg.to_node)}</b><br>"
        f"{mode}, {leg.country or 'at sea'}<br>{leg.distance_km:,.0f} km · "
        f"{leg.time_h:,.1f} h · USD {leg.cost_usd:,.0f}/TEU · "
        f"{leg.co2_kg:,.0f} kg CO2e<br><small>{html.escape(leg.link)}"
        f"{_cited_html(leg.provenance)}</small>"
    )


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


def _route_summary(r: Route) -> str:
    return (
        f"{r.distance_km:,.0f} km, {r.time_h / 24:.1f} days, USD {r.cost_usd:,.0f}/TEU, "
        f"{'-'.join(r.countries)}"
    )


def _add_route(m: folium.Map, r: Route, name: str, color: str) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=f"{html.escape(name)}: {_route_summary(r)}")
    for leg, coords in zip(r.legs, r.leg_coords, strict=True):
        line = folium.PolyLine(
            [(lat, lon) for lon, lat in coords],
            color=color,
            weight=5,
            opacity=0.9,
            # water legs dashed, as in the legend, so the mode reads without clicking
            dash_array="8 6" if leg.mode in WATER_MODES else None,
            tooltip=f"{html.escape(name)}: {leg.from_node} → {leg.to_node} ({leg.mode})",
        )
        line.add_child(_Popup(_leg_popup(leg)))
        line.add_to(group)
    group.add_to(m)
    return group


def _route_places(routes: Sequence[Route]) -> dict[str, str]:
    """Places worth a label: ends, border crossings and transfers; ``{node: what}``."""
    out: dict[str, str] = {}
    for r in routes:
        out.setdefault(r.origin, "origin")
        out.setdefault(r.destination, "destination")
        for b in r.border_crossings:
            out.setdefault(b.at, f"border {b.from_country}→{b.to_country}")
        for t in r.transfers:
            out.setdefault(t.at, f"{t.kind} change")
    return out


def _node_xy(routes: Sequence[Route], net: Network | None) -> dict[str, tuple[float, float]]:
    """Lon/lat of each route node, from the network or else from the legs' ends."""
    xy: dict[str, tuple[float, float]] = {}
    for r in routes:
        for leg, coords in zip(r.legs, r.leg_coords, strict=True):
            xy.setdefault(leg.from_node, tuple(coords[0]))  # type: ignore[arg-type]
            xy.setdefault(leg.to_node, tuple(coords[-1]))  # type: ignore[arg-type]
    if net is not None:
        for node in xy:
            record = net.node_records.get(node)
            if record and "lon" in record and "lat" in record:
                xy[node] = (float(record["lon"]), float(record["lat"]))
    return xy


def _add_places(m: folium.Map, routes: Sequence[Route], net: Network | None) -> None:
    xy = _node_xy(routes, net)
    group = folium.FeatureGroup(name="Places on the routes")
    for node, what in _route_places(routes).items():
        if node not in xy:
            continue
        lon, lat = xy[node]
        label = html.escape(_place_name(net, node))
        marker = folium.CircleMarker(
            (lat, lon),
            radius=4,
            color="#333333",
            weight=1,
            fill=True,
            fill_color="#ffffff",
            fill_opacity=1.0,
            tooltip=folium.Tooltip(
                f"{label}", permanent=True, direction="right", class_name="corridors-label"
            ),
        )
        marker.add_child(_Popup(f"<b>{label}</b> ({html.escape(node)})<br>{html.escape(what)}"))
        marker.add_to(group)
    group.add_to(m)


def _add_network(m: folium.Map, net: Network) -> None:
    """Draw the network's links as on ``net.as_of``: one layer, by mode, not-open links dashed."""
    by_style: dict[tuple[str, bool], list[dict[str, Any]]] = {}
    for link_id, p in net.link_records.items():
        status = net.link_status(link_id)
        if status is None:
            continue
        popup = (
            f"<b>{html.escape(p.get('name') or link_id)}</b><br>{p['mode']}"
            f"{' ' + str(p['gauge_mm']) if p.get('gauge_mm') else ''}, {p.get('country') or 'sea'}"
            f"<br>{p['length_km']:,.0f} km · {status} on {net.as_of}<br>"
            f"<small>{html.escape(str(p.get('source', ''))[:200])}</small>"
        )
        by_style.setdefault((p["mode"], status == "open"), []).append(
            {
                "type": "Feature",
                "properties": {"popup": popup},
                "geometry": {"type": "LineString", "coordinates": p["coords"]},
            }
        )
    group = folium.FeatureGroup(name=f"Network on {net.as_of} (dashed: not open)")
    for (mode, is_open), features in sorted(by_style.items()):
        color = MODE_STYLE.get(mode, {}).get("color", "#888888")
        style = {
            "color": color,
            "weight": 1.5,
            "opacity": 0.8,
            "dashArray": None if is_open else "4 4",
        }
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            style_function=lambda _f, s=style: s,
            popup=folium.GeoJsonPopup(fields=["popup"], labels=False),
            control=False,
        ).add_to(group)
    group.add_to(m)


def _legend_html(names: Sequence[str], colors: Sequence[str], *, network: bool) -> str:
    rows = [
        f'<div><span style="display:inline-block;width:18px;border-top:4px solid {c};'
        f'margin-right:6px;vertical-align:middle"></span>{html.escape(n)}</div>'
        for n, c in zip(names, colors, strict=True)
    ]
    if names:
        rows.append(
            '<div><span style="display:inline-block;width:18px;border-top:4px dashed #555;'
            'margin-right:6px;vertical-align:middle"></span>ferry or sea leg</div>'
        )
    if network:
        rows.append("<div style='margin-top:4px'><b>Network by mode</b></div>")
        rows += [
            f'<div><span style="display:inline-block;width:18px;border-top:2px solid '
            f'{s["color"]};margin-right:6px;vertical-align:middle"></span>{mode}</div>'
            for mode, s in MODE_STYLE.items()
        ]
    rows.append(
        f"<div style='margin-top:4px;color:#666;max-width:320px'>{html.escape(SOURCE_LINE)}</div>"
    )
    return "".join(rows)


def _default_title(routes: Sequence[Route], net: Network | None) -> str:
    if not routes:
        return f"corridors network on {net.as_of}" if net is not None else "corridors"
    pairs = list(dict.fromkeys((r.origin, r.destination) for r in routes))
    if len(pairs) > 1:
        return f"{len(routes)} routes, {len(pairs)} pairs, as of {routes[0].as_of}"
    a, b = pairs[0]
    what = "best route" if len(routes) == 1 else f"{len(routes)} routes"
    return f"{_place_name(net, a)} → {_place_name(net, b)}: {what}, as of {routes[0].as_of}"


def _bounds(routes: Sequence[Route]) -> tuple[float, float, float, float] | None:
    points = [p for r in routes for coords in r.leg_coords for p in coords]
    if not points:
        return None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)


def explore(
    routes: Route | Sequence[Route] | Network,
    net: Network | None = None,
    *,
    region: str | Sequence[float] | None = None,
    title: str | None = None,
    names: Sequence[str] | None = None,
    network: bool = True,
    places: bool = True,
    width: str = "100%",
    height: str = "100%",
) -> InteractiveMap:
    """Return an interactive map of routes and/or a network as a :class:`folium.Map`.

    Saved (``m.save("map.html")``), the page makes no network request: Leaflet and the country
    outlines are inside it and there are no web tiles (add a ``folium.TileLayer`` if you want
    them). Each route is a layer with a popup per leg (km, h, USD and kg CO2e per TEU, and the
    sources of its length and speed); the network's links are drawn by mode, dashed where not
    open on the network's date; places where routes start, end, cross a border or change mode
    are labelled. A title, a legend and a collapsed layer control (top right) are on the map.

    Parameters
    ----------
    routes
        A route, a list of routes, or a network (then only the network is drawn).
    net
        Network drawn under the routes and whose place names label them (optional).
    region
        ``"eurasia"``, ``"caucasus"``, ``"caspian"``, ``"world"`` or a ``(west, south, east,
        north)`` box in degrees: the map opens fitted to it. By default it fits the routes, or
        the network.
    title
        Title shown on the map and as the page title; by default it names the pair and date.
    names
        Layer and legend names of the routes (e.g. the scenario of each); ``"1. origin →
        destination"`` by default.
    network
        Draw the network's links under the routes (when ``net`` is given).
    places
        Label the places where routes start, end, cross a border or change mode.
    width, height
        Size of the map in CSS units.

    Returns
    -------
    InteractiveMap
        A :class:`folium.Map`; displays in Jupyter, ``.save("map.html")`` writes it and returns
        the path.

    Raises
    ------
    UsageError
        For an unknown region, a bad box, or as many names as routes not given.

    Examples
    --------
    >>> import corridors as cr
    >>> net = cr.load_network()
    >>> m = cr.explore(cr.alternatives(net, "baku", "kars", k=2), net=net, region="caucasus")
    >>> m.save("baku_kars.html")  # doctest: +SKIP
    """
    if isinstance(routes, Network):
        chosen: list[Route] = []
        net = routes
    elif isinstance(routes, Sequence):
        chosen = list(routes)
    else:
        chosen = [routes]
    if names is not None and len(names) != len(chosen):
        raise UsageError(f"names: give one name per route ({len(chosen)}), not {len(names)}")
    labels = (
        list(names)
        if names is not None
        else [f"{i + 1}. {r.origin} → {r.destination}" for i, r in enumerate(chosen)]
    )
    box = region_box(region) if region is not None else _bounds(chosen)
    if box is None:
        box = REGION_BOXES["caucasus" if net is None else "eurasia"]
    shown_title = title if title is not None else _default_title(chosen, net)

    m = InteractiveMap(width=width, height=height, zoom_snap=0.25)
    m.get_root().title = shown_title  # type: ignore[attr-defined]
    folium.GeoJson(
        _countries_geojson(),
        name="Countries (Natural Earth 1:10m)",
        style_function=lambda _f: COUNTRY_STYLE,
        interactive=False,
        overlay=False,  # the base layer: a radio button in the layer control
    ).add_to(m)
    if net is not None and network:
        _add_network(m, net)
    colors = [ROUTE_COLORS[i % len(ROUTE_COLORS)] for i in range(len(chosen))]
    for r, label, color in zip(chosen, labels, colors, strict=True):
        _add_route(m, r, label, color)
    if places and chosen:
        _add_places(m, chosen, net)
    west, south, east, north = box
    m.fit_bounds([[south, west], [north, east]], padding=(10, 10))
    # collapsed, so the list of layers does not cover the route
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    _MetricScale().add_to(m)
    _FixedBox(
        f"<b>{html.escape(shown_title)}</b>",
        "position:absolute;top:10px;left:50%;transform:translateX(-50%);z-index:1000;"
        "background:rgba(255,255,255,.9);padding:4px 10px;border-radius:4px;"
        "font:14px sans-serif;box-shadow:0 0 4px rgba(0,0,0,.3);pointer-events:none",
    ).add_to(m)
    _FixedBox(
        _legend_html(labels, colors, network=net is not None and network),
        "position:absolute;bottom:24px;left:10px;z-index:1000;background:#fff;padding:6px 8px;"
        "font:12px sans-serif;border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.3);"
        "max-height:45%;overflow:auto",
    ).add_to(m)
    return m


__all__ = ["COUNTRY_STYLE", "REGION_BOXES", "InteractiveMap", "explore", "region_box"]

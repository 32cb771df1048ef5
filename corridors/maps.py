"""Static maps (Matplotlib); interactive maps are :mod:`corridors.interactive` (re-exported).

Static maps draw the bundled country basemap, the network in muted colours by mode (links that
are not open on the date dashed), routes in distinct colours with a legend that states km and
days, labels for key places without overlaps, a graticule, a scale bar, a title and a source
line — in a projection chosen for the region (Lambert conformal conic for Eurasia, UTM 38N for
the South Caucasus), not raw lon/lat. Every ``plot_*`` function returns the Matplotlib ``Axes``.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from matplotlib.figure import Figure

from .comparison import link_changes, scenario_changes
from .errors import UsageError
from .interactive import InteractiveMap, explore
from .mapstyle import MODE_STYLE, ROUTE_COLORS, SOURCE_LINE, basemap
from .network import Network

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from pyproj import Transformer

    from .comparison import Comparison
    from .routing import Route
    from .scenarios import Scenario


@dataclass(frozen=True)
class Region:
    """A map extent (lon/lat) and the projection that suits it."""

    name: str
    bbox: tuple[float, float, float, float]  # west, south, east, north
    crs: str
    graticule_deg: float
    label_kinds: tuple[str, ...]  # which node kinds get labels


REGIONS: dict[str, Region] = {
    "eurasia": Region(
        "eurasia",
        (-2.0, 22.0, 124.0, 60.0),
        "+proj=lcc +lat_0=45 +lon_0=60 +lat_1=33 +lat_2=57 +datum=WGS84 +units=m +no_defs",
        10.0,
        ("city", "port"),
    ),
    "caucasus": Region(
        "caucasus",
        (40.6, 38.3, 50.4, 42.4),
        "EPSG:32638",
        1.0,
        ("city", "port", "border", "station"),
    ),
    "caspian": Region(
        "caspian",
        (43.5, 36.0, 56.5, 47.5),
        "+proj=lcc +lat_0=42 +lon_0=50 +lat_1=38 +lat_2=46 +datum=WGS84 +units=m +no_defs",
        2.0,
        ("city", "port"),
    ),
    "world": Region(
        "world",
        (-22.0, -38.0, 128.0, 62.0),
        "+proj=robin +lon_0=55 +datum=WGS84 +units=m +no_defs",
        20.0,
        ("port", "city"),
    ),
}
"""Named regions: ``eurasia`` (China to the North Sea), ``caucasus``, ``caspian``, ``world``."""

KEY_PLACES = [
    "xian",
    "chongqing",
    "urumqi",
    "shanghai",
    "almaty",
    "tashkent",
    "aktau",
    "kuryk",
    "turkmenbashi",
    "baku",
    "alat",
    "tbilisi",
    "kars",
    "istanbul",
    "ankara",
    "moscow",
    "minsk",
    "warsaw",
    "duisburg",
    "hamburg",
    "rotterdam",
    "piraeus",
    "constanta",
    "tehran",
    "tabriz",
    "yerevan",
    "nakhchivan",
    "khankendi",
    "meghri",
    "julfa",
    "horadiz",
    "aghband",
    "lachin",
    "goris",
    "aghdam",
    "akhalkalaki",
    "poti",
    "batumi",
    "ganja",
    "gyumri",
    "dilucu",
    "igdir",
    "dostyk",
    "khorgos",
    "brest",
    "beyneu",
    "sofia",
    "budapest",
    "vienna",
]
"""Places labelled first when they are on the map."""

DIFF_STYLE = {
    "opened": ("#1a9641", "opened"),
    "closed": ("#d7191c", "closed or not usable"),
    "slower": ("#fdae61", "slower (> 5 %)"),
    "faster": ("#2b83ba", "faster (> 5 %)"),
}


def region_for(
    region: str | Sequence[float] | None, *, extent: Sequence[float] | None = None
) -> Region:
    """Return a :class:`Region` from a name, a ``(west, south, east, north)`` box, or an extent.

    With ``region=None`` the smallest named region that holds ``extent`` is chosen.
    """
    if isinstance(region, str):
        if region not in REGIONS:
            raise UsageError(
                f"unknown region {region!r}; use one of {', '.join(REGIONS)} or a bbox"
            )
        return REGIONS[region]
    if region is not None:
        west, south, east, north = (float(v) for v in region)
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise UsageError(f"bad bbox {tuple(region)}; give west, south, east, north in degrees")
        lat_1, lat_2 = south + (north - south) / 6, north - (north - south) / 6
        crs = (
            f"+proj=lcc +lat_0={(south + north) / 2:.3f} +lon_0={(west + east) / 2:.3f} "
            f"+lat_1={lat_1:.3f} +lat_2={lat_2:.3f} +datum=WGS84 +units=m +no_defs"
        )
        step = _nice_step(max(east - west, north - south) / 6)
        return Region("bbox", (west, south, east, north), crs, step, ("city", "port", "border"))
    if extent is None:
        return REGIONS["eurasia"]
    for name in ("caucasus", "caspian", "eurasia", "world"):
        w, s, e, n = REGIONS[name].bbox
        if extent[0] >= w and extent[1] >= s and extent[2] <= e and extent[3] <= n:
            return REGIONS[name]
    return REGIONS["world"]


def _nice_step(raw: float) -> float:
    for step in (0.5, 1, 2, 5, 10, 20, 30):
        if raw <= step:
            return float(step)
    return 30.0


def _clip(frame: gpd.GeoDataFrame, region: Region) -> gpd.GeoDataFrame:
    from shapely.geometry import box

    w, s, e, n = region.bbox
    pad_x, pad_y = (e - w) * 0.15, (n - s) * 0.15
    return frame.clip(box(w - pad_x, max(-89.0, s - pad_y), e + pad_x, min(89.0, n + pad_y)))


def _frame_extent(ax: Axes, region: Region) -> None:
    from pyproj import Transformer

    w, s, e, n = region.bbox
    to = Transformer.from_crs("EPSG:4326", region.crs, always_xy=True)
    steps = 40
    edge = (
        [(w + (e - w) * i / steps, s) for i in range(steps + 1)]
        + [(w + (e - w) * i / steps, n) for i in range(steps + 1)]
        + [(w, s + (n - s) * i / steps) for i in range(steps + 1)]
        + [(e, s + (n - s) * i / steps) for i in range(steps + 1)]
    )
    xs, ys = _project(to, edge)
    ax.set_xlim(min(xs), max(xs))
    ax.set_ylim(min(ys), max(ys))
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    figure = ax.figure
    if isinstance(figure, Figure) and figure in _FITTED:  # ours: fit its height to the map
        width = figure.get_figwidth()
        aspect = (max(ys) - min(ys)) / (max(xs) - min(xs))
        figure.set_figheight(min(max(width * 0.96 * aspect / 0.86, 3.0), width * 1.4))


# Figures _new_axes made (their height is fitted to the map); held weakly, so closing one lets
# it go.
_FITTED: weakref.WeakSet[Figure] = weakref.WeakSet()


def _figure(ax: Axes) -> Figure:
    """Return the figure ``ax`` is drawn in (the whole figure for an axes of a subfigure)."""
    figure = ax.figure
    return figure if isinstance(figure, Figure) else figure.figure


def _project(
    to: Transformer, points: Sequence[tuple[float, float]]
) -> tuple[list[float], list[float]]:
    """Project lon/lat ``points``, degrees, with ``to``; return their x and y, map units."""
    xs, ys = to.transform([p[0] for p in points], [p[1] for p in points])
    return list(xs), list(ys)


def _new_axes(ax: Axes | None, *, figsize: tuple[float, float] = (12, 7.5)) -> Axes:
    import matplotlib

    if ax is not None:
        return ax
    if matplotlib.get_backend().lower() not in ("agg", "module://matplotlib_inline.backend_inline"):
        try:
            import IPython  # noqa: F401  (in a notebook keep the inline backend)
        except ImportError:
            matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figsize, dpi=110)
    fig.subplots_adjust(left=0.02, right=0.98, top=0.93, bottom=0.07)
    _FITTED.add(fig)
    return ax


def _draw_base(ax: Axes, region: Region) -> None:
    countries = _clip(basemap(), region).to_crs(region.crs)
    ax.set_facecolor("#e8f0f7")
    countries.plot(ax=ax, color="#f4f1ea", edgecolor="#b9b2a6", linewidth=0.4, zorder=1)
    _graticule(ax, region)
    _frame_extent(ax, region)
    _label_countries(ax, countries)


def _label_countries(ax: Axes, countries: gpd.GeoDataFrame) -> None:
    """Name the countries that show a fair area on the map, in muted capitals."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    view = (x1 - x0) * (y1 - y0)
    for row in countries.itertuples():
        if row.geometry.is_empty or row.geometry.area < view * 0.004:
            continue
        point = row.geometry.representative_point()
        if x0 < point.x < x1 and y0 < point.y < y1:
            ax.text(
                point.x,
                point.y,
                str(row.name).upper(),
                fontsize=6.5,
                color="#a59d90",
                ha="center",
                va="center",
                zorder=2,
                style="italic",
            )


def _graticule(ax: Axes, region: Region) -> None:
    from pyproj import Transformer

    to = Transformer.from_crs("EPSG:4326", region.crs, always_xy=True)
    step = region.graticule_deg
    w, s, e, n = region.bbox
    lons = [x * step for x in range(math.floor(w / step) - 1, math.ceil(e / step) + 2)]
    lats = [y * step for y in range(math.floor(s / step) - 1, math.ceil(n / step) + 2)]
    lo_min, lo_max = max(-180, w - 20), min(180, e + 20)
    la_min, la_max = max(-85, s - 10), min(85, n + 10)
    for lon in lons:
        if -180 <= lon <= 180:
            pts = [(lon, la_min + (la_max - la_min) * i / 60) for i in range(61)]
            ax.plot(*_project(to, pts), color="#c9d6e3", lw=0.4, zorder=0.5)
    for lat in lats:
        if -85 <= lat <= 85:
            pts = [(lo_min + (lo_max - lo_min) * i / 120, lat) for i in range(121)]
            ax.plot(*_project(to, pts), color="#c9d6e3", lw=0.4, zorder=0.5)


def _scale_bar(ax: Axes, region: Region) -> None:
    from pyproj import Geod, Transformer

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    back = Transformer.from_crs(region.crs, "EPSG:4326", always_xy=True)
    bx, by = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.05
    lon_a, lat_a = back.transform(bx, by)
    lon_b, lat_b = back.transform(bx + (x1 - x0) * 0.2, by)
    km = Geod(ellps="WGS84").inv(lon_a, lat_a, lon_b, lat_b)[2] / 1000
    nice = _nice_km(km)
    length = (x1 - x0) * 0.2 * nice / km
    ax.plot([bx, bx + length], [by, by], color="#333333", lw=2.5, solid_capstyle="butt", zorder=9)
    ax.text(
        bx + length / 2,
        by + (y1 - y0) * 0.012,
        f"{nice:,.0f} km",
        ha="center",
        va="bottom",
        fontsize=8,
        color="#333333",
        zorder=9,
    )


def _nice_km(km: float) -> float:
    magnitude = 10 ** math.floor(math.log10(km))
    for factor in (5, 2, 1):
        if factor * magnitude <= km:
            return factor * magnitude
    return magnitude


def _finish(ax: Axes, region: Region, title: str | None) -> Axes:
    ax.set_xlabel("")
    ax.set_ylabel("")
    _scale_bar(ax, region)
    if title:
        ax.set_title(title, fontsize=12, loc="left")
    ax.figure.text(0.02, 0.015, SOURCE_LINE, fontsize=7, color="#555555", ha="left")
    return ax


def _links_frame(net: Network, region: Region) -> gpd.GeoDataFrame:
    links = net.all_links
    links = links[links["status"].notna()]
    return _clip(links, region).to_crs(region.crs)


def _draw_network(ax: Axes, net: Network, region: Region, *, muted: bool = False) -> None:
    frame = _links_frame(net, region)
    alpha = 0.45 if muted else 0.9
    for mode, style in MODE_STYLE.items():
        sub = frame[frame["mode"] == mode]
        if sub.empty:
            continue
        open_ = sub[sub["status"] == "open"]
        other = sub[sub["status"] != "open"]
        if not open_.empty:
            open_.plot(ax=ax, alpha=alpha, zorder=3, **style)
        if not other.empty:
            other.plot(ax=ax, alpha=alpha, zorder=3, linestyle=(0, (3, 2)), **style)


def _label_places(
    ax: Axes, net: Network, region: Region, *, places: Iterable[str] = (), limit: int = 40
) -> None:
    """Label key places greedily, most important first, skipping labels that would overlap."""
    import geopandas as gpd
    from shapely import Point

    forced = list(dict.fromkeys(places))
    others = [i for i, p in net.node_records.items() if p.get("kind") in region.label_kinds]
    ranked = [i for i in KEY_PLACES if i in net.node_records] + others
    candidates = forced + [i for i in dict.fromkeys(ranked) if i not in forced]
    w, s, e, n = region.bbox
    inside = [
        i
        for i in candidates
        if w <= net.node_records[i]["lon"] <= e and s <= net.node_records[i]["lat"] <= n
    ]
    if not inside:
        return
    points = gpd.GeoSeries(
        [Point(net.node_records[i]["lon"], net.node_records[i]["lat"]) for i in inside],
        crs="EPSG:4326",
    ).to_crs(region.crs)
    # an Agg canvas: the backend _new_axes chooses, and the one inline notebooks draw with
    renderer = cast("FigureCanvasAgg", _figure(ax).canvas).get_renderer()
    placed: list[Any] = []
    count = 0
    for node_id, point in zip(inside, points, strict=True):
        if count >= limit and node_id not in forced:
            break
        ax.plot(point.x, point.y, "o", ms=2.6, color="#222222", zorder=6)
        name = net.node_records[node_id]["name"].split(" (")[0].split(" / ")[0].split("–")[0]
        label = ax.text(
            point.x,
            point.y,
            " " + name,
            fontsize=7.5,
            color="#222222",
            zorder=7,
            va="bottom",
            ha="left",
        )
        box = label.get_window_extent(renderer).expanded(1.05, 1.1)
        if any(box.overlaps(other) for other in placed) and node_id not in forced:
            label.remove()
            continue
        placed.append(box)
        count += 1


# --- public static maps --------------------------------------------------------------------
def plot_network(
    net: Network,
    *,
    region: str | Sequence[float] = "eurasia",
    ax: Axes | None = None,
    labels: bool = True,
    title: str | None = None,
) -> Axes:
    """Draw the network on its date: links by mode, dashed where not open.

    Parameters
    ----------
    net
        Network from :func:`corridors.load_network`.
    region
        ``eurasia``, ``caucasus``, ``caspian``, ``world`` or ``(west, south, east, north)``.
    ax
        Axes to draw on (a new figure when ``None``).
    labels
        Label key places.
    title
        Title; a default naming the region and date when ``None``.

    Returns
    -------
    matplotlib.axes.Axes
    """
    reg = region_for(region)
    ax = _new_axes(ax)
    _draw_base(ax, reg)
    _draw_network(ax, net, reg)
    if labels:
        _label_places(ax, net, reg)
    _legend_modes(ax)
    return _finish(ax, reg, title or f"Corridor network, as of {net.as_of}")


def _legend_modes(ax: Axes, *, extra: Sequence[Any] = ()) -> None:
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], label=mode, **style) for mode, style in MODE_STYLE.items()]
    handles.append(
        Line2D(
            [],
            [],
            color="#6b6257",
            lw=0.9,
            linestyle=(0, (3, 2)),
            label="not open (planned, closed…)",
        )
    )
    legend = ax.legend(
        handles=[*extra, *handles], loc="upper right", fontsize=7.5, frameon=True, framealpha=0.9
    )
    legend.set_zorder(10)


def _route_extent(routes: Sequence[Route]) -> tuple[float, float, float, float]:
    xs = [x for r in routes for line in r.leg_coords for x, _ in line]
    ys = [y for r in routes for line in r.leg_coords for _, y in line]
    return min(xs), min(ys), max(xs), max(ys)


def plot_routes(
    routes: Route | Sequence[Route],
    *,
    region: str | Sequence[float] | None = None,
    ax: Axes | None = None,
    net: Network | None = None,
    labels: Sequence[str] | None = None,
    title: str | None = None,
) -> Axes:
    """Draw routes in distinct colours over the network, with km and days in the legend.

    Parameters
    ----------
    routes
        One route or several (e.g. from :func:`corridors.alternatives`).
    region
        Region name or bbox; the smallest named region that holds the routes when ``None``.
    ax
        Axes to draw on (a new figure when ``None``).
    net
        Network drawn muted underneath (none when ``None``).
    labels
        Legend labels, one per route; ``"origin → destination"`` by default.
    title
        Map title.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import geopandas as gpd
    from matplotlib.lines import Line2D
    from shapely import MultiLineString

    routes = [routes] if not isinstance(routes, Sequence) else list(routes)
    if not routes:
        raise UsageError("no route to draw")
    reg = region_for(region, extent=_route_extent(routes))
    ax = _new_axes(ax)
    _draw_base(ax, reg)
    if net is not None:
        _draw_network(ax, net, reg, muted=True)
    handles = []
    for i, r in enumerate(routes):
        color = ROUTE_COLORS[i % len(ROUTE_COLORS)]
        geometry = gpd.GeoSeries([MultiLineString(r.leg_coords)], crs="EPSG:4326").to_crs(reg.crs)
        width = 3.2 - min(i, 4) * 0.45  # earlier routes underneath, wider
        geometry.plot(ax=ax, color=color, linewidth=width, alpha=0.85, zorder=4 + i * 0.01)
        name = labels[i] if labels else _default_label(r, i, routes, net)
        handles.append(Line2D([], [], color=color, lw=2.5, label=f"{name}: {_figures(r)}"))
    if net is not None:
        ends = [r.origin for r in routes] + [r.destination for r in routes]
        stops = [t.at for r in routes for t in r.transfers]
        _label_places(ax, net, reg, places=[*ends, *stops], limit=10)
    legend = ax.legend(handles=handles, loc="lower right", fontsize=8, framealpha=0.92)
    legend.set_zorder(10)
    if title is None and len({(q.origin, q.destination) for q in routes}) == 1:
        r = routes[0]
        title = (
            f"{_place_name(net, r.origin)} → {_place_name(net, r.destination)}: "
            f"{'best route' if len(routes) == 1 else f'{len(routes)} routes'}, "
            f"as of {r.as_of}, minimising {r.weight}"
        )
    return _finish(ax, reg, title)


def _figures(r: Route) -> str:
    """Return the figures a legend entry shows for a route: km and days."""
    return f"{r.distance_km:,.0f} km, {r.time_h / 24:.1f} days"


def _place_name(net: Network | None, node_id: str) -> str:
    if net is None or node_id not in net.node_records:
        return node_id
    return net.node_records[node_id]["name"].split(" (")[0]


def _default_label(r: Route, i: int, routes: Sequence[Route], net: Network | None) -> str:
    one_pair = len({(q.origin, q.destination) for q in routes}) == 1
    if one_pair:
        return f"{i + 1}. via {'-'.join(r.countries)}"
    return f"{_place_name(net, r.origin)} → {_place_name(net, r.destination)}"


def plot_scenario_diff(
    a: str | Path | Scenario | Network,
    b: str | Path | Scenario | Network,
    *,
    region: str | Sequence[float] = "eurasia",
    ax: Axes | None = None,
    net: Network | None = None,
    title: str | None = None,
) -> Axes:
    """Draw what changes from scenario (or network) ``a`` to ``b``.

    Links opened, closed (or made unusable), slowed or sped up by more than 5 % (travel and
    waiting time of the link) are drawn in colour over the unchanged network in grey.

    Parameters
    ----------
    a, b
        Networks as they are to be drawn, or scenarios (objects, bundled names or TOML paths)
        applied to ``net``.
    region
        Region name or ``(west, south, east, north)`` box, degrees.
    ax
        Axes to draw on (a new figure when ``None``).
    net
        Network the scenarios apply to; needed when ``a`` or ``b`` is a scenario (the map
        never loads a dataset itself, so it draws the one the caller routed on).
    title
        Map title; ``"What changes: a → b"`` by default.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import geopandas as gpd

    # what changes is the comparison's to work out; the map draws it
    changed = scenario_changes(a, b, net=net)
    net_b, name_a, name_b, diff = changed.net_b, changed.name_a, changed.name_b, changed.changes
    reg = region_for(region)
    ax = _new_axes(ax)
    _draw_base(ax, reg)
    _draw_network(ax, net_b, reg, muted=True)
    from matplotlib.lines import Line2D

    handles = []
    for change, (color, label) in DIFF_STYLE.items():
        ids = [i for i, c in diff.items() if c == change]
        if not ids:
            continue
        frame = gpd.GeoDataFrame(
            geometry=[_line(net_b.link_records[i]) for i in ids], crs="EPSG:4326"
        )
        _clip(frame, reg).to_crs(reg.crs).plot(ax=ax, color=color, linewidth=2.6, zorder=5)
        handles.append(Line2D([], [], color=color, lw=2.6, label=f"{label} ({len(ids)})"))
    if not handles:
        handles.append(Line2D([], [], color="#999999", lw=1, label="no link changes"))
    _label_places(ax, net_b, reg, limit=25)
    legend = ax.legend(handles=handles, loc="lower right", fontsize=8, framealpha=0.92)
    legend.set_zorder(10)
    return _finish(ax, reg, title or f"What changes: {name_a} → {name_b}")


def _line(record: dict) -> Any:
    from shapely import LineString

    return LineString(record["coords"])


def save_figure(ax: Axes, path: str | Path, *, dpi: int = 130) -> Path:
    """Save the figure of ``ax`` (PNG, SVG or PDF by the file's suffix) atomically.

    Parameters
    ----------
    ax
        Axes whose figure to save (the figure is closed afterwards).
    path
        Output file; ``.png``, ``.svg`` or ``.pdf``.
    dpi
        Resolution of PNG output, dots per inch (a 12-inch-wide map at 130 dpi is 1,560 px).
    """
    import tempfile

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg", ".pdf"):
        raise UsageError(f"cannot write {path.name}: use .png, .svg, .pdf (or .html)")
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=suffix, delete=False) as handle:
        tmp = Path(handle.name)
    try:
        _figure(ax).savefig(tmp, dpi=dpi)
        tmp.chmod(0o644)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    import matplotlib.pyplot as plt

    plt.close(_figure(ax))
    return path


# --- comparison maps --------------------------------------------------------------------------
def comparison_maps(comparison: Comparison, folder: Path) -> list[Path]:
    """Write one map per origin-destination pair and one scenario-difference map per baseline.

    Draws what the comparison holds: its network (``comparison.net``), its routes and its
    scenario objects, labelled as in its table; nothing is loaded or looked up by name.

    Parameters
    ----------
    comparison
        What :func:`corridors.comparison.compare_routes` returned.
    folder
        Folder under which ``maps/`` is written.

    Returns
    -------
    list of Path
        The PNG files written.
    """
    net = comparison.net
    if net is None:
        raise UsageError(
            "the comparison carries no network to draw; make it with compare_routes(..., net=net)"
        )
    labels = comparison.labels or [s.name for s in comparison.scenarios]
    written = []
    for i, od in enumerate(dict.fromkeys(comparison.table["od"])):
        routes: list[Route] = []
        names: list[str] = []
        for label in labels:
            r = comparison.routes.get((label, od, 1))
            if r is None:
                continue
            # one line for scenarios whose route and figures agree; each keeps its own figures
            same = next(
                (
                    j
                    for j, q in enumerate(routes)
                    if q.links == r.links and _figures(q) == _figures(r)
                ),
                None,
            )
            if same is None:
                routes.append(r)
                names.append(label)
            else:
                names[same] += f", {label}"
        if not routes:
            continue
        ax = plot_routes(routes, net=net, labels=names, title=f"{od}: best route by scenario")
        written.append(save_figure(ax, folder / "maps" / f"route_{i + 1:02d}_{_slug(od)}.png"))
    done = set()
    for s, label, base, base_label in zip(
        comparison.scenarios,
        labels,
        comparison.baselines or comparison.scenarios,
        comparison.baseline_labels or labels,
        strict=True,
    ):
        if base is s or (base_label, label) in done:
            continue
        done.add((base_label, label))
        region = "caucasus" if "zangezur" in s.name or "lachin" in s.name else "eurasia"
        ax = plot_scenario_diff(
            base, s, region=region, net=net, title=f"What changes: {base_label} → {label}"
        )
        written.append(
            save_figure(ax, folder / "maps" / f"diff_{_slug(base_label)}__{_slug(label)}.png")
        )
    return written


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


__all__ = [
    "DIFF_STYLE",
    "KEY_PLACES",
    "MODE_STYLE",
    "REGIONS",
    "ROUTE_COLORS",
    "SOURCE_LINE",
    "InteractiveMap",
    "Region",
    "basemap",
    "comparison_maps",
    "explore",
    "link_changes",
    "plot_network",
    "plot_routes",
    "plot_scenario_diff",
    "region_for",
    "save_figure",
]

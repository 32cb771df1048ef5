"""Static maps (Matplotlib); interactive maps are :mod:`corridors.interactive` (re-exported).

Static maps draw the bundled country basemap, the network in muted colours by mode (links that
are not open on the date dashed), routes in distinct colours with a legend that states km and
days, labels for key places without overlaps, a graticule, a scale bar, a title and a source
line — in a projection chosen for the region (Lambert conformal conic for Eurasia, UTM 38N for
the South Caucasus), not raw lon/lat. Every ``plot_*`` function returns the Matplotlib ``Axes``.

Speed: a map is rendered once, when it is saved. Countries, graticule, links and routes are
Matplotlib collections of lines already projected (the basemap and the links once per region,
in bounded caches), and labels are placed by arithmetic on measured text boxes, not by drawing.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
import sys
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from matplotlib.figure import Figure

from ._files import FIGURE_SUFFIXES, write_figure
from .comparison import link_changes, scenario_changes
from .errors import UsageError
from .interactive import InteractiveMap, explore
from .mapstyle import MODE_STYLE, ROUTE_COLORS, SOURCE_LINE, basemap
from .network import Network

if TYPE_CHECKING:
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


# --- what every map of a region shares, projected once ---------------------------------------
_CACHED_REGIONS = 8  # basemaps kept projected (the four named regions and a few of the user's)
_CLIP_PAD = 0.3  # share of a region's width and height drawn beyond it, so fitted frames fill


@dataclass(frozen=True)
class _Base:
    """A region's basemap, clipped and projected: what each map of the region reuses.

    Attributes
    ----------
    paths
        One Matplotlib path per country, map units (metres of the region's projection).
    codes, names
        ISO 3166 alpha-3 code and name of each country, in the order of ``paths``.
    anchors
        ``(n, 2)`` array: where each country's name goes (a point inside it), map units.
    areas
        Area of each country's clipped outline, square map units.
    graticule
        Meridians and parallels, each an ``(m, 2)`` array in map units.
    frame
        ``(x0, x1, y0, y1)``: the region's box in map units.
    """

    paths: tuple[Any, ...]
    codes: tuple[str, ...]
    names: tuple[str, ...]
    anchors: Any
    areas: Any
    graticule: tuple[Any, ...]
    frame: tuple[float, float, float, float]


@cache
def _transformer(crs: str, *, inverse: bool = False) -> Transformer:
    """Return the lon/lat → ``crs`` transformer (or back), made once per projection."""
    from pyproj import Transformer

    if inverse:
        return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def _to_map(crs: str, lonlat: Any) -> Any:
    """Project an ``(n, 2)`` array of lon/lat, degrees, to ``crs``; return ``(n, 2)``, metres."""
    import numpy as np

    xy = np.asarray(lonlat, dtype=float).reshape(-1, 2)
    xs, ys = _transformer(crs).transform(xy[:, 0], xy[:, 1])
    return np.column_stack([xs, ys])


def _clip_box(region: Region) -> tuple[float, float, float, float]:
    """Return the lon/lat box, degrees, a region's basemap and network are clipped to."""
    w, s, e, n = region.bbox
    pad_x, pad_y = (e - w) * _CLIP_PAD, (n - s) * _CLIP_PAD
    return (
        max(-180.0, w - pad_x),
        max(-89.0, s - pad_y),
        min(180.0, e + pad_x),
        min(89.0, n + pad_y),
    )


@lru_cache(maxsize=_CACHED_REGIONS)
def _projected_base(region: Region) -> _Base:
    """Clip and project the bundled basemap for ``region``, once per region (bounded cache)."""
    import numpy as np
    import shapely

    countries = basemap()
    clipped = shapely.clip_by_rect(countries.geometry.values, *_clip_box(region))
    projected = shapely.transform(clipped, lambda xy: _to_map(region.crs, xy))
    keep = ~shapely.is_empty(projected)
    geoms = projected[keep]
    codes = tuple(str(c) for c in countries["ADM0_A3"].to_numpy()[keep])
    names = tuple(str(n) for n in countries["name"].to_numpy()[keep])
    anchors = shapely.get_coordinates(shapely.point_on_surface(geoms))
    return _Base(
        paths=tuple(_polygon_path(g) for g in geoms),
        codes=codes,
        names=names,
        anchors=anchors,
        areas=np.asarray(shapely.area(geoms)),
        graticule=tuple(_graticule_lines(region)),
        frame=_region_frame(region),
    )


def _polygon_path(geometry: Any) -> Any:
    """Return one compound Matplotlib path of a (multi)polygon's rings, holes included."""
    import numpy as np
    import shapely
    from matplotlib.path import Path as MplPath

    vertices, codes = [], []
    for ring in shapely.get_rings(shapely.get_parts(geometry)):
        xy = shapely.get_coordinates(ring)
        if len(xy) < 3:  # clipping can leave a sliver with no area
            continue
        ring_codes = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
        ring_codes[0], ring_codes[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
        vertices.append(xy)
        codes.append(ring_codes)
    if not vertices:
        return MplPath(np.empty((0, 2)))
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _graticule_lines(region: Region) -> list[Any]:
    import numpy as np

    step = region.graticule_deg
    w, s, e, n = region.bbox
    lons = [x * step for x in range(math.floor(w / step) - 1, math.ceil(e / step) + 2)]
    lats = [y * step for y in range(math.floor(s / step) - 1, math.ceil(n / step) + 2)]
    lo_min, lo_max = max(-180, w - 20), min(180, e + 20)
    la_min, la_max = max(-85, s - 10), min(85, n + 10)
    lines = []
    for lon in lons:
        if -180 <= lon <= 180:
            lats_ = np.linspace(la_min, la_max, 61)
            lines.append(_to_map(region.crs, np.column_stack([np.full(61, lon), lats_])))
    for lat in lats:
        if -85 <= lat <= 85:
            lons_ = np.linspace(lo_min, lo_max, 121)
            lines.append(_to_map(region.crs, np.column_stack([lons_, np.full(121, lat)])))
    return lines


def _region_frame(region: Region) -> tuple[float, float, float, float]:
    """Return ``(x0, x1, y0, y1)``, map units, holding the region's lon/lat box."""
    import numpy as np

    w, s, e, n = region.bbox
    t = np.linspace(0.0, 1.0, 41)
    edge = np.concatenate(
        [
            np.column_stack([w + (e - w) * t, np.full_like(t, s)]),
            np.column_stack([w + (e - w) * t, np.full_like(t, n)]),
            np.column_stack([np.full_like(t, w), s + (n - s) * t]),
            np.column_stack([np.full_like(t, e), s + (n - s) * t]),
        ]
    )
    xy = _to_map(region.crs, edge)
    return (
        float(xy[:, 0].min()),
        float(xy[:, 0].max()),
        float(xy[:, 1].min()),
        float(xy[:, 1].max()),
    )


# Projected lines of links per region: {region: {link id: (coords, lon/lat array, parts)}}.
# Networks of one dataset share their records, but dated and scenario networks may copy them:
# a hit is the same coords object, or else the same coordinates.
_LINK_LINES: OrderedDict[Region, dict[str, tuple[Any, Any, list[Any]]]] = OrderedDict()


def _link_lines(region: Region, link_id: str, record: Mapping[str, Any]) -> list[Any]:
    """Return a link's line clipped to the region and projected: ``(m, 2)`` arrays, metres."""
    import numpy as np
    import shapely

    lines = _LINK_LINES.get(region)
    if lines is None:
        lines = _LINK_LINES[region] = {}
        while len(_LINK_LINES) > _CACHED_REGIONS:
            _LINK_LINES.popitem(last=False)
    hit = lines.get(link_id)
    if hit is not None and hit[0] is record["coords"]:
        return hit[2]
    coords = np.asarray(record["coords"], dtype=float)
    if hit is not None and np.array_equal(hit[1], coords):
        return hit[2]
    clipped = shapely.clip_by_rect(shapely.linestrings(coords), *_clip_box(region))
    parts = [
        _to_map(region.crs, shapely.get_coordinates(part))
        for part in shapely.get_parts(clipped)
        if not part.is_empty
    ]
    lines[link_id] = (record["coords"], coords, parts)
    return parts


# --- frame, figure and labels ------------------------------------------------------------------
# Figures _new_axes made (their height is fitted to the map); held weakly, so closing one lets
# it go.
_FITTED: weakref.WeakSet[Figure] = weakref.WeakSet()
_MIN_SPAN_M = 300_000.0  # a fitted frame is at least this wide or tall, metres
_MARGIN = 0.07  # share of a fitted frame's span left free around the routes, each side


def _figure(ax: Axes) -> Figure:
    """Return the figure ``ax`` is drawn in (the whole figure for an axes of a subfigure)."""
    figure = ax.figure
    return figure if isinstance(figure, Figure) else figure.figure


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

    # at save_figure's resolution: text measured to place labels is measured once
    fig, ax = plt.subplots(figsize=figsize, dpi=130)
    fig.subplots_adjust(left=0.02, right=0.98, top=0.93, bottom=0.07)
    _FITTED.add(fig)
    return ax


def _fit_frame(ax: Axes, frame: tuple[float, float, float, float]) -> None:
    """Show ``frame`` (map units) filling the axes, widened (never cut) to their shape.

    The figure's height is fitted to the map first when the figure is one :func:`_new_axes`
    made.
    """
    x0, x1, y0, y1 = frame
    figure = _figure(ax)
    if figure in _FITTED:
        width = figure.get_figwidth()
        aspect = (y1 - y0) / (x1 - x0)
        figure.set_figheight(min(max(width * 0.96 * aspect / 0.86, 3.0), width * 1.4))
    box = ax.bbox
    want = box.height / box.width
    if (y1 - y0) / (x1 - x0) < want:  # too flat for the axes: show more north and south
        grow = ((x1 - x0) * want - (y1 - y0)) / 2
        y0, y1 = y0 - grow, y1 + grow
    else:
        grow = ((y1 - y0) / want - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.apply_aspect()  # now, so labels placed before the draw stay where they were placed
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")


def _fitted_frame(
    points: Any, *, within: tuple[float, float, float, float] | None = None
) -> tuple[float, float, float, float]:
    """Return the frame of ``points`` (``(n, 2)``, map units) with a margin.

    The frame also holds ``within`` (``(x0, x1, y0, y1)``) when given, and is never narrower
    than a quarter of its longer side nor smaller than ``_MIN_SPAN_M``.
    """
    import numpy as np

    xy = np.asarray(points)
    x0, y0 = xy.min(axis=0)
    x1, y1 = xy.max(axis=0)
    span = max(x1 - x0, y1 - y0, _MIN_SPAN_M)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_x = max(x1 - x0, span * 0.25) / 2 + span * _MARGIN
    half_y = max(y1 - y0, span * 0.25) / 2 + span * _MARGIN
    x0, x1, y0, y1 = cx - half_x, cx + half_x, cy - half_y, cy + half_y
    if within is not None:
        x0, x1 = min(x0, within[0]), max(x1, within[1])
        y0, y1 = min(y0, within[2]), max(y1, within[3])
    return float(x0), float(x1), float(y0), float(y1)


def _draw_base(ax: Axes, region: Region, frame: tuple[float, float, float, float] | None) -> _Base:
    """Draw the countries and the graticule and fit the frame (the region's when ``None``)."""
    from matplotlib.collections import LineCollection, PathCollection

    base = _projected_base(region)
    ax.set_facecolor("#e8f0f7")
    # the paths as they are, in map units (a PatchCollection would copy each through a patch)
    countries = PathCollection(
        list(base.paths),
        facecolor="#f4f1ea",
        edgecolor="#b9b2a6",
        linewidth=0.4,
        zorder=1,
        transform=ax.transData,
    )
    ax.add_collection(countries, autolim=False)
    graticule = LineCollection(list(base.graticule), colors="#c9d6e3", linewidths=0.4, zorder=0.5)
    ax.add_collection(graticule, autolim=False)
    _fit_frame(ax, frame or base.frame)
    return base


def _country_labels(ax: Axes, base: _Base) -> list[tuple[float, float, str]]:
    """Return the countries that show a fair area on the map: where and what to write."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    view = (x1 - x0) * (y1 - y0)
    out = []
    for (x, y), area, name in zip(base.anchors, base.areas, base.names, strict=True):
        if area >= view * 0.004 and x0 < x < x1 and y0 < y < y1:
            out.append((float(x), float(y), name.upper()))
    return out


def _scale_bar(ax: Axes, region: Region) -> list[Any]:
    """Draw a scale bar in the lower left; return its artists (labels keep clear of them)."""
    from pyproj import Geod

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    back = _transformer(region.crs, inverse=True)
    bx, by = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.05
    lon_a, lat_a = back.transform(bx, by)
    lon_b, lat_b = back.transform(bx + (x1 - x0) * 0.2, by)
    km = Geod(ellps="WGS84").inv(lon_a, lat_a, lon_b, lat_b)[2] / 1000
    nice = _nice_km(km)
    length = (x1 - x0) * 0.2 * nice / km
    (bar,) = ax.plot(
        [bx, bx + length], [by, by], color="#333333", lw=2.5, solid_capstyle="butt", zorder=9
    )
    text = ax.text(
        bx + length / 2,
        by + (y1 - y0) * 0.012,
        f"{nice:,.0f} km",
        ha="center",
        va="bottom",
        fontsize=8,
        color="#333333",
        zorder=9,
    )
    text.set_gid("scale")
    return [bar, text]


def _nice_km(km: float) -> float:
    magnitude = 10 ** math.floor(math.log10(km))
    for factor in (5, 2, 1):
        if factor * magnitude <= km:
            return factor * magnitude
    return magnitude


def _finish(ax: Axes, title: str | None) -> Axes:
    if title:
        ax.set_title(title, fontsize=12, loc="left")
    ax.figure.text(0.02, 0.015, SOURCE_LINE, fontsize=7, color="#555555", ha="left")
    return ax


def _draw_network(ax: Axes, net: Network, region: Region, *, muted: bool = False) -> None:
    """Draw the links that exist on the network's date by mode, dashed where not open."""
    from matplotlib.collections import LineCollection

    by_style: dict[tuple[str, bool], list[Any]] = {}
    for link_id, record in net.link_records.items():
        status = net.link_status(link_id)
        if status is None or record["mode"] not in MODE_STYLE:
            continue
        key = (record["mode"], status == "open")
        by_style.setdefault(key, []).extend(_link_lines(region, link_id, record))
    alpha = 0.45 if muted else 0.9
    for mode, style in MODE_STYLE.items():
        for is_open in (True, False):
            lines = by_style.get((mode, is_open))
            if not lines:
                continue
            ax.add_collection(
                LineCollection(
                    lines,
                    colors=style["color"],
                    linewidths=style["linewidth"],
                    linestyles="solid" if is_open else (0, (3, 2)),
                    alpha=alpha,
                    zorder=3,
                ),
                autolim=False,
            )


def _place_candidates(
    net: Network, region: Region, places: Iterable[str], *, box: Sequence[float]
) -> list[tuple[str, bool]]:
    """Return the places to label, most important first, each with whether it is forced."""
    forced = list(dict.fromkeys(p for p in places if p in net.node_records))
    others = [i for i, p in net.node_records.items() if p.get("kind") in region.label_kinds]
    ranked = [i for i in KEY_PLACES if i in net.node_records] + others
    w, s, e, n = box
    out = [(i, True) for i in forced]
    for i in dict.fromkeys(ranked):
        record = net.node_records[i]
        if i not in forced and w <= record["lon"] <= e and s <= record["lat"] <= n:
            out.append((i, False))
    return out


# Where a label may sit around its point, tried in this order: (ha, va, dx, dy) in points.
_PLACE_OFFSETS = (
    ("left", "bottom", 2.0, 1.0),
    ("left", "top", 2.0, -1.0),
    ("right", "bottom", -2.0, 1.0),
    ("right", "top", -2.0, -1.0),
    ("center", "bottom", 0.0, 3.0),
    ("center", "top", 0.0, -3.0),
)
_COUNTRY_OFFSETS: tuple[tuple[str, str, float, float], ...] = (
    ("center", "center", 0.0, 0.0),
    ("center", "center", 0.0, 9.0),
    ("center", "center", 0.0, -9.0),
)


# Sizes of label texts, display pixels, by (text, style, dpi): the same names recur on every map
# of a comparison, and measuring a text costs a FreeType layout.
_LABEL_SIZES: dict[tuple[str, str, float], tuple[float, float]] = {}
_LABEL_SIZES_MAX = 4096


def _label_size(
    ax: Axes, renderer: Any, text: str, style: Mapping[str, Any]
) -> tuple[float, float]:
    """Return the width and height, display pixels, of ``text`` drawn with ``style``."""
    dpi = _figure(ax).dpi
    key = (text, repr(sorted(style.items())), dpi)
    size = _LABEL_SIZES.get(key)
    if size is None:
        probe = ax.text(0.0, 0.0, text, ha="left", va="bottom", **style)
        box = probe.get_window_extent(renderer)
        probe.remove()
        size = (box.width, box.height)
        if len(_LABEL_SIZES) >= _LABEL_SIZES_MAX:
            _LABEL_SIZES.clear()
        _LABEL_SIZES[key] = size
    return size


def _label_map(
    ax: Axes,
    *,
    places: Sequence[tuple[float, float, str, bool]],
    countries: Sequence[tuple[float, float, str]],
    obstacles: Iterable[Any] = (),
    limit: int = 40,
) -> None:
    """Label places, then countries, so that no two labels overlap.

    Nor does a label cover a dot, the legend, the scale bar or the notes, or leave the frame:
    each label tries a few spots around its point in turn and is left out when none is free.

    Parameters
    ----------
    ax
        Axes whose frame is fitted (labels are measured with its figure's renderer).
    places
        ``(x, y, name, forced)`` in priority order, map units; each gets a dot. Forced places
        are labelled whatever ``limit`` says (if there is room).
    countries
        ``(x, y, NAME)``: muted country names, placed where the place labels leave room.
    obstacles
        Artists labels must keep clear of (legend, scale bar, notes).
    limit
        Labels of places that are not forced.
    """
    import numpy as np
    from matplotlib.transforms import Bbox, offset_copy

    figure = _figure(ax)
    # an Agg canvas: the backend _new_axes chooses, and the one inline notebooks draw with
    renderer = cast("FigureCanvasAgg", figure.canvas).get_renderer()
    frame = ax.bbox
    # boxes taken, display pixels: rows of (x0, y0, x1, y1), checked together with numpy
    taken = [tuple(a.get_window_extent(renderer).extents) for a in obstacles]
    # every candidate's dot is kept clear, drawn or not: which are drawn is known only after
    half = 2.6 * figure.dpi / 72 / 2
    xy = ax.transData.transform([(p[0], p[1]) for p in places]) if places else np.empty((0, 2))
    dots = np.column_stack([xy - half, xy + half])

    def fits(box: Bbox, own: int | None) -> bool:
        inside = box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0
        if not inside or box.y1 > frame.y1:
            return False
        others = np.delete(dots, own, axis=0) if own is not None else dots
        boxes = np.concatenate([np.asarray(taken, dtype=float).reshape(-1, 4), others])
        hit = (
            (boxes[:, 0] < box.x1)
            & (boxes[:, 2] > box.x0)
            & (boxes[:, 1] < box.y1)
            & (boxes[:, 3] > box.y0)
        )
        return not hit.any()

    points_px = figure.dpi / 72
    shift_x = {"left": 0.0, "center": -0.5, "right": -1.0}
    shift_y = {"bottom": 0.0, "center": -0.5, "top": -1.0}

    def place(
        x: float, y: float, text: str, offsets: Sequence, own: int | None, **style: Any
    ) -> bool:
        # each spot is the label's box moved (a label is one unrotated line): measured once
        # per text and style, a text is made only where it fits
        width, height = _label_size(ax, renderer, text, style)
        px, py = ax.transData.transform((x, y))
        for ha, va, dx, dy in offsets:
            moved = Bbox.from_bounds(
                px + dx * points_px + shift_x[ha] * width,
                py + dy * points_px + shift_y[va] * height,
                width,
                height,
            ).padded(1.0)
            if fits(moved, own):
                ax.text(
                    x,
                    y,
                    text,
                    ha=ha,
                    va=va,
                    transform=offset_copy(ax.transData, figure, x=dx, y=dy, units="points"),
                    **style,
                )
                taken.append(tuple(moved.extents))
                return True
        return False

    count = 0
    dotted: list[tuple[float, float]] = []
    for i, (x, y, name, forced) in enumerate(places):
        if count >= limit and not forced:
            continue
        style = {"fontsize": 7.5, "color": "#222222", "zorder": 7, "gid": "place"}
        if place(x, y, name, _PLACE_OFFSETS, i, **style):
            count += not forced
            dotted.append((x, y))
        elif forced:  # a route's end or stop keeps its dot when its name finds no room
            dotted.append((x, y))
    if dotted:
        ax.plot(*zip(*dotted, strict=True), "o", ms=2.6, color="#222222", zorder=6)
    for x, y, name in countries:
        style = {"fontsize": 6.5, "color": "#a59d90", "zorder": 2, "style": "italic"}
        place(x, y, name, _COUNTRY_OFFSETS, None, gid="country", **style)


def _place_name(net: Network | None, node_id: str) -> str:
    if net is None or node_id not in net.node_records:
        return node_id
    return net.node_records[node_id]["name"].split(" (")[0]


def _short_name(net: Network, node_id: str) -> str:
    """Return the name a map label shows: without qualifiers, other scripts or a range."""
    return net.node_records[node_id]["name"].split(" (")[0].split(" / ")[0].split("–")[0]


def _places(
    ax: Axes, net: Network, region: Region, *, forced: Iterable[str] = ()
) -> list[tuple[float, float, str, bool]]:
    """Return the places to label on ``ax``'s frame, projected, most important first."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    # a loose lon/lat filter first (projections go wild far from their region), then the frame
    box = _clip_box(region)
    candidates = _place_candidates(net, region, forced, box=box)
    if not candidates:
        return []
    lonlat = [(net.node_records[i]["lon"], net.node_records[i]["lat"]) for i, _ in candidates]
    xy = _to_map(region.crs, lonlat)
    out = []
    for (node_id, is_forced), (x, y) in zip(candidates, xy, strict=True):
        if x0 < x < x1 and y0 < y < y1:
            out.append((float(x), float(y), _short_name(net, node_id), is_forced))
    return out


def _legend(ax: Axes, handles: Sequence[Any], *, loc: Any, fontsize: float) -> Any:
    legend = ax.legend(handles=list(handles), loc=loc, fontsize=fontsize, framealpha=0.92)
    legend.set_zorder(10)
    return legend


def _legend_clear_of(ax: Axes, handles: Sequence[Any], lines: Sequence[Any]) -> Any:
    """Put the routes' legend in the corner where it hides fewest route points."""
    import numpy as np

    renderer = cast("FigureCanvasAgg", _figure(ax).canvas).get_renderer()
    points = ax.transData.transform(np.concatenate(lines)) if lines else np.empty((0, 2))
    legend = _legend(ax, handles, loc="lower right", fontsize=8)
    best, best_hidden = "lower right", None
    for loc in ("lower right", "upper right", "upper left"):  # the scale bar is lower left
        legend.set_loc(loc)
        box = legend.get_window_extent(renderer)
        hidden = int(
            np.count_nonzero(
                (points[:, 0] >= box.x0)
                & (points[:, 0] <= box.x1)
                & (points[:, 1] >= box.y0)
                & (points[:, 1] <= box.y1)
            )
        )
        if best_hidden is None or hidden < best_hidden:
            best, best_hidden = loc, hidden
        if hidden == 0:
            break
    legend.set_loc(best)
    return legend


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
    base = _draw_base(ax, reg, None)
    _draw_network(ax, net, reg)
    legend = _legend_modes(ax)
    scale = _scale_bar(ax, reg)
    places = _places(ax, net, reg) if labels else []
    _label_map(ax, places=places, countries=_country_labels(ax, base), obstacles=[legend, *scale])
    return _finish(ax, title or f"Corridor network, as of {net.as_of}")


def _legend_modes(ax: Axes, *, extra: Sequence[Any] = ()) -> Any:
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
    return legend


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
    missing: Sequence[str] = (),
) -> Axes:
    """Draw routes in distinct colours over the network, with km and days in the legend.

    The frame fits the routes with a margin. A named or boxed ``region`` sets the projection
    and the least that is shown; no route is cut: where routes leave the region, the map shows
    both in the projection of the smallest named region that holds them (``world`` for the
    Cape route).

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
    missing
        Names of what has no route (scenarios, corridor families): each gets a legend entry
        saying so, so nothing asked for silently vanishes from the map.

    Returns
    -------
    matplotlib.axes.Axes
    """
    routes = [routes] if not isinstance(routes, Sequence) else list(routes)
    if not routes:
        raise UsageError("no route to draw")
    return _plot_routes(
        routes, region=region, ax=ax, net=net, labels=labels, title=title, missing=missing
    )


def _holds(box: Sequence[float], inner: Sequence[float]) -> bool:
    """Whether lon/lat box ``box`` holds ``inner`` (both west, south, east, north)."""
    return box[0] <= inner[0] and box[1] <= inner[1] and inner[2] <= box[2] and inner[3] <= box[3]


def _union(a: Sequence[float], b: Sequence[float]) -> tuple[float, float, float, float]:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _plot_routes(
    routes: Sequence[Route],
    *,
    region: str | Sequence[float] | None = None,
    ax: Axes | None = None,
    net: Network | None = None,
    labels: Sequence[str] | None = None,
    title: str | None = None,
    missing: Sequence[str] = (),
    ends: Sequence[str] = (),
) -> Axes:
    """Draw :func:`plot_routes`' map.

    ``missing`` names scenarios with no route (each a legend entry), ``ends`` the origin and
    destination, labelled and framed even when no scenario has a route.
    """
    import numpy as np
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    ends = [e for e in ends if net is not None and e in net.node_records]
    if net is not None and ends:
        end_points = [(net.node_records[e]["lon"], net.node_records[e]["lat"]) for e in ends]
    else:
        end_points = []
    lonlat = [p for r in routes for line in r.leg_coords for p in line] + end_points
    if not lonlat:
        raise UsageError("no route to draw")
    extent = (
        min(p[0] for p in lonlat),
        min(p[1] for p in lonlat),
        max(p[0] for p in lonlat),
        max(p[1] for p in lonlat),
    )
    asked = region_for(region, extent=extent)
    shown = _union(asked.bbox, extent) if region is not None else extent
    # routes that leave the asked region are drawn in the projection of a region that holds
    # them (the Cape route in a world projection), framed to show the asked region too
    reg = asked if _holds(asked.bbox, shown) else region_for(None, extent=shown)
    if not _holds(reg.bbox, shown):  # beyond the named regions: the basemap clipped to it
        reg = dataclasses.replace(reg, bbox=shown)
    within = _region_frame(dataclasses.replace(asked, crs=reg.crs)) if region is not None else None
    route_lines = [[_to_map(reg.crs, line) for line in r.leg_coords] for r in routes]
    points = np.concatenate(
        [*(np.concatenate(ls) for ls in route_lines if ls), _to_map(reg.crs, end_points)]
    )
    ax = _new_axes(ax)
    base = _draw_base(ax, reg, _fitted_frame(points, within=within))
    if net is not None:
        _draw_network(ax, net, reg, muted=True)
    handles = []
    for i, (r, lines) in enumerate(zip(routes, route_lines, strict=True)):
        color = ROUTE_COLORS[i % len(ROUTE_COLORS)]
        width = 3.2 - min(i, 4) * 0.45  # earlier routes underneath, wider
        ax.add_collection(
            LineCollection(lines, colors=color, linewidths=width, alpha=0.85, zorder=4 + i * 0.01),
            autolim=False,
        )
        name = labels[i] if labels else _default_label(r, i, routes, net)
        handles.append(Line2D([], [], color=color, lw=2.5, label=f"{name}: {_figures(r)}"))
    for name in missing:
        handles.append(
            Line2D([], [], color="#888888", lw=1.2, linestyle=":", label=f"{name}: no route")
        )
    legend = _legend_clear_of(ax, handles, [line for ls in route_lines for line in ls])
    scale = _scale_bar(ax, reg)
    places: list[tuple[float, float, str, bool]] = []
    if net is not None:
        stops = [t.at for r in routes for t in r.transfers]
        places = _places(
            ax,
            net,
            reg,
            forced=[*ends, *(r.origin for r in routes), *(r.destination for r in routes), *stops],
        )
    _label_map(
        ax,
        places=places,
        countries=_country_labels(ax, base),
        obstacles=[legend, *scale],
        limit=10,
    )
    pairs = {(q.origin, q.destination) for q in routes}
    if title is None and len(pairs) == 1:
        r = routes[0]
        title = (
            f"{_place_name(net, r.origin)} → {_place_name(net, r.destination)}: "
            f"{'best route' if len(routes) == 1 else f'{len(routes)} routes'}, "
            f"as of {r.as_of}, minimising {r.weight}"
        )
    return _finish(ax, title)


def _figures(r: Route) -> str:
    """Return the figures a legend entry shows for a route: km and days."""
    return f"{r.distance_km:,.0f} km, {r.time_h / 24:.1f} days"


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
    Countries that routes of ``b`` must avoid and those of ``a`` did not are hatched, and a
    box in the upper left says in words what changed (date, countries, modes, links and tags
    avoided, factors), or that nothing did.

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
    from matplotlib.collections import LineCollection, PatchCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, PathPatch

    # what changes is the comparison's to work out; the map draws it
    changed = scenario_changes(a, b, net=net)
    net_b, name_a, name_b, diff = changed.net_b, changed.name_a, changed.name_b, changed.changes
    rule_a, rule_b = changed.scenario_a, changed.scenario_b
    reg = region_for(region)
    ax = _new_axes(ax)
    base = _draw_base(ax, reg, None)
    _draw_network(ax, net_b, reg, muted=True)
    handles: list[Any] = []
    closed = _avoided(rule_b, "countries") - _avoided(rule_a, "countries")
    closed_names = [n for c, n in zip(base.codes, base.names, strict=True) if c in closed]
    if closed_names:
        hatched = [PathPatch(p) for c, p in zip(base.codes, base.paths, strict=True) if c in closed]
        color = DIFF_STYLE["closed"][0]
        ax.add_collection(
            PatchCollection(
                hatched, facecolor="none", edgecolor=color, hatch="////", lw=0.8, zorder=2.5
            ),
            autolim=False,
        )
        handles.append(
            Patch(facecolor="none", edgecolor=color, hatch="////", label="closed to routes")
        )
    for change, (color, label) in DIFF_STYLE.items():
        ids = [i for i, c in diff.items() if c == change]
        if not ids:
            continue
        lines = [part for i in ids for part in _link_lines(reg, i, net_b.link_records[i])]
        ax.add_collection(
            LineCollection(lines, colors=color, linewidths=2.6, zorder=5), autolim=False
        )
        handles.append(Line2D([], [], color=color, lw=2.6, label=f"{label} ({len(ids)})"))
    if not handles:
        handles.append(Line2D([], [], color="#999999", lw=1, label="no link changes"))
    legend = _legend(ax, handles, loc="lower right", fontsize=8)
    lines = _change_notes(changed, rule_a, rule_b, closed_names)
    notes = [_notes_box(ax, lines)] if lines else []  # links drawn say it all otherwise
    scale = _scale_bar(ax, reg)
    _label_map(
        ax,
        places=_places(ax, net_b, reg),
        countries=_country_labels(ax, base),
        obstacles=[legend, *notes, *scale],
        limit=25,
    )
    return _finish(ax, title or f"What changes: {name_a} → {name_b}")


def _avoided(rules: Scenario | None, kind: str) -> set[str]:
    return set() if rules is None else set(rules.avoid.get(kind, ()))


def _change_notes(
    changed: Any, a: Scenario | None, b: Scenario | None, closed_names: Sequence[str]
) -> list[str]:
    """Say in words what changes from ``a`` to ``b`` besides the links drawn."""
    lines = []
    if a is not None and b is not None and a.as_of != b.as_of:
        lines.append(f"Date: {a.as_of} → {b.as_of}")
    if closed_names:
        lines.append("Closed to routes (hatched): " + ", ".join(closed_names))
    reopened = _avoided(a, "countries") - _avoided(b, "countries")
    if reopened:
        lines.append("No longer avoided: " + ", ".join(sorted(reopened)))
    for kind in ("modes", "links", "tags"):
        added = sorted(_avoided(b, kind) - _avoided(a, kind))
        lifted = sorted(_avoided(a, kind) - _avoided(b, kind))
        if added:
            lines.append(f"Routes avoid {kind}: " + _shorten(added))
        if lifted:
            lines.append(f"No longer avoided {kind}: " + _shorten(lifted))
    factors_a = dict(a.factors) if a is not None else {}
    factors_b = dict(b.factors) if b is not None else {}
    for key in sorted(set(factors_a) | set(factors_b)):
        old, new = factors_a.get(key), factors_b.get(key)
        if old != new:
            lines.append(
                f"{key}: {'default' if old is None else f'{old:g}'} → "
                f"{'default' if new is None else f'{new:g}'}"
            )
    if not changed.changes:
        lines.append("No link opens, closes or changes its time by more than 5 %")
        if len(lines) == 1:
            lines = ["Nothing changes: same links, rules and factors"]
    return lines


def _shorten(items: Sequence[str], *, most: int = 4) -> str:
    shown = ", ".join(items[:most])
    return shown if len(items) <= most else f"{shown} and {len(items) - most} more"


def _notes_box(ax: Axes, lines: Sequence[str]) -> Any:
    """Write ``lines`` in a box in the upper left; return an artist whose extent is the box."""
    text = ax.text(
        0.012,
        0.985,
        "\n".join(lines),
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=8,
        color="#222222",
        zorder=11,
        gid="notes",
        bbox={"boxstyle": "round,pad=0.4", "fc": "white", "ec": "#999999", "alpha": 0.92},
    )
    renderer = cast("FigureCanvasAgg", _figure(ax).canvas).get_renderer()
    text.update_bbox_position_size(renderer)
    patch = text.get_bbox_patch()
    return patch if patch is not None else text


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
    import matplotlib.pyplot as plt

    try:
        return _write(_figure(ax), Path(path), dpi=dpi)
    finally:
        plt.close(_figure(ax))


def _write(figure: Figure, path: Path, *, dpi: int = 130) -> Path:
    """Render ``figure`` into ``path`` atomically (the figure stays open)."""
    if path.suffix.lower() not in FIGURE_SUFFIXES:
        raise UsageError(f"cannot write {path.name}: use .png, .svg, .pdf (or .html)")
    return write_figure(figure, path, dpi=dpi)


# --- comparison maps --------------------------------------------------------------------------
# Many maps are drawn by forked worker processes (Matplotlib holds the GIL while it renders, so
# threads would not help); a fork inherits the comparison and the projected basemaps, where Dask
# workers would start cold (import, load the dataset) and cost more than they save. Fork is
# used on Linux only (unsafe on macOS, absent on Windows): elsewhere maps are drawn in turn.
_PROCESSES_FROM = 8  # maps in a comparison from which they are drawn in parallel
_PROCESSES_MAX = 4
_JOBS: list[tuple[Callable[[], Axes], Path]] = []  # what forked workers draw, by index


def comparison_maps(comparison: Comparison, folder: Path) -> list[Path]:
    """Write one map per origin-destination pair and one scenario-difference map per baseline.

    Draws what the comparison holds: its network (``comparison.net``), its routes and its
    scenario objects, labelled as in its table; nothing is loaded or looked up by name. A
    pair's map lists scenarios with no route in its legend. With many maps and more than one
    CPU (on Linux), they are drawn by as many forked processes (at most 4); the basemap and
    the network's lines of a region are projected once per process.

    Parameters
    ----------
    comparison
        What :func:`corridors.comparison.compare_routes` returned.
    folder
        Folder under which ``maps/`` is written.

    Returns
    -------
    list of Path
        The PNG files written, route maps first, in the comparison's order.
    """
    global _JOBS

    net = comparison.net
    if net is None:
        raise UsageError(
            "the comparison carries no network to draw; make it with compare_routes(..., net=net)"
        )
    jobs = list(_comparison_jobs(comparison, net, folder / "maps"))
    workers = min(os.cpu_count() or 1, _PROCESSES_MAX, len(jobs))
    if len(jobs) < _PROCESSES_FROM or workers < 2 or not sys.platform.startswith("linux"):
        return [save_figure(draw(), path) for draw, path in jobs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import matplotlib.pyplot  # noqa: F401  (imported once here, not in every worker)

    basemap()  # read once here, not in every worker
    _JOBS = jobs
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return list(pool.map(_draw_job, range(len(jobs))))
    finally:
        _JOBS = []


def _draw_job(index: int) -> Path:
    """Draw and save map ``index`` of ``_JOBS`` (in a forked worker, which inherited them)."""
    draw, path = _JOBS[index]
    return save_figure(draw(), path)


def _comparison_jobs(
    comparison: Comparison, net: Network, folder: Path
) -> Iterator[tuple[Callable[[], Axes], Path]]:
    """Yield each map of a comparison as a function that draws it, with its file."""
    labels = comparison.labels or [s.name for s in comparison.scenarios]
    table = comparison.table
    for i, od in enumerate(dict.fromkeys(table["od"])):
        routes: list[Route] = []
        names: list[str] = []
        missing: list[str] = []
        for label in labels:
            r = comparison.routes.get((label, od, 1))
            if r is None:
                missing.append(label)
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
        row = table[table["od"] == od].iloc[0]
        ends = [str(row["origin"]), str(row["destination"])]
        if not routes and not all(e in net.node_records for e in ends):
            continue
        draw = functools.partial(
            _plot_routes,
            routes,
            net=net,
            labels=names,
            title=f"{od}: best route by scenario",
            missing=missing,
            ends=ends,
        )
        yield draw, folder / f"route_{i + 1:02d}_{_slug(od)}.png"
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
        draw = functools.partial(
            plot_scenario_diff,
            base,
            s,
            region=region,
            net=net,
            title=f"What changes: {base_label} → {label}",
        )
        yield draw, folder / f"diff_{_slug(base_label)}__{_slug(label)}.png"


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

"""Write a comparison to files: CSV, Markdown, GeoPackage (and maps), atomically.

A whole run is first written into a staging folder beside the output folder and then swapped in
with two renames, so the folder holds one run's outputs, and an interrupted run leaves what the
user had untouched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._files import write_text_atomic
from .errors import UsageError
from .schema import WATER_MODES

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from .comparison import Comparison
    from .routing import Route

MARKER = ".corridors-output"
"""File that marks a folder as written by corridors (so it may be overwritten)."""


def check_output_dir(directory: Path, *, force: bool = False) -> None:
    """Refuse a non-empty folder that corridors did not create (unless ``force``), or cwd.

    The current folder, or one that holds it, is always refused: it is replaced as a whole.

    Raises
    ------
    UsageError
        Naming the folder and the way out.
    """
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} exists and is not a folder; choose another --out")
    _check_not_working_folder(directory)
    if force or not directory.exists() or (directory / MARKER).exists():
        return
    if any(directory.iterdir()):
        raise UsageError(
            f"{directory} is not empty and was not written by corridors; "
            "use --force to write into it, or choose another --out"
        )


def write_comparison(
    comparison: Comparison,
    directory: str | Path,
    *,
    force: bool = False,
    extra: Sequence[Callable[[Comparison, Path], list[Path]]] = (),
) -> list[Path]:
    """Write ``comparison.csv``, ``sources.csv``, ``comparison.md`` and ``routes.gpkg``.

    The whole run is written into a staging folder beside ``directory`` (named with this
    process's id) and then swapped in: the old folder is renamed aside, the new one renamed in,
    the old one deleted. So the folder holds exactly one run's outputs — never a mix of two, and
    nothing of the old run (such as maps the new run did not draw). Staging folders left by runs
    that died are removed by the next run; SIGTERM removes this run's.

    Parameters
    ----------
    comparison
        What :func:`corridors.comparison.compare_routes` returned.
    directory
        Output folder; created if missing, replaced if it exists.
    force
        Replace a non-empty folder that corridors did not create (its contents are deleted).
    extra
        More writers ``writer(comparison, folder) -> paths`` (the maps), run in the same
        staging folder.

    Returns
    -------
    list of Path
        The files written, at their final place.
    """
    directory = Path(directory)
    check_output_dir(directory, force=force)
    directory.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(directory)
    staging = _sibling(directory, "staging", os.getpid())
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        with _terminate_cleanly():
            comparison.table.to_csv(staging / "comparison.csv", index=False)
            for name, frame in figure_tables(comparison).items():
                frame.to_csv(staging / f"{name}.csv", index=False)
            _write_geopackage(comparison, staging / "routes.gpkg")
            for writer in extra:
                writer(comparison, staging)
            # written last, so it can show the maps the writers drew
            pictures = [p.relative_to(staging).as_posix() for p in sorted(staging.rglob("*.png"))]
            write_text_atomic(staging / "comparison.md", markdown(comparison, maps=pictures))
            (staging / MARKER).write_text("written by corridors compare\n", encoding="utf-8")
            relative = [
                p.relative_to(staging)
                for p in sorted(staging.rglob("*"))
                if p.is_file() and p.name != MARKER
            ]
            _swap_in(staging, directory)
        return [directory / p for p in relative]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


COMPUTED_SOURCE = (
    "computed by corridors from the element's cited figures (pricing: length ÷ speed + waits; "
    "length × rate for cost and CO2e; border and transfer hours and costs as cited)"
)
"""Source text of the element totals in ``figures.csv`` (source id 0)."""

TOTAL_FIGURES = {
    "distance_km": "km",
    "time_h": "h",
    "cost_usd": "USD per box",
    "co2_kg": "kg CO2e per box",
}
"""Element totals in ``figures.csv``: summed over a route's elements they give its totals."""

_UNITS = (
    ("_usd_per_teu_km", "USD per TEU-km"),
    ("_kg_per_teu_km", "kg CO2e per TEU-km"),
    ("_teu_year", "TEU per year"),
    ("_per_week", "per week"),
    ("_kmh", "km/h"),
    ("_km", "km"),
    ("_hours", "h"),
    ("_h", "h"),
    ("_usd", "USD per box"),
    ("_kg", "kg CO2e per box"),
)


def _unit(quantity: str) -> str:
    """Return the unit of a cited quantity, read from its name's suffix (``""`` for counts)."""
    return next((unit for suffix, unit in _UNITS if quantity.endswith(suffix)), "")


def figure_tables(comparison: Comparison) -> dict[str, pd.DataFrame]:
    """Return the figures behind the comparison's routes as three linked tables.

    The same elements (legs, border crossings, transfers, terminal dwells) and the same sources
    recur in route after route and scenario after scenario, so each is written once and
    referred to by id:

    ``sources``
        ``source_id``, ``text`` (as cited in the dataset or settings), ``url`` (the first URL
        in the text, if any). Id 0 is :data:`COMPUTED_SOURCE`.
    ``figures``
        One row per figure of each distinct element: ``element_id``, ``element`` (its label),
        ``figure`` (``length_km``, ``speed_kmh``, ``border_hours``…, and the element's totals
        ``distance_km``, ``time_h``, ``cost_usd``, ``co2_kg``), ``value``, ``unit``,
        ``source_id``.
    ``route_elements``
        ``scenario``, ``od``, ``rank``, ``step``, ``element_id``: the elements of each route of
        the table, in travel order.

    Summing the totals of a route's elements gives the route's totals in ``comparison.csv``.
    """
    import pandas as pd

    from .results import step_label

    sources: dict[str, int] = {COMPUTED_SOURCE: 0}
    elements: dict[tuple[Any, ...], int] = {}
    figures: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    shown = set(
        zip(
            comparison.table["scenario"],
            comparison.table["od"],
            comparison.table["rank"],
            strict=True,
        )
    )
    for key, route in comparison.routes.items():
        if key not in shown:
            continue  # a baseline computed only for the deltas
        for i, step in enumerate(route.steps):
            totals = _element_totals(step)
            label = step_label(step)
            identity = (label, tuple(step.provenance), tuple(sorted(totals.items())))
            if identity not in elements:
                element_id = elements[identity] = len(elements) + 1
                for quantity, value, source in step.provenance:
                    source_id = sources.setdefault(source or "no source given", len(sources))
                    figures.append(
                        {
                            "element_id": element_id,
                            "element": label,
                            "figure": quantity,
                            "value": round(float(value), 4),
                            "unit": _unit(quantity),
                            "source_id": source_id,
                        }
                    )
                figures += [
                    {
                        "element_id": element_id,
                        "element": label,
                        "figure": name,
                        "value": round(float(value), 4),
                        "unit": TOTAL_FIGURES[name],
                        "source_id": 0,
                    }
                    for name, value in totals.items()
                ]
            steps.append(
                {
                    "scenario": key[0],
                    "od": key[1],
                    "rank": key[2],
                    "step": i,
                    "element_id": elements[identity],
                }
            )
    source_rows = [
        {"source_id": i, "text": text, "url": _first_url(text)} for text, i in sources.items()
    ]
    return {
        "sources": pd.DataFrame(source_rows, columns=["source_id", "text", "url"]),
        "figures": pd.DataFrame(
            figures, columns=["element_id", "element", "figure", "value", "unit", "source_id"]
        ),
        "route_elements": pd.DataFrame(
            steps, columns=["scenario", "od", "rank", "step", "element_id"]
        ),
    }


def _element_totals(step: Any) -> dict[str, float]:
    """Return what one step adds to its route's totals, as :class:`~corridors.Route` sums them.

    Legs add km, hours, cost and CO2e; transfers hours, cost and CO2e; border crossings hours
    and cost; terminal dwells hours only.
    """
    from .results import BorderCrossing, Leg, Transfer

    if isinstance(step, Leg):
        return {
            "distance_km": step.distance_km,
            "time_h": step.time_h,
            "cost_usd": step.cost_usd,
            "co2_kg": step.co2_kg,
        }
    if isinstance(step, Transfer):
        return {"time_h": step.hours, "cost_usd": step.cost_usd, "co2_kg": step.co2_kg}
    if isinstance(step, BorderCrossing):
        return {"time_h": step.hours, "cost_usd": step.cost_usd}
    return {"time_h": step.hours}


def _first_url(text: str) -> str:
    import re

    found = re.search(r"https?://[^\s<>\"']+", text)
    return found.group(0).rstrip(".,;:)") if found else ""


def _sibling(directory: Path, kind: str, pid: int) -> Path:
    """Return the hidden folder beside ``directory`` where run ``pid`` stages or sets aside."""
    return directory.parent / f".{directory.name}.{kind}-{pid}"


def _check_not_working_folder(directory: Path) -> None:
    """Refuse to replace the current folder or one above it (the swap would pull it away)."""
    target, here = directory.resolve(), Path.cwd().resolve()
    if target == here or target in here.parents:
        raise UsageError(
            f"{directory} is the current folder or holds it; choose a subfolder as --out"
        )


def _alive(pid: int) -> bool:
    """Return whether process ``pid`` is running."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _remove_stale(directory: Path) -> None:
    """Remove the staging and set-aside folders of runs into ``directory`` that died.

    A run killed between setting the old folder aside and renaming the new one in leaves no
    folder at all: its set-aside folder (the previous run's outputs) is put back.
    """
    prefix = f".{directory.name}."
    for path in sorted(directory.parent.iterdir()):
        if not path.name.startswith(prefix):
            continue
        kind, _, pid = path.name[len(prefix) :].rpartition("-")
        if kind not in ("staging", "old") or not pid.isdigit() or not path.is_dir():
            continue
        if int(pid) != os.getpid() and _alive(int(pid)):
            continue  # a run in progress
        if kind == "old" and not directory.exists():
            path.rename(directory)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _swap_in(staging: Path, directory: Path) -> None:
    """Replace ``directory`` by ``staging`` with two renames; put the old one back on failure."""
    if not directory.exists():
        staging.rename(directory)
        return
    aside = _sibling(directory, "old", os.getpid())
    shutil.rmtree(aside, ignore_errors=True)
    directory.rename(aside)
    try:
        staging.rename(directory)
    except BaseException:  # also SIGTERM: the user keeps the previous run's outputs
        aside.rename(directory)
        raise
    shutil.rmtree(aside, ignore_errors=True)


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """Turn SIGTERM into ``SystemExit(143)`` meanwhile, so the staging folder is removed."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return

    def _exit(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


GPKG_LAYERS = ("routes", "legs", "borders", "transfers")
"""Layers of ``routes.gpkg``, each with ``scenario``, ``od`` and ``rank`` columns."""


def gis_layers(comparison: Comparison) -> dict[str, gpd.GeoDataFrame]:
    """Return the comparison as tidy GIS layers (EPSG:4326), as ``routes.gpkg`` holds them.

    ``routes``: one row per scenario × pair × rank of the table (its columns; a MultiLineString,
    empty where there is no route). ``legs``: one row per leg of those routes (mode, gauge,
    country, km, h, USD and kg CO2e per TEU; LineString). ``borders`` and ``transfers``: one
    point per border crossing and per change of gauge or mode (hours, USD per TEU). Every layer
    starts with ``scenario``, ``od`` and ``rank``, so one layer filtered by scenario replaces a
    layer per scenario.
    """
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import shapely

    table = comparison.table
    net = comparison.net
    places = net.node_records if net is not None else {}
    keys = ["scenario", "od", "rank"]
    routes_rows: list[dict[str, Any]] = []
    legs: list[dict[str, Any]] = []
    borders: list[dict[str, Any]] = []
    transfers: list[dict[str, Any]] = []
    # leg geometries are made at the end, all at once (one shapely object at a time is slow)
    coords: list[Any] = []
    route_of_leg: list[int] = []
    for row in table.to_dict("records"):
        key = (row["scenario"], row["od"], row["rank"])
        route = comparison.routes.get(key)
        routes_rows.append({**{str(k): v for k, v in row.items()}, "geometry": None})
        if route is None:
            continue
        coords += route.leg_coords
        route_of_leg += [len(routes_rows) - 1] * len(route.legs)
        front = dict(zip(keys, key, strict=True))
        # the columns of Route.to_gdf, built as rows: one GeoDataFrame per route is slow
        legs += [{**front, "seq": seq, **leg.row()} for seq, leg in enumerate(route.legs)]
        for seq, b in enumerate(route.border_crossings):
            borders.append(
                {
                    **front,
                    "seq": seq,
                    "at": b.at,
                    "name": places.get(b.at, {}).get("name", b.at),
                    "from_country": b.from_country,
                    "to_country": b.to_country,
                    "hours": round(b.hours, 2),
                    "cost_usd": round(b.cost_usd, 1),
                    "geometry": _point(places, b.at, route),
                }
            )
        for seq, t in enumerate(route.transfers):
            transfers.append(
                {
                    **front,
                    "seq": seq,
                    "at": t.at,
                    "name": places.get(t.at, {}).get("name", t.at),
                    "kind": t.kind,
                    "from_service": t.from_service,
                    "to_service": t.to_service,
                    "hours": round(t.hours, 2),
                    "cost_usd": round(t.cost_usd, 1),
                    "co2_kg": round(t.co2_kg, 1),
                    "geometry": _point(places, t.at, route),
                }
            )
    point_columns = {
        "borders": [*keys, "seq", "at", "name", "from_country", "to_country", "hours", "cost_usd"],
        "transfers": [
            *keys,
            *("seq", "at", "name", "kind", "from_service", "to_service"),
            *("hours", "cost_usd", "co2_kg"),
        ],
    }

    def frame_of(rows: list[dict[str, Any]], columns: list[str]) -> gpd.GeoDataFrame:
        data = pd.DataFrame(rows, columns=[*columns, "geometry"])
        return gpd.GeoDataFrame(data, geometry="geometry", crs="EPSG:4326")

    if coords:
        points = np.array([p for line in coords for p in line], dtype=float)
        lines = shapely.linestrings(
            points, indices=np.repeat(np.arange(len(coords)), [len(c) for c in coords])
        )
        for leg, line in zip(legs, lines, strict=True):
            leg["geometry"] = line
        owners = np.asarray(route_of_leg)
        routed = np.unique(owners)  # rows with a route; multilinestrings wants 0, 1, 2…
        multis = shapely.multilinestrings(lines, indices=np.searchsorted(routed, owners))
        for i, multi in zip(routed, multis, strict=True):
            routes_rows[i]["geometry"] = multi
    leg_columns = [*keys, "seq", "link", "from", "to", "mode", "gauge_mm", "country"]
    legs_frame = frame_of(legs, [*leg_columns, *TOTAL_FIGURES, "tags"])
    legs_frame["gauge_mm"] = legs_frame["gauge_mm"].astype("Int64")  # an integer column
    return {
        "routes": frame_of(routes_rows, [*keys, *(c for c in table.columns if c not in keys)]),
        "legs": legs_frame,
        "borders": frame_of(borders, point_columns["borders"]),
        "transfers": frame_of(transfers, point_columns["transfers"]),
    }


def _point(places: dict[str, dict[str, Any]], node: str, route: Route) -> Any:
    """Point of a place: from the network, else the end of the leg that reaches it."""
    from shapely import Point

    record = places.get(node)
    if record and "lon" in record and "lat" in record:
        return Point(float(record["lon"]), float(record["lat"]))
    for leg, coords in zip(route.legs, route.leg_coords, strict=True):
        if leg.to_node == node:
            return Point(coords[-1])
        if leg.from_node == node:
            return Point(coords[0])
    return None


def _write_geopackage(comparison: Comparison, path: Path) -> None:
    """Write :func:`gis_layers` and their QGIS styles (``layer_styles``) into one GeoPackage."""
    import pandas as pd
    import pyogrio

    for i, (name, frame) in enumerate(gis_layers(comparison).items()):
        pyogrio.write_dataframe(
            frame,
            path,
            layer=name,
            driver="GPKG",
            promote_to_multi=False,
            # GeoPackage 1.2: what GDAL before 3.7 (QGIS 3.28 LTR and older) reads without warning
            dataset_options={"VERSION": "1.2"} if i == 0 else None,
        )
    # a plain table (no geometry), registered in the GeoPackage as attributes, as QGIS makes it
    pyogrio.write_dataframe(
        pd.DataFrame(layer_styles(comparison)),
        path,
        layer="layer_styles",
        driver="GPKG",
        layer_options={"FID": "id"},
    )


def layer_styles(comparison: Comparison) -> list[dict[str, Any]]:
    """Return the rows of the ``layer_styles`` table QGIS reads styles from in a GeoPackage.

    ``routes`` are coloured by scenario (the interactive and static maps' route colours, in the
    comparison's order), ``legs`` by mode (the maps' mode colours, water modes dashed),
    ``borders`` and ``transfers`` as markers. Each style is given as QML (what QGIS applies) and
    as SLD (for other GIS software), and is the layer's default.
    """
    import datetime as dt

    from .mapstyle import MODE_STYLE, ROUTE_COLORS

    labels = comparison.labels or [s.name for s in comparison.scenarios]
    scenarios = list(dict.fromkeys(labels))
    route_classes = [
        (label, label, ROUTE_COLORS[i % len(ROUTE_COLORS)], False)
        for i, label in enumerate(scenarios)
    ]
    mode_classes = [
        (mode, mode, style["color"], mode in WATER_MODES) for mode, style in MODE_STYLE.items()
    ]
    styles = {
        "routes": ("scenario", route_classes, "line", 0.8),
        "legs": ("mode", mode_classes, "line", 0.6),
        "borders": (None, [("", "border crossing", "#d7191c", False)], "marker", 2.6),
        "transfers": (None, [("", "change of gauge or mode", "#2b83ba", False)], "marker", 2.2),
    }
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    rows = []
    for layer, (attribute, classes, kind, size) in styles.items():
        rows.append(
            {
                "f_table_catalog": "",
                "f_table_schema": "",
                "f_table_name": layer,
                "f_geometry_column": "geom",
                "styleName": f"corridors {layer}",
                "styleQML": _qml(attribute, classes, kind, size),
                "styleSLD": _sld(layer, attribute, classes, kind, size),
                "useAsDefault": True,
                "description": f"{layer} by {attribute}" if attribute else layer,
                "owner": "",
                "ui": "",
                "update_time": now,
            }
        )
    return rows


_Class = tuple[str, str, str, bool]
"""``(value, label, colour "#rrggbb", dashed)`` of one category of a style."""


def _rgba(color: str) -> str:
    """Return ``"#rrggbb"`` as QGIS writes colours, ``"r,g,b,255"``."""
    return ",".join(str(int(color[i : i + 2], 16)) for i in (1, 3, 5)) + ",255"


def _qml_symbol(name: str, color: str, kind: str, size: float, dashed: bool) -> str:
    if kind == "line":
        options = {
            "line_color": _rgba(color),
            "line_width": str(size),
            "line_width_unit": "MM",
            "line_style": "dash" if dashed else "solid",
            "capstyle": "round",
            "joinstyle": "round",
        }
        layer_class, symbol_type = "SimpleLine", "line"
    else:
        options = {
            "name": "circle",
            "color": _rgba(color),
            "outline_color": "255,255,255,255",
            "outline_width": "0.3",
            "size": str(size),
            "size_unit": "MM",
        }
        layer_class, symbol_type = "SimpleMarker", "marker"
    # both ways QGIS 3 has written symbol properties (an <Option> map in recent versions, <prop>
    # elements in older ones), so either kind of reader finds them
    current = "".join(
        f'<Option type="QString" name="{k}" value="{v}"/>' for k, v in options.items()
    )
    older = "".join(f'<prop k="{k}" v="{v}"/>' for k, v in options.items())
    return (
        f'<symbol type="{symbol_type}" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">'
        f'<layer class="{layer_class}" pass="0" locked="0" enabled="1">'
        f'<Option type="Map">{current}</Option>{older}</layer></symbol>'
    )


def _qml(attribute: str | None, classes: Sequence[_Class], kind: str, size: float) -> str:
    """Return a QGIS style (QML): categories of ``attribute``, or one symbol when it is ``None``."""
    from xml.sax.saxutils import quoteattr

    symbols = "".join(
        _qml_symbol(str(i), color, kind, size, dashed)
        for i, (_, _, color, dashed) in enumerate(classes)
    )
    if attribute is None:
        renderer = f'<renderer-v2 type="singleSymbol"><symbols>{symbols}</symbols></renderer-v2>'
    else:
        categories = "".join(
            f'<category symbol="{i}" value={quoteattr(value)} label={quoteattr(label)} '
            'render="true" type="string"/>'
            for i, (value, label, _, _) in enumerate(classes)
        )
        renderer = (
            f'<renderer-v2 type="categorizedSymbol" attr={quoteattr(attribute)} '
            'symbollevels="0" enableorderby="0" forceraster="0">'
            f"<categories>{categories}</categories><symbols>{symbols}</symbols></renderer-v2>"
        )
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
        f'<qgis version="3.28.0" styleCategories="Symbology">{renderer}</qgis>'
    )


def _sld(
    layer: str, attribute: str | None, classes: Sequence[_Class], kind: str, size: float
) -> str:
    """Return the same style as an OGC Symbology Encoding (SLD 1.1) document."""
    from xml.sax.saxutils import escape

    rules = []
    for value, label, color, dashed in classes:
        where = (
            "<ogc:Filter><ogc:PropertyIsEqualTo>"
            f"<ogc:PropertyName>{escape(attribute)}</ogc:PropertyName>"
            f"<ogc:Literal>{escape(value)}</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>"
            if attribute is not None
            else ""
        )
        if kind == "line":
            dash = (
                '<se:SvgParameter name="stroke-dasharray">6 3</se:SvgParameter>' if dashed else ""
            )
            symbolizer = (
                "<se:LineSymbolizer><se:Stroke>"
                f'<se:SvgParameter name="stroke">{color}</se:SvgParameter>'
                f'<se:SvgParameter name="stroke-width">{size * 3.78:.1f}</se:SvgParameter>'
                f"{dash}</se:Stroke></se:LineSymbolizer>"
            )
        else:
            symbolizer = (
                "<se:PointSymbolizer><se:Graphic><se:Mark>"
                "<se:WellKnownName>circle</se:WellKnownName>"
                f'<se:Fill><se:SvgParameter name="fill">{color}</se:SvgParameter></se:Fill>'
                f"</se:Mark><se:Size>{size * 3.78:.1f}</se:Size></se:Graphic></se:PointSymbolizer>"
            )
        rules.append(f"<se:Rule><se:Name>{escape(label)}</se:Name>{where}{symbolizer}</se:Rule>")
    return (
        '<StyledLayerDescriptor version="1.1.0" xmlns="http://www.opengis.net/sld" '
        'xmlns:ogc="http://www.opengis.net/ogc" xmlns:se="http://www.opengis.net/se">'
        f"<NamedLayer><se:Name>{layer}</se:Name><UserStyle><se:Name>{layer}</se:Name>"
        f"<se:FeatureTypeStyle>{''.join(rules)}</se:FeatureTypeStyle></UserStyle></NamedLayer>"
        "</StyledLayerDescriptor>"
    )


def _fmt(value: Any, digits: int = 0) -> str:
    try:
        import math

        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "—"
    except TypeError:
        pass
    if isinstance(value, int | float):
        return f"{value:,.{digits}f}"
    return str(value)


def _by_family(table: pd.DataFrame) -> bool:
    return "family" in table and bool((table["family"].fillna("") != "").any())


def summary_rows(table: pd.DataFrame) -> list[dict[str, str]]:
    """Return the best route of each scenario and pair (or of each family) as display strings."""
    if _by_family(table):
        # per pair, each family's row in every scenario together, families in the order they
        # first appear (the first scenario's ranking: best family first)
        order = {f: i for i, f in enumerate(dict.fromkeys(table["family"]))}
        pairs = {od: i for i, od in enumerate(dict.fromkeys(table["od"]))}
        scenarios = {sc: i for i, sc in enumerate(dict.fromkeys(table["scenario"]))}
        keys: list[Any] = [
            (pairs[o], order[f], scenarios[sc])
            for o, f, sc in zip(table["od"], table["family"], table["scenario"], strict=True)
        ]
        best = table.assign(_key=keys).sort_values("_key", kind="stable")
    else:
        best = table[table["rank"] == 1]
    out = []
    for _, row in best.iterrows():
        delta = row["delta_time_h"]
        out.append(
            {
                "od": row["od"],
                "scenario": row["scenario"],
                "family": row["family"] if isinstance(row.get("family"), str) else "",
                "km": _fmt(row["distance_km"]),
                "days": _fmt(None if row["time_h"] is None else row["time_h"] / 24, 1),
                "USD/TEU": _fmt(row["cost_usd"]),
                "kg CO2e": _fmt(row["co2_kg"]),
                "Δ h": "" if delta is None or delta != delta else f"{delta:+,.0f}",
                "countries": row["countries"] if isinstance(row["countries"], str) else "",
                "note": short_note(row["note"]),
            }
        )
    return out


def short_note(note: Any) -> str:
    """Shorten a no-route message to what blocks it (or to 80 characters)."""
    if not isinstance(note, str) or not note:
        return ""
    if "blocked by" in note:
        return "no route: " + note.split("blocked by", 1)[1].split(" (a route")[0].strip()
    return note if len(note) <= 80 else note[:77] + "…"


def text_table(table: pd.DataFrame) -> str:
    """Return the comparison as a plain-text table, one block per origin-destination pair."""
    rows = summary_rows(table)
    columns = ["scenario", "km", "days", "USD/TEU", "kg CO2e", "Δ h", "countries"]
    if _by_family(table):
        columns.insert(1, "family")
    widths = {c: max([len(c)] + [len(r[c]) for r in rows]) for c in columns}
    blocks = []
    for od in dict.fromkeys(r["od"] for r in rows):
        lines = [od, ("  " + "  ".join(c.ljust(widths[c]) for c in columns)).rstrip()]
        for r in (r for r in rows if r["od"] == od):
            cells = [
                r[c].rjust(widths[c])
                if c not in ("scenario", "family", "countries")
                else r[c].ljust(widths[c])
                for c in columns
            ]
            line = "  " + "  ".join(cells).rstrip()
            if r["note"]:
                line += f"  {r['note']}"
            lines.append(line)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


RANGE_CHART_PREFIX = "ranges_"
"""File names of the range bar charts ``compare --draws`` draws beside its maps."""

RANGE_CHARTS_HEADING = "## How sure? Ranges of drawn time"
"""Heading of the report's section that shows the range bar charts."""

RANGE_CHARTS_NOTE = (
    "Drawn door-to-door time of each scenario's best route: P10–P90 bar, P50 mark, "
    "priced time tick (the waits' spreads and sources are in data/reliability.toml)."
)


def markdown(comparison: Comparison, *, maps: Sequence[str] = ()) -> str:
    """Return the comparison as a Markdown report.

    Key findings first (per pair, what each scenario changes against its baseline, by how much
    and why), then the scenarios, one table per pair, the maps, and the sources of the figures.

    Parameters
    ----------
    comparison
        What :func:`corridors.comparison.compare_routes` returned.
    maps
        Paths of the pictures to show, relative to the report's folder (``maps/…png``).
    """
    parts = ["# Scenario comparison", "", *key_findings(comparison), "## Scenarios", ""]
    labels = comparison.labels or [s.name for s in comparison.scenarios]
    for s, label in zip(comparison.scenarios, labels, strict=True):
        parts.append(
            f"- **{label}** (as of {s.as_of}, minimising {s.weight}): "
            f"{' '.join(s.description.split())}"
        )
        parts += [f"  - source: {src}" for src in s.sources]
    parts.append("")
    columns = ["scenario", "km", "days", "USD/TEU", "kg CO2e", "Δ h", "countries", "note"]
    if _by_family(comparison.table):
        columns.insert(1, "family")
    rows = summary_rows(comparison.table)
    for od in dict.fromkeys(r["od"] for r in rows):
        parts += [
            f"## {od}",
            "",
            "| " + " | ".join(columns) + " |",
            "|" + "|".join("---" for _ in columns) + "|",
        ]
        parts += ["| " + " | ".join(r[c] for c in columns) + " |" for r in rows if r["od"] == od]
        parts.append("")
    parts.append(
        "Δ h: change in hours against each scenario's baseline (the same corridor family where "
        "the table is by family). All routes and alternatives are in comparison.csv and "
        "routes.gpkg; the figures behind them, with their sources, in figures.csv, "
        "route_elements.csv and sources.csv."
    )
    ranges = [m for m in maps if Path(m).name.startswith(RANGE_CHART_PREFIX)]
    maps = [m for m in maps if m not in ranges]
    if maps:
        parts += ["", "## Maps", ""]
        # the routes of each pair first, in the tables' order, then what changes per scenario
        for path in sorted(maps, key=lambda p: (not Path(p).name.startswith("route_"), p)):
            caption = Path(path).stem.replace("__", " → ").replace("_", " ")
            parts += [f"![{caption}]({Path(path).as_posix()})", ""]
    if ranges:
        parts += ["", RANGE_CHARTS_HEADING, "", RANGE_CHARTS_NOTE, ""]
        for path in sorted(ranges):
            parts += [f"![{Path(path).stem}]({Path(path).as_posix()})", ""]
    parts += ["", "## Sources of the figures", ""]
    parts.append(
        "Every length, speed, wait, border and transfer time and rate behind the best routes "
        "above, by source (figure: how many times it is used). figures.csv has each one, "
        "with its source id in sources.csv."
    )
    parts.append("")
    records = [
        {str(k): v for k, v in r.items()}
        for r in comparison.sources(best_only=True).to_dict("records")
    ]
    for n, (source, quantities) in enumerate(cited_sources(records).items(), start=1):
        uses = ", ".join(f"{q} ×{len(items)}" for q, items in quantities.items())
        parts.append(f"{n}. {source} — {uses}")
    return "\n".join(parts) + "\n"


# --- key findings ------------------------------------------------------------------------------
def key_findings(comparison: Comparison) -> list[str]:
    """Return Markdown lines: per pair, what each scenario changes against its baseline, and why.

    For each scenario with a baseline, its best route for the pair is set against the
    baseline's: the change in time, cost and CO2e (absolute and in per cent), the countries it
    no longer or newly crosses, or that it has no route. The reasons come from the two networks
    and scenarios: countries the scenario avoids, links of the baseline's route closed (and the
    dataset closures, disruptions and embargoes in force on one date and not the other that
    touch either route), links opened for the new route, the scenario's own overrides, and the
    shared elements whose time changed most. Scenarios whose route and figures are their
    baseline's are listed once, as unchanged.
    """
    labels = comparison.labels or [s.name for s in comparison.scenarios]
    bases = comparison.baselines or comparison.scenarios
    base_labels = comparison.baseline_labels or labels
    networks: dict[str, Any] = {}

    def network_of(scenario: Any, label: str) -> Any:
        if comparison.net is None:
            return None
        if label not in networks:
            networks[label] = scenario.apply(comparison.net)
        return networks[label]

    notes = {
        (row["scenario"], row["od"]): row["note"]
        for row in comparison.table.to_dict("records")
        if row["rank"] == 1
    }
    places = comparison.net.node_records if comparison.net is not None else {}
    ends: dict[str, tuple[Any, Any]] = {
        str(row["od"]): (
            places.get(row["origin"], {}).get("country"),
            places.get(row["destination"], {}).get("country"),
        )
        for row in comparison.table.to_dict("records")
    }
    lines = ["## Key findings", ""]
    for od in dict.fromkeys(comparison.table["od"]):
        lines += [f"### {od}", ""]
        unchanged, found = [], 0
        for s, label, base, base_label in zip(
            comparison.scenarios, labels, bases, base_labels, strict=True
        ):
            if base is s:
                continue
            r_s = comparison.routes.get((label, str(od), 1))
            r_b = comparison.routes.get((base_label, str(od), 1))
            what = _what_changes(r_s, r_b, base_label, note=notes.get((label, od)))
            if what is None:
                unchanged.append(label)
                continue
            why = _why(
                s,
                base,
                network_of(s, label),
                network_of(base, base_label),
                r_s,
                r_b,
                ends=ends.get(str(od), (None, None)),
            )
            lines.append(f"- **{label}** against {base_label}: {what}")
            lines += [f"  - {reason}" for reason in why]
            found += 1
        if unchanged:
            lines.append(
                f"- {'No change' if not found else 'Unchanged'} in {', '.join(unchanged)} "
                "(same route and figures as their baselines)."
            )
        if not unchanged and not found:
            lines.append("- Every scenario here is its own baseline: nothing to compare.")
        lines.append("")
    return lines


def _pct(delta: float, base: float, *, wrap: bool = False) -> str:
    """Return ``", +12 %"`` (``" (+12 %)"`` with ``wrap``): ``delta`` against ``base``."""
    if not base:
        return ""
    share = f"{delta / base * 100:+.0f} %"
    return f" ({share})" if wrap else f", {share}"


def _what_changes(
    r_s: Route | None, r_b: Route | None, base_label: str, *, note: Any
) -> str | None:
    """Say how the scenario's best route differs from the baseline's; ``None`` if it does not."""
    if r_s is None and r_b is None:
        return None
    if r_s is None:
        assert r_b is not None
        why = short_note(note)
        return (
            f"**no route** (in {base_label}: {r_b.time_h / 24:.1f} days, "
            f"USD {r_b.cost_usd:,.0f}/TEU){'; ' + why if why else ''}."
        )
    if r_b is None:
        return (
            f"**a route where {base_label} has none**: {r_s.time_h / 24:.1f} days, "
            f"USD {r_s.cost_usd:,.0f}/TEU via {'-'.join(r_s.countries)}."
        )
    dt_h, dc, dco2 = r_s.time_h - r_b.time_h, r_s.cost_usd - r_b.cost_usd, r_s.co2_kg - r_b.co2_kg
    same_countries = r_s.countries == r_b.countries
    if abs(dt_h) < 0.05 and abs(dc) < 0.5 and abs(dco2) < 0.5 and same_countries:
        return None
    parts = [f"time {dt_h:+,.1f} h ({dt_h / 24:+.1f} days{_pct(dt_h, r_b.time_h)})"]
    if abs(dc) >= 0.5:
        parts.append(f"cost {dc:+,.0f} USD/TEU{_pct(dc, r_b.cost_usd, wrap=True)}")
    if abs(dco2) >= 0.5:
        parts.append(f"CO2e {dco2:+,.0f} kg/TEU{_pct(dco2, r_b.co2_kg, wrap=True)}")
    if abs(dc) < 0.5 and abs(dco2) < 0.5:
        parts.append("cost and CO2e unchanged")
    if same_countries:
        parts.append(f"same countries ({'-'.join(r_s.countries)})")
    else:
        dropped = [c for c in dict.fromkeys(r_b.countries) if c not in r_s.countries]
        added = [c for c in dict.fromkeys(r_s.countries) if c not in r_b.countries]
        change = "; ".join(
            filter(
                None,
                [
                    f"no longer through {', '.join(dropped)}" if dropped else "",
                    f"now through {', '.join(added)}" if added else "",
                ],
            )
        )
        parts.append(
            f"via {'-'.join(r_s.countries)} instead of {'-'.join(r_b.countries)}"
            + (f" ({change})" if change else "")
        )
    return ", ".join(parts) + "."


def _route_sets(*routes: Route | None) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {"links": set(), "tags": set(), "countries": set(), "nodes": set()}
    for r in routes:
        if r is None:
            continue
        out["links"].update(r.links)
        out["tags"].update(tag for leg in r.legs for tag in leg.tags)
        out["countries"].update(r.countries)
        out["nodes"].update(r.nodes)
    return out


def _touches(where: dict[str, Any], touched: dict[str, set[str]]) -> bool:
    """Whether a closure's or disruption's ``where`` names an element of the routes."""
    return any(set(where.get(key) or ()) & values for key, values in touched.items())


def _listed(items: Sequence[str], *, shown: int = 6) -> str:
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(f"`{i}`" for i in items[:shown]) + more


def _embargo_applies(embargo: dict[str, Any], ends: tuple[Any, Any], countries: set[str]) -> bool:
    """Whether an embargo can bear on a trip between countries ``ends`` through ``countries``.

    An origin embargo bears on trips that start in its ``from_country`` and reach its
    ``to_country``; a transit one on trips bound for its ``to_country`` (from its
    ``from_country``, if set) that could pass through its ``through_country``.
    """
    start, end = ends
    if embargo.get("kind", "origin") == "origin":
        return embargo.get("from_country") == start and embargo.get("to_country") in countries | {
            end
        }
    return (
        embargo.get("to_country") == end
        and embargo.get("from_country") in (None, start)
        and embargo.get("through_country") in countries | {start}
    )


def _why(
    s: Any,
    base: Any,
    net_s: Any,
    net_b: Any,
    r_s: Route | None,
    r_b: Route | None,
    *,
    ends: tuple[Any, Any] = (None, None),
) -> list[str]:
    """Reasons the scenario's route differs from its baseline's, most direct first."""
    reasons = []
    touched = _route_sets(r_s, r_b)
    was = _route_sets(r_b)
    for key, what in (("countries", "countries"), ("tags", "link tags"), ("links", "links")):
        # only what the baseline's route used can explain why this route differs
        new = [
            v for v in s.avoid.get(key, ()) if v not in base.avoid.get(key, ()) and v in was[key]
        ]
        if new:
            reasons.append(f"the scenario avoids {what} {', '.join(new)}")
    if net_s is not None and net_b is not None:
        if r_b is not None:
            closed = [link for link in dict.fromkeys(r_b.links) if link not in net_s.usable_links]
            if closed:
                reasons.append(f"closed on the baseline's route: {_listed(closed)}")
        if r_s is not None:
            opened = [link for link in dict.fromkeys(r_s.links) if link not in net_b.usable_links]
            if opened:
                reasons.append(f"opened for this route: {_listed(opened)}")
        ids_s = {d["id"]: d for d in net_s.disruptions_in_force()}
        ids_b = {d["id"]: d for d in net_b.disruptions_in_force()}
        for ids, word in (
            (ids_s.keys() - ids_b.keys(), "in force"),
            (ids_b.keys() - ids_s.keys(), "over"),
        ):
            both = {**ids_s, **ids_b}
            hit = sorted(i for i in ids if _touches(both[i].get("where", {}), touched))
            if hit:
                reasons.append(
                    f"dataset closures and disruptions {word} on {net_s.as_of}: {_listed(hit)}"
                )
        emb_s = {e["id"]: e for e in net_s.embargoes_in_force()}
        emb_b = {e["id"]: e for e in net_b.embargoes_in_force()}
        both = {**emb_s, **emb_b}
        for ids, word in (
            (emb_s.keys() - emb_b.keys(), "in force"),
            (emb_b.keys() - emb_s.keys(), "lifted"),
        ):
            hit = sorted(i for i in ids if _embargo_applies(both[i], ends, touched["countries"]))
            if hit:
                reasons.append(f"embargoes {word} on {net_s.as_of}: {_listed(hit)}")
    own = [o for o in s.overrides if o not in base.overrides]
    for o in own:
        target = {k: v for k, v in o.items() if k not in ("source", "note")}
        keyed = {"link": "links", "tag": "tags", "node": "nodes", "country": "countries"}
        where = {keyed.get(k, k): [v] if isinstance(v, str) else v for k, v in target.items()}
        if _touches(where, touched):
            shown = ", ".join(f"{k} {v}" for k, v in target.items())
            reasons.append(f"scenario override: {shown}")
    if r_s is not None and r_b is not None:
        reasons += _changed_elements(r_s, r_b)
    return reasons


def _changed_elements(r_s: Route, r_b: Route, *, shown: int = 3) -> list[str]:
    """Name the elements both routes use whose time or cost changed most."""
    from .results import step_label

    def totals(r: Route) -> dict[str, tuple[float, float]]:
        out: dict[str, tuple[float, float]] = {}
        for step in r.steps:
            figures = _element_totals(step)
            h, usd = out.get(step_label(step), (0.0, 0.0))
            out[step_label(step)] = (h + figures["time_h"], usd + figures.get("cost_usd", 0.0))
        return out

    a, b = totals(r_b), totals(r_s)
    shared = a.keys() & b.keys()
    reasons = []
    for i, (what, unit, fmt) in enumerate((("time", "h", "{:+,.1f}"), ("cost", "USD", "{:+,.0f}"))):
        changed = sorted(
            ((label, b[label][i] - a[label][i]) for label in shared),
            key=lambda item: (-abs(item[1]), item[0]),
        )
        changed = [(label, d) for label, d in changed if abs(d) >= 0.5][:shown]
        if changed:
            listed = "; ".join(f"{label} {fmt.format(d)} {unit}" for label, d in changed)
            reasons.append(f"largest {what} changes on elements both routes use: {listed}")
    return reasons


def cited_sources(records: Sequence[dict[str, Any]]) -> dict[str, dict[str, list[str]]]:
    """Group source records by source, then by quantity: ``{source: {quantity: [items]}}``.

    Parameters
    ----------
    records
        Records as :meth:`corridors.Route.source_records` returns them (or their union over
        several routes), in the order the sources should be numbered.
    """
    grouped: dict[str, dict[str, list[str]]] = {}
    for rec in records:
        items = grouped.setdefault(rec["source"] or "no source given", {}).setdefault(
            rec["quantity"], []
        )
        if rec["item"] not in items:
            items.append(rec["item"])
    return grouped


def sources_text(records: Sequence[dict[str, Any]], *, shown: int = 3) -> str:
    """Return a numbered list of the sources behind a route's figures, for a terminal.

    Parameters
    ----------
    records
        Records as :meth:`corridors.Route.source_records` returns them.
    shown
        Items named per quantity before the rest are counted.
    """
    lines = ["  sources of the figures"]
    for n, (source, quantities) in enumerate(cited_sources(records).items(), start=1):
        lines.append(f"  [{n}] {source}")
        for quantity, items in quantities.items():
            named = ", ".join(items[:shown])
            more = f" … ({len(items)} in all)" if len(items) > shown else ""
            lines.append(f"      {quantity}: {named}{more}")
    return "\n".join(lines) + "\n"

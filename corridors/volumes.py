"""Maps and files of an assignment (:func:`corridors.assign`) and of a criticality ranking.

A flow map draws each link that carries volume with a width by TEU a year and a colour by its
volume/capacity ratio (grey where no capacity is published); capacitated ports, stations and
crossings are discs coloured the same way. The files are written into a staging folder beside
the output folder and swapped in with renames, so the folder holds one run's outputs.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .assignment import Assignment
from .errors import UsageError
from .maps import plot_network, region_for, save_figure
from .reports import MARKER, check_output_dir

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

V_C_MAX = 1.5
"""v/c at which the colour scale of the maps saturates (above capacity: the darkest red)."""

_CMAP = "RdYlGn_r"
_NO_CAPACITY = "#5b6b7a"  # links without a published capacity


def _region(
    assignment: Assignment,
    links: pd.DataFrame,
    region: str | tuple[float, float, float, float] | None,
) -> tuple[str | tuple[float, float, float, float], str]:
    """Return the region to draw (a name or a box) and its projection."""
    if region is None:
        records = assignment.network.usable_links
        xs = [x for link in links["link"] for x, _ in records[link]["coords"]]
        ys = [y for link in links["link"] for _, y in records[link]["coords"]]
        region = region_for(None, extent=(min(xs), min(ys), max(xs), max(ys))).name
    return region, region_for(region).crs


def plot_flows(
    assignment: Assignment,
    *,
    region: str | tuple[float, float, float, float] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Draw the assigned volumes: line width by TEU a year, colour by volume/capacity.

    Parameters
    ----------
    assignment
        What :func:`corridors.assign` returned.
    region
        ``eurasia``, ``caucasus``, ``caspian``, ``world`` or ``(west, south, east, north)``;
        the smallest named region holding every loaded link when ``None``.
    ax
        Axes to draw on (a new figure when ``None``).
    title
        Title; one naming the scenario and date when ``None``.

    Returns
    -------
    matplotlib.axes.Axes
    """
    links = assignment.link_volumes()
    if links.empty:
        raise UsageError("nothing was assigned: no pair has a route, so there is no flow to draw")
    drawn, crs = _region(assignment, links, region)
    label = assignment.scenario or "no scenario"
    ax = plot_network(
        assignment.network,
        region=drawn,
        ax=ax,
        labels=True,
        title=title or f"Assigned volumes, {label}, as of {assignment.as_of}",
    )
    _draw_flows(ax, assignment, links, crs)
    return ax


def _rows(table: pd.DataFrame, key: str, *numbers: str) -> list[tuple[Any, ...]]:
    """Rows of ``table`` as (``key`` as text, then ``numbers`` as floats)."""
    columns = [[str(v) for v in table[key]]] + [
        table[n].to_numpy(dtype=float).tolist() for n in numbers
    ]
    return list(zip(*columns, strict=True))


def _colour(v_c: float) -> Any:
    import matplotlib

    if not np.isfinite(v_c):
        return _NO_CAPACITY
    return matplotlib.colormaps[_CMAP](min(v_c, V_C_MAX) / V_C_MAX)


def _draw_flows(ax: Axes, assignment: Assignment, links: pd.DataFrame, crs: str) -> None:
    import matplotlib
    from matplotlib.lines import Line2D
    from pyproj import Transformer

    to = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    records = assignment.network.usable_links
    largest = float(links["volume_teu"].max())
    for link, volume, v_c in _rows(links, "link", "volume_teu", "v_c"):
        coords = records[link]["coords"]
        xs, ys = to.transform([c[0] for c in coords], [c[1] for c in coords])
        width = 0.8 + 9.0 * volume / largest  # points: the busiest link ~10 pt
        ax.plot(
            xs, ys, color=_colour(v_c), linewidth=width, alpha=0.85, zorder=6,
            solid_capstyle="round",
        )  # fmt: skip
    places = assignment.network.usable_nodes
    nodes = assignment.elements[assignment.elements["element"].isin(list(places))]
    nodes = nodes[nodes["volume_teu"] > 0]
    for element, volume, v_c in _rows(nodes, "element", "volume_teu", "v_c"):
        record = places[element]
        x, y = to.transform(record["lon"], record["lat"])
        size = 30 + 250 * volume / largest
        ax.scatter([x], [y], s=size, color=_colour(v_c), edgecolor="black",
                   linewidth=0.6, zorder=7)  # fmt: skip
    scale = matplotlib.cm.ScalarMappable(
        cmap=_CMAP, norm=matplotlib.colors.Normalize(vmin=0, vmax=V_C_MAX)
    )
    bar = ax.figure.colorbar(scale, ax=ax, shrink=0.5, pad=0.01)
    bar.set_label("volume / capacity (≥ 1: queues of days)")
    handles = [
        Line2D([], [], color=_NO_CAPACITY, linewidth=3, label="no published capacity"),
        Line2D([], [], color="black", linewidth=9.8, label=f"{largest:,.0f} TEU/year"),
        Line2D([], [], color="black", linewidth=0.8 + 9.0 * 0.1, label=f"{largest / 10:,.0f}"),
    ]
    ax.legend(handles=handles, loc="lower right", fontsize=8, title="flow", framealpha=0.9)


def plot_criticality(
    assignment: Assignment,
    table: pd.DataFrame,
    *,
    top: int = 10,
    region: str | tuple[float, float, float, float] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Draw the ``top`` most critical single closures of ``table`` (:func:`criticality`).

    Links in red with a width by added TEU-hours, places as red discs, each numbered by rank.
    """
    from pyproj import Transformer

    singles = table[table["kind"] != "pair"].head(top)
    links = assignment.link_volumes()
    if links.empty:
        raise UsageError("nothing was assigned: no pair has a route, so nothing is critical")
    drawn, crs = _region(assignment, links, region)
    label = assignment.scenario or "no scenario"
    ax = plot_network(
        assignment.network,
        region=drawn,
        ax=ax,
        labels=False,
        title=title or f"Most critical closures, {label}, as of {assignment.as_of}",
    )
    to = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    links_by_id = assignment.network.usable_links
    nodes_by_id = assignment.network.usable_nodes
    largest = max(float(singles["added_teu_h"].max()), 1.0) if len(singles) else 1.0
    for element, added, rank in _rows(singles, "element", "added_teu_h", "rank"):
        weight = 1.5 + 6.0 * added / largest
        if element in links_by_id:
            coords = links_by_id[element]["coords"]
            xs, ys = to.transform([c[0] for c in coords], [c[1] for c in coords])
            ax.plot(xs, ys, color="#b2182b", linewidth=weight, zorder=6, alpha=0.9)
            x, y = xs[len(xs) // 2], ys[len(ys) // 2]
        else:
            record = nodes_by_id[element]
            x, y = to.transform(record["lon"], record["lat"])
            ax.scatter([x], [y], s=40 + 20 * weight, color="#b2182b", edgecolor="black", zorder=7)
        ax.annotate(
            f"{rank:.0f}", (x, y), fontsize=8, fontweight="bold", zorder=8,
            xytext=(3, 3), textcoords="offset points",
        )  # fmt: skip
    return ax


# ---------------------------------------------------------------------------------------------
# files


def write_assignment(
    assignment: Assignment,
    directory: str | Path,
    *,
    force: bool = False,
    maps: bool = True,
) -> list[Path]:
    """Write ``elements.csv``, ``od.csv``, ``routes.csv``, ``gaps.csv``, ``assignment.gpkg``, map.

    Parameters
    ----------
    assignment
        What :func:`corridors.assign` returned.
    directory
        Output folder; created if missing, replaced as a whole if corridors wrote it.
    force
        Replace a non-empty folder that corridors did not create.
    maps
        Draw ``flows.png``.

    Returns
    -------
    list of Path
        The files written, at their final place.
    """

    def write(staging: Path) -> None:
        assignment.elements.to_csv(staging / "elements.csv", index=False)
        assignment.od.to_csv(staging / "od.csv", index=False)
        assignment.routes.to_csv(staging / "routes.csv", index=False)
        gaps = {"iteration": range(1, len(assignment.gaps) + 1), "relative_gap": assignment.gaps}
        _frame(gaps).to_csv(staging / "gaps.csv", index=False)
        _write_geopackage(assignment, staging / "assignment.gpkg")
        if maps:
            save_figure(plot_flows(assignment), staging / "flows.png")

    return _staged(Path(directory), write, force=force, what="assign")


def write_criticality(
    assignment: Assignment,
    table: pd.DataFrame,
    directory: str | Path,
    *,
    force: bool = False,
    maps: bool = True,
) -> list[Path]:
    """Write ``criticality.csv`` (most critical first) and ``criticality.png``."""

    def write(staging: Path) -> None:
        table.to_csv(staging / "criticality.csv", index=False)
        if maps:
            save_figure(plot_criticality(assignment, table), staging / "criticality.png")

    return _staged(Path(directory), write, force=force, what="criticality")


def _frame(data: dict[str, Any]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({k: list(v) for k, v in data.items()})


def _write_geopackage(assignment: Assignment, path: Path) -> None:
    """Layers ``links`` (every link carrying volume) and ``nodes`` (capacitated places)."""
    import geopandas as gpd
    from shapely import LineString, Point

    net = assignment.network
    elements = assignment.elements.set_index("element")
    links = assignment.link_volumes()
    links["queue_h"] = [
        float(elements.loc[link, "queue_h"]) if link in elements.index else 0.0
        for link in links["link"]
    ]
    links["name"] = [str(net.usable_links[link].get("name") or link) for link in links["link"]]
    geometry = [LineString(net.usable_links[link]["coords"]) for link in links["link"]]
    gpd.GeoDataFrame(links, geometry=geometry, crs="EPSG:4326").to_file(
        path, layer="links", driver="GPKG"
    )
    nodes = assignment.elements[assignment.elements["element"].isin(net.usable_nodes)].copy()
    points = [
        Point(net.usable_nodes[n]["lon"], net.usable_nodes[n]["lat"]) for n in nodes["element"]
    ]
    gpd.GeoDataFrame(nodes, geometry=points, crs="EPSG:4326").to_file(
        path, layer="nodes", driver="GPKG"
    )


def _staged(
    directory: Path, write: Callable[[Path], None], *, force: bool, what: str
) -> list[Path]:
    """Write with ``write`` into a staging folder beside ``directory``, then swap it in."""
    check_output_dir(directory, force=force)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = directory.parent / f".{directory.name}.staging-{os.getpid()}"
    aside = directory.parent / f".{directory.name}.old-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        write(staging)
        (staging / MARKER).write_text(f"written by corridors {what}\n", encoding="utf-8")
        files = sorted(p.name for p in staging.iterdir() if p.name != MARKER)
        if directory.exists():
            shutil.rmtree(aside, ignore_errors=True)
            directory.rename(aside)
            try:
                staging.rename(directory)
            except BaseException:  # the previous run's outputs go back
                aside.rename(directory)
                raise
            shutil.rmtree(aside, ignore_errors=True)
        else:
            staging.rename(directory)
        return [directory / name for name in files]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


__all__ = [
    "V_C_MAX",
    "plot_criticality",
    "plot_flows",
    "write_assignment",
    "write_criticality",
]

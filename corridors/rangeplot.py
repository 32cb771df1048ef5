"""Pictures of how long, and how sure: drawn transit times per corridor family and per scenario.

Two pictures (issue 12):

- :func:`family_ranges_figure`: the drawn time distribution of the best route of each corridor
  family between two places (violins and cumulative shares), P10/P50/P90 marked, an optional
  deadline, and the elements that drive each family's spread underneath;
- :func:`comparison_range_charts`: for ``corridors compare --draws``, one range bar chart per
  origin-destination pair (a bar per scenario: P10-P90 whisker, P50 mark), written beside the
  comparison maps and linked from ``comparison.md``.

Figures are made without pyplot (``matplotlib.figure.Figure``), so they need no display and leave
the caller's backend alone; files are written to a temporary name and renamed into place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._files import write_figure
from .errors import UsageError
from .mapstyle import ROUTE_COLORS
from .reports import RANGE_CHART_PREFIX, RANGE_CHARTS_HEADING, RANGE_CHARTS_NOTE

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from .comparison import Comparison
    from .reliability import Ranges


def family_ranges_figure(
    labels: Sequence[str],
    ranges: Ranges,
    *,
    names: Sequence[str] | None = None,
    deadline_h: float | None = None,
    title: str | None = None,
) -> Figure:
    """Draw the time distribution of each route of ``ranges``: violins and cumulative shares.

    Parameters
    ----------
    labels
        One label per route (family ids), as :func:`corridors.api.simulate_ranges` gives them.
    ranges
        The drawn times (``ranges.time_h``, hours, shape ``(routes, draws)``) and figures.
    names
        Names to show instead of ``labels`` (``"Middle Corridor (Trans-Caspian)"``).
    deadline_h
        A deadline, h: drawn as a vertical line; the legend gives each route's on-time share.
    title
        Title of the figure (the pair and the date, say).

    Returns
    -------
    matplotlib.figure.Figure
        Left, one violin per route with P10, P50 and P90 ticked; right, the share of draws that
        arrive within a given number of days. The top drivers of each route's spread (share of
        the variance of its time) are printed underneath.
    """
    from matplotlib.figure import Figure

    if len(labels) != len(ranges.routes):
        raise UsageError(f"{len(labels)} labels for {len(ranges.routes)} routes; give one each")
    shown = list(names) if names is not None else list(labels)
    days = ranges.time_h / 24.0
    n = len(shown)
    fig = Figure(figsize=(12, 3.2 + 0.7 * n), dpi=110, layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[1.25, 1])
    colors = [ROUTE_COLORS[i % len(ROUTE_COLORS)] for i in range(n)]
    positions = np.arange(n)[::-1]  # the first route on top
    parts: Any = left.violinplot(
        list(days), positions=positions, showextrema=False, widths=0.8, **_horizontal()
    )
    for body, color in zip(parts["bodies"], colors, strict=True):
        body.set_facecolor(color)
        body.set_alpha(0.35)
    for y, row, color in zip(positions, days, colors, strict=True):
        p10, p50, p90 = np.percentile(row, [10, 50, 90])
        left.hlines(y, p10, p90, color=color, linewidth=2.5)
        left.vlines([p10, p90], y - 0.15, y + 0.15, color=color, linewidth=1.5)
        left.plot([p50], [y], "o", color="white", markeredgecolor=color, markersize=7)
        left.annotate(
            f"P10 {p10:.1f} · P50 {p50:.1f} · P90 {p90:.1f} d",
            (p90, y),
            xytext=(6, 6),
            textcoords="offset points",
            fontsize=8,
            color="#333333",
        )
    # room right of the widest bar for its P10/P50/P90 label; violins keep their whole tails
    low, high = float(days.min()), float(days.max())
    widest = float(np.percentile(days, 90, axis=1).max())
    left.set_xlim(low - 0.03 * (high - low), max(high, widest + 0.45 * (high - low)))
    left.set_yticks(positions, shown)
    left.set_xlabel("door-to-door time, days")
    left.set_title("Drawn time: P10–P90 bar, P50 dot", fontsize=10)
    left.grid(axis="x", color="#dddddd", linewidth=0.6)
    for row, label, color in zip(days, shown, colors, strict=True):
        ordered = np.sort(row)
        share = np.arange(1, ordered.size + 1) / ordered.size
        on_time = ""
        if deadline_h is not None:
            on_time = f" — on time {(row <= deadline_h / 24.0).mean():.0%}"
        right.step(ordered, share, where="post", color=color, label=f"{label}{on_time}")
    for level in (0.1, 0.5, 0.9):
        right.axhline(level, color="#bbbbbb", linewidth=0.6, linestyle=":")
    if deadline_h is not None:
        for ax in (left, right):
            ax.axvline(deadline_h / 24.0, color="#444444", linestyle="--", linewidth=1.2)
        right.annotate(
            f"deadline {deadline_h / 24.0:g} d",
            (deadline_h / 24.0, 0.98),
            xytext=(4, 0),
            textcoords="offset points",
            fontsize=8,
            va="top",
        )
    right.set_ylim(0, 1)
    right.set_yticks([0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0])
    right.set_xlabel("door-to-door time, days")
    right.set_ylabel("share of draws arriving within")
    right.set_title("How sure: cumulative share of draws", fontsize=10)
    right.legend(fontsize=8, loc="lower right")
    right.grid(color="#eeeeee", linewidth=0.5)
    if title:
        fig.suptitle(title, fontsize=11)
    lines = [
        f"{label}: {figures['drivers']}"
        for label, figures in zip(shown, ranges.figures, strict=True)
    ]
    fig.text(
        0.01,
        0.0,
        "Spread from (share of the variance of the time):\n" + "\n".join(lines),
        fontsize=7.5,
        va="bottom",
        ha="left",
        color="#333333",
    )
    # room for the caption under the axes: a line of 7.5 pt (~11 pt with leading) per route and
    # one for the heading, in a figure 72 * height pt tall
    caption = 11 * (n + 1) / (72 * fig.get_figheight()) + 0.01
    engine: Any = fig.get_layout_engine()
    engine.set(rect=(0, caption, 1, 1 - caption))
    return fig


def save_png(fig: Figure, path: str | Path, *, dpi: int = 110) -> Path:
    """Write ``fig`` to ``path`` (PNG, SVG or PDF by suffix) via a temporary file and a rename.

    Parameters
    ----------
    fig
        The figure.
    path
        Output file; its folder is created.
    dpi
        Resolution of PNG output, dots per inch.

    Returns
    -------
    Path
        ``path``; a reader never sees a half-written file.
    """
    return write_figure(fig, path, dpi=dpi)


def od_range_figure(rows: pd.DataFrame, *, title: str) -> Figure:
    """Draw one range bar per row: P10-P90 whisker and P50 mark of time, days.

    Parameters
    ----------
    rows
        Rows of a comparison table with ``scenario`` (and ``family``), ``time_h`` and
        ``time_h_p10``/``p50``/``p90`` in hours.
    title
        Title of the chart.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    labels = [_row_label(r) for r in rows.to_dict("records")]
    n = len(labels)
    fig = Figure(figsize=(9, 1.6 + 0.42 * n), dpi=110, layout="constrained")
    ax = fig.subplots()
    y = np.arange(n)[::-1]
    p10, p50, p90 = (
        rows[c].to_numpy(float) / 24.0 for c in ("time_h_p10", "time_h_p50", "time_h_p90")
    )
    ax.hlines(y, p10, p90, color="#1f77b4", linewidth=3, label="P10–P90")
    ax.vlines(p10, y - 0.2, y + 0.2, color="#1f77b4", linewidth=1.5)
    ax.vlines(p90, y - 0.2, y + 0.2, color="#1f77b4", linewidth=1.5)
    ax.plot(p50, y, "D", color="#d62728", markersize=6, label="P50")
    ax.plot(
        rows["time_h"].to_numpy(float) / 24.0,
        y,
        "|",
        color="#333333",
        markersize=12,
        label="priced (mean waits)",
    )
    for yi, lo, mid, hi in zip(y, p10, p50, p90, strict=True):
        ax.annotate(
            f"{lo:.1f} / {mid:.1f} / {hi:.1f} d",
            (hi, yi),
            xytext=(6, -3),
            textcoords="offset points",
            fontsize=8,
        )
    ax.set_yticks(y, labels)
    ax.set_xlabel("door-to-door time, days (P10 / P50 / P90)")
    ax.set_xlim(left=0, right=float(np.nanmax(p90)) * 1.18)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(title, fontsize=10)
    return fig


def comparison_range_charts(comparison: Comparison, folder: Path) -> list[Path]:
    """Write a range bar chart per origin-destination pair, and link them from the report.

    A writer for :func:`corridors.reports.write_comparison` (``extra=``): it reads the drawn
    columns ``corridors compare --draws`` added to ``comparison.table`` and does nothing when
    there are none.

    Parameters
    ----------
    comparison
        A comparison whose table has ``time_h_p10``, ``time_h_p50`` and ``time_h_p90``.
    folder
        Output folder: charts go to ``maps/ranges_NN_<pair>.png``, and a section linking them is
        added to ``comparison.md`` when that report is there.

    Returns
    -------
    list of Path
        The PNG files written.
    """
    table = comparison.table
    if "time_h_p50" not in table.columns:
        return []
    best = table[(table["rank"] == 1) & table["time_h_p50"].notna()]
    written: list[tuple[str, Path]] = []
    for i, od in enumerate(dict.fromkeys(table["od"])):
        rows = best[best["od"] == od]
        if rows.empty:
            continue
        fig = od_range_figure(rows, title=f"{od}: drawn time of the best route by scenario")
        name = f"{RANGE_CHART_PREFIX}{i + 1:02d}_{_slug(str(od))}.png"
        written.append((str(od), save_png(fig, folder / "maps" / name)))
    report = folder / "comparison.md"
    # compare writes its report after the charts and links them itself; a report already
    # there (charts drawn for an earlier run's folder) gets the section appended once
    if written and report.is_file() and RANGE_CHARTS_HEADING not in report.read_text("utf-8"):
        lines = ["", RANGE_CHARTS_HEADING, "", RANGE_CHARTS_NOTE, ""]
        for od, path in written:  # one paragraph per picture, so each renders on its own
            lines += [f"![{od}]({path.relative_to(folder).as_posix()})", ""]
        with report.open("a", encoding="utf-8") as handle:
            handle.write("\n".join(lines))
    return [path for _, path in written]


def _horizontal() -> dict[str, Any]:
    """Return the keyword for horizontal violins (``orientation`` from Matplotlib 3.10)."""
    import matplotlib

    major, minor = (int(part) for part in matplotlib.__version__.split(".")[:2])
    return {"orientation": "horizontal"} if (major, minor) >= (3, 10) else {"vert": False}


def _row_label(row: Mapping[Any, Any]) -> str:
    family = row.get("family")
    if isinstance(family, str) and family:
        return f"{row['scenario']} · {family}"
    return str(row["scenario"])


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


__all__ = [
    "RANGE_CHARTS_HEADING",
    "comparison_range_charts",
    "family_ranges_figure",
    "od_range_figure",
    "save_png",
]

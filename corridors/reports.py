"""Write a comparison to files: CSV, Markdown, GeoPackage (and maps), atomically.

Everything is first written into a fresh temporary folder beside the output folder and only then
moved into place, so an interrupted run leaves what the user had untouched.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._geojson import write_text_atomic
from .errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

    from .scenarios import Comparison

MARKER = ".corridors-output"
"""File that marks a folder as written by corridors (so it may be overwritten)."""


def check_output_dir(directory: Path, *, force: bool = False) -> None:
    """Refuse a non-empty folder that corridors did not create, unless ``force``.

    Raises
    ------
    UsageError
        Naming the folder and the way out.
    """
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} exists and is not a folder; choose another --out")
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

    Parameters
    ----------
    comparison
        What :func:`corridors.scenarios.compare_routes` returned.
    directory
        Output folder; created if missing.
    force
        Write into a non-empty folder that corridors did not create.
    extra
        More writers ``writer(comparison, folder) -> paths`` (the maps), run in the same
        temporary folder.

    Returns
    -------
    list of Path
        The files written, at their final place.
    """
    directory = Path(directory)
    check_output_dir(directory, force=force)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        comparison.table.to_csv(staging / "comparison.csv", index=False)
        comparison.sources().to_csv(staging / "sources.csv", index=False)
        write_text_atomic(staging / "comparison.md", markdown(comparison))
        _write_geopackage(comparison, staging / "routes.gpkg")
        for writer in extra:
            writer(comparison, staging)
        (staging / MARKER).write_text("written by corridors compare\n", encoding="utf-8")
        directory.mkdir(exist_ok=True)
        written = []
        for path in sorted(staging.rglob("*")):
            if path.is_file():
                target = directory / path.relative_to(staging)
                target.parent.mkdir(parents=True, exist_ok=True)
                path.replace(target)
                if path.name != MARKER:
                    written.append(target)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_geopackage(comparison: Comparison, path: Path) -> None:
    import geopandas as gpd
    from shapely import MultiLineString

    rows_by_scenario: dict[str, list[dict[str, Any]]] = {}
    table = comparison.table.set_index(["scenario", "od", "rank"])
    for (scenario, od, rank), route in comparison.routes.items():
        if (scenario, od, rank) not in table.index:
            continue  # a baseline computed only for the deltas
        row = table.loc[(scenario, od, rank)].to_dict()
        lines = [list(g.coords) for g in route.to_gdf().geometry]
        rows_by_scenario.setdefault(scenario, []).append(
            {"od": od, "rank": rank, **row, "geometry": MultiLineString(lines)}
        )
    for scenario, rows in rows_by_scenario.items():
        frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
        frame.to_file(path, layer=scenario, driver="GPKG", mode="a" if path.exists() else "w")


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
        best = table.assign(
            _key=[
                (pairs[o], order[f], scenarios[sc])
                for o, f, sc in zip(table["od"], table["family"], table["scenario"], strict=True)
            ]
        ).sort_values("_key", kind="stable")
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


def markdown(comparison: Comparison) -> str:
    """Return the comparison as a Markdown report: scenarios, then one table per pair."""
    parts = ["# Scenario comparison", ""]
    for s in comparison.scenarios:
        parts.append(
            f"- **{s.name}** (as of {s.as_of}, minimising {s.weight}): "
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
        "routes.gpkg."
    )
    parts += ["", "## Sources of the figures", ""]
    parts.append(
        "Every length, speed, wait, border and transfer time and rate behind the best routes "
        "above, by source (figure: how many times it is used). sources.csv has each one."
    )
    parts.append("")
    records = comparison.sources(best_only=True).to_dict("records")
    for n, (source, quantities) in enumerate(cited_sources(records).items(), start=1):
        uses = ", ".join(f"{q} ×{len(items)}" for q, items in quantities.items())
        parts.append(f"{n}. {source} — {uses}")
    return "\n".join(parts) + "\n"


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

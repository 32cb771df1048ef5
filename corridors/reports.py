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

from ._geojson import write_text_atomic
from .errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

    from .comparison import Comparison

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
            comparison.sources().to_csv(staging / "sources.csv", index=False)
            write_text_atomic(staging / "comparison.md", markdown(comparison))
            _write_geopackage(comparison, staging / "routes.gpkg")
            for writer in extra:
                writer(comparison, staging)
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


def _write_geopackage(comparison: Comparison, path: Path) -> None:
    import geopandas as gpd
    from shapely import MultiLineString

    rows_by_scenario: dict[str, list[dict[str, Any]]] = {}
    table = comparison.table.set_index(["scenario", "od", "rank"])
    for (scenario, od, rank), route in comparison.routes.items():
        if (scenario, od, rank) not in table.index:
            continue  # a baseline computed only for the deltas
        key: Any = (scenario, od, rank)  # one row of the (scenario, od, rank) index
        row = {str(k): v for k, v in table.loc[key].to_dict().items()}
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


def markdown(comparison: Comparison) -> str:
    """Return the comparison as a Markdown report: scenarios, then one table per pair."""
    parts = ["# Scenario comparison", ""]
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
        "routes.gpkg."
    )
    parts += ["", "## Sources of the figures", ""]
    parts.append(
        "Every length, speed, wait, border and transfer time and rate behind the best routes "
        "above, by source (figure: how many times it is used). sources.csv has each one."
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

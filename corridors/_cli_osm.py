"""``corridors osm``: import OpenStreetMap data and refine corridor links with it.

Registered on the main command line by ``cli.add_command(osm)``. Errors are one line on stderr
with the error's exit code, as everywhere in the command line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from ._cli_common import data_option, fail, friendly
from .errors import UsageError

OSM_MODES = ("rail", "road")
REPORT_NAME = "osm_refine_report.csv"


_fail = fail
_friendly = friendly


def _bbox_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--bbox",
        metavar="W,S,E,N",
        default=None,
        help="Keep only this area: west,south,east,north in degrees (needed for overpass).",
    )(func)


def _mode_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--mode",
        "-m",
        type=click.Choice(OSM_MODES),
        required=True,
        help="rail (railway=rail) or road (motorway…tertiary).",
    )(func)


@click.group(name="osm")
def osm() -> None:
    """Detailed rail and road networks from OpenStreetMap (.osm, .osm.pbf or overpass).

    FILE is an OSM XML file (.osm, .xml), a PBF extract (.osm.pbf, e.g. from
    https://download.geofabrik.de), or the word overpass with --bbox (needs a connection).
    """


@osm.command(name="import")
@click.argument("source", metavar="FILE")
@_mode_option
@_bbox_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the graph as a GeoPackage (layers nodes and edges).",
)
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@_friendly
def import_(source: str, mode: str, bbox: str | None, out: str | None, force: bool) -> None:
    """Load FILE and print what it holds: nodes, edges, km by gauge (rail) or class (road)."""
    from . import osm as osm_api

    box = osm_api.check_bbox(bbox) if bbox is not None else None
    if out is not None:
        _check_out_file(Path(out), force=force)
    graph = osm_api.load_osm(source, mode=mode, bbox=box)
    click.echo(_summary_text(graph, osm_api.summary(graph)))
    if out is not None:
        osm_api.to_gpkg(graph, out)
        click.echo(f"wrote {out}")


def _check_out_file(path: Path, *, force: bool) -> None:
    if path.suffix.lower() != ".gpkg":
        raise UsageError(f"{path.name}: --out must be a GeoPackage file ending in .gpkg")
    if path.exists() and not force:
        raise UsageError(f"{path} exists; use --force to replace it, or choose another --out")


def _summary_text(graph: Any, table: Any) -> str:
    km = float(table["km"].sum())
    edges = int(table["edges"].sum())
    what = "gauge" if graph.graph.get("mode") == "rail" else "highway"
    lines = [
        f"{graph.graph.get('mode')} network from {graph.graph.get('source')}: "
        f"{graph.number_of_nodes():,} nodes, {edges:,} edges, {km:,.1f} km",
    ]
    width = max([len(str(c)) for c in table["class"]] + [len(what)])
    lines.append(f"  {what.ljust(width)}  {'edges':>7}  {'km':>10}")
    for row in table.itertuples():
        lines.append(f"  {str(row[2]).ljust(width)}  {row.edges:>7,}  {row.km:>10,.1f}")
    return "\n".join(lines)


@osm.command(name="refine")
@click.argument("source", metavar="FILE")
@_mode_option
@click.option(
    "--link",
    "links",
    multiple=True,
    required=True,
    metavar="LINK",
    help="Id of a corridor link to refine (repeatable).",
)
@click.option(
    "--replace-length",
    is_flag=True,
    help="Also replace length_km by the OSM path length (else geometry only).",
)
@click.option(
    "--max-snap-km",
    type=click.FloatRange(min=0, min_open=True),
    default=5.0,
    show_default=True,
    help="Farthest a corridor node may lie from the OSM network, km.",
)
@_bbox_option
@data_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default=None,
    help=f"Write a copy of the dataset with the refined links, and {REPORT_NAME}, here.",
)
@click.option("--force", is_flag=True, help="Write into a non-empty folder not made by corridors.")
@_friendly
def refine_(
    source: str,
    mode: str,
    links: Sequence[str],
    replace_length: bool,
    max_snap_km: float,
    bbox: str | None,
    data_dir: str | None,
    out_dir: str | None,
    force: bool,
) -> None:
    """Refine corridor LINKs by their path on the OSM network in FILE; print the change."""
    from . import osm as osm_api
    from .network import data_dir as bundled_dir
    from .network import load_network
    from .reports import check_output_dir

    box = osm_api.check_bbox(bbox) if bbox is not None else None
    if out_dir is not None:
        check_output_dir(Path(out_dir), force=force)  # fail before the work, not after
    directory = Path(data_dir) if data_dir is not None else bundled_dir()
    net = load_network(directory)
    unknown = [link for link in links if link not in net.link_records]
    if unknown:
        raise UsageError(f"unknown link {unknown[0]!r} in {directory}")
    graph = osm_api.load_osm(source, mode=mode, bbox=box)
    refined, report = osm_api.refine(
        net, graph, links=links, replace_length=replace_length, max_snap_km=max_snap_km
    )
    click.echo(_report_text(report, replaced=replace_length))
    if out_dir is not None:
        written = _write_dataset_copy(directory, Path(out_dir), refined, list(links), report)
        click.echo(f"wrote {len(written)} files to {out_dir}/ ({', '.join(written)})")


def _report_text(report: Any, *, replaced: bool) -> str:
    header = f"  {'link':<30} {'old km':>9} {'OSM km':>9} {'change':>8} {'OSM nodes':>9}"
    lines = [header]
    for row in report.itertuples():
        lines.append(
            f"  {row.link:<30} {row.old_km:>9,.1f} {row.new_km:>9,.1f} "
            f"{row.change_pct:>+7.1f}% {row.osm_nodes:>9,}"
        )
    lines.append(
        "  lengths replaced by the OSM paths"
        if replaced
        else "  geometry replaced, lengths kept (use --replace-length to replace them)"
    )
    return "\n".join(lines)


def _write_dataset_copy(
    source_dir: Path, out_dir: Path, refined: Any, links: list[str], report: Any
) -> list[str]:
    """Write the dataset with the refined links into ``out_dir``, staged then moved in.

    Every file is first written to a temporary folder beside ``out_dir`` and the copy is
    validated; only then are the files moved in, one atomic rename each.
    """
    import shutil
    import tempfile

    from . import _geojson
    from .errors import DatasetError
    from .network import read_dataset
    from .reports import MARKER

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}."))
    try:
        pending = set(links)
        for path in sorted(source_dir.iterdir()):
            if not path.is_file() or path.name.startswith("."):
                continue
            if path.name.startswith("links_") and path.suffix == ".geojson":
                features = _geojson.read_features(path)
                for feature in features:
                    link_id = feature.get("properties", {}).get("id")
                    if link_id in pending:
                        _update_feature(feature, refined.link_records[link_id])
                        pending.discard(link_id)
                (staging / path.name).write_text(_geojson.dumps(features), encoding="utf-8")
            else:
                shutil.copy2(path, staging / path.name)
        report.to_csv(staging / REPORT_NAME, index=False)
        (staging / MARKER).write_text("written by corridors osm refine\n", encoding="utf-8")
        problems = read_dataset(staging).problems
        if problems:
            raise DatasetError(problems, where="refined dataset (nothing written)")
        out_dir.mkdir(exist_ok=True)
        names = sorted(p.name for p in staging.iterdir())
        for name in names:
            (staging / name).replace(out_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [n for n in names if not n.startswith(".")]


def _update_feature(feature: dict, record: dict) -> None:
    props = feature["properties"]
    for key in ("length_km", "length_source", "source"):
        props[key] = record[key]
    feature["geometry"] = {
        "type": "LineString",
        "coordinates": [[round(x, 6), round(y, 6)] for x, y in record["coords"]],
    }

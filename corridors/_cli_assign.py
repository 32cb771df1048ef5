"""``corridors assign`` and ``corridors criticality``: volumes, queues and closures.

Registered on the main command line by ``cli.add_command``. Errors are one line on stderr with
the error's exit code (2 for usage, 1 for data), as everywhere in the command line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ._cli_common import data_option, friendly


def _common(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--demand``, ``--scenario``, ``--out``, ``--force``, ``--no-maps`` and ``--data``."""
    options = [
        click.option(
            "--demand",
            default=None,
            metavar="FILE",
            help="Demand CSV (origin, destination, teu_per_year[, modes][, source]) or a "
            "bundled name (china_europe_2021, china_europe_2022); the scenario's own when omitted.",
        ),
        click.option(
            "--scenario",
            default=None,
            metavar="S",
            help="Bundled scenario name or TOML file: date, what it avoids, its demand.",
        ),
        click.option(
            "--out",
            "out_dir",
            type=click.Path(file_okay=False),
            required=True,
            help="Folder for the outputs (replaced as a whole).",
        ),
        click.option(
            "--force",
            is_flag=True,
            help="Replace a non-empty folder not made by corridors (its contents are deleted).",
        ),
        click.option("--no-maps", is_flag=True, help="Skip the map (faster)."),
        click.option(
            "--method",
            type=click.Choice(["gradient-projection", "frank-wolfe", "msa"]),
            default="gradient-projection",
            show_default=True,
            help="Equilibrium algorithm.",
        ),
        click.option(
            "--max-iter",
            type=click.IntRange(1, 10_000),
            default=50,
            show_default=True,
            help="Most iterations.",
        ),
        click.option(
            "--gap",
            type=click.FloatRange(0, None, min_open=True),
            default=1e-3,
            show_default=True,
            help="Stop when the relative gap is under this.",
        ),
        data_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _assign(
    demand: str | None,
    scenario: str | None,
    method: str,
    max_iter: int,
    gap: float,
    data_dir: str | None,
) -> Any:
    from .assignment import assign
    from .errors import UsageError
    from .network import load_network

    if demand is None and scenario is None:
        raise UsageError("give --demand FILE, or a --scenario that names its demand")
    net = load_network(data_dir)
    return assign(net, demand, scenario=scenario, method=method, max_iter=max_iter, gap=gap)


def _gap_line(result: Any) -> str:
    state = "converged" if result.converged else "NOT converged (raise --max-iter)"
    return f"{len(result.gaps)} iterations, relative gap {result.gaps[-1]:.2g}: {state}"


@click.command(name="assign")
@_common
@friendly
def assign_command(
    demand: str | None,
    scenario: str | None,
    out_dir: str,
    force: bool,
    no_maps: bool,
    method: str,
    max_iter: int,
    gap: float,
    data_dir: str | None,
) -> None:
    """Assign TEU a year to the network with queues at capacities (user equilibrium).

    Writes elements.csv (volume, capacity, v/c and queue hours of every capacitated line,
    ferry, port and crossing), od.csv, routes.csv, gaps.csv, assignment.gpkg and flows.png.
    """
    from pathlib import Path

    from .reports import check_output_dir
    from .volumes import write_assignment

    check_output_dir(Path(out_dir), force=force)  # fail before the work, not after
    result = _assign(demand, scenario, method, max_iter, gap, data_dir)
    click.echo(_gap_line(result), err=True)
    busy = result.elements[result.elements["volume_teu"] > 0].head(8)
    for row in busy.itertuples(index=False):
        click.echo(
            f"{row.element:<28} {row.volume_teu:>11,.0f} TEU/yr  v/c {row.v_c:5.2f}  "
            f"queue {row.queue_h:7.1f} h"
        )
    if result.unserved_teu:
        click.echo(f"unserved: {result.unserved_teu:,.0f} TEU/yr (no open route)")
    written = write_assignment(result, out_dir, force=force, maps=not no_maps)
    click.echo(f"wrote {', '.join(p.name for p in written)} to {out_dir}/")


@click.command(name="criticality")
@_common
@click.option(
    "--pairs-top",
    type=click.IntRange(0, 20),
    default=5,
    show_default=True,
    help="Also close together each pair of the N most critical elements.",
)
@click.option(
    "--element",
    "elements",
    multiple=True,
    metavar="ID",
    help="Link or place id to close (repeat); every loaded one by default.",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="local:N|tcp://HOST:PORT",
    help="Run the closures on Dask (a LocalCluster of N workers, or a cluster).",
)
@friendly
def criticality_command(
    demand: str | None,
    scenario: str | None,
    out_dir: str,
    force: bool,
    no_maps: bool,
    method: str,
    max_iter: int,
    gap: float,
    data_dir: str | None,
    pairs_top: int,
    elements: tuple[str, ...],
    scheduler: str | None,
) -> None:
    """Close each loaded link, crossing and port in turn and rank what it costs the demand.

    Writes criticality.csv (most critical first: stranded TEU, then added TEU-hours a year)
    and criticality.png.
    """
    from pathlib import Path

    from .assignment import criticality
    from .reports import check_output_dir
    from .volumes import write_criticality

    check_output_dir(Path(out_dir), force=force)
    base = _assign(demand, scenario, method, max_iter, gap, data_dir)
    click.echo(_gap_line(base), err=True)
    chosen = list(elements) or None
    if scheduler is None:
        table = criticality(base.network, base, elements=chosen, pairs_top=pairs_top)
    else:
        from .parallel import dask_client

        with dask_client(scheduler) as client:
            table = criticality(
                base.network, base, elements=chosen, pairs_top=pairs_top, client=client
            )
    for row in table.head(10).itertuples(index=False):
        click.echo(
            f"{row.rank:>3} {row.element:<32} +{row.added_teu_h:>14,.0f} TEU-h/yr  "
            f"unserved {row.unserved_teu:>10,.0f} TEU/yr"
        )
    written = write_criticality(base, table, out_dir, force=force, maps=not no_maps)
    click.echo(f"wrote {', '.join(p.name for p in written)} to {out_dir}/")

"""``corridors reliability A B``: how long, and how sure, per corridor family (issue 12).

Registered on the main command line by ``cli.add_command(reliability_command)``.
"""

from __future__ import annotations

from typing import Any

import click

from ._cli_common import corridors_option, data_option, friendly


def family_rows(labels: list[str], ranges: Any) -> list[dict[str, Any]]:
    """Return the printed table: family, P10/P50/P90 days, P90/P50, on-time share, top driver."""
    rows = []
    for label, f in zip(labels, ranges.figures, strict=True):
        rows.append(
            {
                "family": label,
                "p10_days": f["time_h_p10"] / 24.0,
                "p50_days": f["time_h_p50"] / 24.0,
                "p90_days": f["time_h_p90"] / 24.0,
                "p90_over_p50": f["time_h_p90"] / f["time_h_p50"],
                "on_time_share": f["on_time_share"],
                "top_driver": f["drivers"].split("; ")[0] if f["drivers"] else "—",
            }
        )
    return rows


def _table_text(rows: list[dict[str, Any]]) -> str:
    lines = [
        f"  {'family':<16} {'P10 d':>6} {'P50 d':>6} {'P90 d':>6} {'P90/P50':>7} "
        f"{'on time':>7}  top driver of spread"
    ]
    for r in rows:
        on_time = "—" if r["on_time_share"] is None else f"{r['on_time_share']:.1%}"
        lines.append(
            f"  {r['family']:<16} {r['p10_days']:>6.1f} {r['p50_days']:>6.1f} "
            f"{r['p90_days']:>6.1f} {r['p90_over_p50']:>7.3f} {on_time:>7}  {r['top_driver']}"
        )
    return "\n".join(lines)


@click.command(name="reliability")
@click.argument("origin")
@click.argument("destination")
@click.option(
    "--draws",
    type=click.IntRange(1, 1_000_000),
    default=10_000,
    show_default=True,
    metavar="N",
    help="Draws of the waits (data/reliability.toml).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the draws.")
@click.option(
    "--deadline",
    type=click.FloatRange(0, None, min_open=True),
    default=None,
    metavar="DAYS",
    help="Draw a deadline and give each family's share of draws arriving within it.",
)
@click.option(
    "--month",
    type=click.IntRange(1, 12),
    default=None,
    metavar="1-12",
    help="Month of departure for seasonal events (Caspian storms); any month when not given.",
)
@click.option(
    "--as-of", "as_of", metavar="YYYY-MM-DD", help="Date whose network to use (default: today)."
)
@click.option(
    "--scenario",
    "-s",
    metavar="NAME_OR_PATH",
    help="Apply a scenario (bundled name or TOML file).",
)
@corridors_option(
    "Corridor families to draw: a group (east_west, caucasus, karabakh) or family ids "
    "separated by commas [default: east_west]."
)
@click.option(
    "--out",
    "-o",
    "output",
    type=click.Path(dir_okay=False),
    default="reliability.png",
    show_default=True,
    help="Picture to write: .png, .svg or .pdf.",
)
@data_option
@friendly
def reliability_command(
    origin: str,
    destination: str,
    draws: int,
    seed: int,
    deadline: float | None,
    month: int | None,
    as_of: str | None,
    scenario: str | None,
    families: str | None,
    output: str,
    data_dir: str | None,
) -> None:
    """Draw the time distribution of each corridor family from ORIGIN to DESTINATION."""
    from pathlib import Path

    from .api import simulate_ranges
    from .errors import UsageError
    from .families import load_families
    from .network import load_network
    from .rangeplot import family_ranges_figure, save_png

    if Path(output).suffix.lower() not in (".png", ".svg", ".pdf"):
        raise UsageError(f"cannot write {output!r}: use --out FILE.png, .svg or .pdf")
    net = load_network(data_dir, as_of=as_of)
    deadline_h = None if deadline is None else deadline * 24.0
    labels, ranges = simulate_ranges(
        net,
        origin,
        destination,
        draws=draws,
        seed=seed,
        families=families or "east_west",
        deadline_h=deadline_h,
        month=month,
        scenario=scenario,
        as_of=as_of if scenario else None,
    )
    known = load_families()
    names = [known[label].name if label in known else label for label in labels]
    first = ranges.routes[0]
    place = net.node_records
    when = "seasonal events in any month" if month is None else f"departing in month {month}"
    title = (
        f"{place[first.origin]['name']} → {place[first.destination]['name']}: time per corridor "
        f"family, as of {first.as_of}{f', scenario {scenario}' if scenario else ''} "
        f"({draws:,} draws, seed {seed}, {when})"
    )
    figure = family_ranges_figure(labels, ranges, names=names, deadline_h=deadline_h, title=title)
    written = save_png(figure, output)
    click.echo(title)
    click.echo(_table_text(family_rows(labels, ranges)))
    click.echo(f"wrote {written}")

"""``corridors matrix``: a many-to-many table of routes (:func:`corridors.skim`) and its heat map.

Registered on the main command line by ``cli.add_command(matrix_command)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._cli_common import data_option, friendly
from ._files import replace_atomically, write_figure
from .errors import NoRouteError, UsageError
from .schema import MODES

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

_ANNOTATE_UP_TO = 15  # cells are labelled up to 15 x 15; beyond, numbers would overlap

_UNITS = {"time": "h", "distance": "km", "cost": "USD per box", "co2": "kg CO2e per box"}


def _places(text: str, option: str) -> list[str]:
    """Split ``A,B,…`` into place names; an empty item is a usage error."""
    names = [part.strip() for part in text.split(",")]
    if not all(names):
        raise UsageError(f"{option} {text!r} must list places separated by commas, e.g. xian,baku")
    return names


def heatmap(table: pd.DataFrame, *, title: str = "", annotate: bool | None = None) -> Figure:
    """Return a heat map of a skim's ``total`` (origins as rows, destinations as columns).

    Parameters
    ----------
    table
        A :func:`corridors.skim` table.
    title
        The figure's title.
    annotate
        Write each cell's value in it; by default when the matrix is at most 15 x 15.

    Returns
    -------
    matplotlib.figure.Figure
        Pairs with no route are left blank (grey) and marked ``—``.
    """
    import numpy as np
    from matplotlib.figure import Figure

    origins = list(dict.fromkeys(table["origin"]))
    destinations = list(dict.fromkeys(table["destination"]))
    grid = (
        table.drop_duplicates(["origin", "destination"])
        .pivot(index="origin", columns="destination", values="total")
        .reindex(index=origins, columns=destinations)
    )
    values = grid.to_numpy(dtype=float)
    rows, cols = values.shape
    if annotate is None:
        annotate = rows <= _ANNOTATE_UP_TO and cols <= _ANNOTATE_UP_TO
    fig = Figure(figsize=(min(3 + 0.8 * cols, 24), min(2 + 0.5 * rows, 18)), dpi=110)
    ax = fig.add_subplot()
    ax.set_facecolor("#d9d9d9")  # no route: the background shows through
    image = ax.imshow(np.ma.masked_invalid(values), cmap="viridis_r", aspect="auto")
    weight = str(table["weight"].iloc[0])
    fig.colorbar(image, ax=ax, label=f"{weight} ({_UNITS.get(weight, '')})")
    ax.set_xticks(range(cols), destinations, rotation=45, ha="right")
    ax.set_yticks(range(rows), origins)
    ax.set_xlabel("destination")
    ax.set_ylabel("origin")
    if annotate:
        finite = values[np.isfinite(values)]
        middle = float(np.median(finite)) if finite.size else 0.0
        for i in range(rows):
            for j in range(cols):
                value = values[i, j]
                text = "—" if math.isnan(value) else f"{value:,.0f}"
                # dark cells (small values in viridis_r are light) get light text
                colour = "white" if not math.isnan(value) and value > middle else "black"
                ax.text(j, i, text, ha="center", va="center", fontsize=8, color=colour)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


@click.command(name="matrix")
@click.option("--from", "origins", required=True, metavar="A,B,…", help="Origins, by commas.")
@click.option("--to", "destinations", required=True, metavar="C,D,…", help="Destinations.")
@click.option(
    "--weight",
    "-w",
    type=click.Choice(["distance", "time", "cost", "co2"]),
    default=None,
    help="What to minimise [default: time, or the scenario's].",
)
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Date (default: today).")
@click.option("--scenario", "-s", metavar="NAME_OR_PATH", help="Apply a scenario.")
@click.option(
    "--mode",
    "-m",
    "modes",
    multiple=True,
    type=click.Choice(list(MODES)),
    help="Allowed mode (repeat for several); all when not given.",
)
@click.option(
    "--avoid-country",
    "avoid_countries",
    multiple=True,
    metavar="ISO3",
    help="Country the routes must not enter (repeatable).",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False),
    metavar="FILE.csv",
    help="CSV to write; a heat map FILE.png is written beside it.",
)
@data_option
@friendly
def matrix_command(
    origins: str,
    destinations: str,
    weight: str | None,
    as_of: str | None,
    scenario: str | None,
    modes: Sequence[str],
    avoid_countries: Sequence[str],
    out: str,
    data_dir: str | None,
) -> None:
    """Write the best route's figures between every origin and destination (CSV + heat map)."""
    from .network import load_network
    from .skim import skim

    path = Path(out)
    if path.suffix.lower() != ".csv":
        raise UsageError(f"--out {out!r} must name a .csv file (the heat map goes beside it)")
    net = load_network(data_dir, as_of=None if scenario else as_of)
    table = skim(
        net,
        _places(origins, "--from"),
        _places(destinations, "--to"),
        weight=weight,
        as_of=as_of if scenario else None,
        scenario=scenario,
        modes=modes or None,
        avoid_countries=avoid_countries,
    )
    routed = int((table["reason"] == "").sum())
    if not routed:
        raise NoRouteError(f"no pair has a route; first: {table['reason'].iloc[0]}")
    replace_atomically(path, lambda tmp: table.to_csv(tmp, index=False, float_format="%.3f"))
    weight_name = str(table["weight"].iloc[0])
    when = f"scenario {scenario}" if scenario else f"as of {net.as_of}"
    title = f"{weight_name} of the best route ({_UNITS[weight_name]}), {when}"
    picture = path.with_suffix(".png")
    figure = heatmap(table, title=title)
    write_figure(figure, picture, dpi=130)
    click.echo(
        f"wrote {path} and {picture}: {len(table)} pairs, {routed} with a route "
        f"(minimising {weight_name})"
    )

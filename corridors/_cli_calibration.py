"""``corridors calibration``: the model beside published figures.

Registered on the main command line by ``cli.add_command(calibration_command)``.
"""

from __future__ import annotations

import json
import math
from typing import Any

import click

from ._cli_common import data_option, friendly


def _number(value: Any) -> Any:
    """JSON-safe value: NaN becomes null, floats keep 4 significant decimals."""
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 4)
    return value


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return "—" if math.isnan(value) else f"{value:,.1f}"
    return "—" if value is None else str(value)


@click.command(name="calibration")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="Calibration CSV (default: the bundled data/calibration.csv).",
)
@click.option(
    "--misses", is_flag=True, help="List only the figures outside their tolerance (table only)."
)
@data_option
@friendly
def calibration_command(
    as_json: bool, path: str | None, misses: bool, data_dir: str | None
) -> None:
    """Compare the model with published times, costs, lengths and dated states.

    Prints each figure with the model's value, the tolerance, whether it is within it and the
    source, then per kind of figure how many are within tolerance and whether the model falls
    below or above the published figures it misses, and the share within tolerance.
    """
    from .calibration import calibration, summary
    from .network import load_network

    table = calibration(load_network(data_dir), path=path)
    share = table.attrs["share_within"]
    by_kind = summary(table)
    if as_json:
        keys = ("id", "figure", "kind", "published", "model", "unit", "tolerance", "within")
        rows = [
            {k: _number(row[k]) for k in (*keys, "error_share", "source", "detail")}
            for row in table.to_dict("records")
        ]
        kinds = [
            {"kind": kind, **{k: _number(v) for k, v in values.items()}}
            for kind, values in by_kind.to_dict("index").items()
        ]
        out = {"rows": rows, "by_kind": kinds, "share_within": _number(share)}
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    shown = table[~table["within"].astype(bool)] if misses else table
    for row in shown.to_dict("records"):
        mark = "ok  " if row["within"] else "MISS"
        tolerance = f"±{row['tolerance']:.0%}" if row["unit"] != "state" else "exact"
        click.echo(
            f"{mark} {row['id']}: {row['figure']}\n"
            f"     published {_shown(row['published'])} {row['unit']}, "
            f"model {_shown(row['model'])} ({tolerance})"
            + (f"; {row['detail']}" if row["detail"] else "")
            + f"\n     {row['source']}"
        )
    click.echo("kind      figures  within  misses: model below / above / no figure")
    for kind, values in by_kind.to_dict("index").items():
        below, above, other = (values[k] for k in ("model_below", "model_above", "other_misses"))
        click.echo(
            f"{kind:<9} {values['figures']:>7}  {values['within']:>6}  "
            f"{below:>19} / {above:>5} / {other:>9}"
        )
    click.echo(f"{int(table['within'].sum())} of {len(table)} within tolerance ({share:.0%})")

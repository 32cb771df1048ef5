"""Calibration: the model's figures beside published ones.

``data/calibration.csv`` holds end-to-end and segment figures from operators, development banks
and the press, each with its source, date and a tolerance. :func:`calibration` computes the
model's figure for every row through the public API (:func:`corridors.route` with the row's
constraints and date) and says whether it falls within the tolerance. The table is a yardstick:
nothing in the model is tuned to it.

The columns are :data:`COLUMNS`; in short:

- ``kind`` is ``time``, ``cost``, ``co2``, ``length`` or ``date``;
- ``unit`` is ``d``, ``h``, ``usd_per_teu``, ``usd_per_feu``, ``kg_per_teu``, ``km`` or ``state``;
- ``metric`` is ``time_h`` (door to door: terminal dwell at both ends included),
  ``transit_h`` (departure to arrival: what operators publish as a train's or a ship's
  transit time, so without the dwell at the trip's two ends), ``moving_h`` (time on the
  move only, for published sailing or running times), ``cost_usd``, ``co2_kg``,
  ``distance_km`` (numbers, compared as a share:
  ``|model - published| <= tolerance * published``) or ``route_exists`` (1/0),
  ``status`` (of the link or node in ``element``) and ``countries`` (``CHN-KAZ-…`` for the exact
  sequence, ``+IRN`` / ``-RUS`` for a country that must or must not appear), compared exactly.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import DatasetError, NoRouteError, UnknownPlaceError, UsageError
from .network import Network, load_network, status_on
from .routing import Route, route
from .settings import bundled_path

COLUMNS = [
    "id",
    "figure",
    "kind",
    "published",
    "unit",
    "tolerance",
    "metric",
    "origin",
    "destination",
    "modes",
    "through_countries",
    "avoid_countries",
    "via",
    "as_of",
    "box",
    "element",
    "source",
    "source_date",
    "note",
]
"""The columns of a calibration file, in order."""

KINDS = ("time", "cost", "co2", "length", "date")
UNIT_METRICS: dict[str, tuple[str, ...]] = {
    "d": ("time_h", "transit_h", "moving_h"),
    "h": ("time_h", "transit_h", "moving_h"),
    "usd_per_teu": ("cost_usd",),
    "usd_per_feu": ("cost_usd",),
    "kg_per_teu": ("co2_kg",),
    "km": ("distance_km",),
    "state": ("route_exists", "status", "countries"),
}
KIND_UNITS: dict[str, tuple[str, ...]] = {
    "time": ("d", "h"),
    "cost": ("usd_per_teu", "usd_per_feu"),
    "co2": ("kg_per_teu",),
    "length": ("km",),
    "date": ("state",),
}
# Minimise what the row measures: a published time is the fast way, a tariff the cheap way.
_WEIGHT = {
    "time_h": "time",
    "moving_h": "time",
    "transit_h": "time",
    "cost_usd": "cost",
    "co2_kg": "co2",
    "distance_km": "distance",
}
# Route totals in hours, USD/TEU, kg/TEU and km, converted to the row's unit.
_PER_UNIT = {
    "d": 1 / 24,
    "h": 1.0,
    "usd_per_teu": 1.0,
    "usd_per_feu": 1.0,
    "kg_per_teu": 1.0,
    "km": 1.0,
}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COUNTRY_TOKEN = re.compile(r"^[+-][A-Z]{3}$")
_SEQUENCE = re.compile(r"^[A-Z]{3}(-[A-Z]{3})*$")
_RESULT_COLUMNS = [
    "id",
    "figure",
    "kind",
    "published",
    "model",
    "unit",
    "tolerance",
    "within",
    "error_share",
    "source",
    "detail",
]


def default_path() -> Path:
    """Return the bundled ``data/calibration.csv``.

    Raises
    ------
    DatasetError
        When the package was installed without its data.
    """
    path = bundled_path("calibration.csv")
    if path is None:
        raise DatasetError(
            ["data/calibration.csv is missing; reinstall corridors or pass path="],
            where="calibration",
        )
    return path


def read_calibration(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check a calibration file.

    Parameters
    ----------
    path
        CSV file with the columns of :data:`COLUMNS`; the bundled ``data/calibration.csv`` when
        ``None``.

    Returns
    -------
    pandas.DataFrame
        One row per figure, all columns as text except ``tolerance`` (float, a share).

    Raises
    ------
    DatasetError
        Listing every row that breaks the format (unknown kind, unit or metric, a published
        figure that is not a number, a source that is not a URL, a malformed date…).
    """
    path = Path(path) if path is not None else default_path()
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DatasetError([f"cannot read it ({exc}); give a CSV file"], where=str(path)) from None
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise DatasetError(
            [f"missing column(s) {', '.join(missing)}; the header must be {','.join(COLUMNS)}"],
            where=str(path),
        )
    table = table[COLUMNS].apply(lambda col: col.str.strip())
    problems: list[str] = []
    for _, row in table.iterrows():
        problems += [f"row {row['id'] or '?'}: {p}" for p in _row_problems(row)]
    duplicated = table["id"][table["id"].duplicated()].unique()
    problems += [f"row {i}: the id is used more than once; make ids unique" for i in duplicated]
    if problems:
        raise DatasetError(problems, where=str(path))
    table["tolerance"] = table["tolerance"].astype(float)
    return table


def _row_problems(row: Mapping[str, str]) -> list[str]:
    out: list[str] = []
    if not re.fullmatch(r"[a-z0-9_]+", row["id"]):
        out.append(f"id {row['id']!r} must be a lower-case slug [a-z0-9_]+")
    kind, unit, metric = row["kind"], row["unit"], row["metric"]
    if kind not in KINDS:
        out.append(f"kind {kind!r} must be one of {', '.join(KINDS)}")
    elif unit not in KIND_UNITS[kind]:
        out.append(f"unit {unit!r} does not fit kind {kind!r}: use {', '.join(KIND_UNITS[kind])}")
    elif metric not in UNIT_METRICS[unit]:
        out.append(
            f"metric {metric!r} does not fit unit {unit!r}: use {', '.join(UNIT_METRICS[unit])}"
        )
    if unit != "state":
        if not _is_positive_number(row["published"]):
            out.append(f"published {row['published']!r} must be a positive number")
    elif metric == "route_exists" and row["published"] not in ("0", "1"):
        out.append(f"published {row['published']!r} must be 1 (a route exists) or 0 (none)")
    elif metric == "countries" and not _countries_pattern_ok(row["published"]):
        out.append(
            f"published {row['published']!r} must be a sequence like CHN-KAZ-AZE or tokens "
            "like +IRN;-RUS"
        )
    elif metric == "status" and not row["element"]:
        out.append("a status row needs the link or node id in 'element'")
    if not _is_number(row["tolerance"]) or not 0 <= float(row["tolerance"]) < 1:
        out.append(f"tolerance {row['tolerance']!r} must be a share between 0 and 1 (0.2 = ±20%)")
    if metric != "status" and not (row["origin"] and row["destination"]):
        out.append("origin and destination are needed for a route")
    for column in ("as_of", "source_date"):
        if not _DATE.match(row[column]):
            out.append(f"{column} {row[column]!r} must be an ISO date YYYY-MM-DD")
    if not row["source"].startswith(("http://", "https://")):
        out.append(f"source {row['source'][:40]!r} must be the URL of the publication")
    if row["box"] not in ("", "20", "40"):
        out.append(f"box {row['box']!r} must be 20, 40 or empty")
    if unit == "usd_per_feu" and row["box"] != "40":
        out.append("a usd_per_feu figure is for a 40-ft box: set box to 40")
    return out


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _is_positive_number(text: str) -> bool:
    return _is_number(text) and float(text) > 0


def _countries_pattern_ok(text: str) -> bool:
    tokens = _split(text)
    return bool(tokens) and (
        (len(tokens) == 1 and bool(_SEQUENCE.match(tokens[0])))
        or all(_COUNTRY_TOKEN.match(t) for t in tokens)
    )


def _split(text: str) -> list[str]:
    return [t.strip() for t in text.split(";") if t.strip()]


def calibration(net: Network | None = None, *, path: str | Path | None = None) -> pd.DataFrame:
    """Compare the model with the published figures of a calibration file.

    Parameters
    ----------
    net
        Network to evaluate (its dataset; each row sets its own ``as_of``); the bundled network
        when ``None``.
    path
        Calibration CSV; the bundled ``data/calibration.csv`` when ``None``.

    Returns
    -------
    pandas.DataFrame
        One row per figure: ``id``, ``figure``, ``kind``, ``published`` and ``model`` (in the
        row's ``unit``: days, hours, USD per TEU or FEU, kg CO2e per TEU, km; text for ``date``
        rows), ``unit``, ``tolerance`` (share), ``within`` (bool), ``error_share``
        ((model - published) / published for numbers, NaN otherwise), ``source`` and ``detail``
        (why a row has no model figure, or how it was compared). ``df.attrs["share_within"]``
        holds the share of rows within tolerance.

    Raises
    ------
    DatasetError
        When the file breaks the format, or a row names a place, country, mode or element the
        dataset does not have (the message names the row).

    Examples
    --------
    >>> import corridors as cr
    >>> from corridors.calibration import calibration
    >>> table = calibration()  # doctest: +SKIP
    >>> table.attrs["share_within"]  # doctest: +SKIP
    """
    table = read_calibration(path)
    net = net if net is not None else load_network()
    records = [_evaluate(net, {str(k): v for k, v in row.items()}) for _, row in table.iterrows()]
    result = pd.DataFrame(records, columns=_RESULT_COLUMNS)
    result.attrs["share_within"] = share_within(result)
    return result


def _evaluate(net: Network, row: Mapping[str, Any]) -> dict[str, Any]:
    base = {key: row[key] for key in ("id", "figure", "kind", "unit", "tolerance", "source")} | {
        "published": row["published"],
        "error_share": math.nan,
        "detail": "",
    }
    metric = row["metric"]
    if metric == "status":
        status = _element_status(net, row)
        return base | {"model": status, "within": status == row["published"]}
    try:
        found = _route(net, row)
    except NoRouteError as exc:
        found, why = None, str(exc)
    if metric == "route_exists":
        exists = 0 if found is None else 1
        return base | {"model": str(exists), "within": str(exists) == row["published"]}
    if found is None:
        return base | {"model": None, "within": False, "detail": f"no route: {why}"}
    if metric == "countries":
        within = _countries_match(found.countries, row["published"])
        return base | {"model": "-".join(found.countries), "within": within}
    published = float(row["published"])
    model = _route_figure(found, metric, row["unit"])
    error = (model - published) / published
    detail = "priced for a 40-ft box" if row["unit"] == "usd_per_feu" else ""
    if metric == "moving_h":
        detail = "time on the move: no departure waits, borders, transfers or dwell"
    elif metric == "transit_h":
        detail = "departure to arrival: no terminal dwell at the two ends"
    return base | {
        "published": published,
        "model": model,
        "within": abs(error) <= row["tolerance"] + 1e-9,
        "error_share": error,
        "detail": detail,
    }


def _route(net: Network, row: Mapping[str, Any]) -> Route:
    try:
        return route(
            net,
            row["origin"],
            row["destination"],
            weight=_WEIGHT.get(row["metric"], "time"),
            modes=_split(row["modes"]) or None,
            avoid_countries=_split(row["avoid_countries"]),
            through_countries=_split(row["through_countries"]),
            via=_split(row["via"]),
            as_of=row["as_of"],
            box=int(row["box"] or 20),
        )
    except UnknownPlaceError as exc:
        raise DatasetError(
            [
                f"row {row['id']}: {exc}; add the place to data/geo or move the row to "
                "data/calibration_pending.csv"
            ],
            where="calibration",
        ) from None
    except UsageError as exc:
        raise DatasetError([f"row {row['id']}: {exc}"], where="calibration") from None


def _route_figure(found: Route, metric: str, unit: str) -> float:
    if metric == "moving_h":
        total = found.moving_h
    elif metric == "transit_h":
        total = found.time_h - sum(dwell.hours for dwell in found.dwells)
    else:
        total = found.total(_WEIGHT[metric])
    return total * _PER_UNIT[unit]


def _element_status(net: Network, row: Mapping[str, Any]) -> str:
    element = row["element"]
    records = net.link_records.get(element) or net.node_records.get(element)
    if records is None:
        raise DatasetError(
            [
                f"row {row['id']}: no link or node {element!r} in the dataset; "
                "give a link or node id from data/geo"
            ],
            where="calibration",
        )
    day = dt.date.fromisoformat(row["as_of"])
    return status_on(records.get("status"), day) or "absent"


def _countries_match(countries: list[str], published: str) -> bool:
    tokens = _split(published)
    if len(tokens) == 1 and _SEQUENCE.match(tokens[0]):
        return "-".join(countries) == tokens[0]
    return all((t[1:] in countries) == (t[0] == "+") for t in tokens)


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Return, per kind of figure, how many are within tolerance and which way the misses go.

    Parameters
    ----------
    table
        A :func:`calibration` table.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``kind`` (in :data:`KINDS` order, kinds with figures only), with ``figures``,
        ``within``, ``share_within``, ``model_below`` and ``model_above`` (numeric misses whose
        model figure is below or above the published one) and ``other_misses`` (no route, or a
        state that differs).
    """
    rows = []
    for kind in KINDS:
        part = table[table["kind"] == kind]
        if part.empty:
            continue
        missed = part[~part["within"].astype(bool)]
        error = pd.to_numeric(missed["error_share"], errors="coerce")
        rows.append(
            {
                "kind": kind,
                "figures": len(part),
                "within": int(part["within"].sum()),
                "share_within": share_within(part),
                "model_below": int((error < 0).sum()),
                "model_above": int((error > 0).sum()),
                "other_misses": int(error.isna().sum()),
            }
        )
    return pd.DataFrame(rows).set_index("kind")


def share_within(table: pd.DataFrame) -> float:
    """Return the share of rows of a :func:`calibration` table within their tolerance."""
    return float(table["within"].mean()) if len(table) else math.nan

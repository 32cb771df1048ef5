"""Checks of a dataset against the schema in ``data/geo/README.md``; every problem is collected."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .settings import MODES, WATER_MODES

NODE_KINDS: frozenset[str] = frozenset({"city", "station", "port", "border", "junction", "sea"})
STATUSES: frozenset[str] = frozenset(
    {"open", "closed", "blockaded", "under_construction", "planned"}
)
SLUG = re.compile(r"^[a-z0-9_]+$")
ISO3 = re.compile(r"^[A-Z]{3}$")

END_TOLERANCE_KM = 2.0
"""How far a link's geometry may end from its node, km."""
MIN_LENGTH_RATIO = 0.95
"""``length_km`` may be this much shorter than the drawn (geodesic) length and no more."""
MAX_LENGTH_RATIO = 1.5
"""``length_km`` may be this much longer than the drawn (geodesic) length and no more."""

_NODE_REQUIRED = ("id", "name", "kind", "source")
_LINK_REQUIRED = ("id", "u", "v", "mode", "length_km", "length_source", "status", "tags", "source")
NUMBER_SOURCES = {
    "border_hours": "border_source",
    "border_cost_usd": "border_source",
    "transfer_hours": "transfer_source",
    "transfer_cost_usd": "transfer_source",
    "speed_kmh": "speed_source",
    "wait_h": "wait_source",
    "cost_usd_per_teu_km": "cost_source",
    "co2_kg_per_teu_km": "co2_source",
    "capacity_teu_year": "capacity_source",
}


def parse_date(value: Any, *, what: str = "date") -> dt.date:
    """Parse an ISO date (``YYYY-MM-DD``), a ``date`` or a ``datetime``.

    Raises
    ------
    ValueError
        With a one-line message naming ``what`` and the expected form.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a date; use YYYY-MM-DD") from None


def check_status(events: Any, where: str) -> list[str]:
    """Check a list of status events; return the problems found."""
    if not isinstance(events, list) or not events:
        return [f"{where}: status must be a non-empty list of events"]
    problems: list[str] = []
    previous: dt.date | None = None
    for i, event in enumerate(events):
        if not isinstance(event, Mapping):
            problems.append(f"{where}: status[{i}] is not an object")
            continue
        if event.get("status") not in STATUSES:
            problems.append(
                f"{where}: status[{i}] {event.get('status')!r} is not one of "
                f"{', '.join(sorted(STATUSES))}"
            )
        if not event.get("source"):
            problems.append(f"{where}: status[{i}] has no source")
        start = event.get("from")
        if start is None:
            if i:
                problems.append(f"{where}: status[{i}] has from=null but is not the first event")
            continue
        try:
            day = parse_date(start, what="from")
        except ValueError as exc:
            problems.append(f"{where}: status[{i}] {exc}")
            continue
        if previous and day < previous:
            problems.append(f"{where}: status events are not sorted by date at status[{i}]")
        previous = day
    return problems


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_numbers(props: Mapping, where: str) -> list[str]:
    problems = []
    for key, source_key in NUMBER_SOURCES.items():
        if props.get(key) is None:
            continue
        if not _is_number(props[key]) or props[key] < 0:
            problems.append(f"{where}: {key} must be a non-negative number, not {props[key]!r}")
        elif not props.get(source_key):
            problems.append(f"{where}: {key} is set but {source_key} is missing")
    return problems


def check_nodes(
    features: Iterable[tuple[str, Mapping]], *, countries: frozenset[str] | None
) -> tuple[dict[str, dict], list[str]]:
    """Check node features (``(file name, feature)`` pairs).

    Returns
    -------
    nodes, problems
        Valid-enough nodes keyed by id (with ``lon``/``lat``), and every problem found.
    """
    nodes: dict[str, dict] = {}
    seen_in: dict[str, str] = {}
    problems: list[str] = []
    for file_name, feature in features:
        props = dict(feature.get("properties") or {})
        node_id = props.get("id")
        where = f"{file_name}: node {node_id!r}"
        missing = [k for k in _NODE_REQUIRED if props.get(k) in (None, "")]
        if missing:
            problems.append(f"{where}: missing required field(s) {', '.join(missing)}")
        if not isinstance(node_id, str) or not SLUG.match(node_id):
            problems.append(f"{where}: id must be a lower-case ASCII slug [a-z0-9_]+")
            continue
        if node_id in seen_in:
            problems.append(f"{where}: duplicate id (also in {seen_in[node_id]})")
            continue
        seen_in[node_id] = file_name
        geometry = feature.get("geometry") or {}
        coords = geometry.get("coordinates")
        if geometry.get("type") != "Point" or not coords or len(coords) < 2:
            problems.append(f"{where}: geometry must be a Point")
            continue
        kind = props.get("kind")
        if kind is not None and kind not in NODE_KINDS:
            problems.append(f"{where}: unknown kind {kind!r}; use one of {sorted(NODE_KINDS)}")
        problems += _check_country_fields(props, kind, where, countries)
        problems += _check_numbers(props, where)
        if not isinstance(props.get("tags", []), list):
            problems.append(f"{where}: tags must be a list of strings")
        if "status" in props:
            problems += check_status(props["status"], where)
        props["lon"], props["lat"] = float(coords[0]), float(coords[1])
        nodes[node_id] = props
    return nodes, problems


def _check_country_fields(
    props: Mapping, kind: str | None, where: str, countries: frozenset[str] | None
) -> list[str]:
    problems = []
    country = props.get("country")
    if country is None and kind != "sea":
        problems.append(f"{where}: missing required field country (only sea waypoints have none)")
    elif country is not None and not _known_country(country, countries):
        problems.append(f"{where}: unknown country {country!r} (use Natural Earth ADM0_A3)")
    if kind == "border":
        sides = props.get("countries")
        if not isinstance(sides, list) or len(sides) != 2 or sides[0] == sides[1]:
            problems.append(f"{where}: a border node needs countries: [A, B]")
        else:
            problems += [
                f"{where}: unknown country {c!r} in countries"
                for c in sides
                if not _known_country(c, countries)
            ]
            if country not in sides:
                problems.append(f"{where}: country {country!r} is not one of its sides {sides}")
    return problems


def _known_country(code: Any, countries: frozenset[str] | None) -> bool:
    if not isinstance(code, str) or not ISO3.match(code):
        return False
    return countries is None or code in countries


def node_sides(props: Mapping) -> tuple[str, ...]:
    """Return the countries a node belongs to: both sides of a border, else its country."""
    if props.get("kind") == "border" and props.get("countries"):
        return tuple(props["countries"])
    return (props["country"],) if props.get("country") else ()


def check_links(
    features: Iterable[tuple[str, Mapping]],
    nodes: Mapping[str, Mapping],
    *,
    countries: frozenset[str] | None,
) -> tuple[dict[str, dict], list[str]]:
    """Check link features against the schema and the nodes they join.

    Returns
    -------
    links, problems
        Links keyed by id (with ``coords`` and ``geodesic_km``), and every problem found.
    """
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    links: dict[str, dict] = {}
    seen_in: dict[str, str] = {}
    problems: list[str] = []
    for file_name, feature in features:
        props = dict(feature.get("properties") or {})
        link_id = props.get("id")
        where = f"{file_name}: link {link_id!r}"
        missing = [k for k in _LINK_REQUIRED if props.get(k) in (None, "")]
        if "country" not in props:
            missing.append("country")
        if missing:
            problems.append(f"{where}: missing required field(s) {', '.join(missing)}")
        if not isinstance(link_id, str) or not SLUG.match(link_id):
            problems.append(f"{where}: id must be a lower-case ASCII slug [a-z0-9_]+")
            continue
        if link_id in seen_in or link_id in nodes:
            other = seen_in.get(link_id, "the nodes")
            problems.append(f"{where}: duplicate id (also in {other})")
            continue
        seen_in[link_id] = file_name
        geometry = feature.get("geometry") or {}
        coords = geometry.get("coordinates") or []
        if geometry.get("type") != "LineString" or len(coords) < 2:
            problems.append(f"{where}: geometry must be a LineString of 2 or more points")
            continue
        props["coords"] = [(float(c[0]), float(c[1])) for c in coords]
        lons, lats = zip(*props["coords"], strict=True)
        props["geodesic_km"] = geod.line_length(lons, lats) / 1000.0
        problems += _check_link_fields(props, nodes, where, countries, geod)
        links[link_id] = props
    return links, problems


def _check_link_fields(
    props: dict,
    nodes: Mapping[str, Mapping],
    where: str,
    countries: frozenset[str] | None,
    geod: Any,
) -> list[str]:
    problems: list[str] = []
    mode = props.get("mode")
    if mode is not None and mode not in MODES:
        problems.append(f"{where}: unknown mode {mode!r}; use one of {', '.join(MODES)}")
    if mode == "rail" and not isinstance(props.get("gauge_mm"), int):
        problems.append(f"{where}: a rail link needs an integer gauge_mm (1435, 1520…)")
    country = props.get("country")
    if country is None and "country" in props and mode not in WATER_MODES:
        problems.append(f"{where}: a {mode} link needs a country (only ferry/sea may have none)")
    elif country is not None and not _known_country(country, countries):
        problems.append(f"{where}: unknown country {country!r} (use Natural Earth ADM0_A3)")
    if not isinstance(props.get("tags", []), list):
        problems.append(f"{where}: tags must be a list of strings")
    for end in ("u", "v"):
        node_id = props.get(end)
        if node_id is None:
            continue
        if node_id not in nodes:
            problems.append(f"{where}: {end} {node_id!r} is not a known node id")
            continue
        node = nodes[node_id]
        lon, lat = props["coords"][0] if end == "u" else props["coords"][-1]
        gap_km = geod.inv(lon, lat, node["lon"], node["lat"])[2] / 1000.0
        if gap_km > END_TOLERANCE_KM:
            problems.append(
                f"{where}: geometry {'starts' if end == 'u' else 'ends'} {gap_km:.1f} km from "
                f"node {node_id!r} (at most {END_TOLERANCE_KM:g} km)"
            )
        if country and mode not in WATER_MODES and country not in node_sides(node):
            problems.append(
                f"{where}: country {country!r} is not a country of its end node {node_id!r} "
                f"({'/'.join(node_sides(node)) or 'none'})"
            )
    length = props.get("length_km")
    if length is not None:
        if not _is_number(length) or length <= 0:
            problems.append(f"{where}: length_km must be a positive number, not {length!r}")
        else:
            drawn = props["geodesic_km"]
            if length < MIN_LENGTH_RATIO * drawn:
                problems.append(
                    f"{where}: length_km {length:g} is shorter than the geodesic length of its "
                    f"geometry ({drawn:.1f} km)"
                )
            elif length > MAX_LENGTH_RATIO * drawn:
                problems.append(
                    f"{where}: length_km {length:g} is far longer than the geodesic length of "
                    f"its geometry ({drawn:.1f} km); add vertices along the real line"
                )
    if "status" in props:
        problems += check_status(props["status"], where)
    problems += _check_numbers(props, where)
    return problems


def check_embargoes(
    data: Mapping, *, countries: frozenset[str] | None, file_name: str = "embargoes.json"
) -> tuple[list[dict], list[str]]:
    """Check the embargo records (see ``data/geo/README.md``); return them and the problems."""
    records = data.get("embargoes") if isinstance(data, Mapping) else None
    if not isinstance(records, list):
        return [], [f"{file_name}: must hold an object with a list 'embargoes'"]
    problems: list[str] = []
    out: list[dict] = []
    for i, record in enumerate(records):
        where = f"{file_name}: embargo {record.get('id', i)!r}"
        missing = [
            k
            for k in ("id", "from_country", "to_country", "periods", "source")
            if not record.get(k)
        ]
        if missing:
            problems.append(f"{where}: missing required field(s) {', '.join(missing)}")
            continue
        for key in ("from_country", "to_country"):
            if not _known_country(record[key], countries):
                problems.append(f"{where}: unknown country {record[key]!r} in {key}")
        if not isinstance(record.get("except_tags", []), list):
            problems.append(f"{where}: except_tags must be a list of tags")
        for j, period in enumerate(record["periods"]):
            if not isinstance(period, Mapping) or not period.get("source"):
                problems.append(f"{where}: periods[{j}] needs from, until and a source")
                continue
            for key in ("from", "until"):
                if period.get(key) is not None:
                    try:
                        parse_date(period[key], what=key)
                    except ValueError as exc:
                        problems.append(f"{where}: periods[{j}] {exc}")
        out.append(dict(record))
    return out, problems

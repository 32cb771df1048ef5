"""Checks of a dataset against the schema in ``data/geo/README.md``; every problem is collected."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .schema import FIGURES
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
NUMBER_SOURCES = {key: figure.source_key for key, figure in FIGURES.items()}
"""The property that cites each figure (``border_hours`` → ``border_source``)."""


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
        status = event.get("status")
        if not isinstance(status, str) or status not in STATUSES:
            problems.append(
                f"{where}: status[{i}] {show(status)} is not one of {', '.join(sorted(STATUSES))}"
            )
        if "one_way" in event:
            problems += _check_one_way(event, f"{where}: status[{i}]")
        if not event.get("source"):
            problems.append(f"{where}: status[{i}] has no source")
        elif not isinstance(event["source"], str):
            problems.append(
                f"{where}: status[{i}] source = {show(event['source'])}: must be a string"
            )
        start = event.get("from")
        if start is None:
            if i:
                problems.append(f"{where}: status[{i}] has from=null but is not the first event")
            continue
        try:
            # JSON has no dates: only an ISO string (routing parses it again on every query)
            day = parse_date(start if isinstance(start, str) else repr(start), what="from")
        except ValueError as exc:
            problems.append(f"{where}: status[{i}] {exc}")
            continue
        if previous and day < previous:
            problems.append(f"{where}: status events are not sorted by date at status[{i}]")
        previous = day
    return problems


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


ONE_WAY = re.compile(r"^[A-Z]{3}>[A-Z]{3}$")
"""A border's only open direction, ``"AZE>ARM"``: from the first country into the second."""


def _check_one_way(event: Mapping, at: str) -> list[str]:
    direction = event["one_way"]
    if not isinstance(direction, str) or not ONE_WAY.match(direction):
        return [f"{at} one_way = {show(direction)}: write the open direction as 'AZE>ARM'"]
    if event.get("status") != "open":
        return [f"{at} one_way needs status 'open' (a closed border has no direction)"]
    return []


def show(value: Any, *, limit: int = 40) -> str:
    """Return ``repr(value)`` cut to ``limit`` characters: a hostile value keeps a line short."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # nan, inf, -inf as TOML and JSON users write them
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_text(value: Any) -> str | None:
    """Return what is wrong with a value that must be a string, or ``None``."""
    return _text(value)


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be a string"


def check_texts(value: Any) -> str | None:
    """Return what is wrong with a value that must be a list of strings, or ``None``."""
    return _texts(value)


def _texts(value: Any) -> str | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return None
    return "must be a list of strings"


def _positive(value: Any) -> str | None:
    return None if _is_number(value) and value > 0 else "must be a finite number > 0"


def _non_negative(value: Any) -> str | None:
    return None if _is_number(value) and value >= 0 else "must be a finite number >= 0"


def _whole(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return None if ok else "must be a whole number >= 0"


def _hours_by_direction(value: Any) -> str | None:
    """``{"CHN>KAZ": 30.5, …}``: hours by direction of a border crossing."""
    if not isinstance(value, Mapping) or not value:
        return 'must be an object of hours by direction, e.g. {"CHN>KAZ": 30.5}'
    for key, hours in value.items():
        a, sep, b = str(key).partition(">")
        if not (sep and ISO3.match(a) and ISO3.match(b)) or _non_negative(hours):
            return f"{show(key)}: {show(hours)}: use 'FROM>TO' (ISO3) and hours >= 0"
    return None


def _gauge(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return None
    return "must be a whole number of mm > 0 (1435, 1520…)"


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


_SOURCE_FIELDS = ("source", "note", *dict.fromkeys(NUMBER_SOURCES.values()))
# Fields whose type routing relies on; ``None`` counts as absent. The ``*_factor`` fields are
# what scenario overrides write; a dataset may carry them too, and routing multiplies by them.
NODE_FIELDS: dict[str, Any] = {
    "name": _text,
    "aliases": _texts,
    "tags": _texts,
    **dict.fromkeys(_SOURCE_FIELDS, _text),
    "border_hours": _non_negative,
    "border_cost_usd": _non_negative,
    "transfer_hours": _non_negative,
    "transfer_cost_usd": _non_negative,
    "capacity_teu_year": _positive,
    "border_hours_factor": _non_negative,
    "transfer_hours_factor": _non_negative,
    "capacity_factor": _positive,
    "dwell_hours": _non_negative,
    "border_hours_by_direction": _hours_by_direction,
}
LINK_FIELDS: dict[str, Any] = {
    "name": _text,
    "tags": _texts,
    "length_source": _text,
    **dict.fromkeys(_SOURCE_FIELDS, _text),
    "length_km": _positive,
    "speed_kmh": _positive,
    "wait_h": _non_negative,
    "cost_usd_per_teu_km": _non_negative,
    "co2_kg_per_teu_km": _non_negative,
    "capacity_teu_year": _positive,
    "gauge_mm": _gauge,
    "oneway": _boolean,
    "speed_factor": _positive,
    "wait_h_factor": _non_negative,
    "capacity_factor": _positive,
    "sailings_per_week": _positive,
    "fill_hours": _non_negative,
    "port_calls": _whole,
}


def _check_fields(props: Mapping, rules: Mapping[str, Any], where: str) -> tuple[list[str], set]:
    """Check each field's type against ``rules``; return the problems and the bad fields."""
    problems, bad = [], set()
    for key, rule in rules.items():
        value = props.get(key)
        if value is None:
            continue
        wrong = rule(value)
        if wrong:
            problems.append(f"{where}: {key} = {show(value)}: {wrong}")
            bad.add(key)
    return problems, bad


def _check_numbers(props: Mapping, where: str) -> list[str]:
    return [
        f"{where}: {key} is set but {source_key} is missing"
        for key, source_key in NUMBER_SOURCES.items()
        if props.get(key) is not None and not props.get(source_key)
    ]


def position(value: Any) -> tuple[float, float] | str:
    """Return ``(lon, lat)`` of a GeoJSON position, or what is wrong with it."""
    if not isinstance(value, list | tuple) or len(value) not in (2, 3):
        return f"{show(value)} is not a [lon, lat] pair"
    if not all(isinstance(c, int | float) and not isinstance(c, bool) for c in value):
        return f"{show(value)} must hold numbers"
    lon, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return f"{show(value)} must be finite numbers"
    if not (-180.0 <= lon <= 180.0):
        return f"{show(value)}: longitude must lie in -180…180"
    if not (-90.0 <= lat <= 90.0):
        return f"{show(value)}: latitude must lie in -90…90"
    return lon, lat


def feature_parts(
    feature: Any, where: str
) -> tuple[dict[str, Any], Mapping[str, Any] | None] | str:
    """Return a feature's properties and geometry, or what makes it no GeoJSON Feature."""
    if not isinstance(feature, Mapping):
        return f"{where}: must be a GeoJSON Feature object, not {type(feature).__name__}"
    props = feature.get("properties")
    if props is not None and not isinstance(props, Mapping):
        return f"{where}: properties must be an object, not {type(props).__name__}"
    geometry = feature.get("geometry")
    if geometry is not None and not isinstance(geometry, Mapping):
        geometry = {"type": None, "coordinates": None, "not_an_object": geometry}
    return dict(props or {}), geometry


def _numbered(features: Iterable[tuple[str, Any]]) -> Iterable[tuple[str, int, Any]]:
    counts: dict[str, int] = {}
    for file_name, feature in features:
        counts[file_name] = counts.get(file_name, 0) + 1
        yield file_name, counts[file_name], feature


def check_nodes(
    features: Iterable[tuple[str, Any]], *, countries: frozenset[str] | None
) -> tuple[dict[str, dict], list[str]]:
    """Check node features (``(file name, feature)`` pairs) against the schema.

    Returns
    -------
    nodes, problems
        Valid-enough nodes keyed by id (with ``lon``/``lat``), and every problem found, one line
        each naming the file, the node and the field.
    """
    nodes: dict[str, dict] = {}
    seen_in: dict[str, str] = {}
    problems: list[str] = []
    for file_name, number, feature in _numbered(features):
        parts = feature_parts(feature, f"{file_name}: feature {number}")
        if isinstance(parts, str):
            problems.append(parts)
            continue
        props, geometry = parts
        node_id = props.get("id")
        where = f"{file_name}: node {show(node_id)}"
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
        field_problems, bad = _check_fields(props, NODE_FIELDS, where)
        problems += field_problems
        kind = props.get("kind")
        if kind is not None and (not isinstance(kind, str) or kind not in NODE_KINDS):
            problems.append(
                f"{where}: unknown kind {show(kind)}; use one of {', '.join(sorted(NODE_KINDS))}"
            )
        problems += _check_country_fields(props, kind, where, countries)
        problems += _check_numbers({k: v for k, v in props.items() if k not in bad}, where)
        if "status" in props:
            problems += check_status(props["status"], where)
            problems += _check_one_way_sides(props, where)
        geometry = geometry or {}
        if geometry.get("type") != "Point":
            problems.append(f"{where}: geometry must be a Point")
            continue
        lonlat = position(geometry.get("coordinates"))
        if isinstance(lonlat, str):
            problems.append(f"{where}: geometry coordinates {lonlat}")
            continue
        props["lon"], props["lat"] = lonlat
        nodes[node_id] = props
    return nodes, problems


def _check_country_fields(
    props: Mapping, kind: str | None, where: str, countries: frozenset[str] | None
) -> list[str]:
    problems = []
    country = props.get("country")
    sides = props.get("countries")
    if sides is not None and not (
        isinstance(sides, list) and len(sides) == 2 and all(isinstance(c, str) for c in sides)
    ):
        # routing reads both sides of any node that has them, border or not
        return [f"{where}: countries = {show(sides)}: must be two ISO3 codes [A, B]"]
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


def _check_one_way_sides(props: Mapping, where: str) -> list[str]:
    """Check that one-way events are on border nodes, from one side into the other."""
    problems = []
    for i, event in enumerate(props["status"] if isinstance(props["status"], list) else ()):
        direction = event.get("one_way") if isinstance(event, Mapping) else None
        if not isinstance(direction, str) or not ONE_WAY.match(direction):
            continue
        if props.get("kind") != "border":
            problems.append(f"{where}: status[{i}] one_way is for border nodes only")
        elif set(direction.split(">")) != set(props.get("countries") or ()):
            problems.append(
                f"{where}: status[{i}] one_way {direction!r} must go between the border's"
                f" countries {props.get('countries')}"
            )
    return problems


def _known_country(code: Any, countries: frozenset[str] | None) -> bool:
    if not isinstance(code, str) or not ISO3.match(code):
        return False
    return countries is None or code in countries


def node_sides(props: Mapping) -> tuple[str, ...]:
    """Return the countries a node belongs to: both sides of a border, else its country."""
    sides = props.get("countries")
    if props.get("kind") == "border" and isinstance(sides, list | tuple) and sides:
        return tuple(s for s in sides if isinstance(s, str))
    return (props["country"],) if isinstance(props.get("country"), str) else ()


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
    for file_name, number, feature in _numbered(features):
        parts = feature_parts(feature, f"{file_name}: feature {number}")
        if isinstance(parts, str):
            problems.append(parts)
            continue
        props, geometry = parts
        link_id = props.get("id")
        where = f"{file_name}: link {show(link_id)}"
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
        geometry = geometry or {}
        coords = geometry.get("coordinates")
        if geometry.get("type") != "LineString" or not isinstance(coords, list | tuple):
            problems.append(f"{where}: geometry must be a LineString of 2 or more points")
            continue
        points = [position(c) for c in coords]
        wrong = next((f"[{i}] {p}" for i, p in enumerate(points) if isinstance(p, str)), None)
        if wrong or len(points) < 2:
            problems.append(
                f"{where}: geometry coordinates{wrong or ' must hold 2 or more points'}"
            )
            continue
        props["coords"] = points
        lons, lats = zip(*points, strict=True)
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
    problems, bad = _check_fields(props, LINK_FIELDS, where)
    mode = props.get("mode")
    if mode is not None and (not isinstance(mode, str) or mode not in MODES):
        problems.append(f"{where}: unknown mode {show(mode)}; use one of {', '.join(MODES)}")
    if mode == "rail" and props.get("gauge_mm") is None:
        problems.append(f"{where}: a rail link needs an integer gauge_mm (1435, 1520…)")
    water = isinstance(mode, str) and mode in WATER_MODES
    country = props.get("country")
    if country is None and "country" in props and not water:
        problems.append(f"{where}: a {mode} link needs a country (only ferry/sea may have none)")
    elif country is not None and not _known_country(country, countries):
        problems.append(f"{where}: unknown country {country!r} (use Natural Earth ADM0_A3)")
    for end in ("u", "v"):
        node_id = props.get(end)
        if node_id is None:
            continue
        if not isinstance(node_id, str):
            problems.append(f"{where}: {end} = {show(node_id)}: must be a node id (a string)")
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
        if isinstance(country, str) and not water and country not in node_sides(node):
            problems.append(
                f"{where}: country {country!r} is not a country of its end node {node_id!r} "
                f"({'/'.join(node_sides(node)) or 'none'})"
            )
    length = props.get("length_km")
    # a length that is no finite number > 0 was reported by LINK_FIELDS
    if length is not None and "length_km" not in bad:
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
    problems += _check_numbers({k: v for k, v in props.items() if k not in bad}, where)
    return problems

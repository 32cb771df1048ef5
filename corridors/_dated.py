"""Dated facts: evidence grades, dated values, disruptions and the two kinds of embargo.

The schema is in ``data/geo/README.md``. :func:`state_on` turns the loaded records into the
records in force on one day (new dicts; the loaded ones are never changed), and the ``check_*``
functions collect every problem of the dated parts of a dataset.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ._validation import (
    ISO3,
    NUMBER_SOURCES,
    SLUG,
    check_text,
    check_texts,
    node_sides,
    parse_date,
    show,
)
from .errors import DatasetError
from .settings import settings

GRADES: tuple[str, ...] = ("announced", "under_construction", "operating", "verified")
"""Evidence grades of a dated fact, weakest first."""
CONFIRMING: frozenset[str] = frozenset({"operating", "verified"})
"""Grades that confirm an earlier ``announced`` opening."""
DATED_KEYS: dict[str, str] = dict(NUMBER_SOURCES)
"""Figures a ``dated`` entry may set, each with the key that cites its source."""
LINK_FACTORS: frozenset[str] = frozenset({"speed_factor", "wait_h_factor", "capacity_factor"})
"""Factors pricing reads on a link."""
NODE_FACTORS: frozenset[str] = frozenset(
    {"border_hours_factor", "transfer_hours_factor", "capacity_factor"}
)
"""Factors pricing reads on a node."""
DISRUPTION_KINDS: tuple[str, ...] = ("closure", "disruption")
EMBARGO_KINDS: tuple[str, ...] = ("origin", "transit")
WHERE_KEYS: tuple[str, ...] = ("links", "nodes", "tags", "countries")

_ABSENT = object()
"""Marks a key a record did not have before the day's state was laid over it."""


# kept here rather than imported: _validation.py's private helpers may change under it
def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _known_country(code: Any, countries: frozenset[str] | None) -> bool:
    if not isinstance(code, str) or not ISO3.match(code):
        return False
    return countries is None or code in countries


# --- grades and periods -------------------------------------------------------------------
def grade_of(entry: Mapping, *, dataset_date: dt.date | None = None) -> str:
    """Return the evidence grade of a status event, ``dated`` entry or period.

    An explicit ``grade`` wins; otherwise an entry starting on or before the dataset's date
    (``settings.dataset_date``; a ``from`` of ``null`` counts as before) is ``verified`` and a
    later one ``announced``.

    Examples
    --------
    >>> import datetime as dt
    >>> day = dt.date(2026, 11, 29)
    >>> grade_of({"from": "2017-10-30"}, dataset_date=day)
    'verified'
    >>> grade_of({"from": "2029-12-31"}, dataset_date=day)
    'announced'
    """
    if entry.get("grade"):
        return str(entry["grade"])
    start = entry.get("from")
    cutoff = dataset_date or settings.dataset_date
    return "verified" if start is None or parse_date(start) <= cutoff else "announced"


def _counts(entry: Mapping, announced: bool) -> bool:
    """Whether an entry is taken into account: announced ones only when asked for."""
    return announced or grade_of(entry) != "announced"


def in_force(entry: Mapping, day: dt.date) -> bool:
    """Whether ``from`` ≤ ``day`` < ``until`` (a ``null`` bound is open)."""
    start, end = entry.get("from"), entry.get("until")
    return (start is None or parse_date(start) <= day) and (end is None or day < parse_date(end))


def periods_in_force(record: Mapping, day: dt.date, *, announced: bool = False) -> list[Mapping]:
    """Return the periods of a disruption or embargo in force on ``day``."""
    return [p for p in record.get("periods") or () if in_force(p, day) and _counts(p, announced)]


def status_events(events: list[Mapping] | None, *, announced: bool) -> list[dict] | None:
    """Return the status events that count: an ``announced`` opening is ignored unless asked.

    An ignored opening becomes an event that keeps the previous status (``planned`` when it
    was the first), so the dates stay in order and the record shows why it did not open.
    """
    if not events:
        return None if events is None else []
    out: list[dict] = []
    for event in events:
        if event.get("status") == "open" and not _counts(event, announced):
            previous = out[-1]["status"] if out else "planned"
            out.append(
                {**event, "status": previous, "ignored": "announced opening (see use_announced)"}
            )
        else:
            out.append(dict(event))
    return out


def _current(events: list[Mapping] | None, day: dt.date) -> tuple[int, str | None]:
    """Return how many events have started by ``day`` and the status they leave."""
    if not events:
        return 0, "open"
    count, status = 0, None
    for i, event in enumerate(events):
        start = event.get("from")
        if start is None or parse_date(start) <= day:
            count, status = i + 1, event["status"]
        else:
            break
    return count, status


# --- the state on a day -------------------------------------------------------------------
class _Layer:
    """A record being laid over, remembering what each key held before (to undo it later)."""

    def __init__(self, record: Mapping) -> None:
        self.record = dict(record)
        self.before: dict[str, Any] = {}

    def put(self, key: str, value: Any) -> None:
        if key not in self.before:
            self.before[key] = self.record.get(key, _ABSENT)
        self.record[key] = value


def _restore(record: Mapping, before: Mapping[str, Any] | None) -> dict:
    out = dict(record)
    for key, value in (before or {}).items():
        if value is _ABSENT:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def _overlay_dated(layer: _Layer, day: dt.date, announced: bool) -> None:
    for entry in layer.record.get("dated") or ():
        if not in_force(entry, day) or not _counts(entry, announced):
            continue
        for key, value in entry["set"].items():
            layer.put(key, value)
            # the figure cites the dated entry, so a route names where the dated value comes from
            layer.put(DATED_KEYS[key], entry["source"])


def matches(where: Mapping, record_id: str, record: Mapping, *, is_link: bool) -> bool:
    """Whether a disruption's ``where`` names a link or node.

    ``countries`` takes links whose ``country`` is listed and nodes in a listed country (border
    nodes by either side); ``tags`` takes links and nodes carrying a listed tag.
    """
    if record_id in (where.get("links" if is_link else "nodes") or ()):
        return True
    if set(record.get("tags") or ()) & set(where.get("tags") or ()):
        return True
    countries = set(where.get("countries") or ())
    if not countries:
        return False
    if is_link:
        return record.get("country") in countries
    return bool(set(node_sides(record)) & countries)


def _close(
    layer: _Layer, disruption: Mapping, period: Mapping, day: dt.date, *, is_link: bool
) -> None:
    events = layer.record.get("status") or [
        {"status": "open", "from": None, "source": "no status events: always open"}
    ]
    count, status = _current(events, day)
    if status != "open":
        # what is not usable stays as it is: a closure neither brings a planned line into
        # being nor hides why a crossing was already shut
        return
    direction = disruption.get("direction")
    if direction is not None and is_link:
        # a link closed one way keeps its other way: routing drops the closed direction
        layer.put("closed_directions", [*layer.record.get("closed_directions", []), direction])
        layer.put(
            "closed_one_way_by", [*layer.record.get("closed_one_way_by", []), disruption["id"]]
        )
        return
    open_way = events[count - 1].get("one_way")
    if direction is not None and open_way != direction:
        if open_way is not None:
            return  # already crossed only the other way
        _insert_status(layer, events, count, disruption, period, one_way=_reverse(direction))
        return
    _insert_status(layer, events, count, disruption, period)


def _insert_status(
    layer: _Layer,
    events: list[Mapping],
    count: int,
    disruption: Mapping,
    period: Mapping,
    *,
    one_way: str | None = None,
) -> None:
    """Put a closure's status event after the ``count`` events in force on the day.

    The event is ``closed``, or ``open`` for ``one_way`` only when the border is closed the other
    way.
    """
    # dated no earlier than the event before it, so the events stay in order
    start = period.get("from")
    prior = events[count - 1].get("from")
    if start is None or (prior is not None and parse_date(prior) > parse_date(start)):
        start = prior
    event: dict[str, Any] = {
        "status": "open" if one_way else "closed",
        "from": start,
        "source": period.get("source") or disruption["source"],
        "closed_by": disruption["id"],
    }
    if one_way:
        event["one_way"] = one_way
    layer.put("status", [*events[:count], event, *events[count:]])
    layer.put("closed_by", [*layer.record.get("closed_by", []), disruption["id"]])


def _reverse(direction: str) -> str:
    """``"KAZ>UZB"`` → ``"UZB>KAZ"``."""
    a, b = direction.split(">")
    return f"{b}>{a}"


def _disrupt(layer: _Layer, disruption: Mapping, factors: Iterable[str]) -> None:
    cited = f"disruption {disruption['id']}: {disruption['source']}"
    for key in factors:
        if key not in disruption.get("factors", {}):
            continue
        factor = float(disruption["factors"][key])
        layer.put(key, float(layer.record.get(key, 1.0)) * factor)
        earlier = layer.record.get(f"{key}_source")
        layer.put(f"{key}_source", f"{earlier}; {cited}" if earlier else cited)
    layer.put("disrupted_by", [*layer.record.get("disrupted_by", []), disruption["id"]])


def state_on(
    node_records: Mapping[str, Mapping],
    link_records: Mapping[str, Mapping],
    disruptions: Iterable[Mapping],
    day: dt.date,
    *,
    announced: bool = False,
    undone: Mapping[tuple[str, str], Mapping[str, Any]] | None = None,
) -> tuple[dict[str, dict], dict[str, dict], dict[tuple[str, str], dict[str, Any]]]:
    """Return the node and link records in force on ``day`` (new dicts).

    Parameters
    ----------
    node_records, link_records
        Records by id, as loaded or as in force on another day.
    disruptions
        Disruption records (``disruptions.json``).
    day
        The date.
    announced
        Take ``announced`` openings, dated values and periods into account too.
    undone
        What a previous call changed (its third result), so that records in force on another
        day are first taken back to the loaded state; ``None`` for loaded records.

    Returns
    -------
    nodes, links, changed
        The records in force, and for each changed ``("node"|"link", id)`` the previous value of
        each key it changed (to pass as ``undone`` for another day).
    """
    undone = undone or {}
    active = [
        (d, periods[0])
        for d in disruptions
        if (periods := periods_in_force(d, day, announced=announced))
    ]
    out: tuple[dict[str, dict], dict[str, dict]] = ({}, {})
    changed: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, records, target in (("node", node_records, out[0]), ("link", link_records, out[1])):
        is_link = kind == "link"
        for record_id, record in records.items():
            layer = _Layer(_restore(record, undone.get((kind, record_id))))
            events = layer.record.get("status")
            filtered = status_events(events, announced=announced)
            if filtered != events:
                layer.put("status", filtered)
            _overlay_dated(layer, day, announced)
            for disruption, period in active:
                if not matches(disruption["where"], record_id, layer.record, is_link=is_link):
                    continue
                if disruption["kind"] == "closure":
                    _close(layer, disruption, period, day, is_link=is_link)
                else:
                    _disrupt(layer, disruption, LINK_FACTORS if is_link else NODE_FACTORS)
            target[record_id] = layer.record
            if layer.before:
                changed[(kind, record_id)] = layer.before
    return out[0], out[1], changed


# --- checks -------------------------------------------------------------------------------
def _check_dates(entry: Mapping, where: str) -> list[str]:
    problems = []
    days = {}
    for key in ("from", "until"):
        if entry.get(key) is not None:
            try:
                days[key] = parse_date(entry[key], what=key)
            except ValueError as exc:
                problems.append(f"{where} {exc}")
    if len(days) == 2 and days["until"] <= days["from"]:
        problems.append(f"{where} ends ({days['until']}) before it starts ({days['from']})")
    if entry.get("grade") is not None and entry["grade"] not in GRADES:
        problems.append(f"{where} grade {entry['grade']!r} is not one of {', '.join(GRADES)}")
    return problems


def check_grades(events: Any, where: str, *, dataset_date: dt.date | None = None) -> list[str]:
    """Check the grades of status events; return the problems found.

    An ``announced`` opening dated on or before the dataset's date needs a later ``verified``
    or ``operating`` opening that confirms it: an announced date is not an event.
    """
    if not isinstance(events, list):
        return []
    cutoff = dataset_date or settings.dataset_date
    problems = []
    for i, event in enumerate(events):
        if not isinstance(event, Mapping) or event.get("grade") is None:
            continue
        if event["grade"] not in GRADES:
            problems.append(
                f"{where}: status[{i}] grade {event['grade']!r} is not one of {', '.join(GRADES)}"
            )
            continue
        start = event.get("from")
        try:
            past = start is None or parse_date(start) <= cutoff
        except ValueError:
            continue  # the bad date is reported by the status check
        if event.get("status") != "open" or event["grade"] != "announced" or not past:
            continue
        confirmed = any(
            isinstance(later, Mapping)
            and later.get("status") == "open"
            and grade_of(later, dataset_date=cutoff) in CONFIRMING
            for later in events[i + 1 :]
        )
        if not confirmed:
            problems.append(
                f"{where}: the opening announced for {start or 'an unknown date'} (status[{i}]) "
                f"is before the dataset's date {cutoff} and nothing confirms it; add a later "
                "'open' event graded verified or operating, or move the announced date"
            )
    return problems


def check_dated(entries: Any, where: str) -> list[str]:
    """Check a record's ``dated`` list; return the problems found."""
    if entries is None:
        return []
    if not isinstance(entries, list):
        return [f"{where}: dated must be a list of {{from, until, set, source}} entries"]
    problems = []
    for i, entry in enumerate(entries):
        at = f"{where}: dated[{i}]"
        if not isinstance(entry, Mapping):
            problems.append(f"{at} is not an object")
            continue
        if not entry.get("source"):
            problems.append(f"{at} has no source; every dated figure needs one")
        problems += _check_dates(entry, at)
        values = entry.get("set")
        if not isinstance(values, Mapping) or not values:
            problems.append(f"{at} needs a non-empty 'set' of figures")
            continue
        for key, value in values.items():
            if key not in DATED_KEYS:
                problems.append(
                    f"{at} cannot set {key!r}; settable: {', '.join(sorted(DATED_KEYS))}"
                )
            elif not _is_number(value) or value < 0:
                problems.append(f"{at} {key} must be a non-negative number, not {value!r}")
    return problems


def check_records(nodes: Mapping[str, Mapping], links: Mapping[str, Mapping]) -> list[str]:
    """Check the grades and ``dated`` entries of every node and link."""
    problems = []
    for kind, records in (("node", nodes), ("link", links)):
        for record_id, props in records.items():
            where = f"{kind} {record_id!r}"
            problems += check_grades(props.get("status"), where)
            problems += check_dated(props.get("dated"), where)
    return problems


def _check_periods(periods: Any, where: str) -> list[str]:
    if not isinstance(periods, list) or not periods:
        return [f"{where}: periods must be a non-empty list of {{from, until, source}}"]
    problems = []
    for j, period in enumerate(periods):
        if not isinstance(period, Mapping) or not period.get("source"):
            problems.append(f"{where}: periods[{j}] needs from, until and a source")
            continue
        problems += _check_dates(period, f"{where}: periods[{j}]")
    return problems


def check_disruptions(
    data: Any,
    nodes: Mapping[str, Mapping],
    links: Mapping[str, Mapping],
    *,
    countries: frozenset[str] | None,
    file_name: str = "disruptions.json",
) -> tuple[list[dict], list[str]]:
    """Check the disruption records; return them and every problem found."""
    records, problems = _listed(data, "disruptions", file_name)
    out: list[dict] = []
    seen: set[str] = set()
    required = ("id", "name", "kind", "where", "periods", "source")
    for i, record in enumerate(records):
        where, head = _head(record, i, "disruption", required, file_name, seen)
        problems += head
        if where is None:
            continue
        if record["kind"] not in DISRUPTION_KINDS:
            problems.append(f"{where}: kind {record['kind']!r} is not one of closure, disruption")
        else:
            problems += _check_factors(record, where)
        problems += _check_where(record["where"], where, nodes, links, countries)
        if record.get("direction") is not None:
            problems += _check_direction(record, where, nodes, links)
        problems += _check_periods(record["periods"], where)
        out.append(dict(record))
    return out, problems


def _listed(data: Any, key: str, file_name: str) -> tuple[list[Any], list[str]]:
    """Return the list under ``key`` of a file's object, or no records and the problem."""
    records = data.get(key) if isinstance(data, Mapping) else None
    if not isinstance(records, list):
        return [], [f"{file_name}: must hold an object with a list {key!r}"]
    return records, []


def _head(
    record: Any,
    i: int,
    label: str,
    required: tuple[str, ...],
    file_name: str,
    seen: set[str],
) -> tuple[str | None, list[str]]:
    """Check that a record is an object with its required fields and a new slug id.

    Returns where the record is (``None`` when it cannot be read further) and the problems; the
    id joins ``seen``.
    """
    if not isinstance(record, Mapping):
        return None, [f"{file_name}: {label.replace(' ', '_')}s[{i}] is not an object"]
    where = f"{file_name}: {label} {record.get('id', i)!r}"
    missing = [k for k in required if not record.get(k)]
    if missing:
        return None, [f"{where}: missing required field(s) {', '.join(missing)}"]
    problems = []
    if not isinstance(record["id"], str) or not SLUG.match(record["id"]):
        problems.append(f"{where}: id must be a lower-case ASCII slug [a-z0-9_]+")
    elif record["id"] in seen:
        problems.append(f"{where}: duplicate id")
    seen.add(str(record["id"]))
    return where, problems


def _check_where(
    spec: Any,
    where: str,
    nodes: Mapping[str, Mapping],
    links: Mapping[str, Mapping],
    countries: frozenset[str] | None,
) -> list[str]:
    if not isinstance(spec, Mapping):
        return [f"{where}: where must be an object with links, nodes, tags or countries"]
    problems = [
        f"{where}: where.{key} is not one of {', '.join(WHERE_KEYS)}"
        for key in spec
        if key not in WHERE_KEYS
    ]
    for key, known in (("links", links), ("nodes", nodes)):
        for item in spec.get(key) or ():
            if item not in known:
                problems.append(f"{where}: where.{key} names {item!r}, which is not a known id")
    for code in spec.get("countries") or ():
        if not _known_country(code, countries):
            problems.append(f"{where}: where.countries has unknown country {code!r}")
    if not any(spec.get(k) for k in WHERE_KEYS):
        problems.append(f"{where}: where names nothing; give links, nodes, tags or countries")
    return problems


def _check_direction(
    record: Mapping, where: str, nodes: Mapping[str, Mapping], links: Mapping[str, Mapping]
) -> list[str]:
    """Check that a one-way closure names its elements by id and joins each one's ends."""
    direction, spec = record["direction"], record["where"]
    if record["kind"] != "closure":
        return [f"{where}: direction is for closures only (a disruption slows both ways)"]
    if not isinstance(direction, str) or direction.count(">") != 1:
        return [f"{where}: direction {direction!r} must read 'FROM>TO' (KAZ>UZB, kuryk>alat)"]
    if not isinstance(spec, Mapping) or spec.get("tags") or spec.get("countries"):
        return [
            f"{where}: a one-way closure names its links and nodes by id, not tags or countries"
        ]
    ends = set(direction.split(">"))
    problems = []
    for link_id in spec.get("links") or ():
        link = links.get(link_id)
        if link is not None and ends != {link.get("u"), link.get("v")}:
            problems.append(
                f"{where}: direction {direction} must join link {link_id}'s ends "
                f"{link.get('u')} and {link.get('v')}"
            )
    for node_id in spec.get("nodes") or ():
        node = nodes.get(node_id)
        if node is None:
            continue
        if node.get("kind") != "border":
            problems.append(
                f"{where}: node {node_id} is not a border: only crossings close one way"
            )
        elif ends != set(node_sides(node)):
            problems.append(
                f"{where}: direction {direction} must join border node {node_id}'s two sides "
                f"({' and '.join(node_sides(node))})"
            )
    return problems


def _check_factors(record: Mapping, where: str) -> list[str]:
    factors = record.get("factors")
    if record["kind"] == "closure":
        return [f"{where}: a closure has no factors (use kind disruption)"] if factors else []
    if not isinstance(factors, Mapping) or not factors:
        return [f"{where}: a disruption needs factors such as wait_h_factor = 2.0"]
    allowed = sorted(LINK_FACTORS | NODE_FACTORS)
    problems = []
    for key, value in factors.items():
        if key not in allowed:
            problems.append(f"{where}: factor {key!r} is not one of {', '.join(allowed)}")
        elif not _is_number(value) or value <= 0:
            problems.append(f"{where}: factor {key} must be a positive number, not {value!r}")
    return problems


def check_embargoes(
    data: Any, *, countries: frozenset[str] | None, file_name: str = "embargoes.json"
) -> tuple[list[dict], list[str]]:
    """Check embargo records of both kinds; return them (with ``kind`` set) and the problems.

    ``origin`` (the default): goods whose route starts in ``from_country`` may not enter
    ``to_country``. ``transit``: goods bound for ``to_country`` (from ``from_country``, or from
    anywhere when it is ``null``) may not pass through ``through_country``.
    """
    records = data.get("embargoes") if isinstance(data, Mapping) else None
    if not isinstance(records, list):
        return [], [f"{file_name}: must hold an object with a list 'embargoes'"]
    problems: list[str] = []
    out: list[dict] = []
    for i, record in enumerate(records):
        if not isinstance(record, Mapping):
            problems.append(f"{file_name}: embargoes[{i}] is not an object")
            continue
        where = f"{file_name}: embargo {show(record.get('id', i))}"
        kind = record.get("kind", "origin")
        field_problems = [
            f"{where}: {key} = {show(record[key])}: {wrong}"
            for key, rule in (
                ("except_tags", check_texts),
                ("source", check_text),
                ("note", check_text),
                ("kind", check_text),
            )
            if record.get(key) is not None and (wrong := rule(record[key]))
        ]
        if record.get("id") is not None and not (
            isinstance(record["id"], str) and SLUG.match(record["id"])
        ):
            field_problems.append(f"{where}: id must be a lower-case ASCII slug [a-z0-9_]+")
        if field_problems:
            problems += field_problems
            continue
        if kind not in EMBARGO_KINDS:
            problems.append(f"{where}: kind {kind!r} is not one of origin, transit")
            continue
        required = ["id", "to_country", "periods", "source"]
        required += ["from_country"] if kind == "origin" else ["through_country"]
        missing = [k for k in required if not record.get(k)]
        if missing:
            problems.append(f"{where}: missing required field(s) {', '.join(missing)}")
            continue
        for key in ("from_country", "to_country", "through_country"):
            if record.get(key) is not None and not _known_country(record[key], countries):
                problems.append(f"{where}: unknown country {record[key]!r} in {key}")
        if kind == "transit" and record["through_country"] == record["to_country"]:
            problems.append(
                f"{where}: through_country and to_country are both {record['to_country']}"
            )
        problems += _check_periods(record["periods"], where)
        out.append({"kind": kind, **record})
    return out, problems


def check_customs_unions(
    data: Any, *, countries: frozenset[str] | None, file_name: str = "customs_unions.json"
) -> tuple[list[dict], list[str]]:
    """Check customs-union records; return them and every problem found.

    A record is ``{"id", "name", "source", "members": [{"country", "periods"}, ...]}``: on a
    day when two countries are both members (a period of each in force), goods landed from a
    ship loaded in one pay no customs in the other.
    """
    records, problems = _listed(data, "customs_unions", file_name)
    out: list[dict] = []
    seen: set[str] = set()
    required = ("id", "name", "source", "members")
    for i, record in enumerate(records):
        where, head = _head(record, i, "customs union", required, file_name, seen)
        problems += head
        if where is None:
            continue
        problems += [
            f"{where}: {key} = {show(record[key])}: {wrong}"
            for key in ("name", "source")
            if (wrong := check_text(record[key]))
        ]
        problems += _check_members(record["members"], where, countries)
        out.append(dict(record))
    return out, problems


def _check_members(members: Any, where: str, countries: frozenset[str] | None) -> list[str]:
    if not isinstance(members, list):
        return [f"{where}: members must be a list of {{country, periods}}"]
    problems: list[str] = []
    seen: set[str] = set()
    for j, member in enumerate(members):
        if not isinstance(member, Mapping) or not member.get("country"):
            problems.append(f"{where}: members[{j}] needs a country and periods")
            continue
        country = member["country"]
        if not _known_country(country, countries):
            problems.append(f"{where}: unknown country {show(country)} in members[{j}]")
        elif country in seen:
            problems.append(f"{where}: {country} is listed twice; give it several periods")
        seen.add(str(country))
        problems += _check_periods(member.get("periods"), f"{where}: {country}")
    return problems


def customs_union_members(
    records: Iterable[Mapping], day: dt.date, *, announced: bool = False
) -> dict[str, frozenset[str]]:
    """Return the member countries of each customs union on ``day``, by union id."""
    return {
        str(record["id"]): frozenset(
            m["country"]
            for m in record.get("members") or ()
            if periods_in_force(m, day, announced=announced)
        )
        for record in records
    }


def read_disruptions(
    directory: Path,
    nodes: Mapping[str, Mapping],
    links: Mapping[str, Mapping],
    *,
    countries: frozenset[str] | None,
) -> tuple[list[dict], list[str]]:
    """Read and check ``disruptions.json`` of a dataset directory (none when it is absent)."""
    path = directory / "disruptions.json"
    if not path.is_file():
        return [], []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise DatasetError([f"disruptions.json: cannot be read as JSON ({exc})"]) from None
    return check_disruptions(data, nodes, links, countries=countries)

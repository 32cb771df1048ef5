"""Routing: the best route and alternatives that differ, on a priced routing graph.

The search runs on :mod:`scipy.sparse.csgraph` (Dijkstra in C) over arrays built once per network,
date and settings (:mod:`corridors.pricing`); constraints are masks on those arrays
(:mod:`corridors.query`). When no route exists, the message names the constraint that blocks.
"""

from __future__ import annotations

import datetime as dt
import functools
import weakref
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from .errors import NoRouteError, UsageError
from .graph import RoutingGraph, mode_of
from .network import USABLE, Network, to_date
from .pricing import routing_graph
from .query import (
    Constraints,
    Query,
    allowed_edges,
    changes_at,
    dwell_weight,
    embargo_rules,
    make_constraints,
    through_groups,
)
from .results import BorderCrossing, Dwell, Generalized, Leg, Route, Transfer
from .schema import (
    BOXES,
    FIGURE_COLUMNS,
    MAX_ALTERNATIVES,
    SOURCE_COLUMNS,
    WEIGHTS,
    check_box,
    check_weight,
)
from .search import search
from .settings import WATER_MODES, Settings, settings

if TYPE_CHECKING:
    pass

__all__ = [
    "BOXES",
    "FIGURE_COLUMNS",
    "MAX_ALTERNATIVES",
    "SOURCE_COLUMNS",
    "WEIGHTS",
    "BorderCrossing",
    "Dwell",
    "Leg",
    "Route",
    "RoutingGraph",
    "Transfer",
    "alternatives",
    "explain_no_route",
    "route",
    "routing_graph",
]


_MAX_PENALTY_POWER = 60  # penalty**60 already bars a link; higher powers overflow a float


def _stops(rg: RoutingGraph, places: Sequence[str], net: Network) -> list[list[int]]:
    stops = [_starts(rg, places[0], net)] if places else []
    stops += [rg.by_place.get(place, []) for place in places[1:]]
    return stops


def _starts(rg: RoutingGraph, place: str, net: Network) -> list[int]:
    """Routing nodes a trip from ``place`` may start at (found once per graph and place)."""
    known = rg.weights_cache.setdefault("starts", {})
    if place not in known:  # start on land, or on a ship loaded in this country
        country = net.usable_nodes.get(place, {}).get("country")
        known[place] = [
            m
            for m in rg.by_place.get(place, [])
            if rg.nodes[m][2] == country or mode_of(rg.nodes[m][1]) not in WATER_MODES
        ]
    return known[place]


_T = TypeVar("_T")


def _frozen(cls: type[_T], **values: Any) -> _T:
    """Return an instance of the frozen dataclass ``cls`` from every one of its fields.

    A frozen dataclass's ``__init__`` sets its fields one ``object.__setattr__`` at a time; a
    route builds dozens of legs, and that was a fifth of a route's time. The instance is the
    same (equal, same hash and repr); every field must be given.
    """
    fields = cls.__dataclass_fields__  # type: ignore[attr-defined]
    if values.keys() != fields.keys():
        raise TypeError(f"{cls.__name__} needs every field: {', '.join(fields)}")
    made = object.__new__(cls)
    made.__dict__.update(values)
    return made


def _build_route(
    rg: RoutingGraph, net: Network, path: Sequence[int], origin: str, destination: str, weight: str
) -> Route:
    """Return the route of ``path``; its legs, transfers and crossings are made on first use."""
    return Route.deferred(
        origin=origin,
        destination=destination,
        weight=weight,
        as_of=net.as_of,
        box=rg.box,
        make=functools.partial(_route_fields, rg, net, path, origin),
    )


def _route_fields(
    rg: RoutingGraph, net: Network, path: Sequence[int], origin: str
) -> dict[str, Any]:
    """Return the fields of :data:`~corridors.results.DEFERRED_FIELDS` of the route ``path``."""
    legs: list[Leg] = []
    transfers: list[Transfer] = []
    borders: list[BorderCrossing] = []
    steps: list[Leg | Transfer | BorderCrossing | Dwell] = []
    geometry: list[list[tuple[float, float]]] = []
    risks: list[tuple[int, float, str]] = []  # (step, USD per box, source)
    # an edge's steps are the same on every route of the graph (frozen): made once per graph
    made = rg.weights_cache.setdefault("steps", {})
    for e in path:
        record = rg.edges[e]
        if "risk" in record:  # paid by the leg, or by the crossing appended below
            crossing_too = record["kind"] != "link" and record["transfer"]
            risks.append((len(steps) + (1 if crossing_too else 0), *record["risk"]))
        found = made.get(e)
        if found is None:
            found = made[e] = _edge_steps(rg, net, e)
        leg, coords, transfer, border = found
        if leg is not None:
            legs.append(leg)
            steps.append(leg)
            geometry.append(list(coords))  # the route's own list: callers may change it
            continue
        if transfer is not None:
            transfers.append(transfer)
            steps.append(transfer)
        if border is not None:
            borders.append(border)
            steps.append(border)
    places = [origin] + [leg.to_node for leg in legs]
    dwells = []
    if path and len(rg.dwell_h):
        for kind, node in (
            ("origin", int(rg.tail[path[0]])),
            ("destination", int(rg.head[path[-1]])),
        ):
            if rg.dwell_h[node]:
                place, service, _ = rg.nodes[node]
                dwells.append(
                    Dwell(place, kind, service, float(rg.dwell_h[node]), rg.dwell_provenance[node])
                )
    if dwells and dwells[0].kind == "origin":
        steps.insert(0, dwells[0])
        risks = [(i + 1, usd, src) for i, usd, src in risks]
    steps += [d for d in dwells if d.kind == "destination"]
    return {
        "nodes": dedupe(places),
        "legs": legs,
        "transfers": transfers,
        "border_crossings": borders,
        "countries": _ordered_countries(rg, path),
        "steps": steps,
        "leg_coords": geometry,
        "dwells": dwells,
        "generalized": Generalized(
            rg.value_of_time_usd_per_h,
            rg.carbon_price_usd_per_t,
            tuple(risks),
            rg.generalized_provenance,
        ),
    }


def _edge_steps(
    rg: RoutingGraph, net: Network, e: int
) -> tuple[Leg | None, Sequence[tuple[float, float]], Transfer | None, BorderCrossing | None]:
    """Return the leg and its vertices, or the transfer and crossing, of edge ``e``."""
    record = rg.edges[e]
    parts = {name: values[e].item() for name, values in rg.parts.items()}
    if record["kind"] == "link":
        q = {name: values[e].item() for name, values in rg.quantities.items()}
        link = net.usable_links[record["link"]]
        coords = link["coords"] if record["from"] == link["u"] else link["coords"][::-1]
        leg = _frozen(
            Leg,
            link=record["link"],
            from_node=record["from"],
            to_node=record["to"],
            mode=record["mode"],
            gauge_mm=record["gauge_mm"],
            country=record["country"],
            distance_km=q["distance_km"],
            time_h=q["time_h"],
            cost_usd=q["cost_usd"],
            co2_kg=q["co2_kg"],
            wait_h=parts["wait_h"] if parts else record["wait_h"],
            tags=record["tags"],
            provenance=record["provenance"],
        )
        return leg, coords, None, None
    transfer = border = None
    if record["transfer"]:
        transfer = _frozen(
            Transfer,
            at=record["at"],
            kind=record["transfer"],
            from_service=record["from_service"],
            to_service=record["to_service"],
            hours=parts["transfer_h"] if parts else record["transfer_h"],
            cost_usd=record["transfer_usd"],
            co2_kg=record["transfer_co2"],
            provenance=record["transfer_provenance"],
        )
    if record["border"]:
        border = _frozen(
            BorderCrossing,
            at=record["at"],
            from_country=record["border"][0],
            to_country=record["border"][1],
            hours=parts["border_h"] if parts else record["border_h"],
            cost_usd=record["border_usd"],
            provenance=record["border_provenance"],
        )
    return None, (), transfer, border


def _ordered_countries(rg: RoutingGraph, path: Sequence[int]) -> list[str]:
    """Countries in travel order: the sides passed and the countries of links (canals)."""
    seq: list[str | None] = [rg.node_country[rg.tail[path[0]]]] if path else []
    for e in path:
        record = rg.edges[e]
        if record["kind"] == "link":
            seq.append(record["country"])
        seq.append(rg.node_country[rg.head[e]])
    return [c for c in dedupe(seq) if c]


def dedupe(items: Sequence[Any]) -> list[Any]:
    """Drop ``None`` and consecutive repeats."""
    out: list[Any] = []
    for item in items:
        if item is not None and (not out or out[-1] != item):
            out.append(item)
    return out


def _with_embargoes(
    c: Constraints, rules: tuple[tuple[str, str, tuple[str, ...], str], ...]
) -> Constraints:
    """Return ``c`` with the embargo ``rules`` (the same object for the same two, remembered)."""
    key = (c, rules)
    found = _EMBARGOED.get(key)
    if found is None:
        if len(_EMBARGOED) >= _EMBARGOED_MOST:
            _EMBARGOED.pop(next(iter(_EMBARGOED)))
        found = _EMBARGOED[key] = Constraints(**{**c.__dict__, "embargoes": rules})
    return found


# constraints with their embargo rules: a comparison asks the same few for every pair
_EMBARGOED: dict[tuple[Constraints, tuple], Constraints] = {}
_EMBARGOED_MOST = 256


def _prepare(
    net: Network,
    origin: str,
    destination: str,
    *,
    weight: str | None,
    as_of: str | dt.date | None,
    embargoes: bool = True,
    box: int = 20,
    factors: Settings | None = None,
    graph: RoutingGraph | None = None,
    **constraints: Any,
) -> tuple[Network, RoutingGraph, str, str, Constraints, str]:
    box = check_box(box)
    if as_of is not None:
        net = net.at(as_of, announced=net.announced)
    weight = check_weight(weight or "time")
    o = net.resolve(origin)
    d = net.resolve(destination)
    if o == d:
        raise UsageError(f"origin and destination are the same place ({o!r})")
    c = make_constraints(net, **constraints)
    if embargoes:
        c = _with_embargoes(c, embargo_rules(net, o, d))
    for place in (o, d, *c.via):
        country = net.node_records[place].get("country")
        if country in c.avoid_countries:
            raise UsageError(f"{place!r} lies in {country}, which the route must avoid")
        if place not in net.usable_nodes:
            raise NoRouteError(f"{place!r} does not exist yet as of {net.as_of}")
    if graph is None:
        graph = routing_graph(net, factors=factors, box=box)
    return net, graph, o, d, c, weight


def _base_weights(rg: RoutingGraph, c: Constraints, weight: str) -> np.ndarray:
    """Return the weight of each edge, ``inf`` where ``c`` forbids it (read-only, remembered).

    Remembered per graph, weight and constraints (a comparison's pairs share them, embargoes
    differ only by couple of countries); read-only, so the search may keep its matrix data.
    """
    cache = rg.weights_cache.setdefault("weights", {})
    key = (weight, c)
    found = cache.get(key)
    if found is None:
        found = np.where(allowed_edges(rg, c), rg.quantities[WEIGHTS[weight]], np.inf)
        found.flags.writeable = False
        if len(cache) >= _WEIGHTS_PER_GRAPH:
            cache.pop(next(iter(cache)))
        cache[key] = found
    return found


_WEIGHTS_PER_GRAPH = 64


def _best_path(
    net: Network, rg: RoutingGraph, o: str, d: str, c: Constraints, weight: str
) -> list[int] | None:
    stops = _stops(rg, [o, *c.via, d], net)
    return search(
        rg,
        _base_weights(rg, c, weight),
        stops,
        through_groups(rg, c),
        dwell=dwell_weight(rg, weight),
        barred=changes_at(rg, (o, d)),
    )


def route(
    net: Network,
    origin: str,
    destination: str,
    query: Query | None = None,
    *,
    factors: Settings | None = None,
    graph: RoutingGraph | None = None,
    **keywords: Any,
) -> Route:
    """Return the best route between two places on a priced graph (no scenarios here).

    Parameters
    ----------
    net
        The network (its records and date).
    origin, destination
        Place ids, names or aliases.
    query
        What is asked (:class:`~corridors.query.Query`); ``keywords`` narrow it.
    factors
        Settings that price the graph; the session's when ``None``.
    graph
        A priced routing graph of ``net`` (:func:`corridors.price`), e.g. re-priced with drawn
        waits; priced from ``net`` and ``factors`` when ``None``.
    **keywords
        Fields of :class:`~corridors.query.Query` (``weight``, ``modes``, ``avoid_countries``…).

    Returns
    -------
    Route
    """
    return alternatives(
        net, origin, destination, query, k=1, factors=factors, graph=graph, **keywords
    )[0]


def explain_no_route(
    net: Network, rg: RoutingGraph, o: str, d: str, c: Constraints, weight: str
) -> str:
    """Say which constraint blocks a route: the one that really does, not every suspect.

    The message of the :class:`~corridors.errors.NoRouteError` that :func:`route` raises when
    the search on ``rg`` with constraints ``c`` (embargoes included) finds nothing.
    """
    base = f"no route from {o!r} to {d!r} as of {net.as_of}"
    for place in (o, *c.via, d):  # a place no open link reaches blocks whatever else is asked
        if not rg.by_place.get(place):
            return f"{base}: {place!r} has no open link on that date ({_links_at(net, place)})"
    for tag in c.through_tags:  # a requirement nothing open on the date can meet
        if len(rg.by_tag.get(tag, ())) == 0:
            tagged = [i for i, p in net.link_records.items() if tag in (p.get("tags") or ())]
            return f"{base}: no link tagged {tag} is open on that date ({_not_open(net, tagged)})"
    for country in c.through_countries:
        if len(rg.enters_country.get(country, ())) == 0:
            closures = [
                f"{x['id']} ({x['name']})"
                for x in net.disruptions_in_force()
                if country in (x["where"].get("countries") or ())
            ]
            why = f": closed by {'; '.join(closures)}" if closures else ""
            return f"{base}: no link in {country} is open on that date{why}"
    if c.through_tags or c.through_countries:
        missing = _closed_on_the_way(net, o, d, c, weight)
        if missing:
            return f"{base}: the route it asks for needs what is not open then: {missing}"
    blocking = []
    for name, text in c.describe():
        relaxed = Constraints(**{**c.__dict__, name: None if name == "modes" else ()})
        if _best_path(net, rg, o, d, relaxed, weight) is not None:
            blocking.append(text)
    one_way = _one_way_today(net)
    if blocking:
        why = f"; {one_way}" if one_way else ""
        return f"{base}: blocked by {' and by '.join(blocking)} (a route exists without it{why})"
    described = "; ".join(text for _, text in c.describe())
    why = f" ({one_way})" if one_way else ""
    if described:
        return f"{base} with {described}; the links open on that date do not connect them{why}"
    return f"{base}: the links open on that date do not connect them{why}"


def _one_way_today(net: Network) -> str:
    """Name the borders open one way and the links closed one way on the network's date."""
    borders = [f"{i} {way} only" for i in net.usable_nodes if (way := net.border_one_way(i))]
    links = [
        f"{i} closed {way} by {by}"
        for i, p in net.usable_links.items()
        for way, by in zip(
            p.get("closed_directions", ()), p.get("closed_one_way_by", ()), strict=True
        )
    ]
    parts = []
    if borders:
        parts.append(f"borders open one way that day: {', '.join(borders)}")
    if links:
        parts.append(f"links closed one way that day: {', '.join(links)}")
    return "; ".join(parts)


def _closed_on_the_way(net: Network, o: str, d: str, c: Constraints, weight: str) -> str | None:
    """Name what is not open on the best route that *would* meet ``c`` were everything open.

    A family that must use the Zangezur line is blocked by the line not being built yet, not
    by its wish to pass through Armenia; this finds the links and crossings that stand between.
    """
    always = [{"status": USABLE, "from": None, "source": "every element open (explanation)"}]
    built = net.replace(
        node_records={i: {**p, "status": always} for i, p in net.node_records.items()},
        link_records={i: {**p, "status": always} for i, p in net.link_records.items()},
    )
    rg = routing_graph(built)
    path = _best_path(built, rg, o, d, c, weight)
    if path is None:
        return None
    closed: list[str] = []
    for e in path:
        record = rg.edges[e]
        if record["kind"] == "link" and record["link"] not in net.usable_links:
            closed.append(_status_text(net, record["link"]))
        elif record["kind"] == "change" and net.node_status(record["at"]) != USABLE:
            closed.append(_status_text(net, record["at"], node=True))
    closed = list(dict.fromkeys(closed))
    if len(closed) > 4:
        closed = [*closed[:4], f"and {len(closed) - 4} more"]
    text = "; ".join(closed)
    return text + _closures_named(net, text) if text else None


def _status_text(net: Network, element: str, *, node: bool = False) -> str:
    """Return ``"<id> <status> since <date>, <next event>"`` for an element not open on the date."""
    records = net.node_records if node else net.link_records
    events = records[element].get("status") or ()
    status = (net.node_status(element) if node else net.link_status(element)) or "not yet begun"
    since = ""
    upcoming = ""
    by_id = {x["id"]: x for x in net.disruptions_in_force()}
    for event in events:
        start = event.get("from")
        day = None if start is None else to_date(start)
        if event.get("ignored"):  # an announced opening: a date, not an event
            if not upcoming:
                upcoming = f", opening announced for {day}"
        elif day is None or day <= net.as_of:
            since = f" since {day}" if day else ""
            if event.get("closed_by") in by_id:
                since += f" by {event['closed_by']}"
        elif not upcoming:
            what = "opening" if event["status"] == USABLE else event["status"].replace("_", " ")
            upcoming = f", {what} on {day}"
    return f"{element} {status.replace('_', ' ')}{since}{upcoming}"


def _not_open(net: Network, link_ids: Sequence[str], *, most: int = 3) -> str:
    shown = [_status_text(net, link) for link in link_ids[:most]]
    more = f"; {len(link_ids) - most} more" if len(link_ids) > most else ""
    text = "; ".join(shown) + more if shown else "no such link in the data"
    return text + _closures_named(net, text)


def _closures_named(net: Network, text: str) -> str:
    """Name, once, each closure (``disruptions.json``) that ``text`` refers to by id."""
    named = [
        f"{x['id']}: {x['name']}" for x in net.disruptions_in_force() if f"by {x['id']}" in text
    ]
    return f" — {'; '.join(named)}" if named else ""


def _links_at(net: Network, place: str) -> str:
    known = _LINKS_AT.setdefault(net, {})  # the same text for every pair of a matrix
    if place not in known:
        links = [i for i, p in net.link_records.items() if place in (p["u"], p["v"])]
        known[place] = _not_open(net, links)
    return known[place]


# per network: the status of the links at a place, as no-route messages quote it
_LINKS_AT: weakref.WeakKeyDictionary[Network, dict[str, str]] = weakref.WeakKeyDictionary()


def alternatives(
    net: Network,
    origin: str,
    destination: str,
    query: Query | None = None,
    *,
    k: int = 3,
    share_factor: float | None = None,
    penalty: float = 1.6,
    factors: Settings | None = None,
    graph: RoutingGraph | None = None,
    **keywords: Any,
) -> list[Route]:
    """Return up to ``k`` routes that differ materially, best first (no scenarios here).

    The first is :func:`route`'s answer. Further candidates come from searches in which the links
    of the routes already found cost ``penalty`` times more (the penalty method); a candidate is
    kept only if no more than ``share_factor`` of its length (relative to the shorter of the two)
    runs on links of a route already kept, so alternatives are not near-copies of the best
    (openrouteservice's ``share_factor``).

    Parameters
    ----------
    net, origin, destination, query, factors, graph, **keywords
        As for :func:`route`.
    k
        Most routes to return (1 to :data:`~corridors.schema.MAX_ALTERNATIVES`).
    share_factor
        Largest share, 0–1, an alternative may have in common with a better route; the settings'
        ``share_factor`` when ``None``.
    penalty
        Factor by which a used link's weight grows per route that uses it (> 1).

    Returns
    -------
    list of Route
        Sorted by the query's weight; distinct link sequences.
    """
    q = (query or Query()).narrowed(**keywords) if keywords else (query or Query())
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_ALTERNATIVES:
        raise UsageError(
            f"k must be a whole number from 1 to {MAX_ALTERNATIVES}, not {k!r} "
            "(alternatives that share little run out long before)"
        )
    if penalty <= 1:
        raise UsageError(f"penalty must be greater than 1, not {penalty!r}")
    share = (factors or settings).share_factor if share_factor is None else float(share_factor)
    if not 0 <= share <= 1:
        raise UsageError(f"share_factor must lie between 0 and 1, not {share_factor!r}")
    net, rg, o, d, c, weight = _prepare(
        net,
        origin,
        destination,
        weight=q.weight,
        as_of=q.as_of,
        embargoes=q.embargoes,
        box=q.box,
        factors=factors,
        graph=graph,
        **q.constraints(),
    )
    stops = _stops(rg, [o, *c.via, d], net)
    through = through_groups(rg, c)
    dwell = dwell_weight(rg, weight)
    barred = changes_at(rg, (o, d))
    first = search(rg, _base_weights(rg, c, weight), stops, through, dwell=dwell, barred=barred)
    if first is None:
        raise NoRouteError(explain_no_route(net, rg, o, d, c, weight))
    kept = [first]
    uses: dict[str, int] = defaultdict(int)
    if k > 1:  # the weights the penalties multiply (one route needs none)
        base = _base_weights(rg, c, weight).copy()
        base[barred] = np.inf
    for _ in range(4 * k + 4):
        if len(kept) >= k:
            break
        for link in {rg.link_ids[e] for e in kept[-1]} - {""}:
            uses[link] += 1
        factor = np.ones(len(base))
        for link, count in uses.items():
            factor[rg.by_link[link]] = np.power(penalty, min(count, _MAX_PENALTY_POWER))
        weights = base * factor
        candidate = search(rg, weights, stops, through, dwell=dwell)
        if candidate is None:
            break
        if all(_shared_share(rg, candidate, p) <= share for p in kept):
            kept.append(candidate)
        else:  # too close to a kept route: push the next search further away
            for link in {rg.link_ids[e] for e in candidate} - {""}:
                uses[link] += 1
    routes = [_build_route(rg, net, p, o, d, weight) for p in kept]
    if len(routes) == 1:  # nothing to sort: the route's steps stay unmade until read
        return routes
    return sorted(routes, key=lambda r: r.total(weight))


def _link_km(rg: RoutingGraph, path: Sequence[int]) -> dict[str, float]:
    km = rg.quantities["distance_km"]
    return {rg.link_ids[e]: float(km[e]) for e in path if rg.link_ids[e]}


def _shared_share(rg: RoutingGraph, a: Sequence[int], b: Sequence[int]) -> float:
    la, lb = _link_km(rg, a), _link_km(rg, b)
    shared = sum(km for link, km in la.items() if link in lb)
    shorter = min(sum(la.values()), sum(lb.values()))
    return shared / shorter if shorter > 0 else 1.0

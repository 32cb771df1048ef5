"""Many-to-many skims: time, cost, distance and CO2 between every origin and destination.

A skim is what :func:`corridors.route` would give for each pair, computed with one multi-source
search per group of origins instead of one search per pair.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import chain, groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import routing
from .errors import NoRouteError, UsageError
from .graph import RoutingGraph, mode_of
from .network import Network
from .pricing import routing_graph
from .query import (
    Constraints,
    Query,
    allowed_edges,
    changes_at,
    dwell_weight,
    embargo_rules,
    make_constraints,
)
from .results import Route
from .schema import WATER_MODES, WEIGHTS, check_weight
from .search import EPSILON, search
from .settings import Settings

if TYPE_CHECKING:
    import pandas as pd

    from .scenarios import Scenario

__all__ = ["SKIM_COLUMNS", "skim"]


SKIM_COLUMNS = [
    "origin",
    "destination",
    "weight",
    "total",
    "time_h",
    "cost_usd",
    "distance_km",
    "co2_kg",
    "countries",
    "borders",
    "transfers",
    "reason",
]
"""Columns of :func:`skim`: place ids, the weight minimised and its ``total`` in its unit, the
route's figures (h, USD per box, km, kg CO2e per box), the countries crossed (``CHN-KAZ-…``),
the numbers of border crossings and transfers, and why a pair has no route (empty otherwise)."""


# a quantity name is accepted for its weight ("time_h" for "time"), as the columns are named
_WEIGHT_OF_QUANTITY = {quantity: name for name, quantity in WEIGHTS.items()}


def skim(
    net: Network,
    origins: Iterable[str],
    destinations: Iterable[str],
    *,
    weight: str | None = None,
    query: Query | None = None,
    as_of: str | dt.date | None = None,
    scenario: str | Path | Scenario | None = None,
    factors: Settings | None = None,
    graph: RoutingGraph | None = None,
    **keywords: Any,
) -> pd.DataFrame:
    """Return the best route's figures for every origin and destination, one row per pair.

    The numbers are those of :func:`corridors.route` for each pair (same route, same figures),
    computed with multi-source searches on the priced routing graph rather than a loop of
    single routes.

    How the search reproduces a single route: :func:`corridors.route` starts at any routing
    node of the origin (a start on water only where the ship is loaded in the origin's
    country), pays the terminal dwell where it starts and where it ends (time only), and bars a
    change of gauge or mode *at* the origin or the destination (the dwell covers loading). Here
    every routing node gets two copies: a *departure* copy with the node's outgoing edges less
    its changes of gauge or mode, and an *arrival* copy reached by the node's incoming edges
    less those changes. One Dijkstra with ``indices=`` the departure copies of every origin's
    start nodes (``scipy.sparse.csgraph.dijkstra``) then gives, read at the arrival copies,
    what the single search gives for every destination; the dwell is added to each row and each
    column as the single search adds it, and ties resolve in the same order. A walk that uses a
    change at its origin or destination *between* its ends (leaving and coming back) is not a
    route :func:`corridors.route` allows; such a pair, rare, and any pair whose query needs
    via-places or places to pass through (a layered search), is routed singly.

    Pairs are grouped by the embargoes that bind them (they depend on the origin's and the
    destination's countries): one search per group.

    Parameters
    ----------
    net
        Network from :func:`corridors.load_network`.
    origins, destinations
        Place ids, names or aliases.
    weight
        What to minimise: ``"time"``, ``"distance"``, ``"cost"`` or ``"co2"`` (or the column
        name, ``"time_h"``…); the scenario's weight, else time, when ``None``.
    query
        A :class:`~corridors.query.Query`; ``keywords`` (its fields: ``modes``,
        ``avoid_countries``…) narrow it.
    as_of
        Date whose network to use; the network's own (or the scenario's) when ``None``.
    scenario
        A bundled scenario name, a path to a scenario file, or a
        :class:`~corridors.scenarios.Scenario`.
    factors
        Settings that price the graph; the scenario's, else the session's, when ``None``.
    graph
        A priced routing graph of the network on its date (:func:`corridors.price`), e.g.
        re-priced with congested or drawn waits (:func:`corridors.reprice`); priced from the
        network and ``factors`` when ``None``.
    **keywords
        Fields of :class:`~corridors.query.Query`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SKIM_COLUMNS`, one row per (origin, destination), origins in the order
        given, destinations within each. A pair with no route has NaN figures and a ``reason``
        (the message :func:`corridors.route` would raise); so has a pair of one place twice.
        For the sources of a pair's figures, ask :func:`corridors.route` for that pair.

    Raises
    ------
    UsageError
        For an unknown place, weight, mode, country, tag or link (nothing is computed).

    Examples
    --------
    >>> import corridors as cr
    >>> net = cr.load_network(as_of="2026-11-29")
    >>> table = cr.skim(net, ["xian", "almaty"], ["duisburg", "istanbul"])
    >>> len(table), list(table["destination"][:2])
    (4, ['duisburg', 'istanbul'])
    """
    import pandas as pd

    if weight is not None:
        weight = _WEIGHT_OF_QUANTITY.get(weight, weight)
        check_weight(weight)
    q = query or Query()
    asked = {"weight": weight, "as_of": as_of, **keywords}
    q = q.narrowed(**{k: v for k, v in asked.items() if v is not None})
    if scenario is not None:
        from .scenarios import routing_inputs

        net, scenario_factors, q = routing_inputs(scenario, net, q)
        factors = factors or scenario_factors
    if q.as_of is not None:
        net = net.at(q.as_of, announced=net.announced)
        q = dataclasses.replace(q, as_of=None)
    weight = check_weight(q.weight or "time")
    q = dataclasses.replace(q, weight=weight)
    if isinstance(origins, str) or isinstance(destinations, str):
        raise UsageError("origins and destinations must be lists of places, not one string")
    o_ids = [net.resolve(p) for p in origins]
    d_ids = [net.resolve(p) for p in destinations]
    if not o_ids or not d_ids:
        raise UsageError("skim needs at least one origin and one destination")
    base = make_constraints(net, **q.constraints())  # checked once for every pair
    rg = graph if graph is not None else routing_graph(net, factors=factors, box=q.box)

    rows: dict[tuple[str, str], dict[str, Any]] = {}
    groups: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    # embargoes bind by the origin's and the destination's countries: one look-up per couple
    rules_of: dict[tuple[str | None, str | None], tuple] = {}
    for o in dict.fromkeys(o_ids):
        for d in dict.fromkeys(d_ids):
            why = _not_routable(net, o, d, base)
            if why is not None:
                rows[(o, d)] = _empty_row(o, d, weight, why)
            elif base.via or base.through_countries or base.through_tags:
                rows[(o, d)] = _single(net, rg, o, d, q, factors)
            else:
                couple = (net.node_records[o].get("country"), net.node_records[d].get("country"))
                if couple not in rules_of:
                    rules_of[couple] = embargo_rules(net, o, d) if q.embargoes else ()
                groups[rules_of[couple]].append((o, d))
    for rules, pairs in groups.items():
        c = dataclasses.replace(base, embargoes=rules)
        rows.update(_skim_group(net, rg, pairs, c, q, factors))
    table = pd.DataFrame([rows[(o, d)] for o in o_ids for d in d_ids], columns=SKIM_COLUMNS).astype(
        {"borders": "Int64", "transfers": "Int64"}
    )
    return table


def _not_routable(net: Network, o: str, d: str, c: Constraints) -> str | None:
    """Return why ``cr.route`` would refuse the pair before searching, or ``None``."""
    if o == d:
        return f"origin and destination are the same place ({o!r})"
    for place in (o, d, *c.via):
        country = net.node_records[place].get("country")
        if country in c.avoid_countries:
            return f"{place!r} lies in {country}, which the route must avoid"
        if place not in net.usable_nodes:
            return f"{place!r} does not exist yet as of {net.as_of}"
    return None


def _empty_row(o: str, d: str, weight: str, reason: str) -> dict[str, Any]:
    nan = float("nan")
    return {
        "origin": o,
        "destination": d,
        "weight": weight,
        "total": nan,
        "time_h": nan,
        "cost_usd": nan,
        "distance_km": nan,
        "co2_kg": nan,
        "countries": "",
        "borders": None,
        "transfers": None,
        "reason": reason,
    }


def _route_row(r: Route, weight: str) -> dict[str, Any]:
    return {
        "origin": r.origin,
        "destination": r.destination,
        "weight": weight,
        "total": r.total(weight),
        "time_h": r.time_h,
        "cost_usd": r.cost_usd,
        "distance_km": r.distance_km,
        "co2_kg": r.co2_kg,
        "countries": "-".join(r.countries),
        "borders": len(r.border_crossings),
        "transfers": len(r.transfers),
        "reason": "",
    }


def _single(
    net: Network, rg: RoutingGraph, o: str, d: str, q: Query, factors: Settings | None
) -> dict[str, Any]:
    """Route one pair as :func:`corridors.route` does (the exact fallback)."""
    try:
        found = routing.route(net, o, d, q, factors=factors, graph=rg)
    except NoRouteError as exc:
        return _empty_row(o, d, str(q.weight), str(exc))
    return _route_row(found, str(q.weight))


def _start_nodes(net: Network, rg: RoutingGraph, place: str) -> list[int]:
    """Routing nodes a trip from ``place`` may start at: on land, or on a ship loaded there."""
    country = net.usable_nodes.get(place, {}).get("country")
    return [
        m
        for m in rg.by_place.get(place, [])
        if rg.nodes[m][2] == country or mode_of(rg.nodes[m][1]) not in WATER_MODES
    ]


@dataclasses.dataclass(frozen=True)
class _EdgeFacts:
    """Per edge of a routing graph, what a skim row sums or counts (built once per graph)."""

    changes_at: dict[str, frozenset[int]]  # per place, its changes of gauge or mode
    border: np.ndarray  # bool: a border crossing
    transfer: np.ndarray  # bool: a change of gauge or mode
    countries: list[tuple[str, ...]]  # the link's country, then the head node's (no None)


def _edge_facts(rg: RoutingGraph) -> _EdgeFacts:
    cache = rg.skim_cache
    if "facts" not in cache:
        transfer = np.zeros(len(rg.edges), dtype=bool)
        for changes in rg.changes_by_place.values():
            transfer[changes] = True
        cache["facts"] = _EdgeFacts(
            changes_at={p: frozenset(e.tolist()) for p, e in rg.changes_by_place.items()},
            border=np.asarray([bool(e.get("border")) for e in rg.edges], dtype=bool),
            transfer=transfer,
            countries=[
                tuple(
                    c
                    for c in (
                        e.get("country") if e["kind"] == "link" else None,
                        rg.node_country[rg.head[i]],
                    )
                    if c is not None
                )
                for i, e in enumerate(rg.edges)
            ],
        )
    return cache["facts"]


def _skim_group(
    net: Network,
    rg: RoutingGraph,
    pairs: Sequence[tuple[str, str]],
    c: Constraints,
    q: Query,
    factors: Settings | None,
) -> dict[tuple[str, str], dict[str, Any]]:
    """Skim ``pairs`` that share constraints ``c`` with one multi-source search."""
    from scipy.sparse.csgraph import dijkstra

    weight = str(q.weight)
    n = len(rg.nodes)
    facts = _edge_facts(rg)
    weights = np.where(allowed_edges(rg, c), rg.quantities[WEIGHTS[weight]], np.inf)
    end_dwell = dwell_weight(rg, weight)  # as route prices a trip's ends
    dwell = np.zeros(n) if end_dwell is None else end_dwell
    matrix, keys, idx = _copied_graph(rg, facts, weights)

    by_origin: dict[str, list[str]] = defaultdict(list)
    for o, d in pairs:
        by_origin[o].append(d)
    starts = {o: _start_nodes(net, rg, o) for o in by_origin}
    sources = [n + s for o in by_origin for s in starts[o]]
    if sources:
        dist, pred = dijkstra(matrix, indices=sources, return_predecessors=True)
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    found: dict[tuple[str, str], np.ndarray] = {}
    walked: dict[int, list[int]] = {}  # predecessor rows as lists, for walking back in Python
    row = 0
    for o, ds in by_origin.items():
        members = starts[o]
        block = slice(row, row + len(members))
        row += len(members)
        ends_of = [rg.by_place.get(d, []) if members else [] for d in ds]
        flat = [t for ends in ends_of for t in ends]
        lengths = np.asarray([len(ends) for ends in ends_of], dtype=np.int64)
        chosen = np.full(len(ds), -1, dtype=np.int64)  # per destination: its end in ``flat``
        if flat:
            # as the single search: per end node the cheapest start (the first of equals),
            # then per destination the cheapest end with its dwell (the first of equals)
            totals = dwell[members][:, None] + dist[block][:, [2 * n + t for t in flat]]
            best_start = np.argmin(totals, axis=0)
            best = totals[best_start, np.arange(len(flat))]
            value = np.where(np.isfinite(best), best + dwell[flat], np.inf)
            segment = np.repeat(np.arange(len(ds)), lengths)
            least = np.full(len(ds), np.inf)
            np.minimum.at(least, segment, value)
            hits = np.flatnonzero(np.isfinite(value) & (value == least[segment]))
            first = np.ones(len(hits), dtype=bool)
            first[1:] = segment[hits[1:]] != segment[hits[:-1]]
            chosen[segment[hits[first]]] = hits[first]
        for i, d in enumerate(ds):
            path = None
            j = int(chosen[i])
            if j >= 0:
                k = block.start + int(best_start[j])
                if k not in walked:
                    walked[k] = pred[k].tolist()
                walk_keys = _walk_back(walked[k], 2 * n + flat[j], n + members[int(best_start[j])])
                path = idx[np.searchsorted(keys, walk_keys)]
            if path is None:
                reason = routing.explain_no_route(net, rg, o, d, c, weight)
                rows[(o, d)] = _empty_row(o, d, weight, reason)
            elif _changes_at_ends(facts, path, o, d):
                # a walk that leaves an end and changes gauge or mode there on its way back,
                # which route does not allow: searched singly, as route searches
                barred = weights.copy()
                barred[changes_at(rg, (o, d))] = np.inf
                single = search(rg, barred, [members, rg.by_place[d]], (), dwell=end_dwell)
                if single is None:
                    reason = routing.explain_no_route(net, rg, o, d, c, weight)
                    rows[(o, d)] = _empty_row(o, d, weight, reason)
                else:
                    found[(o, d)] = np.asarray(single, dtype=np.int64)
            else:
                found[(o, d)] = path
    rows.update(_rows_of_paths(rg, facts, found, weight))
    return rows


def _copied_graph(
    rg: RoutingGraph, facts: _EdgeFacts, weights: np.ndarray
) -> tuple[Any, np.ndarray, np.ndarray]:
    """Return the CSR matrix of the graph with departure and arrival copies, its keys, edges.

    Nodes ``0 … n-1`` are the routing nodes; ``n + v`` is ``v``'s departure copy, where a trip
    is still at its origin: it leaves by a link, or crosses a border at the origin (to another
    departure copy), never changes gauge or mode there. ``2n + v`` is ``v``'s arrival copy,
    reached by a link or by a border crossing at the destination after one, never by a change.
    ``keys`` are ``tail * 3n + head`` of the entries, sorted, and ``idx`` each entry's edge.
    """
    from scipy.sparse import csr_matrix

    n = len(rg.nodes)
    ok = np.isfinite(weights)
    link = ok & (rg.link_ids != "")
    crossing = ok & (rg.link_ids == "") & ~facts.transfer
    moves = [
        (ok, 0, 0),  # the graph itself
        (link, n, 0),  # leave the origin by a link
        (crossing, n, n),  # cross a border at the origin before leaving it
        (link, 0, 2 * n),  # arrive by a link
        (link, n, 2 * n),  # a trip of one link
        (crossing, 2 * n, 2 * n),  # cross a border at the destination after arriving
    ]
    tail = np.concatenate([t + rg.tail[m] for m, t, _ in moves])
    head = np.concatenate([h + rg.head[m] for m, _, h in moves])
    w = np.concatenate([weights[m] for m, _, _ in moves]) + EPSILON
    idx = np.concatenate([np.flatnonzero(m) for m, _, _ in moves])
    # parallel edges: keep the cheapest, as the single search does
    order = np.lexsort((w, head, tail))
    tail, head, w, idx = tail[order], head[order], w[order], idx[order]
    first = np.ones(len(tail), dtype=bool)
    first[1:] = (tail[1:] != tail[:-1]) | (head[1:] != head[:-1])
    tail, head, w, idx = tail[first], head[first], w[first], idx[first]
    size = 3 * n
    return csr_matrix((w, (tail, head)), shape=(size, size)), tail * size + head, idx


def _changes_at_ends(facts: _EdgeFacts, path: np.ndarray, o: str, d: str) -> bool:
    """Whether a walk changes gauge or mode at its origin or destination."""
    at_o, at_d = facts.changes_at.get(o), facts.changes_at.get(d)
    if at_o is None and at_d is None:
        return False
    edges = path.tolist()
    return not ((at_o or frozenset()).isdisjoint(edges) and (at_d or frozenset()).isdisjoint(edges))


def _walk_back(pred: list[int], end: int, start: int) -> np.ndarray:
    """Return the CSR keys (``tail * size + head``) of the walk from ``start`` to ``end``."""
    chain = [end]
    while chain[-1] != start:
        chain.append(pred[chain[-1]])
    nodes = np.asarray(chain[::-1], dtype=np.int64)
    return nodes[:-1] * len(pred) + nodes[1:]


def _rows_of_paths(
    rg: RoutingGraph, facts: _EdgeFacts, paths: dict[tuple[str, str], np.ndarray], weight: str
) -> dict[tuple[str, str], dict[str, Any]]:
    """Sum each walk's figures as :class:`~corridors.results.Route` sums them."""
    if not paths:
        return {}
    walks = list(paths.values())
    every = np.concatenate(walks)
    offsets = np.concatenate([[0], np.cumsum([len(p) for p in walks])[:-1]])
    q = rg.quantities
    sums = {f: np.add.reduceat(q[f][every], offsets) for f in ("cost_usd", "distance_km", "co2_kg")}
    firsts = rg.tail[[int(p[0]) for p in walks]]
    lasts = rg.head[[int(p[-1]) for p in walks]]
    dwell = rg.dwell_h[firsts] + rg.dwell_h[lasts] if len(rg.dwell_h) else np.zeros(len(walks))
    # time as Route sums it: the edges first, then the dwell at both ends
    sums["time_h"] = np.add.reduceat(q["time_h"][every], offsets) + dwell
    borders = np.add.reduceat(facts.border[every].astype(np.int64), offsets)
    transfers = np.add.reduceat(facts.transfer[every].astype(np.int64), offsets)
    steps = facts.countries
    out = {}
    for i, ((o, d), path) in enumerate(paths.items()):
        figures = {f: float(v[i]) for f, v in sums.items()}
        # countries as Route has them: the first node's, then each link's and node's, in
        # travel order, without repeats in a row; None is skipped, empty names dropped after
        first = rg.node_country[firsts[i]]
        seq = chain([] if first is None else [first], *(steps[e] for e in path.tolist()))
        countries = [c for c, _ in groupby(seq) if c]
        out[(o, d)] = {
            "origin": o,
            "destination": d,
            "weight": weight,
            "total": figures[WEIGHTS[weight]],
            **figures,
            "countries": "-".join(countries),
            "borders": int(borders[i]),
            "transfers": int(transfers[i]),
            "reason": "",
        }
    return out

"""Pricing: hours, USD and kg CO2e of every edge of the routing graph, with their sources.

The structure of the layered graph (:mod:`corridors.graph`) is fixed per network and date;
pricing fills its arrays. Time is kept in parts (moving, departure waits, borders, transfers,
terminal dwell) so that a caller can replace the waits with drawn or congested ones
(:func:`reprice`) without rebuilding anything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import weakref
from collections import OrderedDict, defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ._validation import NUMBER_SOURCES as _NUMBER_SOURCES
from .errors import UsageError
from .graph import (
    TERMINAL_KINDS,
    RoutingGraph,
    group_edges,
    mode_of,
    service_of,
    water_sides,
)
from .network import Network, link_ways
from .schema import TIME_PARTS, WATER_MODES, WEIGHTS, Provenance, check_box
from .settings import Settings, settings

if TYPE_CHECKING:
    pass


def price(
    net: Network,
    *,
    settings: Settings | None = None,
    as_of: str | dt.date | None = None,
    box: int = 20,
) -> RoutingGraph:
    """Return the priced routing graph of ``net``: the pricing stage.

    Per edge: ``distance_km``, ``cost_usd``, ``co2_kg`` and ``time_h`` in
    :attr:`~corridors.graph.RoutingGraph.quantities`, the parts of the time
    (:data:`~corridors.schema.TIME_PARTS`: moving, departure waits, borders, transfers) in
    :attr:`~corridors.graph.RoutingGraph.parts`, terminal dwell per routing node in
    :attr:`~corridors.graph.RoutingGraph.dwell_h`, and the source of every figure in the edge
    records. Routing takes the result (``route(..., graph=priced)``); :func:`reprice` replaces
    the waits without rebuilding the graph.

    Parameters
    ----------
    net
        The network.
    settings
        Settings whose factors price the edges; the session's when ``None``.
    as_of
        Date of the network to price; the network's own when ``None``.
    box
        Container size, ft (20 or 40).

    Examples
    --------
    >>> import corridors as cr
    >>> priced = cr.price(cr.load_network(as_of="2026-11-29"))
    >>> bool((priced.quantities["time_h"] >= priced.parts["moving_h"]).all())
    True
    """
    if as_of is not None:
        net = net.at(as_of, announced=net.announced)
    return routing_graph(net, factors=settings, box=box)


def reprice(
    graph: RoutingGraph,
    *,
    wait_h: np.ndarray | None = None,
    border_h: np.ndarray | None = None,
    transfer_h: np.ndarray | None = None,
    dwell_h: np.ndarray | None = None,
) -> RoutingGraph:
    """Return ``graph`` with some waits replaced, sharing its structure (nothing is rebuilt).

    For drawn waits (reliability) or congested ones (assignment): each array has one value per
    edge (``dwell_h`` one per routing node), in hours; ``None`` keeps the graph's. The layered
    structure, its masks and its turn graph are shared with ``graph``.

    Examples
    --------
    >>> import corridors as cr
    >>> priced = cr.price(cr.load_network(as_of="2026-11-29"))
    >>> doubled = cr.reprice(priced, border_h=2 * priced.parts["border_h"])
    >>> doubled.tail is priced.tail
    True
    """
    parts = dict(graph.parts)
    for name, value in (("wait_h", wait_h), ("border_h", border_h), ("transfer_h", transfer_h)):
        if value is not None:
            array = np.asarray(value, dtype=float)
            if (
                array.shape != parts[name].shape
                or not np.isfinite(array).all()
                or (array < 0).any()
            ):
                raise UsageError(
                    f"{name} must be {parts[name].shape[0]} finite hours >= 0, one per edge"
                )
            stray = int(np.count_nonzero(array[~graph.part_edges[name]]))
            if stray:
                where = {"wait_h": "links", "border_h": "border crossings"}.get(name, "transfers")
                raise UsageError(
                    f"{name} is above 0 on {stray} edge(s) that are not {where}; "
                    f"keep those at 0 (graph.part_edges[{name!r}] marks the edges it applies to)"
                )
            parts[name] = array
    quantities = dict(graph.quantities)
    quantities["time_h"] = sum((parts[p] for p in TIME_PARTS), np.zeros(len(graph.edges)))
    quantities["generalized_usd"] = _generalized(
        quantities, graph.risk_usd, graph.value_of_time_usd_per_h, graph.carbon_price_usd_per_t
    )
    dwell = graph.dwell_h if dwell_h is None else np.asarray(dwell_h, dtype=float)
    if dwell.shape != graph.dwell_h.shape or not np.isfinite(dwell).all() or (dwell < 0).any():
        raise UsageError(f"dwell_h must be {len(graph.nodes)} finite hours >= 0, one per node")
    return dataclasses.replace(graph, quantities=quantities, parts=parts, dwell_h=dwell)


def routing_graph(net: Network, *, factors: Settings | None = None, box: int = 20) -> RoutingGraph:
    """Return the layered routing graph of ``net`` (cached per network, settings and box).

    Parameters
    ----------
    net
        The network as of its date.
    factors
        Settings whose factors price the edges; the session's settings by default.
    box
        Container size, ft: 20 (costs and CO2 per TEU) or 40 (per 40-ft box: haulage times the
        settings' ``feu_factor``, fees at borders and transfers once per box).
    """
    factors = factors or settings
    box = check_box(box)
    key = (_settings_key(factors), box)
    priced = _PRICED.get(net)
    if priced is None:
        priced = _PRICED[net] = OrderedDict()
    if key in priced:
        priced.move_to_end(key)
    else:
        if len(priced) >= _PRICED_PER_NETWORK:
            priced.popitem(last=False)
        priced[key] = _build_routing_graph(net, factors, box)
    return priced[key]


def _settings_key(factors: Settings) -> Any:
    """Return a key that changes whenever a factor of ``factors`` changes (cheap, per route).

    Every field counts, so a field that does not price anything only costs a cache miss; the
    JSON :meth:`~corridors.settings.Settings.fingerprint` is the fallback for unhashable ones.
    The key of the last look at a settings object is kept with a copy of its values: while
    they compare equal (one comparison of lists, dicts compared in C), the same key serves.
    """
    values = list(map(factors.__getattribute__, _field_names(type(factors))))
    last = _LAST_KEYS.get(id(factors))
    if last is not None and last[0]() is factors:
        try:
            if last[1] == values:
                return last[2]
        except (TypeError, ValueError):  # a value that does not compare (an array): look again
            pass
    # insertion order counts: equal dicts built in another order only miss the cache
    key = tuple(tuple(value.items()) if isinstance(value, dict) else value for value in values)
    try:
        hash(key)
    except TypeError:
        return factors.fingerprint()
    if len(_LAST_KEYS) >= _LAST_KEYS_MOST:
        _LAST_KEYS.pop(next(iter(_LAST_KEYS)))
    copied = [dict(value) if isinstance(value, dict) else value for value in values]
    _LAST_KEYS[id(factors)] = (weakref.ref(factors), copied, key)
    return key


# per settings object (by id, checked by a weak reference): its values when last seen, and key
_LAST_KEYS: dict[int, tuple[Any, list[Any], Any]] = {}
_LAST_KEYS_MOST = 16


def _field_names(kind: type[Settings]) -> tuple[str, ...]:
    """Return the field names of a settings class (looked up once: a route asks per call)."""
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


# priced graphs, one owner (this module): per network (dropped with it), a few settings each
_PRICED: weakref.WeakKeyDictionary[Network, OrderedDict[tuple[str, int], RoutingGraph]] = (
    weakref.WeakKeyDictionary()
)
_PRICED_PER_NETWORK = 8


def _build_routing_graph(net: Network, factors: Settings, box: int = 20) -> RoutingGraph:
    nodes_at: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    sides_of = water_sides(net)
    link_ends: list[tuple[dict, str, str]] = []
    for link in net.usable_links.values():
        service = service_of(link["mode"], link.get("gauge_mm"))
        for a, b in link_ways(link):
            link_ends.append((link, a, b))
        if link["mode"] in WATER_MODES:
            for place in (link["u"], link["v"]):
                nodes_at[place] |= {(service, side) for side in sides_of[place]}
        else:
            nodes_at[link["u"]].add((service, link["country"]))
            nodes_at[link["v"]].add((service, link["country"]))

    nodes: list[tuple[str, str, str | None]] = []
    index: dict[tuple[str, str, str | None], int] = {}
    by_place: dict[str, list[int]] = defaultdict(list)
    node_country: list[str | None] = []
    for place in sorted(nodes_at):
        for service, side in sorted(nodes_at[place], key=lambda s: (s[0], s[1] or "")):
            key = (place, service, side)
            index[key] = len(nodes)
            by_place[place].append(len(nodes))
            nodes.append(key)
            water = mode_of(service) in WATER_MODES
            node_country.append(net.usable_nodes[place].get("country") if water else side)

    tails: list[int] = []
    heads: list[int] = []
    edges: list[dict[str, Any]] = []
    values: dict[str, list[float]] = {q: [] for q in (*WEIGHTS.values(), *TIME_PARTS)}

    def add(t: int, h: int, record: dict[str, Any], quantities: Mapping[str, float]) -> None:
        tails.append(t)
        heads.append(h)
        edges.append(record)
        for q, column in values.items():
            column.append(quantities.get(q, 0.0))

    for link, a, b in link_ends:
        mode = link["mode"]
        service = service_of(mode, link.get("gauge_mm"))
        sides = sorted(sides_of[a]) if mode in WATER_MODES else [link["country"]]
        leg = _leg_quantities(link, factors, box)
        record = {"kind": "link", "link": link["id"], "from": a, "to": b, **leg["record"]}
        risk = _risk(link["id"], factors, box)
        if risk:
            record["risk"] = risk
        for side in sides:
            add(index[(a, service, side)], index[(b, service, side)], record, leg["quantities"])

    # goods landed within a customs union pay no customs (a land border has its own figures)
    customs_free = frozenset(
        (a, b)
        for members in net.customs_unions.values()
        for a in members
        for b in members
        if a != b
    )
    for place, members in by_place.items():
        props = net.usable_nodes[place]
        open_border = props.get("kind") == "border" and net.node_status(place) == "open"
        one_way = net.border_one_way(place) if open_border else None
        for i in members:
            for j in members:
                if i != j:
                    change = _node_change(
                        nodes[i],
                        nodes[j],
                        props,
                        open_border,
                        factors,
                        one_way=one_way,
                        customs_free=customs_free,
                    )
                    if change is not None:
                        entered = change[0]["border"][1] if change[0]["border"] else None
                        risk = _risk(entered, factors, box) if entered else None
                        if risk:
                            change[0]["risk"] = risk
                        add(i, j, change[0], change[1])

    tail = np.asarray(tails, dtype=np.int64)
    head = np.asarray(heads, dtype=np.int64)
    dwell = [_dwell(net.usable_nodes[place], service, factors) for place, service, _ in nodes]
    quantities = {q: np.asarray(values[q], dtype=float) for q in WEIGHTS.values()}
    risk_usd = np.asarray([e["risk"][0] if "risk" in e else 0.0 for e in edges], dtype=float)
    value_of_time = factors.value_of_time_usd_per_teu_h * box / 20  # a 40-ft box is 2 TEU
    quantities["generalized_usd"] = _generalized(
        quantities, risk_usd, value_of_time, factors.carbon_price_usd_per_t
    )
    return RoutingGraph(
        nodes=nodes,
        node_country=node_country,
        by_place=dict(by_place),
        tail=tail,
        head=head,
        edges=edges,
        quantities=quantities,
        parts={q: np.asarray(values[q], dtype=float) for q in TIME_PARTS},
        touches_country=group_edges(edges, tail, head, node_country, "country"),
        by_tag=group_edges(edges, tail, head, node_country, "tags"),
        by_link=group_edges(edges, tail, head, node_country, "link"),
        by_mode=group_edges(edges, tail, head, node_country, "mode"),
        link_ids=np.asarray([e.get("link", "") for e in edges], dtype=object),
        dwell_h=np.asarray([hours for hours, _ in dwell], dtype=float),
        dwell_provenance=[cited for _, cited in dwell],
        box=box,
        risk_usd=risk_usd,
        value_of_time_usd_per_h=value_of_time,
        carbon_price_usd_per_t=factors.carbon_price_usd_per_t,
        generalized_provenance=_generalized_cited(factors, box),
    )


def _generalized(
    quantities: Mapping[str, np.ndarray],
    risk_usd: np.ndarray,
    value_of_time_usd_per_h: float,
    carbon_price_usd_per_t: float,
) -> np.ndarray:
    """Return the generalized cost of each edge, USD per box.

    ``cost_usd + value of time × time_h + carbon price × co2_kg / 1000 + risk premium``.
    """
    return (
        quantities["cost_usd"]
        + value_of_time_usd_per_h * quantities["time_h"]
        + carbon_price_usd_per_t * quantities["co2_kg"] / 1000.0
        + risk_usd
    )


def _generalized_cited(factors: Settings, box: int) -> Provenance:
    """Return the value of time and carbon price with their sources (per TEU and per t)."""
    cited = []
    for key in ("value_of_time_usd_per_teu_h", "carbon_price_usd_per_t"):
        source = f"default {key}: {factors.sources.get(key, 'no source given')}"
        if key.startswith("value_of_time") and box == 40:
            source += "; × 2 for a 40-ft box (2 TEU)"
        cited.append((key, float(getattr(factors, key)), source))
    return tuple(cited)


def _risk(key: str, factors: Settings, box: int) -> tuple[float, str] | None:
    """Return the war-risk premium of a link or of entering a country, USD per box, cited."""
    premium = factors.risk_premium_usd.get(key)
    if not premium:
        return None
    name = f"risk_premium_usd.{key}"
    cited = f"default {name}: {factors.sources.get(name, 'no source given')}"
    if box == 40:
        cited += "; × 2 for a 40-ft box (2 TEU)"
    return float(premium) * box / 20, cited


def _dwell(props: Mapping, service: str, factors: Settings) -> tuple[float, Provenance]:
    """Return the dwell of a box starting or ending its trip at a place by ``service``."""
    mode = mode_of(service)
    if props.get("dwell_hours") is not None and mode != "road":  # a terminal's own figure
        hours = float(props["dwell_hours"])
        cited = props.get("dwell_source") or props.get("source", "")
    else:
        hours = float(factors.dwell_hours.get(mode, 0.0))
        key = f"dwell_hours.{mode}"
        cited = f"default {key}: {factors.sources.get(key, 'no source given')}"
    return hours, (("dwell_hours", hours, cited),) if hours else ()


def _cite(record: Mapping, key: str, factors: Settings, default: str, *, factor: str = "") -> str:
    """Return the source of figure ``key`` of a link or node record.

    A scenario's override cites the scenario; a figure of the record cites the record's source
    for it; otherwise the figure is the settings' default ``default`` and cites its source.
    """
    if f"{key}_source" in record:
        cited = record[f"{key}_source"]
    elif record.get(key) is not None:
        cited = record.get(_NUMBER_SOURCES.get(key, ""), "") or record.get("source", "")
    else:
        cited = f"default {default}: {factors.sources.get(default, 'no source given')}"
    if factor and record.get(factor, 1.0) != 1.0:
        cited = f"{cited}; × {record[factor]:g} by {record.get(f'{factor}_source', 'a factor')}"
    return cited


def _leg_quantities(link: Mapping, factors: Settings, box: int = 20) -> dict[str, Any]:
    mode = link["mode"]
    km = float(link["length_km"])
    speed = float(link.get("speed_kmh") or factors.speed_kmh[mode]) * link.get("speed_factor", 1.0)
    wait, wait_cited = _departure_wait(link, factors)
    wait *= link.get("wait_h_factor", 1.0)
    per_box = float(factors.feu_factor.get(mode, 2.0)) if box == 40 else 1.0
    cost_rate = link.get("cost_usd_per_teu_km", factors.cost_usd_per_teu_km[mode])
    co2_rate = link.get("co2_kg_per_teu_km", factors.co2_kg_per_teu_km[mode])
    provenance = [
        ("length_km", km, link.get("length_source") or link.get("source", "")),
        (
            "speed_kmh",
            speed,
            _cite(link, "speed_kmh", factors, f"speed_kmh.{mode}", factor="speed_factor"),
        ),
        *wait_cited,
    ]
    for key, rate in (("cost_usd_per_teu_km", cost_rate), ("co2_kg_per_teu_km", co2_rate)):
        provenance.append((key, float(rate), _cite(link, key, factors, f"{key}.{mode}")))
    if per_box != 1.0:
        key = f"feu_factor.{mode}"
        provenance.append(("feu_factor", per_box, f"default {key}: {factors.sources.get(key)}"))
    provenance += _capacity(link, factors)
    return {
        "record": {
            "mode": mode,
            "gauge_mm": link.get("gauge_mm"),
            "country": link.get("country"),
            "tags": tuple(link.get("tags") or ()),
            "wait_h": wait,
            "provenance": tuple(provenance),
        },
        "quantities": {
            "distance_km": km,
            "time_h": km / speed + wait,
            "moving_h": km / speed,
            "wait_h": wait,
            "cost_usd": km * float(cost_rate) * per_box,
            "co2_kg": km * float(co2_rate) * per_box,
        },
    }


def _departure_wait(link: Mapping, factors: Settings) -> tuple[float, Provenance]:
    """Return a link's waits on the way, h, with their sources.

    A ferry that sails when full waits half its headway on average plus the time it takes to
    fill (``sailings_per_week``, ``fill_hours``); a mainline ship spends ``port_call_hours`` at
    each port it calls at on the leg (``port_calls``); an explicit ``wait_h`` overrides both.
    """
    mode = link["mode"]
    if link.get("wait_h") is not None:
        hours = float(link["wait_h"])
        cited = _cite(link, "wait_h", factors, f"wait_h.{mode}", factor="wait_h_factor")
        return hours, (("wait_h", hours, cited),) if hours else ()
    if link.get("sailings_per_week"):
        sailings = float(link["sailings_per_week"])
        fill = float(link.get("fill_hours") or 0.0)
        hours = 168.0 / (2.0 * sailings) + fill
        headway: list[tuple[str, float, str]] = [
            ("sailings_per_week", sailings, link.get("sailings_source", "")),
            ("wait_h", hours, "half the headway (168 h / 2 / sailings a week) + fill_hours"),
        ]
        if fill:
            headway.insert(1, ("fill_hours", fill, link.get("fill_source", "")))
        return hours, tuple(headway)
    if link.get("port_calls"):
        calls = int(link["port_calls"])
        hours = calls * factors.port_call_hours
        key = "port_call_hours"
        return hours, (
            ("port_calls", float(calls), link.get("port_calls_source", "")),
            ("port_call_hours", factors.port_call_hours, f"default {key}: {factors.sources[key]}"),
            ("wait_h", hours, "port_calls × port_call_hours"),
        )
    hours = float(factors.wait_h.get(mode, 0.0))
    cited = _cite(link, "wait_h", factors, f"wait_h.{mode}", factor="wait_h_factor")
    return hours, (("wait_h", hours, cited),) if hours else ()


def _capacity(record: Mapping, factors: Settings) -> list[tuple[str, float, str]]:
    """Return the record's annual capacity with its source, if any (reported, not enforced)."""
    if record.get("capacity_teu_year") is None:
        return []
    capacity = float(record["capacity_teu_year"]) * record.get("capacity_factor", 1.0)
    cited = _cite(record, "capacity_teu_year", factors, "", factor="capacity_factor")
    return [("capacity_teu_year", capacity, cited)]


def _hours_and_cost(
    props: Mapping, what: str, kind: str, factors: Settings
) -> tuple[float, float, Provenance]:
    """Return the hours, USD and their sources of a ``what`` (transfer or border) at a node."""
    hours_key, cost_key = f"{what}_hours", f"{what}_cost_usd"
    hours = float(props.get(hours_key, getattr(factors, hours_key)[kind]))
    hours *= props.get(f"{hours_key}_factor", 1.0)
    cost = float(props.get(cost_key, getattr(factors, cost_key)[kind]))
    cited = (
        (
            hours_key,
            hours,
            _cite(props, hours_key, factors, f"{hours_key}.{kind}", factor=f"{hours_key}_factor"),
        ),
        (cost_key, cost, _cite(props, cost_key, factors, f"{cost_key}.{kind}")),
    )
    return hours, cost, cited


def _node_change(
    a: tuple[str, str, str | None],
    b: tuple[str, str, str | None],
    props: Mapping,
    open_border: bool,
    factors: Settings,
    *,
    one_way: str | None = None,
    customs_free: frozenset[tuple[str, str]] = frozenset(),
) -> tuple[dict[str, Any], dict[str, float]] | None:
    """Return the edge from routing node ``a`` to ``b`` at one place, or ``None`` if impossible.

    ``one_way`` (``"AZE>ARM"``) is a border's only open direction on the day, if it has one;
    ``customs_free`` holds the (loaded in, landed in) country pairs of a customs union that day.
    """
    place, service_a, side_a = a
    _, service_b, side_b = b
    water_a = mode_of(service_a) in WATER_MODES
    water_b = mode_of(service_b) in WATER_MODES
    kind = None
    if service_a != service_b:
        both_rail = mode_of(service_a) == mode_of(service_b) == "rail"
        kind = "gauge" if both_rail else "mode"
        if kind == "mode" and props.get("kind") not in TERMINAL_KINDS:
            return None
    crossing = None
    if not water_a and not water_b:
        if side_a != side_b:
            if not open_border or {side_a, side_b} != set(props.get("countries", ())):
                return None
            if one_way is not None and one_way != f"{side_a}>{side_b}":
                return None
            crossing = (side_a, side_b, mode_of(service_b))
    elif water_b:
        if side_a != side_b:  # load only in the country of the quay; no ship-to-ship re-flagging
            return None
    elif side_a != side_b and (side_a, side_b) not in customs_free:  # landing from abroad
        crossing = (side_a, side_b, "port")
    transfer_h = transfer_usd = transfer_co2 = 0.0
    transfer_cited: Provenance = ()
    if kind:
        # a box lifted between a ship and a train, a truck or another ship is port work
        factor = "port" if water_a or water_b else kind
        transfer_h, transfer_usd, transfer_cited = _hours_and_cost(
            props, "transfer", factor, factors
        )
        transfer_co2 = float(factors.transfer_co2_kg[factor])
        co2_cited = _cite(props, "transfer_co2_kg", factors, f"transfer_co2_kg.{factor}")
        transfer_cited += (("transfer_co2_kg", transfer_co2, co2_cited),)
        if factor == "mode" and mode_of(service_b) == "rail":
            # trains leave on a timetable, trucks when loaded: a box brought by truck waits for
            # its train as it would at the trip's first terminal
            wait_h, wait_cited = _dwell(props, service_b, factors)
            transfer_h += wait_h
            transfer_cited += wait_cited
    border_h = border_usd = 0.0
    border_cited: Provenance = ()
    if crossing:
        border_h, border_usd, border_cited = _hours_and_cost(props, "border", crossing[2], factors)
        by_direction = props.get("border_hours_by_direction") or {}
        direction = f"{crossing[0]}>{crossing[1]}"
        if direction in by_direction:  # the crossing's own figure for this direction
            border_h = float(by_direction[direction]) * props.get("border_hours_factor", 1.0)
            cited = f"{props.get('border_source', '')} ({direction})"
            border_cited = (("border_hours", border_h, cited), *border_cited[1:])
    # a port's or crossing's capacity is the handling there: it counts where goods are handled
    if kind:
        transfer_cited += tuple(_capacity(props, factors))
    elif crossing:
        border_cited += tuple(_capacity(props, factors))
    record = {
        "kind": "change",
        "at": place,
        "tags": tuple(props.get("tags") or ()),
        "transfer": kind,
        "from_service": service_a,
        "to_service": service_b,
        "transfer_h": transfer_h,
        "transfer_usd": transfer_usd,
        "transfer_co2": transfer_co2,
        "border": crossing[:2] if crossing else None,
        "border_h": border_h,
        "border_usd": border_usd,
        "transfer_provenance": transfer_cited,
        "border_provenance": border_cited,
    }
    quantities = {
        "distance_km": 0.0,
        "time_h": transfer_h + border_h,
        "border_h": border_h,
        "transfer_h": transfer_h,
        "cost_usd": transfer_usd + border_usd,
        "co2_kg": transfer_co2,
    }
    return record, quantities

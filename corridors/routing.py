"""Routing on a layered graph in which transfers and border crossings are edges.

Each place becomes one routing node per *service* that reaches it (``rail:1520``, ``rail:1435``,
``road``, ``ferry``, ``sea``) and per *side*: the country whose network the node belongs to (the
two sides of a border crossing are two nodes). A change of gauge or mode, and a border crossing,
are edges between routing nodes of the same place, so the shortest-path search pays for them
(BRIEF §3): the "shortest" route is right, not a route corrected after the search. On water the
side is the country where the goods were loaded, which is how landing in another country pays its
customs time and cost.

The search runs on :mod:`scipy.sparse.csgraph` (Dijkstra in C) over arrays built once per network,
date and settings; constraints are masks on those arrays.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ._validation import NUMBER_SOURCES as _NUMBER_SOURCES
from .errors import NoRouteError, UsageError
from .network import USABLE, Network, to_date
from .settings import MODES, WATER_MODES, Settings, settings

if TYPE_CHECKING:
    import geopandas as gpd
    import networkx as nx
    import pandas as pd

WEIGHTS: dict[str, str] = {
    "distance": "distance_km",
    "time": "time_h",
    "cost": "cost_usd",
    "co2": "co2_kg",
}
"""Weight names and the quantity each minimises."""

Provenance = tuple[tuple[str, float, str], ...]
"""``(quantity, value, source)`` triples, e.g. ``("length_km", 843.0, "https://…")``."""

FIGURE_COLUMNS = [
    "distance_km",
    "time_h",
    "cost_usd",
    "co2_kg",
    "countries",
    "border_crossings",
    "transfers",
    "capacity_teu_year",
    "bottleneck",
]
"""Keys of :meth:`Route.figures`, the columns tables of routes share."""

SOURCE_COLUMNS = ["step", "item", "quantity", "value", "source"]
"""Columns of :meth:`Route.sources`."""

_MAX_THROUGH = 4  # countries + tags a route must pass: 2**4 layers of the routing graph
MAX_ALTERNATIVES = 50
"""Most alternatives one call returns."""
_MAX_PENALTY_POWER = 60  # penalty**60 already bars a link; higher powers overflow a float
_MAX_BRANCH_SEARCHES = 24  # bound on the searches that remove links used twice (a lollipop)
_EPSILON = 1e-9  # keeps zero-cost edges as edges in the sparse matrix and breaks ties
_TERMINAL_KINDS = frozenset({"city", "port", "station"})  # where goods change mode


# --- results ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Leg:
    """One link travelled in one direction."""

    link: str
    from_node: str
    to_node: str
    mode: str
    gauge_mm: int | None
    country: str | None
    distance_km: float
    time_h: float
    cost_usd: float
    co2_kg: float
    wait_h: float = 0.0
    tags: tuple[str, ...] = ()
    provenance: Provenance = field(default=(), repr=False, compare=False)
    """``(quantity, value, source)`` of each figure behind the leg's totals."""


@dataclass(frozen=True)
class Transfer:
    """A change of gauge or mode at a place."""

    at: str
    kind: str  # "gauge" or "mode"
    from_service: str
    to_service: str
    hours: float
    cost_usd: float
    co2_kg: float
    provenance: Provenance = field(default=(), repr=False, compare=False)
    """``(quantity, value, source)`` of each figure behind the transfer."""


@dataclass(frozen=True)
class BorderCrossing:
    """A border crossed at a land crossing, or customs on landing at a port from abroad."""

    at: str
    from_country: str
    to_country: str
    hours: float
    cost_usd: float
    provenance: Provenance = field(default=(), repr=False, compare=False)
    """``(quantity, value, source)`` of each figure behind the crossing."""


@dataclass(frozen=True)
class Dwell:
    """Time a box spends in the terminal where its trip starts or ends."""

    at: str
    kind: str  # "origin" or "destination"
    service: str
    hours: float
    provenance: Provenance = field(default=(), repr=False, compare=False)
    """``(quantity, value, source)`` of the dwell."""

    cost_usd: float = 0.0
    co2_kg: float = 0.0


@dataclass
class Route:
    """A route and what it costs.

    Totals are the sums of the legs, transfers and border crossings, in km, h, USD per TEU and
    kg CO2e per TEU.
    """

    origin: str
    destination: str
    weight: str
    as_of: dt.date
    nodes: list[str]
    legs: list[Leg]
    transfers: list[Transfer]
    border_crossings: list[BorderCrossing]
    countries: list[str]
    steps: list[Leg | Transfer | BorderCrossing | Dwell] = field(repr=False, default_factory=list)
    leg_coords: list[list[tuple[float, float]]] = field(default_factory=list, repr=False)
    """(lon, lat) vertices of each leg, in travel direction."""
    dwells: list[Dwell] = field(default_factory=list)
    """Terminal dwell where the trip starts and where it ends."""
    box: int = 20
    """Size of the box the figures are for, ft (20 or 40): costs and CO2 are per box."""

    @property
    def distance_km(self) -> float:
        """Length of the route, km."""
        return sum(leg.distance_km for leg in self.legs)

    @property
    def time_h(self) -> float:
        """Travel, waiting, transfer, border and terminal dwell time, h."""
        return (
            sum(leg.time_h for leg in self.legs)
            + sum(t.hours for t in self.transfers)
            + sum(b.hours for b in self.border_crossings)
            + sum(d.hours for d in self.dwells)
        )

    @property
    def moving_h(self) -> float:
        """Time on the move only (legs less their departure waits and port calls), h."""
        return sum(leg.time_h - leg.wait_h for leg in self.legs)

    @property
    def cost_usd(self) -> float:
        """Haulage, transfer and border cost, USD per TEU."""
        return (
            sum(leg.cost_usd for leg in self.legs)
            + sum(t.cost_usd for t in self.transfers)
            + sum(b.cost_usd for b in self.border_crossings)
        )

    @property
    def co2_kg(self) -> float:
        """Emissions of haulage and transfers, kg CO2e per TEU."""
        return sum(leg.co2_kg for leg in self.legs) + sum(t.co2_kg for t in self.transfers)

    @property
    def links(self) -> list[str]:
        """Link ids in travel order."""
        return [leg.link for leg in self.legs]

    @property
    def modes(self) -> list[str]:
        """Modes used, in order of first use."""
        return list(dict.fromkeys(leg.mode for leg in self.legs))

    @property
    def tags(self) -> list[str]:
        """Tags of the links used, most kilometres first."""
        km: dict[str, float] = defaultdict(float)
        for leg in self.legs:
            for tag in leg.tags:
                km[tag] += leg.distance_km
        return sorted(km, key=lambda t: (-km[t], t))

    def total(self, weight: str) -> float:
        """Return the total of a weight name (``distance``, ``time``, ``cost``, ``co2``)."""
        return float(getattr(self, WEIGHTS[_check_weight(weight)]))

    def summary(self) -> str:
        """One line: origin → destination, km, h, USD, kg CO2e, countries."""
        return (
            f"{self.origin} → {self.destination}: {self.distance_km:,.0f} km, "
            f"{self.time_h:,.1f} h, USD {self.cost_usd:,.0f}/TEU, {self.co2_kg:,.0f} kg CO2e/TEU, "
            f"via {'-'.join(self.countries)}"
        )

    @property
    def bottleneck(self) -> dict[str, Any] | None:
        """The element of least annual capacity among those with a published one, or ``None``.

        A dict with ``item`` (the leg, transfer or crossing), ``capacity_teu_year`` (TEU a year)
        and ``source``. Capacities are reported, not enforced: the route is the best one whatever
        the volume (no traffic assignment), and elements without a known capacity count as
        unlimited.
        """
        found = [r for r in self.source_records() if r["quantity"] == "capacity_teu_year"]
        if not found:
            return None
        least = min(found, key=lambda r: r["value"])
        return {
            "item": least["item"],
            "capacity_teu_year": least["value"],
            "source": least["source"],
        }

    def figures(self) -> dict[str, Any]:
        """Return the headline figures as one table row (keys :data:`FIGURE_COLUMNS`).

        km and h to 0.1, USD and kg CO2e per TEU to 1, countries joined by ``-``, the numbers of
        border crossings and transfers, and the bottleneck's capacity (TEU a year) and where.
        """
        bottleneck = self.bottleneck
        return {
            "distance_km": round(self.distance_km, 1),
            "time_h": round(self.time_h, 1),
            "cost_usd": round(self.cost_usd, 0),
            "co2_kg": round(self.co2_kg, 0),
            "countries": "-".join(self.countries),
            "border_crossings": len(self.border_crossings),
            "transfers": len(self.transfers),
            "capacity_teu_year": bottleneck["capacity_teu_year"] if bottleneck else None,
            "bottleneck": bottleneck["item"] if bottleneck else "",
        }

    def source_records(self) -> list[dict[str, Any]]:
        """Return where each figure behind the totals comes from, in travel order.

        One record per figure: ``step`` (position in :attr:`steps`), ``item`` (the leg, transfer
        or crossing), ``quantity`` (e.g. ``length_km``, ``speed_kmh``, ``border_hours``),
        ``value`` (in the quantity's unit) and ``source`` (a URL or publication, ``geodesic``,
        an ``assumption: …``, or the scenario that overrode it).
        """
        return [
            {"step": i, "item": _step_label(step), "quantity": q, "value": v, "source": src}
            for i, step in enumerate(self.steps)
            for q, v, src in step.provenance
        ]

    def sources(self) -> pd.DataFrame:
        """Return :meth:`source_records` as a DataFrame (columns :data:`SOURCE_COLUMNS`)."""
        import pandas as pd

        return pd.DataFrame(self.source_records(), columns=SOURCE_COLUMNS)

    def to_dict(self, *, rank: int | None = None, sources: bool = False) -> dict[str, Any]:
        """Return the route as plain data (the CLI's JSON shape).

        With ``sources``, a ``"sources"`` list (see :meth:`source_records`) is added.
        """
        out: dict[str, Any] = {} if rank is None else {"rank": rank}
        out.update(
            distance_km=round(self.distance_km, 1),
            time_h=round(self.time_h, 1),
            moving_h=round(self.moving_h, 1),
            cost_usd=round(self.cost_usd, 0),
            co2_kg=round(self.co2_kg, 0),
            countries=list(self.countries),
            nodes=list(self.nodes),
            legs=[
                {
                    "from": leg.from_node,
                    "to": leg.to_node,
                    "link": leg.link,
                    "mode": leg.mode,
                    "country": leg.country,
                    "distance_km": round(leg.distance_km, 1),
                    "time_h": round(leg.time_h, 2),
                }
                for leg in self.legs
            ],
            transfers=[
                {"at": t.at, "kind": t.kind, "hours": round(t.hours, 2)} for t in self.transfers
            ],
            border_crossings=[
                {
                    "at": b.at,
                    "from_country": b.from_country,
                    "to_country": b.to_country,
                    "hours": round(b.hours, 2),
                }
                for b in self.border_crossings
            ],
            dwells=[
                {"at": d.at, "kind": d.kind, "service": d.service, "hours": round(d.hours, 2)}
                for d in self.dwells
            ],
            box=self.box,
        )
        if sources:
            out["sources"] = self.source_records()
        return out

    def to_gdf(self) -> gpd.GeoDataFrame:
        """Return the legs as a GeoDataFrame (EPSG:4326), one row per leg in travel order."""
        import geopandas as gpd
        from shapely import LineString

        rows = [
            {
                "seq": i,
                "link": leg.link,
                "from": leg.from_node,
                "to": leg.to_node,
                "mode": leg.mode,
                "gauge_mm": leg.gauge_mm,
                "country": leg.country,
                "distance_km": leg.distance_km,
                "time_h": leg.time_h,
                "cost_usd": leg.cost_usd,
                "co2_kg": leg.co2_kg,
                "tags": ",".join(leg.tags),
                "geometry": LineString(self.leg_coords[i]),
            }
            for i, leg in enumerate(self.legs)
        ]
        return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


# --- the routing graph --------------------------------------------------------------------
def service_of(mode: str, gauge_mm: int | None) -> str:
    """Return the service name of a mode and gauge (``rail:1520``, ``road``, ``sea``…)."""
    return f"rail:{gauge_mm}" if mode == "rail" else mode


def _mode_of(service: str) -> str:
    return service.split(":", 1)[0]


@dataclass
class RoutingGraph:
    """Arrays of the layered routing graph of one network, date and settings."""

    nodes: list[tuple[str, str, str | None]]  # (place, service, side)
    node_country: list[str | None]
    by_place: dict[str, list[int]]
    tail: np.ndarray
    head: np.ndarray
    edges: list[dict[str, Any]]
    quantities: dict[str, np.ndarray]
    touches_country: dict[str, np.ndarray]
    by_tag: dict[str, np.ndarray]
    by_link: dict[str, np.ndarray]
    by_mode: dict[str, np.ndarray]
    link_ids: np.ndarray  # per edge: link id or "" for transfers
    dwell_h: np.ndarray = field(default_factory=lambda: np.zeros(0))  # per routing node
    dwell_provenance: list[Provenance] = field(default_factory=list)
    box: int = 20
    _lazy: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def turn_graph(self) -> TurnGraph:
        """The graph of ``(routing node, link arrived by)`` states (built once)."""
        if "turns" not in self._lazy:
            self._lazy["turns"] = _turn_graph(self)
        return self._lazy["turns"]

    @property
    def enters_country(self) -> dict[str, np.ndarray]:
        """Per country, the edges that travel *in* it: its links, and changes within it.

        A border crossing alone does not count: crossing into a country and straight back out
        does not pass through it.
        """
        if "enters" not in self._lazy:
            groups: dict[str, list[int]] = defaultdict(list)
            for i, record in enumerate(self.edges):
                if record["kind"] == "link":
                    country = record.get("country")
                else:
                    a, b = self.node_country[self.tail[i]], self.node_country[self.head[i]]
                    country = a if a == b else None
                if country:
                    groups[country].append(i)
            self._lazy["enters"] = {k: np.asarray(v, dtype=np.int64) for k, v in groups.items()}
        return self._lazy["enters"]

    def to_networkx(self) -> nx.MultiDiGraph:
        """Return the routing graph as a NetworkX MultiDiGraph (for inspection)."""
        import networkx as nx

        graph = nx.MultiDiGraph()
        graph.add_nodes_from(self.nodes)
        for i, record in enumerate(self.edges):
            attrs = dict(record)
            attrs.update({k: float(v[i]) for k, v in self.quantities.items()})
            graph.add_edge(self.nodes[self.tail[i]], self.nodes[self.head[i]], **attrs)
        return graph


BOXES = (20, 40)
"""Container sizes figures can be priced for, ft."""


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
    box = _check_box(box)
    key = ("routing_graph", factors.fingerprint(), box)
    if key not in net._cache:
        net._cache[key] = _build_routing_graph(net, factors, box)
    return net._cache[key]


def _check_box(box: int) -> int:
    if box not in BOXES or isinstance(box, bool):
        raise UsageError(f"box must be 20 or 40 (ft), not {box!r}")
    return int(box)


def _water_sides(net: Network) -> dict[str, frozenset[str]]:
    """Countries where goods can be loaded, per place of each connected body of water."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in net.usable_links.values():
        if link["mode"] in WATER_MODES:
            parent[find(link["u"])] = find(link["v"])
    countries: dict[str, set[str]] = defaultdict(set)
    for place in parent:
        country = net.usable_nodes[place].get("country")
        if country:
            countries[find(place)].add(country)
    return {place: frozenset(countries[find(place)]) for place in parent}


def _build_routing_graph(net: Network, factors: Settings, box: int = 20) -> RoutingGraph:
    nodes_at: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    water_sides = _water_sides(net)
    link_ends: list[tuple[dict, str, str]] = []
    for link in net.usable_links.values():
        service = service_of(link["mode"], link.get("gauge_mm"))
        ends = [(link["u"], link["v"])]
        if not link.get("oneway", False):
            ends.append((link["v"], link["u"]))
        for a, b in ends:
            link_ends.append((link, a, b))
        if link["mode"] in WATER_MODES:
            for place in (link["u"], link["v"]):
                nodes_at[place] |= {(service, side) for side in water_sides[place]}
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
            water = _mode_of(service) in WATER_MODES
            node_country.append(net.usable_nodes[place].get("country") if water else side)

    tails: list[int] = []
    heads: list[int] = []
    edges: list[dict[str, Any]] = []
    values: dict[str, list[float]] = {q: [] for q in WEIGHTS.values()}

    def add(t: int, h: int, record: dict[str, Any], quantities: Mapping[str, float]) -> None:
        tails.append(t)
        heads.append(h)
        edges.append(record)
        for q in WEIGHTS.values():
            values[q].append(quantities[q])

    for link, a, b in link_ends:
        mode = link["mode"]
        service = service_of(mode, link.get("gauge_mm"))
        sides = sorted(water_sides[a]) if mode in WATER_MODES else [link["country"]]
        leg = _leg_quantities(link, factors, box)
        record = {"kind": "link", "link": link["id"], "from": a, "to": b, **leg["record"]}
        for side in sides:
            add(index[(a, service, side)], index[(b, service, side)], record, leg["quantities"])

    for place, members in by_place.items():
        props = net.usable_nodes[place]
        open_border = props.get("kind") == "border" and net.node_status(place) == "open"
        for i in members:
            for j in members:
                if i != j:
                    change = _node_change(nodes[i], nodes[j], props, open_border, factors)
                    if change is not None:
                        add(i, j, change[0], change[1])

    tail = np.asarray(tails, dtype=np.int64)
    head = np.asarray(heads, dtype=np.int64)
    dwell = [_dwell(net.usable_nodes[place], service, factors) for place, service, _ in nodes]
    return RoutingGraph(
        nodes=nodes,
        node_country=node_country,
        by_place=dict(by_place),
        tail=tail,
        head=head,
        edges=edges,
        quantities={q: np.asarray(v, dtype=float) for q, v in values.items()},
        touches_country=_group(edges, tail, head, node_country, "country"),
        by_tag=_group(edges, tail, head, node_country, "tags"),
        by_link=_group(edges, tail, head, node_country, "link"),
        by_mode=_group(edges, tail, head, node_country, "mode"),
        link_ids=np.asarray([e.get("link", "") for e in edges], dtype=object),
        dwell_h=np.asarray([hours for hours, _ in dwell], dtype=float),
        dwell_provenance=[cited for _, cited in dwell],
        box=box,
    )


def _dwell(props: Mapping, service: str, factors: Settings) -> tuple[float, Provenance]:
    """Return the dwell of a box starting or ending its trip at a place by ``service``."""
    mode = _mode_of(service)
    if props.get("dwell_hours") is not None and mode != "road":  # a terminal's own figure
        hours = float(props["dwell_hours"])
        cited = props.get("dwell_source") or props.get("source", "")
    else:
        hours = float(factors.dwell_hours.get(mode, 0.0))
        key = f"dwell_hours.{mode}"
        cited = f"default {key}: {factors.sources.get(key, 'no source given')}"
    return hours, (("dwell_hours", hours, cited),) if hours else ()


def _group(
    edges: Sequence[Mapping], tail: np.ndarray, head: np.ndarray, node_country: Sequence, what: str
) -> dict[str, np.ndarray]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(edges):
        if what == "country":
            keys = {node_country[tail[i]], node_country[head[i]], record.get("country")}
        elif what == "tags":
            keys = set(record.get("tags", ()))
        else:
            keys = {record.get(what)} if record["kind"] == "link" else set()
        for key in keys - {None}:
            groups[key].append(i)
    return {k: np.asarray(v, dtype=np.int64) for k, v in groups.items()}


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
        cited = [
            ("sailings_per_week", sailings, link.get("sailings_source", "")),
            ("wait_h", hours, "half the headway (168 h / 2 / sailings a week) + fill_hours"),
        ]
        if fill:
            cited.insert(1, ("fill_hours", fill, link.get("fill_source", "")))
        return hours, tuple(cited)
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
) -> tuple[dict[str, Any], dict[str, float]] | None:
    """Return the edge from routing node ``a`` to ``b`` at one place, or ``None`` if impossible."""
    place, service_a, side_a = a
    _, service_b, side_b = b
    water_a = _mode_of(service_a) in WATER_MODES
    water_b = _mode_of(service_b) in WATER_MODES
    kind = None
    if service_a != service_b:
        both_rail = _mode_of(service_a) == _mode_of(service_b) == "rail"
        kind = "gauge" if both_rail else "mode"
        if kind == "mode" and props.get("kind") not in _TERMINAL_KINDS:
            return None
    crossing = None
    if not water_a and not water_b:
        if side_a != side_b:
            if not open_border or {side_a, side_b} != set(props.get("countries", ())):
                return None
            crossing = (side_a, side_b, _mode_of(service_b))
    elif water_b:
        if side_a != side_b:  # load only in the country of the quay; no ship-to-ship re-flagging
            return None
    elif side_a != side_b:  # landing from abroad: customs
        crossing = (side_a, side_b, "port")
    transfer_h = transfer_usd = transfer_co2 = 0.0
    transfer_cited: Provenance = ()
    if kind:
        factor = "port" if water_a != water_b else kind
        transfer_h, transfer_usd, transfer_cited = _hours_and_cost(
            props, "transfer", factor, factors
        )
        transfer_co2 = float(factors.transfer_co2_kg[factor])
        co2_cited = _cite(props, "transfer_co2_kg", factors, f"transfer_co2_kg.{factor}")
        transfer_cited += (("transfer_co2_kg", transfer_co2, co2_cited),)
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
        "cost_usd": transfer_usd + border_usd,
        "co2_kg": transfer_co2,
    }
    return record, quantities


# --- constraints --------------------------------------------------------------------------
@dataclass(frozen=True)
class Constraints:
    """What a route may not use, and where it must pass."""

    modes: tuple[str, ...] | None = None
    avoid_countries: tuple[str, ...] = ()
    avoid_links: tuple[str, ...] = ()
    avoid_tags: tuple[str, ...] = ()
    via: tuple[str, ...] = ()
    through_countries: tuple[str, ...] = ()
    through_tags: tuple[str, ...] = ()
    # (id, country barred, exempt tags, what the rule says)
    embargoes: tuple[tuple[str, str, tuple[str, ...], str], ...] = ()

    def describe(self) -> list[tuple[str, str]]:
        """Return ``(field, text)`` for each constraint that is set."""
        out = []
        if self.modes is not None:
            out.append(("modes", f"modes {', '.join(self.modes)}"))
        if self.avoid_countries:
            out.append(("avoid_countries", f"avoiding {', '.join(self.avoid_countries)}"))
        if self.avoid_links:
            out.append(("avoid_links", f"avoiding links {', '.join(self.avoid_links)}"))
        if self.avoid_tags:
            out.append(("avoid_tags", f"avoiding tags {', '.join(self.avoid_tags)}"))
        if self.via:
            out.append(("via", f"via {', '.join(self.via)}"))
        if self.through_countries:
            out.append(
                ("through_countries", f"passing through {', '.join(self.through_countries)}")
            )
        if self.through_tags:
            out.append(("through_tags", f"using links tagged {', '.join(self.through_tags)}"))
        if self.embargoes:
            names = ", ".join(f"{e[0]} ({e[3]})" for e in self.embargoes)
            out.append(("embargoes", f"the embargo {names}"))
        return out


def _check_weight(weight: str) -> str:
    if weight not in WEIGHTS:
        raise UsageError(f"unknown weight {weight!r}; use one of {', '.join(WEIGHTS)}")
    return weight


def _check_choice(values: Iterable[str], known: Iterable[str], what: str) -> tuple[str, ...]:
    if isinstance(values, str):
        values = (values,)
    known = sorted(set(known))
    out = []
    for value in values:
        if value not in known:
            prefixed = [k for k in known if k.lower().startswith(str(value).lower())]
            close = list(dict.fromkeys(prefixed + difflib.get_close_matches(str(value), known)))
            hint = f" — did you mean {' or '.join(map(repr, close[:3]))}?" if close else ""
            listing = f"; known: {', '.join(known)}" if len(known) <= 12 else ""
            raise UsageError(f"unknown {what} {value!r}{hint}{listing}")
        out.append(value)
    return tuple(dict.fromkeys(out))


def _known_codes(net: Network) -> tuple[set[str], set[str]]:
    """Country codes and link tags of the network's records (cached: routing's hot path)."""
    if "known_codes" not in net._cache:
        records = net.node_records.values()
        countries = {p.get("country") for p in records} - {None}
        countries |= {c for p in records for c in p.get("countries", ())}
        tags = {t for p in net.link_records.values() for t in p.get("tags") or ()}
        net._cache["known_codes"] = (countries, tags)
    return net._cache["known_codes"]


def make_constraints(
    net: Network,
    *,
    modes: Iterable[str] | None = None,
    avoid_countries: Iterable[str] = (),
    avoid_links: Iterable[str] = (),
    avoid_tags: Iterable[str] = (),
    via: Iterable[str] = (),
    through_countries: Iterable[str] = (),
    through_tags: Iterable[str] = (),
) -> Constraints:
    """Check constraint values against the network and return them normalised."""
    countries, tags = _known_codes(net)
    c = Constraints(
        modes=None if modes is None else _check_choice(modes, MODES, "mode"),
        avoid_countries=_check_countries(avoid_countries, countries),
        avoid_links=_check_choice(avoid_links, net.link_records, "link"),
        avoid_tags=_check_choice(avoid_tags, tags, "tag"),
        via=tuple(net.resolve(p) for p in ([via] if isinstance(via, str) else via)),
        through_countries=_check_countries(through_countries, countries),
        through_tags=_check_choice(through_tags, tags, "tag"),
    )
    for what, through, avoid in (
        ("country", c.through_countries, c.avoid_countries),
        ("tag", c.through_tags, c.avoid_tags),
    ):
        if set(through) & set(avoid):
            both = ", ".join(sorted(set(through) & set(avoid)))
            raise UsageError(f"{what} {both} is both to pass through and to avoid")
    if len(c.through_countries) + len(c.through_tags) > _MAX_THROUGH:
        raise UsageError(
            f"at most {_MAX_THROUGH} countries and tags to pass through "
            "(each one doubles the search)"
        )
    return c


def _check_countries(codes: Iterable[str], known: Iterable[str]) -> tuple[str, ...]:
    codes = [codes] if isinstance(codes, str) else codes
    return _check_choice([str(code).upper() for code in codes], known, "country code")


def _allowed(rg: RoutingGraph, c: Constraints) -> np.ndarray:
    allowed = np.ones(len(rg.edges), dtype=bool)
    for country in c.avoid_countries:
        allowed[rg.touches_country.get(country, [])] = False
    for tag in c.avoid_tags:
        allowed[rg.by_tag.get(tag, [])] = False
    for link in c.avoid_links:
        allowed[rg.by_link.get(link, [])] = False
    if c.modes is not None:
        for mode, idx in rg.by_mode.items():
            if mode not in c.modes:
                allowed[idx] = False
    for _, country, exempt_tags, _ in c.embargoes:
        blocked = np.zeros(len(rg.edges), dtype=bool)
        blocked[rg.touches_country.get(country, [])] = True
        for tag in exempt_tags:
            blocked[rg.by_tag.get(tag, [])] = False
        allowed &= ~blocked
    return allowed


# --- search -------------------------------------------------------------------------------
def _search(
    rg: RoutingGraph,
    weights: np.ndarray,
    stops: Sequence[Sequence[int]],
    through: Sequence[np.ndarray] = (),
    *,
    dwell: np.ndarray | None = None,
) -> list[int] | None:
    """Return the edge indices of the cheapest walk through ``stops`` (lists of routing nodes).

    ``weights`` holds ``inf`` for forbidden edges. Between consecutive stops the search is exact
    over every routing node of each stop (a dynamic programme over the via places). ``through``
    are groups of edges of which the walk must use at least one each: the search then runs on
    ``2**len(through)`` copies of the graph, a copy per set of groups already used, from the
    first copy to the last (exact, unlike a check after the search). ``dwell`` is a weight per
    routing node paid where the walk starts and where it ends (terminal dwell, by service).
    """
    if any(not members for members in stops):
        return None
    if not through:
        at_ends = None if dwell is None else (lambda node: float(dwell[node]))
        return _search_arrays(
            len(rg.nodes), rg.tail, rg.head, weights, stops, start_cost=at_ends, end_cost=at_ends
        )
    return _search_layers(rg, weights, stops, through, dwell=dwell)


def _search_layers(
    rg: RoutingGraph,
    weights: np.ndarray,
    stops: Sequence[Sequence[int]],
    through: Sequence[np.ndarray],
    *,
    dwell: np.ndarray | None = None,
) -> list[int] | None:
    """Search the ``2**len(through)`` copies of the graph without taking a link straight back.

    A walk that must enter a country or use a tagged link would otherwise tick the requirement
    by running into the country or up a stub of the tagged line and straight back on the same
    link: no forwarder runs such a route. The search therefore runs on a graph of *states*
    ``(routing node, link arrived by)`` (turn restrictions, as in road routing): a link cannot
    follow itself, even with changes of gauge or mode between. Between consecutive stops the walk
    may turn (a via place is visited and left).
    """
    turns = rg.turn_graph
    n, n_states = len(rg.nodes), len(turns.state_node)
    mask = np.zeros(len(rg.edges), dtype=np.int64)
    for bit, group in enumerate(through):
        mask[group] |= 1 << bit
    layers = 1 << len(through)
    arrive0 = layers * n_states
    n_moves = len(turns.edge)
    tails, heads, cost = [], [], []
    for layer in range(layers):
        tails.append(layer * n_states + turns.tail)
        heads.append((layer | mask[turns.edge]) * n_states + turns.head)
        cost.append(weights[turns.edge])
    for layer in range(layers):  # every state may end a segment at its routing node
        tails.append(layer * n_states + np.arange(n_states))
        heads.append(arrive0 + layer * n + turns.state_node)
        cost.append(np.zeros(n_states))
    last = len(stops) - 1

    def layered(i: int, members: Sequence[int], base: int, size: int) -> list[int]:
        chosen = range(layers) if 0 < i < last else [0 if i == 0 else layers - 1]
        return [base + layer * size + m for m in members for layer in chosen]

    def restart(node: int) -> int:  # the arrival at a via place starts the next segment afresh
        layer, routing_node = divmod(node - arrive0, n)
        return layer * n_states + routing_node

    tail_all, head_all = np.concatenate(tails), np.concatenate(heads)
    cost_all = np.concatenate(cost)
    walked = np.concatenate([turns.edge] * layers + [np.full(n_states * layers, -1)])
    # what a walk must not use twice in a segment: a link, or a border crossing (crossing out
    # and straight back in ticks a country without travelling in it)
    once = np.asarray(
        [
            f"border@{e['at']}" if e["kind"] == "change" and e.get("border") else str(link)
            for e, link in zip(rg.edges, rg.link_ids, strict=True)
        ],
        dtype=object,
    )
    link_of = np.where(walked >= 0, once[np.maximum(walked, 0)], "")
    layer_of = np.concatenate(
        [np.full(n_moves, layer) for layer in range(layers)] + [np.full(n_states * layers, -1)]
    )
    targets = [
        layered(0, stops[0], 0, n_states),
        *(layered(i, m, arrive0, n) for i, m in enumerate(stops) if i > 0),
    ]

    def search(banned: frozenset[tuple[str, int]]) -> tuple[float, list[int]] | None:
        weights_now = cost_all
        if banned:
            weights_now = cost_all.copy()
            for link, layer in banned:
                weights_now[(link_of == link) & (layer_of == layer)] = np.inf
        found = _search_arrays(
            arrive0 + layers * n,
            tail_all,
            head_all,
            weights_now,
            targets,
            restart=restart,
            start_cost=None if dwell is None else (lambda node: float(dwell[node % n_states])),
            end_cost=None if dwell is None else (lambda node: float(dwell[(node - arrive0) % n])),
        )
        return None if found is None else (float(weights_now[found].sum()), found)

    # Branch and bound over links a walk uses twice within a segment (a lollipop round a loop
    # to tick a requirement): a route uses each link in at most one layer, so either the link
    # is barred from the first layer it was used in, or from every other layer.
    best: tuple[float, list[int]] | None = None
    queue: list[tuple[float, int, frozenset[tuple[str, int]], list[int]]] = []
    first = search(frozenset())
    if first is not None:
        queue.append((first[0], 0, frozenset(), first[1]))
    searches = 1
    while queue and searches < _MAX_BRANCH_SEARCHES:
        queue.sort(key=lambda item: (item[0], item[1]))
        total, _, banned, found = queue.pop(0)
        if best is not None and total >= best[0]:
            break
        repeated = _repeated_link(found, link_of, layer_of)
        if repeated is None:
            best = (total, found)
            break
        link, layer = repeated
        for extra in (
            {(link, layer)},
            {(link, other) for other in range(layers) if other != layer},
        ):
            child = banned | extra
            result = search(child)
            searches += 1
            if result is not None:
                queue.append((result[0], searches, child, result[1]))
    if best is None:
        return None
    return [int(walked[k]) for k in best[1] if walked[k] >= 0]


def _repeated_link(
    path: Sequence[int], link_of: np.ndarray, layer_of: np.ndarray
) -> tuple[str, int] | None:
    """Return the first link a walk uses twice within a segment, and its first layer."""
    seen: dict[str, int] = {}
    for k in path:
        link = str(link_of[k])
        if layer_of[k] < 0:  # a stop reached: the next segment may use its links again
            seen.clear()
        elif link:
            if link in seen:
                return link, seen[link]
            seen[link] = int(layer_of[k])
    return None


@dataclass(frozen=True)
class TurnGraph:
    """States ``(routing node, link arrived by)`` and the moves between them.

    States ``0 … n-1`` are the routing nodes with no link behind them (a start); the others
    pair a routing node with the link edge by which the walk reached its place.
    """

    state_node: np.ndarray  # routing node of each state
    tail: np.ndarray  # per move: state it leaves
    head: np.ndarray  # per move: state it reaches
    edge: np.ndarray  # per move: the routing-graph edge it travels


def _turn_graph(rg: RoutingGraph) -> TurnGraph:
    n = len(rg.nodes)
    is_link = rg.link_ids != ""
    state_node = list(range(n))
    state_last = [-1] * n
    index: dict[tuple[int, int], int] = {}
    for e in np.flatnonzero(is_link):
        for u in rg.by_place[rg.nodes[rg.head[e]][0]]:
            index[(u, int(e))] = len(state_node)
            state_node.append(u)
            state_last.append(int(e))
    leaving: dict[int, list[int]] = defaultdict(list)
    for e, t in enumerate(rg.tail):
        leaving[int(t)].append(e)
    tails: list[int] = []
    heads: list[int] = []
    moves: list[int] = []
    for state, (u, last) in enumerate(zip(state_node, state_last, strict=True)):
        for f in leaving[u]:
            if is_link[f]:
                if last >= 0 and rg.link_ids[f] == rg.link_ids[last]:
                    continue  # no link straight back (nor again) after arriving by it
                target = index[(int(rg.head[f]), f)]
            else:  # a change at the place keeps the link arrived by
                target = int(rg.head[f]) if last < 0 else index[(int(rg.head[f]), last)]
            tails.append(state)
            heads.append(target)
            moves.append(f)
    return TurnGraph(
        state_node=np.asarray(state_node, dtype=np.int64),
        tail=np.asarray(tails, dtype=np.int64),
        head=np.asarray(heads, dtype=np.int64),
        edge=np.asarray(moves, dtype=np.int64),
    )


def _search_arrays(
    n: int,
    tail: np.ndarray,
    head: np.ndarray,
    weights: np.ndarray,
    stops: Sequence[Sequence[int]],
    *,
    restart: Callable[[int], int] | None = None,
    start_cost: Callable[[int], float] | None = None,
    end_cost: Callable[[int], float] | None = None,
) -> list[int] | None:
    """Return the edge indices of the cheapest walk through ``stops`` on arrays of edges.

    A dynamic programme over the stops: each segment is one multi-source Dijkstra. ``restart``
    maps a stop reached to the node the next segment starts from (the same node by default);
    ``start_cost`` and ``end_cost`` price starting at a node of the first stop and ending at one
    of the last (nothing by default).
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    ok = np.isfinite(weights)
    tail, head, w, idx = tail[ok], head[ok], weights[ok] + _EPSILON, np.flatnonzero(ok)
    order = np.lexsort((w, head, tail))
    tail, head, w, idx = tail[order], head[order], w[order], idx[order]
    first = np.ones(len(tail), dtype=bool)
    first[1:] = (tail[1:] != tail[:-1]) | (head[1:] != head[:-1])
    tail, head, w, idx = tail[first], head[first], w[first], idx[first]
    keys = tail * n + head
    matrix = csr_matrix((w, (tail, head)), shape=(n, n))

    def again(node: int) -> int:
        return node if restart is None else restart(node)

    cost = {node: 0.0 if start_cost is None else start_cost(node) for node in stops[0]}
    back: list[dict[int, tuple[int, np.ndarray, int]]] = []
    for step, nxt in enumerate(stops[1:]):
        sources = list(cost) if step == 0 else [again(node) for node in cost]
        reached = list(cost)
        dist, pred = dijkstra(matrix, indices=sources, return_predecessors=True)
        new_cost: dict[int, float] = {}
        choice: dict[int, tuple[int, np.ndarray]] = {}
        for t in nxt:
            totals = np.asarray([cost[s] for s in reached]) + dist[:, t]
            k = int(np.argmin(totals))
            if np.isfinite(totals[k]):
                new_cost[t] = float(totals[k])
                choice[t] = (reached[k], pred[k], sources[k])
        if not new_cost:
            return None
        cost = new_cost
        back.append(choice)
    end = min(cost, key=lambda t: cost[t] + (0.0 if end_cost is None else end_cost(t)))
    path_edges: list[int] = []
    for choice in reversed(back):
        reached_from, pred, start = choice[end]
        chain = [end]
        while chain[-1] != start:
            chain.append(int(pred[chain[-1]]))
        chain.reverse()
        pair_keys = np.asarray(chain[:-1]) * n + np.asarray(chain[1:])
        path_edges[:0] = idx[np.searchsorted(keys, pair_keys)].tolist()
        end = reached_from
    return path_edges


def _stops(rg: RoutingGraph, places: Sequence[str], net: Network) -> list[list[int]]:
    stops = []
    for i, place in enumerate(places):
        members = rg.by_place.get(place, [])
        if i == 0:  # start on land, or on a ship loaded in this country
            country = net.usable_nodes.get(place, {}).get("country")
            members = [
                m
                for m in members
                if rg.nodes[m][2] == country or _mode_of(rg.nodes[m][1]) not in WATER_MODES
            ]
        stops.append(members)
    return stops


def _build_route(
    rg: RoutingGraph, net: Network, path: Sequence[int], origin: str, destination: str, weight: str
) -> Route:
    legs: list[Leg] = []
    transfers: list[Transfer] = []
    borders: list[BorderCrossing] = []
    steps: list[Leg | Transfer | BorderCrossing] = []
    geometry: list[list[tuple[float, float]]] = []
    q = rg.quantities
    for e in path:
        record = rg.edges[e]
        if record["kind"] == "link":
            link = net.usable_links[record["link"]]
            coords = link["coords"] if record["from"] == link["u"] else link["coords"][::-1]
            leg = Leg(
                link=record["link"],
                from_node=record["from"],
                to_node=record["to"],
                mode=record["mode"],
                gauge_mm=record["gauge_mm"],
                country=record["country"],
                distance_km=float(q["distance_km"][e]),
                time_h=float(q["time_h"][e]),
                cost_usd=float(q["cost_usd"][e]),
                co2_kg=float(q["co2_kg"][e]),
                wait_h=record["wait_h"],
                tags=record["tags"],
                provenance=record["provenance"],
            )
            legs.append(leg)
            steps.append(leg)
            geometry.append(list(coords))
            continue
        if record["transfer"]:
            t = Transfer(
                at=record["at"],
                kind=record["transfer"],
                from_service=record["from_service"],
                to_service=record["to_service"],
                hours=record["transfer_h"],
                cost_usd=record["transfer_usd"],
                co2_kg=record["transfer_co2"],
                provenance=record["transfer_provenance"],
            )
            transfers.append(t)
            steps.append(t)
        if record["border"]:
            b = BorderCrossing(
                at=record["at"],
                from_country=record["border"][0],
                to_country=record["border"][1],
                hours=record["border_h"],
                cost_usd=record["border_usd"],
                provenance=record["border_provenance"],
            )
            borders.append(b)
            steps.append(b)
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
    steps += [d for d in dwells if d.kind == "destination"]
    return Route(
        origin=origin,
        destination=destination,
        weight=weight,
        as_of=net.as_of,
        nodes=_dedupe(places),
        legs=legs,
        transfers=transfers,
        border_crossings=borders,
        countries=_ordered_countries(rg, path),
        steps=steps,
        leg_coords=geometry,
        dwells=dwells,
        box=rg.box,
    )


def _step_label(step: Leg | Transfer | BorderCrossing | Dwell) -> str:
    if isinstance(step, Dwell):
        return f"{step.kind} dwell at {step.at} ({step.service})"
    if isinstance(step, Leg):
        return f"{step.from_node}→{step.to_node} ({step.link})"
    if isinstance(step, Transfer):
        return f"{step.kind} change {step.from_service}→{step.to_service} at {step.at}"
    return f"border {step.from_country}→{step.to_country} at {step.at}"


def _ordered_countries(rg: RoutingGraph, path: Sequence[int]) -> list[str]:
    """Countries in travel order: the sides passed and the countries of links (canals)."""
    seq: list[str | None] = [rg.node_country[rg.tail[path[0]]]] if path else []
    for e in path:
        record = rg.edges[e]
        if record["kind"] == "link":
            seq.append(record["country"])
        seq.append(rg.node_country[rg.head[e]])
    return [c for c in _dedupe(seq) if c]


def _dedupe(items: Sequence[Any]) -> list[Any]:
    """Drop ``None`` and consecutive repeats."""
    out: list[Any] = []
    for item in items:
        if item is not None and (not out or out[-1] != item):
            out.append(item)
    return out


# --- public API ---------------------------------------------------------------------------
def _prepare(
    net: Network,
    origin: str,
    destination: str,
    *,
    weight: str | None,
    as_of: str | dt.date | None,
    scenario: Any = None,
    embargoes: bool = True,
    box: int = 20,
    **constraints: Any,
) -> tuple[Network, RoutingGraph, str, str, Constraints, str]:
    factors = settings
    box = _check_box(box)
    if scenario is not None:
        from .scenarios import resolve

        chosen = resolve(scenario, net=net)
        net, factors = chosen.apply(net, as_of=as_of), chosen.settings()
        constraints = _merge_constraints(chosen.constraints(), constraints)
        weight = weight or chosen.weight
    elif as_of is not None:
        net = net.at(as_of, announced=net.announced)
    weight = _check_weight(weight or "time")
    o = net.resolve(origin)
    d = net.resolve(destination)
    if o == d:
        raise UsageError(f"origin and destination are the same place ({o!r})")
    c = make_constraints(net, **constraints)
    if embargoes:
        c = Constraints(**{**c.__dict__, "embargoes": _embargo_rules(net, o, d)})
    for place in (o, d, *c.via):
        country = net.node_records[place].get("country")
        if country in c.avoid_countries:
            raise UsageError(f"{place!r} lies in {country}, which the route must avoid")
        if place not in net.usable_nodes:
            raise NoRouteError(f"{place!r} does not exist yet as of {net.as_of}")
    return net, routing_graph(net, factors=factors, box=box), o, d, c, weight


def _embargo_rules(
    net: Network, o: str, d: str
) -> tuple[tuple[str, str, tuple[str, ...], str], ...]:
    """Return the embargoes in force that bind goods from ``o`` to ``d``, as country bars.

    An origin embargo bars goods from its country entering another; a transit ban bars goods
    bound for its country (from anywhere, or from one country) passing through a third.
    """
    origin_country = net.node_records[o].get("country")
    destination_country = net.node_records[d].get("country")
    rules = []
    for e in net.embargoes_in_force():
        exempt = tuple(e.get("except_tags") or ())
        if e.get("kind", "origin") == "origin":
            if e["from_country"] == origin_country:
                rules.append((e["id"], e["to_country"], exempt, f"no entry into {e['to_country']}"))
        elif (
            e["to_country"] == destination_country
            and e.get("from_country") in (None, origin_country)
            and e["through_country"] != origin_country  # goods leaving it are not in transit
        ):
            text = f"goods bound for {e['to_country']} may not pass through {e['through_country']}"
            rules.append((e["id"], e["through_country"], exempt, text))
    return tuple(rules)


def _merge_constraints(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if key == "modes":
            if value is not None:  # narrowing: only modes both allow
                value = [value] if isinstance(value, str) else list(value)
                before = merged.get("modes")
                merged["modes"] = tuple(m for m in value if before is None or m in before)
        elif value:
            merged[key] = tuple(merged.get(key, ())) + tuple(
                [value] if isinstance(value, str) else value
            )
    return merged


def _best_path(
    net: Network, rg: RoutingGraph, o: str, d: str, c: Constraints, weight: str
) -> list[int] | None:
    weights = np.where(_allowed(rg, c), rg.quantities[WEIGHTS[weight]], np.inf)
    weights[_changes_at(rg, (o, d))] = np.inf
    stops = _stops(rg, [o, *c.via, d], net)
    return _search(rg, weights, stops, _through(rg, c), dwell=_dwell_weight(rg, weight))


def _changes_at(rg: RoutingGraph, places: Iterable[str]) -> np.ndarray:
    """Edges that change gauge or mode at ``places``.

    A trip starts on the service it leaves by, and its terminal dwell covers getting the box on
    board: a change at the origin or the destination would count that twice.
    """
    wanted = set(places)
    return np.asarray(
        [
            i
            for i, e in enumerate(rg.edges)
            if e["kind"] == "change" and e.get("transfer") and e["at"] in wanted
        ],
        dtype=np.int64,
    )


def _dwell_weight(rg: RoutingGraph, weight: str) -> np.ndarray | None:
    """Terminal dwell in the unit of ``weight`` per routing node (time only), or ``None``."""
    return rg.dwell_h if weight == "time" and len(rg.dwell_h) else None


def _through(rg: RoutingGraph, c: Constraints) -> list[np.ndarray]:
    """Edge groups the route must use: one per country to enter and per tag to travel on."""
    empty = np.zeros(0, dtype=np.int64)
    return [rg.enters_country.get(country, empty) for country in c.through_countries] + [
        rg.by_tag.get(tag, empty) for tag in c.through_tags
    ]


def route(
    net: Network,
    origin: str,
    destination: str,
    *,
    weight: str | None = None,
    modes: Iterable[str] | None = None,
    avoid_countries: Iterable[str] = (),
    avoid_links: Iterable[str] = (),
    avoid_tags: Iterable[str] = (),
    via: Iterable[str] = (),
    through_countries: Iterable[str] = (),
    through_tags: Iterable[str] = (),
    as_of: str | dt.date | None = None,
    scenario: Any = None,
    embargoes: bool = True,
    box: int = 20,
) -> Route:
    """Return the best route between two places.

    Parameters
    ----------
    net
        Network from :func:`corridors.load_network`.
    origin, destination
        Place ids, names or aliases (``"Stepanakert"`` finds ``khankendi``).
    weight
        What to minimise: ``"distance"`` (km), ``"time"`` (h), ``"cost"`` (USD/TEU) or
        ``"co2"`` (kg CO2e/TEU); the scenario's weight, else ``"time"``, when ``None``.
    modes
        Modes the route may use (``rail``, ``road``, ``ferry``, ``sea``); all when ``None``.
    avoid_countries
        ISO3 codes the route must not enter (``["RUS", "BLR"]``).
    avoid_links, avoid_tags
        Link ids, and tags (``lachin_corridor``, ``suez``…), the route must not use.
    via
        Places the route must pass, in order.
    through_countries, through_tags
        Countries the route must enter, and tags of links it must travel on, each at least
        once and in any order (``through_countries=["IRN"]``: the best route through Iran).
        At most four in all: each doubles the graph the search runs on.
    as_of
        Date whose network to use; the network's own date when ``None``.
    scenario
        A bundled scenario name, a path to a scenario file, or a
        :class:`~corridors.scenarios.Scenario`; the options above narrow it further.
    embargoes
        Apply the dataset's embargoes in force (``embargoes.json``): goods from a country may
        not enter a country that bars them, except on exempt links (the Lachin corridor for
        Armenia-Karabakh traffic). ``False`` shows the physical network's answer.
    box
        Container size, ft: 20 (figures per TEU) or 40 (per 40-ft box: haulage and CO2 times the
        settings' ``feu_factor``, border and transfer fees once per box).

    Returns
    -------
    Route

    Raises
    ------
    NoRouteError
        When no route exists; the message says which constraint blocks it.
    UsageError
        For unknown places, weights, modes, countries, tags or links.

    Examples
    --------
    >>> import corridors as cr
    >>> net = cr.load_network(as_of="2026-01-01")
    >>> r = cr.route(net, "baku", "kars", modes=["rail"], weight="distance")
    >>> r.countries
    ['AZE', 'GEO', 'TUR']
    """
    return alternatives(
        net,
        origin,
        destination,
        k=1,
        weight=weight,
        modes=modes,
        avoid_countries=avoid_countries,
        avoid_links=avoid_links,
        avoid_tags=avoid_tags,
        via=via,
        through_countries=through_countries,
        through_tags=through_tags,
        as_of=as_of,
        scenario=scenario,
        embargoes=embargoes,
        box=box,
    )[0]


def _explain_no_route(
    net: Network, rg: RoutingGraph, o: str, d: str, c: Constraints, weight: str
) -> str:
    """Say which constraint blocks a route: the one that really does, not every suspect."""
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
        relaxed = Constraints(**{**c.__dict__, name: None if name == "modes" else ()})  # type: ignore[arg-type]
        if _best_path(net, rg, o, d, relaxed, weight) is not None:
            blocking.append(text)
    if blocking:
        return f"{base}: blocked by {' and by '.join(blocking)} (a route exists without it)"
    described = "; ".join(text for _, text in c.describe())
    if described:
        return f"{base} with {described}; the links open on that date do not connect them"
    return f"{base}: the links open on that date do not connect them"


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
    links = [i for i, p in net.link_records.items() if place in (p["u"], p["v"])]
    return _not_open(net, links)


def alternatives(
    net: Network,
    origin: str,
    destination: str,
    *,
    k: int = 3,
    weight: str | None = None,
    share_factor: float | None = None,
    penalty: float = 1.6,
    modes: Iterable[str] | None = None,
    avoid_countries: Iterable[str] = (),
    avoid_links: Iterable[str] = (),
    avoid_tags: Iterable[str] = (),
    via: Iterable[str] = (),
    through_countries: Iterable[str] = (),
    through_tags: Iterable[str] = (),
    as_of: str | dt.date | None = None,
    scenario: Any = None,
    embargoes: bool = True,
    box: int = 20,
) -> list[Route]:
    """Return up to ``k`` routes that differ materially, best first.

    The first is :func:`route`'s answer. Further candidates come from searches in which the links
    of the routes already found cost ``penalty`` times more (the penalty method); a candidate is
    kept only if no more than ``share_factor`` of its length (relative to the shorter of the two)
    runs on links of a route already kept, so alternatives are not near-copies of the best
    (openrouteservice's ``share_factor``).

    Parameters
    ----------
    net, origin, destination
        As for :func:`route`.
    k
        Most routes to return (1 or more).
    share_factor
        Largest share, 0–1, an alternative may have in common with a better route; the settings'
        ``share_factor`` when ``None``.
    penalty
        Factor by which a used link's weight grows per route that uses it (> 1).
    weight, modes, avoid_countries, avoid_links, avoid_tags, via, through_countries, \
    through_tags, as_of, scenario, embargoes, box
        As for :func:`route`.

    Returns
    -------
    list of Route
        Sorted by ``weight``; distinct link sequences.
    """
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_ALTERNATIVES:
        raise UsageError(
            f"k must be a whole number from 1 to {MAX_ALTERNATIVES}, not {k!r} "
            "(alternatives that share little run out long before)"
        )
    if penalty <= 1:
        raise UsageError(f"penalty must be greater than 1, not {penalty!r}")
    share = settings.share_factor if share_factor is None else float(share_factor)
    if not 0 <= share <= 1:
        raise UsageError(f"share_factor must lie between 0 and 1, not {share_factor!r}")
    net, rg, o, d, c, weight = _prepare(
        net,
        origin,
        destination,
        weight=weight,
        as_of=as_of,
        scenario=scenario,
        embargoes=embargoes,
        box=box,
        modes=modes,
        avoid_countries=avoid_countries,
        avoid_links=avoid_links,
        avoid_tags=avoid_tags,
        via=via,
        through_countries=through_countries,
        through_tags=through_tags,
    )
    base = np.where(_allowed(rg, c), rg.quantities[WEIGHTS[weight]], np.inf)
    base[_changes_at(rg, (o, d))] = np.inf
    stops = _stops(rg, [o, *c.via, d], net)
    through = _through(rg, c)
    dwell = _dwell_weight(rg, weight)
    first = _search(rg, base, stops, through, dwell=dwell)
    if first is None:
        raise NoRouteError(_explain_no_route(net, rg, o, d, c, weight))
    kept = [first]
    uses: dict[str, int] = defaultdict(int)
    weights = base.copy()
    for _ in range(4 * k + 4):
        if len(kept) >= k:
            break
        for link in {rg.link_ids[e] for e in kept[-1]} - {""}:
            uses[link] += 1
        factor = np.ones(len(base))
        for link, count in uses.items():
            factor[rg.by_link[link]] = np.power(penalty, min(count, _MAX_PENALTY_POWER))
        weights = base * factor
        candidate = _search(rg, weights, stops, through, dwell=dwell)
        if candidate is None:
            break
        if all(_shared_share(rg, candidate, p) <= share for p in kept):
            kept.append(candidate)
        else:  # too close to a kept route: push the next search further away
            for link in {rg.link_ids[e] for e in candidate} - {""}:
                uses[link] += 1
    routes = [_build_route(rg, net, p, o, d, weight) for p in kept]
    return sorted(routes, key=lambda r: r.total(weight))


def _link_km(rg: RoutingGraph, path: Sequence[int]) -> dict[str, float]:
    km = rg.quantities["distance_km"]
    return {rg.link_ids[e]: float(km[e]) for e in path if rg.link_ids[e]}


def _shared_share(rg: RoutingGraph, a: Sequence[int], b: Sequence[int]) -> float:
    la, lb = _link_km(rg, a), _link_km(rg, b)
    shared = sum(km for link, km in la.items() if link in lb)
    shorter = min(sum(la.values()), sum(lb.values()))
    return shared / shorter if shorter > 0 else 1.0

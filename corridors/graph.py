"""The layered routing graph: one routing node per place, service and side (its structure).

Each place becomes one routing node per *service* that reaches it (``rail:1520``, ``rail:1435``,
``road``, ``ferry``, ``sea``) and per *side*: the country whose network the node belongs to (the
two sides of a border crossing are two nodes). A change of gauge or mode, and a border crossing,
are edges between routing nodes of the same place, so the shortest-path search pays for them
(BRIEF §3). On water the side is the country where the goods were loaded, which is how landing in
another country pays its customs time and cost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .network import Network
from .schema import WATER_MODES, Provenance

if TYPE_CHECKING:
    import networkx as nx


TERMINAL_KINDS = frozenset({"city", "port", "station"})  # where goods change mode


def service_of(mode: str, gauge_mm: int | None) -> str:
    """Return the service name of a mode and gauge (``rail:1520``, ``road``, ``sea``…)."""
    return f"rail:{gauge_mm}" if mode == "rail" else mode


def mode_of(service: str) -> str:
    """Return the mode of a service name (``rail:1520`` → ``rail``)."""
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
    parts: dict[str, np.ndarray] = field(default_factory=dict)  # TIME_PARTS per edge
    dwell_h: np.ndarray = field(default_factory=lambda: np.zeros(0))  # per routing node
    dwell_provenance: list[Provenance] = field(default_factory=list)
    box: int = 20
    risk_usd: np.ndarray = field(default_factory=lambda: np.zeros(0))  # per edge, per box
    value_of_time_usd_per_h: float = 0.0  # per box: the generalized weight of an hour
    carbon_price_usd_per_t: float = 0.0
    generalized_provenance: Provenance = ()  # value of time and carbon price, cited
    _lazy: dict[str, Any] = field(default_factory=dict, repr=False)
    # this graph's own, not passed on by dataclasses.replace (a re-priced copy has other figures)
    _own: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def weights_cache(self) -> dict[Any, Any]:
        """Search weights by weight and constraints, and where trips start (:mod:`routing`).

        Not shared with re-priced copies (:func:`corridors.reprice`): their figures differ.
        """
        return self._own

    @property
    def layered_cache(self) -> dict[Any, Any]:
        """Layered search patterns of this graph by requirements (owned by :mod:`search`)."""
        return self._lazy.setdefault("layered", {})

    @property
    def search_cache(self) -> dict[Any, Any]:
        """The sparse-matrix pattern of this graph (owned by :mod:`corridors.search`).

        Shared with re-priced copies (:func:`corridors.reprice`): the pattern depends on the
        structure only; each search fills in its weights (``inf`` where it may not go).
        """
        return self._lazy.setdefault("csr", {})

    @property
    def changes_by_place(self) -> dict[str, np.ndarray]:
        """Per place, the edges that change gauge or mode there (built once)."""
        if "changes" not in self._lazy:
            groups: dict[str, list[int]] = defaultdict(list)
            for i, record in enumerate(self.edges):
                if record["kind"] == "change" and record.get("transfer"):
                    groups[record["at"]].append(i)
            self._lazy["changes"] = {
                place: np.asarray(idx, dtype=np.int64) for place, idx in groups.items()
            }
        return self._lazy["changes"]

    @property
    def part_edges(self) -> dict[str, np.ndarray]:
        """Per time part, which edges can carry it (built once; shared with re-priced copies).

        ``wait_h`` and ``moving_h`` on links, ``border_h`` on changes that cross a border,
        ``transfer_h`` on changes of gauge or mode.
        """
        if "part_edges" not in self._lazy:
            link = np.asarray([e["kind"] == "link" for e in self.edges], dtype=bool)
            self._lazy["part_edges"] = {
                "moving_h": link,
                "wait_h": link,
                "border_h": np.asarray([bool(e.get("border")) for e in self.edges], dtype=bool),
                "transfer_h": np.asarray(
                    [e["kind"] == "change" and bool(e.get("transfer")) for e in self.edges],
                    dtype=bool,
                ),
            }
        return self._lazy["part_edges"]

    @property
    def skim_cache(self) -> dict[str, Any]:
        """Per-edge facts many-to-many skims read (owned by :mod:`corridors.skim`)."""
        return self._lazy.setdefault("skim", {})

    @property
    def turn_graph(self) -> TurnGraph:
        """The graph of ``(routing node, link arrived by)`` states (built once)."""
        if "turns" not in self._lazy:
            self._lazy["turns"] = turn_graph_of(self)
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


def turn_graph_of(rg: RoutingGraph) -> TurnGraph:
    """Build the ``(routing node, link arrived by)`` states of ``rg`` and the moves between them."""
    n = len(rg.nodes)
    is_link = rg.link_ids != ""
    state_node = list(range(n))
    state_last = [-1] * n
    index: dict[tuple[int, int], int] = {}
    for e in np.flatnonzero(is_link):
        for u in rg.by_place[rg.nodes[int(rg.head[e])][0]]:
            index[(u, int(e))] = len(state_node)
            state_node.append(u)
            state_last.append(int(e))
    leaving: dict[int, list[int]] = defaultdict(list)
    for i, t in enumerate(rg.tail):
        leaving[int(t)].append(i)
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


def water_sides(net: Network) -> dict[str, frozenset[str]]:
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


def group_edges(
    edges: Sequence[Mapping], tail: np.ndarray, head: np.ndarray, node_country: Sequence, what: str
) -> dict[str, np.ndarray]:
    """Return the edge indices by country, tag, link or mode (``what``)."""
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

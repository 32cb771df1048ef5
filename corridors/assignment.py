"""Volumes on the network: user-equilibrium assignment with queues, and criticality.

Demand (TEU a year per origin-destination pair, ``data/demand/``) is routed on the priced graph
(:mod:`corridors.pricing`). Every element with a published capacity (``capacity_teu_year`` on a
link — a line or ferry route — or on a node — a port, station or border crossing, where goods
change gauge, mode or country) gets a queueing delay that grows with its volume/capacity ratio,
and routes re-choose until no box can save time by changing route (Wardrop's user equilibrium),
solved by gradient projection, Frank–Wolfe or the method of successive averages. Each iteration
re-prices the waits with :func:`corridors.reprice` and re-runs the search; nothing is rebuilt.

The queueing delay is the mean wait in an M/M/1 queue (Kleinrock 1975, *Queueing Systems*
vol. 1, §3.2; Kingman's heavy-traffic formula with coefficients of variation of 1):
``W = s · ρ / (1 - ρ)`` with ``ρ`` = volume/capacity and ``s`` the element's service time, the
time it takes to serve one batch: ``168 h / sailings_per_week`` for a ferry route with a sailing
count (one sailing serves one shipload), otherwise ``8760 h × batch / capacity`` with the batch of
``settings.queue_batch_teu`` (a 90-TEU train; a truck at road-only crossings). Above
``settings.queue_rho_max`` (0.95) the wait grows along its tangent, so a volume above capacity
has a long but finite queue rather than none at all.

Volumes are TEU a year in both directions together, counted against the one published capacity.
A line drawn as several links that each carry the line's capacity (the BTK railway) is a tandem
of queues, one per link, as in a Jackson network: each section is a server and a box waits at
each, which overstates the wait on a line that behaves as one server.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._progress import progress
from .errors import UsageError
from .graph import RoutingGraph, mode_of
from .network import Network
from .pricing import reprice, routing_graph
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
from .scenarios import resolve, routing_inputs
from .schema import MODES, WATER_MODES
from .search import search
from .settings import Settings, bundled_path, settings

if TYPE_CHECKING:
    import pandas as pd

    from .scenarios import Scenario


HOURS_PER_YEAR = 8760.0
HOURS_PER_WEEK = 168.0

METHODS = ("frank-wolfe", "msa", "gradient-projection")

ELEMENT_COLUMNS = (
    "element",
    "kind",
    "name",
    "volume_teu",
    "capacity_teu_year",
    "v_c",
    "queue_h",
    "free_flow_teu",
    "diverted_teu",
    "service_h",
    "capacity_source",
)
"""Columns of :attr:`Assignment.elements`."""

OD_COLUMNS = (
    "origin",
    "destination",
    "modes",
    "demand_teu",
    "served_teu",
    "unserved_teu",
    "time_h",
    "cost_usd",
    "routes",
)
"""Columns of :attr:`Assignment.od`."""

ROUTE_COLUMNS = ("origin", "destination", "route", "share", "volume_teu", "time_h", "cost_usd")
"""Columns of :attr:`Assignment.routes`: one row per route an OD pair uses."""

CRITICALITY_COLUMNS = (
    "rank",
    "element",
    "kind",
    "name",
    "added_teu_h",
    "added_cost_usd",
    "unserved_teu",
    "volume_teu",
)
"""Columns of :func:`criticality`'s table."""

DEMAND_COLUMNS = ("origin", "destination", "teu_per_year", "modes", "source")
"""Columns of a demand file (``modes`` optional: ``rail+ferry+sea``; every mode when empty)."""

_LINE_SEARCH_STEPS = 40  # bisections of the Frank-Wolfe step: 2**-40 of the unit interval
_SAME_H = 1e-6  # hours: two route times closer than this are the same
_INNER_SWEEPS = 5  # gradient projection: sweeps over the known routes per new search

DelayFunction = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
"""``delay(volume, capacity, service_h) -> hours``, element-wise, non-decreasing in volume."""


# ---------------------------------------------------------------------------------------------
# demand


def demand_files() -> list[str]:
    """Return the names of the bundled demand tables (``data/demand/*.csv``), sorted."""
    found = bundled_path("demand")
    return sorted(p.stem for p in found.glob("*.csv")) if found else []


def load_demand(demand: str | Path | pd.DataFrame, *, net: Network | None = None) -> pd.DataFrame:
    """Return a demand table: ``origin``, ``destination``, ``teu_per_year``, ``modes``, ``source``.

    Parameters
    ----------
    demand
        A bundled name (``"china_europe_2022"``), a path to a CSV file with those columns, or a
        DataFrame with them (``modes`` and ``source`` optional). ``modes`` restricts a row's
        routes to some modes, joined by ``+`` (``rail+ferry+sea``: a rail container market,
        whose alternatives are the Caspian ferries and the sea, not trucks); empty for any.
    net
        Network whose place names to resolve (ids, names or aliases); unresolved when ``None``.

    Returns
    -------
    pandas.DataFrame
        One row per pair (repeated pairs summed), TEU a year.

    Raises
    ------
    UsageError
        For a missing file, a missing column, a negative or non-numeric volume, or an unknown
        place (the message names the row and the fix).
    """
    import pandas as pd

    if isinstance(demand, pd.DataFrame):
        table, where = demand.copy(), "demand table"
    else:
        path = _demand_path(demand)
        where = f"demand file {path.name}"
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                table = pd.DataFrame(list(csv.DictReader(handle)))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise UsageError(f"{where}: cannot read it ({exc})") from None
    missing = [c for c in DEMAND_COLUMNS[:3] if c not in table.columns]
    if missing:
        raise UsageError(
            f"{where}: missing column(s) {', '.join(missing)}; "
            f"a demand table has {', '.join(DEMAND_COLUMNS)}"
        )
    if "source" not in table.columns:
        table["source"] = ""
    if "modes" not in table.columns:
        table["modes"] = ""
    table["modes"] = [_modes_text(m, where, i) for i, m in enumerate(table["modes"])]
    volumes = pd.to_numeric(table["teu_per_year"], errors="coerce")
    bad = ~np.isfinite(volumes.to_numpy(dtype=float)) | (volumes < 0).to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise UsageError(
            f"{where}: row {row + 2}: teu_per_year {table['teu_per_year'].iloc[row]} "
            "must be a number of TEU a year, 0 or more"
        )
    table = table.assign(teu_per_year=volumes.astype(float))
    if net is not None:
        for column in ("origin", "destination"):
            table[column] = [net.resolve(str(p).strip()) for p in table[column]]
    same = table["origin"] == table["destination"]
    if same.any():
        row = int(np.flatnonzero(same.to_numpy())[0])
        raise UsageError(
            f"{where}: row {row + 2}: origin and destination are the same place "
            f"({table['origin'].iloc[row]!r}); drop the row"
        )
    grouped = table.groupby(["origin", "destination", "modes"], sort=False, as_index=False).agg(
        teu_per_year=("teu_per_year", "sum"),
        source=("source", lambda s: "; ".join(dict.fromkeys(str(x) for x in s if x))),
    )
    return grouped[list(DEMAND_COLUMNS)]


def _modes_text(value: Any, where: str, row: int) -> str:
    """Return a row's ``modes`` checked and normalised (``rail+ferry+sea``), or ``""``."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or not str(value).strip():
        return ""
    names = [m.strip() for m in str(value).split("+") if m.strip()]
    unknown = [m for m in names if m not in MODES]
    if unknown:
        raise UsageError(
            f"{where}: row {row + 2}: unknown mode {unknown[0]!r} in modes; "
            f"join some of {', '.join(MODES)} with +"
        )
    return "+".join(m for m in MODES if m in names)


def _demand_path(demand: str | Path) -> Path:
    path = Path(demand)
    if path.is_file():
        return path
    folder = bundled_path("demand")
    if folder is not None:
        for candidate in (folder / path.name, folder / f"{path.name}.csv"):
            if candidate.is_file():
                return candidate
    names = ", ".join(demand_files()) or "none"
    raise UsageError(f"demand file {str(demand)!r} not found; give a CSV path or one of: {names}")


def scenario_demand(scenario: str | Path | Scenario, *, net: Network | None = None) -> str | None:
    """Return the demand a scenario names (``demand = "…"`` in its file), or ``None``."""
    return resolve(scenario, net=net).demand


# ---------------------------------------------------------------------------------------------
# queueing delay


def queue_delay(
    volume: np.ndarray | float,
    capacity: np.ndarray | float,
    service_h: np.ndarray | float,
    *,
    rho_max: float | None = None,
) -> np.ndarray:
    """Return the mean queueing delay, h: M/M/1 ``s·ρ/(1-ρ)``, linear above ``rho_max``.

    Parameters
    ----------
    volume, capacity
        TEU a year through the element, and its capacity, TEU a year (> 0).
    service_h
        Time to serve one batch at the element, h.
    rho_max
        Volume/capacity above which the delay follows its tangent at ``rho_max``;
        ``settings.queue_rho_max`` when ``None``.

    Returns
    -------
    numpy.ndarray
        Hours, element-wise; continuous, convex and non-decreasing in ``volume``.

    Examples
    --------
    >>> float(queue_delay(50.0, 100.0, 2.0))  # half full: one service time
    2.0
    """
    limit = settings.queue_rho_max if rho_max is None else float(rho_max)
    if not 0 < limit < 1:
        raise UsageError(f"queue_rho_max must lie between 0 and 1, not {limit!r}")
    rho = np.asarray(volume, dtype=float) / np.asarray(capacity, dtype=float)
    s = np.asarray(service_h, dtype=float)
    low = np.minimum(rho, limit)
    wait = s * low / (1.0 - low)
    slope = s / (1.0 - limit) ** 2
    return np.where(rho > limit, wait + slope * (rho - limit), wait)


# ---------------------------------------------------------------------------------------------
# capacitated elements


@dataclass(frozen=True)
class Element:
    """A capacitated link or node and the routing-graph edges where its queue is paid."""

    id: str
    kind: str  # the link's mode, or the node's kind (port, station, border)
    name: str
    capacity_teu_year: float
    service_h: float
    edges: np.ndarray
    source: str


def capacitated_elements(
    net: Network, rg: RoutingGraph, *, factors: Settings | None = None
) -> list[Element]:
    """Return the elements of ``net`` with a capacity on its date, and where their queue is paid.

    A link's queue is paid on its edges (both directions share the capacity); a node's on the
    edges at that place that change gauge or mode or cross a border (its capacity is the
    handling there, ``data/geo/README.md``).
    """
    factors = factors or settings
    out: list[Element] = []
    for link_id, link in sorted(net.usable_links.items()):
        capacity = _capacity(link)
        edges = rg.by_link.get(link_id)
        if capacity is None or edges is None or not len(edges):
            continue
        if link.get("sailings_per_week"):
            service = HOURS_PER_WEEK / float(link["sailings_per_week"])
        else:
            batch = factors.queue_batch_teu["road" if link["mode"] == "road" else "rail"]
            service = HOURS_PER_YEAR * batch / capacity
        out.append(
            Element(
                id=link_id,
                kind=str(link["mode"]),
                name=str(link.get("name") or link_id),
                capacity_teu_year=capacity,
                service_h=service,
                edges=np.asarray(edges, dtype=np.int64),
                source=str(link.get("capacity_source", "")),
            )
        )
    handled: dict[str, list[int]] = {}
    for i, record in enumerate(rg.edges):
        if record["kind"] == "change" and (record.get("transfer") or record.get("border")):
            handled.setdefault(record["at"], []).append(i)
    for place, node in sorted(net.usable_nodes.items()):
        capacity = _capacity(node)
        if capacity is None or place not in handled:
            continue
        services = {mode_of(s) for _, s, _ in (rg.nodes[m] for m in rg.by_place.get(place, []))}
        road_only = services - set(WATER_MODES) == {"road"}
        batch = factors.queue_batch_teu["road" if road_only else "rail"]
        out.append(
            Element(
                id=place,
                kind=str(node.get("kind", "node")),
                name=str(node.get("name") or place),
                capacity_teu_year=capacity,
                service_h=HOURS_PER_YEAR * batch / capacity,
                edges=np.asarray(handled[place], dtype=np.int64),
                source=str(node.get("capacity_source", "")),
            )
        )
    return out


def _capacity(record: Mapping[str, Any]) -> float | None:
    if record.get("capacity_teu_year") is None:
        return None
    return float(record["capacity_teu_year"]) * float(record.get("capacity_factor", 1.0))


# ---------------------------------------------------------------------------------------------
# the problem: graph, elements, OD pairs


@dataclass
class _Pair:
    origin: str
    destination: str
    modes: str
    demand: float
    weights_mask: np.ndarray  # edges the pair may use
    stops: list[list[int]]
    through: list[np.ndarray]


@dataclass
class _Path:
    edges: tuple[int, ...]
    base_h: float  # free-flow hours, dwell included
    cost_usd: float
    counts: np.ndarray  # times the path passes each element's queue


@dataclass
class _Problem:
    net: Network
    rg: RoutingGraph
    elements: list[Element]
    pairs: list[_Pair]
    edge_element: np.ndarray  # per edge: index of its element, or -1
    wait_part: np.ndarray  # per edge: 0 wait_h (links), 1 transfer_h, 2 border_h
    capacity: np.ndarray
    service: np.ndarray
    dwell: np.ndarray | None
    delay: DelayFunction
    paths: dict[tuple[int, ...], _Path] = field(default_factory=dict)

    def edge_delay(self, delay: np.ndarray) -> np.ndarray:
        out = np.zeros(len(self.rg.edges))
        on = self.edge_element >= 0
        out[on] = delay[self.edge_element[on]]
        return out

    def congested(self, delay: np.ndarray) -> RoutingGraph:
        """Return the priced graph with the queues added to its waits (``reprice``)."""
        extra = self.edge_delay(delay)
        parts = self.rg.parts
        return reprice(
            self.rg,
            wait_h=parts["wait_h"] + np.where(self.wait_part == 0, extra, 0.0),
            transfer_h=parts["transfer_h"] + np.where(self.wait_part == 1, extra, 0.0),
            border_h=parts["border_h"] + np.where(self.wait_part == 2, extra, 0.0),
        )

    def path(self, edges: Sequence[int]) -> _Path:
        key = tuple(int(e) for e in edges)
        if key not in self.paths:
            base = float(self.rg.quantities["time_h"][list(key)].sum()) if key else 0.0
            if self.dwell is not None and key:
                base += float(self.dwell[self.rg.tail[key[0]]] + self.dwell[self.rg.head[key[-1]]])
            owners = self.edge_element[list(key)]
            counts = np.bincount(owners[owners >= 0], minlength=len(self.elements)).astype(float)
            cost = float(self.rg.quantities["cost_usd"][list(key)].sum())
            self.paths[key] = _Path(key, base, cost, counts)
        return self.paths[key]

    def shortest(
        self, time_h: np.ndarray, *, closed: np.ndarray | None = None
    ) -> list[_Path | None]:
        """All-or-nothing: the fastest path of every pair at edge times ``time_h``."""
        out: list[_Path | None] = []
        for pair in self.pairs:
            allowed = pair.weights_mask if closed is None else pair.weights_mask & ~closed
            weights = np.where(allowed, time_h, np.inf)
            found = search(self.rg, weights, pair.stops, pair.through, dwell=self.dwell)
            out.append(None if found is None else self.path(found))
        return out


def _prepare(
    net: Network,
    demand: pd.DataFrame,
    *,
    scenario: str | Path | Scenario | None,
    as_of: str | dt.date | None,
    box: int,
    delay: DelayFunction | None,
) -> _Problem:
    query = Query.of(as_of=as_of, box=box)
    factors: Settings | None = None
    if scenario is not None:
        net, factors, query = routing_inputs(scenario, net, query)
    elif as_of is not None:
        net = net.at(as_of, announced=net.announced)
    rg = routing_graph(net, factors=factors, box=query.box)
    elements = capacitated_elements(net, rg, factors=factors)
    edge_element = np.full(len(rg.edges), -1, dtype=np.int64)
    for k, element in enumerate(elements):
        edge_element[element.edges] = k
    wait_part = np.asarray(
        [0 if e["kind"] == "link" else (1 if e.get("transfer") else 2) for e in rg.edges],
        dtype=np.int64,
    )
    rho_max = (factors or settings).queue_rho_max
    chosen = delay or (lambda v, c, s: queue_delay(v, c, s, rho_max=rho_max))
    base = make_constraints(net, **query.constraints())
    pairs = []
    volumes = demand["teu_per_year"].to_numpy(dtype=float)
    for origin, destination, teu, modes in zip(
        demand["origin"], demand["destination"], volumes, demand["modes"], strict=True
    ):
        o, d = net.resolve(str(origin)), net.resolve(str(destination))
        c = base
        if modes:  # the row's market: narrows what the scenario allows
            allowed = [m for m in str(modes).split("+") if c.modes is None or m in c.modes]
            c = Constraints(**{**c.__dict__, "modes": tuple(allowed)})
        if query.embargoes:
            c = Constraints(**{**c.__dict__, "embargoes": embargo_rules(net, o, d)})
        mask = allowed_edges(rg, c)
        mask[changes_at(rg, (o, d))] = False
        pairs.append(
            _Pair(
                origin=o,
                destination=d,
                modes=str(modes),
                demand=float(teu),
                weights_mask=mask,
                stops=_stops(rg, net, [o, *c.via, d]),
                through=through_groups(rg, c),
            )
        )
    return _Problem(
        net=net,
        rg=rg,
        elements=elements,
        pairs=pairs,
        edge_element=edge_element,
        wait_part=wait_part,
        capacity=np.asarray([e.capacity_teu_year for e in elements], dtype=float),
        service=np.asarray([e.service_h for e in elements], dtype=float),
        dwell=dwell_weight(rg, "time"),
        delay=chosen,
    )


def _stops(rg: RoutingGraph, net: Network, places: Sequence[str]) -> list[list[int]]:
    """Routing nodes of each stop; a trip starts on land or on a ship loaded in its country."""
    stops = []
    for i, place in enumerate(places):
        members = rg.by_place.get(place, [])
        if i == 0:
            country = net.usable_nodes.get(place, {}).get("country")
            members = [
                m
                for m in members
                if rg.nodes[m][2] == country or mode_of(rg.nodes[m][1]) not in WATER_MODES
            ]
        stops.append(list(members))
    return stops


# ---------------------------------------------------------------------------------------------
# assignment


@dataclass
class Assignment:
    """The result of :func:`assign`.

    Attributes
    ----------
    elements
        Per capacitated element (:data:`ELEMENT_COLUMNS`): TEU a year through it, its capacity,
        v/c, queue hours at equilibrium; ``free_flow_teu``, the volume were every box routed on
        the empty network (what routing without volumes gives), and ``diverted_teu``, how much
        of that the queues pushed elsewhere; service time and the capacity's source. Busiest
        first.
    od
        Per pair (:data:`OD_COLUMNS`): demand, TEU served and unserved (no route at all), the
        volume-weighted mean time (h, queues and dwell included) and cost (USD/TEU) of its
        routes, and the routes with their shares as text.
    routes
        Per pair and route (:data:`ROUTE_COLUMNS`).
    gaps
        Relative gap after each iteration: (total time − time on the fastest routes) / total.
    converged
        Whether the last gap is under the tolerance.
    method, as_of, scenario
        How and on what it was computed.
    """

    elements: pd.DataFrame
    od: pd.DataFrame
    routes: pd.DataFrame
    gaps: list[float]
    converged: bool
    method: str
    as_of: dt.date
    scenario: str | None = None
    _problem: _Problem | None = field(default=None, repr=False)
    _flows: list[dict[tuple[int, ...], float]] = field(default_factory=list, repr=False)
    _delay: np.ndarray | None = field(default=None, repr=False)

    @property
    def teu_hours(self) -> float:
        """Total TEU-hours a year of the served demand (queues and dwell included)."""
        served = self.od["served_teu"] * self.od["time_h"]
        return float(served.fillna(0.0).sum())

    @property
    def unserved_teu(self) -> float:
        """TEU a year that no open route can carry."""
        return float(self.od["unserved_teu"].sum())

    @property
    def network(self) -> Network:
        """The network as of the date it was assigned on (scenario overrides applied)."""
        if self._problem is None:
            raise UsageError("this assignment carries no network; compute it with cr.assign")
        return self._problem.net

    def link_volumes(self) -> pd.DataFrame:
        """Return TEU a year on every link that carries any, both directions together.

        Returns
        -------
        pandas.DataFrame
            ``link``, ``mode``, ``volume_teu``, ``capacity_teu_year`` (NaN where none is
            published) and ``v_c``; busiest first.
        """
        import pandas as pd

        if self._problem is None:
            raise UsageError("this assignment carries no network; compute it with cr.assign")
        rg = self._problem.rg
        totals: dict[str, float] = {}
        for by_path in self._flows:
            for key, flow in by_path.items():
                for link in {str(rg.link_ids[e]) for e in key} - {""}:
                    totals[link] = totals.get(link, 0.0) + flow
        links = self._problem.net.usable_links
        rows = []
        for link, volume in totals.items():
            capacity = _capacity(links[link])
            rows.append(
                {
                    "link": link,
                    "mode": links[link]["mode"],
                    "volume_teu": volume,
                    "capacity_teu_year": float("nan") if capacity is None else capacity,
                    "v_c": float("nan") if capacity is None else volume / capacity,
                }
            )
        columns = ["link", "mode", "volume_teu", "capacity_teu_year", "v_c"]
        table = pd.DataFrame(rows, columns=columns)
        return table.sort_values(["volume_teu", "link"], ascending=[False, True], ignore_index=True)


def assign(
    net: Network,
    demand: str | Path | pd.DataFrame | None = None,
    *,
    scenario: str | Path | Scenario | None = None,
    as_of: str | dt.date | None = None,
    method: str = "gradient-projection",
    max_iter: int = 50,
    gap: float = 1e-3,
    box: int = 20,
    delay: DelayFunction | None = None,
    show_progress: bool | None = None,
) -> Assignment:
    """Assign demand to the network: static user equilibrium with queues at capacities.

    Parameters
    ----------
    net
        The network.
    demand
        TEU a year per pair: a bundled name (``"china_europe_2022"``), a CSV path or a
        DataFrame (:func:`load_demand`); the scenario's ``demand`` when ``None``.
    scenario
        A bundled scenario name, a path or a :class:`~corridors.scenarios.Scenario`: its date,
        settings, overrides and what it avoids.
    as_of
        Date of the network; the scenario's (or the network's) when ``None``.
    method
        ``"gradient-projection"`` (path-based: each pair moves flow from its slower routes to
        its fastest by a Newton step, Jayakrishnan et al. 1994, Transportation Research Record
        1443), ``"frank-wolfe"`` (all-or-nothing targets and a line search on the Beckmann
        objective) or ``"msa"`` (the method of successive averages, step 1/(n+1)). Frank–Wolfe
        and MSA zigzag when queues are steep (a port above capacity): on the bundled network
        gradient projection reaches a gap of 1e-3 in under ten iterations where they do not in
        fifty.
    max_iter
        Most iterations (1 or more).
    gap
        Stop when the relative gap falls under this (> 0).
    box
        Container size, ft (20 or 40).
    delay
        ``delay(volume, capacity, service_h) -> h`` per element instead of the M/M/1 wait
        (:func:`queue_delay`); it must be non-decreasing in volume.
    show_progress
        Force the progress bar on or off; ``settings.progress`` decides when ``None``.

    Returns
    -------
    Assignment

    Raises
    ------
    UsageError
        For a bad method, iteration count, tolerance or demand table; a pair that no route
        joins is reported as unserved, not raised.

    Notes
    -----
    Routes minimise time (queues are time), whatever the scenario's ``weight``; their cost is
    reported as priced (queues cost no USD here).

    Examples
    --------
    >>> import corridors as cr
    >>> result = cr.assign(cr.load_network(), scenario="2022-sanctions")  # its own demand
    >>> ferry = result.elements.set_index("element").loc["ferry_aktau_alat"]
    >>> bool(ferry.free_flow_teu > ferry.capacity_teu_year > ferry.volume_teu)  # diverted
    True
    """
    if method not in METHODS:
        raise UsageError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if not isinstance(max_iter, int) or isinstance(max_iter, bool) or max_iter < 1:
        raise UsageError(f"max_iter must be a whole number, 1 or more, not {max_iter!r}")
    if not (isinstance(gap, int | float) and math.isfinite(gap) and gap > 0):
        raise UsageError(f"gap must be a relative gap above 0 (e.g. 1e-3), not {gap!r}")
    if demand is None:
        named = scenario_demand(scenario, net=net) if scenario is not None else None
        if named is None:
            raise UsageError("no demand: give a demand table or a scenario that names one")
        demand = named
    table = load_demand(demand, net=net)
    problem = _prepare(net, table, scenario=scenario, as_of=as_of, box=box, delay=delay)
    flows, gaps, volume, free = _equilibrium(
        problem, method=method, max_iter=max_iter, gap=gap, show_progress=show_progress
    )
    name = None if scenario is None else resolve(scenario, net=net).name
    return _result(problem, flows, gaps, volume, free, gap=gap, method=method, scenario=name)


def _volumes(problem: _Problem, flows: list[dict[tuple[int, ...], float]]) -> np.ndarray:
    volume = np.zeros(len(problem.elements))
    for by_path in flows:
        for key, flow in by_path.items():
            volume += flow * problem.paths[key].counts
    return volume


def _equilibrium(
    problem: _Problem,
    *,
    method: str,
    max_iter: int,
    gap: float,
    show_progress: bool | None,
    start: list[dict[tuple[int, ...], float]] | None = None,
) -> tuple[list[dict[tuple[int, ...], float]], list[float], np.ndarray, np.ndarray]:
    """Iterate to equilibrium; return flows per pair, gaps, and equilibrium and start volumes.

    The start is all-or-nothing on the empty network, or ``start`` (flows per pair).
    """
    free = problem.rg.quantities["time_h"]
    delay_of = problem.delay

    def delays(volume: np.ndarray) -> np.ndarray:
        if not len(volume):
            return volume
        return np.asarray(delay_of(volume, problem.capacity, problem.service), dtype=float)

    if start is None:
        first = problem.shortest(free)
        flows = [
            {} if p is None else {p.edges: pair.demand}
            for pair, p in zip(problem.pairs, first, strict=True)
        ]
    else:
        flows = [dict(by_path) for by_path in start]
    volume = _volumes(problem, flows)
    free_volume = volume.copy()
    gaps: list[float] = []
    for n in progress(range(1, max_iter + 1), desc="assign", unit="iter", enabled=show_progress):
        delay = delays(volume)
        congested = problem.congested(delay)
        best = problem.shortest(congested.quantities["time_h"])
        gaps.append(_relative_gap(problem, flows, best, delay))
        if gaps[-1] < gap:
            break
        if method == "gradient-projection":
            volume = _shift_to_best(problem, flows, best, volume, delays)
            continue
        target = [
            {} if p is None else {p.edges: pair.demand}
            for pair, p in zip(problem.pairs, best, strict=True)
        ]
        aimed = _volumes(problem, target)
        if method == "msa":
            step = 1.0 / (n + 1)
        else:
            step = _line_search(problem, flows, target, volume, aimed, delays)
        flows = [_mix(now, to, step) for now, to in zip(flows, target, strict=True)]
        volume = _volumes(problem, flows)
    return flows, gaps, volume, free_volume


def _relative_gap(
    problem: _Problem,
    flows: list[dict[tuple[int, ...], float]],
    best: Sequence[_Path | None],
    delay: np.ndarray,
) -> float:
    """(Total time − the time were every box on its pair's fastest route) / total time."""
    total = sum(
        f * (problem.paths[k].base_h + problem.paths[k].counts @ delay)
        for by_path in flows
        for k, f in by_path.items()
    )
    least = sum(
        pair.demand * (p.base_h + p.counts @ delay)
        for pair, p in zip(problem.pairs, best, strict=True)
        if p is not None
    )
    return max(float((total - least) / total), 0.0) if total > 0 else 0.0


def _shift_to_best(
    problem: _Problem,
    flows: list[dict[tuple[int, ...], float]],
    best: Sequence[_Path | None],
    volume: np.ndarray,
    delays: Callable[[np.ndarray], np.ndarray],
) -> np.ndarray:
    """Sweeps of gradient projection (Jayakrishnan et al. 1994), pair after pair.

    The fastest route just found joins each pair's routes; then, a few times over, each pair's
    slower routes give its currently fastest one a Newton step of flow: the excess time over the
    fastest divided by how fast that excess shrinks per TEU moved (the slopes of the delays of
    the elements the two routes do not share), at most all their flow. Volumes and delays are
    updated after every move, so each pair sees the others' moves.
    """
    volume = volume.copy()
    for by_path, shortest in zip(flows, best, strict=True):
        if shortest is not None and by_path:
            by_path.setdefault(shortest.edges, 0.0)
    for _ in range(_INNER_SWEEPS):
        for by_path in flows:
            if len(by_path) < 2:
                continue
            delay = delays(volume)
            paths = [problem.paths[k] for k in by_path]
            costs = [p.base_h + p.counts @ delay for p in paths]
            target = paths[int(np.argmin(costs))]
            for path in paths:
                if path is target:
                    continue
                delay = delays(volume)
                excess = (path.counts - target.counts) @ delay + path.base_h - target.base_h
                if excess <= 0:
                    continue
                diff = path.counts - target.counts
                curvature = float((diff * diff) @ _delay_slope(problem, volume, delays))
                flow = by_path[path.edges]
                moved = flow if curvature <= 0 else min(flow, excess / curvature)
                by_path[path.edges] -= moved
                by_path[target.edges] += moved
                volume -= moved * diff
            for key in [k for k, f in by_path.items() if f <= 1e-9]:
                del by_path[key]
    return np.maximum(volume, 0.0)


def _delay_slope(
    problem: _Problem, volume: np.ndarray, delays: Callable[[np.ndarray], np.ndarray]
) -> np.ndarray:
    """Hours of delay added per TEU a year, per element (a central difference)."""
    step = 1e-4 * problem.capacity
    up = delays(volume + step)
    down = delays(np.maximum(volume - step, 0.0))
    return (up - down) / (volume + step - np.maximum(volume - step, 0.0))


def _mix(
    now: dict[tuple[int, ...], float], to: dict[tuple[int, ...], float], step: float
) -> dict[tuple[int, ...], float]:
    out = {k: (1.0 - step) * f for k, f in now.items()}
    for k, f in to.items():
        out[k] = out.get(k, 0.0) + step * f
    return {k: f for k, f in out.items() if f > 1e-9}


def _line_search(
    problem: _Problem,
    flows: list[dict[tuple[int, ...], float]],
    target: list[dict[tuple[int, ...], float]],
    volume: np.ndarray,
    aimed: np.ndarray,
    delays: Callable[[np.ndarray], np.ndarray],
) -> float:
    """Step minimising the Beckmann objective between now and the all-or-nothing flows.

    Its derivative in the step is the free-flow time of the move plus, per element, the change
    of volume times the delay at the mixed volume: non-decreasing, so bisection finds the root.
    """
    free_now = sum(f * problem.paths[k].base_h for by_path in flows for k, f in by_path.items())
    free_to = sum(f * problem.paths[k].base_h for by_path in target for k, f in by_path.items())
    change = aimed - volume

    def slope(step: float) -> float:
        return float(free_to - free_now + change @ delays(volume + step * change))

    if slope(1.0) <= 0:
        return 1.0
    if slope(0.0) >= 0:
        return 0.0
    low, high = 0.0, 1.0
    for _ in range(_LINE_SEARCH_STEPS):
        middle = (low + high) / 2
        if slope(middle) > 0:
            high = middle
        else:
            low = middle
    return (low + high) / 2


def _label(problem: _Problem, path: _Path) -> str:
    """Name a route: the countries in order, then where it crosses a border or changes mode.

    ``CHN-KAZ-AZE-GEO-TUR via khorgos, aktau, alat, …``: two routes through the same countries
    differ in their crossings and ports.
    """
    rg = problem.rg
    countries: list[str] = []
    places: list[str] = []
    for e in path.edges:
        record = rg.edges[e]
        for country in (rg.node_country[rg.tail[e]], rg.node_country[rg.head[e]]):
            if country and (not countries or countries[-1] != country):
                countries.append(country)
        handled = record["kind"] == "change" and (
            record.get("border") or record.get("transfer") == "mode"
        )
        if handled and record["at"] not in places:
            places.append(record["at"])
    text = "-".join(countries)
    return f"{text} via {', '.join(places)}" if places else text


def _result(
    problem: _Problem,
    flows: list[dict[tuple[int, ...], float]],
    gaps: list[float],
    volume: np.ndarray,
    free: np.ndarray,
    *,
    gap: float,
    method: str,
    scenario: str | None,
) -> Assignment:
    import pandas as pd

    delay = (
        np.asarray(problem.delay(volume, problem.capacity, problem.service), dtype=float)
        if len(volume)
        else volume
    )
    elements = pd.DataFrame(
        [
            {
                "element": e.id,
                "kind": e.kind,
                "name": e.name,
                "volume_teu": float(v),
                "capacity_teu_year": e.capacity_teu_year,
                "v_c": float(v / e.capacity_teu_year),
                "queue_h": float(q),
                "free_flow_teu": float(w),
                "diverted_teu": float(max(w - v, 0.0)),
                "service_h": e.service_h,
                "capacity_source": e.source,
            }
            for e, v, q, w in zip(problem.elements, volume, delay, free, strict=True)
        ],
        columns=list(ELEMENT_COLUMNS),
    )
    elements = elements.sort_values(["v_c", "element"], ascending=[False, True], ignore_index=True)
    od_rows, route_rows = [], []
    for pair, by_path in zip(problem.pairs, flows, strict=True):
        served = sum(by_path.values())
        unserved = pair.demand - served
        times = {k: problem.paths[k].base_h + problem.paths[k].counts @ delay for k in by_path}
        shares = sorted(by_path.items(), key=lambda kv: -kv[1])
        texts = []
        for key, f in shares:
            label = _label(problem, problem.paths[key])
            share = f / served
            texts.append(f"{label}: {share:.0%}")
            route_rows.append(
                {
                    "origin": pair.origin,
                    "destination": pair.destination,
                    "route": label,
                    "share": share,
                    "volume_teu": f,
                    "time_h": float(times[key]),
                    "cost_usd": problem.paths[key].cost_usd,
                }
            )
        od_rows.append(
            {
                "origin": pair.origin,
                "destination": pair.destination,
                "modes": pair.modes,
                "demand_teu": pair.demand,
                "served_teu": served,
                # rounding of the flows' sums is no volume
                "unserved_teu": unserved if unserved > 1e-9 * pair.demand else 0.0,
                "time_h": sum(f * times[k] for k, f in by_path.items()) / served
                if served
                else float("nan"),
                "cost_usd": sum(f * problem.paths[k].cost_usd for k, f in by_path.items()) / served
                if served
                else float("nan"),
                "routes": "; ".join(texts),
            }
        )
    return Assignment(
        elements=elements,
        od=pd.DataFrame(od_rows, columns=list(OD_COLUMNS)),
        routes=pd.DataFrame(route_rows, columns=list(ROUTE_COLUMNS)),
        gaps=gaps,
        converged=bool(gaps) and gaps[-1] < gap,
        method=method,
        as_of=problem.net.as_of,
        scenario=scenario,
        _problem=problem,
        _flows=flows,
        _delay=delay,
    )


# ---------------------------------------------------------------------------------------------
# criticality


def criticality(
    net: Network,
    demand: str | Path | pd.DataFrame | Assignment | None = None,
    *,
    scenario: str | Path | Scenario | None = None,
    elements: Iterable[str] | None = None,
    pairs_top: int = 5,
    client: Any = None,
    as_of: str | dt.date | None = None,
    reassign: bool = True,
    max_iter: int = 30,
    show_progress: bool | None = None,
) -> pd.DataFrame:
    """Rank links, crossings and ports by what closing each one costs the demand.

    The demand is assigned first (:func:`assign`); then each element is closed in turn and the
    demand re-assigned from that equilibrium: the flow on closed routes takes the fastest detour
    and every pair re-balances (gradient projection) until the gap is the assignment's again.
    With ``reassign=False`` every pair is only re-routed with the equilibrium's queues held — a
    faster first-order estimate that misses the queues the detour builds (closing one of two
    equal parallel lines then costs nothing). A closed link loses its edges; a closed place
    loses every change of gauge or mode and every border crossing there.

    Parameters
    ----------
    net
        The network.
    demand
        As for :func:`assign`, or an :class:`Assignment` already computed.
    scenario, as_of
        As for :func:`assign` (ignored when ``demand`` is an assignment).
    elements
        Link ids and place ids to close; by default every link and every place where changes or
        crossings carry volume in the assignment.
    pairs_top
        Also close together each pair of the this many most critical single elements (0: none).
    client
        A :class:`dask.distributed.Client` to spread the closures over; serial when ``None``.
        The results are the same either way.
    reassign
        Re-assign after each closure (``True``) or re-route with the queues held (``False``).
    max_iter
        Most iterations of each re-assignment.
    show_progress
        Force the progress bar on or off (serial runs).

    Returns
    -------
    pandas.DataFrame
        :data:`CRITICALITY_COLUMNS`: single closures, most critical first — those that strand
        volume (``unserved_teu``, TEU a year no open route carries) before those that only slow
        it, then by added TEU-hours a year (``added_teu_h``) — then the pairs ranked the same
        way (``kind`` ``"pair"``, both ids in ``element`` joined by ``+``). ``added_cost_usd``
        is the change of USD a year of the volume still carried (negative when the detour is
        cheaper, as the sea often is); ``volume_teu`` is the volume the closure hits.
    """
    import pandas as pd

    if not isinstance(pairs_top, int) or isinstance(pairs_top, bool) or pairs_top < 0:
        raise UsageError(f"pairs_top must be a whole number, 0 or more, not {pairs_top!r}")
    base = (
        demand
        if isinstance(demand, Assignment)
        else assign(net, demand, scenario=scenario, as_of=as_of, show_progress=show_progress)
    )
    problem = base._problem
    if problem is None or base._delay is None:
        raise UsageError("the assignment carries no network state; compute it with cr.assign")
    closures = _closure_sets(problem, base, elements)
    base_gap = max(base.gaps[-1], 1e-4) if base.gaps else 1e-3
    task: Any = _ClosureTask(
        problem, base._flows, base._delay, reassign, max_iter=max_iter, gap=base_gap
    )
    if client is not None:  # shipped to every worker once, not with each chunk
        task = client.scatter(task, broadcast=True, hash=False)
    single = _run_closures(task, list(closures.items()), client, show_progress)
    rows = [
        _closure_row(problem, base, key, effect)
        for key, effect in zip(closures, single, strict=True)
    ]
    table = _ranked(pd.DataFrame(rows, columns=list(CRITICALITY_COLUMNS)))
    if pairs_top > 1:
        top = list(table["element"][:pairs_top])
        combos = {
            f"{a}+{b}": closures[a] | closures[b] for i, a in enumerate(top) for b in top[i + 1 :]
        }
        both = _run_closures(task, list(combos.items()), client, show_progress)
        paired = [
            _closure_row(problem, base, k, e, pair=True) for k, e in zip(combos, both, strict=True)
        ]
        table = _ranked(pd.DataFrame(paired, columns=list(CRITICALITY_COLUMNS)), after=table)
    return table


def _ranked(table: pd.DataFrame, *, after: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sort closures, most critical first, and number them (after ``after``'s rows, if given)."""
    import pandas as pd

    table = table.sort_values(
        ["unserved_teu", "added_teu_h", "element"], ascending=[False, False, True]
    ).reset_index(drop=True)
    start = 1 if after is None else len(after) + 1
    table["rank"] = np.arange(start, start + len(table))
    return table if after is None else pd.concat([after, table], ignore_index=True)


def _closure_sets(
    problem: _Problem, base: Assignment, elements: Iterable[str] | None
) -> dict[str, frozenset[int]]:
    """Edges closed by closing each element (a link id or a place id)."""
    rg = problem.rg
    at_place: dict[str, list[int]] = {}
    for i, record in enumerate(rg.edges):
        if record["kind"] == "change" and (record.get("transfer") or record.get("border")):
            at_place.setdefault(record["at"], []).append(i)
    if elements is None:
        used: set[int] = set()
        for by_path in base._flows:
            for key in by_path:
                used.update(key)
        wanted = sorted({str(rg.link_ids[e]) for e in used if rg.link_ids[e]}) + sorted(
            {rg.edges[e]["at"] for e in used if rg.edges[e]["kind"] == "change"} & set(at_place)
        )
    else:
        wanted = list(dict.fromkeys(elements))
    out: dict[str, frozenset[int]] = {}
    for element in wanted:
        if element in rg.by_link:
            out[element] = frozenset(int(e) for e in rg.by_link[element])
        elif element in at_place:
            out[element] = frozenset(at_place[element])
        else:
            raise UsageError(
                f"element {element!r} is neither an open link nor a place with crossings or "
                f"transfers on {problem.net.as_of}; give link ids or place ids"
            )
    return out


def _run_closures(
    task: Any,
    closures: list[tuple[str, frozenset[int]]],
    client: Any,
    show_progress: bool | None,
) -> list[list[tuple[float, float] | None]]:
    """Per closure, per pair: (time h, cost USD) of its fastest route, or ``None`` if cut.

    ``task`` is a :class:`_ClosureTask`, or its future on ``client`` (scattered once).
    """
    if client is None:
        return [
            task(edges)
            for _, edges in progress(
                closures, desc="criticality", unit="closure", enabled=show_progress
            )
        ]
    # coarse tasks (a few per worker) keep the scheduling overhead small
    workers = max(len(client.scheduler_info().get("workers", {})), 1)
    size = max(1, math.ceil(len(closures) / (2 * workers)))
    chunks = [[edges for _, edges in closures[i : i + size]] for i in range(0, len(closures), size)]
    futures = client.map(_run_chunk, [task] * len(chunks), chunks, pure=False)
    return [effect for chunk in client.gather(futures) for effect in chunk]


@dataclass
class _ClosureTask:
    """What a worker needs to re-route or re-assign every pair with some edges closed."""

    problem: _Problem
    flows: list[dict[tuple[int, ...], float]]
    delay: np.ndarray
    reassign: bool
    max_iter: int
    gap: float

    def __call__(self, edges: frozenset[int]) -> list[tuple[float, float] | None]:
        """Per pair: volume-weighted (time h, cost USD) after the closure, or ``None`` if cut."""
        closed = np.zeros(len(self.problem.rg.edges), dtype=bool)
        closed[list(edges)] = True
        if self.reassign:
            return self._reassigned(closed)
        time_h = self.problem.congested(self.delay).quantities["time_h"]
        out: list[tuple[float, float] | None] = []
        for p in self.problem.shortest(time_h, closed=closed):
            out.append(None if p is None else (p.base_h + p.counts @ self.delay, p.cost_usd))
        return out

    def _reassigned(self, closed: np.ndarray) -> list[tuple[float, float] | None]:
        """Re-assign from the equilibrium: flow on closed routes moves, then all re-balance."""
        problem = dataclasses.replace(
            self.problem,
            pairs=[
                dataclasses.replace(pair, weights_mask=pair.weights_mask & ~closed)
                for pair in self.problem.pairs
            ],
            paths=dict(self.problem.paths),
        )
        time_h = problem.congested(self.delay).quantities["time_h"]
        detours = problem.shortest(time_h)
        start: list[dict[tuple[int, ...], float]] = []
        for pair, by_path, detour in zip(problem.pairs, self.flows, detours, strict=True):
            kept = {k: f for k, f in by_path.items() if not closed[list(k)].any()}
            moved = pair.demand - sum(kept.values())
            if detour is None:
                kept = {}
            elif moved > 0:
                kept[detour.edges] = kept.get(detour.edges, 0.0) + moved
            start.append(kept)
        flows, _, volume, _ = _equilibrium(
            problem,
            method="gradient-projection",
            max_iter=self.max_iter,
            gap=self.gap,
            show_progress=False,
            start=start,
        )
        delay = np.asarray(problem.delay(volume, problem.capacity, problem.service), dtype=float)
        out: list[tuple[float, float] | None] = []
        for by_path in flows:
            served = sum(by_path.values())
            if not served:
                out.append(None)
                continue
            paths = [(problem.paths[k], f) for k, f in by_path.items()]
            mean_h = sum(f * (p.base_h + p.counts @ delay) for p, f in paths) / served
            mean_usd = sum(f * p.cost_usd for p, f in paths) / served
            out.append((float(mean_h), float(mean_usd)))
        return out


def _run_chunk(
    task: _ClosureTask, chunk: list[frozenset[int]]
) -> list[list[tuple[float, float] | None]]:
    return [task(edges) for edges in chunk]


def _closure_row(
    problem: _Problem,
    base: Assignment,
    key: str,
    effect: list[tuple[float, float] | None],
    *,
    pair: bool = False,
) -> dict[str, Any]:
    added_h = added_usd = unserved = 0.0
    figures = base.od[["served_teu", "time_h", "cost_usd"]].to_numpy(dtype=float)
    for (served, time_h, cost_usd), found in zip(figures, effect, strict=True):
        if not served:
            continue
        if found is None:
            unserved += served
            continue
        slower = found[0] - time_h
        added_h += served * slower if abs(slower) > _SAME_H else 0.0  # float noise is no delay
        added_usd += served * (found[1] - cost_usd)
    names = []
    kinds = []
    for part in key.split("+"):
        record = problem.net.usable_links.get(part) or problem.net.usable_nodes.get(part) or {}
        names.append(str(record.get("name") or part))
        kinds.append(str(record.get("mode") or record.get("kind") or ""))
    closed = set().union(*(_edges_of(problem, part) for part in key.split("+")))
    volume = float(
        sum(f for by_path in base._flows for k, f in by_path.items() if closed.intersection(k))
    )
    return {
        "rank": 0,
        "element": key,
        "kind": "pair" if pair else kinds[0],
        "name": " + ".join(names),
        "added_teu_h": added_h,
        "added_cost_usd": added_usd,
        "unserved_teu": unserved,
        "volume_teu": volume,
    }


def _edges_of(problem: _Problem, element: str) -> set[int]:
    rg = problem.rg
    if element in rg.by_link:
        return {int(e) for e in rg.by_link[element]}
    return {
        i
        for i, record in enumerate(rg.edges)
        if record["kind"] == "change"
        and record["at"] == element
        and (record.get("transfer") or record.get("border"))
    }


__all__ = [
    "CRITICALITY_COLUMNS",
    "DEMAND_COLUMNS",
    "ELEMENT_COLUMNS",
    "METHODS",
    "OD_COLUMNS",
    "ROUTE_COLUMNS",
    "Assignment",
    "Element",
    "assign",
    "capacitated_elements",
    "criticality",
    "demand_files",
    "load_demand",
    "queue_delay",
]

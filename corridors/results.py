"""What a search returns: a :class:`Route` of legs, transfers, border crossings and dwell."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .schema import SOURCE_COLUMNS, WEIGHTS, Provenance, check_weight

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd


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

    def row(self) -> dict[str, Any]:
        """Return the leg as a flat record: the columns of :meth:`Route.to_gdf` but geometry."""
        return {
            "link": self.link,
            "from": self.from_node,
            "to": self.to_node,
            "mode": self.mode,
            "gauge_mm": self.gauge_mm,
            "country": self.country,
            "distance_km": self.distance_km,
            "time_h": self.time_h,
            "cost_usd": self.cost_usd,
            "co2_kg": self.co2_kg,
            "tags": ",".join(self.tags),
        }


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


@dataclass(frozen=True)
class Generalized:
    """The factors that turn a route's time, emissions and risks into dollars.

    Attributes
    ----------
    value_of_time_usd_per_h
        Per box (a 40-ft box is 2 TEU), USD per hour.
    carbon_price_usd_per_t
        USD per t CO2e.
    risks
        ``(step, usd, source)`` of each war-risk premium paid: the position in
        :attr:`Route.steps` of the leg or border crossing that pays it, USD per box, its source.
    provenance
        ``(quantity, value, source)`` of the value of time (per TEU-hour) and carbon price.
    """

    value_of_time_usd_per_h: float = 0.0
    carbon_price_usd_per_t: float = 0.0
    risks: tuple[tuple[int, float, str], ...] = ()
    provenance: Provenance = field(default=(), repr=False, compare=False)


@dataclass
class Route:
    """A route and what it costs.

    Totals are the sums of the legs, transfers and border crossings, in km, h, USD per TEU and
    kg CO2e per TEU. A route from a search makes its steps when first read
    (:meth:`deferred`).
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
    generalized: Generalized = field(default_factory=Generalized, repr=False)
    """Value of time, carbon price and the risk premiums paid (the ``generalized`` weight)."""

    @classmethod
    def deferred(
        cls,
        *,
        origin: str,
        destination: str,
        weight: str,
        as_of: dt.date,
        box: int,
        make: Callable[[], dict[str, Any]],
    ) -> Route:
        """Return a route whose steps are made on first use, by ``make``.

        A search answers with a path of edges; most callers of :func:`corridors.route` read a
        few of its figures, or none (a comparison keeps the best of several), so building every
        leg, transfer and crossing at once was most of a route's time. ``make`` returns the
        other fields (:data:`DEFERRED_FIELDS`); it runs once, on the first read of any of them,
        and the route is then the one the constructor would have made (equal, same repr).
        Pickling or copying the route makes them first, so only the route travels.

        Parameters
        ----------
        origin, destination, weight, as_of, box
            As for the constructor (``box`` in ft).
        make
            Returns the deferred fields by name, all of them.
        """
        made = object.__new__(cls)
        made.__dict__.update(
            origin=origin, destination=destination, weight=weight, as_of=as_of, box=box
        )
        made.__dict__["_make"] = make
        return made

    def _made(self) -> None:
        """Make the deferred fields now (once), and let go of what made them."""
        make = self.__dict__.get("_make")
        if make is not None:
            values = make()
            if values.keys() != DEFERRED_FIELDS:
                raise TypeError(f"a deferred route needs {', '.join(sorted(DEFERRED_FIELDS))}")
            # the fields are set before the maker goes: a read meanwhile finds one or the other
            self.__dict__.update(values)
            self.__dict__.pop("_make", None)

    if not TYPE_CHECKING:  # hidden from mypy, which would otherwise accept any attribute

        def __getattr__(self, name: str) -> Any:
            # only called for names not yet set: the deferred fields of a deferred route
            if name in DEFERRED_FIELDS and "_make" in self.__dict__:
                self._made()
                return self.__dict__[name]
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __getstate__(self) -> dict[str, Any]:
        # pickled whole (Dask sends routes between processes): the graph that would make the
        # steps stays behind
        self._made()
        return dict(self.__dict__)

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
    def risk_usd(self) -> float:
        """War-risk premiums paid on the way, USD per box (see :attr:`generalized`)."""
        return sum(usd for _, usd, _ in self.generalized.risks)

    @property
    def generalized_usd(self) -> float:
        """Cost plus the value of the time, the price of the emissions and the risk premiums.

        ``cost_usd + value_of_time × time_h + carbon_price × co2_kg / 1000 + risk_usd``, USD per
        box; what the ``generalized`` weight minimises.
        """
        g = self.generalized
        return (
            self.cost_usd
            + g.value_of_time_usd_per_h * self.time_h
            + g.carbon_price_usd_per_t * self.co2_kg / 1000.0
            + self.risk_usd
        )

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
        """Return the total of a weight name (``distance``, ``time``, ``cost``, ``co2``, …)."""
        return float(getattr(self, WEIGHTS[check_weight(weight)]))

    def summary(self) -> str:
        """One line: origin → destination, km, h, USD and kg CO2e per box, countries."""
        per = "TEU" if self.box == 20 else f"{self.box}-ft box"
        return (
            f"{self.origin} → {self.destination}: {self.distance_km:,.0f} km, "
            f"{self.time_h:,.1f} h, USD {self.cost_usd:,.0f}/{per}, "
            f"{self.co2_kg:,.0f} kg CO2e/{per}, via {'-'.join(self.countries)}"
        )

    @property
    def bottleneck(self) -> dict[str, Any] | None:
        """The element of least annual capacity among those with a published one, or ``None``.

        A dict with ``item`` (the leg, transfer or crossing), ``capacity_teu_year`` (TEU a year)
        and ``source``. Capacities are reported, not enforced: the route is the best one whatever
        the volume (no traffic assignment), and elements without a known capacity count as
        unlimited.
        """
        # only the capacities are read: no citation record is built for the other figures
        found = [
            (value, step, source)
            for step in self.steps
            for quantity, value, source in step.provenance
            if quantity == "capacity_teu_year"
        ]
        if not found:
            return None
        value, step, source = min(found, key=lambda f: f[0])  # the first of equals
        return {"item": step_label(step), "capacity_teu_year": value, "source": source}

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
            "generalized_usd": round(self.generalized_usd, 0),
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
        an ``assumption: …``, or the scenario that overrode it). A route minimising the
        ``generalized`` weight adds the war-risk premiums at the steps that pay them, then the
        value of time and carbon price (``step`` -1: the whole route).
        """
        records = [
            {"step": i, "item": step_label(step), "quantity": q, "value": v, "source": src}
            for i, step in enumerate(self.steps)
            for q, v, src in step.provenance
        ]
        if self.weight == "generalized":
            records += [
                {
                    "step": i,
                    "item": step_label(self.steps[i]),
                    "quantity": "risk_premium_usd",
                    "value": usd,
                    "source": src,
                }
                for i, usd, src in self.generalized.risks
            ]
            records += [
                {"step": -1, "item": "generalized cost", "quantity": q, "value": v, "source": src}
                for q, v, src in self.generalized.provenance
            ]
        return records

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
            generalized_usd=round(self.generalized_usd, 0),
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
            {"seq": i, **leg.row(), "geometry": LineString(self.leg_coords[i])}
            for i, leg in enumerate(self.legs)
        ]
        return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


DEFERRED_FIELDS = frozenset(
    {
        "nodes",
        "legs",
        "transfers",
        "border_crossings",
        "countries",
        "steps",
        "leg_coords",
        "dwells",
        "generalized",
    }
)
"""Fields of a :meth:`Route.deferred` route made on first use."""


def step_label(step: Leg | Transfer | BorderCrossing | Dwell) -> str:
    """Return a short label of a step (``baku→alat (rail_baku_alat)``, ``border …``)."""
    if isinstance(step, Dwell):
        return f"{step.kind} dwell at {step.at} ({step.service})"
    if isinstance(step, Leg):
        return f"{step.from_node}→{step.to_node} ({step.link})"
    if isinstance(step, Transfer):
        return f"{step.kind} change {step.from_service}→{step.to_service} at {step.at}"
    return f"border {step.from_country}→{step.to_country} at {step.at}"

"""The figures corridors computes, once: weights, their quantities and units, box sizes.

Validation, scenario overrides, pricing, the CLI's choices and the output columns read these
names instead of spelling them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import UsageError
from .settings import MODES, WATER_MODES

__all__ = ["BOXES", "FIGURE_COLUMNS", "MODES", "SOURCE_COLUMNS", "WATER_MODES", "WEIGHTS"]

if TYPE_CHECKING:
    pass


WEIGHTS: dict[str, str] = {
    "distance": "distance_km",
    "time": "time_h",
    "cost": "cost_usd",
    "co2": "co2_kg",
    "generalized": "generalized_usd",
}
"""Weight names and the quantity each minimises. ``generalized_usd`` is the cost plus time,
emissions and war risk in dollars: ``cost_usd + value_of_time × time_h + carbon_price ×
co2_kg / 1000 + risk premiums`` (factors in :class:`~corridors.settings.Settings`)."""


FIGURE_COLUMNS = [
    "distance_km",
    "time_h",
    "cost_usd",
    "co2_kg",
    "generalized_usd",
    "countries",
    "border_crossings",
    "transfers",
    "capacity_teu_year",
    "bottleneck",
]
"""Keys of :meth:`Route.figures`, the columns tables of routes share."""


SOURCE_COLUMNS = ["step", "item", "quantity", "value", "source"]
"""Columns of :meth:`Route.sources`."""


Provenance = tuple[tuple[str, float, str], ...]
"""``(quantity, value, source)`` triples, e.g. ``("length_km", 843.0, "https://…")``."""


BOXES = (20, 40)
"""Container sizes figures can be priced for, ft."""


MAX_ALTERNATIVES = 50
"""Most alternatives one call returns."""


def check_weight(weight: str) -> str:
    if weight not in WEIGHTS:
        raise UsageError(f"unknown weight {weight!r}; use one of {', '.join(WEIGHTS)}")
    return weight


def check_box(box: int) -> int:
    if box not in BOXES or isinstance(box, bool):
        raise UsageError(f"box must be 20 or 40 (ft), not {box!r}")
    return int(box)


TIME_PARTS: tuple[str, ...] = ("moving_h", "wait_h", "border_h", "transfer_h")
"""The parts an edge's ``time_h`` is the sum of: on the move, waiting for a departure (ferry
headway, port calls), at a border, changing gauge or mode. Terminal dwell is priced per routing
node (where a trip starts or ends)."""


@dataclass(frozen=True)
class Figure:
    """A figure a node or link of the data may carry, and a scenario may override.

    Attributes
    ----------
    unit
        Its unit (``h``, ``km/h``, ``USD per TEU-km`` …).
    on
        Where it is set: ``"link"``, ``"node"`` or both.
    positive
        ``True`` when it must be > 0 (a speed, a capacity); otherwise ≥ 0 (a border may be free).
    source_key
        The property that cites it in the data.
    override
        Whether a scenario's ``[[overrides]]`` may set it (and a ``*_factor`` scale it).
    """

    unit: str
    on: frozenset[str]
    positive: bool
    source_key: str
    override: bool = True


_LINK = frozenset({"link"})
_NODE = frozenset({"node"})
_BOTH = frozenset({"link", "node"})

FIGURES: dict[str, Figure] = {
    "speed_kmh": Figure("km/h", _LINK, True, "speed_source"),
    "wait_h": Figure("h", _LINK, False, "wait_source"),
    "sailings_per_week": Figure("sailings a week", _LINK, True, "sailings_source", False),
    "fill_hours": Figure("h", _LINK, False, "fill_source", False),
    "port_calls": Figure("calls", _LINK, False, "port_calls_source", False),
    "cost_usd_per_teu_km": Figure("USD per TEU-km", _LINK, False, "cost_source"),
    "co2_kg_per_teu_km": Figure("kg CO2e per TEU-km", _LINK, False, "co2_source"),
    "border_hours": Figure("h", _NODE, False, "border_source"),
    "border_hours_by_direction": Figure("h by direction", _NODE, False, "border_source", False),
    "border_cost_usd": Figure("USD per box", _NODE, False, "border_source"),
    "transfer_hours": Figure("h", _NODE, False, "transfer_source"),
    "transfer_cost_usd": Figure("USD per box", _NODE, False, "transfer_source"),
    "dwell_hours": Figure("h", _NODE, False, "dwell_source", False),
    "capacity_teu_year": Figure("TEU a year", _BOTH, True, "capacity_source"),
}
"""Every figure of the data: validation, scenario overrides and citations read this table."""

FACTORS: dict[str, str] = {
    "speed_factor": "speed_kmh",
    "wait_h_factor": "wait_h",
    "border_hours_factor": "border_hours",
    "transfer_hours_factor": "transfer_hours",
    "capacity_factor": "capacity_teu_year",
}
"""Scale factors a scenario (or the data) may put on a figure, and the figure each scales."""


def overridable(on: str) -> frozenset[str]:
    """Return the keys a scenario override may set on a ``"link"`` or a ``"node"``."""
    figures = {k for k, f in FIGURES.items() if f.override and on in f.on}
    return frozenset(figures | {k for k, v in FACTORS.items() if v in figures} | {"status"})

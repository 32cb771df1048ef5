"""The figures corridors computes, once: weights, their quantities and units, box sizes.

Validation, scenario overrides, pricing, the CLI's choices and the output columns read these
names instead of spelling them again.
"""

from __future__ import annotations

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
}
"""Weight names and the quantity each minimises."""


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

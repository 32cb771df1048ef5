"""Reliability: how long, and how sure — transit-time and cost distributions of routes.

Each wait of a priced route (border, transfer, ferry departure or port calls, terminal dwell)
and its moving time is multiplied by a draw from a sourced distribution
(``data/reliability.toml``) whose mean is 1, so the averages stay the priced ones and the
spread is what the sources say. Draws are made per *element* (a crossing, a station, a link, a
terminal) and shared by every route that uses it, and seasonal events are shared by every
element carrying their tag: one storm holds every Caspian ferry. Each element's draws come from
its own seed (``SeedSequence(seed, spawn_key=…)``), so results do not depend on how work is
split. Everything is vectorised over draws with numpy.
"""

from __future__ import annotations

import tomllib
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ._progress import progress
from .errors import UsageError
from .results import BorderCrossing, Dwell, Leg, Route, Transfer
from .settings import bundled_path

KINDS = ("border", "transfer", "wait", "dwell", "moving")
"""The kinds of time a draw multiplies."""
FAMILIES = ("lognormal", "exponential", "normal")
"""Distribution families a spread may have."""
MAX_DRAWS = 1_000_000
LONG_RUN = 500_000
"""Route-draws from which :func:`route_ranges` shows a progress bar (about a second of work)."""


@dataclass(frozen=True)
class Spread:
    """The distribution of one kind of time, relative to its priced mean (mean 1)."""

    family: str
    cv: float
    source: str


@dataclass(frozen=True)
class Seasonal:
    """An event that holds every element with one of ``tags`` for ``extra_h`` hours."""

    id: str
    tags: tuple[str, ...]
    months: tuple[int, ...]
    probability: float
    extra_h: float
    source: str


@dataclass(frozen=True)
class Spreads:
    """The spreads of every kind of time, and the seasonal events."""

    kinds: Mapping[str, Spread]
    seasonal: tuple[Seasonal, ...] = ()


def load_spreads(path: str | Path | None = None) -> Spreads:
    """Read the spreads (``data/reliability.toml`` by default); a one-line error if malformed."""
    path = Path(path) if path is not None else bundled_path("reliability.toml")
    if path is None or not path.is_file():
        raise UsageError(f"no reliability spreads file {str(path)!r}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path.name}: not valid UTF-8 TOML ({exc})") from None
    kinds = {}
    for kind in KINDS:
        spec = data.get(kind)
        if not isinstance(spec, Mapping):
            raise UsageError(f"{path.name}: [{kind}] is missing; give family, cv and source")
        family, cv, source = spec.get("family"), spec.get("cv"), spec.get("source")
        if family not in FAMILIES:
            raise UsageError(f"{path.name}: [{kind}] family {family!r}: use {', '.join(FAMILIES)}")
        if not isinstance(cv, int | float) or isinstance(cv, bool) or not 0 <= cv < 10:
            raise UsageError(f"{path.name}: [{kind}] cv {cv!r}: a number 0-10 (1 if exponential)")
        if family == "exponential" and cv != 1:
            raise UsageError(f"{path.name}: [{kind}] cv {cv!r}: a number 0-10 (1 if exponential)")
        if not isinstance(source, str) or not source:
            raise UsageError(f"{path.name}: [{kind}] source: every spread needs its source")
        kinds[kind] = Spread(str(family), float(cv), source)
    seasonal = []
    for i, spec in enumerate(data.get("seasonal", [])):
        try:
            event = Seasonal(
                id=str(spec["id"]),
                tags=tuple(str(t) for t in spec["tags"]),
                months=tuple(int(m) for m in spec["months"]),
                probability=float(spec["probability"]),
                extra_h=float(spec["extra_h"]),
                source=str(spec["source"]),
            )
        except (KeyError, TypeError, ValueError):
            raise UsageError(
                f"{path.name}: [[seasonal]] {i}: give id, tags, months, probability, extra_h "
                "and source"
            ) from None
        if not 0 <= event.probability <= 1 or event.extra_h < 0:
            raise UsageError(f"{path.name}: [[seasonal]] {event.id}: probability 0-1, hours >= 0")
        seasonal.append(event)
    return Spreads(kinds, tuple(seasonal))


def multipliers(spread: Spread, draws: int, rng: np.random.Generator) -> np.ndarray:
    """Return ``draws`` multipliers of mean 1 and coefficient of variation ``spread.cv``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> m = multipliers(Spread("lognormal", 0.5, "example"), 200_000, rng)
    >>> round(float(m.mean()), 2), round(float(m.std() / m.mean()), 2)
    (1.0, 0.5)
    """
    if spread.cv == 0:
        return np.ones(draws)
    if spread.family == "lognormal":
        sigma = np.sqrt(np.log1p(spread.cv**2))
        return rng.lognormal(-(sigma**2) / 2, sigma, draws)
    if spread.family == "exponential":
        return rng.exponential(1.0, draws)
    return np.clip(1.0 + spread.cv * rng.standard_normal(draws), 0.0, None)


def _rng(seed: int, element: str) -> np.random.Generator:
    """Return the generator of one element's draws: the same for a seed, whatever else is drawn."""
    key = zlib.crc32(element.encode("utf-8"))
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(key,)))


@dataclass
class _Draws:
    """Multipliers drawn per element, made on first use (shared by every route)."""

    spreads: Spreads
    draws: int
    seed: int
    month: int | None
    made: dict[str, np.ndarray] = field(default_factory=dict)

    def of(self, kind: str, element: str) -> np.ndarray:
        name = f"{kind}@{element}"
        if name not in self.made:
            self.made[name] = multipliers(
                self.spreads.kinds[kind], self.draws, _rng(self.seed, name)
            )
        return self.made[name]

    def season(self, event: Seasonal) -> np.ndarray:
        name = f"season@{event.id}"
        if name not in self.made:
            happens = _rng(self.seed, name).random(self.draws) < event.probability
            self.made[name] = happens * event.extra_h
        return self.made[name]


def _parts(r: Route, draws: _Draws) -> list[tuple[str, float, float, np.ndarray]]:
    """``(element, hours, usd, multipliers)`` of every time of a route, and seasonal holds."""
    out: list[tuple[str, float, float, np.ndarray]] = []
    step: Leg | Transfer | BorderCrossing | Dwell
    held: set[str] = set()
    for step in r.steps:
        if isinstance(step, Leg):
            moving = step.time_h - step.wait_h
            out.append((f"moving {step.link}", moving, 0.0, draws.of("moving", step.link)))
            if step.wait_h:
                out.append((f"wait {step.link}", step.wait_h, 0.0, draws.of("wait", step.link)))
            for event in draws.spreads.seasonal:
                in_season = draws.month is None or draws.month in event.months
                if in_season and set(step.tags) & set(event.tags) and event.id not in held:
                    held.add(event.id)
                    extra = draws.season(event)
                    out.append((f"season {event.id}", 1.0, 0.0, extra))
        elif isinstance(step, BorderCrossing):
            element = f"{step.at} {step.from_country}>{step.to_country}"
            out.append(
                (f"border {element}", step.hours, step.cost_usd, draws.of("border", step.at))
            )
        elif isinstance(step, Transfer):
            out.append(
                (f"transfer {step.at}", step.hours, step.cost_usd, draws.of("transfer", step.at))
            )
        else:
            out.append((f"dwell {step.at}", step.hours, 0.0, draws.of("dwell", step.at)))
    return out


RELIABILITY_COLUMNS = [
    "time_h_mean",
    "time_h_p10",
    "time_h_p50",
    "time_h_p90",
    "cost_usd_p10",
    "cost_usd_p50",
    "cost_usd_p90",
    "on_time_share",
    "best_share",
    "drivers",
]
"""Columns :func:`route_ranges` adds per route."""


@dataclass(frozen=True)
class Ranges:
    """Drawn times and costs of a set of routes a user would compare.

    Attributes
    ----------
    routes
        The routes, in the order given.
    time_h, cost_usd
        Arrays ``(routes, draws)`` of hours and USD per box.
    figures
        Per route: :data:`RELIABILITY_COLUMNS` (P10/P50/P90 and mean, the share on time, the
        share of draws in which it is the fastest, and the elements that drive the spread).
    best_time_h
        Per draw, the time of the fastest route of the set: a forwarder who knows the queues
        re-chooses among them.
    """

    routes: list[Route]
    time_h: np.ndarray
    cost_usd: np.ndarray
    figures: list[dict[str, Any]]
    best_time_h: np.ndarray


def route_ranges(
    routes: Sequence[Route],
    *,
    draws: int = 10_000,
    seed: int = 0,
    deadline_h: float | None = None,
    month: int | None = None,
    spreads: Spreads | None = None,
    show_progress: bool | None = None,
) -> Ranges:
    """Draw the times and costs of ``routes`` (fixed routes; choice among them per draw).

    Parameters
    ----------
    routes
        Priced routes (from :func:`corridors.route`, ``alternatives`` or ``corridor_routes``).
    draws
        Number of draws.
    seed
        Seed: the same seed gives the same figures.
    deadline_h
        A deadline, h: ``on_time_share`` is the share of draws that make it.
    month
        Month of departure (1-12): seasonal events outside their months do not happen; all
        months are possible when ``None``.
    spreads
        The distributions; the bundled ``data/reliability.toml`` when ``None``.
    show_progress
        ``None``: a progress bar per route on long runs (``draws`` × routes ≥
        :data:`LONG_RUN`), shown as :attr:`~corridors.settings.Settings.progress` says;
        ``False``: never (a caller that counts the work itself).

    Returns
    -------
    Ranges
    """
    if not isinstance(draws, int) or isinstance(draws, bool) or not 1 <= draws <= MAX_DRAWS:
        raise UsageError(f"draws must be a whole number from 1 to {MAX_DRAWS:,}, not {draws!r}")
    if month is not None and month not in range(1, 13):
        raise UsageError(f"month must be 1-12, not {month!r}")
    if not routes:
        raise UsageError("no route to draw")
    source = _Draws(spreads or load_spreads(), draws, int(seed), month)
    times, costs, drivers = [], [], []
    long_run = draws * len(routes) >= LONG_RUN and show_progress is not False
    shown = progress(routes, desc="draws", unit="route", enabled=None if long_run else False)
    for r in shown:
        parts = _parts(r, source)
        time = np.zeros(draws)
        cost = np.full(draws, r.cost_usd)
        shares: dict[str, float] = {}
        for element, hours, usd, mult in parts:
            time += hours * mult
            # fees at a border or transfer move with the time spent there (storage, demurrage)
            cost += usd * (mult - 1.0)
            shares[element] = shares.get(element, 0.0) + float(np.var(hours * mult))
        times.append(time)
        costs.append(cost)
        total = sum(shares.values()) or 1.0
        top = sorted(shares.items(), key=lambda kv: -kv[1])[:3]
        drivers.append([(element, share / total) for element, share in top])
    time_h, cost_usd = np.vstack(times), np.vstack(costs)
    fastest = np.argmin(time_h, axis=0)
    figures = []
    for i, _ in enumerate(routes):
        p10, p50, p90 = np.percentile(time_h[i], [10, 50, 90])
        c10, c50, c90 = np.percentile(cost_usd[i], [10, 50, 90])
        figures.append(
            {
                "time_h_mean": float(time_h[i].mean()),
                "time_h_p10": float(p10),
                "time_h_p50": float(p50),
                "time_h_p90": float(p90),
                "cost_usd_p10": float(c10),
                "cost_usd_p50": float(c50),
                "cost_usd_p90": float(c90),
                "on_time_share": (
                    None if deadline_h is None else float((time_h[i] <= deadline_h).mean())
                ),
                "best_share": float((fastest == i).mean()),
                "drivers": "; ".join(f"{e} ({s:.0%})" for e, s in drivers[i]),
            }
        )
    return Ranges(list(routes), time_h, cost_usd, figures, time_h.min(axis=0))


def spread_sources(spreads: Spreads | None = None) -> dict[str, str]:
    """Return the source of every spread and seasonal event, by name."""
    spreads = spreads or load_spreads()
    out = {f"spread {k}": s.source for k, s in spreads.kinds.items()}
    out.update({f"season {e.id}": e.source for e in spreads.seasonal})
    return out


def as_rows(ranges: Ranges, labels: Iterable[str]) -> list[dict[str, Any]]:
    """Return one row per route: its label and :data:`RELIABILITY_COLUMNS`."""
    return [{"route": label, **f} for label, f in zip(labels, ranges.figures, strict=True)]

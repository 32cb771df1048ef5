"""The public entry points: :func:`route` and :func:`alternatives`, scenarios included.

A thin facade above :mod:`corridors.routing` (which knows no scenarios): a scenario given by name,
path or object becomes a network as of its date, settings and a narrowed
:class:`~corridors.query.Query`, and the search runs on that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import routing
from .errors import NoRouteError
from .families import corridor_routes as family_routes
from .network import Network
from .query import Query
from .results import Route
from .scenarios import routing_inputs

if TYPE_CHECKING:
    import pandas as pd

    from .reliability import Ranges
    from .scenarios import Scenario


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
    scenario: str | Path | Scenario | None = None,
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
        What to minimise: ``"distance"`` (km), ``"time"`` (h), ``"cost"`` (USD/TEU),
        ``"co2"`` (kg CO2e/TEU) or ``"generalized"`` (USD/TEU: cost plus the settings' value
        of time, carbon price and war-risk premiums, see :attr:`Route.generalized_usd`); the
        scenario's weight, else ``"time"``, when ``None``.
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
    scenario: str | Path | Scenario | None = None,
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
    query = Query.of(
        weight=weight,
        modes=modes,
        avoid_countries=avoid_countries,
        avoid_links=avoid_links,
        avoid_tags=avoid_tags,
        via=via,
        through_countries=through_countries,
        through_tags=through_tags,
        as_of=as_of,
        embargoes=embargoes,
        box=box,
    )
    factors = None
    if scenario is not None:
        net, factors, query = routing_inputs(scenario, net, query)
    return routing.alternatives(
        net,
        origin,
        destination,
        query,
        k=k,
        share_factor=share_factor,
        penalty=penalty,
        factors=factors,
    )


def corridor_routes(
    net: Network,
    origin: str,
    destination: str,
    *,
    families: str | Iterable[str] | None = "east_west",
    weight: str | None = None,
    as_of: str | dt.date | None = None,
    scenario: str | Path | Scenario | None = None,
    embargoes: bool = True,
    box: int = 20,
    families_file: str | Path | None = None,
    **constraints: Any,
) -> pd.DataFrame:
    """Return the best route of each corridor family between two places.

    Parameters
    ----------
    net, origin, destination
        As for :func:`route`.
    families
        Group names (``"east_west"``, ``"caucasus"``) and/or family ids (``"middle"``), or
        ``None`` for every family in the file.
    weight, as_of, scenario, embargoes, box
        As for :func:`route`.
    families_file
        A TOML file of families (see ``data/families.toml``); the bundled one by default.
    **constraints
        More constraints for every family (``avoid_countries=["IRN"]``…), as for
        :func:`route`; they narrow each family's own.

    Returns
    -------
    pandas.DataFrame
        One row per family, in the file's order (columns
        :data:`~corridors.families.FAMILY_COLUMNS`): km, h, USD/TEU, kg CO2e/TEU, countries,
        crossings and transfers of its best route, and the :class:`~corridors.Route` itself in
        ``route``; a family with no route has a ``note`` saying why and empty figures.

    Examples
    --------
    >>> import corridors as cr
    >>> table = cr.corridor_routes(cr.load_network(as_of="2026-11-26"), "xian", "duisburg")
    >>> list(table["family"])
    ['northern', 'middle', 'southern', 'sea_suez', 'sea_cape']
    """
    query = Query.of(weight=weight, as_of=as_of, embargoes=embargoes, box=box, **constraints)
    factors = None
    if scenario is not None:
        net, factors, query = routing_inputs(scenario, net, query)
    return family_routes(
        net,
        origin,
        destination,
        query,
        families=families,
        families_file=families_file,
        factors=factors,
    )


def simulate_ranges(
    net: Network,
    origin: str,
    destination: str,
    *,
    draws: int = 10_000,
    seed: int = 0,
    families: str | Iterable[str] | None = None,
    k: int = 1,
    deadline_h: float | None = None,
    month: int | None = None,
    scenario: str | Path | Scenario | None = None,
    **constraints: Any,
) -> tuple[list[str], Ranges]:
    """Return the drawn times and costs behind :func:`simulate`, draw by draw.

    Parameters
    ----------
    net, origin, destination, draws, seed, families, k, deadline_h, month, scenario, **constraints
        As for :func:`simulate`.

    Returns
    -------
    labels : list of str
        One per route drawn: the family id, or ``rank N`` for alternatives; families with no
        route are left out.
    ranges : corridors.reliability.Ranges
        The routes, their drawn hours and USD per box (arrays ``(routes, draws)``) and the
        figures :func:`simulate` tabulates, for the same seed the same numbers.

    Raises
    ------
    NoRouteError
        When no route of the set exists.
    """
    from .reliability import route_ranges

    if families is not None:
        table = corridor_routes(
            net, origin, destination, families=families, scenario=scenario, **constraints
        )
        pairs = [(f, r) for f, r in zip(table["family"], table["route"], strict=True) if r]
    else:
        found = alternatives(net, origin, destination, k=k, scenario=scenario, **constraints)
        pairs = [(f"rank {i}", r) for i, r in enumerate(found, start=1)]
    if not pairs:
        raise NoRouteError(f"no route from {origin!r} to {destination!r} to draw")
    ranges = route_ranges(
        [r for _, r in pairs], draws=draws, seed=seed, deadline_h=deadline_h, month=month
    )
    return [label for label, _ in pairs], ranges


def simulate(
    net: Network,
    origin: str,
    destination: str,
    *,
    draws: int = 10_000,
    seed: int = 0,
    families: str | Iterable[str] | None = None,
    k: int = 1,
    deadline_h: float | None = None,
    month: int | None = None,
    scenario: str | Path | Scenario | None = None,
    **constraints: Any,
) -> pd.DataFrame:
    """Return how long and how sure: the ranges of the routes a user would compare.

    Parameters
    ----------
    net, origin, destination, scenario, **constraints
        As for :func:`route`.
    draws, seed
        Number of draws, and the seed (the same seed gives the same figures).
    families
        Corridor families (``"east_west"``…) whose best routes to draw; otherwise the best
        ``k`` alternatives.
    k
        Alternatives to draw when no families are given.
    deadline_h
        A deadline, h, for ``on_time_share``.
    month
        Month of departure (1-12) for seasonal events; any month when ``None``.

    Returns
    -------
    pandas.DataFrame
        One row per route (``route``: the family or ``rank N``), with the route's priced
        ``time_h`` and :data:`~corridors.reliability.RELIABILITY_COLUMNS`; the last row,
        ``best of the set``, is the time when the fastest route is re-chosen in every draw.
        :func:`simulate_ranges` gives the draws themselves.

    Examples
    --------
    >>> import corridors as cr
    >>> ranges = cr.simulate(cr.load_network(), "xian", "duisburg", families="east_west",
    ...                      draws=1000, seed=1)
    >>> bool((ranges["time_h_p10"] <= ranges["time_h_p90"]).all())
    True
    """
    import numpy as np
    import pandas as pd

    from .reliability import RELIABILITY_COLUMNS, as_rows

    labels, ranges = simulate_ranges(
        net,
        origin,
        destination,
        draws=draws,
        seed=seed,
        families=families,
        k=k,
        deadline_h=deadline_h,
        month=month,
        scenario=scenario,
        **constraints,
    )
    rows = as_rows(ranges, labels)
    for row, r in zip(rows, ranges.routes, strict=True):
        row["time_h"] = r.time_h
    best = ranges.best_time_h
    p10, p50, p90 = np.percentile(best, [10, 50, 90])
    rows.append(
        {
            "route": "best of the set",
            "time_h": float(min(r.time_h for r in ranges.routes)),
            "time_h_mean": float(best.mean()),
            "time_h_p10": float(p10),
            "time_h_p50": float(p50),
            "time_h_p90": float(p90),
            "on_time_share": None if deadline_h is None else float((best <= deadline_h).mean()),
        }
    )
    return pd.DataFrame(rows, columns=["route", "time_h", *RELIABILITY_COLUMNS])

"""Comparing scenarios: routes for every origin-destination pair under every scenario.

The scenario file layer (:mod:`corridors.scenarios`) reads and applies scenarios; this module
routes under them and tabulates the answers (:func:`compare`, :func:`compare_routes`), and
works out which links change from one scenario to another (:func:`link_changes`,
:func:`scenario_changes`) so that maps only draw what was computed here.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._progress import progress as progress_bar  # `progress` is a callback parameter here
from .errors import NoRouteError, ScenarioError, UsageError
from .families import choose_families, corridor_routes, load_families
from .network import Network, load_network
from .query import Query
from .reliability import RELIABILITY_COLUMNS, route_ranges
from .routing import FIGURE_COLUMNS, SOURCE_COLUMNS, Route, alternatives, routing_graph
from .scenarios import (
    OD,
    Scenario,
    as_od,
    list_scenarios,
    load_scenario,
    resolve,
    routing_inputs,
)
from .schema import check_weight
from .settings import Settings, settings

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = [
    "scenario",
    "as_of",
    "od",
    "origin",
    "destination",
    "rank",
    "family",
    *FIGURE_COLUMNS,
    "modes",
    "tags",
    "via",
    "baseline",
    "delta_distance_km",
    "delta_time_h",
    "delta_cost_usd",
    "note",
]
"""Columns of :func:`compare`'s table (and of the CSV that ``corridors compare`` writes)."""


@dataclass
class Comparison:
    """What :func:`compare` computed: the table, and the routes behind its rows.

    Attributes
    ----------
    table
        The table :func:`compare` returns.
    routes
        Route behind each row, keyed ``(scenario label, od, rank)``.
    scenarios
        The scenarios compared, in order.
    labels
        How each scenario is named in the table (its name, or ``"name (file.toml)"`` when two
        different scenarios of the comparison share a name); parallel to ``scenarios``.
    baselines, baseline_labels
        The scenario each one is compared against (itself when it has no baseline) and its
        label; parallel to ``scenarios``.
    net
        The network the scenarios were applied to.
    """

    table: pd.DataFrame
    routes: dict[tuple[str, str, int], Route]
    scenarios: list[Scenario]
    labels: list[str] = field(default_factory=list)
    baselines: list[Scenario] = field(default_factory=list)
    baseline_labels: list[str] = field(default_factory=list)
    net: Network | None = None

    def sources(self, *, best_only: bool = False) -> pd.DataFrame:
        """Return where each figure behind the table's routes comes from.

        One row per figure of each route (see :meth:`corridors.Route.source_records`), with
        ``scenario``, ``od`` and ``rank`` first; ``best_only`` keeps the rank-1 routes.
        """
        import pandas as pd

        shown = set(zip(self.table["scenario"], self.table["od"], self.table["rank"], strict=True))
        rows = [
            {"scenario": key[0], "od": key[1], "rank": key[2], **record}
            for key, route in self.routes.items()
            if key in shown and (key[2] == 1 or not best_only)
            for record in route.source_records()
        ]
        return pd.DataFrame(rows, columns=["scenario", "od", "rank", *SOURCE_COLUMNS])


def compare(
    scenarios: Iterable[str | Path | Scenario] | None = None,
    *,
    od: Sequence[OD | tuple[str, str]] | None = None,
    net: Network | None = None,
    baseline: str | Path | Scenario | None = None,
    families: str | Sequence[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    weight: str | None = None,
) -> pd.DataFrame:
    """Route every origin-destination pair under every scenario and tabulate the answers.

    Parameters
    ----------
    scenarios
        Bundled names, paths or :class:`Scenario` objects; all bundled scenarios when ``None``.
    od
        Origin-destination pairs (``(origin, destination)`` ids or names, or :class:`OD`) to
        use instead of each scenario's own list.
    net
        Network to apply the scenarios to; the bundled one when ``None``.
    baseline
        Scenario every row is compared against; otherwise each scenario's own ``baseline``
        (a scenario without one is its own baseline).
    families
        Corridor families (groups such as ``"east_west"`` or family ids) whose best routes to
        tabulate for every scenario, instead of each scenario's own ``families`` or
        alternatives; ``rank`` then orders the families of a pair, best first.
    progress
        Callable ``progress(done, total, label)`` called after each scenario.
    weight
        What every scenario (and baseline) minimises instead of its own ``weight``: a name of
        :data:`~corridors.schema.WEIGHTS`, e.g. ``"generalized"``.

    Returns
    -------
    pandas.DataFrame
        One row per scenario × pair × route rank, with the columns in :data:`COLUMNS`.
        ``delta_*`` compare a row with the best route of the baseline for the same pair; rows for
        pairs with no route say why in ``note``.

    Examples
    --------
    >>> import corridors as cr
    >>> table = cr.compare(["2026-today", "red-sea-closed"], od=[("shanghai", "rotterdam")])
    >>> table[["scenario", "rank", "distance_km", "delta_distance_km"]]  # doctest: +SKIP
    """
    return compare_routes(
        scenarios,
        od=od,
        net=net,
        baseline=baseline,
        families=families,
        progress=progress,
        weight=weight,
    ).table


def compare_routes(
    scenarios: Iterable[str | Path | Scenario] | None = None,
    *,
    od: Sequence[OD | tuple[str, str]] | None = None,
    net: Network | None = None,
    baseline: str | Path | Scenario | None = None,
    families: str | Sequence[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    weight: str | None = None,
) -> Comparison:
    """Like :func:`compare`, but also return the :class:`~corridors.routing.Route` objects."""
    import pandas as pd

    def weighed(s: Scenario) -> Scenario:
        return s if weight is None else dataclasses.replace(s, weight=weight)

    if weight is not None:
        check_weight(weight)  # one error before any routing
    net = net or load_network()
    chosen = [weighed(resolve(s, net=net)) for s in (scenarios or list_scenarios())]
    if not chosen:
        raise ScenarioError("no scenario to compare")
    fixed = resolve(baseline, net=net) if baseline is not None else None
    bases = [weighed(fixed or _baseline_of(s, chosen, net)) for s in chosen]
    labels = _labels([*chosen, *bases])
    pairs = None if od is None else [as_od(pair, net) for pair in od]
    family_ids = None
    if families is not None:
        family_ids = tuple(f.id for f in choose_families(families, load_families()))
    # keyed by what a scenario is (its content and file, see _identity), never by its name:
    # two files that share a name must not share routes
    computed: dict[str, list[dict[str, Any]]] = {}
    routes: dict[tuple[str, str, int], Route] = {}

    def rows_of(s: Scenario) -> list[dict[str, Any]]:
        key = _identity(s)
        if key not in computed:
            computed[key] = _scenario_rows(s, net, pairs, routes, family_ids, label=labels[key])
        return computed[key]

    rows: list[dict[str, Any]] = []
    for i, (s, base) in enumerate(zip(chosen, bases, strict=True)):
        s_rows = [dict(r) for r in rows_of(s)]
        base_rows = rows_of(base)
        best = {(r["od"], ""): r for r in base_rows if r["rank"] == 1}
        best.update({(r["od"], r["family"]): r for r in base_rows if r["family"]})
        for row in s_rows:
            # the same family in the baseline, else the baseline's best route
            ref = best.get((row["od"], row["family"])) or best.get((row["od"], ""))
            base_label = labels[_identity(base)]
            row["baseline"] = base_label
            for q in ("distance_km", "time_h", "cost_usd"):
                if ref is not None and row[q] is not None and ref[q] is not None:
                    row[f"delta_{q}"] = round(row[q] - ref[q], 1)
                else:
                    row[f"delta_{q}"] = None
            if ref is None or ref["distance_km"] is None:
                row["note"] = "; ".join(filter(None, [row["note"], f"no route in {base_label}"]))
        rows += s_rows
        if progress:
            progress(i + 1, len(chosen), labels[_identity(s)])
    table = pd.DataFrame(rows, columns=COLUMNS)
    return Comparison(
        table=table,
        routes=routes,
        scenarios=chosen,
        labels=[labels[_identity(s)] for s in chosen],
        baselines=bases,
        baseline_labels=[labels[_identity(b)] for b in bases],
        net=net,
    )


def _identity(s: Scenario) -> str:
    """Return what a scenario is: all its content and the file it was read from, as a key.

    Two loads of one file are one scenario; two files, or an edited copy, are two, whatever
    their names.
    """
    content = dataclasses.asdict(s)
    content["path"] = str(s.path.resolve()) if s.path is not None else None
    return json.dumps(content, sort_keys=True, default=str)


def _labels(scenarios: Sequence[Scenario]) -> dict[str, str]:
    """Name each distinct scenario in tables and maps: its name, made unique where needed.

    Different scenarios that share a name are told apart by their file, ``"name (file.toml)"``
    (the full path when the file names agree too), or by their order, ``"name (#2)"``.
    """
    distinct: dict[str, Scenario] = {}
    for s in scenarios:
        distinct.setdefault(_identity(s), s)
    by_name: dict[str, list[str]] = {}
    for key, s in distinct.items():
        by_name.setdefault(s.name, []).append(key)
    out: dict[str, str] = {}
    for name, keys in by_name.items():
        if len(keys) == 1:
            out[keys[0]] = name
            continue
        paths = [distinct[k].path for k in keys]
        short = [p.name if p is not None else None for p in paths]
        for n, (key, path) in enumerate(zip(keys, paths, strict=True), start=1):
            if path is None:
                out[key] = f"{name} (#{n})"
            elif short.count(path.name) > 1:
                out[key] = f"{name} ({path})"
            else:
                out[key] = f"{name} ({path.name})"
    return out


def _baseline_of(s: Scenario, chosen: Sequence[Scenario], net: Network) -> Scenario:
    """Return the scenario ``s`` is compared against (``s`` itself when it names none).

    The baseline is looked for, in order: among the scenarios being compared (by name), as a
    file next to ``s``'s own file, then as a bundled name or a path (:func:`resolve`).
    """
    if not s.baseline:
        return s
    named = {_identity(c): c for c in chosen if c.name == s.baseline}
    where = s.path.name if s.path is not None else s.name
    if len(named) > 1:
        raise ScenarioError(
            f"{where}: baseline: {s.baseline!r} names {len(named)} different scenarios of this "
            "comparison; give the baseline as a file path instead"
        )
    if named:
        return next(iter(named.values()))
    if s.path is not None:
        beside = s.path.parent / s.baseline
        for candidate in (beside, beside.with_name(beside.name + ".toml")):
            if candidate.is_file():
                return load_scenario(candidate, net=net)
    return resolve(s.baseline, net=net)


def _scenario_rows(
    s: Scenario,
    net: Network,
    pairs: list[OD] | None,
    routes: dict[tuple[str, str, int], Route],
    families: tuple[str, ...] | None = None,
    *,
    label: str | None = None,
) -> list[dict[str, Any]]:
    families = s.families if families is None else families
    label = label or s.name
    rows = []
    for pair in pairs if pairs is not None else s.od:
        base = {
            "scenario": label,
            "as_of": s.as_of.isoformat(),
            "od": pair.name,
            "origin": pair.origin,
            "destination": pair.destination,
            "family": "",
        }
        if families:
            rows += _family_rows(s, net, pair, families, base, routes)
            continue
        try:
            applied, factors, query = routing_inputs(s, net, Query.of(modes=pair.modes))
            found = alternatives(
                applied, pair.origin, pair.destination, query, k=s.alternatives, factors=factors
            )
        except (NoRouteError, UsageError) as exc:
            rows.append({**base, "rank": 1, **_NO_FIGURES, "note": str(exc)})
            continue
        for rank, r in enumerate(found, start=1):
            routes[(label, pair.name, rank)] = r
            rows.append({**base, **_route_row(r, rank)})
    return rows


_NO_FIGURES = dict.fromkeys(
    (
        "distance_km",
        "time_h",
        "cost_usd",
        "co2_kg",
        "generalized_usd",
        "border_crossings",
        "transfers",
    )
)


def _family_rows(
    s: Scenario,
    net: Network,
    pair: OD,
    families: tuple[str, ...],
    base: dict[str, Any],
    routes: dict[tuple[str, str, int], Route],
) -> list[dict[str, Any]]:
    """Rows of the best route of each family, ranked best first; families without one last."""
    applied, factors, query = routing_inputs(s, net, Query.of(modes=pair.modes))
    table = corridor_routes(
        applied, pair.origin, pair.destination, query, families=families, factors=factors
    )
    # one namedtuple per family; its fields are the table's columns, typed by pandas as Any
    families_found: list[Any] = list(table.itertuples())
    found = sorted(
        (row for row in families_found if row.route is not None),
        key=lambda row: row.route.total(s.weight),
    )
    rows = []
    for rank, row in enumerate(found, start=1):
        routes[(base["scenario"], pair.name, rank)] = row.route
        rows.append({**base, **_route_row(row.route, rank), "family": row.family})
    for rank, row in enumerate(
        (row for row in families_found if row.route is None), start=len(found) + 1
    ):
        rows.append({**base, "rank": rank, "family": row.family, **_NO_FIGURES, "note": row.note})
    return rows


def _route_row(r: Route, rank: int) -> dict[str, Any]:
    return {
        "rank": rank,
        **r.figures(),
        "modes": ",".join(r.modes),
        "tags": ",".join(r.tags[:4]),
        "via": _via_summary(r),
        "note": "",
    }


def _via_summary(r: Route) -> str:
    """Pick the places that tell routes apart: borders, ports and transfers."""
    keep = {b.at for b in r.border_crossings} | {t.at for t in r.transfers}
    return "-".join(n for n in r.nodes[1:-1] if n in keep)


@dataclass(frozen=True)
class ScenarioChanges:
    """Which links change from one state of the network to another, and what to draw them on.

    Attributes
    ----------
    name_a, name_b
        How the two states are named on maps (a scenario's name, or ``"as of <date>"``).
    net_b
        The network of the second state, whose links the changes are drawn on.
    changes
        ``{link id: "opened" | "closed" | "slower" | "faster"}``, see :func:`link_changes`.
    scenario_a, scenario_b
        The scenarios compared (``None`` for a network given as it is): what their routes
        avoid, their factors and dates, which change no link yet change the routes.
    """

    name_a: str
    name_b: str
    net_b: Network
    changes: dict[str, str]
    scenario_a: Scenario | None = None
    scenario_b: Scenario | None = None


def scenario_changes(
    a: str | Path | Scenario | Network,
    b: str | Path | Scenario | Network,
    *,
    net: Network | None = None,
) -> ScenarioChanges:
    """Work out which links change from scenario (or network) ``a`` to ``b``.

    Parameters
    ----------
    a, b
        Networks as they are, or scenarios (objects, bundled names or TOML paths) applied to
        ``net`` with their own settings.
    net
        Network the scenarios apply to; needed when ``a`` or ``b`` is a scenario (nothing is
        loaded here, so the changes are those of the network the caller routed on).

    Returns
    -------
    ScenarioChanges
        The two names, the second network and the changed links.
    """
    net_a, factors_a, name_a = _state(a, net)
    net_b, factors_b, name_b = _state(b, net)
    changes = link_changes(net_a, net_b, factors_a=factors_a, factors_b=factors_b)
    return ScenarioChanges(
        name_a=name_a,
        name_b=name_b,
        net_b=net_b,
        changes=changes,
        scenario_a=None if isinstance(a, Network) else resolve(a, net=net),
        scenario_b=None if isinstance(b, Network) else resolve(b, net=net),
    )


def _state(
    x: str | Path | Scenario | Network, net: Network | None
) -> tuple[Network, Settings, str]:
    """Return the network, the settings it is priced with and its name on a map."""
    if isinstance(x, Network):
        return x, settings, f"as of {x.as_of}"
    if net is None:
        shown = getattr(x, "name", x)
        raise UsageError(
            f"to draw scenario {str(shown)!r}, pass net=<the network it applies to>, "
            "e.g. net=cr.load_network()"
        )
    s = resolve(x, net=net)
    return s.apply(net), s.settings(), s.name


def link_changes(
    a: Network,
    b: Network,
    *,
    factors_a: Settings | None = None,
    factors_b: Settings | None = None,
) -> dict[str, str]:
    """Classify links that change from network ``a`` to ``b``.

    Parameters
    ----------
    a, b
        The two networks, each as of its date with its overrides applied.
    factors_a, factors_b
        Settings each network was priced with (the session's when ``None``).

    Returns
    -------
    dict
        ``{link id: "opened" | "closed" | "slower" | "faster"}`` for links that change; a
        link is slower or faster when its travel and waiting time differs by more than 5 %.
    """
    hours_a, hours_b = _link_hours(a, factors_a), _link_hours(b, factors_b)
    out = {}
    for link_id in set(a.link_records) | set(b.link_records):
        in_a, in_b = link_id in a.usable_links, link_id in b.usable_links
        if in_a != in_b:
            out[link_id] = "opened" if in_b else "closed"
        elif in_a:
            ta, tb = hours_a[link_id], hours_b[link_id]
            if tb > ta * 1.05:
                out[link_id] = "slower"
            elif tb < ta / 1.05:
                out[link_id] = "faster"
    return out


def _link_hours(net: Network, factors: Settings | None) -> dict[str, float]:
    """Travel and waiting time of each usable link, h, as routes on ``net`` are priced.

    Read from the network's routing graph, which routing has usually built (and cached) already,
    so the changes are the times the routes were given rather than links priced a second time.
    """
    rg = routing_graph(net, factors=factors)
    hours: dict[str, float] = {}
    for link_id, h in zip(rg.link_ids, rg.quantities["time_h"], strict=True):
        if link_id:
            hours[link_id] = min(hours.get(link_id, math.inf), float(h))
    return hours


__all__ = [
    "COLUMNS",
    "Comparison",
    "ScenarioChanges",
    "compare",
    "compare_routes",
    "link_changes",
    "scenario_changes",
]


# the per-route percentiles and on-time share; the mean, best share and drivers stay with
# cr.simulate, where one route's draws are read alone
RANGE_COLUMNS = [
    c for c in RELIABILITY_COLUMNS if c not in ("time_h_mean", "best_share", "drivers")
]
"""Columns :func:`add_ranges` adds to a comparison's table."""


def _group_ranges(
    routes: list[Route], draws: int, seed: int, deadline_h: float | None
) -> list[dict[str, Any]]:
    """One task: the ranges of the routes of one scenario and pair."""
    # the caller counts tasks; a bar per task inside would only flicker
    found = route_ranges(routes, draws=draws, seed=seed, deadline_h=deadline_h, show_progress=False)
    return found.figures


def add_ranges(
    comparison: Comparison,
    *,
    draws: int,
    seed: int = 0,
    deadline_h: float | None = None,
    client: Any = None,
) -> pd.DataFrame:
    """Return the comparison's table with P10/P50/P90 of time and cost (and on-time share).

    One task per scenario and pair (its routes drawn together, so they share their elements'
    draws); each element's draws come from its own seed, so the result is the same run serially
    or on Dask (``client``: a :class:`dask.distributed.Client`), however the tasks are split.
    """
    table = comparison.table.copy()
    groups: dict[tuple[str, str], list[tuple[int, Route]]] = {}
    for (label, od, rank), r in comparison.routes.items():
        groups.setdefault((label, od), []).append((rank, r))
    keys = list(groups)
    payloads = [[r for _, r in sorted(groups[k], key=lambda x: x[0])] for k in keys]
    if client is None:
        counted = progress_bar(payloads, total=len(payloads), desc="draws", unit="pair")
        results = [_group_ranges(p, draws, seed, deadline_h) for p in counted]
    else:
        futures = client.map(
            _group_ranges,
            payloads,
            [draws] * len(payloads),
            [seed] * len(payloads),
            [deadline_h] * len(payloads),
            pure=False,
        )
        from dask.distributed import as_completed

        # count tasks as they finish, in any order; gather keeps the order of the keys
        for _ in progress_bar(as_completed(futures), total=len(futures), desc="draws", unit="pair"):
            pass
        results = client.gather(futures)
    values: dict[tuple[str, str, int], dict[str, Any]] = {}
    for key, figures in zip(keys, results, strict=True):
        for (rank, _), f in zip(sorted(groups[key], key=lambda x: x[0]), figures, strict=True):
            values[(key[0], key[1], rank)] = f
    keyed = [
        (str(scenario), str(od), int(rank))
        for scenario, od, rank in zip(table["scenario"], table["od"], table["rank"], strict=True)
    ]
    digits = {"time": 1, "cost": 0, "on_t": 3}  # hours to 0.1, USD to 1, shares to 0.1 %
    for column in RANGE_COLUMNS:
        found = [values.get(key, {}).get(column) for key in keyed]
        table[column] = [None if v is None else round(v, digits[column[:4]]) for v in found]
    return table

"""Constraints on a route, checked once against the network, and the masks they make."""

from __future__ import annotations

import datetime as dt
import difflib
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import UsageError
from .graph import RoutingGraph
from .network import Network, to_date
from .schema import MODES

if TYPE_CHECKING:
    pass


_MAX_THROUGH = 4  # countries + tags a route must pass: 2**4 layers of the routing graph


_LIST_FIELDS = (
    "avoid_countries",
    "avoid_links",
    "avoid_tags",
    "via",
    "through_countries",
    "through_tags",
)


def _as_tuple(value: Iterable[str] | str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class Query:
    """What a route is asked for, as one frozen, hashable value.

    Routing, corridor families, comparisons and the command line pass a query around instead
    of repeating a dozen keywords; scenarios and families narrow it (:meth:`narrowed`).

    Attributes
    ----------
    weight
        ``"time"``, ``"distance"``, ``"cost"`` or ``"co2"``; ``None`` for the default (time).
    modes
        Modes allowed; ``None`` for all.
    avoid_countries, avoid_links, avoid_tags
        What the route must not enter or use.
    via
        Places to pass, in order.
    through_countries, through_tags
        Countries to enter and tags of links to travel on, in any order.
    as_of
        Date of the network; ``None`` for the network's own.
    embargoes
        Apply the embargoes in force.
    box
        Container size, ft (20 or 40).

    Examples
    --------
    >>> q = Query.of(modes="rail", avoid_countries=["RUS", "BLR"])
    >>> q.modes, q.avoid_countries
    (('rail',), ('RUS', 'BLR'))
    >>> q.narrowed(modes=["rail", "road"], avoid_countries=["IRN"]).avoid_countries
    ('RUS', 'BLR', 'IRN')
    """

    weight: str | None = None
    modes: tuple[str, ...] | None = None
    avoid_countries: tuple[str, ...] = ()
    avoid_links: tuple[str, ...] = ()
    avoid_tags: tuple[str, ...] = ()
    via: tuple[str, ...] = ()
    through_countries: tuple[str, ...] = ()
    through_tags: tuple[str, ...] = ()
    as_of: dt.date | None = None
    embargoes: bool = True
    box: int = 20

    @classmethod
    def of(cls, **keywords: Any) -> Query:
        """Return a query from keyword arguments as :func:`corridors.route` takes them."""
        unknown = keywords.keys() - cls.__dataclass_fields__.keys()
        if unknown:
            raise UsageError(f"unknown query field(s) {', '.join(sorted(unknown))}")
        values = dict(keywords)
        for key in _LIST_FIELDS:
            value = values.get(key)
            # a tuple is kept as it is (what _as_tuple returns for one), per route asked
            values[key] = value if type(value) is tuple else _as_tuple(value)
        if values.get("modes") is not None:
            values["modes"] = _as_tuple(values["modes"])
        if values.get("as_of") is not None and not isinstance(values["as_of"], dt.date):
            values["as_of"] = to_date(values["as_of"])
        return cls(**values)

    def narrowed(self, **keywords: Any) -> Query:
        """Return this query with more constraints: modes both allow, lists joined.

        ``weight``, ``as_of``, ``embargoes`` and ``box`` given (not ``None``) replace this
        query's.
        """
        extra = Query.of(**keywords)
        merged = merge_constraints(self.constraints(), extra.constraints())
        values = {**self.__dict__, **{k: _as_tuple(v) for k, v in merged.items() if k != "modes"}}
        values["modes"] = None if merged.get("modes") is None else _as_tuple(merged["modes"])
        for key in ("weight", "as_of"):
            if keywords.get(key) is not None:
                values[key] = getattr(extra, key)
        for key in ("embargoes", "box"):
            if key in keywords:
                values[key] = getattr(extra, key)
        return Query(**values)

    def keywords(self) -> dict[str, Any]:
        """Return every field as keywords (for :meth:`narrowed` or :meth:`of`)."""
        return dict(self.__dict__)

    def constraints(self) -> dict[str, Any]:
        """Return the constraints (modes and what to avoid, pass or enter) as keywords."""
        out: dict[str, Any] = {key: getattr(self, key) for key in _LIST_FIELDS}
        out["modes"] = self.modes
        return out


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


def check_choice(values: Iterable[str], known: Iterable[str], what: str) -> tuple[str, ...]:
    """Return ``values`` checked against ``known``; a one-line error suggests the closest."""
    if isinstance(values, str):
        values = (values,)
    if not values:  # nothing asked: skip sorting what is known (routes check this per call)
        return ()
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


def known_codes(net: Network) -> tuple[frozenset[str], frozenset[str]]:
    """Country codes and link tags of the network's records (cached by the network)."""
    return net.known_codes


# checked constraints per network and asked values: a comparison asks the same for every pair
_CHECKED: weakref.WeakKeyDictionary[Network, OrderedDict[tuple, Constraints]] = (
    weakref.WeakKeyDictionary()
)
_CHECKED_PER_NETWORK = 64


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
    """Check constraint values against the network and return them normalised.

    The answer is remembered per network and values (a few dozen), so that the routes of a
    comparison or a skim check their shared constraints once.
    """
    asked: tuple[Any, ...] = (
        modes,
        avoid_countries,
        avoid_links,
        avoid_tags,
        via,
        through_countries,
        through_tags,
    )
    key: tuple | None
    try:  # one pass over each value (it may be a generator), then the tuples are checked
        key = asked = tuple(None if v is None else _as_tuple(v) for v in asked)
        hash(key)
    except TypeError:  # unhashable values: check them, remember nothing
        key = None
    checked = _CHECKED.setdefault(net, OrderedDict())
    if key is not None and key in checked:
        checked.move_to_end(key)
        return checked[key]
    c = _check_constraints(net, *asked)
    if key is not None:
        if len(checked) >= _CHECKED_PER_NETWORK:
            checked.popitem(last=False)
        checked[key] = c
    return c


def _check_constraints(
    net: Network,
    modes: Iterable[str] | None,
    avoid_countries: Iterable[str],
    avoid_links: Iterable[str],
    avoid_tags: Iterable[str],
    via: Iterable[str],
    through_countries: Iterable[str],
    through_tags: Iterable[str],
) -> Constraints:
    countries, tags = known_codes(net)
    c = Constraints(
        modes=None if modes is None else check_choice(modes, MODES, "mode"),
        avoid_countries=check_countries(avoid_countries, countries),
        avoid_links=check_choice(avoid_links, net.link_records, "link"),
        avoid_tags=check_choice(avoid_tags, tags, "tag"),
        via=tuple(net.resolve(p) for p in ([via] if isinstance(via, str) else via)),
        through_countries=check_countries(through_countries, countries),
        through_tags=check_choice(through_tags, tags, "tag"),
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


def check_countries(codes: Iterable[str], known: Iterable[str]) -> tuple[str, ...]:
    """Return ISO3 codes upper-cased and checked against ``known``."""
    codes = [codes] if isinstance(codes, str) else codes
    return check_choice([str(code).upper() for code in codes], known, "country code")


def allowed_edges(rg: RoutingGraph, c: Constraints) -> np.ndarray:
    """Return a boolean mask of the edges ``c`` lets a route use."""
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


def embargo_rules(
    net: Network, o: str, d: str
) -> tuple[tuple[str, str, tuple[str, ...], str], ...]:
    """Return the embargoes in force that bind goods from ``o`` to ``d``, as country bars.

    An origin embargo bars goods from its country entering another; a transit ban bars goods
    bound for its country (from anywhere, or from one country) passing through a third.
    """
    origin_country = net.node_records[o].get("country")
    destination_country = net.node_records[d].get("country")
    known = _RULES.setdefault(net, {})  # bounded by the couples of countries
    couple = (origin_country, destination_country)
    if couple not in known:
        known[couple] = _embargo_rules(net, origin_country, destination_country)
    return known[couple]


# embargo rules per network and couple of countries (they bind by country, not by place)
_RULES: weakref.WeakKeyDictionary[Network, dict[tuple, tuple]] = weakref.WeakKeyDictionary()


def _embargo_rules(
    net: Network, origin_country: str | None, destination_country: str | None
) -> tuple[tuple[str, str, tuple[str, ...], str], ...]:
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


def merge_constraints(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Combine two sets of routing constraints (keyword arguments of :func:`corridors.route`).

    Parameters
    ----------
    base
        Constraints of a family (or scenario).
    extra
        The caller's constraints, added to ``base``.

    Returns
    -------
    dict
        ``modes`` narrowed to those both allow (``None`` in either means any mode); every
        other constraint (countries, links, tags to avoid or pass through, places to visit)
        is the union of the two, ``base`` first.
    """
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


def through_groups(rg: RoutingGraph, c: Constraints) -> list[np.ndarray]:
    """Edge groups the route must use: one per country to enter and per tag to travel on."""
    empty = np.zeros(0, dtype=np.int64)
    return [rg.enters_country.get(country, empty) for country in c.through_countries] + [
        rg.by_tag.get(tag, empty) for tag in c.through_tags
    ]


def changes_at(rg: RoutingGraph, places: Iterable[str]) -> np.ndarray:
    """Edges that change gauge or mode at ``places``.

    A trip starts on the service it leaves by, and its terminal dwell covers getting the box on
    board: a change at the origin or the destination would count that twice.
    """
    by_place = rg.changes_by_place
    found = [by_place[p] for p in dict.fromkeys(places) if p in by_place]
    return np.sort(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def dwell_weight(rg: RoutingGraph, weight: str) -> np.ndarray | None:
    """Terminal dwell in the unit of ``weight`` per routing node, or ``None``.

    Hours for ``time``; their value (value of time × hours) for ``generalized``; other weights
    do not count dwell.
    """
    if not len(rg.dwell_h):
        return None
    if weight == "time":
        return rg.dwell_h
    if weight == "generalized":
        return rg.dwell_h * rg.value_of_time_usd_per_h
    return None

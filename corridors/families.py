"""Corridor families: the best route of each family of routes between two places.

"Northern vs Middle vs Southern vs sea" is the first question analysts ask of a China-EU pair,
and "Zangezur vs Aras vs Georgia" of a South Caucasus one. Alternatives (:func:`alternatives`)
answer "what else is there"; families answer "what does *this* corridor take". A family is a set
of routing constraints kept as data (``data/families.toml``): modes, countries to enter, tags of
links to travel on (``through_*``, solved exactly inside the search) and what to avoid.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import NoRouteError, UsageError
from .network import Network
from .query import Query, make_constraints
from .routing import route
from .schema import FIGURE_COLUMNS, check_weight
from .settings import MODES, Settings, bundled_path

if TYPE_CHECKING:
    import pandas as pd

FAMILY_COLUMNS = ["family", "name", *FIGURE_COLUMNS, "note", "route"]
"""Columns of :func:`corridor_routes`; ``route`` holds the :class:`~corridors.Route` (or None)."""

_LISTS = ("modes", "through_countries", "through_tags", "avoid_countries", "avoid_tags")
_TEXTS = ("group", "name", "description", "source")


@dataclass(frozen=True)
class Family:
    """A family of routes: the constraints that pick its best route.

    Attributes
    ----------
    id, group, name, description, source
        Identity and documentation; ``group`` gathers families that answer one question.
    modes
        Modes the family may use; all when empty.
    through_countries, through_tags
        Countries the route must enter and tags of links it must travel on.
    avoid_countries, avoid_tags
        What the route must not enter or use; the origin's and destination's own countries are
        exempt from ``avoid_countries``.
    """

    id: str
    group: str
    name: str
    description: str
    source: str
    modes: tuple[str, ...] = ()
    through_countries: tuple[str, ...] = ()
    through_tags: tuple[str, ...] = ()
    avoid_countries: tuple[str, ...] = ()
    avoid_tags: tuple[str, ...] = ()

    def constraints(self, *, exempt_countries: Iterable[str] = ()) -> dict[str, Any]:
        """Return the family's constraints as keyword arguments of :func:`corridors.route`."""
        exempt = set(exempt_countries)
        out: dict[str, Any] = {
            "through_countries": self.through_countries,
            "through_tags": self.through_tags,
            "avoid_countries": tuple(c for c in self.avoid_countries if c not in exempt),
            "avoid_tags": self.avoid_tags,
        }
        if self.modes:
            out["modes"] = self.modes
        return out


def families_path() -> Path:
    """Return the bundled families file (``data/families.toml``)."""
    found = bundled_path("families.toml")
    if found is None:
        raise UsageError("the bundled corridor families are missing; reinstall corridors")
    return found


def load_families(path: str | Path | None = None) -> dict[str, Family]:
    """Read corridor families from a TOML file (the bundled ones by default).

    Raises
    ------
    UsageError
        One line naming the file, the family, the key and what is allowed.
    """
    path = Path(path) if path is not None else families_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"no families file {str(path)!r}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path.name}: not valid TOML ({exc})") from None
    return {key: _parse_family(key, spec, path.name) for key, spec in data.items()}


def _parse_family(key: str, spec: Any, where: str) -> Family:
    def fail(field: str, message: str) -> UsageError:
        return UsageError(f"{where}: [{key}] {field}: {message}")

    if not isinstance(spec, Mapping):
        raise fail("", "a family is a table of keys, e.g. [northern] then name = ...")
    unknown = set(spec) - set(_LISTS) - set(_TEXTS)
    if unknown:
        allowed = ", ".join((*_TEXTS, *_LISTS))
        raise fail(sorted(unknown)[0], f"unknown key; allowed: {allowed}")
    values: dict[str, Any] = {}
    for field in _TEXTS:
        value = spec.get(field, "")
        if not isinstance(value, str) or (field in ("group", "name") and not value):
            raise fail(field, "a non-empty string is required")
        values[field] = value
    for field in _LISTS:
        value = spec.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(field, "a list of strings is required")
        values[field] = tuple(v.upper() if field.endswith("countries") else v for v in value)
    bad = set(values["modes"]) - set(MODES)
    if bad:
        raise fail("modes", f"unknown mode {sorted(bad)[0]!r}; use {', '.join(MODES)}")
    return Family(id=key, **values)


def choose_families(
    which: str | Iterable[str] | None, families: Mapping[str, Family]
) -> list[Family]:
    """Return the families named by ``which``: group names and family ids, or all if ``None``.

    Raises
    ------
    UsageError
        For a name that is neither a group nor a family, listing both.
    """
    if which is None:
        return list(families.values())
    names = [which] if isinstance(which, str) else list(which)
    names = [n.strip() for name in names for n in name.split(",") if n.strip()]
    groups = sorted({f.group for f in families.values()})
    chosen: dict[str, Family] = {}
    for name in names:
        if name in families:
            chosen[name] = families[name]
        elif name in groups:
            chosen.update({f.id: f for f in families.values() if f.group == name})
        else:
            close = difflib.get_close_matches(name, [*groups, *families], n=1)
            hint = f" — did you mean {close[0]!r}?" if close else ""
            raise UsageError(
                f"unknown corridor family or group {name!r}{hint}; groups: {', '.join(groups)}; "
                f"families: {', '.join(families)}"
            )
    if not chosen:
        raise UsageError("no corridor family chosen")
    return list(chosen.values())


def corridor_routes(
    net: Network,
    origin: str,
    destination: str,
    query: Query | None = None,
    *,
    families: str | Iterable[str] | None = "east_west",
    families_file: str | Path | None = None,
    factors: Settings | None = None,
    **keywords: Any,
) -> pd.DataFrame:
    """Return the best route of each corridor family between two places (no scenarios here).

    :func:`corridors.corridor_routes` is the entry point with scenarios; this is the search it
    runs once a scenario has become a network, settings and a query.

    Parameters
    ----------
    net, origin, destination
        As for :func:`corridors.route`.
    query
        What every family's route is asked for besides the family's own constraints
        (:class:`~corridors.query.Query`); ``keywords`` narrow it.
    families
        Group names (``"east_west"``, ``"caucasus"``) and/or family ids (``"middle"``), or
        ``None`` for every family in the file.
    families_file
        A TOML file of families (see ``data/families.toml``); the bundled one by default.
    factors
        Settings that price the routes; the session's when ``None``.
    **keywords
        Fields of :class:`~corridors.query.Query` (``weight``, ``avoid_countries``…).

    Returns
    -------
    pandas.DataFrame
        One row per family, in the file's order (columns :data:`FAMILY_COLUMNS`): km, h,
        USD/TEU, kg CO2e/TEU, countries, crossings and transfers of its best route, and the
        :class:`~corridors.Route` itself in ``route``; a family with no route has a ``note``
        saying why and empty figures.
    """
    import pandas as pd

    chosen = choose_families(families, load_families(families_file))
    asked = (query or Query()).narrowed(**keywords) if keywords else (query or Query())
    if asked.weight is not None:
        check_weight(asked.weight)  # a mistake of the caller's fails once, not once a family
    make_constraints(net, **asked.constraints())
    o, d = net.resolve(origin), net.resolve(destination)
    # nodes at sea have no country, and an absent country is never among those avoided
    ends = {c for p in (o, d) if (c := net.node_records[p].get("country")) is not None}
    rows: list[dict[str, Any]] = []
    for family in chosen:
        own = Query.of(**family.constraints(exempt_countries=ends))
        try:
            r = route(net, o, d, own.narrowed(**asked.keywords()), factors=factors)
        except (NoRouteError, UsageError) as exc:
            rows.append({"family": family.id, "name": family.name, "note": str(exc), "route": None})
            continue
        rows.append(
            {"family": family.id, "name": family.name, **r.figures(), "note": "", "route": r}
        )
    return pd.DataFrame(rows, columns=FAMILY_COLUMNS)

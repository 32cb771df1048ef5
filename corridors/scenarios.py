"""Scenario files (TOML): states of the world to route in (read, checked and applied).

A scenario says as of which date the network is taken, what routes must avoid, which links,
nodes or tagged groups change (status, speed, border and transfer times, costs), which factors
change, which origin-destination pairs to compare and against which baseline. The schema is in
``data/scenarios/README.md``; every bad key, type, id or date fails with one line naming the file,
the key and what is allowed. Comparing scenarios is :mod:`corridors.comparison`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import re
import tomllib
import weakref
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import _validation
from .errors import ScenarioError, UsageError
from .families import choose_families, load_families
from .network import Network, load_network
from .query import Query
from .schema import FACTORS, FIGURES, MAX_ALTERNATIVES, WEIGHTS, overridable
from .settings import MODES, Settings, bundled_path, settings

_TOP_KEYS: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "description": str,
    "as_of": (str, dt.date),
    "use_announced": bool,
    "weight": str,
    "alternatives": int,
    "baseline": str,
    "avoid": dict,
    "overrides": list,
    "factors": dict,
    "od": list,
    "od_include": str,
    "sources": list,
    "families": (str, list),
    "demand": str,
}
_AVOID_KEYS = ("countries", "modes", "links", "tags")
_OVERRIDE_TARGETS = ("link", "node", "tag")
_LINK_KEYS = overridable("link")
_NODE_KEYS = overridable("node")
# what an override may set, from the schema's table of figures (one place to add one)
_OVERRIDE_VALUES: dict[str, type | tuple[type, ...]] = {
    key: (str if key == "status" else (int, float)) for key in sorted(_LINK_KEYS | _NODE_KEYS)
}
# Values that are meaningless at zero (a speed, a capacity) must be > 0; the rest may be 0
# (a border abolished, a free transfer). None may be NaN or infinite.
_POSITIVE_VALUES = frozenset(
    {k for k, f in FIGURES.items() if f.positive}
    | {k for k, v in FACTORS.items() if FIGURES[v].positive}
)
_MAX_ALTERNATIVES = MAX_ALTERNATIVES
"""More alternatives than this are no longer a comparison (and take minutes to search)."""
# Networks with a scenario's overrides applied, owned here rather than in the network's own
# cache: per base network (held weakly, so the variants go with it) and per overrides, at most
# _MAX_VARIANTS each, least recently used out. Reusing one object keeps its routing graph.
_VARIANTS: weakref.WeakKeyDictionary[Network, OrderedDict[str, Network]] = (
    weakref.WeakKeyDictionary()
)
_MAX_VARIANTS = 16


def scenarios_dir() -> Path:
    """Return the directory of the bundled scenarios (``data/scenarios``)."""
    found = bundled_path("scenarios")
    if found is None:
        raise ScenarioError("the bundled scenarios are missing; reinstall corridors")
    return found


def list_scenarios() -> list[str]:
    """Return the names of the bundled scenarios, in date order."""
    names = [p.stem for p in scenarios_dir().glob("*.toml") if p.stem != "shared-od"]
    return sorted(names, key=lambda n: (not n[:4].isdigit(), n))


@dataclass(frozen=True)
class OD:
    """An origin-destination pair to compare, optionally restricted to some modes."""

    origin: str
    destination: str
    modes: tuple[str, ...] | None = None
    label: str = ""

    @property
    def name(self) -> str:
        """How the pair is labelled in tables: ``label``, else ``origin→destination (modes)``."""
        if self.label:
            return self.label
        modes = f" ({'+'.join(self.modes)})" if self.modes else ""
        return f"{self.origin}→{self.destination}{modes}"


def as_od(pair: OD | Sequence[str], net: Network) -> OD:
    """Return an :class:`OD` from a pair of place names (resolved) or an OD."""
    if isinstance(pair, OD):
        return pair
    origin, destination = pair
    return OD(net.resolve(origin), net.resolve(destination))


@dataclass
class Scenario:
    """A state of the world to route in.

    Attributes
    ----------
    name, description
        What the scenario is.
    as_of
        Date whose network to use.
    use_announced
        Count openings and dated figures graded ``announced`` (``Network.at(announced=True)``).
    weight
        What routes minimise (``time``, ``distance``, ``cost``, ``co2``).
    alternatives
        Routes per origin-destination pair (1 = the best only).
    families
        Corridor families (groups or ids of ``data/families.toml``) whose best routes to
        compare instead of the alternatives; none by default.
    avoid
        ``countries``, ``modes``, ``links``, ``tags`` routes must not use.
    overrides
        Changes to links, nodes or tagged groups (each a dict with ``link``, ``node`` or ``tag``).
    factors
        Settings factors to change, keyed ``"<field>.<key>"`` (``"wait_h.ferry" = 24``).
    od
        Origin-destination pairs to compare.
    baseline
        Name or path of the scenario this one is compared against.
    sources
        Where the assumptions come from.
    path
        File the scenario was read from, if any.
    demand
        Demand table the scenario assigns (:func:`corridors.assign`): a bundled name in
        ``data/demand/`` or a CSV path; none by default.
    """

    name: str
    description: str = ""
    as_of: dt.date = field(default_factory=lambda: settings.today())
    use_announced: bool = False
    weight: str = "time"
    alternatives: int = 1
    families: tuple[str, ...] = ()
    avoid: dict[str, list[str]] = field(default_factory=dict)
    overrides: list[dict[str, Any]] = field(default_factory=list)
    factors: dict[str, float] = field(default_factory=dict)
    od: list[OD] = field(default_factory=list)
    baseline: str | None = None
    sources: list[str] = field(default_factory=list)
    path: Path | None = None
    demand: str | None = None

    def apply(self, net: Network, *, as_of: str | dt.date | None = None) -> Network:
        """Return ``net`` as of the scenario's date (or ``as_of``) with its overrides applied.

        The result is cached, so repeated queries reuse one routing graph.
        """
        base = net.at(self.as_of if as_of is None else as_of, announced=self.use_announced)
        if not self.overrides:
            return base
        # Keyed by content, not id(): ids of collected scenarios are reused, which served
        # one scenario's network for another's.
        key = json.dumps(self.overrides, sort_keys=True, default=str)
        variants = _VARIANTS.setdefault(base, OrderedDict())
        if key in variants:
            variants.move_to_end(key)
            return variants[key]
        nodes, links = base.copy_records()
        for override in self.overrides:
            _apply_override(override, nodes, links, self.name)
        variants[key] = base.replace(node_records=nodes, link_records=links)
        if len(variants) > _MAX_VARIANTS:
            variants.popitem(last=False)  # the least recently used
        return variants[key]

    def settings(self) -> Settings:
        """Return the session's settings with this scenario's factors applied."""
        out = settings.copy()
        for key, value in self.factors.items():
            name, _, sub = key.partition(".")
            if sub:
                getattr(out, name)[sub] = float(value)
            else:
                setattr(out, name, float(value))
            out.sources[key] = f"scenario {self.name}: [factors] {key} = {value:g}"
        return out

    def constraints(self) -> dict[str, Any]:
        """Return the routing constraints of ``avoid`` as keyword arguments of ``route``."""
        kwargs: dict[str, Any] = {
            "avoid_countries": tuple(self.avoid.get("countries", ())),
            "avoid_links": tuple(self.avoid.get("links", ())),
            "avoid_tags": tuple(self.avoid.get("tags", ())),
        }
        if self.avoid.get("modes"):
            kwargs["modes"] = tuple(m for m in MODES if m not in self.avoid["modes"])
        return kwargs


def _apply_override(override: Mapping[str, Any], nodes: dict, links: dict, name: str) -> None:
    source = f"scenario {name}: {override.get('source', 'override')}"
    if "link" in override:
        link_ids = [override["link"]]
        node_ids: list[str] = []
    elif "node" in override:
        link_ids, node_ids = [], [override["node"]]
    else:
        tag = override["tag"]
        link_ids = [i for i, p in links.items() if tag in (p.get("tags") or ())]
        tagged_nodes = {i for i, p in nodes.items() if tag in (p.get("tags") or ())}
        touched = {links[i][end] for i in link_ids for end in ("u", "v")}
        node_ids = sorted(tagged_nodes | touched)
    for link_id in link_ids:
        _set_values(links[link_id], override, _LINK_KEYS, source)
    for node_id in node_ids:
        # a tag's status applies to the nodes that carry the tag, not to every town on its links
        keys = (
            _NODE_KEYS
            if "node" in override or node_id in _tagged(nodes, override)
            else (_NODE_KEYS - {"status"})
        )
        _set_values(nodes[node_id], override, keys, source)


def _tagged(nodes: Mapping[str, Mapping], override: Mapping[str, Any]) -> set[str]:
    tag = override.get("tag")
    return {i for i, p in nodes.items() if tag and tag in (p.get("tags") or ())}


def _set_values(
    record: dict, override: Mapping[str, Any], keys: frozenset[str], source: str
) -> None:
    for key, value in override.items():
        if key not in keys:
            continue
        if key == "status":
            record["status"] = [{"status": value, "from": None, "source": source}]
            continue
        # each overridden figure keeps its own source, so a route can cite it (Route.sources)
        cited = f"{source} ({key} = {value:g})"
        if key.endswith("_factor"):
            record[key] = record.get(key, 1.0) * float(value)
            earlier = record.get(f"{key}_source")
            cited = f"{earlier}; {cited}" if earlier else cited
        else:
            record[key] = float(value)
        record[f"{key}_source"] = cited


# --- reading and checking -------------------------------------------------------------------
def load_scenario(name_or_path: str | Path, *, net: Network | None = None) -> Scenario:
    """Read and check a scenario: a bundled name (``"2022-sanctions"``) or a TOML file path.

    Parameters
    ----------
    name_or_path
        Bundled scenario name or path to a ``.toml`` file.
    net
        Network whose ids the scenario is checked against; the bundled one when ``None``.

    Raises
    ------
    ScenarioError
        One line: the file, the key and what is allowed.
    """
    path = _find(name_or_path)
    data = _read_toml(path, where=path.name)
    return parse_scenario(data, where=path.name, base=path.parent, net=net, path=path)


def _find(name_or_path: str | Path) -> Path:
    candidate = Path(name_or_path)
    try:
        exists = candidate.exists()
    except (OSError, ValueError) as exc:  # a NUL byte or a name too long for the system
        raise ScenarioError(
            f"scenario {str(name_or_path)[:60]!r} is not a usable path ({exc})"
        ) from None
    if candidate.suffix == ".toml" or exists:
        if candidate.is_dir():
            raise ScenarioError(f"{candidate.name}: is a directory; give a scenario .toml file")
        if not candidate.is_file():
            raise ScenarioError(f"scenario file {str(candidate)!r} does not exist")
        return candidate
    bundled = scenarios_dir() / f"{name_or_path}.toml"
    if bundled.is_file():
        return bundled
    names = list_scenarios()
    close = difflib.get_close_matches(str(name_or_path), names, n=1)
    hint = f" — did you mean {close[0]!r}?" if close else f"; bundled: {', '.join(names)}"
    raise ScenarioError(f"unknown scenario {str(name_or_path)!r}{hint}")


def _read_toml(path: Path, *, where: str) -> dict[str, Any]:
    """Return a TOML file's content; any unreadable file fails with one line naming it."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(f"{where}: cannot be read ({exc.strerror})") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ScenarioError(f"{where}: is UTF-16 text; save it as UTF-8 (TOML is UTF-8)")
    try:
        text = raw.decode("utf-8-sig")  # tolerate the byte-order mark some editors write
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"{where}: not UTF-8 text (byte {exc.start} is {raw[exc.start]:#04x}); "
            "save it as UTF-8 (TOML is UTF-8)"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{where}: not valid TOML ({exc})") from None
    except RecursionError:
        raise ScenarioError(
            f"{where}: not valid TOML (arrays or tables nested too deeply)"
        ) from None


def _number_problem(value: Any, *, positive: bool) -> str | None:
    """Return what is wrong with a number read from a scenario, or ``None``."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        kind = "> 0" if positive else ">= 0"
        return f"must be a finite number {kind}, not {type(value).__name__}"
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        return f"must be a finite number {'> 0' if positive else '>= 0'}"
    return None


def parse_scenario(
    data: Mapping[str, Any],
    *,
    where: str = "scenario",
    base: Path | None = None,
    net: Network | None = None,
    path: Path | None = None,
) -> Scenario:
    """Check a scenario given as a mapping (parsed TOML) and return it.

    ``base`` is the directory relative to which ``od_include`` is found (besides the bundled
    scenarios); ``net`` the network whose ids are checked.
    """

    def fail(key: str, message: str) -> ScenarioError:
        return ScenarioError(f"{where}: {key}: {message}")

    for key, value in data.items():
        if key not in _TOP_KEYS:
            raise fail(key, f"unknown key; allowed: {', '.join(_TOP_KEYS)}")
        wanted = _TOP_KEYS[key]
        if not isinstance(value, wanted) or (isinstance(value, bool) and wanted is not bool):
            expected = _type_name(_TOP_KEYS[key])
            raise fail(key, f"must be {expected}, not {type(value).__name__}")
    if "name" not in data:
        raise fail("name", "missing; every scenario needs a name")
    if not data["name"].strip() or not data["name"].isprintable():
        # it labels rows and progress lines: one printable line
        raise fail("name", "must be one line of printable text; it labels the scenario in tables")
    if "baseline" in data and not data["baseline"].strip():
        raise fail("baseline", "must name a scenario (bundled name or .toml path), not be empty")
    net = net or load_network()
    try:
        as_of = _validation.parse_date(data.get("as_of", settings.today()), what="as_of")
    except ValueError as exc:
        raise fail("as_of", f"{exc} (a real calendar date)") from None
    weight = data.get("weight", "time")
    if weight not in WEIGHTS:
        raise fail("weight", f"{weight!r} is not one of {', '.join(WEIGHTS)}")
    k = data.get("alternatives", 1)
    if not 1 <= k <= _MAX_ALTERNATIVES:
        raise fail("alternatives", f"must be a whole number from 1 to {_MAX_ALTERNATIVES}, not {k}")
    bad_sources = [v for v in data.get("sources", []) if not isinstance(v, str)]
    if bad_sources:
        raise fail("sources", f"must be a list of strings, not {_validation.show(bad_sources[0])}")
    known = _Known(net)
    avoid = _check_avoid(data.get("avoid", {}), known, fail)
    overrides = [
        _check_override(o, i, known, fail) for i, o in enumerate(data.get("overrides", []))
    ]
    factors = _check_factors(data.get("factors", {}), fail)
    families = _check_families(data.get("families", []), fail)
    od = _check_od(data.get("od", []), "od", known, fail)
    if "od_include" in data:
        od += _read_od_include(data["od_include"], base, known, fail)
    return Scenario(
        name=data["name"],
        description=data.get("description", "").strip(),
        as_of=as_of,
        use_announced=data.get("use_announced", False),
        weight=weight,
        alternatives=k,
        families=families,
        avoid=avoid,
        overrides=overrides,
        factors=factors,
        od=list(dict.fromkeys(od)),
        baseline=data.get("baseline"),
        sources=[str(s) for s in data.get("sources", [])],
        path=path,
        demand=_check_demand(data.get("demand"), base, fail),
    )


def _check_demand(value: str | None, base: Path | None, fail: Any) -> str | None:
    """Return the demand a scenario names: a bundled table's name or a path next to the file."""
    if value is None:
        return None
    bundled = bundled_path("demand")
    for folder in (base, bundled):
        if folder is not None:
            for candidate in (folder / value, folder / f"{value}.csv"):
                if candidate.is_file():
                    return str(candidate) if folder == base else candidate.stem
    known = ", ".join(sorted(p.stem for p in bundled.glob("*.csv"))) if bundled else "none"
    raise fail("demand", f"{value!r} not found next to the scenario or in data/demand ({known})")


def _check_families(value: str | list, fail: Any) -> tuple[str, ...]:
    names = [value] if isinstance(value, str) else value
    if not names:
        return ()
    if not all(isinstance(n, str) for n in names):
        raise fail("families", "must be a group or family name, or a list of them")
    try:
        return tuple(f.id for f in choose_families(names, load_families()))
    except UsageError as exc:
        raise fail("families", str(exc)) from None


def _type_name(kind: type | tuple[type, ...]) -> str:
    names = {
        str: "a string",
        int: "a whole number",
        float: "a number",
        dict: "a table",
        list: "a list",
        dt.date: "a date",
        bool: "true or false",
    }
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


class _Known:
    """Ids a scenario may name, from the network."""

    def __init__(self, net: Network) -> None:
        self.net = net
        self.links = set(net.link_records)
        self.nodes = set(net.node_records)
        self.tags = {t for p in net.link_records.values() for t in p.get("tags") or ()} | {
            t for p in net.node_records.values() for t in p.get("tags") or ()
        }
        self.countries = {p.get("country") for p in net.node_records.values()} - {None}

    def check(self, value: Any, kind: str, key: str, fail: Any) -> str:
        if not isinstance(value, str):
            raise fail(key, f"a {kind} must be a string, not {_validation.show(value)}")
        pool = {
            "link": self.links,
            "node": self.nodes,
            "tag": self.tags,
            "country": self.countries,
            "mode": set(MODES),
        }[kind]
        if value not in pool:
            close = difflib.get_close_matches(str(value), sorted(pool), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise fail(key, f"unknown {kind} {value!r}{hint}")
        return value

    def place(self, value: Any, key: str, fail: Any) -> str:
        if not isinstance(value, str):
            raise fail(key, f"a place must be a string, not {value!r}")
        try:
            return self.net.resolve(value)
        except UsageError as exc:
            raise fail(key, str(exc)) from None


def _check_avoid(avoid: Mapping, known: _Known, fail: Any) -> dict[str, list[str]]:
    out = {}
    kinds = {"countries": "country", "modes": "mode", "links": "link", "tags": "tag"}
    for key, values in avoid.items():
        if key not in _AVOID_KEYS:
            raise fail(f"avoid.{key}", f"unknown key; allowed: {', '.join(_AVOID_KEYS)}")
        if not isinstance(values, list):
            raise fail(f"avoid.{key}", "must be a list")
        out[key] = [known.check(v, kinds[key], f"avoid.{key}", fail) for v in values]
    return out


def _check_override(override: Any, i: int, known: _Known, fail: Any) -> dict[str, Any]:
    key = f"overrides[{i}]"
    if not isinstance(override, dict):
        raise fail(key, "must be a table")
    targets = [t for t in _OVERRIDE_TARGETS if t in override]
    if len(targets) != 1:
        raise fail(key, "needs exactly one of link, node or tag")
    target = targets[0]
    known.check(override[target], target, f"{key}.{target}", fail)
    for text in ("source", "note"):
        if text in override and not isinstance(override[text], str):
            raise fail(f"{key}.{text}", f"must be a string, not {_validation.show(override[text])}")
    values = {k: v for k, v in override.items() if k not in (target, "source", "note")}
    if not values:
        raise fail(key, f"changes nothing; set one of {', '.join(_OVERRIDE_VALUES)}")
    for name, value in values.items():
        if name not in _OVERRIDE_VALUES:
            raise fail(f"{key}.{name}", f"unknown key; allowed: {', '.join(_OVERRIDE_VALUES)}")
        if name == "status":
            if not isinstance(value, str):
                raise fail(f"{key}.status", f"must be a string, not {_validation.show(value)}")
            if value not in _validation.STATUSES:
                allowed = ", ".join(sorted(_validation.STATUSES))
                raise fail(f"{key}.status", f"{value!r} is not one of {allowed}")
        else:
            wrong = _number_problem(value, positive=name in _POSITIVE_VALUES)
            if wrong:
                raise fail(f"{key}.{name} = {_validation.show(value)}", wrong)
        if target == "link" and name not in _LINK_KEYS:
            raise fail(f"{key}.{name}", "applies to nodes; use node or tag")
        if target == "node" and name not in _NODE_KEYS:
            raise fail(f"{key}.{name}", "applies to links; use link or tag")
    if not override.get("source"):
        raise fail(f"{key}.source", "missing; say where the assumption comes from")
    return dict(override)


def _check_factors(factors: Mapping[str, Any], fail: Any) -> dict[str, float]:
    known = settings.factors()
    out = {}
    for key, value in factors.items():
        # a premium may be put on any link or country, not only those with a default one
        element = key.removeprefix("risk_premium_usd.")
        if element != key and re.fullmatch(r"[A-Z]{3}|[a-z0-9_]+", element):
            known = {**known, key: 0.0}
        if key not in known:
            close = difflib.get_close_matches(key, list(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise fail(f"factors.{key}", f"unknown factor{hint}")
        # a speed of 0 or inf would price every leg at infinity or at 0 h; NaN drops links
        wrong = _number_problem(value, positive=key.startswith("speed_kmh."))
        if wrong:
            raise fail(f"factors.{key} = {_validation.show(value)}", wrong)
        out[key] = float(value)
    return out


def _check_od(pairs: Any, key: str, known: _Known, fail: Any) -> list[OD]:
    if not isinstance(pairs, list):
        raise fail(key, f"must be a list of pairs, not {type(pairs).__name__}")
    out = []
    for i, pair in enumerate(pairs):
        where = f"{key}[{i}]"
        modes = label = None
        if isinstance(pair, dict):
            extra = set(pair) - {"from", "to", "label", "modes"}
            if extra or not {"from", "to"} <= set(pair):
                raise fail(where, "needs from and to (optionally label and modes)")
            origin, destination = pair["from"], pair["to"]
            label, modes = pair.get("label"), pair.get("modes")
            if label is not None and not isinstance(label, str):
                raise fail(f"{where}.label", f"must be a string, not {_validation.show(label)}")
            if modes is not None:
                if not isinstance(modes, list) or not modes:
                    raise fail(f"{where}.modes", "must be a non-empty list of modes")
                modes = tuple(known.check(m, "mode", f"{where}.modes", fail) for m in modes)
        elif isinstance(pair, list) and len(pair) == 2:
            origin, destination = pair
        else:
            raise fail(where, 'must be {from = "…", to = "…"} or ["from", "to"]')
        o = known.place(origin, f"{where}.from", fail)
        d = known.place(destination, f"{where}.to", fail)
        if o == d:
            raise fail(where, f"origin and destination are the same place ({o!r})")
        out.append(OD(o, d, modes, str(label or "")))
    return out


def _read_od_include(name: str, base: Path | None, known: _Known, fail: Any) -> list[OD]:
    for folder in (base, scenarios_dir()):
        if folder is not None and (folder / name).is_file():
            try:
                data = _read_toml(folder / name, where=name)
            except ScenarioError as exc:
                raise fail("od_include", str(exc)) from None
            return _check_od(data.get("od", []), f"od_include {name}: od", known, fail)
    raise fail("od_include", f"file {name!r} not found next to the scenario or in the bundle")


def routing_inputs(
    scenario: str | Path | Scenario, net: Network, query: Query
) -> tuple[Network, Settings, Query]:
    """Turn a scenario and a caller's query into what routing searches.

    Returns the network as of the scenario's date (or the query's), the scenario's settings, and
    the scenario's query (its weight and what it avoids) narrowed by the caller's.
    """
    chosen = resolve(scenario, net=net)
    applied = chosen.apply(net, as_of=query.as_of)
    base = Query.of(**chosen.constraints(), weight=chosen.weight)
    asked = base.narrowed(**{**query.keywords(), "as_of": None})
    return applied, chosen.settings(), asked


def resolve(scenario: str | Path | Scenario, *, net: Network | None = None) -> Scenario:
    """Return a :class:`Scenario` from a bundled name, a path, or a scenario."""
    if isinstance(scenario, Scenario):
        return scenario
    return load_scenario(scenario, net=net)


# Names that moved to corridors.comparison, still importable from here for code written before
# the split. Loaded on first use: comparison imports this module, so a top-level import would
# be circular (the layers contract in pyproject.toml lists this one upward import).
_MOVED_TO_COMPARISON = frozenset({"COLUMNS", "Comparison", "compare", "compare_routes"})


def __getattr__(name: str) -> Any:
    if name in _MOVED_TO_COMPARISON:
        from . import comparison

        return getattr(comparison, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "OD",
    "Scenario",
    "list_scenarios",
    "load_scenario",
    "parse_scenario",
    "resolve",
    "scenarios_dir",
]

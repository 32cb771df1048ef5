"""Load and validate the corridor dataset; the physical network as of a date.

The physical network follows OSMnx conventions: a :class:`networkx.MultiDiGraph` with
``graph["crs"]``, node ``x``/``y`` (lon/lat) and edge ``length`` (metres) and ``geometry``
(LineString), so OSMnx and NetworkX functions work on it as they are.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import _dated, _validation
from .errors import DatasetError, UsageError
from .places import PlaceIndex
from .settings import bundled_path, settings

if TYPE_CHECKING:
    import geopandas as gpd
    import networkx as nx

USABLE = "open"


def data_dir() -> Path:
    """Return the directory of the bundled dataset (``data/geo``).

    An installed wheel carries it as ``corridors/data/geo``; a checkout has it at the top.
    """
    if settings.data_dir is not None:
        return Path(settings.data_dir)
    found = bundled_path("geo")
    if found is None:
        raise DatasetError(
            ["the bundled dataset is missing; reinstall corridors"], where="corridors"
        )
    return found


def _read_json(path: Path) -> tuple[Any, str | None]:
    """Return a JSON file's content, or ``None`` and a one-line problem naming the file."""
    try:
        return json.loads(path.read_text(encoding="utf-8")), None
    except UnicodeDecodeError as exc:
        return (
            None,
            f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8",
        )
    except OSError as exc:
        return None, f"{path.name}: cannot be read ({exc.strerror})"
    except RecursionError:
        return None, f"{path.name}: nested too deeply to be GeoJSON"
    except ValueError as exc:
        return None, f"{path.name}: cannot be read as JSON ({exc})"


def _read_collection(path: Path) -> tuple[list[Any], list[str]]:
    """Return the features of a GeoJSON FeatureCollection file and what is wrong with it."""
    collection, problem = _read_json(path)
    if problem:
        return [], [problem]
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        kind = type(collection).__name__
        return [], [f"{path.name}: must be a GeoJSON FeatureCollection object, not {kind}"]
    features = collection.get("features")
    if not isinstance(features, list):
        kind = type(features).__name__
        return [], [f"{path.name}: features must be a list of Feature objects, not {kind}"]
    return features, []


def _read_features(paths: Iterable[Path]) -> tuple[list[tuple[str, Any]], list[str]]:
    """Return ``(file name, feature)`` pairs of every file, and every file's problems."""
    features: list[tuple[str, Any]] = []
    problems: list[str] = []
    for path in paths:
        found, file_problems = _read_collection(path)
        features += [(path.name, f) for f in found]
        problems += file_problems
    return features, problems


def _basemap_file(directory: Path | None) -> Path | None:
    """Return the basemap next to the dataset, else the bundled one (``None``: neither exists)."""
    for base in (directory, _bundled_dir_or_none()):
        if base is not None and (base / "countries.geojson").is_file():
            return base / "countries.geojson"
    return None


def _basemap(directory: Path | None) -> tuple[list[tuple[str, Any]], list[str]]:
    """Return ``(ADM0_A3, geometry)`` of each country of the basemap, and its problems."""
    path = _basemap_file(directory)
    if path is None:
        return [], []
    countries, problems = _read_basemap(str(path.resolve()), path.stat().st_mtime)
    return list(countries), list(problems)


# The basemap is large and validate reads it twice: read it once per version of the file.
@lru_cache(maxsize=4)
def _read_basemap(path: str, mtime: float) -> tuple[tuple[tuple[str, Any], ...], tuple[str, ...]]:
    features, problems = _read_collection(Path(path))
    countries = []
    for i, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        code = props.get("ADM0_A3") if isinstance(props, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(code, str) or not isinstance(geometry, dict):
            problems.append(
                f"countries.geojson: feature {i}: needs properties.ADM0_A3 (a country code) "
                "and a geometry; rebuild it with scripts/build_basemap.py"
            )
            continue
        countries.append((code, geometry))
    return tuple(countries), tuple(problems)


@lru_cache(maxsize=4)
def _country_shapes(path: str, mtime: float) -> tuple[list[str], list[Any], Any] | str:
    """Return the codes, polygons and search tree of a basemap, or what breaks a polygon."""
    from shapely import STRtree
    from shapely.geometry import shape

    countries, problems = _read_basemap(path, mtime)
    if problems or not countries:
        return "unreadable"
    codes, polygons = [], []
    for code, geometry in countries:
        try:
            polygons.append(shape(geometry))
        except (AttributeError, KeyError, TypeError, ValueError, IndexError) as exc:
            reason = str(exc) or type(exc).__name__
            return f"countries.geojson: {code}: geometry is not a valid polygon ({reason})"
        codes.append(code)
    return codes, polygons, STRtree(polygons)


def known_countries(directory: Path | None = None) -> frozenset[str] | None:
    """Return the ``ADM0_A3`` codes of the country basemap (``countries.geojson``).

    The basemap next to the dataset is used, else the bundled one; ``None`` when neither exists
    or it cannot be read (:func:`read_dataset` reports why).
    """
    countries, problems = _basemap(directory)
    if problems or not countries:
        return None
    return frozenset(code for code, _ in countries)


def _bundled_dir_or_none() -> Path | None:
    try:
        return data_dir()
    except DatasetError:
        return None


class Dataset(NamedTuple):
    """Records of a dataset directory and the problems found in them."""

    nodes: dict[str, dict]
    links: dict[str, dict]
    embargoes: list[dict]
    problems: list[str]
    disruptions: list[dict] = []  # noqa: RUF012 (a NamedTuple default is never mutated)
    files: dict[str, str] | None = None
    """File each node and link was read from, by id."""
    customs_unions: list[dict] = []  # noqa: RUF012 (a NamedTuple default is never mutated)


def read_dataset(path: str | Path | None = None) -> Dataset:
    """Read and check every nodes, links, embargoes, disruptions and customs unions file.

    That is ``nodes_*.geojson``, ``links_*.geojson``, ``embargoes.json``,
    ``disruptions.json`` and ``customs_unions.json``.

    Parameters
    ----------
    path
        Dataset directory; ``None`` for the bundled one.

    Returns
    -------
    Dataset
        Records keyed by id, embargoes, every schema problem found (empty when valid),
        disruptions and customs unions.
    """
    directory = Path(path) if path is not None else data_dir()
    if not directory.is_dir():
        what = "is a file, not a folder" if directory.exists() else "does not exist"
        raise UsageError(
            f"dataset directory {str(directory)!r} {what}; give the folder of the data"
        )
    node_files = sorted(directory.glob("nodes_*.geojson"))
    link_files = sorted(directory.glob("links_*.geojson"))
    if not node_files or not link_files:
        raise DatasetError(
            [f"no nodes_*.geojson and links_*.geojson files in {directory}"], where=str(directory)
        )
    basemap, problems = _basemap(directory)
    countries = None if problems or not basemap else frozenset(code for code, _ in basemap)
    node_features, file_problems = _read_features(node_files)
    link_features, link_file_problems = _read_features(link_files)
    nodes, node_problems = _validation.check_nodes(node_features, countries=countries)
    links, link_problems = _validation.check_links(link_features, nodes, countries=countries)
    problems += file_problems + node_problems + link_file_problems + link_problems
    embargoes, embargo_problems = _optional_file(
        directory / "embargoes.json", _dated.check_embargoes, countries
    )
    customs_unions, union_problems = _optional_file(
        directory / "customs_unions.json", _dated.check_customs_unions, countries
    )
    problems += embargo_problems + union_problems
    disruptions, dated_problems = _dated.read_disruptions(
        directory, nodes, links, countries=countries
    )
    problems += _dated.check_records(nodes, links) + dated_problems
    files = {
        f["properties"]["id"]: name
        for name, f in [*node_features, *link_features]
        if isinstance(f, dict)
        and isinstance(f.get("properties"), dict)
        and isinstance(f["properties"].get("id"), str)
    }
    return Dataset(nodes, links, embargoes, problems, disruptions, files, customs_unions)


def _optional_file(
    path: Path,
    check: Callable[..., tuple[list[dict], list[str]]],
    countries: frozenset[str] | None,
) -> tuple[list[dict], list[str]]:
    """Read and check a dataset's optional JSON file; no records when it is absent."""
    if not path.is_file():
        return [], []
    data, problem = _read_json(path)
    if problem:
        return [], [problem]
    records, problems = check(data, countries=countries)
    return records, problems


def validate(path: str | Path | None = None, *, geography: bool = True) -> list[str]:
    """Return every problem of a dataset directory (an empty list when it is valid).

    Parameters
    ----------
    path
        Dataset directory; ``None`` for the bundled one.
    geography
        Also check that each node lies in its country on the basemap (slower: loads shapely
        polygons). Ports and border nodes may lie up to 10 km outside.
    """
    dataset = read_dataset(path)
    problems = list(dataset.problems)
    if geography:
        directory = Path(path) if path is not None else data_dir()
        problems += _check_node_countries(dataset.nodes, directory, files=dataset.files or {})
    return problems


def _check_node_countries(
    nodes: Mapping[str, Mapping], directory: Path, *, files: Mapping[str, str] | None = None
) -> list[str]:
    from pyproj import Geod
    from shapely import Point

    path = _basemap_file(directory)
    if path is None:
        return []
    shapes = _country_shapes(str(path.resolve()), path.stat().st_mtime)
    if shapes == "unreadable":
        return []  # read_dataset reported the broken basemap
    if isinstance(shapes, str):
        return [shapes]
    codes, polygons, tree = shapes
    geod = Geod(ellps="WGS84")
    problems = []
    for node_id, props in nodes.items():
        country = props.get("country")
        if not isinstance(country, str) or props.get("kind") == "sea":
            continue  # no country, or a bad one that read_dataset reported
        point = Point(props["lon"], props["lat"])
        found = {codes[i] for i in tree.query(point, predicate="intersects")}
        if country in found:
            continue
        # Coastal ports and crossings sit on simplified coastlines and borders.
        slack_km = 10.0 if props.get("kind") in ("port", "border") else 3.0
        near = tree.query(point, predicate="dwithin", distance=0.2)
        distances = {
            codes[i]: _distance_km(geod, point, polygons[i]) for i in near if codes[i] == country
        }
        if distances and min(distances.values()) <= slack_km:
            continue
        where = "/".join(sorted(found)) or "no country (sea?)"
        named = f"{files[node_id]}: " if files and node_id in files else ""
        problems.append(
            f"{named}node {node_id!r}: country = {country!r} but the point lies in {where}"
        )
    return problems


def _distance_km(geod: Any, point: Any, polygon: Any) -> float:
    from shapely.ops import nearest_points

    nearest = nearest_points(polygon.boundary, point)[0]
    return geod.inv(point.x, point.y, nearest.x, nearest.y)[2] / 1000.0


def status_on(events: list[Mapping] | None, day: dt.date) -> str | None:
    """Return the status in force on ``day`` from a list of dated events.

    ``None`` when the thing does not exist yet on that day; ``"open"`` when there are no events.

    Examples
    --------
    >>> import datetime as dt
    >>> events = [{"status": "under_construction", "from": "2008-07-24"},
    ...           {"status": "open", "from": "2017-10-30"}]
    >>> status_on(events, dt.date(2015, 1, 1)), status_on(events, dt.date(2020, 1, 1))
    ('under_construction', 'open')
    >>> status_on(events, dt.date(2000, 1, 1)) is None
    True
    """
    if not events:
        return USABLE
    event = event_on(events, day)
    return None if event is None else event["status"]


def event_on(events: list[Mapping] | None, day: dt.date) -> Mapping | None:
    """Return the status event in force on ``day`` (``None`` before the first or if none)."""
    current = None
    for event in events or ():
        start = event.get("from")
        if start is None or _validation.parse_date(start) <= day:
            current = event
        else:
            break
    return current


def link_ways(link: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Return the directions ``(from, to)`` a link record may be travelled on its day.

    Both ways unless the link is ``oneway`` (``u`` to ``v`` only) or a one-way closure in force
    shut a direction (``closed_directions``).

    Examples
    --------
    >>> link_ways({"u": "a", "v": "b"})
    [('a', 'b'), ('b', 'a')]
    >>> link_ways({"u": "a", "v": "b", "closed_directions": ["a>b"]})
    [('b', 'a')]
    """
    ways = [(link["u"], link["v"])]
    if not link.get("oneway", False):
        ways.append((link["v"], link["u"]))
    closed = set(link.get("closed_directions", ()))
    return [(a, b) for a, b in ways if f"{a}>{b}" not in closed]


def to_date(value: str | dt.date | None) -> dt.date:
    """Return a date from an ISO string or date; ``None`` gives the settings' date (today)."""
    if value is None:
        return settings.today()
    try:
        return _validation.parse_date(value, what="as_of")
    except ValueError as exc:
        raise UsageError(str(exc)) from None


class Network:
    """The corridor network as of one date.

    Build it with :func:`load_network`, and take it to another date with :meth:`at`: the
    records it holds are those in force on :attr:`as_of` (dated values laid over, closures and
    disruptions applied, announced openings left out unless :attr:`announced`). Attributes are
    computed on first use.

    Attributes
    ----------
    as_of : datetime.date
        The date whose state the network shows.
    announced : bool
        Whether openings, dated values and periods graded ``announced`` count.
    node_records, link_records : dict
        Records in force on :attr:`as_of`, by id.
    embargo_records, disruption_records, customs_union_records : list of dict
        Every embargo, disruption and customs union of the dataset.
    graph : networkx.MultiDiGraph
        Physical network of the usable links (OSMnx conventions; both directions unless one-way).
    nodes, links : geopandas.GeoDataFrame
        Usable nodes and links on ``as_of``, indexed by id.
    all_nodes, all_links : geopandas.GeoDataFrame
        Every node and link of the dataset with its ``status`` on ``as_of``.
    places : PlaceIndex
        Name look-up.
    """

    def __init__(
        self,
        node_records: Mapping[str, dict],
        link_records: Mapping[str, dict],
        *,
        as_of: dt.date,
        embargo_records: Iterable[Mapping] = (),
        disruption_records: Iterable[Mapping] = (),
        customs_union_records: Iterable[Mapping] = (),
        announced: bool = False,
        name: str = "corridors",
    ) -> None:
        self.node_records = dict(node_records)
        self.link_records = dict(link_records)
        self.embargo_records = [dict(e) for e in embargo_records]
        self.disruption_records = [dict(d) for d in disruption_records]
        self.customs_union_records = [dict(u) for u in customs_union_records]
        self.as_of = as_of
        self.announced = announced
        self.name = name
        # the networks of other dates this one handed out (one owner: this class; bounded)
        self._days: OrderedDict[tuple[dt.date, bool], Network] = OrderedDict()
        # what the day's state changed in each record, so that another day starts from the
        # loaded records (see _dated.state_on)
        self._undone: dict[tuple[str, str], dict[str, Any]] = {}

    def __repr__(self) -> str:
        return (
            f"<Network {self.name!r} as of {self.as_of}: {len(self.usable_nodes)} nodes, "
            f"{len(self.usable_links)} links usable of {len(self.link_records)}>"
        )

    # --- state on the date -------------------------------------------------------------
    def node_status(self, node_id: str) -> str | None:
        """Return a node's status on :attr:`as_of` (``None`` if it does not exist yet)."""
        return status_on(self.node_records[node_id].get("status"), self.as_of)

    def border_one_way(self, node_id: str) -> str | None:
        """Return the only direction a border may be crossed on :attr:`as_of` (``"AZE>ARM"``).

        ``None`` when it may be crossed both ways (or not at all: see :meth:`node_status`).
        """
        event = event_on(self.node_records[node_id].get("status"), self.as_of)
        return None if event is None else event.get("one_way")

    def link_status(self, link_id: str) -> str | None:
        """Return a link's status on :attr:`as_of` (``None`` if it does not exist yet)."""
        return status_on(self.link_records[link_id].get("status"), self.as_of)

    @cached_property
    def usable_nodes(self) -> dict[str, dict]:
        """Nodes that exist on :attr:`as_of` (a closed border still exists: it is not crossed)."""
        return {i: p for i, p in self.node_records.items() if self.node_status(i) is not None}

    @cached_property
    def usable_links(self) -> dict[str, dict]:
        """Links open on :attr:`as_of` whose two ends exist."""
        return {
            i: p
            for i, p in self.link_records.items()
            if self.link_status(i) == USABLE
            and p["u"] in self.usable_nodes
            and p["v"] in self.usable_nodes
        }

    def at(self, as_of: str | dt.date | None, *, announced: bool = False) -> Network:
        """Return the same dataset as of another date (this network when nothing changes).

        Parameters
        ----------
        as_of
            Date (``YYYY-MM-DD`` or :class:`datetime.date`); ``None`` for today.
        announced
            Also count openings, dated values and disruption periods graded ``announced``
            (by default a later-dated one is announced; see ``data/geo/README.md``).

        Returns
        -------
        Network
            Whose records are new dicts in force on that date; this network's are unchanged.
        """
        day = to_date(as_of)
        if day == self.as_of and announced == self.announced:
            return self
        key = (day, announced)
        if key in self._days:
            self._days.move_to_end(key)
        else:
            if len(self._days) >= _DAYS_KEPT:
                self._days.popitem(last=False)
            self._days[key] = _on_day(
                self.node_records,
                self.link_records,
                as_of=day,
                announced=announced,
                embargo_records=self.embargo_records,
                disruption_records=self.disruption_records,
                customs_union_records=self.customs_union_records,
                name=self.name,
                undone=self._undone,
            )
        return self._days[key]

    def replace(
        self,
        *,
        node_records: Mapping[str, dict] | None = None,
        link_records: Mapping[str, dict] | None = None,
    ) -> Network:
        """Return a new network on the same date with some records replaced.

        Scenarios, :func:`corridors.refine` and :func:`corridors.add_sea_link` build their
        networks this way; the records given are not copied.
        """
        net = Network(
            node_records if node_records is not None else self.node_records,
            link_records if link_records is not None else self.link_records,
            as_of=self.as_of,
            embargo_records=self.embargo_records,
            disruption_records=self.disruption_records,
            customs_union_records=self.customs_union_records,
            announced=self.announced,
            name=self.name,
        )
        net._undone = self._undone
        return net

    def copy_records(self) -> tuple[dict[str, dict], dict[str, dict]]:
        """Return deep copies of the node and link records, safe to modify."""
        return thaw(self.node_records), thaw(self.link_records)

    def embargoes_in_force(self, *, kind: str | None = None) -> list[dict]:
        """Return the embargoes in force on :attr:`as_of`.

        Parameters
        ----------
        kind
            ``"origin"`` or ``"transit"`` for those of one kind only; ``None`` for both.
        """
        return [
            e
            for e in self.embargo_records
            if (kind is None or e.get("kind", "origin") == kind)
            and _dated.periods_in_force(e, self.as_of, announced=self.announced)
        ]

    def customs_union(self, a: str, b: str) -> str | None:
        """Return the customs union (``customs_unions.json``) ``a`` and ``b`` share that day.

        Goods landed in ``b`` from a ship loaded in ``a`` pay no customs when they share one.
        ``None`` when they share none.
        """
        return next((u for u, members in self.customs_unions.items() if {a, b} <= members), None)

    @cached_property
    def customs_unions(self) -> dict[str, frozenset[str]]:
        """Member countries of each customs union on :attr:`as_of`, by union id."""
        return _dated.customs_union_members(
            self.customs_union_records, self.as_of, announced=self.announced
        )

    def disruptions_in_force(self) -> list[dict]:
        """Return the closures and disruptions (``disruptions.json``) in force on :attr:`as_of`."""
        return [
            d
            for d in self.disruption_records
            if _dated.periods_in_force(d, self.as_of, announced=self.announced)
        ]

    # --- views -------------------------------------------------------------------------
    @cached_property
    def known_codes(self) -> tuple[frozenset[str], frozenset[str]]:
        """Country codes and link tags of the records (constraints are checked against them)."""
        records = self.node_records.values()
        countries = {str(p["country"]) for p in records if p.get("country")}
        countries |= {str(c) for p in records for c in p.get("countries", ())}
        tags = {str(t) for p in self.link_records.values() for t in p.get("tags") or ()}
        return frozenset(countries), frozenset(tags)

    @cached_property
    def places(self) -> PlaceIndex:
        """Index of every place's id, name and aliases."""
        return PlaceIndex.from_nodes(self.node_records)

    def resolve(self, place: str) -> str:
        """Return the node id of a place id, name or alias (see :meth:`PlaceIndex.resolve`)."""
        return self.places.resolve(place)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """Physical network of usable links, OSMnx conventions.

        Node ids are place ids, with ``x``/``y`` (lon/lat) and ``street_count`` (links meeting
        there, as :func:`osmnx.stats.count_streets_per_node` counts them). Edge keys are link
        ids; each edge has ``length`` (m), ``geometry`` and ``osmid``, which OSMnx needs to pair
        the two directions of a link: the dataset's links carry no OpenStreetMap way ids, so
        ``osmid`` is the link id. List attributes are lists (``tags``, ``aliases``, ``status``)
        and missing values are left out, so ``ox.save_graphml`` and
        ``ox.load_graphml(path, **corridors.GRAPHML_DTYPES)`` round-trip the graph. OSMnx takes
        a single string as a list of origins: pass lists,
        ``ox.routing.shortest_path(net.graph, ["baku"], ["kars"], weight="length")``.
        """
        import networkx as nx
        from shapely import LineString

        graph = nx.MultiDiGraph(crs="EPSG:4326", name=self.name, as_of=self.as_of.isoformat())
        streets = dict.fromkeys(self.usable_nodes, 0)
        for props in self.usable_links.values():
            streets[props["u"]] += 1
            streets[props["v"]] += 1
        for node_id, props in self.usable_nodes.items():
            attrs = _graph_attrs(props, leave_out=("lon", "lat"))
            attrs["street_count"] = streets[node_id]
            graph.add_node(node_id, x=props["lon"], y=props["lat"], **attrs)
        for link_id, props in self.usable_links.items():
            attrs = _graph_attrs(props, leave_out=("coords", "u", "v", "id"))
            attrs.update(link=link_id, osmid=link_id, length=props["length_km"] * 1000.0)
            line = LineString(props["coords"])
            for a, b in link_ways(props):
                if a == props["u"]:
                    graph.add_edge(a, b, key=link_id, geometry=line, **attrs)
                else:
                    back = {k: thaw(v) for k, v in attrs.items()}  # its own lists, not shared
                    graph.add_edge(a, b, key=link_id, geometry=line.reverse(), **back)
        return graph

    @cached_property
    def all_nodes(self) -> gpd.GeoDataFrame:
        """Every node with its ``status`` on :attr:`as_of`, indexed by id."""
        return _nodes_frame(self.node_records, self.node_status)

    @cached_property
    def all_links(self) -> gpd.GeoDataFrame:
        """Every link with its ``status`` on :attr:`as_of`, indexed by id."""
        return _links_frame(self.link_records, self.link_status)

    @property
    def nodes(self) -> gpd.GeoDataFrame:
        """Nodes that exist on :attr:`as_of`, indexed by id."""
        return self.all_nodes[self.all_nodes.index.isin(list(self.usable_nodes))]

    @property
    def links(self) -> gpd.GeoDataFrame:
        """Links usable on :attr:`as_of`, indexed by id."""
        return self.all_links[self.all_links.index.isin(list(self.usable_links))]


def _graph_attrs(props: Mapping[str, Any], *, leave_out: tuple[str, ...]) -> dict[str, Any]:
    """Return a record's attributes for the graph: plain lists and dicts, no ``None`` values.

    Lists because OSMnx parses ``[…]`` back from GraphML but not tuples; ``None`` left out as
    OSMnx leaves out what a way does not have.
    """
    return {k: thaw(v) for k, v in props.items() if k not in leave_out and v is not None}


def _nodes_frame(records: Mapping[str, dict], status: Any) -> gpd.GeoDataFrame:
    import geopandas as gpd
    from shapely import Point

    rows = []
    for node_id, props in records.items():
        row = {k: v for k, v in props.items() if k not in ("lon", "lat")}
        row.update(id=node_id, status=status(node_id), geometry=Point(props["lon"], props["lat"]))
        rows.append(row)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326").set_index("id")


def _links_frame(records: Mapping[str, dict], status: Any) -> gpd.GeoDataFrame:
    import geopandas as gpd
    from shapely import LineString

    rows = []
    for link_id, props in records.items():
        row = {k: v for k, v in props.items() if k != "coords"}
        row.update(id=link_id, status=status(link_id), geometry=LineString(props["coords"]))
        rows.append(row)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326").set_index("id")


_LOADED: dict[tuple[str, float], Dataset] = {}
_LOADED_MAX = 8  # datasets kept in memory (the bundled one and a few of the user's)
_DAYS_KEPT = 32  # networks of other dates one network keeps (a sweep over dates stays bounded)


class FrozenRecord(dict[str, Any]):
    """A record of a loaded dataset: a ``dict`` that cannot be changed.

    Every network loaded from the same files shares these records, so an edit would leak from
    one notebook cell's "what if" into the next load. Edit a copy instead:
    ``nodes, links = net.copy_records()`` then ``net.replace(link_records=links)``.
    """

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError(
            "records of a loaded network cannot be changed; edit copies: "
            "nodes, links = net.copy_records(); then net.replace(link_records=links)"
        )

    __setitem__ = __delitem__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]
    __ior__ = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenRecord, (dict(self),))

    def __copy__(self) -> FrozenRecord:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return thaw(self)


def freeze(value: Any) -> Any:
    """Return ``value`` with every dict made a :class:`FrozenRecord` and every list a tuple."""
    if isinstance(value, dict):
        return FrozenRecord({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """Return a plain, editable copy of a frozen value (dicts and lists)."""
    if isinstance(value, dict):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [thaw(v) for v in value]
    return value


def _on_day(
    node_records: Mapping[str, Mapping],
    link_records: Mapping[str, Mapping],
    *,
    as_of: dt.date,
    announced: bool,
    embargo_records: Iterable[Mapping],
    disruption_records: Iterable[Mapping],
    name: str,
    undone: Mapping[tuple[str, str], Mapping[str, Any]] | None = None,
    customs_union_records: Iterable[Mapping] = (),
) -> Network:
    disruptions = [dict(d) for d in disruption_records]
    nodes, links, changed = _dated.state_on(
        node_records, link_records, disruptions, as_of, announced=announced, undone=undone
    )
    net = Network(
        nodes,
        links,
        as_of=as_of,
        embargo_records=embargo_records,
        disruption_records=disruptions,
        customs_union_records=customs_union_records,
        announced=announced,
        name=name,
    )
    net._undone = changed
    return net


def load_network(
    path: str | Path | None = None,
    *,
    as_of: str | dt.date | None = None,
    announced: bool = False,
) -> Network:
    """Load and validate a dataset directory into a :class:`Network`.

    Parameters
    ----------
    path
        Directory holding ``nodes_*.geojson`` and ``links_*.geojson``; ``None`` for the bundled
        dataset (or ``settings.data_dir``).
    as_of
        Date (``YYYY-MM-DD`` or :class:`datetime.date`) whose state to keep; ``None`` for today
        (or ``settings.as_of``).
    announced
        Also count openings, dated values and disruption periods graded ``announced``.

    Returns
    -------
    Network

    Raises
    ------
    DatasetError
        Listing every problem found, when the data breaks the schema.

    Examples
    --------
    >>> import corridors as cr
    >>> net = cr.load_network(as_of="2023-06-01")
    >>> net.graph.graph["crs"]
    'EPSG:4326'
    """
    directory = Path(path) if path is not None else data_dir()
    day = to_date(as_of)
    stamp = max((p.stat().st_mtime for p in directory.glob("*.json*")), default=0.0)
    key = (str(directory.resolve()), stamp)
    if key not in _LOADED:
        dataset = read_dataset(directory)
        if dataset.problems:
            raise DatasetError(dataset.problems, where=str(directory))
        if len(_LOADED) >= _LOADED_MAX:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = Dataset(
            {k: freeze(v) for k, v in dataset.nodes.items()},
            {k: freeze(v) for k, v in dataset.links.items()},
            [freeze(e) for e in dataset.embargoes],
            [],
            [freeze(d) for d in dataset.disruptions],
            customs_unions=[freeze(u) for u in dataset.customs_unions],
        )
    dataset = _LOADED[key]
    return _on_day(
        dataset.nodes,
        dataset.links,
        as_of=day,
        announced=announced,
        embargo_records=dataset.embargoes,
        disruption_records=dataset.disruptions,
        customs_union_records=dataset.customs_unions,
        name=directory.name,
    )

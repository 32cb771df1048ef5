"""Compact OpenStreetMap graphs: streamed from ``.osm.pbf``/XML into arrays, routed with csgraph.

:func:`read_osm` reads an extract in two steps. First libosmium (through pyosmium) does all
the per-object work in C++: it keeps every node's location in an index, drops every way that
is not of the network and every node not tagged with its key, and writes the rest, each way
with its node locations inline, to a temporary OPL text file (one line per object). Then
Python parses that file a chunk at a time, with a few string operations per way and one
numpy parse for all the node ids and coordinates. The ways are split at junctions and chains
of degree-2 nodes merged into single edges with their geometry, by the endpoint rules of
``osmnx.simplify_graph``, all on arrays.

The result, :class:`OSMGraph`, holds numpy arrays only (see ``benchmarks/bench_osm.py`` for
its speed and memory against OSMnx), routes with :mod:`scipy.sparse.csgraph`, snaps points
with a KD-tree, and becomes an OSMnx-style ``networkx.MultiDiGraph`` on demand
(:meth:`OSMGraph.to_networkx`).

Which ways belong to a network (rail, road) is decided by the caller (:mod:`corridors.osm`);
this module knows keys, values and tags, not modes.
"""

from __future__ import annotations

import io
import itertools
import tempfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np
import pandas as pd

from ._progress import progress
from .errors import CorridorsError

if TYPE_CHECKING:
    import networkx as nx

EARTH_RADIUS_M = 6_371_009.0
"""Radius of the sphere edge lengths are measured on, m: the IUGG mean radius OSMnx uses
(``osmnx.distance.EARTH_RADIUS_M``), so that lengths equal those of an OSMnx graph."""

ONEWAY_VALUES: frozenset[str] = frozenset({"yes", "true", "1", "-1", "reverse", "T", "F"})
"""``oneway`` values that make a way one-way (OSMnx's list, after the OSM wiki Key:oneway)."""

REVERSED_VALUES: frozenset[str] = frozenset({"-1", "reverse", "T"})
"""``oneway`` values meaning travel against the order of the way's nodes."""

_EDGE_KEYS = ("osmid", "oneway", "reversed", "length", "geometry")
_NO_EDGE = -1


class OSMReadError(CorridorsError):
    """An OSM file that pyosmium cannot read."""

    exit_code = 1


@dataclass(eq=False, repr=False)
class OSMGraph:
    """A directed OSM network as arrays: nodes, edges with lengths, geometries and tags.

    Nodes are sorted by OSM id; edges are directed (a two-way way gives one edge each way, as
    in OSMnx), and parallel edges are allowed. Edge ``e`` runs from node position ``u[e]`` to
    ``v[e]``; its geometry is ``geom_lon/geom_lat[geom_ptr[e]:geom_ptr[e + 1]]``, from ``u`` to
    ``v``.

    Attributes
    ----------
    node_ids
        OSM node ids, int64, sorted.
    lon, lat
        Node coordinates, degrees (EPSG:4326).
    u, v
        Edge ends as positions in ``node_ids``, int64.
    length
        Edge length along its geometry, m (great circle on a sphere of
        :data:`EARTH_RADIUS_M`, as OSMnx).
    geom_ptr, geom_lon, geom_lat
        Edge geometries: offsets (``len(u) + 1``) into the coordinate arrays, degrees.
    osmid_ptr, osmid
        OSM way ids of each edge: ``osmid[osmid_ptr[e]:osmid_ptr[e + 1]]``, sorted.
    tag_id
        Index of each edge's tags in ``tag_sets``; a tag of merged ways that differ holds
        the sorted list of their values.
    reversed_
        1 for the way back along a two-way way (OSMnx's ``reversed``), 0 otherwise (a
        one-way way drawn backwards is turned round first), 2 for an edge merged from both.
    oneway
        Whether the edge can be used only in its direction.
    tag_sets
        The distinct tag dictionaries.
    node_tags
        Tags of tagged nodes (stations, crossings), by OSM id.
    graph
        Graph attributes (``crs``, ``mode``, ``source``, ``simplified``, ``bbox``).
    """

    node_ids: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length: np.ndarray
    geom_ptr: np.ndarray
    geom_lon: np.ndarray
    geom_lat: np.ndarray
    osmid_ptr: np.ndarray
    osmid: np.ndarray
    tag_id: np.ndarray
    reversed_: np.ndarray
    oneway: np.ndarray
    tag_sets: tuple[dict[str, Any], ...]
    node_tags: dict[int, dict[str, str]] = field(default_factory=dict)
    graph: dict[str, Any] = field(default_factory=dict)
    _csr: Any = field(default=None, init=False, repr=False)
    _tree: Any = field(default=None, init=False, repr=False)

    # --- size and lookup -------------------------------------------------------------------
    def __repr__(self) -> str:
        what = self.graph.get("mode", "OSM")
        source = self.graph.get("source")
        return (
            f"<OSMGraph {what}: {self.number_of_nodes():,} nodes, {self.number_of_edges():,} "
            f"edges{f' from {source}' if source else ''}>"
        )

    def __len__(self) -> int:
        return len(self.node_ids)

    def __contains__(self, node_id: object) -> bool:
        if not isinstance(node_id, int | np.integer):
            return False
        i = int(np.searchsorted(self.node_ids, node_id))
        return i < len(self.node_ids) and int(self.node_ids[i]) == int(node_id)

    def number_of_nodes(self) -> int:
        """Return the number of nodes (junctions, ends, and every vertex when unsimplified)."""
        return len(self.node_ids)

    def number_of_edges(self) -> int:
        """Return the number of directed edges, counted as in an OSMnx ``MultiDiGraph``."""
        return len(self.u)

    def positions(self, node_ids: Sequence[int] | np.ndarray) -> np.ndarray:
        """Return the positions of OSM node ids in :attr:`node_ids`.

        Raises
        ------
        KeyError
            When an id is not a node of the graph.
        """
        ids = np.asarray(node_ids, dtype=np.int64)
        pos = np.searchsorted(self.node_ids, ids)
        pos = np.minimum(pos, max(len(self.node_ids) - 1, 0))
        if len(ids) and (len(self.node_ids) == 0 or (self.node_ids[pos] != ids).any()):
            missing = ids[self.node_ids[pos] != ids] if len(self.node_ids) else ids
            raise KeyError(f"OSM node {int(missing[0])} is not in the graph")
        return pos

    def edge_coords(self, edge: int) -> np.ndarray:
        """Return the ``(k, 2)`` lon/lat vertices of an edge, degrees, from ``u`` to ``v``."""
        start, end = self.geom_ptr[edge], self.geom_ptr[edge + 1]
        return np.column_stack([self.geom_lon[start:end], self.geom_lat[start:end]])

    def edge_data(self, edge: int) -> dict[str, Any]:
        """Return an edge's attributes as OSMnx has them (without ``geometry``)."""
        ids = self.osmid[self.osmid_ptr[edge] : self.osmid_ptr[edge + 1]].tolist()
        rev = int(self.reversed_[edge])
        return {
            **self.tag_sets[int(self.tag_id[edge])],
            "osmid": ids[0] if len(ids) == 1 else ids,
            "oneway": bool(self.oneway[edge]),
            "reversed": [False, True] if rev == 2 else bool(rev),
            "length": float(self.length[edge]),
        }

    # --- conversion ------------------------------------------------------------------------
    def to_networkx(self, *, geometry: bool = True) -> nx.MultiDiGraph:
        """Return the graph as an OSMnx-style ``networkx.MultiDiGraph``.

        Parameters
        ----------
        geometry
            Give every edge its ``geometry`` (a shapely ``LineString``); ``False`` is faster
            and lighter when only the topology and lengths are needed.

        Returns
        -------
        networkx.MultiDiGraph
            Nodes keyed by OSM id with ``x``/``y`` (lon/lat, degrees) and their tags; edges
            with ``osmid``, ``oneway``, ``reversed``, ``length`` (m), the kept tags and
            ``geometry``; the graph attributes of :attr:`graph`.
        """
        import networkx as nx

        out = nx.MultiDiGraph(**self.graph)
        ids = self.node_ids.tolist()
        out.add_nodes_from(
            (i, {"y": y, "x": x, **self.node_tags.get(i, {})})
            for i, x, y in zip(ids, self.lon.tolist(), self.lat.tolist(), strict=True)
        )
        lines: Sequence[Any] = [None] * len(self.u)
        if geometry and len(self.u):
            import shapely

            counts = np.diff(self.geom_ptr)
            coords = np.column_stack([self.geom_lon, self.geom_lat])
            lines = shapely.linestrings(coords, indices=np.repeat(np.arange(len(counts)), counts))
        uid = self.node_ids[self.u].tolist()
        vid = self.node_ids[self.v].tolist()
        for e in range(len(self.u)):
            data = self.edge_data(e)
            if geometry:
                data["geometry"] = lines[e]
            out.add_edge(uid[e], vid[e], **data)
        return out

    @classmethod
    def from_networkx(cls, graph: nx.MultiDiGraph) -> OSMGraph:
        """Return the arrays of an OSMnx-style graph (integer node ids, ``x``/``y``, ``length``).

        Edges without ``geometry`` are drawn straight between their nodes; a geometry drawn
        from ``v`` to ``u`` is turned round.

        Raises
        ------
        OSMReadError
            When a node has no ``x``/``y`` or an id is not an integer.
        """
        try:
            ids = np.array(sorted(graph.nodes), dtype=np.int64)
            lon = np.array([float(graph.nodes[n]["x"]) for n in ids.tolist()])
            lat = np.array([float(graph.nodes[n]["y"]) for n in ids.tolist()])
        except (KeyError, TypeError, ValueError) as exc:
            raise OSMReadError(
                f"the graph is not an OSM graph ({exc!r} on its nodes); nodes need integer OSM "
                "ids and x/y coordinates, as osmnx or corridors.osm.load_osm give them"
            ) from None
        node_tags = {
            int(n): {k: v for k, v in d.items() if k not in ("x", "y", "street_count")}
            for n, d in graph.nodes(data=True)
        }
        node_tags = {n: t for n, t in node_tags.items() if t}
        edges = list(graph.edges(data=True))
        u = np.searchsorted(ids, np.array([e[0] for e in edges], dtype=np.int64))
        v = np.searchsorted(ids, np.array([e[1] for e in edges], dtype=np.int64))
        geom_lon: list[float] = []
        geom_lat: list[float] = []
        counts = []
        osmids: list[int] = []
        osmid_counts = []
        tag_index: dict[tuple, int] = {}
        tag_sets: list[dict[str, Any]] = []
        tag_id, reversed_, oneway, length = [], [], [], []
        for (_, _, data), i, j in zip(edges, u.tolist(), v.tolist(), strict=True):
            coords = _oriented(data.get("geometry"), (lon[i], lat[i]), (lon[j], lat[j]))
            geom_lon += [c[0] for c in coords]
            geom_lat += [c[1] for c in coords]
            counts.append(len(coords))
            way = data.get("osmid", [])
            way_ids = sorted({int(w) for w in (way if isinstance(way, list) else [way])})
            osmids += way_ids
            osmid_counts.append(len(way_ids))
            tags = {k: val for k, val in data.items() if k not in _EDGE_KEYS}
            key = tuple(
                sorted((k, tuple(x) if isinstance(x, list) else x) for k, x in tags.items())
            )
            tag_id.append(tag_index.setdefault(key, len(tag_index)))
            if tag_id[-1] == len(tag_sets):
                tag_sets.append(tags)
            rev = data.get("reversed", False)
            reversed_.append(2 if isinstance(rev, list) and len(set(rev)) > 1 else int(bool(rev)))
            oneway.append(bool(data.get("oneway", False)))
            length.append(float(data.get("length", np.nan)))
        lengths = np.array(length, dtype=float)
        ptr = np.concatenate([[0], np.cumsum(counts, dtype=np.int64)])
        glon, glat = np.array(geom_lon, dtype=float), np.array(geom_lat, dtype=float)
        missing = np.isnan(lengths)
        if missing.any():  # an edge without a length: measure its geometry
            lengths[missing] = _line_lengths(glon, glat, ptr)[missing]
        return cls(
            node_ids=ids,
            lon=lon,
            lat=lat,
            u=u.astype(np.int64),
            v=v.astype(np.int64),
            length=lengths,
            geom_ptr=ptr,
            geom_lon=glon,
            geom_lat=glat,
            osmid_ptr=np.concatenate([[0], np.cumsum(osmid_counts, dtype=np.int64)]),
            osmid=np.array(osmids, dtype=np.int64),
            tag_id=np.array(tag_id, dtype=np.int32),
            reversed_=np.array(reversed_, dtype=np.int8),
            oneway=np.array(oneway, dtype=bool),
            tag_sets=tuple(tag_sets),
            node_tags=node_tags,
            graph=dict(graph.graph),
        )

    # --- routing ---------------------------------------------------------------------------
    def nearest(self, lon: float, lat: float) -> tuple[int, float]:
        """Return the position of the node nearest to a point and its distance, km.

        A KD-tree on 3-D unit vectors finds the node with the shortest chord, which is the
        node with the shortest great-circle distance; the distance is on the sphere of
        :data:`EARTH_RADIUS_M`.
        """
        if self._tree is None:
            from scipy.spatial import cKDTree

            self._tree = cKDTree(_unit_vectors(self.lon, self.lat))
        chord, i = self._tree.query(_unit_vectors(np.array([lon]), np.array([lat]))[0])
        arc = 2.0 * np.arcsin(min(float(chord) / 2.0, 1.0))
        return int(i), arc * EARTH_RADIUS_M / 1000.0

    def shortest_path(self, source: int, target: int) -> tuple[list[int], list[int], float] | None:
        """Return the shortest directed path by length between two node positions.

        Returns
        -------
        tuple or None
            ``(nodes, edges, metres)``: node positions, the edge used between each pair (the
            shortest of parallel edges), and the length, m; ``None`` when there is no path.
        """
        from scipy.sparse.csgraph import dijkstra

        matrix, best = self._routing_matrix()
        dist, pred = dijkstra(matrix, directed=True, indices=source, return_predecessors=True)
        if not np.isfinite(dist[target]):
            return None
        nodes = [target]
        while nodes[-1] != source:
            nodes.append(int(pred[nodes[-1]]))
        nodes.reverse()
        edges = []
        for a, b in itertools.pairwise(nodes):
            row = slice(matrix.indptr[a], matrix.indptr[a + 1])
            k = int(np.searchsorted(matrix.indices[row], b))
            edges.append(int(best[matrix.indptr[a] + k]))
        return nodes, edges, float(self.length[edges].sum())

    def path_coords(self, edges: Sequence[int]) -> np.ndarray:
        """Return the ``(k, 2)`` lon/lat vertices along consecutive edges, degrees."""
        parts = [self.edge_coords(e)[(1 if i else 0) :] for i, e in enumerate(edges)]
        return np.concatenate(parts) if parts else np.empty((0, 2))

    def _routing_matrix(self) -> tuple[Any, np.ndarray]:
        """Return the CSR matrix of the shortest edge per ordered node pair, and its edges."""
        if self._csr is None:
            from scipy.sparse import csr_matrix

            keep = np.flatnonzero(self.u != self.v)  # a self-loop never shortens a path
            order = keep[np.lexsort((self.length[keep], self.v[keep], self.u[keep]))]
            su, sv = self.u[order], self.v[order]
            first = np.ones(len(order), dtype=bool)
            first[1:] = (su[1:] != su[:-1]) | (sv[1:] != sv[:-1])
            best = order[first]
            n = len(self.node_ids)
            indptr = np.concatenate([[0], np.cumsum(np.bincount(self.u[best], minlength=n))])
            # a zero-length edge must stay an edge: explicit zeros are dropped by csgraph
            weights = np.maximum(self.length[best], 1e-9)
            matrix = csr_matrix((weights, self.v[best], indptr), shape=(n, n))
            self._csr = (matrix, best)
        return self._csr


def _oriented(geometry: Any, start: tuple[float, float], end: tuple[float, float]) -> list:
    if geometry is None:
        return [start, end]
    coords = [(float(x), float(y)) for x, y in geometry.coords]

    def sq(a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2

    if sq(coords[-1], start) < sq(coords[0], start):
        coords.reverse()
    return coords


def _unit_vectors(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lam, phi = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def _segment_lengths(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray
) -> np.ndarray:
    """Great-circle lengths, m, vectorised with pyproj on the sphere OSMnx uses."""
    from pyproj import Geod

    if len(lon1) == 0:
        return np.zeros(0)
    geod = Geod(a=EARTH_RADIUS_M, b=EARTH_RADIUS_M)
    _, _, dist = geod.inv(lon1, lat1, lon2, lat2)
    return np.asarray(dist, dtype=float)


def _line_lengths(lon: np.ndarray, lat: np.ndarray, ptr: np.ndarray) -> np.ndarray:
    """Lengths of the lines ``ptr`` cuts the coordinates into, m."""
    seg = _segment_lengths(lon[:-1], lat[:-1], lon[1:], lat[1:])
    total = np.concatenate([[0.0], np.cumsum(seg)])
    return total[ptr[1:] - 1] - total[ptr[:-1]]


# --- reading -------------------------------------------------------------------------------
@dataclass
class _Ways:
    """What the reader keeps: vertices cut into pieces (a way, split where a node is missing)."""

    refs: np.ndarray  # OSM node id of each vertex
    lon: np.ndarray
    lat: np.ndarray
    piece: np.ndarray  # piece of each vertex, non-decreasing
    piece_way: np.ndarray  # OSM way id of each piece
    piece_tag: np.ndarray  # index in tag_sets
    piece_dir: np.ndarray  # 0 both ways, 1 along the nodes, -1 against them
    tag_sets: list[dict[str, str]]
    node_tags: dict[int, dict[str, str]]


def read_osm(
    path: str | Path,
    *,
    key: str,
    values: Collection[str],
    way_tags: Collection[str],
    node_tags: Collection[str],
    bidirectional: bool,
    differ: Sequence[str] = (),
    bbox: tuple[float, float, float, float] | None = None,
    simplify: bool = True,
) -> OSMGraph:
    """Read the ways ``key=value`` of an OSM file (PBF or XML) into an :class:`OSMGraph`.

    Parameters
    ----------
    path
        ``.osm.pbf``, ``.osm``/``.xml`` or ``.osm.bz2`` file.
    key, values
        A way is kept when its tag ``key`` has one of ``values`` (``railway``, ``{"rail"}``).
    way_tags, node_tags
        Tags kept on the edges, and on the nodes tagged with ``key`` (stations, crossings).
    bidirectional
        Every way runs both ways (railways); otherwise ``oneway`` (and roundabouts) make a
        way one-way, as in OSMnx.
    differ
        Tags whose change ends an edge when simplifying (``gauge``, ``usage``).
    bbox
        ``(west, south, east, north)``, degrees: keep only segments with both ends inside.
    simplify
        Merge chains of degree-2 nodes into single edges (the rules of
        ``osmnx.simplify_graph``); otherwise every OSM segment is an edge.

    Returns
    -------
    OSMGraph
        Possibly without edges (nothing of the network in the file or the box).

    Raises
    ------
    OSMReadError
        When the file cannot be read, or pyosmium is missing.
    """
    ways = _read_ways(
        Path(path),
        key=key,
        values=frozenset(values),
        way_tags=frozenset(way_tags),
        node_tags=frozenset(node_tags),
        bidirectional=bidirectional,
    )
    return _build(ways, differ=differ, bbox=bbox, simplify=simplify)


_CHUNK_LINES = 100_000  # ways parsed at a time: bounds the memory of the text being parsed


def _read_ways(
    path: Path,
    *,
    key: str,
    values: frozenset[str],
    way_tags: frozenset[str],
    node_tags: frozenset[str],
    bidirectional: bool,
) -> _Ways:
    """Read the network's ways with their node locations, and the tags that matter."""
    with tempfile.TemporaryDirectory(prefix="corridors-osm-") as tmp:
        opl = Path(tmp) / "ways.opl"
        _filter_to_opl(path, opl, key=key, values=values)
        return _parse_opl(opl, way_tags=way_tags, node_tags=node_tags, bidirectional=bidirectional)


def _filter_to_opl(path: Path, opl: Path, *, key: str, values: frozenset[str]) -> None:
    """Copy the network's ways, with their node locations inline, to an OPL text file.

    The whole pass runs inside libosmium (C++): the location index, the tag filters and the
    writer; Python never sees an object, which is what makes the import fast. OPL is
    libosmium's one-line-per-object text format.
    """
    try:
        import osmium
    except ImportError:
        raise OSMReadError(
            "reading OSM files needs pyosmium; install it with `pip install osmium`"
        ) from None
    way_filter = (
        osmium.filter.TagFilter(*((key, value) for value in sorted(values)))
        if values
        else osmium.filter.KeyFilter(key)
    )
    way_filter.enable_for(osmium.osm.WAY)
    # nodes tagged with the network's key (stations, crossings), not every named place
    node_filter = osmium.filter.KeyFilter(key)
    node_filter.enable_for(osmium.osm.NODE)
    try:
        reader = osmium.io.Reader(str(path), osmium.osm.NODE | osmium.osm.WAY)
    except RuntimeError as exc:
        raise _read_error(path, exc) from None
    writer = osmium.SimpleWriter(
        osmium.io.File(str(opl), "opl,locations_on_ways=true,add_metadata=false")
    )
    try:
        locations = osmium.NodeLocationsForWays(osmium.index.create_map("flex_mem"))
        locations.ignore_errors()  # a node missing from the extract: its location is invalid
        osmium.apply(reader, locations, way_filter, node_filter, writer)
    except RuntimeError as exc:
        raise _read_error(path, exc) from None
    finally:
        writer.close()
        reader.close()


def _read_error(path: Path, exc: BaseException) -> OSMReadError:
    text = " ".join(str(exc).split())[:160]
    return OSMReadError(f"{path.name}: cannot be read as an OSM file ({text})")


def _parse_opl(
    opl: Path, *, way_tags: frozenset[str], node_tags: frozenset[str], bidirectional: bool
) -> _Ways:
    """Parse the OPL file in chunks: a few string operations per way, numpy for the nodes."""
    raw_tags: dict[str, int] = {}  # the tag field as written -> index in tag_sets
    kept_index: dict[tuple, int] = {}
    tag_sets: list[dict[str, str]] = []
    directions: list[int] = []
    kept_node_tags: dict[int, dict[str, str]] = {}
    way_ids: list[np.ndarray] = []
    way_tag: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    numbers: list[np.ndarray] = []
    node_ids: list[np.ndarray] = []

    def tag_index(field: str) -> int:
        every = _opl_tags(field)
        tags = {k: v for k, v in every.items() if k in way_tags}
        direction = 0 if bidirectional else _direction(every)
        kept = (direction, *sorted(tags.items()))
        if kept not in kept_index:
            kept_index[kept] = len(tag_sets)
            tag_sets.append(tags)
            directions.append(direction)
        return kept_index[kept]

    ids: list[str] = []
    tag_of: list[int] = []
    nodes: list[str] = []

    def flush() -> None:
        way_ids.append(np.array(ids, dtype=np.int64))
        way_tag.append(np.array(tag_of, dtype=np.int32))
        counts.append(np.array([n.count(",") + 1 for n in nodes], dtype=np.int64))
        # "n12x30.1y40.2,n13xy" -> lines "12,30.1,40.2" and "13,,": one C parse (pandas) for
        # every node of the chunk; a node without a location reads as NaN
        flat = "\n".join(nodes).replace(",", "\n").replace("n", "").replace("x", ",")
        table = pd.read_csv(
            io.StringIO(flat.replace("y", ",")),
            header=None,
            names=["id", "lon", "lat"],
            dtype={"id": np.int64, "lon": np.float64, "lat": np.float64},
            engine="c",
        )
        numbers.append(table[["lon", "lat"]].to_numpy(dtype=np.float64))
        node_ids.append(table["id"].to_numpy(dtype=np.int64))
        ids.clear()
        tag_of.clear()
        nodes.clear()

    with opl.open(encoding="utf-8") as text:
        # one OPL line per way (or tagged node): the bar counts ways as they are parsed
        for line in progress(text, desc="read OSM", unit=" objects"):
            if line[0] == "w":
                wid, tags, refs = line.rstrip("\n").split(" ")
                if refs == "N":  # a way without nodes (a broken extract): nothing to add
                    continue
                ids.append(wid[1:])
                index = raw_tags.get(tags)
                if index is None:
                    index = raw_tags[tags] = tag_index(tags[1:])
                tag_of.append(index)
                nodes.append(refs[1:])
                if len(ids) == _CHUNK_LINES:
                    flush()
            elif line[0] == "n":
                node_id, tags, *_ = line.split(" ")
                kept = {k: v for k, v in _opl_tags(tags[1:]).items() if k in node_tags}
                if kept:
                    kept_node_tags[int(node_id[1:])] = kept
    if ids:
        flush()
    return _pieces(
        way_ids,
        way_tag,
        counts,
        node_ids,
        numbers,
        tag_sets,
        np.array(directions, dtype=np.int8),
        kept_node_tags,
    )


def _pieces(
    way_ids: list[np.ndarray],
    way_tag: list[np.ndarray],
    counts: list[np.ndarray],
    node_ids: list[np.ndarray],
    numbers: list[np.ndarray],
    tag_sets: list[dict[str, str]],
    directions: np.ndarray,
    node_tags: dict[int, dict[str, str]],
) -> _Ways:
    """Cut the ways where a node has no location (cut off by the extract) into pieces."""
    ids = np.concatenate(way_ids) if way_ids else np.zeros(0, dtype=np.int64)
    tags = np.concatenate(way_tag) if way_tag else np.zeros(0, dtype=np.int32)
    count = np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64)
    refs = np.concatenate(node_ids) if node_ids else np.zeros(0, dtype=np.int64)
    table = np.concatenate(numbers) if numbers else np.zeros((0, 2))
    way_of = np.repeat(np.arange(len(ids)), count)
    valid = ~np.isnan(table[:, 0])
    starts = np.zeros(len(table), dtype=bool)
    starts[np.cumsum(count)[:-1]] = True
    if len(table):
        starts[0] = True
    starts[1:] |= ~valid[:-1]  # the vertex after a missing one starts a new piece
    starts, refs, table, way_of = starts[valid], refs[valid], table[valid], way_of[valid]
    piece = np.cumsum(starts) - 1
    first = way_of[starts]
    return _Ways(
        refs=refs,
        lon=table[:, 0].copy(),
        lat=table[:, 1].copy(),
        piece=piece,
        piece_way=ids[first],
        piece_tag=tags[first],
        piece_dir=directions[tags[first]] if len(first) else np.zeros(0, dtype=np.int8),
        tag_sets=tag_sets,
        node_tags=node_tags,
    )


def _opl_tags(field: str) -> dict[str, str]:
    """Tags of an OPL tag field ``k=v,k2=v2`` (``%hex%`` escapes undone)."""
    out = {}
    for pair in field.split(",") if field else ():
        name, _, value = pair.partition("=")
        out[_opl_unescape(name)] = _opl_unescape(value)
    return out


def _opl_unescape(text: str) -> str:
    if "%" not in text:
        return text
    parts = text.split("%")
    # escapes are %<hex code point>%: every odd part is a code point
    return "".join(chr(int(p, 16)) if i % 2 else p for i, p in enumerate(parts))


def _direction(tags: Mapping[str, str]) -> int:
    """1 for a one-way way along its nodes, -1 against them, 0 for both ways (OSMnx's rules)."""
    oneway = tags.get("oneway")
    if oneway in ONEWAY_VALUES:
        return -1 if oneway in REVERSED_VALUES else 1
    return 1 if tags.get("junction") == "roundabout" else 0


def _build(
    ways: _Ways,
    *,
    differ: Sequence[str],
    bbox: tuple[float, float, float, float] | None,
    simplify: bool,
) -> OSMGraph:
    """Split the ways at their nodes into directed segments, then merge the chains."""
    refs, lon, lat, piece = ways.refs, ways.lon, ways.lat, ways.piece
    # consecutive repeats of a node are one vertex (OSMnx drops them too)
    keep = np.ones(len(refs), dtype=bool)
    keep[1:] = (refs[1:] != refs[:-1]) | (piece[1:] != piece[:-1])
    refs, lon, lat, piece = refs[keep], lon[keep], lat[keep], piece[keep]
    ids, vertex = _unique(refs, inverse=True)
    node_lon = np.empty(len(ids))
    node_lat = np.empty(len(ids))
    node_lon[vertex], node_lat[vertex] = lon, lat
    del refs, lon, lat

    # forward segments: consecutive vertices of the same piece
    inner = np.flatnonzero(piece[1:] == piece[:-1])
    a, b, seg_piece = vertex[inner], vertex[inner + 1], piece[inner]
    del piece, vertex, inner
    if bbox is not None:
        west, south, east, north = bbox
        inside = (node_lon >= west) & (node_lon <= east) & (node_lat >= south) & (node_lat <= north)
        kept = inside[a] & inside[b]
        a, b, seg_piece = a[kept], b[kept], seg_piece[kept]
    seg_len = _segment_lengths(node_lon[a], node_lat[a], node_lon[b], node_lat[b])
    direction = ways.piece_dir[seg_piece]
    against = direction == -1
    a, b = np.where(against, b, a), np.where(against, a, b)  # one-way against the drawing
    both = np.flatnonzero(direction == 0)
    su = np.concatenate([a, b[both]])
    sv = np.concatenate([b, a[both]])
    s_piece = np.concatenate([seg_piece, seg_piece[both]])
    s_len = np.concatenate([seg_len, seg_len[both]])
    # as in OSMnx, "reversed" marks the copy of a two-way way, not a one-way way drawn backwards
    s_rev = np.concatenate([np.zeros(len(a), dtype=bool), np.ones(len(both), dtype=bool)])
    del a, b, seg_piece, seg_len, direction, both
    n = len(ids)
    endpoint = _endpoints(su, sv, s_piece, ways, differ, n) if simplify else np.ones(n, dtype=bool)
    chain_ptr, chain_seg = _chains(su, sv, endpoint, n)
    graph = _assemble(
        ways, ids, node_lon, node_lat, su, sv, s_piece, s_len, s_rev, chain_ptr, chain_seg
    )
    graph.graph["simplified"] = simplify
    return graph


def _endpoints(
    su: np.ndarray,
    sv: np.ndarray,
    s_piece: np.ndarray,
    ways: _Ways,
    differ: Sequence[str],
    n: int,
) -> np.ndarray:
    """Nodes where an edge must end: the rules of ``osmnx.simplification._is_endpoint``."""
    out_deg = np.bincount(su, minlength=n)
    in_deg = np.bincount(sv, minlength=n)
    loop = su == sv
    self_loop = np.bincount(su[loop], minlength=n) > 0
    # distinct neighbours, whichever way the edges run
    pairs = _unique(np.concatenate([su * n + sv, sv * n + su]))
    neighbours = np.bincount(pairs // n, minlength=n)
    degree = in_deg + out_deg
    endpoint = (
        self_loop
        | (out_deg == 0)
        | (in_deg == 0)
        | ~((neighbours == 2) & ((degree == 2) | (degree == 4)))
    )
    if differ:
        # a node where the incident edges carry different values of a `differ` tag
        classes: dict[tuple, int] = {}
        tag_class = np.array(
            [
                classes.setdefault(tuple(t.get(k) for k in differ), len(classes))
                for t in ways.tag_sets
            ],
            dtype=np.int64,
        )
        seg_class = tag_class[ways.piece_tag[s_piece]]
        low = np.full(n, np.iinfo(np.int64).max)
        high = np.full(n, -1)
        for ends in (su, sv):
            np.minimum.at(low, ends, seg_class)
            np.maximum.at(high, ends, seg_class)
        endpoint |= (high >= 0) & (low != high)
    return endpoint


def _chains(
    su: np.ndarray, sv: np.ndarray, endpoint: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Cut the directed segments into chains from endpoint to endpoint.

    Returns offsets and the segments of each chain, in order. A segment between two endpoints
    is a chain of its own. A ring without any endpoint (a closed way touching nothing) is left
    out, as ``osmnx.simplify_graph`` leaves it out (``remove_rings``).
    """
    m = len(su)
    # the out-segments of each node, grouped by target (first segment of each group first)
    order = np.lexsort((np.arange(m), sv, su))
    ou, ov = su[order], sv[order]
    start = np.searchsorted(ou, np.arange(n))
    stop = np.searchsorted(ou, np.arange(n), side="right")
    new_group = np.ones(m, dtype=bool)
    new_group[1:] = (ou[1:] != ou[:-1]) | (ov[1:] != ov[:-1])
    group_starts = np.flatnonzero(new_group)
    has_out = start < stop
    first = np.full(n, _NO_EDGE)
    first[has_out] = order[start[has_out]]
    nxt = np.searchsorted(group_starts, start, side="right")
    second_at = group_starts[np.minimum(nxt, len(group_starts) - 1)] if m else start
    has_second = has_out & (nxt < len(group_starts)) & (second_at < stop)
    second = np.full(n, _NO_EDGE)
    second[has_second] = order[second_at[has_second]]

    visited = np.zeros(m, dtype=bool)
    steps_chain: list[np.ndarray] = []
    steps_seg: list[np.ndarray] = []
    is_end_u, is_end_v = endpoint[su], endpoint[sv]
    direct = np.flatnonzero(is_end_u & is_end_v)
    starts = np.flatnonzero(is_end_u & ~is_end_v)
    visited[direct] = True
    visited[starts] = True
    n_chains = len(direct) + len(starts)
    steps_chain += [np.arange(len(direct)), np.arange(len(direct), n_chains)]
    steps_seg += [direct, starts]
    cur, chain = starts, np.arange(len(direct), n_chains)
    while len(cur):
        # step from the segment's (inner) target to its other neighbour
        here, came_from = sv[cur], su[cur]
        f = first[here]
        step = np.where(sv[np.maximum(f, 0)] == came_from, second[here], f)
        ok = step >= 0
        ok[ok] &= ~visited[step[ok]]  # never run round a ring twice (a guard; not expected)
        cur, chain = step[ok], chain[ok]
        visited[cur] = True
        steps_chain.append(chain)
        steps_seg.append(cur)
        going = ~endpoint[sv[cur]]
        cur, chain = cur[going], chain[going]
    chain_of = np.concatenate(steps_chain)
    segs = np.concatenate(steps_seg)
    by_chain = np.argsort(chain_of, kind="stable")
    chain_ptr = np.concatenate([[0], np.cumsum(np.bincount(chain_of, minlength=n_chains))])
    return chain_ptr, segs[by_chain]


def _assemble(
    ways: _Ways,
    ids: np.ndarray,
    node_lon: np.ndarray,
    node_lat: np.ndarray,
    su: np.ndarray,
    sv: np.ndarray,
    s_piece: np.ndarray,
    s_len: np.ndarray,
    s_rev: np.ndarray,
    chain_ptr: np.ndarray,
    chain_seg: np.ndarray,
) -> OSMGraph:
    """Turn chains of segments into edges with lengths, geometries, way ids and tags."""
    n_edges = len(chain_ptr) - 1
    heads = chain_ptr[:-1]
    first_seg = chain_seg[heads] if n_edges else chain_seg[:0]
    last_seg = chain_seg[chain_ptr[1:] - 1] if n_edges else chain_seg[:0]
    u_all, v_all = su[first_seg], sv[last_seg]
    length = np.add.reduceat(s_len[chain_seg], heads) if n_edges else np.zeros(0)
    # geometry: the first segment's start, then every segment's end
    counts = np.diff(chain_ptr) + 1
    geom_ptr = np.concatenate([[0], np.cumsum(counts)])
    geom_node = np.empty(int(geom_ptr[-1]), dtype=np.int64)
    owner = np.repeat(np.arange(n_edges), np.diff(chain_ptr))
    rank = np.arange(len(chain_seg)) - chain_ptr[owner]
    geom_node[geom_ptr[:-1]] = u_all
    geom_node[geom_ptr[owner] + rank + 1] = sv[chain_seg]
    # reversed / one-way: 0, 1, or 2 when the merged segments disagree
    rev = s_rev[chain_seg].astype(np.int8)
    rev_low = np.minimum.reduceat(rev, heads) if n_edges else rev
    rev_high = np.maximum.reduceat(rev, heads) if n_edges else rev
    reversed_ = np.where(rev_low == rev_high, rev_low, 2).astype(np.int8)
    piece_direction = ways.piece_dir
    oneway = piece_direction[s_piece[first_seg]] != 0
    # way ids: the distinct ways of each chain
    piece_way = ways.piece_way
    way_of = piece_way[s_piece[chain_seg]]
    order = np.lexsort((way_of, owner))
    ow, oo = way_of[order], owner[order]
    distinct = np.ones(len(order), dtype=bool)
    distinct[1:] = (ow[1:] != ow[:-1]) | (oo[1:] != oo[:-1])
    osmid = ow[distinct]
    osmid_ptr = np.concatenate([[0], np.cumsum(np.bincount(oo[distinct], minlength=n_edges))])
    # tags: the way's, or merged where a chain runs over ways tagged differently
    piece_tag = ways.piece_tag
    tag_of = piece_tag[s_piece[chain_seg]]
    tag_low = np.minimum.reduceat(tag_of, heads) if n_edges else tag_of
    tag_high = np.maximum.reduceat(tag_of, heads) if n_edges else tag_of
    tag_id = tag_low.astype(np.int32)
    tag_sets = list(ways.tag_sets)
    merged: dict[frozenset[int], int] = {}
    for e in np.flatnonzero(tag_low != tag_high).tolist():
        group = frozenset(tag_of[chain_ptr[e] : chain_ptr[e + 1]].tolist())
        if group not in merged:
            merged[group] = len(tag_sets)
            tag_sets.append(_merge_tags([ways.tag_sets[t] for t in sorted(group)]))
        tag_id[e] = merged[group]
    # nodes: those edges start or end at, renumbered
    used = _unique(np.concatenate([u_all, v_all]))
    kept_ids = ids[used]
    node_tags = {i: ways.node_tags[i] for i in kept_ids.tolist() if i in ways.node_tags}
    return OSMGraph(
        node_ids=kept_ids,
        lon=node_lon[used],
        lat=node_lat[used],
        u=np.searchsorted(used, u_all),
        v=np.searchsorted(used, v_all),
        length=length,
        geom_ptr=geom_ptr,
        geom_lon=node_lon[geom_node],
        geom_lat=node_lat[geom_node],
        osmid_ptr=osmid_ptr,
        osmid=osmid,
        tag_id=tag_id,
        reversed_=reversed_,
        oneway=oneway,
        tag_sets=tuple(tag_sets),
        node_tags=node_tags,
    )


@overload
def _unique(values: np.ndarray) -> np.ndarray: ...
@overload
def _unique(values: np.ndarray, *, inverse: Literal[True]) -> tuple[np.ndarray, np.ndarray]: ...
def _unique(values: np.ndarray, *, inverse: bool = False) -> Any:
    """Sorted distinct integers (and where each value is among them), by sorting.

    ``np.unique`` hashes integers since numpy 2.3, which is many times slower than a sort on
    arrays of millions of node ids.
    """
    order = np.argsort(values, kind="stable") if inverse else None
    ordered = values[order] if order is not None else np.sort(values)
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    distinct = ordered[first]
    if not inverse:
        return distinct
    where = np.empty(len(values), dtype=np.int64)
    where[order] = np.cumsum(first) - 1
    return distinct, where


def _merge_tags(tag_sets: Sequence[Mapping[str, str]]) -> dict[str, Any]:
    """Tags of an edge merged from ways: one value where they agree, else the sorted values."""
    out: dict[str, Any] = {}
    for name in dict.fromkeys(k for tags in tag_sets for k in tags):
        values = sorted({tags[name] for tags in tag_sets if name in tags})
        out[name] = values[0] if len(values) == 1 else values
    return out

"""Detailed rail and road networks from OpenStreetMap, and refinement of corridor links by them.

Three sources give the same kind of graph: a local ``.osm.pbf`` extract such as a Geofabrik
country file or a local OSM XML file (both streamed by pyosmium into arrays, offline:
:mod:`corridors.osm_graph`), or the Overpass API when online (OSMnx, with its cache). Each graph
holds one mode only — a railway and a road that share a level-crossing node are never merged
into one edge. :func:`load_osm` returns a compact :class:`~corridors.osm_graph.OSMGraph`;
``graph.to_networkx()`` gives the OSMnx-style ``MultiDiGraph`` (``graph["crs"]`` EPSG:4326, node
``x``/``y`` (lon/lat), edge ``length`` (metres) and ``geometry``, plus ``graph["mode"]`` and
``graph["source"]``).

:func:`refine` snaps the ends of chosen corridor links to such a graph (KD-tree) and replaces
their schematic geometry (and, when asked, their length) by the shortest OSM path (csgraph).

OpenStreetMap data is © OpenStreetMap contributors, available under the Open Database License
(ODbL); refined links say so in their ``source``.
"""

from __future__ import annotations

import contextlib
import math
import os
import socket
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from . import _validation
from ._files import replace_atomically
from .errors import CorridorsError, UsageError
from .osm_graph import OSMGraph, OSMReadError, read_osm

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from .network import Network

OSM_SOURCE = "OpenStreetMap contributors, ODbL"
"""Attribution appended to the ``source`` of every refined link."""

MODES: tuple[str, ...] = ("rail", "road")
"""Modes an OSM graph can hold."""

RAIL_VALUES: frozenset[str] = frozenset({"rail"})
"""``railway`` values kept for ``mode="rail"`` (main lines, branches, sidings, spurs)."""

ROAD_VALUES: frozenset[str] = frozenset(
    {
        f"{kind}{suffix}"
        for kind in ("motorway", "trunk", "primary", "secondary", "tertiary")
        for suffix in ("", "_link")
    }
)
"""``highway`` values kept for ``mode="road"`` (the classified network and its links)."""

WAY_TAGS: tuple[str, ...] = (
    "railway",
    "gauge",
    "usage",
    "service",
    "electrified",
    "maxspeed",
    "highway",
    "ref",
    "name",
    "oneway",
    "junction",
    "bridge",
    "tunnel",
)
"""Way tags kept on the edges."""

NODE_TAGS: tuple[str, ...] = ("railway", "highway", "public_transport", "name", "ref")
"""Node tags kept on the nodes (stations, junctions)."""

OVERPASS_TIMEOUT_S = 60
"""Timeout of one Overpass request, s (OSMnx's default is 180)."""

CONNECT_TIMEOUT_S = 3.0
"""How long the quick reachability check of the Overpass server may take, s."""

_XML_SUFFIXES = (".osm", ".xml", ".osm.xml", ".osm.bz2", ".xml.bz2")
_PBF_SUFFIXES = (".osm.pbf", ".pbf")


class OSMError(CorridorsError):
    """OpenStreetMap data that cannot be read, fetched or used (offline, empty, no path)."""

    exit_code = 1


# --- loading -------------------------------------------------------------------------------
def load_osm(
    source: str | os.PathLike[str],
    *,
    mode: str,
    bbox: Sequence[float] | None = None,
    simplify: bool = True,
) -> OSMGraph:
    """Load a detailed rail or road network from OpenStreetMap.

    Local files are streamed once by pyosmium straight into arrays (the mode's ways only,
    the tags of :data:`WAY_TAGS` and :data:`NODE_TAGS`), so a country extract fits in memory;
    Overpass downloads go through OSMnx.

    Parameters
    ----------
    source
        A local OSM XML file (``.osm``, ``.xml``, optionally ``.bz2``), a local PBF extract
        (``.osm.pbf``, e.g. from https://download.geofabrik.de), or ``"overpass"`` to download
        the area ``bbox`` from the Overpass API (needs a network connection).
    mode
        ``"rail"`` keeps ``railway=rail`` ways; ``"road"`` keeps ``highway`` motorway, trunk,
        primary, secondary, tertiary and their ``_link`` ramps. Other ways are dropped before
        the graph is simplified, so rail and road edges are never merged.
    bbox
        ``(west, south, east, north)`` in degrees (EPSG:4326): keep only this area. Required
        for ``"overpass"``.
    simplify
        Merge chains of degree-2 nodes into single edges (the endpoint rules of OSMnx
        ``simplify_graph``); a change of ``gauge``/``usage`` (rail) or ``highway`` class
        (road) ends an edge.

    Returns
    -------
    OSMGraph
        Node and edge arrays with edge ``length`` (metres, great circle as in OSMnx) and
        geometry, the tags in :data:`WAY_TAGS`; ``graph`` holds ``crs`` (EPSG:4326), ``mode``
        and ``source``. Railways run both ways; roads follow their ``oneway`` tags.
        ``number_of_edges()`` counts directed edges as OSMnx does; ``to_networkx()`` gives
        the OSMnx-style ``MultiDiGraph``.

    Raises
    ------
    UsageError
        Unknown mode, malformed bbox, missing file or unknown file type.
    OSMError
        Unreadable file, Overpass unreachable, or no way of the mode in the data.

    Examples
    --------
    >>> from corridors.osm import load_osm
    >>> rail = load_osm("armenia-latest.osm.pbf", mode="rail",
    ...                 bbox=(46.0, 38.85, 46.4, 38.95))  # doctest: +SKIP
    >>> rail.graph["mode"], rail.graph["crs"]  # doctest: +SKIP
    ('rail', 'EPSG:4326')
    """
    mode = _check_mode(mode)
    box = check_bbox(bbox) if bbox is not None else None
    if isinstance(source, str) and source.strip().lower() == "overpass":
        if box is None:
            raise UsageError("loading from Overpass needs a bbox (west, south, east, north)")
        graph = _from_overpass(box, mode)
        finished = _finish(graph, mode=mode, bbox=box, simplify=simplify, label="Overpass API")
        return OSMGraph.from_networkx(finished)
    path = Path(source)
    _file_kind(path)
    try:
        compact = read_osm(
            path,
            key="railway" if mode == "rail" else "highway",
            values=RAIL_VALUES if mode == "rail" else ROAD_VALUES,
            way_tags=WAY_TAGS,
            node_tags=NODE_TAGS,
            bidirectional=(mode == "rail"),
            differ=_differ(mode),
            bbox=box,
            simplify=simplify,
        )
    except OSMReadError as exc:
        raise OSMError(str(exc)) from None
    if compact.number_of_edges() == 0:
        raise _no_ways(str(path), mode, box)
    compact.graph.update(crs="EPSG:4326", mode=mode, source=str(path))
    if box is not None:
        compact.graph["bbox"] = list(box)
    return compact


def _differ(mode: str) -> list[str]:
    """Tags whose change ends a simplified edge."""
    return ["gauge", "usage"] if mode == "rail" else ["highway"]


def _no_ways(label: str, mode: str, bbox: tuple[float, float, float, float] | None) -> OSMError:
    what = "railway=rail" if mode == "rail" else "highway motorway…tertiary"
    where = f" inside bbox {','.join(f'{v:g}' for v in bbox)}" if bbox else ""
    return OSMError(
        f"{label}: no {mode} ways ({what}){where}; check the file, the bbox or the mode"
    )


def _check_mode(mode: str) -> str:
    if mode not in MODES:
        raise UsageError(f"unknown OSM mode {mode!r}; use one of {', '.join(MODES)}")
    return mode


def check_bbox(bbox: Sequence[float] | str) -> tuple[float, float, float, float]:
    """Return ``(west, south, east, north)``, degrees, from a sequence or a ``"W,S,E,N"`` string.

    Raises
    ------
    UsageError
        When ``bbox`` is not four finite numbers or does not describe a box.
    """
    text = bbox if isinstance(bbox, str) else ",".join(str(v) for v in bbox)
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise UsageError(f"bbox {text!r} is not four numbers; use west,south,east,north")
    west, south, east, north = values
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise UsageError(
            f"bbox {text!r} is not west,south,east,north in degrees "
            "(west < east, south < north, within ±180/±90)"
        )
    return west, south, east, north


def _file_kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(_PBF_SUFFIXES):
        kind = "pbf"
    elif name.endswith(_XML_SUFFIXES):
        kind = "xml"
    else:
        raise UsageError(
            f"{path.name}: unknown OSM file type; use an OSM XML file (.osm, .xml) or a PBF "
            "extract (.osm.pbf), or 'overpass' with a bbox"
        )
    if not path.is_file():
        raise UsageError(f"OSM file {str(path)!r} does not exist")
    return kind


def _keeps(tags: Mapping[str, Any], mode: str) -> bool:
    """Whether a way (or an edge) with these tags belongs to the mode's network."""
    if mode == "rail":
        return _first(tags.get("railway")) in RAIL_VALUES
    return _first(tags.get("highway")) in ROAD_VALUES


def _first(value: Any) -> Any:
    """Return the value, or the first of a list (a simplified edge may carry a list)."""
    if isinstance(value, list):
        return next((v for v in value if v is not None), None)
    return value


@contextlib.contextmanager
def _osmnx_settings(**values: Any) -> Iterator[None]:
    """Set OSMnx settings for the duration of a block, then restore the user's values."""
    import osmnx as ox

    saved = {key: getattr(ox.settings, key) for key in values}
    try:
        for key, value in values.items():
            setattr(ox.settings, key, value)
        yield
    finally:
        for key, value in saved.items():
            setattr(ox.settings, key, value)


def _tag_settings() -> dict[str, Any]:
    import osmnx as ox

    return {
        "useful_tags_way": list(dict.fromkeys([*ox.settings.useful_tags_way, *WAY_TAGS])),
        "useful_tags_node": list(dict.fromkeys([*ox.settings.useful_tags_node, *NODE_TAGS])),
    }


def _empty_graph() -> nx.MultiDiGraph:
    import networkx as nx

    return nx.MultiDiGraph(crs="EPSG:4326")


def _inside(point: tuple[float, float], bbox: tuple[float, float, float, float]) -> bool:
    west, south, east, north = bbox
    return west <= point[0] <= east and south <= point[1] <= north


def _from_overpass(bbox: tuple[float, float, float, float], mode: str) -> nx.MultiDiGraph:
    import osmnx as ox
    from osmnx._errors import InsufficientResponseError

    if mode == "rail":
        custom_filter = '["railway"="rail"]'
    else:
        custom_filter = '["highway"~"^(motorway|trunk|primary|secondary|tertiary)(_link)?$"]'
    _check_reachable(ox.settings.overpass_url)
    settings = {
        **_tag_settings(),
        "overpass_rate_limit": False,
        "requests_timeout": OVERPASS_TIMEOUT_S,
    }
    try:
        with _osmnx_settings(**settings):
            return ox.graph_from_bbox(
                bbox, custom_filter=custom_filter, simplify=False, retain_all=True
            )
    except InsufficientResponseError:
        return _empty_graph()
    except Exception as exc:  # requests' ConnectionError/Timeout, HTTP errors, …
        raise OSMError(
            f"Overpass download failed ({_one_line(exc)}); try again later, or use a local "
            "extract (.osm.pbf from https://download.geofabrik.de)"
        ) from None


def _check_reachable(url: str) -> None:
    """Fail within :data:`CONNECT_TIMEOUT_S` when the Overpass server cannot be reached."""
    parts = urlparse(url)
    host = parts.hostname or url
    port = parts.port or (80 if parts.scheme == "http" else 443)
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S):
            pass
    except OSError as exc:
        raise OSMError(
            f"cannot reach the Overpass API at {host} ({_one_line(exc)}); you seem to be "
            "offline: use a local extract (.osm.pbf from https://download.geofabrik.de)"
        ) from None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "…"


def _finish(
    graph: nx.MultiDiGraph,
    *,
    mode: str,
    bbox: tuple[float, float, float, float] | None,
    simplify: bool,
    label: str,
) -> nx.MultiDiGraph:
    """Keep the mode's edges, clip to the bbox, simplify; set the graph attributes."""
    import osmnx as ox

    drop = [
        (u, v, k) for u, v, k, data in graph.edges(keys=True, data=True) if not _keeps(data, mode)
    ]
    graph.remove_edges_from(drop)
    graph.remove_nodes_from([n for n in list(graph.nodes) if graph.degree(n) == 0])
    if bbox is not None and len(graph):
        inside = [n for n, d in graph.nodes(data=True) if _inside((d["x"], d["y"]), bbox)]
        graph = graph.subgraph(inside).copy()
        graph.remove_nodes_from([n for n in list(graph.nodes) if graph.degree(n) == 0])
    if graph.number_of_edges() == 0:
        raise _no_ways(label, mode, bbox)
    if simplify:
        graph = ox.simplify_graph(graph, edge_attrs_differ=_differ(mode))
    graph.graph.update(crs="EPSG:4326", mode=mode, source=label)
    if bbox is not None:
        graph.graph["bbox"] = list(bbox)
    return graph


# --- export and summary -------------------------------------------------------------------
def to_gpkg(graph: OSMGraph | nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write an OSM graph as a GeoPackage with ``nodes`` and ``edges`` layers, atomically.

    The file is written beside ``path`` under a temporary name and renamed into place, so a
    failed write never leaves half a file. Each two-way edge is written once.

    Parameters
    ----------
    graph
        Graph from :func:`load_osm` (or any OSMnx graph).
    path
        Output ``.gpkg`` file; replaced if it exists.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    import osmnx as ox

    if isinstance(graph, OSMGraph):
        graph = graph.to_networkx()
    return replace_atomically(
        path, lambda tmp: ox.io.save_graph_geopackage(graph, tmp, directed=False), suffix=".gpkg"
    )


def summary(graph: OSMGraph | nx.MultiDiGraph) -> pd.DataFrame:
    """Return the km of an OSM graph by mode and class (gauge for rail, highway for road).

    Each two-way edge counts once.

    Returns
    -------
    pandas.DataFrame
        Columns ``mode``, ``class``, ``edges``, ``km``; sorted by km, longest first.
    """
    import numpy as np
    import pandas as pd

    arrays = _arrays(graph)
    mode = arrays.graph.get("mode") or _infer_mode(arrays)
    key = "gauge" if mode == "rail" else "highway"
    classes = [_class_label(tags.get(key)) for tags in arrays.tag_sets]
    # an edge and its way back have the same ends and length: count the pair once
    frame = pd.DataFrame(
        {
            "a": np.minimum(arrays.u, arrays.v),
            "b": np.maximum(arrays.u, arrays.v),
            "m": np.round(arrays.length, 1),
            "class": np.array(classes, dtype=object)[arrays.tag_id]
            if classes
            else np.array([], dtype=object),
        }
    ).drop_duplicates(["a", "b", "m"])
    frame["mode"] = mode
    frame["km"] = frame["m"] / 1000.0
    table = frame.groupby(["mode", "class"], as_index=False, dropna=False).agg(
        edges=("km", "size"), km=("km", "sum")
    )
    return table.sort_values("km", ascending=False, ignore_index=True)[
        ["mode", "class", "edges", "km"]
    ]


def _class_label(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "/".join(sorted(set(map(str, value))))
    return str(value) if value else "unknown"


def _arrays(graph: OSMGraph | nx.MultiDiGraph) -> OSMGraph:
    """Return the graph as arrays, converting an OSMnx graph."""
    if isinstance(graph, OSMGraph):
        return graph
    try:
        return OSMGraph.from_networkx(graph)
    except OSMReadError as exc:
        raise UsageError(str(exc)) from None


def _infer_mode(graph: OSMGraph) -> str | None:
    found = set()
    used = set(graph.tag_id.tolist())
    for i in used:
        tags = graph.tag_sets[i]
        if _keeps(tags, "rail"):
            found.add("rail")
        if _keeps(tags, "road"):
            found.add("road")
        if len(found) > 1:
            return None
    return found.pop() if len(found) == 1 else None


# --- refinement ----------------------------------------------------------------------------
REPORT_COLUMNS: tuple[str, ...] = (
    "link",
    "old_km",
    "new_km",
    "change_pct",
    "drawn_old_km",
    "drawn_new_km",
    "osm_nodes",
)
"""Columns of the report :func:`refine` returns."""


def refine(
    net: Network,
    osm_graph: OSMGraph | nx.MultiDiGraph,
    *,
    links: str | Iterable[str],
    replace_length: bool = False,
    max_snap_km: float = 5.0,
) -> tuple[Network, pd.DataFrame]:
    """Replace the schematic geometry of corridor links by their path on an OSM graph.

    For each link, its two end nodes are snapped to the nearest OSM nodes, and the shortest
    path between them (by ``length``) becomes the link's geometry; the geometry still starts
    and ends at the corridor nodes (a short connector is added where a node lies off the OSM
    network), so the dataset stays valid. ``OpenStreetMap contributors, ODbL`` is appended to
    the link's ``source``.

    Parameters
    ----------
    net
        Corridor network (:func:`corridors.load_network`); it is not modified.
    osm_graph
        Graph from :func:`load_osm` (or an OSMnx ``MultiDiGraph``) whose mode matches every
        link's mode. Ends are snapped with a KD-tree and paths found with scipy's csgraph,
        so country-sized graphs refine in seconds.
    links
        Link id or ids to refine.
    replace_length
        Also set ``length_km`` to the OSM path length (plus the connectors), with
        ``length_source`` saying so. Routing then uses it.
    max_snap_km
        Largest distance between a corridor node and its OSM node, km; farther is an error
        (the OSM data probably does not cover the link).

    Returns
    -------
    network : Network
        A new network with the refined links.
    report : pandas.DataFrame
        One row per link: ``link``; ``old_km`` (``length_km`` before) and ``new_km`` (OSM path
        length, km, whether or not it replaced ``length_km``); ``change_pct`` (new vs old, %);
        ``drawn_old_km`` and ``drawn_new_km`` (geodesic length of the old and new geometry,
        km); ``osm_nodes`` (OSM nodes on the path).

    Raises
    ------
    UsageError
        Unknown link, a mode that does not match the graph, a bad ``max_snap_km``.
    OSMError
        A node too far from the OSM network, no path between the ends, or a path whose length
        contradicts ``length_km`` (when it is not replaced).

    Examples
    --------
    >>> import corridors as cr
    >>> from corridors.osm import load_osm, refine
    >>> rail = load_osm("armenia-latest.osm.pbf", mode="rail")  # doctest: +SKIP
    >>> net2, report = refine(cr.load_network(), rail, links=["rail_agarak_meghri"],
    ...                       replace_length=True)  # doctest: +SKIP
    """
    import pandas as pd
    from pyproj import Geod

    if not max_snap_km > 0:
        raise UsageError(f"max_snap_km must be a positive number of km, not {max_snap_km!r}")
    ids = [links] if isinstance(links, str) else list(dict.fromkeys(links))
    if not ids:
        raise UsageError("no link to refine; name one or more link ids")
    unknown = [i for i in ids if i not in net.link_records]
    if unknown:
        raise UsageError(f"unknown link {unknown[0]!r}; see net.link_records for the ids")
    if osm_graph.number_of_edges() == 0:
        raise OSMError("the OSM graph has no edges")
    graph = _arrays(osm_graph)
    graph_mode = graph.graph.get("mode") or _infer_mode(graph)
    if graph_mode is None:
        raise UsageError("the OSM graph has no 'mode'; load it with corridors.osm.load_osm")

    geod = Geod(ellps="WGS84")
    node_records, link_records = net.copy_records()
    rows = []
    for link_id in ids:
        link = link_records[link_id]
        if link["mode"] != graph_mode:
            raise UsageError(
                f"link {link_id!r} is a {link['mode']} link but the OSM graph holds {graph_mode}; "
                f"load the OSM data with mode={link['mode']!r}"
            )
        ends = [(node_records[link[e]]["lon"], node_records[link[e]]["lat"]) for e in ("u", "v")]
        snapped = []
        for end, point in zip(("u", "v"), ends, strict=True):
            osm_node, gap_km = graph.nearest(*point)
            if gap_km > max_snap_km:
                raise OSMError(
                    f"link {link_id!r}: node {link[end]!r} is {gap_km:.1f} km from the nearest "
                    f"OSM {graph_mode} node (limit {max_snap_km:g} km); the OSM data does not "
                    "cover it, or raise max_snap_km"
                )
            snapped.append(osm_node)
        path, coords, path_m = _shortest_path(graph, snapped[0], snapped[1], link_id)
        coords = _pin(coords, ends[0], at_start=True)
        coords = _pin(coords, ends[1], at_start=False)
        connectors_km = sum(
            _geod_km(geod, a, b)
            for a, b in ((ends[0], _xy(graph, path[0])), (ends[1], _xy(graph, path[-1])))
        )
        new_km = path_m / 1000.0 + connectors_km
        old_km = float(link["length_km"])
        drawn_old = _line_km(geod, link["coords"])
        drawn_new = _line_km(geod, coords)
        if not replace_length:
            _check_kept_length(link_id, old_km, drawn_new)
        link["coords"] = coords
        link["geodesic_km"] = drawn_new
        if replace_length:
            link["length_km"] = round(new_km, 1)
            extra = (
                f" (+{connectors_km:.1f} km to the corridor nodes)" if connectors_km >= 0.05 else ""
            )
            link["length_source"] = (
                f"{OSM_SOURCE}: path length {path_m / 1000.0:.1f} km over {len(path)} OSM nodes"
                f"{extra} ({graph.graph.get('source', 'OpenStreetMap')})"
            )
        if OSM_SOURCE not in str(link.get("source", "")):
            link["source"] = f"{link['source']}; {OSM_SOURCE}" if link.get("source") else OSM_SOURCE
        rows.append(
            {
                "link": link_id,
                "old_km": old_km,
                "new_km": round(new_km, 3),
                "change_pct": round((new_km - old_km) / old_km * 100.0, 2) if old_km else math.nan,
                "drawn_old_km": round(drawn_old, 3),
                "drawn_new_km": round(drawn_new, 3),
                "osm_nodes": len(path),
            }
        )
    report = pd.DataFrame(rows, columns=list(REPORT_COLUMNS))
    return net.replace(node_records=node_records, link_records=link_records), report


def _shortest_path(
    graph: OSMGraph, a: int, b: int, link_id: str
) -> tuple[list[int], list[tuple[float, float]], float]:
    """Node positions, coordinates and length (m) of the shortest path from ``a`` to ``b``."""
    ids = graph.node_ids
    if a == b:
        raise OSMError(
            f"link {link_id!r}: both ends snap to the same OSM node {ids[a]}; the link is "
            "shorter than the OSM data's detail, or its nodes lie off the OSM network"
        )
    for source, target, flip in ((a, b, False), (b, a, True)):  # a one-way road: try back
        found = graph.shortest_path(source, target)
        if found is None:
            continue
        nodes, edges, metres = found
        coords = [(float(x), float(y)) for x, y in graph.path_coords(edges).tolist()]
        return (nodes[::-1], coords[::-1], metres) if flip else (nodes, coords, metres)
    raise OSMError(
        f"link {link_id!r}: no path in the OSM graph between OSM nodes {ids[a]} and "
        f"{ids[b]}; the extract or bbox may cut the line, or the OSM line has a gap"
    )


def _pin(
    coords: list[tuple[float, float]], node: tuple[float, float], *, at_start: bool
) -> list[tuple[float, float]]:
    """Start (or end) the line exactly at the corridor node, adding a connector if needed."""
    end = coords[0] if at_start else coords[-1]
    node = (float(node[0]), float(node[1]))
    if _sq(end, node) < 1e-16:  # the same point
        return [node, *coords[1:]] if at_start else [*coords[:-1], node]
    return [node, *coords] if at_start else [*coords, node]


def _check_kept_length(link_id: str, length_km: float, drawn_km: float) -> None:
    low, high = _validation.MIN_LENGTH_RATIO, _validation.MAX_LENGTH_RATIO
    if length_km < low * drawn_km or length_km > high * drawn_km:
        raise OSMError(
            f"link {link_id!r}: its length_km {length_km:g} does not fit the OSM path "
            f"({drawn_km:.1f} km drawn; allowed {low:g}–{high:g}×); refine it with "
            "replace_length=True (--replace-length), or check its end nodes"
        )


def _xy(graph: OSMGraph, node: int) -> tuple[float, float]:
    return float(graph.lon[node]), float(graph.lat[node])


def _sq(a: tuple[float, float], b: tuple[float, float]) -> float:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def _geod_km(geod: Any, a: tuple[float, float], b: tuple[float, float]) -> float:
    return geod.inv(a[0], a[1], b[0], b[1])[2] / 1000.0


def _line_km(geod: Any, coords: Sequence[Sequence[float]]) -> float:
    lons, lats = zip(*coords, strict=True)
    return geod.line_length(lons, lats) / 1000.0

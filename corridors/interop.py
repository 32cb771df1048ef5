"""Save the physical network (:attr:`Network.graph`) as GraphML for OSMnx, NetworkX and Gephi.

Two ways, both lossless for the figures:

- OSMnx: ``ox.save_graphml(net.graph, path)`` writes every attribute as text;
  ``ox.load_graphml(path, **GRAPHML_DTYPES)`` reads it back with place ids as node ids (OSMnx
  would make them integers) and every figure a number again.
- Any GraphML reader: ``nx.write_graphml(graphml_ready(net.graph), path)`` keeps numbers typed
  and writes lists and objects (``tags``, ``status``, ``border_hours_by_direction``) as JSON
  text and geometries as WKT, the forms GraphML has no type for.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .schema import FACTORS, FIGURES

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["GRAPHML_DTYPES", "graphml_ready"]


def _number(text: str) -> int | float:
    """Return the ``int`` or ``float`` ``str()`` wrote (``"8"`` → 8, ``"8.0"`` → 8.0)."""
    try:
        return int(text)
    except ValueError:
        return float(text)


def _figures_on(on: str) -> set[str]:
    """Return the numeric figures a node or link may carry (factors scale figures: numbers)."""
    figures = {k for k, f in FIGURES.items() if on in f.on and k != "border_hours_by_direction"}
    return figures | {k for k, v in FACTORS.items() if v in figures}


# Figures the dataset stores as numbers; everything else is text or a list OSMnx parses.
_NODE_NUMBERS = _figures_on("node") | {"street_count"}
_LINK_NUMBERS = _figures_on("link") | {"length_km", "geodesic_km", "gauge_mm"}

GRAPHML_DTYPES: dict[str, dict[str, Callable[[str], Any]]] = {
    "node_dtypes": {"osmid": str, **dict.fromkeys(sorted(_NODE_NUMBERS), _number)},
    "edge_dtypes": {"osmid": str, **dict.fromkeys(sorted(_LINK_NUMBERS), _number)},
}
"""Keyword arguments of :func:`osmnx.load_graphml` that read a saved :attr:`Network.graph`
back as it was: ``osmid: str`` keeps place ids and link ids as text, and every figure of
:data:`corridors.schema.FIGURES` (with lengths and gauges) becomes a number again."""


def _graphml_value(value: Any) -> Any:
    """Return a value GraphML can type: numbers, text and booleans as they are, others as text."""
    if isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "wkt"):  # a shapely geometry
        return value.wkt
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def graphml_ready(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Return a copy of a graph that :func:`networkx.write_graphml` accepts.

    Numbers, text and booleans stay typed; lists and dicts become JSON text (read them back with
    :func:`json.loads`), geometries WKT (:func:`shapely.from_wkt`); missing values (``None``)
    are left out. The graph given is not changed.

    Parameters
    ----------
    graph
        A :attr:`corridors.Network.graph`, or any graph with such attributes.

    Returns
    -------
    networkx.MultiDiGraph
        Same nodes, edges and keys with GraphML-typed attributes.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("a", "b", key="l", tags=["btk", "middle"], length=1.5)
    'l'
    >>> graphml_ready(g).edges["a", "b", "l"]
    {'tags': '["btk", "middle"]', 'length': 1.5}
    """

    def typed(attrs: dict[str, Any]) -> dict[str, Any]:
        return {k: _graphml_value(v) for k, v in attrs.items() if v is not None}

    ready = graph.__class__()
    ready.graph.update(typed(graph.graph))
    ready.add_nodes_from((n, typed(d)) for n, d in graph.nodes(data=True))
    ready.add_edges_from((u, v, k, typed(d)) for u, v, k, d in graph.edges(keys=True, data=True))
    return ready

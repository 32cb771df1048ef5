"""Shortest walks on arrays of edges (:mod:`scipy.sparse.csgraph`): the search, pure numpy.

The search knows edges, weights and stops, not places or networks: constraints arrive as
``inf`` weights, required groups as edge sets, so it can be tested on tiny arrays.
"""

from __future__ import annotations

import itertools
import math
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .graph import RoutingGraph

if TYPE_CHECKING:
    pass


_MAX_BRANCH_SEARCHES = 24  # bound on the searches that remove links used twice (a lollipop)


EPSILON = 1e-9  # keeps zero-cost edges as edges in the sparse matrix and breaks ties


def search(
    rg: RoutingGraph,
    weights: np.ndarray,
    stops: Sequence[Sequence[int]],
    through: Sequence[np.ndarray] = (),
    *,
    dwell: np.ndarray | None = None,
    barred: np.ndarray | None = None,
) -> list[int] | None:
    """Return the edge indices of the cheapest walk through ``stops`` (lists of routing nodes).

    ``weights`` holds ``inf`` for forbidden edges. Between consecutive stops the search is exact
    over every routing node of each stop (a dynamic programme over the via places). ``through``
    are groups of edges of which the walk must use at least one each: the search then runs on
    ``2**len(through)`` copies of the graph, a copy per set of groups already used, from the
    first copy to the last (exact, unlike a check after the search). ``dwell`` is a weight per
    routing node paid where the walk starts and where it ends (terminal dwell, by service).
    ``barred`` edges are forbidden too (as if ``inf`` in ``weights``; see :func:`search_arrays`).
    """
    if any(not members for members in stops):
        return None
    if not through:
        at_ends = None if dwell is None else (lambda node: float(dwell[node]))
        return search_arrays(
            len(rg.nodes),
            rg.tail,
            rg.head,
            weights,
            stops,
            start_cost=at_ends,
            end_cost=at_ends,
            cache=rg.search_cache,
            barred=barred,
        )
    if barred is not None and len(barred):
        weights = weights.copy()
        weights[barred] = np.inf
    return search_layers(rg, weights, stops, through, dwell=dwell)


def search_layers(
    rg: RoutingGraph,
    weights: np.ndarray,
    stops: Sequence[Sequence[int]],
    through: Sequence[np.ndarray],
    *,
    dwell: np.ndarray | None = None,
) -> list[int] | None:
    """Search the ``2**len(through)`` copies of the graph without taking a link straight back.

    A walk that must enter a country or use a tagged link would otherwise tick the requirement
    by running into the country or up a stub of the tagged line and straight back on the same
    link: no forwarder runs such a route. The search therefore runs on a graph of *states*
    ``(routing node, link arrived by)`` (turn restrictions, as in road routing): a link cannot
    follow itself, even with changes of gauge or mode between. Between consecutive stops the walk
    may turn (a via place is visited and left).
    """
    turns = rg.turn_graph
    n, n_states = len(rg.nodes), len(turns.state_node)
    mask = np.zeros(len(rg.edges), dtype=np.int64)
    for bit, group in enumerate(through):
        mask[group] |= 1 << bit
    layers = 1 << len(through)
    arrive0 = layers * n_states
    shape = _layered_structure(rg, mask, layers)
    last = len(stops) - 1

    def layered(i: int, members: Sequence[int], base: int, size: int) -> list[int]:
        chosen = range(layers) if 0 < i < last else [0 if i == 0 else layers - 1]
        return [base + layer * size + m for m in members for layer in chosen]

    def restart(node: int) -> int:  # the arrival at a via place starts the next segment afresh
        layer, routing_node = divmod(node - arrive0, n)
        return layer * n_states + routing_node

    # moves cost their edge's weight; ending a segment at a routing node costs nothing
    cost_all = np.concatenate([weights[turns.edge]] * layers + [np.zeros(n_states * layers)])
    targets = [
        layered(0, stops[0], 0, n_states),
        *(layered(i, m, arrive0, n) for i, m in enumerate(stops) if i > 0),
    ]

    def search(banned: frozenset[tuple[str, int]]) -> tuple[float, list[int]] | None:
        from scipy.sparse import csr_matrix

        weights_now = cost_all
        if banned:
            weights_now = cost_all.copy()
            for link, layer in banned:
                weights_now[(shape.link_of == link) & (shape.layer_of == layer)] = np.inf
        # the sparsity pattern is fixed per graph and requirements: only the data changes
        data = weights_now[shape.order] + EPSILON
        matrix = csr_matrix((data, shape.indices, shape.indptr), shape=(shape.size, shape.size))
        found = walk(
            matrix,
            shape.keys,
            shape.order,
            targets,
            restart=restart,
            start_cost=None if dwell is None else (lambda node: float(dwell[node % n_states])),
            end_cost=None if dwell is None else (lambda node: float(dwell[(node - arrive0) % n])),
        )
        return None if found is None else (float(weights_now[found].sum()), found)

    link_of, layer_of, walked = shape.link_of, shape.layer_of, shape.walked

    # Branch and bound over links a walk uses twice within a segment (a lollipop round a loop
    # to tick a requirement): a route uses each link in at most one layer, so either the link
    # is barred from the first layer it was used in, or from every other layer.
    best: tuple[float, list[int]] | None = None
    queue: list[tuple[float, int, frozenset[tuple[str, int]], list[int]]] = []
    first = search(frozenset())
    if first is not None:
        queue.append((first[0], 0, frozenset(), first[1]))
    searches = 1
    while queue and searches < _MAX_BRANCH_SEARCHES:
        queue.sort(key=lambda item: (item[0], item[1]))
        total, _, banned, found = queue.pop(0)
        if best is not None and total >= best[0]:
            break
        repeated = _repeated_link(found, link_of, layer_of)
        if repeated is None:
            best = (total, found)
            break
        link, layer = repeated
        for extra in (
            {(link, layer)},
            {(link, other) for other in range(layers) if other != layer},
        ):
            child = banned | extra
            result = search(child)
            searches += 1
            if result is not None:
                queue.append((result[0], searches, child, result[1]))
    if best is None:
        return None
    return [int(walked[k]) for k in best[1] if walked[k] >= 0]


@dataclass(frozen=True)
class LayeredStructure:
    """The sparsity pattern of the layered state graph for one set of requirements."""

    size: int  # states and arrival nodes
    order: np.ndarray  # moves sorted by (tail, head): CSR entry -> move
    indices: np.ndarray
    indptr: np.ndarray
    keys: np.ndarray  # tail * size + head of each CSR entry
    walked: np.ndarray  # per move: the routing-graph edge, or -1 for an arrival
    link_of: np.ndarray  # per move: what a walk may not use twice (a link or a crossing)
    layer_of: np.ndarray  # per move: the copy of the graph it runs in, or -1


def _layered_structure(rg: RoutingGraph, mask: np.ndarray, layers: int) -> LayeredStructure:
    """Build (once per graph and requirements, cached on the graph) the layered pattern."""
    cache = rg.layered_cache
    key = (layers, mask.tobytes())
    if key in cache:
        return cache[key]
    turns = rg.turn_graph
    n, n_states = len(rg.nodes), len(turns.state_node)
    arrive0 = layers * n_states
    size = arrive0 + layers * n
    tails, heads = [], []
    for layer in range(layers):
        tails.append(layer * n_states + turns.tail)
        heads.append((layer | mask[turns.edge]) * n_states + turns.head)
    for layer in range(layers):  # every state may end a segment at its routing node
        tails.append(layer * n_states + np.arange(n_states))
        heads.append(arrive0 + layer * n + turns.state_node)
    tail, head = np.concatenate(tails), np.concatenate(heads)
    order = np.lexsort((head, tail))
    counts = np.bincount(tail, minlength=size)
    indptr = np.concatenate([[0], np.cumsum(counts)])
    walked = np.concatenate([turns.edge] * layers + [np.full(n_states * layers, -1)])
    # what a walk must not use twice in a segment: a link, or a border crossing (crossing out
    # and straight back in ticks a country without travelling in it)
    once = np.asarray(
        [
            f"border@{e['at']}" if e["kind"] == "change" and e.get("border") else str(link)
            for e, link in zip(rg.edges, rg.link_ids, strict=True)
        ],
        dtype=object,
    )
    structure = LayeredStructure(
        size=size,
        order=order,
        indices=_compact(head[order]),
        indptr=_compact(indptr),
        keys=tail[order] * size + head[order],
        walked=walked,
        link_of=np.where(walked >= 0, once[np.maximum(walked, 0)], ""),
        layer_of=np.concatenate(
            [np.full(len(turns.edge), layer) for layer in range(layers)]
            + [np.full(n_states * layers, -1)]
        ),
    )
    if len(cache) >= 16:
        cache.pop(next(iter(cache)))
    cache[key] = structure
    return structure


def _repeated_link(
    path: Sequence[int], link_of: np.ndarray, layer_of: np.ndarray
) -> tuple[str, int] | None:
    """Return the first link a walk uses twice within a segment, and its first layer."""
    seen: dict[str, int] = {}
    for k in path:
        link = str(link_of[k])
        if layer_of[k] < 0:  # a stop reached: the next segment may use its links again
            seen.clear()
        elif link:
            if link in seen:
                return link, seen[link]
            seen[link] = int(layer_of[k])
    return None


def search_arrays(
    n: int,
    tail: np.ndarray,
    head: np.ndarray,
    weights: np.ndarray,
    stops: Sequence[Sequence[int]],
    *,
    restart: Callable[[int], int] | None = None,
    start_cost: Callable[[int], float] | None = None,
    end_cost: Callable[[int], float] | None = None,
    cache: dict[Any, Any] | None = None,
    barred: np.ndarray | None = None,
) -> list[int] | None:
    """Return the edge indices of the cheapest walk through ``stops`` on arrays of edges.

    A dynamic programme over the stops: each segment is one multi-source Dijkstra. ``restart``
    maps a stop reached to the node the next segment starts from (the same node by default);
    ``start_cost`` and ``end_cost`` price starting at a node of the first stop and ending at one
    of the last (nothing by default). ``cache`` keeps the sparse pattern of the graph (its
    :attr:`~corridors.graph.RoutingGraph.search_cache`), so a search only fills in the weights:
    a forbidden edge stays in the pattern with an infinite weight, which the search never
    takes, so one pattern serves every mask (constraints, the changes barred at a trip's ends).
    ``barred`` edges weigh ``inf`` on top of ``weights``: a read-only ``weights`` (one array
    per graph, weight and constraints) is put into the pattern once and only the barred
    entries change per search.
    """
    pattern = _pattern(n, tail, head, cache)
    data, idx = _filled(pattern, weights)
    if barred is not None and len(barred):
        if pattern.edge_shared[barred].any():  # the cheapest of parallel edges may change
            weights = weights.copy()
            weights[barred] = np.inf
            data, idx = _fill(pattern, weights)
        else:
            data = data.copy()
            data[pattern.entry_of[barred]] = np.inf
    # a shallow copy of the pattern's matrix with this search's weights (what copy.copy makes,
    # without its dispatch): the index arrays are shared (csgraph only reads them), and scipy
    # does not check the pattern again
    matrix = object.__new__(type(pattern.matrix))
    matrix.__dict__.update(pattern.matrix.__dict__)
    matrix.data = data
    return walk(
        matrix,
        pattern.keys,
        idx,
        stops,
        restart=restart,
        start_cost=start_cost,
        end_cost=end_cost,
        entries=pattern.entries,
    )


@dataclass(frozen=True)
class _Pattern:
    """The CSR pattern of the edges of a graph, built once."""

    edges: np.ndarray  # edges sorted by (tail, head), parallel ones in edge order
    starts: np.ndarray  # position in ``edges`` where each (tail, head) entry begins
    group: np.ndarray  # per position in ``edges``: its entry
    indices: np.ndarray
    indptr: np.ndarray
    keys: np.ndarray  # tail * n + head of each entry, sorted
    shared: np.ndarray  # positions in ``edges`` of the entries with parallel edges
    matrix: Any  # the CSR matrix of the pattern (its data is replaced per search)
    entry_of: np.ndarray  # per edge: its entry
    edge_shared: np.ndarray  # per edge: whether its entry has parallel edges
    entries: dict[int, int] | None  # per key (tail * n + head): its entry, if kept


def _fill(pattern: _Pattern, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the CSR data of ``weights`` in ``pattern`` and the edge of each entry."""
    w = weights[pattern.edges] + EPSILON
    if not len(pattern.shared):
        return w, pattern.edges
    # of parallel edges the cheapest, the first of equals, is searched
    data = np.minimum.reduceat(w, pattern.starts)
    idx = pattern.edges[pattern.starts]
    hit = pattern.shared[w[pattern.shared] == data[pattern.group[pattern.shared]]]
    entry = pattern.group[hit]
    first = np.ones(len(hit), dtype=bool)
    first[1:] = entry[1:] != entry[:-1]
    idx[entry[first]] = pattern.edges[hit[first]]
    return data, idx


def _filled(pattern: _Pattern, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return :func:`_fill`, remembered for a read-only ``weights`` while it lives.

    Only an array nobody can write to is remembered (its figures cannot change under the
    cache); a weak reference tells when it is gone, so a new array at the same address is not
    mistaken for it.
    """
    if weights.flags.writeable:
        return _fill(pattern, weights)
    key = (id(weights), id(pattern))
    known = _FILLED.get(key)
    if known is not None and known[0]() is weights and known[1]() is pattern:
        return known[2]
    filled = _fill(pattern, weights)
    if len(_FILLED) >= _FILLED_MOST:
        _FILLED.pop(next(iter(_FILLED)))
    _FILLED[key] = (weakref.ref(weights), weakref.ref(pattern), filled)
    return filled


# CSR data of read-only weights, per (weights, pattern): a comparison's pairs share them
_FILLED: dict[tuple[int, int], tuple[Any, Any, tuple[np.ndarray, np.ndarray]]] = {}
_FILLED_MOST = 64


def _compact(index: np.ndarray) -> np.ndarray:
    """Return sparse-matrix indices as 32-bit integers when they fit (scipy's own choice)."""
    if len(index) == 0 or int(index.max()) < np.iinfo(np.int32).max:
        return index.astype(np.int32)
    return index


def _pattern(n: int, tail: np.ndarray, head: np.ndarray, cache: dict[Any, Any] | None) -> _Pattern:
    """Return the CSR pattern of the edges ``tail → head``, from ``cache`` when it has it."""
    from scipy.sparse import csr_matrix

    key = ("arrays", n, len(tail))  # the cache belongs to one graph: its size names it
    if cache is not None and key in cache:
        return cache[key]
    order = np.lexsort((head, tail))  # stable: parallel edges keep their order
    edges, t, h = order, tail[order], head[order]
    first = np.ones(len(edges), dtype=bool)
    first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
    # 32-bit indices when they fit: scipy then uses them without converting them
    indices = _compact(h[first])
    indptr = _compact(np.concatenate([[0], np.cumsum(np.bincount(t[first], minlength=n))]))
    group = np.cumsum(first) - 1
    entry_of = np.empty(len(edges), dtype=np.int64)
    entry_of[edges] = group
    shared = np.flatnonzero(np.bincount(group)[group] > 1) if len(group) else group
    edge_shared = np.zeros(len(edges), dtype=bool)
    edge_shared[edges[shared]] = True
    pattern = _Pattern(
        edges=edges,
        starts=np.flatnonzero(first),
        group=group,
        indices=indices,
        indptr=indptr,
        keys=t[first] * n + h[first],
        shared=shared,
        matrix=csr_matrix((np.ones(len(indices)), indices, indptr), shape=(n, n)),
        entry_of=entry_of,
        edge_shared=edge_shared,
        # only for a pattern kept for many searches: the dict costs a Python step per entry
        entries=None
        if cache is None
        else {key: i for i, key in enumerate((t[first] * n + h[first]).tolist())},
    )
    if cache is not None:
        cache[key] = pattern
    return pattern


def walk(
    matrix: Any,
    keys: np.ndarray,
    idx: np.ndarray,
    stops: Sequence[Sequence[int]],
    *,
    restart: Callable[[int], int] | None = None,
    start_cost: Callable[[int], float] | None = None,
    end_cost: Callable[[int], float] | None = None,
    entries: Mapping[int, int] | None = None,
) -> list[int] | None:
    """Run the stop-to-stop dynamic programme on a sparse matrix (see :func:`search_arrays`).

    ``keys`` are ``tail * n + head`` of the matrix's entries, sorted, and ``idx`` the caller's
    edge index of each entry, which turn the walk back into edges; ``entries``, when given,
    maps each key to its position in ``keys`` (a faster look-up of the same).
    """
    from scipy.sparse.csgraph import dijkstra

    n = matrix.shape[0]

    def again(node: int) -> int:
        return node if restart is None else restart(node)

    cost = {node: 0.0 if start_cost is None else start_cost(node) for node in stops[0]}
    # per step: (per node of its stop, (start it came from, row of that start, source), preds)
    back: list[tuple[dict[int, tuple[int, int, int]], np.ndarray]] = []
    for step, nxt in enumerate(stops[1:]):
        sources = list(cost) if step == 0 else [again(node) for node in cost]
        reached = list(cost)
        dist, pred = dijkstra(matrix, indices=sources, return_predecessors=True)
        new_cost: dict[int, float] = {}
        choice: dict[int, tuple[int, int, int]] = {}
        # per node of the next stop, the cheapest start (the first of equals); the figures
        # read out as Python floats in one go, not one numpy scalar at a time
        columns = list(nxt)
        if not columns:
            return None
        if len(reached) == 1:  # one start: its distances, a Python float each
            rows = [0] * len(columns)
            at = dist[0].item
            begun = cost[reached[0]]
            lowest = [begun + at(t) for t in columns]
        else:
            totals = np.asarray([cost[s] for s in reached])[:, None] + dist[:, columns]
            best = np.argmin(totals, axis=0)
            rows = best.tolist()
            lowest = totals[best, np.arange(len(columns))].tolist()
        for t, k, value in zip(columns, rows, lowest, strict=True):
            if math.isfinite(value):
                new_cost[t] = value
                choice[t] = (reached[k], k, sources[k])
        if not new_cost:
            return None
        cost = new_cost
        back.append((choice, pred))
    end = min(cost, key=lambda t: cost[t] + (0.0 if end_cost is None else end_cost(t)))
    path_edges: list[int] = []
    for choice, pred in reversed(back):
        reached_from, k, start = choice[end]
        before = pred[k].item  # the predecessor of a node on the tree grown from ``start``
        chain = [end]
        node = end
        while node != start:
            node = before(node)
            chain.append(node)
        chain.reverse()
        if entries is None:
            walked = np.asarray(chain)
            found = np.searchsorted(keys, walked[:-1] * n + walked[1:])
        else:  # a few dozen moves: a dict per move beats numpy's fixed cost per call
            found = [entries[u * n + v] for u, v in itertools.pairwise(chain)]
        path_edges[:0] = idx[found].tolist()
        end = reached_from
    return path_edges

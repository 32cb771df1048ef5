"""Maritime legs computed with searoute, with guards against its silent failure modes.

`searoute <https://github.com/genthalili/searoute-py>`_ finds the shortest lane on the Eurostat
MARNET maritime network bundled with it. Used naively it fails silently in several ways, which
:func:`sea_leg` turns into :class:`~corridors.errors.SeaRouteError`:

- its ``restrictions`` argument *replaces* the default ``['northwest']``: :func:`sea_leg` always
  passes the full list, so the Northwest Passage and the Bering Strait stay closed unless the
  caller lists them in ``allow_passages``;
- unknown passage names are accepted silently: here they raise, naming the valid ones;
- when no lane exists it returns an empty feature of length 0 with a warning: here it raises;
- points far inland are snapped silently to the nearest network node: here a point farther than
  ``max_snap_km`` from the network raises;
- the Caspian Sea is joined to the ocean only by an (untagged) Volga--Don inland waterway through
  Russia: a lane that uses it raises unless ``'RUS'`` is in ``allow_countries``; more generally,
  with ``allow_countries`` given, a lane whose interior crosses the land of a country not allowed
  raises;
- some longitudes exceed 180: here they are normalised to [-180, 180].

searoute is imported lazily, inside the functions, to keep the command line start-up fast.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import shapely
from shapely.geometry import LineString

from corridors.errors import SeaRouteError
from corridors.settings import bundled_path

if TYPE_CHECKING:
    from corridors.network import Network

__all__ = ["SeaLeg", "add_sea_link", "sea_leg", "valid_passages"]

#: Default commercial speed of a container ship, km/h
#: (assumption: ~16 kn, container-ship slow steaming).
DEFAULT_SEA_SPEED_KMH = 30.0

# Passages searoute closes by default (its own default is ['northwest'] only; Bering is closed
# here too because an Arctic lane is not a realistic container route for this model).
_CLOSED_BY_DEFAULT = ("northwest", "bering")

# Edge tags of the MARNET network that stitch the antimeridian; they are not passages.
_NOT_PASSAGES = frozenset({"segment", "segment2", "pacific_ocean"})

# Box (lon_min, lat_min, lon_max, lat_max) around the Volga--Don canal and the Tsimlyansk
# reservoir: the only link between the Caspian basin and the Sea of Azov in MARNET.
_VOLGA_DON_BOX = (42.0, 47.4, 44.8, 49.0)

# Vertex spacing of the output geometry, km: every ~25 km in the South Caucasus box
# (lon 43-50, lat 38.5-42), every ~100 km elsewhere (the dataset's drawing rule).
_CAUCASUS_BOX = (43.0, 38.5, 50.0, 42.0)
_MAX_SEGMENT_KM = 100.0
_MAX_SEGMENT_CAUCASUS_KM = 25.0

# Land-crossing check: sample spacing along the lane, the stretch at each end where land is
# expected (ports in estuaries and bays), and the longest tolerated run over land in the interior
# (MARNET lanes are schematic and clip headlands and islands by a few km).
_LAND_SAMPLE_KM = 2.0
_LAND_END_KM = 25.0
_LAND_MAX_RUN_KM = 12.0

# Joining a port to the lane: how many nodes ahead and how far (km) to look, and the stretch at
# the port (km) where land is ignored (quays, breakwaters).
_PULL_MAX_NODES = 8
_PULL_MAX_KM = 600.0
_PULL_PORT_KM = 3.0


@dataclass(frozen=True)
class SeaLeg:
    """A maritime leg between two points.

    Attributes
    ----------
    origin, destination : tuple of float
        (lon, lat) in degrees, as given, longitude normalised to [-180, 180].
    geometry : shapely.LineString
        The lane from `origin` to `destination` (lon in [-180, 180]); it starts and ends exactly
        at the given points.
    distance_km : float
        Geodesic length of `geometry` on the WGS84 ellipsoid, km.
    speed_kmh : float
        Commercial speed, km/h.
    hours : float
        ``distance_km / speed_kmh``, h.
    passages : tuple of str
        searoute passages the lane uses (``'suez'``, ``'malacca'``, ``'babalmandab'``...), sorted.
    """

    origin: tuple[float, float]
    destination: tuple[float, float]
    geometry: LineString
    distance_km: float
    speed_kmh: float
    hours: float
    passages: tuple[str, ...]

    def to_feature(self, **properties: Any) -> dict[str, Any]:
        """Return the leg as a GeoJSON Feature (a dict).

        Parameters
        ----------
        **properties
            Properties to set; they override the defaults ``length_km`` (rounded to 0.1 km),
            ``length_source`` (``'geodesic'``), ``speed_kmh`` and ``speed_source``.

        Returns
        -------
        dict
            ``{"type": "Feature", "properties": {...}, "geometry": {...}}``, coordinates rounded
            to 4 decimals, [lon, lat].
        """
        props: dict[str, Any] = {
            "length_km": round(self.distance_km, 1),
            "length_source": "geodesic",
            "speed_kmh": self.speed_kmh,
            "speed_source": "assumption: ~16 kn container-ship slow steaming",
        }
        props.update(properties)
        coords = [[round(x, 4), round(y, 4)] for x, y in self.geometry.coords]
        return {
            "type": "Feature",
            "properties": props,
            "geometry": {"type": "LineString", "coordinates": coords},
        }


def valid_passages() -> frozenset[str]:
    """Return the passage names searoute knows.

    They are the names of ``searoute.classes.passages.Passage`` plus the passage tags found on the
    edges of the bundled MARNET network (``'dardanelles'`` is tagged there but missing from the
    class), without the tags that only stitch the antimeridian.

    Returns
    -------
    frozenset of str
    """
    from searoute.classes.passages import Passage

    marnet = _marnet()
    tagged = {d["passage"] for _, _, d in marnet.edges(data=True) if d.get("passage")}
    named = {p for p in Passage.valid_passages() if isinstance(p, str)}
    return frozenset((named | tagged) - _NOT_PASSAGES)


def sea_leg(
    origin: Sequence[float],
    destination: Sequence[float],
    *,
    avoid_passages: Iterable[str] = (),
    allow_passages: Iterable[str] = (),
    allow_countries: Iterable[str] | None = None,
    speed_kmh: float | None = None,
    max_snap_km: float = 50.0,
) -> SeaLeg:
    """Compute the shortest sea lane between two points with searoute, safely.

    Parameters
    ----------
    origin, destination : sequence of float
        (lon, lat) in degrees. Longitudes outside [-180, 180] are normalised.
    avoid_passages : iterable of str
        Passages to close in addition to the defaults (``'suez'``, ``'babalmandab'``,
        ``'malacca'``, ``'panama'``...; see :func:`valid_passages`).
    allow_passages : iterable of str
        Default-closed passages to open (``'northwest'``, ``'bering'``).
    allow_countries : iterable of str, optional
        ISO3 codes (Natural Earth ``ADM0_A3``) whose land the lane may cross. If given, a lane
        whose interior (farther than 25 km from its ends) runs more than 12 km over the land of
        another country raises. If None, no land check is made, except that a lane through the
        Volga--Don waterway (Russia) always needs ``'RUS'`` here.
    speed_kmh : float, optional
        Commercial speed, km/h; default 30 km/h (assumption: ~16 kn slow steaming).
    max_snap_km : float
        Largest distance, km, between `origin` or `destination` and the nearest node of the
        maritime network; farther points raise (they are probably inland).

    Returns
    -------
    SeaLeg

    Raises
    ------
    SeaRouteError
        Unknown passage, no lane, a point farther than `max_snap_km` from the network, a lane
        through the Volga--Don waterway or over the land of a country not allowed, bad input.

    Examples
    --------
    >>> leg = sea_leg((121.6, 31.35), (4.05, 51.955))  # Shanghai - Rotterdam via Suez
    >>> round(leg.distance_km, -2)
    19600.0
    >>> cape = sea_leg((121.6, 31.35), (4.05, 51.955), avoid_passages=["suez", "panama"])
    """
    import searoute

    o = _normalise_point(origin, "origin")
    d = _normalise_point(destination, "destination")
    restrictions = _restrictions(avoid_passages, allow_passages)
    speed = DEFAULT_SEA_SPEED_KMH if speed_kmh is None else float(speed_kmh)
    if not (math.isfinite(speed) and speed > 0):
        raise SeaRouteError(f"speed_kmh must be a positive number, got {speed_kmh!r}")
    allowed = None if allow_countries is None else {str(c).upper() for c in allow_countries}

    marnet = _marnet()
    for point, what in ((o, "origin"), (d, "destination")):
        snapped = marnet.kdtree.query(point)
        gap = _geodesic_km(point, snapped)
        if gap > max_snap_km:
            raise SeaRouteError(
                f"{what} {point} is {gap:.0f} km from the sea network; is it inland?"
                f" (max_snap_km={max_snap_km:g})"
            )

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        feature = searoute.searoute(
            list(o), list(d), units="km", restrictions=list(restrictions), return_passages=True
        )
    raw = [tuple(c) for c in feature["geometry"]["coordinates"]]
    if len(raw) < 1 or not math.isfinite(feature["properties"]["length"]):
        why = "; ".join(str(w.message) for w in caught) or "no path"
        raise SeaRouteError(
            f"no sea lane from {o} to {d} with closed passages {sorted(restrictions)}: {why}"
        )
    passages = _passages(raw, marnet, feature["properties"].get("traversed_passages", []))

    if _enters_box(raw, _VOLGA_DON_BOX) and (allowed is None or "RUS" not in allowed):
        raise SeaRouteError(
            f"the lane from {o} to {d} uses the Volga-Don inland waterway through Russia;"
            " pass allow_countries including 'RUS' to accept it"
        )

    coords = _attach_ends(o, d, [_normalise_point(c, "vertex") for c in raw])
    coords = _densify(coords)
    if allowed is not None:
        crossed = {c: km for c, km in _land_runs(coords).items() if c not in allowed}
        if crossed:
            worst = ", ".join(f"{c} ({km:.0f} km)" for c, km in sorted(crossed.items()))
            raise SeaRouteError(
                f"the lane from {o} to {d} crosses land of countries not allowed: {worst}"
            )

    geometry = LineString(coords)
    distance = _line_km(coords)
    if distance <= 0:
        raise SeaRouteError(f"the sea lane from {o} to {d} has zero length")
    return SeaLeg(
        origin=o,
        destination=d,
        geometry=geometry,
        distance_km=distance,
        speed_kmh=speed,
        hours=distance / speed,
        passages=passages,
    )


# --------------------------------------------------------------------------------------------
# private helpers


@lru_cache(maxsize=1)
def _marnet() -> Any:
    """Return searoute's (cached) MARNET graph, loaded with the networkx backend."""
    from searoute.searoute import setup_M

    return setup_M(None)


@lru_cache(maxsize=1)
def _geod() -> Any:
    from pyproj import Geod

    return Geod(ellps="WGS84")


def _normalise_point(point: Sequence[float], what: str) -> tuple[float, float]:
    try:
        lon, lat = (float(v) for v in point)
    except (TypeError, ValueError):
        raise SeaRouteError(f"{what} must be a (lon, lat) pair, got {point!r}") from None
    if not (math.isfinite(lon) and math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise SeaRouteError(f"{what} {point!r} is not a valid (lon, lat) pair")
    if not -180.0 <= lon <= 180.0:
        lon = (lon + 180.0) % 360.0 - 180.0
    return (lon, lat)


def _restrictions(avoid: Iterable[str], allow: Iterable[str]) -> tuple[str, ...]:
    """Full restriction list for searoute: the defaults minus `allow`, plus `avoid`."""
    avoid_set = {str(p).lower() for p in ([avoid] if isinstance(avoid, str) else avoid)}
    allow_set = {str(p).lower() for p in ([allow] if isinstance(allow, str) else allow)}
    valid = valid_passages()
    unknown = sorted((avoid_set | allow_set) - valid)
    if unknown:
        raise SeaRouteError(
            f"unknown passage(s) {', '.join(unknown)}; valid: {', '.join(sorted(valid))}"
        )
    both = sorted(avoid_set & allow_set)
    if both:
        raise SeaRouteError(f"passage(s) {', '.join(both)} both avoided and allowed")
    return tuple(sorted((set(_CLOSED_BY_DEFAULT) - allow_set) | avoid_set))


def _passages(raw: list[tuple[float, float]], marnet: Any, reported: Iterable[str]) -> tuple:
    """Passages on the lane: searoute's report plus tags it filters out (``dardanelles``)."""
    found = set(reported)
    for a, b in itertools.pairwise(raw):
        data = marnet.get_edge_data(a, b)
        if data and data.get("passage"):
            found.add(data["passage"])
    return tuple(sorted(found - _NOT_PASSAGES))


def _geodesic_km(a: Sequence[float], b: Sequence[float]) -> float:
    return abs(_geod().inv(a[0], a[1], b[0], b[1])[2]) / 1000.0


def _line_km(coords: Sequence[Sequence[float]]) -> float:
    lons, lats = zip(*coords, strict=False)
    return _geod().line_length(lons, lats) / 1000.0


def _enters_box(coords: Iterable[Sequence[float]], box: tuple[float, ...]) -> bool:
    x0, y0, x1, y1 = box
    return any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in coords)


def _attach_ends(
    o: tuple[float, float], d: tuple[float, float], path: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """Make the lane start at `o` and end at `d`.

    searoute snaps a point to the *nearest* network node, which for a port far from the sparse
    network can lie behind the port or off to one side. Each end is therefore joined straight to
    the farthest of the next few lane nodes (up to 8 nodes, 600 km) it can reach without
    crossing land; if none can be reached that way, to the nearest node as searoute does (a node
    nearer than 1 km is replaced by the point itself), skipping a nearest node that lies behind
    the point.
    """
    path = _pull(o, list(path))
    path = _pull(d, path[::-1])[::-1]
    if len(path) == 1:
        path = [o, d]
    return path


def _pull(end: tuple[float, float], path: list[tuple[float, float]]) -> list:
    """Join `end` to the farthest of the first nodes of `path` that it sees over water."""
    last = min(len(path) - 2, _PULL_MAX_NODES)
    for k in range(last, 0, -1):
        if _geodesic_km(end, path[k]) <= _PULL_MAX_KM and _at_sea(end, path[k]):
            return [end, *path[k:]]
    # no shortcut over water: drop a first node that lies behind `end` (going straight to the
    # next node is no longer than the network edge itself), then join the nearest node.
    while len(path) >= 3 and _geodesic_km(end, path[1]) <= _geodesic_km(path[0], path[1]):
        path = path[1:]
    if _geodesic_km(end, path[0]) < 1.0:
        return [end, *path[1:]]
    return [end, *path]


def _at_sea(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Return True if the geodesic a-b touches no land farther than 3 km from `a`."""
    pts, along = _samples([a, b])
    inner = [
        p for p, km in zip(pts, along, strict=False) if km > _PULL_PORT_KM and km < along[-1] - 0.5
    ]
    if not inner:
        return True
    _, tree = _land()
    hits = tree.query(shapely.points(inner), predicate="intersects")
    return hits.shape[1] == 0


def _densify(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Insert geodesic intermediate points so no segment is longer than the drawing rule."""
    geod = _geod()
    out = [coords[0]]
    for a, b in itertools.pairwise(coords):
        km = _geodesic_km(a, b)
        mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        step = _MAX_SEGMENT_CAUCASUS_KM if _enters_box([a, b, mid], _CAUCASUS_BOX) else None
        step = step or _MAX_SEGMENT_KM
        n = math.ceil(km / step) - 1
        if n > 0:
            out.extend(geod.npts(a[0], a[1], b[0], b[1], n))
        out.append(b)
    return out


def _samples(coords: list[tuple[float, float]]) -> tuple[list, list]:
    """Points every ~2 km along the lane (geodesic), with their distance from the start, km."""
    geod = _geod()
    pts: list[tuple[float, float]] = [coords[0]]
    along: list[float] = [0.0]
    for a, b in itertools.pairwise(coords):
        km = _geodesic_km(a, b)
        n = max(math.ceil(km / _LAND_SAMPLE_KM) - 1, 0)
        inner = geod.npts(a[0], a[1], b[0], b[1], n) if n else []
        base = along[-1]
        for i, p in enumerate(inner, start=1):
            pts.append(p)
            along.append(base + km * i / (n + 1))
        pts.append(b)
        along.append(base + km)
    return pts, along


def _land_runs(coords: list[tuple[float, float]]) -> dict[str, float]:
    """Longest run over each country's land in the lane's interior, km (runs > 12 km only)."""
    codes, tree = _land()
    pts, along = _samples(coords)
    total = along[-1]
    keep = [i for i, a in enumerate(along) if _LAND_END_KM < a < total - _LAND_END_KM]
    if not keep:
        return {}
    points = shapely.points([pts[i] for i in keep])
    hit_pt, hit_poly = tree.query(points, predicate="intersects")
    country_at: dict[int, str] = {}
    for p, g in zip(hit_pt.tolist(), hit_poly.tolist(), strict=False):
        country_at[p] = codes[g]
    runs: dict[str, float] = {}
    start: int | None = None
    for j in range(len(keep) + 1):
        here = country_at.get(j) if j < len(keep) else None
        prev = country_at.get(j - 1) if j > 0 else None
        if here != prev and prev is not None and start is not None:
            km = along[keep[j - 1]] - along[keep[start]] + _LAND_SAMPLE_KM
            runs[prev] = max(runs.get(prev, 0.0), km)
        if here != prev:
            start = j
    return {c: km for c, km in runs.items() if km > _LAND_MAX_RUN_KM}


@lru_cache(maxsize=1)
def _land() -> tuple[list[str], Any]:
    """Country land polygons of the bundled basemap (``data/geo/countries.geojson``).

    Returns the ``ADM0_A3`` codes and an STRtree of the polygons, in the same order.
    """
    import geopandas as gpd

    # bundled_path finds it both in a checkout and inside an installed wheel
    basemap = bundled_path("geo/countries.geojson")
    if basemap is None:
        raise SeaRouteError(
            "no country polygons: the bundled data/geo/countries.geojson is missing; "
            "reinstall corridors"
        )
    df = gpd.read_file(basemap)
    df = df[["ADM0_A3", "geometry"]].dropna()
    return df["ADM0_A3"].astype(str).tolist(), shapely.STRtree(df.geometry.values)


def add_sea_link(
    net: Network,
    a: str,
    b: str,
    *,
    mode: str = "sea",
    link_id: str | None = None,
    tags: Iterable[str] = (),
    avoid_passages: Iterable[str] = (),
    allow_passages: Iterable[str] = (),
    allow_countries: Iterable[str] | None = None,
    speed_kmh: float | None = None,
    wait_h: float | None = None,
    max_snap_km: float = 80.0,
) -> Network:
    """Return a copy of ``net`` with a sea or ferry link between two of its places.

    The lane comes from :func:`sea_leg` between the places' coordinates; its length is the
    geodesic length of the lane (``length_source: geodesic``) and its source is searoute.

    Parameters
    ----------
    net
        The network (a :class:`corridors.Network`).
    a, b
        Places (ids, names or aliases) — ports, usually.
    mode
        ``"sea"`` or ``"ferry"``.
    link_id
        Id of the new link; ``<mode>_<a>_<b>`` by default.
    tags
        Tags of the link (``"black_sea"``, ``"caspian"``…).
    avoid_passages, allow_passages, allow_countries, speed_kmh, max_snap_km
        As for :func:`sea_leg`; ``allow_countries`` defaults to the countries of ``a`` and ``b``.
    wait_h
        Mean wait for a departure, h (ferries); the settings' default when ``None``.

    Returns
    -------
    corridors.Network
        A new network; ``net`` is unchanged.

    Raises
    ------
    SeaRouteError
        When no safe lane exists (see :func:`sea_leg`).
    UsageError
        For an unknown place, a bad mode or an id already taken.
    """
    from .errors import UsageError

    if mode not in ("sea", "ferry"):
        raise UsageError(f"mode must be 'sea' or 'ferry', not {mode!r}")
    u, v = net.resolve(a), net.resolve(b)
    if u == v:
        raise UsageError(f"a sea link needs two different places, not {u!r} twice")
    link_id = link_id or f"{mode}_{u}_{v}"
    if link_id in net.link_records:
        raise UsageError(f"link id {link_id!r} is already taken; pass link_id=")
    nodes, links = net.copy_records()
    pu, pv = nodes[u], nodes[v]
    if allow_countries is None:
        allow_countries = [c for c in (pu.get("country"), pv.get("country")) if c]
    leg = sea_leg(
        (pu["lon"], pu["lat"]),
        (pv["lon"], pv["lat"]),
        avoid_passages=avoid_passages,
        allow_passages=allow_passages,
        allow_countries=allow_countries,
        speed_kmh=speed_kmh,
        max_snap_km=max_snap_km,
    )
    coords = [(float(x), float(y)) for x, y in leg.geometry.coords]
    record: dict[str, Any] = {
        "id": link_id,
        "u": u,
        "v": v,
        "mode": mode,
        "country": None,
        "length_km": round(leg.distance_km, 1),
        "length_source": "geodesic",
        "speed_kmh": leg.speed_kmh,
        "speed_source": "assumption: default sea speed of corridors.sea",
        "status": [{"status": "open", "from": None, "source": "added with add_sea_link"}],
        "tags": list(tags),
        "source": "searoute (Eurostat MARNET maritime network), added with add_sea_link",
        "coords": coords,
        "geodesic_km": leg.distance_km,
    }
    if wait_h is not None:
        record.update(wait_h=float(wait_h), wait_source="given to add_sea_link")
    links[link_id] = record
    return net.replace(node_records=nodes, link_records=links)

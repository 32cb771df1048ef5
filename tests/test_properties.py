"""Properties that must hold for any query (hypothesis)."""

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corridors as cr
from corridors.routing import WEIGHTS
from corridors.schema import WATER_MODES

PLACES = [
    "a_city",
    "a_port",
    "b_border",
    "g_city",
    "g_gauge",
    "t_border",
    "t_city",
    "r_city",
    "k_port",
    "r_border",
]
COUNTRIES = ["AZE", "GEO", "TUR", "RUS", "KAZ"]
DATES = ["1990-01-01", "2021-01-01", "2023-06-01", "2030-06-01"]
common = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

PLACE_COUNTRY = {
    "a_city": "AZE",
    "a_port": "AZE",
    "b_border": "AZE GEO",
    "g_city": "GEO",
    "g_gauge": "GEO",
    "t_border": "GEO TUR",
    "t_city": "TUR",
    "r_city": "RUS",
    "k_port": "KAZ",
    "r_border": "AZE RUS",
}


def _valid(q):
    """Drop avoided countries the origin or destination lies in (that is a usage error)."""
    ends = {c for place in q["od"] for c in PLACE_COUNTRY[place].split()}
    return dict(q, avoid=[c for c in q["avoid"] if c not in ends])


queries = st.fixed_dictionaries(
    {
        "od": st.lists(st.sampled_from(PLACES), min_size=2, max_size=2, unique=True),
        "weight": st.sampled_from(list(WEIGHTS)),
        "as_of": st.sampled_from(DATES),
        "avoid": st.lists(st.sampled_from(COUNTRIES), max_size=2, unique=True),
        "modes": st.one_of(
            st.none(), st.lists(st.sampled_from(["rail", "road", "ferry"]), min_size=1, unique=True)
        ),
    }
).map(_valid)


def _refused(net, q, exc):
    """Check a refusal is justified: it names a constraint; without constraints there is a route.

    Every query the strategies draw is valid (places exist, codes are known), so a UsageError is a
    failure; the toy network connects every pair on every date, so an unconstrained query that
    comes back without a route means the code stopped answering (issue 9.12).
    """
    if not isinstance(exc, cr.NoRouteError):
        raise exc
    assert q["avoid"] or q["modes"], f"an unconstrained query was refused: {exc}"
    assert "avoiding" in str(exc) or "modes" in str(exc), str(exc)
    _route(net, dict(q, avoid=[], modes=None))  # must answer


def _route(net, q, **extra):
    o, d = q["od"]
    return cr.route(
        net,
        o,
        d,
        weight=q["weight"],
        as_of=q["as_of"],
        avoid_countries=q["avoid"],
        modes=q["modes"],
        **extra,
    )


@common
@given(q=queries)
def test_route_never_enters_an_avoided_country(toy_net, q):
    try:
        r = _route(toy_net, q)
    except cr.CorridorsError as exc:
        _refused(toy_net, q, exc)
        return
    assert not set(r.countries) & set(q["avoid"])
    assert all(leg.country not in q["avoid"] for leg in r.legs)


@common
@given(q=queries)
def test_totals_are_sums_and_optimal(toy_net, q):
    """The route's total equals the shortest path NetworkX finds on the same routing graph."""
    try:
        r = _route(toy_net, q)
    except cr.CorridorsError as exc:
        _refused(toy_net, q, exc)
        return
    parts = {
        "distance": sum(leg.distance_km for leg in r.legs),
        "time": sum(leg.time_h for leg in r.legs)
        + sum(t.hours for t in r.transfers)
        + sum(b.hours for b in r.border_crossings)
        + sum(d.hours for d in r.dwells),
        "cost": sum(leg.cost_usd for leg in r.legs)
        + sum(t.cost_usd for t in r.transfers)
        + sum(b.cost_usd for b in r.border_crossings),
        "co2": sum(leg.co2_kg for leg in r.legs) + sum(t.co2_kg for t in r.transfers),
    }
    for w, total in parts.items():
        assert r.total(w) == pytest.approx(total)
    if q["avoid"] or q["modes"]:
        return
    net = toy_net.at(q["as_of"])
    rg = cr.routing_graph(net)
    g = rg.to_networkx()
    # a trip starts and ends on the service it travels by: no change of gauge or mode there
    g.remove_edges_from(
        [
            (u, v, key)
            for u, v, key, data in g.edges(keys=True, data=True)
            if data.get("kind") == "change" and data.get("transfer") and data.get("at") in q["od"]
        ]
    )
    # terminal dwell is paid where the trip starts and ends: its hours (time), or their value
    # at the settings' value of time (generalized)
    per_hour = {"time": 1.0, "generalized": cr.settings.value_of_time_usd_per_teu_h}
    dwell = dict(zip(rg.nodes, rg.dwell_h * per_hour.get(q["weight"], 0.0), strict=True))
    o, d = q["od"]
    quantity = WEIGHTS[q["weight"]]
    g.add_edges_from(
        [
            (("src",), n, {quantity: dwell.get(n, 0.0)})
            for n in list(g)
            if n[0] == o and (n[1] not in WATER_MODES or n[2] == net.node_records[o]["country"])
        ]
    )
    g.add_edges_from([(n, ("dst",), {quantity: dwell.get(n, 0.0)}) for n in list(g) if n[0] == d])
    expected = nx.shortest_path_length(
        g, ("src",), ("dst",), weight=lambda u, v, data: min(e[quantity] for e in data.values())
    )
    assert r.total(q["weight"]) == pytest.approx(expected, abs=1e-6)


@common
@given(q=queries, extra=st.sampled_from(COUNTRIES))
def test_a_constraint_never_makes_the_best_route_cheaper(toy_net, q, extra):
    try:
        free = _route(toy_net, q)
    except cr.CorridorsError as exc:
        _refused(toy_net, q, exc)
        return
    tighter = _valid(dict(q, avoid=sorted(set(q["avoid"]) | {extra})))
    try:
        constrained = _route(toy_net, tighter)
    except cr.CorridorsError as exc:
        _refused(toy_net, tighter, exc)
        return
    assert constrained.total(q["weight"]) >= free.total(q["weight"]) - 1e-9


@common
@given(q=queries, k=st.integers(min_value=1, max_value=4))
def test_alternatives_are_distinct_and_sorted(toy_net, q, k):
    o, d = q["od"]
    try:
        alts = cr.alternatives(
            toy_net,
            o,
            d,
            k=k,
            weight=q["weight"],
            as_of=q["as_of"],
            avoid_countries=q["avoid"],
            modes=q["modes"],
        )
    except cr.CorridorsError as exc:
        _refused(toy_net, q, exc)
        return
    assert 1 <= len(alts) <= k
    assert len({tuple(a.links) for a in alts}) == len(alts)
    totals = [a.total(q["weight"]) for a in alts]
    assert totals == sorted(totals)
    assert totals[0] == pytest.approx(_route(toy_net, q).total(q["weight"]))


BUNDLED_PLACES = [
    "xian",
    "urumqi",
    "almaty",
    "tashkent",
    "aktau",
    "baku",
    "tbilisi",
    "yerevan",
    "kars",
    "istanbul",
    "tehran",
    "moscow",
    "warsaw",
    "duisburg",
    "rotterdam",
    "shanghai",
    "nakhchivan",
    "poti",
    "constanta",
]
BUNDLED_COUNTRIES = ["RUS", "BLR", "IRN", "GEO", "TUR", "KAZ", "AZE", "ARM", "EGY"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    od=st.lists(st.sampled_from(BUNDLED_PLACES), min_size=2, max_size=2, unique=True),
    avoid=st.lists(st.sampled_from(BUNDLED_COUNTRIES), max_size=3, unique=True),
    weight=st.sampled_from(list(WEIGHTS)),
    as_of=st.sampled_from(["2015-01-01", "2023-06-01", "2026-11-26", "2030-06-01"]),
)
def test_bundled_routes_respect_avoided_countries_and_add_up(bundled, od, avoid, weight, as_of):
    ends = {bundled.node_records[p]["country"] for p in od}
    avoid = [c for c in avoid if c not in ends]  # avoiding an end's own country is a usage error
    try:
        r = cr.route(bundled, od[0], od[1], avoid_countries=avoid, weight=weight, as_of=as_of)
    except cr.NoRouteError as exc:
        # every bundled place is connected to every other on these dates: a refusal must name
        # what blocks it, a country to avoid or an embargo (Armenia-Azerbaijan)
        assert "avoiding" in str(exc) or "embargo" in str(exc), str(exc)
        return
    assert not set(r.countries) & set(avoid)
    assert r.nodes[0] == od[0] and r.nodes[-1] == od[1]
    # consecutive legs join up, and each leg's link exists and is open on the date
    net = bundled.at(as_of)
    for a, b in zip(r.legs, r.legs[1:], strict=False):
        assert a.to_node == b.from_node
    assert all(leg.link in net.usable_links for leg in r.legs)
    total = {"distance": r.distance_km, "time": r.time_h, "cost": r.cost_usd, "co2": r.co2_kg}
    factors = cr.settings  # generalized: cost + value of time + carbon price + premiums paid
    total["generalized"] = (
        r.cost_usd
        + factors.value_of_time_usd_per_teu_h * r.time_h
        + factors.carbon_price_usd_per_t * r.co2_kg / 1000
        + sum(factors.risk_premium_usd.get(leg.link, 0.0) for leg in r.legs)
        + sum(factors.risk_premium_usd.get(b.to_country, 0.0) for b in r.border_crossings)
    )
    assert r.total(weight) == pytest.approx(total[weight])

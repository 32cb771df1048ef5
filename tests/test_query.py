"""The query object (issue 10): one frozen, hashable value for what a route is asked for."""

from __future__ import annotations

import datetime as dt

import pytest

import corridors as cr
from corridors import routing


def test_query_is_frozen_hashable_and_normalised():
    q = cr.Query.of(modes="rail", avoid_countries=["RUS", "BLR"], as_of="2024-06-01")
    assert q == cr.Query.of(
        modes=("rail",), avoid_countries=("RUS", "BLR"), as_of=dt.date(2024, 6, 1)
    )
    assert (
        len({q, cr.Query.of(modes=["rail"], avoid_countries=("RUS", "BLR"), as_of="2024-06-01")})
        == 1
    )
    with pytest.raises(AttributeError):
        q.modes = ("road",)  # type: ignore[misc]
    with pytest.raises(cr.UsageError, match="unknown query field"):
        cr.Query.of(avoid_country=["RUS"])


def test_narrowing_keeps_modes_both_allow_and_joins_what_to_avoid():
    family = cr.Query.of(modes=["rail", "ferry"], avoid_countries=["RUS"], through_tags=["caspian"])
    asked = family.narrowed(modes=["rail", "road"], avoid_countries=["IRN"], weight="cost")
    assert asked.modes == ("rail",)
    assert asked.avoid_countries == ("RUS", "IRN")
    assert asked.through_tags == ("caspian",) and asked.weight == "cost"
    assert family.narrowed().modes == ("rail", "ferry")  # nothing asked: nothing changes


def test_a_query_routes_as_the_keywords_do(toy_net):
    q = cr.Query.of(modes=["rail"], weight="distance")
    by_query = routing.route(toy_net, "a_city", "t_city", q)
    by_keywords = cr.route(toy_net, "a_city", "t_city", modes=["rail"], weight="distance")
    assert by_query.links == by_keywords.links
    assert by_query.distance_km == pytest.approx(by_keywords.distance_km)

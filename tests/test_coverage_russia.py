"""Russian rail lines to the Caspian: Moscow-Volgograd-Astrakhan, and St Petersburg."""

from __future__ import annotations

import pytest

import corridors as cr


@pytest.fixture(scope="module")
def net():
    return cr.load_network(as_of="2026-11-29")


def test_moscow_to_astrakhan_by_rail_stays_in_russia(net):
    found = cr.route(net, "moscow", "astrakhan", modes=["rail"])
    assert found.countries == ["RUS"]
    assert found.links[-2:] == ["rail_likhaya_volgograd", "rail_volgograd_astrakhan"]
    # Astrakhan I is 1,529 km from Moscow by the shorter Saratov line, which the data lacks;
    # via Likhaya it is longer, but not by more than a third
    assert 1529 < found.distance_km < 1529 * 4 / 3


def test_volgograd_astrakhan_is_the_sum_of_its_station_distances(net):
    # Verkhny Baskunchak: 194 km from Volgograd, 246 km from Astrakhan
    assert net.link_records["rail_volgograd_astrakhan"]["length_km"] == 194 + 246


def test_st_petersburg_resolves_and_is_649_7_km_from_moscow_by_rail(net):
    assert net.places.resolve("Saint Petersburg") == "st_petersburg"
    assert net.places.resolve("Санкт-Петербург") == "st_petersburg"
    found = cr.route(net, "moscow", "St Petersburg", modes=["rail"], weight="distance")
    assert found.distance_km == pytest.approx(649.7)

"""add_sea_link: a sea or ferry link added to a network from searoute, safely."""

import pytest

import corridors as cr


def test_add_ferry_link_and_route_over_it(bundled):
    net = cr.add_sea_link(
        bundled,
        "poti",
        "constanta",
        mode="ferry",
        link_id="ferry_test",
        tags=["black_sea"],
        wait_h=12,
    )
    assert "ferry_test" not in bundled.link_records  # the original is unchanged
    link = net.link_records["ferry_test"]
    assert link["coords"][0] == pytest.approx(
        (net.node_records["poti"]["lon"], net.node_records["poti"]["lat"])
    )
    # Poti-Constanta is about 1,100 km by sea (~600 nm); the lane must not be a straight line
    assert 950 < link["length_km"] < 1250
    r = cr.route(net, "poti", "constanta", modes=["ferry"], avoid_links=["ferry_poti_constanta"])
    assert r.links == ["ferry_test"]
    assert r.legs[0].time_h == pytest.approx(link["length_km"] / link["speed_kmh"] + 12)


def test_add_sea_link_refuses_inland_places_and_taken_ids(bundled):
    with pytest.raises(cr.SeaRouteError, match="inland"):
        cr.add_sea_link(bundled, "almaty", "aktau")
    with pytest.raises(cr.UsageError, match="already taken"):
        cr.add_sea_link(bundled, "poti", "constanta", mode="ferry", link_id="ferry_poti_constanta")
    with pytest.raises(cr.UsageError, match="mode must be"):
        cr.add_sea_link(bundled, "poti", "constanta", mode="rail")


def test_caspian_to_black_sea_needs_russia(bundled):
    with pytest.raises(cr.SeaRouteError, match="RUS"):
        cr.add_sea_link(bundled, "aktau", "constanta")

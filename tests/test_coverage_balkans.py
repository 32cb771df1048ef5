"""Romania–Bulgaria by rail: the Danube Bridge at Giurgiu–Ruse and the lines to it."""

from __future__ import annotations

import pytest

import corridors as cr


@pytest.mark.parametrize(
    ("day", "line"),
    [
        # the direct line 902 until its Argeș bridge at Grădiștea fell (13 Aug 2005)
        ("2005-08-12", "rail_bucharest_giurgiu_ruse"),
        # the detour via Videle since
        ("2005-08-13", "rail_bucharest_videle_giurgiu_ruse"),
        ("2026-11-29", "rail_bucharest_videle_giurgiu_ruse"),
    ],
)
def test_bucharest_to_istanbul_crosses_the_danube_at_giurgiu_ruse(day, line):
    found = cr.route(cr.load_network(as_of=day), "bucharest", "stara_zagora", modes=["rail"])
    links = [leg.link for leg in found.legs]
    assert links[0] == line
    assert found.countries == ["ROU", "BGR"]
    assert [b.at for b in found.border_crossings] == ["giurgiu_ruse"]


def test_the_detour_via_videle_is_the_longer_way():
    records = cr.load_network(as_of="2026-11-29").link_records
    direct = records["rail_bucharest_giurgiu_ruse"]["length_km"]
    detour = records["rail_bucharest_videle_giurgiu_ruse"]["length_km"]
    # published: 67 km direct; the detour roughly doubles it (business24.ro, 2019)
    assert direct == 67.0
    assert 1.6 * direct < detour < 2.2 * direct


def test_before_the_bridge_opened_trains_went_round_through_serbia():
    # the Giurgiu-Ruse bridge opened on 20 June 1954, the only ROU-BGR rail link in the dataset
    before = cr.route(
        cr.load_network(as_of="1954-06-19"), "bucharest", "stara_zagora", modes=["rail"]
    )
    after = cr.route(
        cr.load_network(as_of="1954-06-20"), "bucharest", "stara_zagora", modes=["rail"]
    )
    assert "SRB" in before.countries
    assert after.countries == ["ROU", "BGR"]
    assert after.distance_km < before.distance_km / 2

"""The world as of dated events (issue 11): states published by operators and ministries."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import corridors as cr
from corridors.cli import cli


@pytest.fixture(scope="module")
def net() -> cr.Network:
    return cr.load_network(as_of="2026-11-29")


def test_baku_yerevan_by_rail_after_the_2025_lifting_runs_via_georgia(net):
    # Azerbaijan lifted its ban on cargo to Armenia on 21 Oct 2025; Kazakh grain went by rail
    # through Azerbaijan and Georgia in Nov 2025 (the direct border stays closed)
    r = cr.route(net, "baku", "yerevan", modes=["rail"], as_of="2026-11-29")
    assert r.countries == ["AZE", "GEO", "ARM"]


def test_baku_yerevan_by_rail_in_2024_is_refused_by_the_ban_naming_it(net):
    with pytest.raises(cr.NoRouteError, match="embargo aze_to_arm"):
        cr.route(net, "baku", "yerevan", modes=["rail"], as_of="2024-06-01")
    # Kazakh goods for Armenia could not transit Azerbaijan either: a third-country origin
    with pytest.raises(cr.NoRouteError, match="aze_transit_arm") as caught:
        cr.route(
            net,
            "aktau",
            "yerevan",
            as_of="2024-06-01",
            avoid_countries=["IRN", "RUS"],
            modes=["rail", "ferry"],
        )
    assert "goods bound for ARM may not pass through AZE" in str(caught.value)


def test_transit_ban_keeps_goods_for_armenia_out_of_azerbaijan_in_2023(net):
    r = cr.route(net, "almaty", "yerevan", as_of="2023-06-01")
    assert "AZE" not in r.countries
    free = cr.route(net, "almaty", "yerevan", as_of="2023-06-01", embargoes=False)
    assert r.time_h >= free.time_h  # a constraint never makes the answer better


def test_sea_goes_round_the_cape_in_2024_and_through_suez_in_2021(net):
    cape = cr.route(net, "shanghai", "rotterdam", modes=["sea"], as_of="2024-06-01")
    suez = cr.route(net, "shanghai", "rotterdam", modes=["sea"], as_of="2021-06-01")
    assert "EGY" not in cape.countries and "cape" in cape.tags
    assert "EGY" in suez.countries and "suez" in suez.tags
    # via the Cape ~13,800 nm, via Suez ~10,600 nm (BRIEF §4): the detour is ~5,900 km
    assert cape.distance_km - suez.distance_km == pytest.approx((13_800 - 10_600) * 1.852, rel=0.1)


def test_suez_blocked_by_the_ever_given_for_six_days_in_march_2021(net):
    blocked = cr.route(net, "shanghai", "rotterdam", modes=["sea"], as_of="2021-03-25")
    assert "EGY" not in blocked.countries
    after = cr.route(net, "shanghai", "rotterdam", modes=["sea"], as_of="2021-03-30")
    assert "EGY" in after.countries


def test_routes_through_iran_during_the_2026_war_are_refused_naming_the_event(net):
    with pytest.raises(cr.NoRouteError, match="iran_war_2026"):
        cr.route(net, "xian", "duisburg", through_countries=["IRN"], as_of="2026-03-15")
    with pytest.raises(cr.NoRouteError, match="iran_war_2026"):
        cr.route(net, "tabriz", "tehran", as_of="2026-03-15")
    # after the April ceasefire the Iranian network carries goods again
    assert "IRN" in cr.route(net, "tabriz", "tehran", as_of="2026-05-01").countries


def test_cli_names_the_ban_and_exits_1():
    result = CliRunner().invoke(
        cli, ["route", "baku", "yerevan", "--as-of", "2024-06-01", "--mode", "rail"]
    )
    assert result.exit_code == 1
    assert "aze_to_arm" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("typed", "place"),
    [
        ("Verkhny Lars", "verkhny_lars"),
        ("Sarpi", "sarpi"),
        ("Bazargan", "gurbulak"),
        ("Bandar Abbas", "bandar_abbas"),
        ("Mumbai", "nhava_sheva"),
        ("Anaklia", "anaklia"),
        ("Fuzuli", "fuzuli"),
    ],
)
def test_places_users_type_resolve(net, typed, place):
    assert net.resolve(typed) == place


@pytest.mark.parametrize(
    ("origin", "destination", "last"),
    [("yerevan", "tehran", "IRN"), ("istanbul", "tehran", "IRN"), ("tashkent", "istanbul", "TUR")],
)
def test_road_routes_users_ask_for_exist(net, origin, destination, last):
    r = cr.route(net, origin, destination, modes=["road"])
    assert r.countries[-1] == last and r.modes == ["road"]

"""The inland-waterway mode (issue 11): Danube container barges from Constanța."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

import corridors as cr
from corridors.cli import cli
from corridors.schema import MODES, WATER_MODES

UP, DOWN = "river_constanta_budapest", "river_budapest_constanta"


@pytest.fixture(scope="module")
def net() -> cr.Network:
    return cr.load_network(as_of="2024-06-01")


def test_river_is_a_water_mode_with_every_default_sourced():
    assert "river" in MODES and "river" in WATER_MODES
    for key in ("speed_kmh", "cost_usd_per_teu_km", "co2_kg_per_teu_km", "wait_h", "dwell_hours"):
        assert f"{key}.river" in cr.settings.factors()
        assert cr.settings.sources[f"{key}.river"]
    assert cr.settings.sources["feu_factor.river"].startswith("assumption")


def test_lane_length_is_the_danube_kilometres_plus_the_canal(net):
    link = net.usable_links[UP]
    # Danube-Black Sea Canal 64.4 km to Cernavoda (Danube km 300.0), Budapest at about km 1647
    assert link["length_km"] == pytest.approx(64.4 + 1647 - 300.0)
    assert "64.4 + 1647 - 300 = 1411.4 km" in link["length_source"]


@pytest.mark.parametrize(
    ("origin", "destination", "days"),
    [("constanta", "budapest", 11.5), ("budapest", "constanta", 8.0)],
)
def test_barge_time_is_helo1s_published_days_plus_half_a_week(net, origin, destination, days):
    found = cr.route(net, origin, destination, modes=["river"])
    (leg,) = found.legs
    # HELO1 (2010-2011): 11.5 days upstream, 8 downstream; weekly sailings: 84 h mean wait
    assert leg.wait_h == pytest.approx(168 / 2)
    assert leg.time_h - leg.wait_h == pytest.approx(days * 24, rel=0.002)
    assert found.transfers == []
    assert sorted(found.countries) == ["HUN", "ROU"]


def test_lanes_run_one_way_each_at_its_own_speed(net):
    up, down = net.usable_links[UP], net.usable_links[DOWN]
    assert up["oneway"] and down["oneway"]
    assert (up["u"], up["v"]) == (down["v"], down["u"])
    assert down["speed_kmh"] > up["speed_kmh"]  # the current helps the barge down
    # the networkx graph follows them: no edge against the lane's direction
    graph = net.graph
    assert graph.has_edge("constanta", "budapest", key=UP)
    assert not graph.has_edge("budapest", "constanta", key=UP)


def test_the_lanes_open_with_the_first_liner_sailing():
    assert cr.load_network(as_of="2010-08-12").link_status(UP) is None
    assert cr.load_network(as_of="2010-08-13").link_status(UP) == "open"
    with pytest.raises(cr.NoRouteError, match="modes river"):
        cr.route(cr.load_network(as_of="2009-06-01"), "constanta", "budapest", modes=["river"])


def test_a_box_from_the_sea_can_go_on_up_the_danube(net):
    found = cr.route(net, "shanghai", "budapest", modes=["sea", "river"])
    assert [leg.mode for leg in found.legs][-1] == "river"
    # sea to river at Constanța is a change of ship in port: a port transfer, priced as one
    (transfer,) = found.transfers
    assert (transfer.at, transfer.to_service) == ("constanta", "river")
    assert transfer.hours == cr.settings.transfer_hours["port"]


def test_cli_takes_river_as_a_mode():
    result = CliRunner().invoke(
        cli, ["route", "constanta", "budapest", "-m", "river", "--as-of", "2024-06-01"]
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"constanta\s+budapest\s+river", result.output)

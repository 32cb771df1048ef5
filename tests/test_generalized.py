"""The generalized weight (issue 14): cost + value of time + carbon price + war-risk premiums."""

from __future__ import annotations

import json

import numpy as np
import pytest
import toy
from click.testing import CliRunner

import corridors as cr
from corridors import routing
from corridors.cli import cli
from corridors.settings import settings

RAIL = toy.RAIL_ROUTE


def km(links):
    return sum(toy.link_length_km(i) for i in links)


def hours(links):
    return sum(toy.link_length_km(i) / toy.LINKS[i][5] for i in links)


def _factors(**changes):
    s = settings.copy()
    for key, value in changes.items():
        setattr(s, key, value)
    return s


def test_generalized_cost_of_the_rail_route_by_hand(toy_net):
    premiums = {"GEO": 500.0, "rail_g_city_g_gauge": 70.0, "RUS": 9.0}
    s = _factors(value_of_time_usd_per_teu_h=10.0, carbon_price_usd_per_t=100.0)
    s.risk_premium_usd = premiums
    r = routing.route(toy_net, "a_city", "t_city", factors=s, modes=["rail"], weight="generalized")
    assert r.links == RAIL
    # the parts, from the toy's lengths, speeds and node figures (as test_routing's hand route)
    time_h = hours(RAIL) + 8 + 5 + 6 + 2 * settings.dwell_hours["rail"]
    cost = settings.cost_usd_per_teu_km["rail"] * km(RAIL) + 100 + 40 + 30
    co2_kg = settings.co2_kg_per_teu_km["rail"] * km(RAIL) + settings.transfer_co2_kg["gauge"]
    # Georgia entered once (at Bravo), the Gamma-Gaugeton link passed once; Russia not entered
    expected = cost + 10.0 * time_h + 100.0 * co2_kg / 1000 + 500 + 70
    assert r.generalized_usd == pytest.approx(expected)
    assert r.total("generalized") == pytest.approx(expected)
    assert r.risk_usd == pytest.approx(570.0)
    # each premium is cited at the step that pays it: the crossing into GEO, then the link
    risks = r.sources().query("quantity == 'risk_premium_usd'")
    assert list(risks["item"]) == [
        "border AZE→GEO at b_border",
        "g_city→g_gauge (rail_g_city_g_gauge)",
    ]
    assert list(risks["value"]) == [500.0, 70.0]
    whole = r.sources().query("step == -1").set_index("quantity")["value"]
    assert whole.to_dict() == {"value_of_time_usd_per_teu_h": 10.0, "carbon_price_usd_per_t": 100.0}


def test_a_40ft_box_counts_two_teu_of_time_and_risk(toy_net):
    s = _factors(value_of_time_usd_per_teu_h=10.0, carbon_price_usd_per_t=0.0)
    s.risk_premium_usd = {"GEO": 500.0}
    kw = {"factors": s, "modes": ["rail"], "weight": "generalized"}
    teu = routing.route(toy_net, "a_city", "t_city", **kw)
    feu = routing.route(toy_net, "a_city", "t_city", box=40, **kw)
    assert feu.generalized.value_of_time_usd_per_h == 20.0
    assert feu.risk_usd == 1000.0
    assert feu.generalized_usd == pytest.approx(feu.cost_usd + 20.0 * feu.time_h + 1000.0)
    assert feu.time_h == pytest.approx(teu.time_h)


def test_the_search_minimises_the_generalized_total(toy_net):
    # the best route's generalized cost is no more than any other route's, priced alike
    s = _factors(value_of_time_usd_per_teu_h=5.0, carbon_price_usd_per_t=200.0)
    found = routing.alternatives(toy_net, "a_port", "t_city", k=4, factors=s, weight="generalized")
    totals = [r.generalized_usd for r in found]
    assert totals == sorted(totals)
    for w in ("time", "cost", "co2"):
        other = routing.route(toy_net, "a_port", "t_city", factors=s, weight=w)
        assert totals[0] <= other.generalized_usd + 1e-6


def test_value_of_time_trades_money_for_hours(toy_net):
    # at 0 USD/h the generalized route is the cheapest (no carbon price); at a high value of
    # time it is the fastest
    free = _factors(value_of_time_usd_per_teu_h=0.0, carbon_price_usd_per_t=0.0)
    free.risk_premium_usd = {}
    dear = _factors(value_of_time_usd_per_teu_h=1e6, carbon_price_usd_per_t=0.0)
    dear.risk_premium_usd = {}
    for factors, weight in ((free, "cost"), (dear, "time")):
        g = routing.route(toy_net, "a_city", "t_city", factors=factors, weight="generalized")
        assert g.links == routing.route(toy_net, "a_city", "t_city", weight=weight).links


@pytest.mark.parametrize(
    ("origin", "destination"), [("baku", "tbilisi"), ("yerevan", "tbilisi"), ("almaty", "baku")]
)
def test_a_higher_carbon_price_never_raises_emissions(bundled, origin, destination):
    net = bundled.at("2026-11-26")
    co2, road_km = [], []
    for price in (0.0, 100.0, 300.0, 3000.0):
        s = _factors(carbon_price_usd_per_t=price)
        r = routing.route(net, origin, destination, factors=s, weight="generalized")
        co2.append(r.co2_kg)
        road_km.append(sum(leg.distance_km for leg in r.legs if leg.mode == "road"))
    assert co2 == sorted(co2, reverse=True)
    assert co2[-1] < co2[0]  # and it does shift: toward rail or the ferry
    assert road_km == sorted(road_km, reverse=True)


def test_a_carbon_price_moves_yerevan_tbilisi_off_the_road(bundled):
    net = bundled.at("2026-11-26")
    free = _factors(carbon_price_usd_per_t=0.0)
    no_price = routing.route(net, "yerevan", "tbilisi", factors=free, weight="generalized")
    priced = routing.route(
        net,
        "yerevan",
        "tbilisi",
        factors=_factors(carbon_price_usd_per_t=300.0),
        weight="generalized",
    )
    assert no_price.modes == ["road"] and priced.modes == ["rail"]


def test_a_country_premium_steers_around_it(bundled):
    net = bundled.at("2026-11-26")
    through = cr.route(net, "xian", "duisburg", weight="generalized")
    assert "RUS" in through.countries and through.risk_usd == 0
    s = settings.copy()
    s.risk_premium_usd = {**s.risk_premium_usd, "RUS": 5000.0}
    around = routing.route(net, "xian", "duisburg", factors=s, weight="generalized")
    assert "RUS" not in around.countries
    # and paying it would have cost more than going around
    assert through.generalized_usd + 5000.0 > around.generalized_usd


def test_red_sea_premium_is_paid_once_per_transit(bundled):
    net = bundled.at("2023-06-01")  # before the Red Sea closure
    r = cr.route(net, "shanghai", "rotterdam", modes=["sea"], weight="generalized")
    assert "sea_bab_el_mandeb_suez" in r.links
    assert r.risk_usd == settings.risk_premium_usd["sea_bab_el_mandeb_suez"]


def test_reprice_keeps_the_generalized_weight_in_step(toy_net):
    priced = cr.price(toy_net)
    crossings = priced.part_edges["border_h"]
    slow = cr.reprice(priced, border_h=priced.parts["border_h"] + crossings)
    added = slow.quantities["generalized_usd"] - priced.quantities["generalized_usd"]
    assert np.allclose(added[crossings], priced.value_of_time_usd_per_h)
    assert np.allclose(added[~crossings], 0.0)


def test_scenario_factors_set_any_premium(tmp_path, bundled):
    path = tmp_path / "war.toml"
    path.write_text(
        'name = "war"\nweight = "generalized"\n[factors]\n"risk_premium_usd.RUS" = 5000\n'
        '"carbon_price_usd_per_t" = 100\n',
        encoding="utf-8",
    )
    scenario = cr.load_scenario(path, net=bundled)
    assert scenario.settings().risk_premium_usd["RUS"] == 5000.0
    r = cr.route(bundled.at("2026-11-26"), "xian", "duisburg", scenario=scenario)
    assert r.weight == "generalized" and "RUS" not in r.countries
    assert r.generalized.carbon_price_usd_per_t == 100.0
    cited = r.sources().query("step == -1 and quantity == 'carbon_price_usd_per_t'")["source"]
    assert "scenario war" in cited.iloc[0]
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\n[factors]\n"risk_premium_usd.Not A Key" = 1\n', encoding="utf-8")
    with pytest.raises(cr.ScenarioError, match="unknown factor"):
        cr.load_scenario(bad, net=bundled)


def test_every_generalized_factor_is_sourced():
    keys = ["value_of_time_usd_per_teu_h", "carbon_price_usd_per_t"]
    keys += [f"risk_premium_usd.{k}" for k in settings.risk_premium_usd]
    for key in keys:
        assert "http" in settings.sources[key], key
    # the value of time is the cited USD 80 per TEU-day over 24 h
    assert settings.value_of_time_usd_per_teu_h == pytest.approx(80 / 24)


def test_cli_route_and_compare_with_generalized(tmp_path):
    runner = CliRunner()
    shown = runner.invoke(cli, ["route", "baku", "istanbul", "-w", "generalized"])
    assert shown.exit_code == 0, shown.output
    assert "generalized USD" in shown.output and "minimising generalized" in shown.output
    as_json = runner.invoke(cli, ["route", "baku", "istanbul", "-w", "generalized", "--json"])
    data = json.loads(as_json.output)
    route = data["routes"][0] if "routes" in data else data
    assert route["generalized_usd"] > route["cost_usd"]
    out = tmp_path / "out"
    args = ["compare", "2026-today", "--od", "baku:istanbul", "-w", "generalized", "--no-maps"]
    done = runner.invoke(cli, [*args, "--out", str(out)])
    assert done.exit_code == 0, done.output
    import pandas as pd

    table = pd.read_csv(out / "comparison.csv")
    assert "generalized_usd" in table.columns
    assert table.loc[0, "generalized_usd"] == pytest.approx(route["generalized_usd"], abs=1)
    wrong = runner.invoke(cli, ["route", "baku", "istanbul", "-w", "generalised"])
    assert wrong.exit_code == 2


def test_api_compare_takes_the_weight(bundled):
    table = cr.compare(["2026-today"], od=[("baku", "istanbul")], net=bundled, weight="generalized")
    by_cost = cr.compare(["2026-today"], od=[("baku", "istanbul")], net=bundled, weight="cost")
    assert table.loc[0, "generalized_usd"] <= by_cost.loc[0, "generalized_usd"]
    with pytest.raises(cr.UsageError, match="unknown weight"):
        cr.compare(["2026-today"], od=[("baku", "istanbul")], net=bundled, weight="speed")

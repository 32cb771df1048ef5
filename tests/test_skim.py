"""cr.skim: many-to-many figures that are cr.route's, pair by pair, without a loop of routes."""

from __future__ import annotations

import math
import random
import sys

import numpy as np
import pytest
import toy

import corridors as cr
from corridors.settings import settings

_skim_module = sys.modules["corridors.skim"]


def _route_or_reason(net, o, d, **keywords):
    try:
        return cr.route(net, o, d, **keywords)
    except (cr.NoRouteError, cr.UsageError) as exc:  # no route, or one place twice
        return str(exc)


def _assert_rows_are_routes(net, table, **keywords):
    """Every row holds cr.route's figures for its pair, or cr.route's reason for none."""
    for row in table.itertuples():
        found = _route_or_reason(net, row.origin, row.destination, **keywords)
        if isinstance(found, str):
            assert math.isnan(row.time_h) and math.isnan(row.total), (row.origin, row.destination)
            assert row.reason == found
            continue
        pair = (row.origin, row.destination)
        assert row.reason == "", pair
        assert row.time_h == pytest.approx(found.time_h, rel=1e-12), pair
        assert row.cost_usd == pytest.approx(found.cost_usd, rel=1e-12), pair
        assert row.distance_km == pytest.approx(found.distance_km, rel=1e-12), pair
        assert row.co2_kg == pytest.approx(found.co2_kg, rel=1e-12), pair
        assert row.total == pytest.approx(found.total(row.weight), rel=1e-12), pair
        assert row.countries == "-".join(found.countries), pair
        assert row.borders == len(found.border_crossings), pair
        assert row.transfers == len(found.transfers), pair


@pytest.mark.parametrize("weight", ["time", "distance", "cost", "co2"])
def test_sample_of_pairs_equals_route(bundled, weight):
    places = sorted(bundled.usable_nodes)
    rng = random.Random(13)
    # neighbours (a trip of one link), the embargo, and walks that would change gauge or mode
    # at their destination on the way (navoi-tashkent, port_said-piraeus) besides a sample
    origins = ["xian", "yerevan", "baku", "hanover", "aktau", "navoi", "port_said"]
    destinations = ["duisburg", "khankendi", "kars", "beyneu", "tashkent", "piraeus"]
    origins += rng.sample(places, 7)
    destinations += rng.sample(places, 7)
    table = cr.skim(bundled, origins, destinations, weight=weight)
    assert len(table) == len(origins) * len(destinations)
    assert list(table.columns) == _skim_module.SKIM_COLUMNS
    # the sample has pairs with no route (the Armenia-Azerbaijan embargo among them)
    assert (table["reason"] != "").any() and (table["reason"] == "").any()
    _assert_rows_are_routes(bundled, table, weight=weight)


def test_constraints_and_scenario_equal_route(bundled):
    origins, destinations = ["xian", "almaty", "tashkent"], ["duisburg", "istanbul", "poti"]
    keywords = {"modes": ["rail", "ferry"], "avoid_countries": ["RUS", "BLR"]}
    table = cr.skim(bundled, origins, destinations, scenario="2022-sanctions", **keywords)
    assert not table["countries"].str.contains("RUS").any()
    _assert_rows_are_routes(bundled, table, scenario="2022-sanctions", **keywords)


def test_via_and_through_are_routed_as_route_does(bundled):
    table = cr.skim(bundled, ["xian"], ["duisburg", "istanbul"], through_countries=["GEO"])
    assert table["countries"].str.contains("GEO").all()
    _assert_rows_are_routes(bundled, table, through_countries=["GEO"])


def test_a_repriced_graph_is_skimmed_as_routed(bundled):
    priced = cr.price(bundled)
    crossing = np.asarray([bool(e.get("border")) for e in priced.edges])
    slow = cr.reprice(priced, border_h=priced.parts["border_h"] + 100.0 * crossing)  # +100 h
    origins, destinations = ["xian", "almaty"], ["duisburg", "istanbul"]
    before = cr.skim(bundled, origins, destinations, graph=priced)
    after = cr.skim(bundled, origins, destinations, graph=slow)
    for row, old in zip(after.itertuples(), before.itertuples(), strict=True):
        single = _skim_module.routing.route(bundled, row.origin, row.destination, graph=slow)
        assert row.time_h == pytest.approx(single.time_h, rel=1e-12)
        assert row.countries == "-".join(single.countries)
        # at least 100 h for each crossing of the new route, and never faster than before
        assert row.time_h >= 100.0 * row.borders and row.time_h > old.time_h


def test_routable_pairs_use_no_single_route(bundled, monkeypatch):
    calls = []
    single = _skim_module.routing.route
    monkeypatch.setattr(
        _skim_module.routing, "route", lambda *a, **k: calls.append(a) or single(*a, **k)
    )
    table = cr.skim(bundled, ["xian", "almaty", "urumqi"], ["duisburg", "istanbul", "baku"])
    assert (table["reason"] == "").all()
    assert calls == []  # one multi-source search, not a loop of cr.route


def test_rail_skim_by_hand_on_the_toy_network(toy_net):
    table = cr.skim(toy_net, ["a_city"], ["t_city"], modes=["rail"], weight="distance")
    row = table.iloc[0]
    km = sum(toy.link_length_km(i) for i in toy.RAIL_ROUTE)
    hours = sum(toy.link_length_km(i) / toy.LINKS[i][5] for i in toy.RAIL_ROUTE)
    assert row["distance_km"] == pytest.approx(km)
    # gauge change 8 h, borders 5 h and 6 h, rail dwell at both ends
    assert row["time_h"] == pytest.approx(hours + 8 + 5 + 6 + 2 * settings.dwell_hours["rail"])
    rail = settings.cost_usd_per_teu_km["rail"] * km
    assert row["cost_usd"] == pytest.approx(rail + 100 + 40 + 30)
    assert row["total"] == row["distance_km"]
    assert (row["countries"], row["borders"], row["transfers"]) == ("AZE-GEO-TUR", 2, 1)


def test_same_place_and_quantity_weight_names(bundled):
    table = cr.skim(bundled, ["baku", "Stepanakert"], ["alat", "baku"], weight="cost_usd")
    assert list(table["weight"].unique()) == ["cost"]
    same = table[(table.origin == "baku") & (table.destination == "baku")].iloc[0]
    assert math.isnan(same["cost_usd"]) and "same place" in same["reason"]
    assert table["origin"].tolist() == ["baku", "baku", "khankendi", "khankendi"]


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        ({"origins": ["nowhere_town"]}, "nowhere_town"),
        ({"origins": "xian"}, "lists of places"),
        ({"origins": []}, "at least one origin"),
        ({"weight": "speed"}, "unknown weight"),
        ({"modes": ["hover"]}, "unknown mode"),
    ],
)
def test_bad_input_is_one_usage_error(bundled, keywords, message):
    arguments = {"origins": ["xian"], "destinations": ["duisburg"], **keywords}
    with pytest.raises(cr.UsageError, match=message):
        cr.skim(bundled, arguments.pop("origins"), arguments.pop("destinations"), **arguments)


def _matrix(*args: str):
    from click.testing import CliRunner

    from corridors.cli import cli

    return CliRunner().invoke(cli, ["matrix", *args])


def test_matrix_command_writes_the_skim_and_a_heat_map(tmp_path, bundled):
    import pandas as pd
    from PIL import Image

    out = tmp_path / "sub" / "m.csv"
    result = _matrix(
        "--from", "xian,almaty,yerevan", "--to", "duisburg,baku", "--weight", "cost",
        "--as-of", "2026-11-26", "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "6 pairs, 5 with a route" in result.output
    written = pd.read_csv(out, keep_default_na=False)
    expected = cr.skim(bundled, ["xian", "almaty", "yerevan"], ["duisburg", "baku"], weight="cost")
    assert written["origin"].tolist() == expected["origin"].tolist()
    routed = expected["reason"] == ""
    assert written["cost_usd"][routed].astype(float).tolist() == pytest.approx(
        expected["cost_usd"][routed].tolist(), abs=1e-3
    )
    assert "embargo" in written["reason"][~routed].iloc[0]
    with Image.open(out.with_suffix(".png")) as picture:
        assert picture.size[0] > 200 and picture.size[1] > 150
    assert sorted(p.name for p in out.parent.iterdir()) == ["m.csv", "m.png"]  # no temp files


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--from", "xian", "--to", "nowhere_town", "--out", "m.csv"], 2, "nowhere_town"),
        (["--from", "xian", "--to", "duisburg", "--out", "m.txt"], 2, ".csv"),
        (["--from", "xian,", "--to", "duisburg", "--out", "m.csv"], 2, "separated by commas"),
        (["--from", "yerevan", "--to", "baku", "--out", "m.csv"], 1, "embargo"),
    ],
)
def test_matrix_command_errors_are_one_line(tmp_path, args, code, message):
    out = [str(tmp_path / a) if a.startswith("m.") else a for a in args]
    result = _matrix(*out)
    assert result.exit_code == code
    assert message in result.output and "Traceback" not in result.output
    assert not list(tmp_path.iterdir())  # nothing written

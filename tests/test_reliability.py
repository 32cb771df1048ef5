"""Reliability ranges (issue 12): the sampler against known distributions, shared draws,
determinism, and the published contrast of the Middle Corridor's spread with the Northern's."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner
from scipy import stats

import corridors as cr
from corridors.cli import cli
from corridors.reliability import (
    KINDS,
    Spread,
    Spreads,
    load_spreads,
    multipliers,
    route_ranges,
)

N = 200_000


def test_lognormal_multipliers_have_mean_one_the_cv_and_its_percentiles():
    cv = 0.45
    m = multipliers(Spread("lognormal", cv, "test"), N, np.random.default_rng(3))
    sigma = np.sqrt(np.log1p(cv**2))
    theory = stats.lognorm(s=sigma, scale=np.exp(-(sigma**2) / 2))
    # standard errors: mean cv/sqrt(N) ~ 0.001; percentiles well inside 1 %
    assert m.mean() == pytest.approx(1.0, abs=0.005)
    assert m.std() == pytest.approx(cv, rel=0.02)
    for q in (10, 50, 90):
        assert np.percentile(m, q) == pytest.approx(theory.ppf(q / 100), rel=0.01)


def test_exponential_and_normal_multipliers():
    rng = np.random.default_rng(4)
    e = multipliers(Spread("exponential", 1.0, "test"), N, rng)
    assert e.mean() == pytest.approx(1.0, abs=0.01)
    assert np.median(e) == pytest.approx(np.log(2), rel=0.02)  # the median of Exp(1)
    g = multipliers(Spread("normal", 0.05, "test"), N, rng)
    assert g.mean() == pytest.approx(1.0, abs=0.001) and g.std() == pytest.approx(0.05, rel=0.02)
    assert (multipliers(Spread("lognormal", 0.0, "t"), 5, rng) == 1).all()


@pytest.fixture(scope="module")
def families():
    net = cr.load_network(as_of="2026-11-29")
    table = cr.corridor_routes(net, "xian", "duisburg")
    return {f: r for f, r in zip(table["family"], table["route"], strict=True) if r is not None}


def test_the_mean_stays_the_priced_time(families):
    ranges = route_ranges([families["northern"]], draws=50_000, seed=2)
    # multipliers of mean 1: the mean drawn time is the priced time (no seasonal event on it)
    assert ranges.figures[0]["time_h_mean"] == pytest.approx(families["northern"].time_h, rel=0.01)


def test_draws_are_shared_per_element_and_reproducible(families):
    middle = families["middle"]
    alone = route_ranges([middle], draws=2_000, seed=7)
    together = route_ranges([families["northern"], middle], draws=2_000, seed=7)
    # an element's draws do not depend on which other routes are drawn with it
    assert np.array_equal(alone.time_h[0], together.time_h[1])
    again = route_ranges([middle], draws=2_000, seed=7)
    assert np.array_equal(alone.time_h, again.time_h)
    other = route_ranges([middle], draws=2_000, seed=8)
    assert not np.array_equal(alone.time_h, other.time_h)


def test_one_storm_holds_every_caspian_ferry():
    net = cr.load_network(as_of="2026-11-29")
    a = cr.route(net, "aktau", "alat", modes=["ferry"])
    b = cr.route(net, "kuryk", "alat", modes=["ferry"])
    bundled = load_spreads()
    storm = next(s for s in bundled.seasonal if s.id == "caspian_storms")
    # every other spread switched off: what is left of the draws is the storm alone
    calm = Spreads({k: Spread("normal", 0.0, "test") for k in KINDS}, bundled.seasonal)
    winter = route_ranges([a, b], draws=20_000, seed=1, month=storm.months[0], spreads=calm)
    held_a = winter.time_h[0] - a.time_h
    held_b = winter.time_h[1] - b.time_h
    assert np.array_equal(held_a > 0, held_b > 0)  # one storm holds both ferries, draw by draw
    assert set(np.round(held_a, 6)) == {0.0, storm.extra_h}
    share = (held_a > 0).mean()
    assert abs(share - storm.probability) < 3 * np.sqrt(storm.probability * 0.85 / 20_000)
    summer = route_ranges([a, b], draws=20_000, seed=1, month=7, spreads=calm)
    assert np.allclose(summer.time_h[0], a.time_h)  # out of season: no storm


def test_the_middle_corridor_is_less_sure_than_the_northern_route(families):
    ranges = route_ranges([families["northern"], families["middle"]], draws=10_000, seed=1)
    north, middle = ranges.figures
    assert middle["time_h_p90"] / middle["time_h_p50"] > north["time_h_p90"] / north["time_h_p50"]
    # its spread comes from the Caspian (ferry waits, storms) and its borders
    assert "caspian" in middle["drivers"] or "ferry" in middle["drivers"]
    assert ranges.figures[0]["best_share"] > 0.9  # the Northern route stays the fastest


def test_bad_arguments_are_usage_errors(families, tmp_path):
    with pytest.raises(cr.UsageError, match="draws must be"):
        route_ranges([families["northern"]], draws=0)
    with pytest.raises(cr.UsageError, match="month must be 1-12"):
        route_ranges([families["northern"]], draws=10, month=13)
    bad = tmp_path / "spreads.toml"
    bad.write_text('[border]\nfamily = "cauchy"\ncv = 1\nsource = "x"\n', encoding="utf-8")
    with pytest.raises(cr.UsageError, match="family 'cauchy'"):
        load_spreads(bad)


def test_cli_ranges_per_family_are_ordered_and_identical_on_a_rerun():
    args = ["route", "xian", "duisburg", "--corridors", "east_west", "--draws", "2000"]
    args += ["--seed", "1", "--json"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    again = CliRunner().invoke(cli, args)
    assert first.output == again.output
    answered = 0
    for family in json.loads(first.output)["corridors"]:
        r = family["route"]
        if r is None:
            continue
        answered += 1
        assert r["time_h_p10"] <= r["time_h_p50"] <= r["time_h_p90"]
        assert r["cost_usd_p10"] <= r["cost_usd_p50"] <= r["cost_usd_p90"]
    assert answered >= 3


def test_cli_deadline_needs_draws():
    result = CliRunner().invoke(cli, ["route", "baku", "kars", "--deadline", "3"])
    assert result.exit_code == 2 and "--deadline needs --draws" in result.output


def test_simulate_per_family_and_the_best_of_the_set():
    net = cr.load_network(as_of="2026-11-29")
    table = cr.simulate(
        net, "xian", "duisburg", families="east_west", draws=3_000, seed=1, deadline_h=24 * 20
    )
    best = table.set_index("route").loc["best of the set"]
    routes = table[table["route"] != "best of the set"]
    assert set(routes["route"]) >= {"northern", "middle"}
    # re-choosing the fastest route in every draw is never slower than any one route
    assert best["time_h_p50"] <= routes["time_h_p50"].min() + 1e-9
    assert best["on_time_share"] >= routes["on_time_share"].max() - 1e-9
    assert abs(routes["best_share"].sum() - 1.0) < 1e-9
    by_rank = cr.simulate(net, "baku", "kars", k=2, draws=500, seed=1)
    assert list(by_rank["route"]) == ["rank 1", "rank 2", "best of the set"]

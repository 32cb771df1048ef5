"""Progress bars on long draws (issue 12): shown when long and asked for, never change a figure."""

from __future__ import annotations

import pytest

import corridors as cr
from corridors.comparison import add_ranges, compare_routes
from corridors.reliability import LONG_RUN, route_ranges


@pytest.fixture(scope="module")
def best(bundled: cr.Network) -> cr.Route:
    return cr.route(bundled, "baku", "kars")


def test_a_long_run_shows_a_bar_and_the_same_figures(
    best: cr.Route, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    quiet = route_ranges([best], draws=LONG_RUN, seed=3, show_progress=False)
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(cr.settings, "progress", True)
    shown = route_ranges([best], draws=LONG_RUN, seed=3)
    err = capsys.readouterr().err
    assert "draws" in err and "route" in err
    assert shown.figures == quiet.figures


def test_a_short_run_or_a_caller_that_counts_shows_none(
    best: cr.Route, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cr.settings, "progress", True)
    route_ranges([best], draws=LONG_RUN - 1, seed=3)
    route_ranges([best], draws=LONG_RUN, seed=3, show_progress=False)
    assert capsys.readouterr().err == ""


def test_off_a_terminal_the_default_is_quiet(
    best: cr.Route, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cr.settings.progress is None  # captured stderr is not a terminal
    route_ranges([best], draws=LONG_RUN, seed=3)
    assert capsys.readouterr().err == ""


def test_a_comparison_counts_its_pairs(
    bundled: cr.Network, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    comparison = compare_routes(
        ["2026-today"], od=[("baku", "kars"), ("xian", "duisburg")], net=bundled
    )
    quiet = add_ranges(comparison, draws=200, seed=1)
    capsys.readouterr()
    monkeypatch.setattr(cr.settings, "progress", True)
    shown = add_ranges(comparison, draws=200, seed=1)
    err = capsys.readouterr().err
    tasks = len({(label, od) for label, od, _ in comparison.routes})  # one per scenario and pair
    assert tasks >= 2
    assert "draws" in err and f"/{tasks} " in err and "pair" in err
    assert shown.equals(quiet)

"""Middle Corridor segment rows of the bundled calibration table (issue 11).

The Kazakh government's figures of 2 March 2023 give the TITR time across Kazakhstan and from
China to the Georgian Black Sea ports, before (2022) and after the first measures. Each row's
published value and tolerance must follow from the numbers its own figure text states (a single
figure at ±20%, a range at its midpoint and half-width), so a number edited without its text fails.
"""

from __future__ import annotations

import re

import pytest

from corridors.calibration import read_calibration


@pytest.fixture(scope="module")
def rows():
    table = read_calibration()
    return table.set_index("id")


@pytest.mark.parametrize(
    ("row", "days"),
    [("mc_kaz_section_2022", 12.0), ("mc_kaz_section_2023_03", 6.0)],
)
def test_kazakh_section_rows_are_the_single_stated_figure(rows, row, days):
    r = rows.loc[row]
    stated = float(re.search(r"(\d+) days", r["figure"]).group(1))
    assert stated == days == float(r["published"])
    assert float(r["tolerance"]) == 0.2  # a single figure: the table's ±20% convention
    assert (r["origin"], r["destination"], r["modes"]) == ("altynkol", "aktau", "rail")


def test_the_2023_section_time_is_half_the_2022_one(rows):
    # the source says the time was halved: the two rows must keep that relation
    after = float(rows.loc["mc_kaz_section_2023_03", "published"])
    assert after * 2 == pytest.approx(float(rows.loc["mc_kaz_section_2022", "published"]))


@pytest.mark.parametrize(
    ("row", "low", "high"),
    [("mc_china_georgia_ports_2022", 38, 53), ("mc_china_georgia_ports_2023_03", 19, 23)],
)
def test_china_georgia_rows_are_the_midpoint_and_half_width_of_the_range(rows, row, low, high):
    r = rows.loc[row]
    found = tuple(int(x) for x in re.search(r"(\d+)-(\d+) days", r["figure"]).groups())
    assert found == (low, high)
    published, tolerance = float(r["published"]), float(r["tolerance"])
    assert published == (low + high) / 2
    half_width = (high - low) / 2 / published
    # the tolerance is the half-width rounded up to the next hundredth, never narrower
    assert half_width <= tolerance < half_width + 0.01


def test_announced_targets_are_named_but_not_used_as_figures(rows):
    for row in ("mc_kaz_section_2023_03", "mc_china_georgia_ports_2023_03"):
        assert "a target, not used" in rows.loc[row, "note"]


# Kazakh Ministry of Transport via KazTAG (4 Oct 2024): Altynkol to Baku, to Poti/Batumi and to
# Constanta; each row restates the days its figure text gives.
@pytest.mark.parametrize(
    ("row", "destination", "days"),
    [
        ("mc_altynkol_baku_2024_10", "baku", 9.0),
        ("mc_altynkol_poti_2024_10", "poti", 12.0),
    ],
)
def test_ministry_2024_single_figures(rows, row, destination, days):
    r = rows.loc[row]
    stated = float(re.search(r"to (\d+) days", r["figure"]).group(1))
    assert stated == days == float(r["published"]) and float(r["tolerance"]) == 0.2
    assert (r["origin"], r["destination"], r["as_of"]) == ("altynkol", destination, "2024-10-04")


def test_ministry_2024_constanta_range(rows):
    r = rows.loc["mc_altynkol_constanta_2024_10"]
    low, high = (int(x) for x in re.search(r"(\d+)-(\d+) days", r["figure"]).groups())
    assert (low, high) == (20, 22) and float(r["published"]) == 21.0
    half_width = (high - low) / 2 / 21.0
    assert half_width <= float(r["tolerance"]) < half_width + 0.01
    assert r["via"] == "poti"  # the ministry's route runs through the Georgian ports


def test_ministry_2024_times_grow_along_the_route(rows):
    # a property of the three figures of one statement: each later port is reached later
    days = [
        float(rows.loc[f"mc_altynkol_{d}_2024_10", "published"])
        for d in ("baku", "poti", "constanta")
    ]
    assert days == sorted(days) and len(set(days)) == 3


@pytest.mark.parametrize(
    ("row", "origin", "destination", "days"),
    [
        ("mc_baku_xian_2024_11", "baku", "xian", 12.0),
        ("mc_xian_tbilisi_2021", "xian", "tbilisi", 21.0),
    ],
)
def test_first_train_rows_restate_their_days(rows, row, origin, destination, days):
    r = rows.loc[row]
    assert float(re.search(r"take (\d+) days", r["figure"]).group(1)) == days
    assert float(r["published"]) == days and float(r["tolerance"]) == 0.2
    assert (r["origin"], r["destination"]) == (origin, destination)
    assert "RUS" in r["avoid_countries"]  # both ran across the Caspian, not through Russia


def test_2015_pilot_train_row_restates_its_days(rows):
    r = rows.loc["mc_alashankou_tbilisi_2015"]
    assert (
        float(re.search(r"within (\d+) days", r["figure"]).group(1)) == float(r["published"]) == 8
    )
    assert float(r["tolerance"]) == 0.2 and r["as_of"].startswith("2015-09")

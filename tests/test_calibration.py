import csv
import json
import math
import re
from pathlib import Path

import pytest
import toy
from click.testing import CliRunner

import corridors as cr
from corridors.calibration import COLUMNS, calibration, read_calibration, summary
from corridors.cli import cli
from corridors.settings import bundled_path, settings

RAIL = toy.RAIL_ROUTE


def _rail_by_hand() -> tuple[float, float, float]:
    """Hours, haulage USD/TEU and fees USD/box of the toy's rail route Alpha→Tango.

    From the fixture's own figures and the settings' defaults.
    """
    km = sum(toy.link_length_km(i) for i in RAIL)
    hours = sum(toy.link_length_km(i) / toy.LINKS[i][5] for i in RAIL)
    # gauge change at Gaugeton 8 h / USD 100; borders Bravo 5 h / USD 40, Tango Gate 6 h / USD 30;
    # a rail terminal's dwell where the trip starts and where it ends
    dwell = 2 * settings.dwell_hours["rail"]
    return hours + 8 + 5 + 6 + dwell, settings.cost_usd_per_teu_km["rail"] * km, 100 + 40 + 30


def _row(**values: str) -> dict[str, str]:
    base = dict.fromkeys(COLUMNS, "")
    base.update(
        as_of="2021-01-01",
        source="https://example.org/report",
        source_date="2021-01-01",
        tolerance="0.2",
    )
    base.update(values)
    return base


def _write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


# --- the bundled table ------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled():
    return read_calibration()


def test_bundled_table_has_enough_figures_of_each_kind(bundled):
    assert len(bundled) >= 30
    counts = bundled["kind"].value_counts()
    assert counts["time"] >= 12
    assert counts["cost"] >= 5
    assert counts.get("co2", 0) >= 1 and counts.get("length", 0) >= 1 and counts["date"] >= 3


def test_the_readme_states_the_share_the_bundled_table_gives():
    # the README's limits section quotes the calibration; a data change must update it
    text = " ".join((Path(__file__).resolve().parents[1] / "README.md").read_text().split())
    found = re.search(r"(\d+) published figures: (\d+) \((\d+) %\) within", text)
    rows, within, percent = (int(x) for x in found.groups())
    table = calibration()
    assert rows == len(table)
    assert within == int(table["within"].sum())
    assert percent == round(100 * table.attrs["share_within"])
    # and which way the times it misses go
    found = re.search(r"in (\d+) of the (\d+) times it misses the model is faster", text)
    faster, missed = (int(x) for x in found.groups())
    times = summary(table).loc["time"]
    assert missed == times["figures"] - times["within"]
    assert faster == times["model_below"]


def test_every_bundled_row_has_a_url_a_date_and_a_fair_tolerance(bundled):
    assert bundled["source"].str.match(r"https?://\S+$").all()
    assert bundled["source_date"].str.match(r"\d{4}-\d{2}-\d{2}$").all()
    numeric = bundled[bundled["unit"] != "state"]
    # a single figure gets ±5-25%, a published range at most its own half-width (≤ 50%)
    assert numeric["tolerance"].between(0.04, 0.5).all()
    assert (numeric.loc[numeric["kind"] == "length", "tolerance"] <= 0.1).all()


def test_pending_rows_have_the_same_columns():
    pending = bundled_path("calibration_pending.csv")
    assert pending is not None
    table = read_calibration(pending)
    assert list(table.columns) == COLUMNS and len(table) >= 1


def test_bundled_places_all_exist():
    net = cr.load_network()
    for _, row in read_calibration().iterrows():
        for place in [row["origin"], row["destination"], *filter(None, row["via"].split(";"))]:
            if place:
                assert net.places.resolve(place), row["id"]


# --- hand-made files on the toy network --------------------------------------------------


def test_two_rows_on_the_toy_network_give_the_hand_computed_model(toy_net, tmp_path):
    hours, haulage, fees = _rail_by_hand()
    per_box = haulage * settings.feu_factor["rail"] + fees  # fees once per box
    rows = [
        # published 10% above the hand figure, ±20%: within
        _row(
            id="t",
            figure="Alpha-Tango by rail",
            kind="time",
            unit="d",
            published=f"{hours * 1.1 / 24:.6f}",
            metric="time_h",
            origin="a_city",
            destination="t_city",
            modes="rail",
        ),
        # a 40-ft box at half the model's cost, ±20%: outside
        _row(
            id="c",
            figure="Alpha-Tango FEU",
            kind="cost",
            unit="usd_per_feu",
            box="40",
            published=f"{per_box / 2:.6f}",
            metric="cost_usd",
            origin="Alfa",
            destination="Tango",
            modes="rail",
        ),
    ]
    table = calibration(toy_net, path=_write(tmp_path / "cal.csv", rows))
    assert list(table["id"]) == ["t", "c"]
    assert table.loc[0, "model"] == pytest.approx(hours / 24)
    assert table.loc[0, "error_share"] == pytest.approx(1 / 1.1 - 1, abs=1e-6)
    assert table.loc[1, "model"] == pytest.approx(per_box)
    assert table.loc[1, "error_share"] == pytest.approx(1.0, abs=1e-6)
    assert list(table["within"]) == [True, False]
    assert table.attrs["share_within"] == 0.5


def test_transit_time_leaves_out_the_dwell_at_both_ends(toy_net, tmp_path):
    # operators publish a train's departure-to-arrival time: the door-to-door hours less the
    # terminal dwell where the trip starts and where it ends
    hours, _, _ = _rail_by_hand()
    transit = hours - 2 * settings.dwell_hours["rail"]
    rows = [
        _row(
            id=metric,
            figure="Alpha-Tango by rail",
            kind="time",
            unit="h",
            published=f"{transit:.6f}",
            metric=metric,
            origin="a_city",
            destination="t_city",
            modes="rail",
            tolerance="0.05",
        )
        for metric in ("transit_h", "time_h")
    ]
    table = calibration(toy_net, path=_write(tmp_path / "cal.csv", rows))
    assert table.loc[0, "model"] == pytest.approx(transit)
    assert table.loc[1, "model"] == pytest.approx(hours)
    assert list(table["within"]) == [True, transit / hours > 0.95]
    assert "no terminal dwell" in table.loc[0, "detail"]


def test_date_rows_on_the_toy_network(toy_net, tmp_path):
    date = {"kind": "date", "unit": "state", "tolerance": "0"}
    rows = [
        _row(
            id="blockade",
            figure="pass road blockaded",
            metric="status",
            published="blockaded",
            element="road_g_city_t_border",
            as_of="2023-01-01",
            **date,
        ),
        _row(
            id="reopened",
            figure="pass road open",
            metric="status",
            published="open",
            element="road_g_city_t_border",
            as_of="2024-06-01",
            **date,
        ),
        _row(
            id="no_geo",
            figure="no way round Georgia",
            metric="route_exists",
            published="0",
            origin="a_city",
            destination="t_city",
            avoid_countries="GEO",
            **date,
        ),
        _row(
            id="seq",
            figure="countries",
            metric="countries",
            published="AZE-GEO-TUR",
            origin="a_city",
            destination="t_city",
            **date,
        ),
        _row(
            id="not_rus",
            figure="not via Russia",
            metric="countries",
            published="-RUS;+GEO",
            origin="a_city",
            destination="t_city",
            **date,
        ),
        _row(
            id="wrong",
            figure="claims Russia",
            metric="countries",
            published="+RUS",
            origin="a_city",
            destination="t_city",
            **date,
        ),
    ]
    table = calibration(toy_net, path=_write(tmp_path / "dates.csv", rows)).set_index("id")
    assert table.loc["blockade", "model"] == "blockaded"
    assert table.loc["reopened", "model"] == "open"
    assert table.loc["no_geo", "model"] == "0"
    assert table.loc["seq", "model"] == "AZE-GEO-TUR"
    assert table["within"].to_dict() == {
        "blockade": True,
        "reopened": True,
        "no_geo": True,
        "seq": True,
        "not_rus": True,
        "wrong": False,
    }


def test_a_time_row_without_a_route_is_a_miss_not_an_error(toy_net, tmp_path):
    rows = [
        _row(
            id="x",
            figure="no route",
            kind="time",
            unit="h",
            published="10",
            metric="time_h",
            origin="a_city",
            destination="t_city",
            avoid_countries="GEO",
        )
    ]
    table = calibration(toy_net, path=_write(tmp_path / "x.csv", rows))
    assert not table.loc[0, "within"] and table.loc[0, "model"] is None
    assert table.loc[0, "detail"].startswith("no route")


def test_unknown_place_names_the_row(toy_net, tmp_path):
    rows = [
        _row(
            id="kashgar_row",
            figure="f",
            kind="time",
            unit="d",
            published="3",
            metric="time_h",
            origin="kashgar",
            destination="t_city",
        )
    ]
    with pytest.raises(cr.DatasetError, match=r"row kashgar_row: .*calibration_pending"):
        calibration(toy_net, path=_write(tmp_path / "u.csv", rows))


def test_malformed_rows_are_all_reported(tmp_path):
    rows = [
        _row(
            id="a",
            figure="f",
            kind="time",
            unit="usd_per_teu",
            published="3",
            metric="time_h",
            origin="a_city",
            destination="t_city",
        ),
        _row(
            id="b",
            figure="f",
            kind="cost",
            unit="usd_per_feu",
            published="-5",
            metric="cost_usd",
            origin="a_city",
            destination="t_city",
            source="a report",
        ),
    ]
    with pytest.raises(cr.DatasetError) as info:
        read_calibration(_write(tmp_path / "bad.csv", rows))
    text = "\n".join(info.value.problems)
    assert "row a: unit 'usd_per_teu' does not fit kind 'time'" in text
    assert "row b: published '-5' must be a positive number" in text
    assert "row b: source" in text and "row b: a usd_per_feu figure" in text


# --- command line ------------------------------------------------------------------------


def test_cli_json_on_the_toy_network(toy_dir, tmp_path):
    hours, _, _ = _rail_by_hand()
    rows = [
        _row(
            id="t",
            figure="Alpha-Tango",
            kind="time",
            unit="h",
            published=f"{hours:.4f}",
            metric="time_h",
            origin="a_city",
            destination="t_city",
            modes="rail",
        )
    ]
    path = _write(tmp_path / "one.csv", rows)
    result = CliRunner().invoke(
        cli, ["calibration", "--json", "--data", str(toy_dir), "--file", str(path)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["share_within"] == 1.0
    (row,) = data["rows"]
    assert {"figure", "kind", "published", "model", "tolerance", "within", "source"} <= set(row)
    assert row["model"] == pytest.approx(hours, abs=1e-3)


def _three_time_rows(hours: float) -> list[dict[str, str]]:
    """Alpha-Tango by rail published at the model's time, at twice it and at half of it."""
    common = {
        "kind": "time",
        "unit": "h",
        "metric": "time_h",
        "origin": "a_city",
        "destination": "t_city",
        "modes": "rail",
    }
    return [
        _row(id=i, figure=f"Alpha-Tango x{k}", published=f"{hours * k:.4f}", **common)
        for i, k in (("same", 1.0), ("twice", 2.0), ("half", 0.5))
    ]


def test_summary_says_which_way_the_misses_go(toy_net, tmp_path):
    hours, _, _ = _rail_by_hand()
    table = calibration(toy_net, path=_write(tmp_path / "three.csv", _three_time_rows(hours)))
    by_kind = summary(table)
    assert list(by_kind.index) == ["time"]
    # published twice the model: the model is below it; published half: above
    assert by_kind.loc["time"].to_dict() == {
        "figures": 3,
        "within": 1,
        "share_within": pytest.approx(1 / 3),
        "model_below": 1,
        "model_above": 1,
        "other_misses": 0,
    }


def test_cli_lists_misses_only_and_the_summary(toy_dir, tmp_path):
    hours, _, _ = _rail_by_hand()
    path = _write(tmp_path / "three.csv", _three_time_rows(hours))
    args = ["calibration", "--data", str(toy_dir), "--file", str(path)]
    result = CliRunner().invoke(cli, [*args, "--misses"])
    assert result.exit_code == 0, result.output
    listed = [
        line.split(":")[0] for line in result.output.splitlines() if line[:4] in ("ok  ", "MISS")
    ]
    assert listed == ["MISS twice", "MISS half"]
    assert result.output.splitlines()[-2].split() == ["time", "3", "1", "1", "/", "1", "/", "0"]
    assert result.output.splitlines()[-1] == "1 of 3 within tolerance (33%)"
    data = json.loads(CliRunner().invoke(cli, [*args, "--json"]).output)
    assert data["by_kind"] == [
        {
            "kind": "time",
            "figures": 3,
            "within": 1,
            "share_within": 0.3333,
            "model_below": 1,
            "model_above": 1,
            "other_misses": 0,
        }
    ]


def test_cli_unknown_place_is_one_line_exit_1(toy_dir, tmp_path):
    rows = [
        _row(
            id="k",
            figure="f",
            kind="time",
            unit="d",
            published="3",
            metric="time_h",
            origin="kashgar",
            destination="t_city",
        )
    ]
    path = _write(tmp_path / "k.csv", rows)
    result = CliRunner().invoke(cli, ["calibration", "--data", str(toy_dir), "--file", str(path)])
    assert result.exit_code == 1
    assert "row k:" in result.output and "Traceback" not in result.output


def test_cli_bundled_table(tmp_path):
    result = CliRunner().invoke(cli, ["calibration", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["rows"]) == len(read_calibration())
    within = [r["within"] for r in data["rows"]]
    assert data["share_within"] == pytest.approx(sum(within) / len(within), abs=1e-4)
    numeric = [r for r in data["rows"] if r["kind"] != "date"]
    assert all(isinstance(r["model"], float) or r["model"] is None for r in numeric)
    text = CliRunner().invoke(cli, ["calibration"]).output
    assert re.search(r"\d+ of \d+ within tolerance \(\d+%\)", text)
    assert not math.isnan(data["share_within"])

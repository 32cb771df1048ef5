"""Pictures of reliability ranges (issue 12): `corridors reliability` and compare's range charts."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import corridors as cr
from corridors.cli import cli
from corridors.rangeplot import RANGE_CHARTS_HEADING, comparison_range_charts, od_range_figure

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
BAKU_KARS = ["reliability", "baku", "kars", "--corridors", "caucasus", "--draws", "500"]
TWO_PAIRS = [
    *("compare", "2021-baseline", "2022-sanctions"),
    *("--od", "xian:duisburg", "--od", "baku:kars"),
]


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which follows the 8-byte signature."""
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_MAGIC, f"{path.name} is not a PNG"
    assert head[12:16] == b"IHDR"
    return struct.unpack(">II", head[16:24])


def _rows(output: str) -> dict[str, list[str]]:
    """The printed table's rows by family: P10, P50, P90 days, P90/P50, on time, driver."""
    rows = {}
    for line in output.splitlines():
        match = re.match(
            r"  (\w+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\S+)\s+(.*)", line
        )
        if match:
            rows[match.group(1)] = list(match.groups()[1:])
    return rows


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("reliability")
    out = folder / "xian-duisburg.png"
    result = CliRunner().invoke(
        cli,
        [
            "reliability",
            "xian",
            "duisburg",
            "--draws",
            "3000",
            "--seed",
            "5",
            "--deadline",
            "25",
            "--as-of",
            "2026-11-26",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    return out, result.output


def test_the_picture_is_a_png_of_sensible_size_and_nothing_else_is_left(drawn):
    out, output = drawn
    width, height = _png_size(out)
    # 12 inches at 110 dpi; one row of 0.7 inch per family above a 3.2-inch frame
    assert width == 1320
    assert 3.2 * 110 + 0.7 * 110 * 3 <= height <= 3.2 * 110 + 0.7 * 110 * 6
    assert 30_000 < out.stat().st_size < 2_000_000
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]  # no temporary file left
    assert f"wrote {out}" in output
    assert "Xi'an → Duisburg" in output and "as of 2026-11-26" in output


def test_the_table_is_cr_simulate_for_the_same_seed(drawn):
    _, output = drawn
    expected = cr.simulate(
        cr.load_network(as_of="2026-11-26"),
        "xian",
        "duisburg",
        families="east_west",
        draws=3000,
        seed=5,
        deadline_h=25 * 24.0,
    )
    rows = _rows(output)
    families = [f for f in expected["route"] if f != "best of the set"]
    assert sorted(rows) == sorted(families)
    for row in expected[expected["route"] != "best of the set"].to_dict("records"):
        p10, p50, p90, ratio, on_time, driver = rows[row["route"]]
        assert float(p10) == pytest.approx(row["time_h_p10"] / 24, abs=0.051)
        assert float(p50) == pytest.approx(row["time_h_p50"] / 24, abs=0.051)
        assert float(p90) == pytest.approx(row["time_h_p90"] / 24, abs=0.051)
        assert float(ratio) == pytest.approx(row["time_h_p90"] / row["time_h_p50"], abs=0.0006)
        assert float(on_time.rstrip("%")) == pytest.approx(100 * row["on_time_share"], abs=0.051)
        assert driver == row["drivers"].split("; ")[0]


def test_the_middle_corridor_is_less_sure_than_the_northern_route_in_the_table(drawn):
    rows = _rows(drawn[1])
    assert float(rows["middle"][3]) > float(rows["northern"][3])
    # its top driver is a wait of its own: a border, a ferry or a Caspian storm
    assert re.match(r"(border|wait|season) ", rows["middle"][5])


def test_a_seed_gives_the_same_picture_data_and_another_seed_other_data(tmp_path):
    def table(seed: str) -> str:
        result = CliRunner().invoke(
            cli,
            [*BAKU_KARS, "--seed", seed, "--out", str(tmp_path / f"{seed}.png")],
        )
        assert result.exit_code == 0, result.output
        return "\n".join(line for line in result.output.splitlines() if "wrote" not in line)

    assert table("1") == table("1")
    assert table("1") != table("2")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["xian", "duisburg", "--out", "x.txt"], 2, "use --out FILE.png"),
        (["xian", "atlantis", "--out", "x.png"], 2, "atlantis"),
        (["xian", "duisburg", "--draws", "0"], 2, "--draws"),
        (["xian", "duisburg", "--corridors", "lachin", "--out", "x.png"], 1, "no route"),
    ],
)
def test_bad_input_is_one_line_and_the_right_exit_code(tmp_path, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["reliability", *args])
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())  # nothing written


def test_compare_with_draws_draws_a_range_chart_per_pair_linked_from_the_report(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        [*TWO_PAIRS, "--draws", "500", "--seed", "1", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    charts = sorted((out / "maps").glob("ranges_*.png"))
    assert [p.name for p in charts] == ["ranges_01_xian-duisburg.png", "ranges_02_baku-kars.png"]
    for chart in charts:
        width, height = _png_size(chart)
        assert width == 990 and height > 200  # 9 inches at 110 dpi
    report = (out / "comparison.md").read_text(encoding="utf-8")
    assert RANGE_CHARTS_HEADING in report
    section = report.split(RANGE_CHARTS_HEADING, 1)[1].split("\n## ", 1)[0]
    links = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", section)
    assert sorted(links) == sorted(f"maps/{p.name}" for p in charts)
    everywhere = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", report)
    assert all((out / link).is_file() for link in everywhere)
    assert sum(link.startswith("maps/ranges_") for link in everywhere) == len(charts)  # once


def test_compare_without_draws_has_no_range_chart(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["compare", "2026-today", "--od", "baku:kars", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert not list((out / "maps").glob("ranges_*"))
    assert RANGE_CHARTS_HEADING not in (out / "comparison.md").read_text(encoding="utf-8")


def test_the_range_bars_sit_at_the_drawn_percentiles():
    rows = pd.DataFrame(
        {
            "scenario": ["a", "b"],
            "family": ["", "middle"],
            "time_h": [240.0, 480.0],
            "time_h_p10": [216.0, 432.0],
            "time_h_p50": [240.0, 480.0],
            "time_h_p90": [288.0, 600.0],
        }
    )
    fig = od_range_figure(rows, title="t")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b · middle"]
    bars = ax.collections[0].get_segments()  # the P10-P90 bars, first row on top
    assert np.allclose([s[:, 0] for s in bars], [[9, 12], [18, 25]])
    medians = ax.lines[0]
    assert np.allclose(medians.get_xdata(), [10, 20])


def test_a_comparison_without_draws_writes_no_chart(tmp_path):
    class _Plain:
        table = pd.DataFrame({"od": ["a→b"], "rank": [1], "time_h": [1.0]})

    assert comparison_range_charts(_Plain(), tmp_path) == []  # type: ignore[arg-type]
    assert not list(tmp_path.iterdir())


def test_the_readme_shows_what_the_command_prints(tmp_path):
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("## How sure?", 1)[1].split("```console\n", 1)[1].split("```", 1)[0]
    command, *shown = block.strip("\n").splitlines()
    args = command.removeprefix("$ corridors ").split()
    args[args.index("--out") + 1] = str(tmp_path / "readme.png")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:-1] == shown  # all but the "wrote FILE" line

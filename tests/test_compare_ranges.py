"""Ranges in a comparison, serial and on Dask (issue 12)."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from corridors.cli import cli

ARGS = ["compare", "2026-today", "--od", "xian:duisburg", "--od", "baku:kars", "--no-maps"]


def _csv(tmp_path, name, *extra):
    out = tmp_path / name
    result = CliRunner().invoke(cli, [*ARGS, "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return (out / "comparison.csv").read_text(encoding="utf-8")


def test_ranges_are_the_same_serially_and_on_a_local_cluster(tmp_path):
    serial = _csv(tmp_path, "serial", "--draws", "1000", "--seed", "1", "--deadline", "20")
    on_dask = _csv(
        tmp_path,
        "dask",
        "--draws",
        "1000",
        "--seed",
        "1",
        "--deadline",
        "20",
        "--scheduler",
        "local:2",
    )
    assert serial == on_dask
    columns = serial.splitlines()[0].split(",")
    for name in ("time_h_p10", "time_h_p50", "time_h_p90", "cost_usd_p50", "on_time_share"):
        assert name in columns
    table = list(csv.DictReader(io.StringIO(serial)))
    drawn = [r for r in table if r["time_h_p50"]]
    assert len(drawn) >= 2
    for r in drawn:
        assert float(r["time_h_p10"]) <= float(r["time_h_p50"]) <= float(r["time_h_p90"])
        assert 0 <= float(r["on_time_share"]) <= 1
    # another seed, other draws
    assert _csv(tmp_path, "other", "--draws", "1000", "--seed", "2") != _csv(
        tmp_path, "again", "--draws", "1000", "--seed", "1"
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--deadline", "3"], "need --draws"),
        (["--draws", "10", "--scheduler", "moon:1"], "use local:N or tcp://HOST:PORT"),
        (["--draws", "10", "--scheduler", "local:x"], "use local:N with N workers"),
    ],
)
def test_bad_range_options_are_one_line(tmp_path, extra, message):
    result = CliRunner().invoke(cli, [*ARGS, "--out", str(tmp_path / "x"), *extra])
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output

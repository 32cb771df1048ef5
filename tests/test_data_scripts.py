"""The lengths in data/geo, and the figures derived from them, are what the scripts give today."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from _scripts import load_script

ROOT = Path(__file__).resolve().parents[1]


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "geo"
    shutil.copytree(ROOT / "data" / "geo", data)
    return data


def _changed(data: Path) -> list[str]:
    return [
        p.name
        for p in sorted((ROOT / "data" / "geo").glob("links_*.geojson"))
        if p.read_bytes() != (data / p.name).read_bytes()
    ]


@pytest.mark.parametrize(
    ("script", "printed"),
    [("calibrate_lengths", "circuity factor"), ("restate_derived", "0 links restated")],
)
def test_running_the_script_again_changes_nothing(tmp_path, capsys, script, printed):
    # a published length added without re-running calibrate_lengths leaves every drawn length
    # scaled by a stale circuity factor, and restate_derived must follow any length change; both
    # are idempotent, so a run on the committed data must be a no-op
    data = _copy(tmp_path)
    load_script(script).main(["--data-dir", str(data)])
    assert printed in capsys.readouterr().out
    assert _changed(data) == [], f"run `python scripts/{script}.py` and commit the data"


def test_restate_derived_puts_back_a_figure_out_of_step(tmp_path, capsys):
    data = _copy(tmp_path)
    path = data / "links_caucasus.geojson"
    text = path.read_text(encoding="utf-8")
    assert text.count('"cost_usd_per_teu_km": 0.904,') == 12
    path.write_text(text.replace('"cost_usd_per_teu_km": 0.904,', '"cost_usd_per_teu_km": 9.0,'))
    load_script("restate_derived").main(["--data-dir", str(data)])
    # the 12 Baku-Poti links: USD 800 over the 884.6 km of the route, 0.904 per TEU-km
    assert "Baku-Poti 0.904 USD/TEU-km (884.6 km); 12 links restated" in capsys.readouterr().out
    assert _changed(data) == []


def test_the_data_readme_states_the_factor_in_use(tmp_path, capsys):
    data = _copy(tmp_path)
    load_script("calibrate_lengths").main(["--data-dir", str(data)])
    factor, n = re.search(r"circuity factor ([\d.]+) from (\d+)", capsys.readouterr().out).groups()
    text = " ".join((ROOT / "data" / "geo" / "README.md").read_text(encoding="utf-8").split())
    assert f"({factor} over {n} links)" in text
    assert f"`circuity: geodesic × {factor} (…)`" in text

"""The drawn lengths in data/geo are what scripts/calibrate_lengths.py gives today."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from _scripts import load_script

ROOT = Path(__file__).resolve().parents[1]


def test_running_the_script_again_changes_nothing(tmp_path, capsys):
    # a published length added without re-running the script leaves every drawn length scaled
    # by a stale circuity factor; the script is idempotent, so a second run must be a no-op
    data = tmp_path / "geo"
    shutil.copytree(ROOT / "data" / "geo", data)
    load_script("calibrate_lengths").main(["--data-dir", str(data)])
    assert "circuity factor" in capsys.readouterr().out
    changed = [
        p.name
        for p in sorted((ROOT / "data" / "geo").glob("links_*.geojson"))
        if p.read_bytes() != (data / p.name).read_bytes()
    ]
    assert changed == [], "run `python scripts/calibrate_lengths.py` and commit the lengths"


def test_the_data_readme_states_the_factor_in_use(tmp_path, capsys):
    data = tmp_path / "geo"
    shutil.copytree(ROOT / "data" / "geo", data)
    load_script("calibrate_lengths").main(["--data-dir", str(data)])
    factor, n = re.search(r"circuity factor ([\d.]+) from (\d+)", capsys.readouterr().out).groups()
    text = " ".join((ROOT / "data" / "geo" / "README.md").read_text(encoding="utf-8").split())
    assert f"({factor} over {n} links)" in text
    assert f"`circuity: geodesic × {factor} (…)`" in text

"""The progress bar: quiet when told or when not a terminal, and never changes what it counts."""

from __future__ import annotations

import pytest

import corridors as cr
from corridors._progress import progress


def test_items_pass_through_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    assert list(progress(iter([3, 1, 2]), total=3, enabled=False)) == [3, 1, 2]
    assert capsys.readouterr().err == ""


def test_forced_bar_writes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert list(progress(range(5), desc="draws", enabled=True)) == list(range(5))
    assert "draws" in capsys.readouterr().err


def test_default_is_quiet_off_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    # a StringIO is not a terminal, so the default (settings.progress None) shows nothing
    assert cr.settings.progress is None
    assert list(progress(range(5), desc="compare")) == list(range(5))
    assert capsys.readouterr().err == ""


def test_setting_turns_it_on(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cr.settings, "progress", True)
    list(progress(range(3), desc="import"))
    assert "import" in capsys.readouterr().err


def test_compare_shows_its_scenarios_on_a_bar(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from corridors.cli import cli

    monkeypatch.setattr(cr.settings, "progress", True)
    args = ["compare", "2021-baseline", "2026-today", "--od", "baku:kars", "--no-maps"]
    result = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "compare" in result.stderr and "/2 [" in result.stderr  # two scenarios counted
    assert "compare:" not in result.stdout  # the table on stdout stays clean

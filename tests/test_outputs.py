"""Issue 9, output side: one-line CLI errors, closed pipes, maps of what was compared, own
scenario files, all-or-nothing output folders."""

import fcntl
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest
from click.testing import CliRunner

import corridors as cr
from corridors import maps, reports
from corridors.cli import cli
from corridors.scenarios import compare_routes, load_scenario, parse_scenario

sys.path.insert(0, str(Path(__file__).parent))
from test_cli import EXE

PYTHON = sys.executable


# --- one-line usage errors -------------------------------------------------------------------
BAD_USAGE = [
    (["route", "baku", "kars", "--alternatives", "1000"], "1000 is not in the range"),
    (["route", "baku", "kars", "--alternatives", "0"], "0 is not in the range"),
    (["map", "--route", "baku:kars", "-k", "1000"], "1000 is not in the range"),
    (["route", "baku"], "Missing argument 'DESTINATION'"),
    (["route", "baku", "kars", "--no-such-option"], "No such option"),
    (["route", "baku", "kars", "--weight", "fast"], "'fast' is not one of"),
    (["no-such-command"], "No such command"),
    (["osm", "import"], "Missing argument"),
]


@pytest.mark.parametrize(("args", "needle"), BAD_USAGE)
def test_click_usage_errors_are_one_line_and_exit_2(args, needle):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("corridors: error: ") and needle in lines[0]
    assert "--help" in lines[0]  # the hint shares the line
    assert result.stdout == ""


@pytest.mark.parametrize(("args", "needle"), BAD_USAGE[:1] + BAD_USAGE[3:4])
def test_usage_errors_are_one_line_from_the_installed_command(args, needle):
    done = subprocess.run([EXE, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and needle in done.stderr
    assert "Traceback" not in done.stderr and "Usage:" not in done.stderr


def test_help_and_version_still_exit_0():
    assert CliRunner().invoke(cli, ["--version"]).exit_code == 0
    result = CliRunner().invoke(cli, ["route", "--help"])
    assert result.exit_code == 0 and result.stdout.startswith("Usage: ")
    assert "route [OPTIONS] ORIGIN DESTINATION" in result.stdout


@pytest.mark.parametrize(
    "args", [["places"], ["route", "xian", "duisburg", "--alternatives", "5", "--sources"]]
)
def test_a_closed_pipe_ends_quietly(args):
    read_end, write_end = os.pipe()
    # a one-page pipe, so the command is still writing when the reader goes away (like `head`)
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    process = subprocess.Popen([EXE, *args], stdout=write_end, stderr=subprocess.PIPE)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        first = reader.readline()
    stderr = process.communicate(timeout=120)[1].decode()
    assert first  # it did print
    assert process.returncode in (0, 141), stderr
    assert stderr == ""


# --- maps draw the network and scenarios they are given ---------------------------------------
def _toml(path: Path, body: str) -> Path:
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


BASE = """
    name = "toy-base"
    as_of = "2021-01-01"
    od = [["a_city", "t_city"]]
"""
FAST_NO_BASELINE = """
    name = "{name}"
    as_of = "2021-01-01"
    od = [["a_city", "t_city"]]
    [[overrides]]
    link = "road_a_city_b_border"
    speed_factor = {speed}
    source = "test: a faster road"
"""
FAST = """
    name = "{name}"
    as_of = "2021-01-01"
    baseline = "{baseline}"
    od = [["a_city", "t_city"]]
    [[overrides]]
    link = "road_a_city_b_border"
    speed_factor = {speed}
    source = "test: a faster road"
"""


def test_compare_and_map_with_own_data_and_own_baseline(toy_dir, tmp_path):
    """Places only the toy dataset has: the maps draw it, and a baseline file of one's own."""
    base = _toml(tmp_path / "base.toml", BASE)
    mine = _toml(tmp_path / "mine.toml", FAST.format(name="my-test", baseline="toy-base", speed=4))
    out = tmp_path / "out"
    runner = CliRunner()
    args = ["compare", str(base), str(mine), "--data", str(toy_dir), "--out", str(out)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (out / "maps").iterdir())
    assert names == ["diff_toy-base__my-test.png", "route_01_a-city-t-city.png"]
    png = tmp_path / "toy.png"
    result = runner.invoke(
        cli, ["map", "--data", str(toy_dir), "--route", "a_city:t_city", "-o", str(png)]
    )
    assert result.exit_code == 0, result.output
    assert png.stat().st_size > 10_000


def test_baseline_file_beside_the_scenario(toy_net, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path.parent)  # not where the files are
    _toml(tmp_path / "base.toml", BASE)
    mine = _toml(tmp_path / "mine.toml", FAST.format(name="m", baseline="base.toml", speed=2))
    comparison = compare_routes([mine], net=toy_net)
    assert comparison.baselines[0].path == tmp_path / "base.toml"
    assert set(comparison.table["baseline"]) == {"toy-base"}
    assert comparison.table["delta_time_h"].iloc[0] < 0


def _capture_maps(monkeypatch):
    """Record what comparison_maps draws instead of drawing it."""
    drawn = {"routes": [], "diffs": []}

    def fake_routes(routes, *, net, labels, title):
        drawn["routes"].append((net, list(routes), list(labels)))
        return None

    def fake_diff(a, b, *, region, net, title):
        drawn["diffs"].append((a, b, net, title))
        return None

    monkeypatch.setattr(maps, "plot_routes", fake_routes)
    monkeypatch.setattr(maps, "plot_scenario_diff", fake_diff)
    monkeypatch.setattr(maps, "save_figure", lambda ax, path, **kw: Path(path))
    return drawn


def test_comparison_maps_use_the_scenario_objects_not_bundled_names(toy_net, tmp_path, monkeypatch):
    base = _toml(tmp_path / "base.toml", BASE)
    # named like a bundled scenario: the map must still show this file
    mine = _toml(
        tmp_path / "mine.toml",
        FAST.format(name="2028-zangezur-open", baseline="toy-base", speed=2),
    )
    comparison = compare_routes([base, mine], net=toy_net)
    drawn = _capture_maps(monkeypatch)
    maps.comparison_maps(comparison, tmp_path)
    assert all(net is toy_net for net, _, _ in drawn["routes"])
    [(a, b, net, _)] = drawn["diffs"]
    assert net is toy_net
    assert isinstance(a, cr.Scenario) and a.path == base
    assert isinstance(b, cr.Scenario) and b.path == mine


def test_two_files_with_one_name_are_kept_apart(toy_net, tmp_path):
    one = _toml(tmp_path / "one.toml", FAST_NO_BASELINE.format(name="same", speed=4))
    two = _toml(tmp_path / "two.toml", FAST_NO_BASELINE.format(name="same", speed=2))
    comparison = compare_routes([one, two], net=toy_net)
    table = comparison.table.set_index("scenario")
    assert list(table.index) == ["same (one.toml)", "same (two.toml)"]
    # the second file's routes are its own: its road is the slower of the two
    r1 = comparison.routes[("same (one.toml)", "a_city→t_city", 1)]
    r2 = comparison.routes[("same (two.toml)", "a_city→t_city", 1)]
    assert r1.links == r2.links
    assert r2.time_h > r1.time_h
    # the same file twice is one scenario, not two
    again = compare_routes([one, load_scenario(one, net=toy_net)], net=toy_net)
    assert set(again.table["scenario"]) == {"same"}


def test_two_files_with_one_name_on_the_command_line(toy_dir, tmp_path):
    one = _toml(tmp_path / "one.toml", FAST_NO_BASELINE.format(name="same", speed=2))
    two = _toml(tmp_path / "two.toml", FAST_NO_BASELINE.format(name="same", speed=4))
    out = tmp_path / "out"
    args = ["compare", str(one), str(two), "--data", str(toy_dir), "--out", str(out), "--no-maps"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    import pyogrio

    routes = pyogrio.read_dataframe(out / "routes.gpkg", layer="routes")
    assert set(routes["scenario"]) == {"same (one.toml)", "same (two.toml)"}


def test_a_baseline_name_shared_by_two_scenarios_is_refused(toy_net, tmp_path):
    one = _toml(tmp_path / "one.toml", FAST_NO_BASELINE.format(name="same", speed=2))
    two = _toml(tmp_path / "two.toml", FAST_NO_BASELINE.format(name="same", speed=4))
    three = _toml(tmp_path / "three.toml", FAST.format(name="x", baseline="same", speed=1.5))
    with pytest.raises(cr.ScenarioError, match=r"^three\.toml: baseline: 'same' names 2"):
        compare_routes([one, two, three], net=toy_net)


def test_legend_entries_show_each_scenarios_own_figures(toy_net, tmp_path, monkeypatch):
    """Same path, different speed: the 2030-like scenario must not show the first one's days."""
    base = parse_scenario(
        {"name": "now", "as_of": "2021-01-01", "od": [["a_city", "t_city"]]}, net=toy_net
    )
    faster = parse_scenario(
        {
            "name": "later",
            "as_of": "2021-01-01",
            "od": [["a_city", "t_city"]],
            "overrides": [{"link": "road_a_city_b_border", "speed_factor": 3.0, "source": "test"}],
        },
        net=toy_net,
    )
    comparison = compare_routes([base, faster], net=toy_net)
    r_now = comparison.routes[("now", "a_city→t_city", 1)]
    r_later = comparison.routes[("later", "a_city→t_city", 1)]
    assert r_now.links == r_later.links and r_later.time_h < r_now.time_h
    legends = []
    monkeypatch.setattr(
        maps,
        "save_figure",
        lambda ax, path, **kw: legends.append([t.get_text() for t in ax.get_legend().texts]),
    )
    maps.comparison_maps(comparison, tmp_path)
    [texts] = legends
    for label, r in (("now", r_now), ("later", r_later)):
        [entry] = [t for t in texts if t.startswith(f"{label}:")]
        assert f"{r.time_h / 24:.1f} days" in entry


def test_a_map_of_a_scenario_needs_the_network(toy_net):
    with pytest.raises(cr.UsageError, match="pass net="):
        maps.plot_scenario_diff("2026-today", "2028-zangezur-open")


# --- a run's folder holds exactly one run's outputs -------------------------------------------
@pytest.fixture(scope="module")
def comparison(toy_net):
    s = parse_scenario(
        {"name": "t", "as_of": "2021-01-01", "od": [["a_city", "t_city"]]}, net=toy_net
    )
    return compare_routes([s], net=toy_net)


def _map_writer(name):
    def write(comparison, folder):
        (folder / "maps").mkdir(exist_ok=True)
        (folder / "maps" / name).write_bytes(b"png")
        return [folder / "maps" / name]

    return write


def _files(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _hidden_siblings(folder):
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith("."))


def test_a_rerun_leaves_nothing_of_the_previous_run(comparison, tmp_path):
    out = tmp_path / "out"
    reports.write_comparison(comparison, out, extra=[_map_writer("old.png")])
    assert (out / "maps" / "old.png").is_file()
    written = reports.write_comparison(comparison, out, force=True)
    assert not (out / "maps").exists()
    assert {p.name for p in written} == {
        "comparison.csv",
        "sources.csv",
        "figures.csv",
        "route_elements.csv",
        "comparison.md",
        "routes.gpkg",
    }
    assert _hidden_siblings(out) == []


@pytest.mark.parametrize("where", ["into the folder", "onto the folder"])
def test_a_failure_while_moving_in_keeps_the_previous_run_whole(
    comparison, tmp_path, monkeypatch, where
):
    out = tmp_path / "out"
    reports.write_comparison(comparison, out, extra=[_map_writer("old.png")])
    before = _files(out)
    out_abs = out.resolve()
    moved = []
    real_replace, real_rename = Path.replace, Path.rename

    def failing(real):
        # the disk fills up when sources.csv is moved into the folder (after other files), or
        # on moving the new folder onto the old one (once: putting the old one back works)
        def move(self, target):
            target = Path(target).resolve()
            if where == "onto the folder":
                hit = target == out_abs
            else:
                hit = out_abs in target.parents and target.name == "sources.csv"
            if hit:
                moved.append(target)
                if len(moved) == 1:
                    raise OSError(28, "No space left on device")
            return real(self, target)

        return move

    monkeypatch.setattr(Path, "replace", failing(real_replace))
    monkeypatch.setattr(Path, "rename", failing(real_rename))
    try:
        reports.write_comparison(comparison, out, force=True, extra=[_map_writer("new.png")])
    except OSError as exc:
        assert "No space left" in str(exc)
    monkeypatch.undo()
    after = _files(out)
    # one run's outputs, whole: the previous run's or the new one's, never a mix
    new_names = (set(before) - {"maps/old.png"}) | {"maps/new.png"}
    assert after == before or set(after) == new_names
    assert _hidden_siblings(out) == []


def test_staging_folders_of_dead_runs_are_removed(comparison, tmp_path):
    out = tmp_path / "out"
    dead = subprocess.Popen([PYTHON, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".out.staging-{dead.pid}"
    (stale / "maps").mkdir(parents=True)
    (stale / "comparison.csv").write_text("half a run")
    running = tmp_path / f".out.staging-{os.getppid()}"  # a live process: not touched
    running.mkdir()
    reports.write_comparison(comparison, out)
    assert not stale.exists()
    assert running.is_dir()
    assert (out / "comparison.csv").read_text() != "half a run"


def test_a_run_killed_between_the_renames_is_cleaned_up(comparison, tmp_path):
    out = tmp_path / "out"
    reports.write_comparison(comparison, out, extra=[_map_writer("old.png")])
    before = _files(out)
    dead = subprocess.Popen([PYTHON, "-c", "pass"])
    dead.wait()
    aside = tmp_path / f".out.old-{dead.pid}"
    out.rename(aside)  # what a run killed between the two renames leaves: no out at all
    reports.write_comparison(comparison, out)  # the next run puts it back, then replaces it
    assert not aside.exists() and _hidden_siblings(out) == []
    assert set(_files(out)) == set(before) - {"maps/old.png"}


SIGTERM_SCRIPT = """
import os, signal, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
import toy
import corridors as cr
from corridors import reports
from corridors.scenarios import compare_routes, parse_scenario

net = cr.load_network(toy.write_dataset(Path(sys.argv[3])), as_of="2021-01-01")
s = parse_scenario({"name": "t", "as_of": "2021-01-01", "od": [["a_city", "t_city"]]}, net=net)
comparison = compare_routes([s], net=net)

def killed(comparison, folder):
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(30)
    return []

reports.write_comparison(comparison, sys.argv[1], force=True, extra=[killed])
"""


def test_sigterm_removes_the_staging_folder(comparison, tmp_path):
    out = tmp_path / "out"
    reports.write_comparison(comparison, out)
    before = _files(out)
    done = subprocess.run(
        [PYTHON, "-c", SIGTERM_SCRIPT, str(out), str(Path(__file__).parent), str(tmp_path / "d")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(cr.__file__).parent.parent)},
    )
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert _files(out) == before
    assert _hidden_siblings(out) == []


def test_the_current_folder_is_not_replaced(comparison, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / reports.MARKER).write_text("")
    with pytest.raises(cr.UsageError, match="current folder"):
        reports.write_comparison(comparison, ".")

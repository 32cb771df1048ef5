"""The command line: the issue's acceptance commands, JSON shape, errors and exit codes."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import corridors as cr
from corridors.cli import cli

EXE = shutil.which("corridors", path=str(Path(sys.executable).parent)) or shutil.which("corridors")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed entry point, as a user would."""
    assert EXE, "the corridors command is not installed"
    return subprocess.run([EXE, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_baku_kars_by_rail_from_an_empty_directory(tmp_path):
    done = run(
        "route", "baku", "kars", "--mode", "rail", "--weight", "distance", "--json", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    routes = json.loads(done.stdout)["routes"]
    assert len(routes) == 1
    r = routes[0]
    assert {"tbilisi", "akhalkalaki"} <= set(r["nodes"])
    assert r["countries"] == ["AZE", "GEO", "TUR"]
    assert [(t["at"], t["kind"]) for t in r["transfers"]] == [("akhalkalaki", "gauge")]
    # published 826-850 km (Wikipedia, BTK railway), +-3%
    assert 826 * 0.97 <= r["distance_km"] <= 850 * 1.03
    assert {leg["mode"] for leg in r["legs"]} == {"rail"}


def test_json_shape_is_exact():
    result = invoke("route", "baku", "kars", "--json", "--alternatives", "2")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert list(payload) == ["routes"]
    route = payload["routes"][0]
    assert list(route) == [
        "rank",
        "distance_km",
        "time_h",
        "moving_h",
        "cost_usd",
        "co2_kg",
        "generalized_usd",
        "countries",
        "nodes",
        "legs",
        "transfers",
        "border_crossings",
        "dwells",
        "box",
    ]
    assert list(route["legs"][0]) == [
        "from",
        "to",
        "link",
        "mode",
        "country",
        "distance_km",
        "time_h",
    ]
    for t in route["transfers"]:
        assert list(t) == ["at", "kind", "hours"] and t["kind"] in ("mode", "gauge")
    for b in route["border_crossings"]:
        assert list(b) == ["at", "from_country", "to_country", "hours"]
    assert [r["rank"] for r in payload["routes"]] == list(range(1, len(payload["routes"]) + 1))


def test_xian_duisburg_with_and_without_russia():
    plain = invoke("route", "xian", "duisburg", "--json")
    assert plain.exit_code == 0, plain.output
    # by train and ferry: with Central Asian trunk roads the fastest answer trucks through Iran
    avoid = invoke(
        "route",
        "xian",
        "duisburg",
        "--avoid-country",
        "RUS",
        "--avoid-country",
        "BLR",
        "--mode",
        "rail",
        "--mode",
        "ferry",
        "--json",
    )
    assert avoid.exit_code == 0, avoid.output
    r = json.loads(avoid.output)["routes"][0]
    assert not {"RUS", "BLR"} & set(r["countries"])
    assert all(leg["country"] not in ("RUS", "BLR") for leg in r["legs"])
    caspian_ports = {"aktau", "kuryk", "turkmenbashi", "alat"}

    def crosses_caspian(route):
        ferries = [leg for leg in route["legs"] if leg["mode"] == "ferry"]
        return any({leg["from"], leg["to"]} <= caspian_ports for leg in ferries)

    # round Russia: across the Caspian (Middle Corridor) or through Iran (Southern route)
    assert crosses_caspian(r) or "IRN" in r["countries"]
    avoid_iran = invoke(
        "route", "xian", "duisburg", *("--avoid-country", "RUS", "--avoid-country", "BLR"),
        *("--avoid-country", "IRN", "--json"),
    )  # fmt: skip
    assert avoid_iran.exit_code == 0, avoid_iran.output
    assert crosses_caspian(json.loads(avoid_iran.output)["routes"][0])


def test_typo_in_place_is_one_line_with_suggestion_and_exit_2(tmp_path):
    done = run("route", "baku", "stepanakrt", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "Stepanakert" in lines[0] and "khankendi" in lines[0]
    assert "Traceback" not in done.stderr


def test_no_route_is_exit_1_and_says_which_constraint():
    # after Sept 2023 the only road in runs through Azerbaijan (Aghdam), barred to Armenian goods
    result = invoke("route", "yerevan", "khankendi", "--mode", "road", "--as-of", "2023-11-01")
    assert result.exit_code == 1
    assert "embargo" in result.output and "blocked by" in result.output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["route", "baku", "kars", "--as-of", "2023-02-30"], "YYYY-MM-DD"),
        (["route", "baku", "kars", "--avoid-country", "XYZ"], "unknown country code 'XYZ'"),
        (["route", "baku", "kars", "--avoid-tag", "lachin"], "'lachin_corridor'"),
        (["route", "baku", "kars", "--weight", "speed"], "Invalid value"),
        (["route", "baku", "baku"], "same place"),
    ],
)
def test_bad_usage_exits_2(args, needle):
    result = invoke(*args)
    assert result.exit_code == 2
    assert needle in result.output


def test_table_output_is_readable():
    result = invoke("route", "baku", "kars", "--mode", "rail", "--weight", "distance")
    assert result.exit_code == 0
    assert "Route 1 of 1: Baku → Kars" in result.output
    assert "gauge change rail:1520→rail:1435 at akhalkalaki" in result.output
    assert "border AZE→GEO" in result.output


def test_places_lists_and_searches():
    result = invoke("places", "stepanakert")
    assert result.exit_code == 0
    assert result.output.startswith("khankendi")
    assert len(invoke("places").output.splitlines()) >= 150
    assert invoke("places", "zzzzqqq").exit_code == 2


def test_places_ranks_a_typo_first():
    # issue 14: difflib listed Astana before Khankendi
    result = invoke("places", "Stepanakrt")
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("khankendi ")
    assert "astana" not in result.output
    assert invoke("places", "Степанакрт").output.startswith("khankendi ")


def test_validate_bundled_and_broken(tmp_path):
    assert invoke("validate").exit_code == 0
    (tmp_path / "nodes_x.geojson").write_text(
        '{"type": "FeatureCollection", "features": [\n'
        '{"type": "Feature", "properties": {"id": "A b"},'
        ' "geometry": null}\n]}\n'
    )
    (tmp_path / "links_x.geojson").write_text('{"type": "FeatureCollection", "features": []}\n')
    result = invoke("validate", str(tmp_path))
    assert result.exit_code == 1
    assert "slug" in result.output and "problem(s) found" in result.output


def test_the_readme_quick_start_excerpt_is_what_compare_prints(tmp_path):
    # the README shows a few rows of the main job's table: each must be a row it prints today
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    excerpt = readme.split("```text\n", 1)[1].split("```", 1)[0]
    rows = [line for line in excerpt.splitlines() if line.startswith("  ") and "…" not in line]
    result = CliRunner().invoke(cli, ["compare", "--no-maps", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    printed = result.output.splitlines()
    assert len(rows) >= 4
    assert [row for row in rows if row not in printed] == []


def test_the_readme_python_example_shows_what_summary_gives():
    # the README's Python example quotes r.summary() in a comment: it must be what it prints
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("```python\n", 1)[1].split("```", 1)[0]
    day = re.search(r'load_network\(as_of="([\d-]+)"\)', block).group(1)
    shown = re.search(r"r\.summary\(\)  # '([^…]+)…", block).group(1)
    net = cr.load_network(as_of=day)
    r = cr.route(net, "Xi'an", "Duisburg", avoid_countries=["RUS", "BLR", "IRN"])
    assert r.summary().startswith(shown.rstrip())

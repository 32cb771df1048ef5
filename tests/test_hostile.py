"""Hostile input: broken datasets and scenario files fail with one line per problem, never a
traceback (issue 9).

Each case writes the toy dataset (``tests/toy.py``) or a small scenario with one thing broken and
checks what a user sees: the exit code, one line on stderr, and a problem that names the file,
the feature and the field.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import toy
from click.testing import CliRunner

import corridors as cr
from corridors.cli import cli

NODES = "nodes_toy.geojson"
LINKS = "links_toy.geojson"


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def assert_one_line_error(result: Any, code: int) -> str:
    """The CLI failed with ``code``, one ``corridors: error:`` line on stderr, no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    assert result.exit_code == code, (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("corridors: error: ")
    return lines[0]


# --- datasets ---------------------------------------------------------------------------------
def _with_node(node_id: str, **changes: Any) -> Callable[[Path], None]:
    def write(directory: Path) -> None:
        nodes = toy.node_features()
        for feature in nodes:
            if feature["properties"]["id"] == node_id:
                feature["properties"].update(changes)
        toy.write_dataset(directory, nodes=nodes)

    return write


def _with_link(link_id: str, **changes: Any) -> Callable[[Path], None]:
    def write(directory: Path) -> None:
        links = toy.link_features()
        for feature in links:
            if feature["properties"]["id"] == link_id:
                feature["properties"].update(changes)
        toy.write_dataset(directory, links=links)

    return write


def _with_geometry(kind: str, feature_id: str, geometry: Any) -> Callable[[Path], None]:
    def write(directory: Path) -> None:
        nodes, links = toy.node_features(), toy.link_features()
        for feature in nodes if kind == "node" else links:
            if feature["properties"]["id"] == feature_id:
                feature["geometry"] = geometry
        toy.write_dataset(directory, nodes=nodes, links=links)

    return write


def _with_text(name: str, text: str) -> Callable[[Path], None]:
    def write(directory: Path) -> None:
        toy.write_dataset(directory)
        (directory / name).write_text(text, encoding="utf-8")

    return write


def _with_embargoes(data: Any) -> Callable[[Path], None]:
    return _with_text("embargoes.json", json.dumps(data))


def _with_basemap(data: Any) -> Callable[[Path], None]:
    return _with_text("countries.geojson", json.dumps(data))


def _raw_features(name: str, features: list[Any]) -> Callable[[Path], None]:
    return _with_text(name, json.dumps({"type": "FeatureCollection", "features": features}))


_EMBARGO = {
    "id": "aze_to_rus",
    "from_country": "AZE",
    "to_country": "RUS",
    "except_tags": [],
    "periods": [{"from": None, "until": None, "source": "test"}],
    "source": "test",
}
_TRIANGLE = {"type": "Polygon", "coordinates": [[[40, 40], [50, 40], [45, 45], [40, 40]]]}

# (writer, words that one problem line must contain: the file, the feature and the field)
DATASET_CASES: dict[str, tuple[Callable[[Path], None], tuple[str, ...]]] = {
    "top-level list": (_with_text(NODES, "[]"), (NODES, "FeatureCollection")),
    "features not a list": (
        _with_text(LINKS, '{"type": "FeatureCollection", "features": {"a": 1}}'),
        (LINKS, "features", "list"),
    ),
    "feature not an object": (_raw_features(LINKS, [5]), (LINKS, "feature 1", "object")),
    "properties not an object": (
        _raw_features(NODES, [{"type": "Feature", "properties": [1], "geometry": None}]),
        (NODES, "feature 1", "properties"),
    ),
    "geometry a string": (
        _with_geometry("node", "a_city", "POINT(49 40)"),
        (NODES, "'a_city'", "geometry"),
    ),
    "null coordinates": (
        _with_geometry("node", "a_city", {"type": "Point", "coordinates": None}),
        (NODES, "'a_city'", "coordinates"),
    ),
    "string coordinates": (
        _with_geometry("node", "g_city", {"type": "Point", "coordinates": ["44.8", "41.7"]}),
        (NODES, "'g_city'", "coordinates"),
    ),
    "NaN coordinates": (
        _with_geometry("node", "a_city", {"type": "Point", "coordinates": [math.nan, 40.5]}),
        (NODES, "'a_city'", "coordinates", "finite"),
    ),
    "latitude out of range": (
        _with_geometry("node", "a_city", {"type": "Point", "coordinates": [49.0, 140.5]}),
        (NODES, "'a_city'", "coordinates", "latitude"),
    ),
    "null point in a line": (
        _with_geometry(
            "link",
            "road_a_city_b_border",
            {"type": "LineString", "coordinates": [[49.0, 40.5], None, [45.4, 41.1]]},
        ),
        (LINKS, "'road_a_city_b_border'", "coordinates"),
    ),
    "infinite point in a line": (
        _with_geometry(
            "link",
            "road_a_city_b_border",
            {"type": "LineString", "coordinates": [[49.0, 40.5], [math.inf, 41.0], [45.4, 41.1]]},
        ),
        (LINKS, "'road_a_city_b_border'", "coordinates", "finite"),
    ),
    "not JSON": (_with_text(LINKS, "{nope"), (LINKS, "JSON")),
    "nested too deeply": (_with_text(NODES, "[" * 5000 + "]" * 5000), (NODES, "nested")),
    "embargoes a list": (_with_embargoes([_EMBARGO]), ("embargoes.json", "embargoes")),
    "embargo not an object": (
        _with_embargoes({"embargoes": [5]}),
        ("embargoes.json", "embargoes[0]", "object"),
    ),
    "embargo periods a string": (
        _with_embargoes({"embargoes": [{**_EMBARGO, "periods": "always"}]}),
        ("embargoes.json", "'aze_to_rus'", "periods", "list"),
    ),
    "embargo except_tags of numbers": (
        _with_embargoes({"embargoes": [{**_EMBARGO, "except_tags": [1]}]}),
        ("embargoes.json", "'aze_to_rus'", "except_tags", "string"),
    ),
    "embargo id a list": (
        _with_embargoes({"embargoes": [{**_EMBARGO, "id": ["x"]}]}),
        ("embargoes.json", "id", "slug"),
    ),
    "embargo period until a number": (
        _with_embargoes({"embargoes": [{**_EMBARGO, "periods": [{"until": 2020, "source": "s"}]}]}),
        ("embargoes.json", "'aze_to_rus'", "periods[0]", "until"),
    ),
    "basemap without ADM0_A3": (
        _with_basemap(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"ISO": "AZE"}, "geometry": _TRIANGLE}
                ],
            }
        ),
        ("countries.geojson", "ADM0_A3"),
    ),
    "basemap a list": (_with_basemap([]), ("countries.geojson", "FeatureCollection")),
    "name a number": (_with_node("a_city", name=5), (NODES, "'a_city'", "name", "string")),
    "aliases a string": (
        _with_node("a_city", aliases="Alfa"),
        (NODES, "'a_city'", "aliases", "list of strings"),
    ),
    "aliases of numbers": (
        _with_node("a_city", aliases=[1, 2]),
        (NODES, "'a_city'", "aliases", "list of strings"),
    ),
    "node tags of lists": (
        _with_node("g_city", tags=[["middle"]]),
        (NODES, "'g_city'", "tags", "list of strings"),
    ),
    "kind a list": (_with_node("g_city", kind=["city"]), (NODES, "'g_city'", "kind")),
    "source a number": (_with_node("g_city", source=7), (NODES, "'g_city'", "source", "string")),
    "border hours as text": (
        _with_node("b_border", border_hours="5"),
        (NODES, "'b_border'", "border_hours", "number"),
    ),
    "border hours infinite": (
        _with_node("b_border", border_hours=math.inf),
        (NODES, "'b_border'", "border_hours", "finite"),
    ),
    "border sides of lists": (
        _with_node("b_border", countries=[["AZE"], ["GEO"]]),
        (NODES, "'b_border'", "countries"),
    ),
    "node status of lists": (
        _with_node("g_city", status=[{"status": ["open"], "from": None, "source": "s"}]),
        (NODES, "'g_city'", "status[0]"),
    ),
    "speed zero": (
        _with_link("rail_a_city_b_border", speed_kmh=0),
        (LINKS, "'rail_a_city_b_border'", "speed_kmh", "> 0"),
    ),
    "speed NaN": (
        _with_link("rail_a_city_b_border", speed_kmh=math.nan),
        (LINKS, "'rail_a_city_b_border'", "speed_kmh", "finite"),
    ),
    "speed a bool": (
        _with_link("rail_a_city_b_border", speed_kmh=True),
        (LINKS, "'rail_a_city_b_border'", "speed_kmh", "number"),
    ),
    "length as text": (
        _with_link("road_a_city_b_border", length_km="300"),
        (LINKS, "'road_a_city_b_border'", "length_km", "number"),
    ),
    "gauge a bool": (
        _with_link("rail_a_city_b_border", gauge_mm=True),
        (LINKS, "'rail_a_city_b_border'", "gauge_mm", "whole number"),
    ),
    "gauge on a road as text": (
        _with_link("road_a_city_b_border", gauge_mm="1520"),
        (LINKS, "'road_a_city_b_border'", "gauge_mm"),
    ),
    "oneway as text": (
        _with_link("road_a_city_b_border", oneway="no"),
        (LINKS, "'road_a_city_b_border'", "oneway", "true or false"),
    ),
    "u a list": (
        _with_link("road_a_city_b_border", u=["a_city"]),
        (LINKS, "'road_a_city_b_border'", "u"),
    ),
    "mode a list": (
        _with_link("road_a_city_b_border", mode=["road"]),
        (LINKS, "'road_a_city_b_border'", "mode"),
    ),
    "link tags of numbers": (
        _with_link("road_a_city_b_border", tags=[1]),
        (LINKS, "'road_a_city_b_border'", "tags", "list of strings"),
    ),
    "capacity zero": (
        _with_link("road_a_city_b_border", capacity_teu_year=0, capacity_source="s"),
        (LINKS, "'road_a_city_b_border'", "capacity_teu_year", "> 0"),
    ),
    "wait infinite": (
        _with_link("ferry_k_port_a_port", wait_h=-math.inf),
        (LINKS, "'ferry_k_port_a_port'", "wait_h", "finite"),
    ),
    "length source a number": (
        _with_link("road_a_city_b_border", length_source=1),
        (LINKS, "'road_a_city_b_border'", "length_source", "string"),
    ),
    "status from a list": (
        _with_link(
            "road_a_city_b_border", status=[{"status": "open", "from": [2020], "source": "s"}]
        ),
        (LINKS, "'road_a_city_b_border'", "status[0]", "from"),
    ),
}


@pytest.fixture(params=sorted(DATASET_CASES))
def broken(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, tuple[str, ...]]:
    write, words = DATASET_CASES[request.param]
    write(tmp_path)
    return tmp_path, words


def test_validate_names_the_file_feature_and_field(broken):
    directory, words = broken
    result = invoke("validate", str(directory))
    assert_one_line_error(result, 1)
    problems = result.stdout.splitlines()
    assert any(all(w in p for w in words) for p in problems), (words, problems)


def test_loading_broken_data_raises_one_dataset_error(broken):
    directory, words = broken
    with pytest.raises(cr.DatasetError) as info:
        cr.load_network(directory)
    assert any(all(w in p for w in words) for p in info.value.problems), info.value.problems
    assert all("\n" not in p for p in info.value.problems)


def test_routing_on_broken_data_is_one_line(broken):
    directory, _ = broken
    result = invoke("route", "a_city", "t_city", "--data", str(directory))
    assert_one_line_error(result, 1)


def test_every_problem_in_every_file_is_reported(tmp_path):
    nodes, links = toy.node_features(), toy.link_features()
    nodes[0]["properties"]["name"] = 5
    links[0]["properties"]["speed_kmh"] = math.nan
    toy.write_dataset(tmp_path, nodes=nodes, links=links)
    (tmp_path / "nodes_zz.geojson").write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "links_zz.geojson").write_text("not json", encoding="utf-8")
    (tmp_path / "embargoes.json").write_text('{"embargoes": [7]}', encoding="utf-8")
    problems = cr.validate(tmp_path, geography=False)
    for words in (
        (NODES, "'a_city'", "name"),
        (LINKS, "'rail_a_port_a_city'", "speed_kmh"),
        ("nodes_zz.geojson",),
        ("links_zz.geojson",),
        ("embargoes.json", "embargoes[0]"),
    ):
        assert any(all(w in p for w in words) for p in problems), (words, problems)


def test_the_bundled_dataset_and_the_toy_still_validate(toy_dir):
    # the stricter types must not reject the real data or the fixture
    assert cr.validate(geography=False) == []
    assert cr.validate(toy_dir, geography=False) == []


# --- scenario files ---------------------------------------------------------------------------
_OK = 'name = "hostile"\n'

SCENARIO_CASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "avoid countries nested": (
        _OK + '[avoid]\ncountries = [["RUS"]]\n',
        ("avoid.countries", "string"),
    ),
    "override link a list": (
        _OK + '[[overrides]]\nlink = ["road_a_city_b_border"]\nstatus = "closed"\nsource = "s"\n',
        ("overrides[0].link", "string"),
    ),
    "od modes nested": (
        _OK + '[[od]]\nfrom = "a_city"\nto = "t_city"\nmodes = [["rail"]]\n',
        ("od[0].modes", "string"),
    ),
    "od label a list": (
        _OK + '[[od]]\nfrom = "a_city"\nto = "t_city"\nlabel = [1]\n',
        ("od[0].label", "string"),
    ),
    "sources nested": (_OK + 'sources = [["x"]]\n', ("sources", "string")),
    "override note a table": (
        _OK + '[[overrides]]\nlink = "road_a_city_b_border"\nspeed_kmh = 50\nsource = "s"\n'
        "note = {a = 1}\n",
        ("overrides[0].note", "string"),
    ),
    "nested too deeply": (_OK + "sources = " + "[" * 3000 + "]" * 3000 + "\n", ("nested",)),
    "speed factor NaN": (
        _OK + '[factors]\n"speed_kmh.rail" = nan\n',
        ("factors.speed_kmh.rail = nan", "finite number > 0"),
    ),
    "speed factor infinite": (
        _OK + '[factors]\n"speed_kmh.road" = inf\n',
        ("factors.speed_kmh.road = inf", "finite number > 0"),
    ),
    "speed factor zero": (
        _OK + '[factors]\n"speed_kmh.road" = 0\n',
        ("factors.speed_kmh.road = 0", "> 0"),
    ),
    "wait factor minus infinity": (
        _OK + '[factors]\n"wait_h.ferry" = -inf\n',
        ("factors.wait_h.ferry = -inf", "finite number >= 0"),
    ),
    "override speed NaN": (
        _OK + '[[overrides]]\nlink = "road_a_city_b_border"\nspeed_kmh = nan\nsource = "s"\n',
        ("overrides[0].speed_kmh = nan", "finite number > 0"),
    ),
    "override speed factor infinite": (
        _OK + '[[overrides]]\ntag = "middle"\nspeed_factor = inf\nsource = "s"\n',
        ("overrides[0].speed_factor = inf", "finite number > 0"),
    ),
    "override speed zero": (
        _OK + '[[overrides]]\nlink = "road_a_city_b_border"\nspeed_kmh = 0\nsource = "s"\n',
        ("overrides[0].speed_kmh = 0", "> 0"),
    ),
    "override border hours NaN": (
        _OK + '[[overrides]]\nnode = "b_border"\nborder_hours = nan\nsource = "s"\n',
        ("overrides[0].border_hours = nan", "finite number >= 0"),
    ),
    "override capacity zero": (
        _OK + '[[overrides]]\nnode = "b_border"\ncapacity_teu_year = 0\nsource = "s"\n',
        ("overrides[0].capacity_teu_year = 0", "> 0"),
    ),
    "alternatives zero": (_OK + "alternatives = 0\n", ("alternatives", "1 to")),
    "alternatives huge": (_OK + "alternatives = 100000000000\n", ("alternatives", "1 to")),
    "empty name": ('name = ""\n', ("name", "one line of printable text")),
    "name of two lines": ('name = "a\\nb"\n', ("name", "one line of printable text")),
    "empty baseline": (_OK + 'baseline = " "\n', ("baseline", "not be empty")),
    "as_of a time": (_OK + "as_of = 07:32:00\n", ("as_of",)),
}


@pytest.mark.parametrize("case", sorted(SCENARIO_CASES))
def test_bad_scenario_value_is_one_line_naming_file_and_key(case, toy_dir, tmp_path):
    text, words = SCENARIO_CASES[case]
    path = tmp_path / "my.toml"
    path.write_text(text, encoding="utf-8")
    result = invoke("route", "a_city", "t_city", "--data", str(toy_dir), "--scenario", str(path))
    line = assert_one_line_error(result, 2)
    assert "my.toml" in line
    for word in words:
        assert word in line, (word, line)


def test_bad_scenario_in_compare_is_one_line(toy_dir, tmp_path):
    path = tmp_path / "my.toml"
    path.write_text(_OK + '[factors]\n"speed_kmh.rail" = nan\n', encoding="utf-8")
    result = invoke(
        "compare",
        str(path),
        "--data",
        str(toy_dir),
        "--od",
        "a_city:t_city",
        "--no-maps",
        "--out",
        str(tmp_path / "out"),
    )
    line = assert_one_line_error(result, 2)
    assert "my.toml: factors.speed_kmh.rail = nan" in line


@pytest.mark.parametrize(
    ("encoding", "text"),
    [("utf-16", _OK), ("latin-1", _OK + 'description = "Kars–Iğdır"\n'.replace("–Iğdır", "é"))],
)
def test_scenario_not_in_utf8_is_named(encoding, text, toy_dir, tmp_path):
    path = tmp_path / f"{encoding}.toml"
    path.write_bytes(text.encode(encoding))
    result = invoke("route", "a_city", "t_city", "--data", str(toy_dir), "--scenario", str(path))
    line = assert_one_line_error(result, 2)
    assert f"{encoding}.toml" in line and "UTF-8" in line


def test_scenario_that_is_not_toml_is_named(toy_dir, tmp_path):
    path = tmp_path / "picture.toml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = invoke("route", "a_city", "t_city", "--data", str(toy_dir), "--scenario", str(path))
    line = assert_one_line_error(result, 2)
    assert "picture.toml" in line


def test_a_directory_given_as_the_scenario(toy_dir, tmp_path):
    folder = tmp_path / "scen.toml"
    folder.mkdir()
    result = invoke("route", "a_city", "t_city", "--data", str(toy_dir), "--scenario", str(folder))
    line = assert_one_line_error(result, 2)
    assert "scen.toml" in line and "directory" in line


def test_zero_waits_and_factors_stay_allowed(toy_dir, tmp_path):
    # zero is meaningful for waits, hours and costs (a border abolished), unlike for speeds
    path = tmp_path / "ok.toml"
    path.write_text(
        _OK + '[[overrides]]\ntag = "middle"\nborder_hours_factor = 0\nsource = "s"\n'
        '[factors]\n"wait_h.ferry" = 0\n"border_hours.rail" = 0.0\n',
        encoding="utf-8",
    )
    result = invoke(
        "route", "a_city", "t_city", "--data", str(toy_dir), "--scenario", str(path), "--json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["routes"][0]["nodes"][0] == "a_city"


def test_read_features_names_a_broken_file(tmp_path):
    from corridors import _geojson

    path = tmp_path / "links_x.geojson"
    for text in ("[1, 2]", '{"features": [5]}', "{oops", "[" * 5000 + "]" * 5000):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(cr.DatasetError, match=r"^links_x\.geojson: ") as info:
            _geojson.read_features(path)
        assert "\n" not in str(info.value)


def test_scenario_path_with_a_nul_byte_is_usage(toy_dir):
    result = invoke("route", "a_city", "t_city", "--data", str(toy_dir), "--scenario", "a\0b.toml")
    line = assert_one_line_error(result, 2)
    assert "does not exist" in line


def test_geography_problems_name_the_file(tmp_path):
    nodes = toy.node_features()
    for feature in nodes:
        if feature["properties"]["id"] == "g_city":
            feature["geometry"]["coordinates"] = [49.0, 40.6]  # in Azerbaijan, not Georgia
    toy.write_dataset(tmp_path, nodes=nodes)
    problems = cr.validate(tmp_path, geography=True)
    assert any(
        p.startswith(f"{NODES}: node 'g_city': country = 'GEO'") and "lies in AZE" in p
        for p in problems
    ), problems


def test_a_file_given_as_the_dataset_directory(tmp_path):
    path = tmp_path / "nodes.geojson"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(cr.UsageError, match="is a file, not a folder"):
        cr.read_dataset(path)

"""What `compare` writes for analysts: tidy GIS layers, normalised sources, a report."""

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pandas as pd
import pyogrio
import pytest

from corridors import maps, reports
from corridors.comparison import compare_routes

LAYERS = ["routes", "legs", "borders", "transfers"]
PAIRS = [("baku", "nakhchivan"), ("baku", "kars")]


@pytest.fixture(scope="module")
def two(bundled, tmp_path_factory):
    """Today against the Zangezur route open, for two pairs, written as compare writes it."""
    comparison = compare_routes(["2026-today", "2028-zangezur-open"], od=PAIRS, net=bundled)
    out = tmp_path_factory.mktemp("two") / "out"
    reports.write_comparison(comparison, out)
    return comparison, out


# --- GeoPackage ---------------------------------------------------------------------------------
def test_geopackage_has_tidy_layers_with_a_scenario_column(two):
    comparison, out = two
    path = out / "routes.gpkg"
    listed = dict(pyogrio.list_layers(path))
    assert {name: listed[name] for name in LAYERS} == {
        "routes": "MultiLineString",
        "legs": "LineString",
        "borders": "Point",
        "transfers": "Point",
    }
    frames = {name: pyogrio.read_dataframe(path, layer=name) for name in LAYERS}
    for name, frame in frames.items():
        assert list(frame.columns[:3]) == ["scenario", "od", "rank"], name
        assert frame.crs.to_epsg() == 4326
        assert set(frame["scenario"]) == {"2026-today", "2028-zangezur-open"}, name
    # one row per scenario × pair × rank, with the table's totals
    table = comparison.table
    keys = zip(table["scenario"], table["od"], table["rank"], strict=True)
    routes = [comparison.routes[k] for k in keys if k in comparison.routes]
    assert len(routes) == len(table) and len(comparison.routes) > len(table)  # + baselines
    assert len(frames["routes"]) == len(table)
    merged = frames["routes"].merge(table, on=["scenario", "od", "rank"], suffixes=("", "_t"))
    assert (merged["time_h"] == merged["time_h_t"]).all()
    assert len(frames["legs"]) == sum(len(r.legs) for r in routes)
    for row in frames["routes"].itertuples():  # each route drawn as its legs, in order
        lines = [[list(p) for p in line.coords] for line in row.geometry.geoms]
        legs = comparison.routes[(row.scenario, row.od, row.rank)].leg_coords
        assert lines == [[list(p) for p in line] for line in legs]
    assert len(frames["borders"]) == sum(len(r.border_crossings) for r in routes)
    assert len(frames["transfers"]) == sum(len(r.transfers) for r in routes)
    # the legs of each route add up to its length in the table
    km = frames["legs"].groupby(["scenario", "od", "rank"])["distance_km"].sum()
    for row in table.itertuples():
        assert km[(row.scenario, row.od, row.rank)] == pytest.approx(row.distance_km, abs=0.06)
    # a border point stands where the crossing is, with its hours and cost
    zangezur = comparison.routes[("2028-zangezur-open", "baku→nakhchivan", 1)]
    crossing = zangezur.border_crossings[0]
    where = "scenario == '2028-zangezur-open' and od == 'baku→nakhchivan' and rank == 1"
    point = frames["borders"].query(f"{where} and seq == 0").iloc[0]
    node = comparison.net.node_records[crossing.at]
    assert (point.geometry.x, point.geometry.y) == (node["lon"], node["lat"])
    assert point["hours"] == pytest.approx(crossing.hours, abs=0.01)
    assert point["cost_usd"] == pytest.approx(crossing.cost_usd, abs=0.1)
    assert {"mode", "country", "distance_km", "time_h", "cost_usd", "co2_kg"} <= set(
        frames["legs"].columns
    )


def test_geopackage_opens_in_ogrinfo(two):
    exe = shutil.which("ogrinfo")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install ogrinfo (gdal-bin, see .ci/run)")
        pytest.skip("ogrinfo (GDAL's command line tools, Debian gdal-bin) is not installed")
    _, out = two
    for layer in LAYERS:
        done = subprocess.run(
            [exe, "-ro", "-so", str(out / "routes.gpkg"), layer],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert "scenario: String" in done.stdout and "Feature Count: 0" not in done.stdout
        assert "Warning" not in done.stderr and "ERROR" not in done.stderr, done.stderr


def test_layer_styles_colour_legs_by_mode_and_routes_by_scenario(two):
    _, out = two
    styles = pyogrio.read_dataframe(out / "routes.gpkg", layer="layer_styles")
    assert sorted(styles["f_table_name"]) == sorted(LAYERS)
    assert styles["useAsDefault"].all() and set(styles["f_geometry_column"]) == {"geom"}
    qml = dict(zip(styles["f_table_name"], styles["styleQML"], strict=True))

    def categories(layer):
        root = ET.fromstring(qml[layer].split(">", 1)[1])  # after the DOCTYPE
        renderer = root.find("renderer-v2")
        colours = {}
        for symbol in renderer.iter("symbol"):
            option = symbol.find(".//Option[@name='line_color']")
            prop = symbol.find(".//prop[@k='line_color']")  # what older QGIS reads
            assert option.get("value") == prop.get("v")
            colours[symbol.get("name")] = option.get("value")
        return renderer.get("attr"), {
            c.get("value"): colours[c.get("symbol")] for c in renderer.iter("category")
        }

    def rgba(hex_colour):
        return ",".join(str(int(hex_colour[i : i + 2], 16)) for i in (1, 3, 5)) + ",255"

    assert categories("legs") == (
        "mode",
        {mode: rgba(style["color"]) for mode, style in maps.MODE_STYLE.items()},
    )
    attr, by_scenario = categories("routes")
    assert attr == "scenario"
    assert by_scenario == {
        "2026-today": rgba(maps.ROUTE_COLORS[0]),
        "2028-zangezur-open": rgba(maps.ROUTE_COLORS[1]),
    }
    for sld in styles["styleSLD"]:
        ET.fromstring(sld)  # well-formed


# --- sources and figures ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    """The default `compare`: every bundled scenario and its pairs."""
    comparison = compare_routes()
    out = tmp_path_factory.mktemp("default") / "out"
    reports.write_comparison(comparison, out)
    return comparison, out


def test_default_compare_sources_are_small_and_rebuild_every_total(default_run):
    _, out = default_run
    files = ["sources.csv", "figures.csv", "route_elements.csv"]
    assert sum((out / name).stat().st_size for name in files) < 1_000_000
    sources = pd.read_csv(out / "sources.csv", keep_default_na=False)
    figures = pd.read_csv(out / "figures.csv")
    steps = pd.read_csv(out / "route_elements.csv")
    table = pd.read_csv(out / "comparison.csv")
    assert sources["source_id"].is_unique and sources["text"].is_unique
    assert set(figures["source_id"]) <= set(sources["source_id"])
    assert (figures.groupby("element_id")["element"].nunique() == 1).all()
    # sum the element totals of every route and find the route's totals in comparison.csv
    totals = list(reports.TOTAL_FIGURES)
    per_element = figures[figures["figure"].isin(totals)].pivot(
        index="element_id", columns="figure", values="value"
    )
    rebuilt = (
        steps.merge(per_element.fillna(0.0), left_on="element_id", right_index=True)
        .groupby(["scenario", "od", "rank"])[totals]
        .sum()
    )
    routed = table.dropna(subset=["time_h"]).set_index(["scenario", "od", "rank"])
    assert len(rebuilt) == len(routed) > 200
    joined = routed[totals].merge(
        rebuilt, left_index=True, right_index=True, suffixes=("", "_rebuilt")
    )
    for column, tolerance in [("distance_km", 0.06), ("time_h", 0.06), ("cost_usd", 0.6)]:
        gap = (joined[column] - joined[f"{column}_rebuilt"]).abs()
        assert gap.max() <= tolerance, (column, gap.idxmax())
    gap = (joined["co2_kg"] - joined["co2_kg_rebuilt"]).abs()
    assert gap.max() <= 0.6
    # each cited input of an element is there with its source text
    some = steps.iloc[len(steps) // 2]
    step = default_run[0].routes[(some["scenario"], some["od"], some["rank"])].steps[some["step"]]
    cited = figures[figures["element_id"] == some["element_id"]].merge(sources, on="source_id")
    expected = {(q, round(v, 4), src) for q, v, src in step.provenance}
    assert expected <= set(zip(cited["figure"], cited["value"], cited["text"], strict=True))


def test_units_read_from_the_figure_names():
    assert reports._unit("length_km") == "km"
    assert reports._unit("speed_kmh") == "km/h"
    assert reports._unit("border_hours") == "h"
    assert reports._unit("cost_usd_per_teu_km") == "USD per TEU-km"
    assert reports._unit("capacity_teu_year") == "TEU per year"
    assert reports._unit("port_calls") == ""


# --- comparison.md --------------------------------------------------------------------------------
def _finding(report, od, label):
    block = report.split(f"### {od}\n", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    lines = block.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"- **{label}**"))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("- ")), len(lines))
    return lines[start], [line.removeprefix("  - ") for line in lines[start + 1 : end]]


def test_report_starts_with_what_each_scenario_changes_and_why(two, bundled):
    comparison, out = two
    report = (out / "comparison.md").read_text(encoding="utf-8")
    assert report.startswith("# Scenario comparison\n\n## Key findings\n")
    order = [report.index(h) for h in ("## Key findings", "## Scenarios", "| scenario |")]
    assert order == sorted(order) and report.index("## Sources of the figures") > order[-1]
    r_s = comparison.routes[("2028-zangezur-open", "baku→nakhchivan", 1)]
    r_b = comparison.routes[("2026-today", "baku→nakhchivan", 1)]
    head, reasons = _finding(report, "baku→nakhchivan", "2028-zangezur-open")
    dt_h, dc = r_s.time_h - r_b.time_h, r_s.cost_usd - r_b.cost_usd
    assert dt_h < -1 and dc < -1  # the Zangezur route is shorter: there is a change to report
    assert head.startswith("- **2028-zangezur-open** against 2026-today: ")
    assert f"time {dt_h:+,.1f} h ({dt_h / 24:+.1f} days, {dt_h / r_b.time_h * 100:+.0f} %)" in head
    assert f"cost {dc:+,.0f} USD/TEU ({dc / r_b.cost_usd * 100:+.0f} %)" in head
    # why: the links of the new route that are not open on the baseline's date are named
    today = bundled.at("2026-11-29")
    not_open = [link for link in dict.fromkeys(r_s.links) if today.link_status(link) != "open"]
    assert not_open
    (opened,) = [r for r in reasons if r.startswith("opened for this route: ")]
    assert [link.strip("`") for link in opened.split(": ", 1)[1].split(", ")] == not_open[:6]


def test_report_names_countries_avoided_and_lists_unchanged_scenarios(bundled, tmp_path):
    pair = [("xian", "duisburg")]
    chosen = ["2021-baseline", "2022-sanctions", "2023-lachin-blockade"]
    comparison = compare_routes(chosen, od=pair, net=bundled)
    report = reports.markdown(comparison)
    r_b = comparison.routes[("2021-baseline", "xian→duisburg", 1)]
    r_s = comparison.routes[("2022-sanctions", "xian→duisburg", 1)]
    assert {"RUS", "BLR"} <= set(r_b.countries) and not {"RUS", "BLR"} & set(r_s.countries)
    head, reasons = _finding(report, "xian→duisburg", "2022-sanctions")
    assert f"instead of {'-'.join(r_b.countries)} (no longer through RUS, BLR" in head
    assert "the scenario avoids countries RUS, BLR" in reasons
    # the Lachin blockade does not touch China-Europe rail: listed once as unchanged
    assert comparison.routes[("2023-lachin-blockade", "xian→duisburg", 1)].links == r_b.links
    assert "- Unchanged in 2023-lachin-blockade (same route" in report


def test_report_shows_the_maps_inline(two, tmp_path):
    from PIL import Image

    comparison, _ = two

    def draw(comparison, folder):
        path = folder / "maps" / "route_01_baku-nakhchivan.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (4, 4)).save(path)
        return [path]

    out = tmp_path / "out"
    reports.write_comparison(comparison, out, extra=[draw])
    report = (out / "comparison.md").read_text(encoding="utf-8")
    link = "![route 01 baku-nakhchivan](maps/route_01_baku-nakhchivan.png)"
    assert link in report and (out / "maps" / "route_01_baku-nakhchivan.png").is_file()
    assert report.index("## Maps") > report.index("| scenario |")

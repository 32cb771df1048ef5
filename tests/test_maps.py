"""Static and interactive maps: they are drawn, sized, offline, and show the routes."""

import re

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

import corridors as cr
from corridors import maps
from corridors.cli import cli

ROUTE_RGB = (0xD6, 0x27, 0x28)  # the first route colour, maps.ROUTE_COLORS[0]


@pytest.fixture(scope="module")
def routes(bundled):
    return cr.alternatives(bundled, "xian", "duisburg", k=3)


def _png(path):
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def _has_colour(pixels, rgb, *, tolerance=30, minimum=50):
    close = np.all(np.abs(pixels.astype(int) - np.array(rgb)) <= tolerance, axis=-1)
    return int(close.sum()) >= minimum


@pytest.mark.parametrize("region", ["eurasia", "caucasus", "caspian", (44.0, 38.0, 47.0, 40.0)])
def test_plot_network_regions(bundled, tmp_path, region):
    ax = maps.plot_network(bundled, region=region)
    assert ax.get_title(loc="left").startswith("Corridor network")
    assert ax.get_xlabel() == "" and not ax.get_xticks().size
    path = maps.save_figure(ax, tmp_path / "net.png")
    pixels = _png(path)
    width = pixels.shape[1]
    assert width == 12 * 130  # 12 inches at 130 dpi
    assert 0.3 * width < pixels.shape[0] < 1.5 * width
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50  # not a blank image


def test_caucasus_map_is_projected_in_utm_38n(bundled):
    ax = maps.plot_network(bundled, region="caucasus", labels=False)
    x0, x1 = ax.get_xlim()
    assert 100_000 < x0 < x1 < 1_100_000  # UTM eastings in metres, not degrees
    texts = {t.get_text().strip() for t in ax.texts}
    assert {"ARMENIA", "AZERBAIJAN"} <= texts


def test_labels_do_not_overlap(bundled):
    ax = maps.plot_network(bundled, region="caucasus")
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_text().startswith(" ")]
    assert len(boxes) >= 15
    for i, a in enumerate(boxes):
        for b in boxes[:i]:
            assert not a.overlaps(b)


def test_plot_routes_legend_and_colour(routes, bundled, tmp_path):
    ax = maps.plot_routes(routes, net=bundled)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(legend) == len(routes)
    assert all(re.search(r"[\d,]+ km, [\d.]+ days", text) for text in legend)
    path = maps.save_figure(ax, tmp_path / "routes.png")
    assert _has_colour(_png(path), ROUTE_RGB)


@pytest.mark.parametrize("suffix", [".svg", ".pdf"])
def test_vector_formats(routes, tmp_path, suffix):
    path = maps.save_figure(maps.plot_routes(routes[:1]), tmp_path / f"map{suffix}")
    assert path.stat().st_size > 10_000
    with pytest.raises(cr.UsageError, match=r"use \.png"):
        maps.save_figure(maps.plot_routes(routes[:1]), tmp_path / "map.jpeg")


def test_region_errors():
    with pytest.raises(cr.UsageError, match="unknown region 'europe'"):
        maps.region_for("europe")
    with pytest.raises(cr.UsageError, match="bad bbox"):
        maps.region_for((50, 40, 45, 45))
    assert maps.region_for(None, extent=(44, 39, 46, 41)).name == "caucasus"
    assert maps.region_for(None, extent=(-20, -35, 120, 40)).name == "world"


def test_link_changes_on_the_toy_network(toy_net):
    assert maps.link_changes(toy_net, toy_net.at("2023-06-01")) == {
        "road_g_city_t_border": "closed"
    }
    assert maps.link_changes(toy_net, toy_net.at("2031-01-01")) == {
        "rail_g_city_t_border": "opened"
    }


def test_plot_scenario_diff(bundled, tmp_path):
    ax = maps.plot_scenario_diff("2026-today", "2028-zangezur-open", region="caucasus", net=bundled)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(text.startswith("opened") for text in legend)
    pixels = _png(maps.save_figure(ax, tmp_path / "diff.png"))
    assert _has_colour(pixels, (0x1A, 0x96, 0x41))


def test_cli_map_and_compare_maps(tmp_path):
    runner = CliRunner()
    png = tmp_path / "m.png"
    result = runner.invoke(cli, ["map", "--route", "baku:kars", "-o", str(png)])
    assert result.exit_code == 0, result.output
    assert _has_colour(_png(png), ROUTE_RGB)
    html_file = tmp_path / "m.html"
    assert runner.invoke(cli, ["map", "-r", "caucasus", "-o", str(html_file)]).exit_code == 0
    assert html_file.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    bad = runner.invoke(cli, ["map", "-o", str(tmp_path / "m.txt")])
    assert bad.exit_code == 2 and ".png" in bad.output
    out = tmp_path / "out"
    result = runner.invoke(
        cli,
        [
            "compare",
            "2026-today",
            "2028-zangezur-open",
            "--od",
            "baku:nakhchivan",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (out / "maps").iterdir())
    assert "diff_2026-today__2028-zangezur-open.png" in names
    assert any(n.startswith("route_01_baku-nakhchivan") for n in names)


def test_cli_map_by_corridor_family(tmp_path):
    runner = CliRunner()
    png = tmp_path / "families.png"
    args = ["map", "--route", "baku:nakhchivan", "--corridors", "caucasus", "-r", "caucasus"]
    result = runner.invoke(cli, [*args, "-s", "2028-zangezur-open", "--dpi", "60", "-o", str(png)])
    assert result.exit_code == 0, result.output
    pixels = _png(png)
    assert pixels.shape[1] == 12 * 60
    colours = [tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in maps.ROUTE_COLORS[:3]]
    assert all(_has_colour(pixels, rgb) for rgb in colours)  # one line per family
    html_file = tmp_path / "families.html"
    result = runner.invoke(cli, [*args, "-o", str(html_file)])
    assert result.exit_code == 0, result.output
    page = html_file.read_text(encoding="utf-8")
    assert "Aras corridor (through Iran)" in page and "Through Georgia and Turkey" in page
    alone = runner.invoke(cli, ["map", "--corridors", "caucasus", "-o", str(png)])
    assert alone.exit_code == 2 and "needs --route" in alone.output

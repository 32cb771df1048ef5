"""Static and interactive maps: they are drawn, sized, offline, and show the routes."""

import os
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


def _text_boxes(ax):
    """Return the display boxes of every text on the axes, measured as the saved map draws."""
    figure = ax.figure
    figure.canvas.draw()  # the final layout, as savefig renders it
    renderer = figure.canvas.get_renderer()
    return {t: t.get_window_extent(renderer) for t in ax.texts if t.get_visible()}


def _assert_disjoint(boxes):
    items = list(boxes.items())
    for i, (text_a, a) in enumerate(items):
        for text_b, b in items[:i]:
            assert not a.overlaps(b), (text_a.get_text(), text_b.get_text())


def test_labels_do_not_overlap(bundled):
    ax = maps.plot_network(bundled, region="caucasus")
    boxes = _text_boxes(ax)
    places = [t for t in boxes if t.get_gid() == "place"]
    assert len(places) >= 15
    assert {"Baku", "Yerevan", "Tbilisi", "Nakhchivan"} <= {t.get_text() for t in places}
    _assert_disjoint(boxes)  # place and country names, the scale bar's figure
    legend = ax.get_legend().get_window_extent(ax.figure.canvas.get_renderer())
    frame = ax.get_window_extent()
    for text, box in boxes.items():
        assert not box.overlaps(legend), text.get_text()
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, text.get_text()
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, text.get_text()


def test_route_ends_in_the_caucasus_are_labelled_without_overlap(bundled):
    # Nakhchivan, Julfa/Jolfa, Ordubad, Meghri: close places a route's stops force onto the map
    routes = [
        cr.route(bundled, "baku", "nakhchivan", modes=["rail"], scenario="2028-zangezur-open"),
        cr.route(bundled, "baku", "nakhchivan", modes=["road"]),
        cr.route(bundled, "baku", "khankendi"),
    ]
    ax = maps.plot_routes(routes, net=bundled, region="caucasus")
    boxes = _text_boxes(ax)
    names = {t.get_text() for t in boxes if t.get_gid() == "place"}
    assert {"Baku", "Nakhchivan", "Khankendi"} <= names
    _assert_disjoint(boxes)


def _map_xy(ax, region, lonlat):
    from pyproj import Transformer

    to = Transformer.from_crs("EPSG:4326", maps.REGIONS[region].crs, always_xy=True)
    lon, lat = np.asarray(lonlat, dtype=float).T
    return np.column_stack(to.transform(lon, lat))


@pytest.mark.parametrize("region", [None, "eurasia"])
def test_the_cape_route_stays_on_the_map(bundled, region):
    cape = cr.route(bundled, "shanghai", "rotterdam", modes=["sea"], scenario="red-sea-closed")
    lonlat = [p for line in cape.leg_coords for p in line]
    assert min(lat for _, lat in lonlat) < -30  # it does round the Cape of Good Hope
    ax = maps.plot_routes(cape, net=bundled, region=region)
    xy = _map_xy(ax, "world", lonlat)  # too far south for Eurasia's conic projection
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert (xy[:, 0] > x0).all() and (xy[:, 0] < x1).all()
    assert (xy[:, 1] > y0).all() and (xy[:, 1] < y1).all()
    if region is None:  # fitted: the route fills the frame but for a margin, in one direction
        span = (xy.max(axis=0) - xy.min(axis=0)) / np.array([x1 - x0, y1 - y0])
        assert span.max() > 0.8
    else:  # and the asked region is on the map too: Duisburg's west, Xi'an's east
        corners = _map_xy(ax, "world", [(-2.0, 45.0), (124.0, 45.0)])
        assert x0 < corners[:, 0].min() and corners[:, 0].max() < x1


def test_a_fitted_frame_wastes_little(bundled):
    route = cr.route(bundled, "baku", "kars")
    ax = maps.plot_routes(route, net=bundled)
    assert ax.get_title(loc="left").startswith("Baku → Kars")
    xy = _map_xy(ax, "caucasus", [p for line in route.leg_coords for p in line])
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    span = (xy.max(axis=0) - xy.min(axis=0)) / np.array([x1 - x0, y1 - y0])
    assert 0.75 < span.max() < 1  # the route nearly fills the frame, never leaves it


def test_each_map_is_rendered_once(bundled, routes, tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    calls = []
    draw = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, r: (calls.append(self), draw(self, r)))
    ax = maps.plot_routes(routes, net=bundled)
    ax2 = maps.plot_scenario_diff("2021-baseline", "2022-sanctions", net=bundled)
    ax3 = maps.plot_network(bundled, region="caucasus")
    assert calls == []  # drawing adds artists; nothing is rendered before saving
    for i, a in enumerate((ax, ax2, ax3)):
        maps.save_figure(a, tmp_path / f"{i}.png")
    assert calls == [ax.figure, ax2.figure, ax3.figure]  # one render per picture, at savefig


def test_the_basemap_is_projected_once_per_region(bundled, monkeypatch):
    import shapely

    maps.plot_network(bundled, region="caspian", labels=False)
    clips = []
    clip = shapely.clip_by_rect
    monkeypatch.setattr(
        shapely, "clip_by_rect", lambda *a, **k: (clips.append(a), clip(*a, **k))[1]
    )
    hits = maps._projected_base.cache_info().hits
    maps.plot_network(bundled, region="caspian", labels=False)
    assert maps._projected_base.cache_info().hits == hits + 1
    assert clips == []  # neither the countries nor the links were clipped again
    assert maps._projected_base.cache_info().maxsize == 8  # bounded


def test_a_scenario_with_no_route_is_in_the_legend(bundled, tmp_path, monkeypatch):
    from corridors.comparison import compare_routes
    from corridors.scenarios import Scenario

    no_land = Scenario(name="no-land", avoid={"modes": ["rail", "road"]})
    result = compare_routes(["2026-today", no_land], od=[("baku", "kars")], net=bundled)
    assert ("no-land", "baku→kars", 1) not in result.routes
    legends = {}
    write = maps._write

    def keep_legend(figure, path, **kwargs):
        legends[path.name] = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
        return write(figure, path, **kwargs)

    monkeypatch.setattr(maps, "_write", keep_legend)
    written = maps.comparison_maps(result, tmp_path)
    assert sorted(p.name for p in written) == sorted(legends)  # each map written once
    (legend,) = [v for k, v in legends.items() if k.startswith("route_01")]
    assert legend[-1] == "no-land: no route"
    assert legend[0].startswith("2026-today: ")


def test_maps_drawn_by_worker_processes_are_the_maps_drawn_in_turn(bundled, tmp_path, monkeypatch):
    from corridors.comparison import compare_routes

    result = compare_routes(
        ["2026-today", "2028-zangezur-open"],
        od=[("baku", "kars"), ("baku", "nakhchivan")],
        net=bundled,
    )
    monkeypatch.setattr(maps, "_PROCESSES_FROM", 1_000)
    in_turn = maps.comparison_maps(result, tmp_path / "a")
    monkeypatch.setattr(maps, "_PROCESSES_FROM", 1)
    monkeypatch.setattr(maps.os, "cpu_count", lambda: 2)  # two workers even on one core
    log = tmp_path / "pids.txt"
    write = maps._write

    def noting_pid(figure, path, **kwargs):  # runs in the workers, which inherit the patch
        with log.open("a") as handle:
            handle.write(f"{os.getpid()}\n")
        return write(figure, path, **kwargs)

    monkeypatch.setattr(maps, "_write", noting_pid)
    forked = maps.comparison_maps(result, tmp_path / "b")
    pids = log.read_text().split()
    assert len(pids) == 4 and str(os.getpid()) not in pids  # drawn by forked workers
    assert maps._JOBS == []
    assert [p.name for p in forked] == [p.name for p in in_turn]
    assert len(forked) == 4  # two pairs; what changes to 2026-today, and to zangezur-open
    for a, b in zip(in_turn, forked, strict=True):
        assert np.array_equal(_png(a), _png(b)), a.name


def test_the_sanctions_map_says_what_changed(bundled):
    ax = maps.plot_scenario_diff("2021-baseline", "2022-sanctions", net=bundled)
    (notes,) = [t.get_text() for t in ax.texts if t.get_gid() == "notes"]
    # the scenario file avoids RUS, BLR and IRN (data/scenarios/2022-sanctions.toml)
    assert "Closed to routes (hatched): Belarus, Iran, Russia" in notes
    assert "Date: 2021-06-01 → 2022-06-01" in notes
    hatched = [c for c in ax.collections if c.get_hatch() == "////"]
    assert len(hatched) == 1 and len(hatched[0].get_paths()) == 3  # one outline per country
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "closed to routes" in legend


def test_a_difference_map_whose_links_say_it_all_has_no_notes(bundled):
    ax = maps.plot_scenario_diff("2026-today", "red-sea-closed", region="world", net=bundled)
    assert [t for t in ax.texts if t.get_gid() == "notes"] == []
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["closed or not usable (4)"]  # the Suez legs; the Red Sea is shut today


def test_a_difference_map_with_nothing_changed_says_so(bundled):
    ax = maps.plot_scenario_diff(bundled, bundled, region="caucasus")
    (notes,) = [t.get_text() for t in ax.texts if t.get_gid() == "notes"]
    assert notes == "Nothing changes: same links, rules and factors"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["no link changes"]
    _assert_disjoint(_text_boxes(ax))  # labels keep clear of the notes


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


def test_map_by_corridor_family_lists_the_families_with_no_route(tmp_path, monkeypatch):
    # on 2026-11-29 container lines still avoid the Red Sea (data/geo/disruptions.json), so the
    # Suez family has no route from Xi'an: the legend says so instead of dropping it
    legends = []
    save = maps.save_figure

    def keep_legend(ax, path, **kwargs):
        legends.append([t.get_text() for t in ax.get_legend().get_texts()])
        return save(ax, path, **kwargs)

    monkeypatch.setattr(maps, "save_figure", keep_legend)
    out = tmp_path / "families.png"
    args = ["map", "--route", "xian:duisburg", "--corridors", "east_west"]
    result = CliRunner().invoke(cli, [*args, "--as-of", "2026-11-29", "-o", str(out)])
    assert result.exit_code == 0, result.output
    (legend,) = legends
    assert "Sea via Suez: no route" in legend
    assert any(text.startswith("Northern route (via Russia): ") for text in legend)
    assert out.is_file()

"""Interactive maps: a folium.Map that opens offline, fitted to its region, with a legend."""

import html
import os
import re
import shutil
import subprocess

import folium
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

import corridors as cr
from corridors import maps
from corridors.cli import cli
from corridors.interactive import COUNTRY_STYLE, REGION_BOXES

CAUCASUS = (40.6, 38.3, 50.4, 42.4)  # the static maps' Caucasus box, west-south-east-north


@pytest.fixture(scope="module")
def routes(bundled):
    return cr.alternatives(bundled, "baku", "kars", k=2)


def _fit_bounds(m):
    fits = [c for c in m._children.values() if isinstance(c, folium.map.FitBounds)]
    assert len(fits) == 1
    return fits[0].bounds


def test_explore_returns_a_folium_map_fitted_to_the_region(routes, bundled):
    m = cr.explore(routes, net=bundled, region="caucasus")
    assert isinstance(m, folium.Map)
    west, south, east, north = CAUCASUS
    assert _fit_bounds(m) == [[south, west], [north, east]]
    box = (44.0, 38.0, 47.0, 40.0)
    assert _fit_bounds(cr.explore(routes, net=bundled, region=box)) == [[38.0, 44.0], [40.0, 47.0]]
    # without a region it fits the routes: every leg's points inside, the extremes on the edge
    points = np.array([p for r in routes for coords in r.leg_coords for p in coords])
    (s, w), (n, e) = _fit_bounds(cr.explore(routes, net=bundled))
    assert (w, s, e, n) == (points[:, 0].min(), points[:, 1].min(), *points.max(axis=0))


def test_named_regions_are_the_static_maps_boxes():
    assert {name: region.bbox for name, region in maps.REGIONS.items()} == REGION_BOXES


def test_title_legend_labels_and_collapsed_layer_control(routes, bundled, tmp_path):
    m = cr.explore(routes, net=bundled, region="caucasus", names=["today", "avoiding GEO"])
    page = m.get_root().render()
    title = "Baku → Kars: 2 routes, as of 2026-11-26"
    assert f"<title>{title}</title>" in page
    assert f"<b>{title}</b>" in page  # shown on the map too
    # legend: one entry per route name in its colour, the water-leg dash, the modes
    for name, colour in zip(["today", "avoiding GEO"], maps.ROUTE_COLORS, strict=False):
        assert re.search(rf"border-top:4px solid {colour};[^>]*></span>{name}</div>", page)
    for mode, style in maps.MODE_STYLE.items():
        assert f'{style["color"]};margin-right:6px;vertical-align:middle"></span>{mode}' in page
    # labels of the places where a route starts, ends and crosses a border, by their names
    crossings = {b.at for r in routes for b in r.border_crossings}
    assert crossings
    for node in {"baku", "kars", *crossings}:
        name = html.escape(bundled.node_records[node]["name"])
        assert re.search(rf"bindTooltip\(\s*`<div>\s*{re.escape(name)}\s*</div>`", page), name
    assert re.search(r'L.control.layers\([^)]*"position": "topright",\s*"collapsed": true', page)
    custom = cr.explore(routes[:1], net=bundled, title="My <title>")
    assert "<b>My &lt;title&gt;</b>" in custom.get_root().render()


def test_saved_page_fetches_nothing(routes, bundled, tmp_path):
    path = cr.explore(routes, net=bundled).save(tmp_path / "map.html")
    assert path == tmp_path / "map.html"
    page = path.read_text(encoding="utf-8")
    # nothing the browser would fetch: no script/link/img source, no CSS url() or @import that
    # is not a data URI or a fragment (Leaflet's old-IE VML behaviour), no tile layer; the
    # source URLs in popups are text, not requests
    fetched = re.findall(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=""", page)
    assert fetched == []
    assert [
        u for u in re.findall(r"url\(\s*['\"]?([^)'\"]+)", page) if not u.startswith(("data:", "#"))
    ] == []
    assert "@import" not in page and "tileLayer(" not in page
    assert "L.map(" in page and "Leaflet" in page  # Leaflet itself is in the page
    # each leg's popup cites the source of its length
    first = routes[0].legs[0]
    source = {q: src for q, _, src in first.provenance}["length_km"]
    assert re.match(r"[\w:/.-]{30}", source)  # plain text, so it is in the page as it is
    assert source[:50] in page
    with pytest.raises(cr.UsageError, match=r"use \.html"):
        cr.explore(routes, net=bundled).save(tmp_path / "map.png")


def test_layers_can_be_added_like_any_folium_map(routes, bundled, tmp_path):
    m = cr.explore(routes, net=bundled)
    folium.CircleMarker((40.4, 49.9), radius=9, color="#123456", tooltip="mine").add_to(m)
    page = m.save(tmp_path / "mine.html").read_text(encoding="utf-8")
    assert '"color": "#123456"' in page


def test_bad_region_and_names_are_usage_errors(routes, bundled):
    with pytest.raises(cr.UsageError, match="unknown region 'kavkaz'; use one of eurasia"):
        cr.explore(routes, net=bundled, region="kavkaz")
    with pytest.raises(cr.UsageError, match="bad bbox"):
        cr.explore(routes, net=bundled, region=(50, 38, 40, 42))
    with pytest.raises(cr.UsageError, match="one name per route"):
        cr.explore(routes, net=bundled, names=["only one"])


def test_cli_html_map_honours_region_and_title(tmp_path):
    out = tmp_path / "m.html"
    args = ["map", "--route", "baku:kars", "-r", "caucasus", "-s", "2026-today", "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    west, south, east, north = CAUCASUS
    assert re.search(rf"fitBounds\(\s*\[\[{south}, {west}\], \[{north}, {east}\]\]", page), (
        "the map does not open on the Caucasus"
    )
    assert "<title>Baku → Kars: best route, as of" in page and "scenario 2026-today" in page


# --- in a real browser, with the network cut off ------------------------------------------------
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # every request goes to a closed port: a page that needs the network shows nothing
    "--proxy-server=127.0.0.1:9",
    "--disable-quic",
    "--virtual-time-budget=8000",
    "--enable-logging=stderr",
    "--v=0",
]


def _browser(exe, tmp_path, url, *extra):
    flags = [*FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *extra]
    return subprocess.run(
        [exe, *flags, url], check=True, capture_output=True, text=True, timeout=180
    )


@pytest.fixture(scope="module")
def chromium():
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install chromium (see .ci/run)")
        pytest.skip("chromium is not installed")
    return exe


def test_network_is_really_cut_off(chromium, tmp_path):
    # the same browser flags on a page that loads Leaflet from a CDN: Leaflet never arrives
    page = tmp_path / "cdn.html"
    page.write_text(
        '<html><body><script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js">'
        "</script><script>document.body.setAttribute('data-l', typeof L)</script></body></html>",
        encoding="utf-8",
    )
    dom = _browser(chromium, tmp_path, page.as_uri(), "--dump-dom").stdout
    assert 'data-l="undefined"' in dom


def test_saved_map_draws_route_and_countries_offline(chromium, routes, bundled, tmp_path):
    path = cr.explore(routes, net=bundled, region="caucasus").save(tmp_path / "map.html")
    run = _browser(chromium, tmp_path, path.as_uri(), "--dump-dom")
    errors = [line for line in run.stderr.splitlines() if "CONSOLE" in line]
    assert errors == []  # no script error, no failed load
    paths = re.findall(r"<path\b[^>]*>", run.stdout)
    route_paths = [p for p in paths if f'stroke="{maps.ROUTE_COLORS[0]}"' in p]
    country_paths = [p for p in paths if f'fill="{COUNTRY_STYLE["fillColor"]}"' in p]
    assert len(route_paths) == len(routes[0].legs)  # one SVG path per leg of the first route
    assert len(country_paths) > 100  # the outlines, drawn in the browser from the inlined data
    control = re.findall(r'<div class="(leaflet-control-layers(?: [^"]*)?)"', run.stdout)
    assert len(control) == 1 and "expanded" not in control[0]  # collapsed until asked
    labels = re.findall(
        r'class="leaflet-tooltip corridors-label[^"]*"[^>]*><div>\s*([^<]*?)\s*</div>', run.stdout
    )
    assert "Kars" in labels and "Baku" in labels  # place labels shown
    shot = tmp_path / "shot.png"
    _browser(chromium, tmp_path, path.as_uri(), "--window-size=1000,700", f"--screenshot={shot}")
    with Image.open(shot) as image:
        pixels = np.asarray(image.convert("RGB")).astype(int)
    red = np.all(np.abs(pixels - np.array([0xD6, 0x27, 0x28])) <= 30, axis=-1)
    assert red.sum() > 200  # the route is visible, not only in the DOM

"""Smoke test of a plain install (``pip install .``, no dev extra), run by ``.ci/run``.

Run it with the installed interpreter from a folder outside the checkout, so that only what the
wheel ships is on hand (no ``data/`` of the checkout, no development packages)::

    cd "$(mktemp -d)" && /path/to/venv/bin/python /path/to/checkout/scripts/smoke_install.py

It routes, compares one pair, adds a sea lane, saves a static map, builds the README's first
notebook line (``net.links.explore()``), writes an interactive map (Leaflet inlined from its
package) and runs ``corridors compare`` with maps; any failure ends it with a traceback
and a non-zero exit, which fails CI.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import corridors as cr
from corridors import maps


def main() -> None:
    package = Path(cr.__file__).resolve().parent
    checkout = Path(__file__).resolve().parent.parent
    if checkout in package.parents:
        sys.exit(f"smoke test: corridors was imported from the checkout ({package}), not installed")
    print(f"corridors from {package}")

    net = cr.load_network(as_of="2026-11-26")
    r = cr.route(net, "xian", "duisburg")
    assert r.countries[0] == "CHN" and r.countries[-1] == "DEU", r.countries
    print("route:", r.summary())

    families = cr.corridor_routes(net, "xian", "duisburg", families="east_west")
    assert families["time_h"].notna().any()
    print("corridor families:", ", ".join(families["family"]))

    table = cr.compare(["2026-today", "red-sea-closed"], od=[("shanghai", "rotterdam")], net=net)
    best = table[table["rank"] == 1]
    assert list(best["scenario"]) == ["2026-today", "red-sea-closed"], table
    assert best["distance_km"].notna().all(), best
    print("compare:", best[["scenario", "distance_km"]].to_dict("records"))

    lane = "smoke_poti_constanta"
    sea_net = cr.add_sea_link(net, "poti", "constanta", mode="ferry", link_id=lane)
    assert lane in sea_net.link_records
    print("add_sea_link: poti-constanta", sea_net.link_records[lane]["length_km"], "km")

    with tempfile.TemporaryDirectory() as folder:
        png = maps.save_figure(maps.plot_routes([r], net=net), Path(folder) / "map.png")
        assert png.stat().st_size > 10_000
        print("static map:", png.stat().st_size, "bytes")

        explored = net.links.explore()
        assert "leaflet" in explored.get_root().render().lower()
        print("net.links.explore(): folium map")

        # Leaflet comes from the django-js-lib-leaflet package, inlined: the install must have it
        page = maps.explore([r], net=net).save(Path(folder) / "map.html")
        text = page.read_text(encoding="utf-8")
        assert "L.map(" in text and 'src="http' not in text, text[:300]
        print("interactive map:", page.stat().st_size, "bytes")

        exe = Path(sys.executable).with_name("corridors")
        out = Path(folder) / "out"
        args = [str(exe), "compare", "2026-today", "--od", "baku:kars", "--out", str(out)]
        done = subprocess.run(args, capture_output=True, text=True, timeout=600, cwd=folder)
        assert done.returncode == 0, done.stderr
        assert any((out / "maps").glob("route_*.png")), sorted(out.rglob("*"))
        print("corridors compare with maps:", done.stdout.strip().splitlines()[-1])
    print("smoke test passed")


if __name__ == "__main__":
    main()

"""Regenerate the standard set of maps into a folder.

    python scripts/make_maps.py [OUT_DIR]      # default: out/maps-standard

Network maps of Eurasia, the South Caucasus and the Caspian as of today; China-EU alternatives;
the South Caucasus pairs under today's network and with the Zangezur railway open; the
scenario-difference maps of the bundled scenarios; and an interactive map of the China-EU
alternatives.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import corridors as cr
from corridors import maps

DIFFS = [
    ("2021-baseline", "2022-sanctions", "eurasia"),
    ("2021-baseline", "2023-lachin-blockade", "caucasus"),
    ("2026-today", "2028-zangezur-open", "caucasus"),
    ("2026-today", "2030-middle-corridor-upgraded", "eurasia"),
    ("2026-today", "red-sea-closed", "world"),
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path("out/maps-standard"))
    args = parser.parse_args(argv)
    out: Path = args.out
    net = cr.load_network()
    written = []
    for region in ("eurasia", "caucasus", "caspian"):
        ax = maps.plot_network(net, region=region)
        written.append(maps.save_figure(ax, out / f"network_{region}.png"))
    china_eu = cr.alternatives(net, "xian", "duisburg", k=4)
    written.append(maps.save_figure(maps.plot_routes(china_eu, net=net), out / "xian_duisburg.png"))
    zangezur = cr.load_scenario("2028-zangezur-open")
    for label, scenario in (("today", None), ("zangezur_open", zangezur)):
        routes = [
            cr.route(net, "baku", "nakhchivan", modes=["rail"], scenario=scenario),
            cr.route(net, "baku", "kars", modes=["rail"], scenario=scenario),
        ]
        ax = maps.plot_routes(
            routes,
            net=net,
            region="caucasus" if scenario else None,
            title=f"Baku by rail, {label.replace('_', ' ')}",
        )
        written.append(maps.save_figure(ax, out / f"baku_rail_{label}.png"))
    for a, b, region in DIFFS:
        ax = maps.plot_scenario_diff(a, b, region=region, net=net)
        written.append(maps.save_figure(ax, out / f"diff_{a}__{b}.png"))
    written.append(
        maps.explore(china_eu, net=net, title="Xi'an to Duisburg").save(out / "xian_duisburg.html")
    )
    for path in written:
        print(path)


if __name__ == "__main__":
    main()

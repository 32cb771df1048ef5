"""Scale drawn (geodesic) lengths of land links by the dataset's own circuity factor.

A line drawn with a vertex every 25-100 km is shorter than the track or road it follows. Where
a length is published, the ratio published / drawn tells how much shorter; this script takes the
median of that ratio over the rail links with published lengths, and gives every land link whose
length is still plain ``geodesic`` the length ``geodesic × factor``, saying so in
``length_source``. Published lengths are never touched. Run from the repo root:

    python scripts/calibrate_lengths.py

It is idempotent: lengths are recomputed from the geometry each time.
Then run ``scripts/restate_derived.py``: two figures are derived from route lengths.
"""

from __future__ import annotations

import argparse
import re
import statistics
from pathlib import Path

from pyproj import Geod

from corridors._geojson import read_features, write_features

MIN_KM = 20.0  # short links are dominated by where the node sits in the station, not circuity
PREFIX = "circuity: geodesic × "
_CIRCUITY = re.compile(r"^circuity: geodesic × [0-9.]+")


def _geodesic_km(geod: Geod, feature: dict) -> float:
    lons, lats = zip(*feature["geometry"]["coordinates"], strict=True)
    return geod.line_length(lons, lats) / 1000.0


def _is_drawn(source: str) -> bool:
    return source == "geodesic" or bool(_CIRCUITY.match(source))


def factor_from(files: list[Path], geod: Geod) -> tuple[float, int]:
    """Return the median published/drawn ratio of rail links with published lengths, and n."""
    ratios = []
    for path in files:
        for f in read_features(path):
            p = f["properties"]
            if p.get("mode") != "rail" or _is_drawn(str(p.get("length_source", ""))):
                continue
            drawn = _geodesic_km(geod, f)
            if drawn >= MIN_KM:
                ratios.append(p["length_km"] / drawn)
    return round(statistics.median(ratios), 2), len(ratios)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("data/geo"))
    args = parser.parse_args(argv)
    geod = Geod(ellps="WGS84")
    files = sorted(
        p for p in args.data_dir.glob("links_*.geojson") if p.name != "links_sea.geojson"
    )
    factor, n = factor_from(files, geod)
    source = (
        f"{PREFIX}{factor} (median published/drawn length ratio of the {n} rail links with "
        "published lengths in this dataset; scripts/calibrate_lengths.py)"
    )
    changed = 0
    for path in files:
        features = read_features(path)
        for f in features:
            p = f["properties"]
            if p.get("mode") not in ("rail", "road") or not _is_drawn(str(p["length_source"])):
                continue
            drawn = _geodesic_km(geod, f)
            p["length_km"] = round(drawn * factor, 1) if drawn >= MIN_KM else round(drawn, 1)
            p["length_source"] = source if drawn >= MIN_KM else "geodesic"
            changed += 1
        write_features(path, features)
    print(f"circuity factor {factor} from {n} published rail links; {changed} links recomputed")


if __name__ == "__main__":
    main()

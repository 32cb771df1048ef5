"""The bundled dataset: coverage, sources, dates, and agreement with published figures."""

from __future__ import annotations

import contextlib
import itertools
import json
import re
from pathlib import Path

import pytest

import corridors as cr
from corridors.network import data_dir

REQUIRED_IDS = [
    "shanghai",
    "xian",
    "chongqing",
    "urumqi",
    "alashankou",
    "khorgos",
    "dostyk",
    "altynkol",
    "almaty",
    "tashkent",
    "beyneu",
    "aktau",
    "kuryk",
    "turkmenbashi",
    "alat",
    "baku",
    "ganja",
    "yevlakh",
    "barda",
    "aghdam",
    "khankendi",
    "shusha",
    "lachin",
    "horadiz",
    "zangilan",
    "aghband",
    "ordubad",
    "julfa",
    "nakhchivan",
    "sadarak",
    "yerevan",
    "gyumri",
    "goris",
    "kapan",
    "meghri",
    "agarak",
    "tbilisi",
    "akhalkalaki",
    "poti",
    "batumi",
    "kars",
    "igdir",
    "dilucu",
    "erzurum",
    "ankara",
    "istanbul",
    "tabriz",
    "tehran",
    "moscow",
    "minsk",
    "brest",
    "malaszewicze",
    "warsaw",
    "duisburg",
    "hamburg",
    "rotterdam",
    "piraeus",
    "constanta",
]


@pytest.fixture(scope="module")
def dataset():
    return cr.read_dataset()


def test_bundled_dataset_is_valid_including_geography():
    assert cr.validate() == []


def test_required_places_exist(dataset):
    missing = [i for i in REQUIRED_IDS if i not in dataset.nodes]
    assert not missing


def test_size_is_in_the_expected_range(dataset):
    assert 150 <= len(dataset.nodes) <= 600  # issue 11 coverage adds regions
    assert 200 <= len(dataset.links) <= 900


def test_every_feature_and_number_has_a_source():
    for path in sorted(data_dir().glob("*.geojson")):
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            props = feature["properties"]
            assert any(k.startswith("source") and props.get(k) for k in props), (path.name, props)
            for key in ("length_km", "speed_kmh", "wait_h", "border_hours", "transfer_hours"):
                if props.get(key) is not None:
                    stem = key.split("_")[0]
                    assert props.get(f"{stem}_source"), (path.name, props.get("id"), key)


def test_network_is_connected_today():
    import networkx as nx

    g = cr.load_network(as_of="2026-11-26").graph
    giant = max(nx.weakly_connected_components(g), key=len)
    assert set(REQUIRED_IDS) <= giant | {"khankendi", "lachin", "shusha"}  # see the Lachin tests


def test_country_basemap_covers_every_country_used(dataset):
    basemap = json.loads((data_dir() / "countries.geojson").read_text(encoding="utf-8"))
    codes = {f["properties"]["ADM0_A3"] for f in basemap["features"]}
    used = {n["country"] for n in dataset.nodes.values() if n.get("country")}
    assert used <= codes
    assert all(f["properties"]["source"].startswith("Natural Earth") for f in basemap["features"])


# --- published figures ---------------------------------------------------------------------
# Each: id, what, published km, tolerance, source, how the model measures it.
FIGURES = [
    (
        "btk",
        "Baku-Tbilisi-Kars railway, rail route Baku→Kars",
        838,
        0.03,
        "https://en.wikipedia.org/wiki/Baku%E2%80%93Tbilisi%E2%80%93Kars_railway (826-850 km)",
        {"o": "baku", "d": "kars", "modes": ["rail"]},
    ),
    (
        "akhalkalaki_kars",
        "BTK new line Akhalkalaki-Kars",
        105,
        0.05,
        "https://1tv.ge/lang/en/news/giorgi-kvirikashvili-will-attend-baku-tbilisi-kars-railway-opening-ceremony",
        {"o": "akhalkalaki", "d": "kars", "modes": ["rail"]},
    ),
    (
        "akhalkalaki_kartsakhi",
        "BTK new line, Georgian part",
        29,
        0.10,
        "https://en.wikipedia.org/wiki/Baku%E2%80%93Tbilisi%E2%80%93Kars_railway",
        {"o": "akhalkalaki", "d": "kartsakhi", "modes": ["rail"]},
    ),
    (
        "marabda_kartsakhi",
        "BTK Georgian section Marabda-Kartsakhi",
        179.3,
        0.05,
        "https://report.az/en/infrastructure/first-10-cars-will-be-launched-on-baku-tbilisi-kars-railway-in-near-future-review",
        {"o": "marabda", "d": "kartsakhi", "modes": ["rail"]},
    ),
    (
        "horadiz_aghband",
        "Horadiz-Aghband railway",
        110.4,
        0.05,
        "https://www.trend.az/business/4087540.html",
        {"o": "horadiz", "d": "aghband", "modes": ["rail"], "as_of": "2030-01-01"},
    ),
    (
        "kars_dilucu",
        "Kars-Iğdır-Aralık-Dilucu railway",
        224,
        0.05,
        "https://menafn.com/1109962733/Tu%CC%88rkiye-Breaks-Ground-On-Kars-Ig%CC%86d%C4%B1r-Aral%C4%B1k-Dilucu-Railway-Line",
        {"o": "kars", "d": "dilucu", "modes": ["rail"], "as_of": "2030-06-01"},
    ),
    (
        "zhezkazgan_beyneu",
        "Zhezkazgan-Beyneu new line (two new sections)",
        988,
        0.03,
        "https://uic.org/com/enews/nr/414/article/ktz-kazakhstan-information-about",
        {"links": ["rail_zhezkazgan_saksaulskaya", "rail_shalkar_beyneu"]},
    ),
    (
        "zhetygen_altynkol",
        "Zhetygen-Khorgos/Altynkol railway",
        298,
        0.05,
        "https://dlg.kz/en/news-damu-logistic/shortening-distances.html",
        {"o": "zhetygen", "d": "altynkol", "modes": ["rail"]},
    ),
    (
        "lanzhou_urumqi",
        "Lanzhou-Xinjiang railway Lanzhou-Ürümqi",
        1904,
        0.03,
        "https://en.wikipedia.org/wiki/Lanzhou%E2%80%93Xinjiang_railway",
        {"o": "lanzhou", "d": "urumqi", "modes": ["rail"]},
    ),
    (
        "kti",
        "Kazakhstan-Turkmenistan-Iran railway Uzen-Gorgan",
        921,
        0.05,
        "https://railturkey.org/2014/12/03/kazakhstan-turkmenistan-iran-railway/ (908-934.5 km)",
        {"o": "uzen", "d": "gorgan", "modes": ["rail"]},
    ),
    (
        "rasht_astara",
        "Rasht-Astara railway (planned)",
        162,
        0.08,
        "https://news.am/eng/news/740166.html",
        {"o": "rasht", "d": "astara", "modes": ["rail"], "as_of": "2030-01-01"},
    ),
    (
        "qazvin_rasht",
        "Qazvin-Rasht railway",
        164,
        0.05,
        "http://en.osjd.org/newso/public/en?STRUCTURE_ID=5049&layer_id=6071&refererLayerId=6070&id=80",
        {"o": "qazvin", "d": "rasht", "modes": ["rail"]},
    ),
    (
        "tehran_razi",
        "Tehran-Tabriz-Razi (Turkish border) railway, before the new Mianeh-Tabriz line",
        928,
        0.05,
        "https://raillynews.com/2015/12/iran-turkiye-demiryolu-iki-seritli-olacak/",
        {"o": "tehran", "d": "kapikoy", "modes": ["rail"], "as_of": "2020-01-01"},
    ),
    (
        "tbilisi_yerevan",
        "Tbilisi-Yerevan railway via Sadakhlo, Vanadzor, Gyumri",
        365,
        0.05,
        "https://de.zxc.wiki/wiki/Bahnstrecke_Tiflis%E2%80%93Jerewan",
        {"o": "tbilisi", "d": "yerevan", "modes": ["rail"]},
    ),
    (
        "marmaray",
        "Marmaray Halkalı-Gebze",
        76.6,
        0.05,
        "https://wikisum.wiki/wiki/Marmaray",
        {"o": "halkali", "d": "gebze", "modes": ["rail"]},
    ),
    (
        "alat_turkmenbashi",
        "Baku-Turkmenbashi ferry (306-343 km; Alat lies south of Baku)",
        325,
        0.08,
        "http://eurasia.travel/azerbaijan/transport/caspian_ferry/",
        {"o": "alat", "d": "turkmenbashi", "modes": ["ferry"]},
    ),
    (
        "alat_aktau",
        "Baku-Aktau ferry ~470 km; the lane from Alat, ~55 km south of Baku, is longer",
        470,
        0.07,
        "BRIEF §4; https://en.wikipedia.org/wiki/Port_of_Baku",
        {"o": "alat", "d": "aktau", "modes": ["ferry"]},
    ),
    (
        "shanghai_rotterdam_suez",
        "Shanghai-Rotterdam by sea via Suez (10,600 nm)",
        19631,
        0.05,
        "https://porteconomicsmanagement.org/pemp/contents/part1/interoceanic-passages/routing-options-shanghai-rotterdam",
        {
            "o": "shanghai",
            "d": "rotterdam",
            "modes": ["sea"],
            "avoid_tags": ["cape"],
            "as_of": "2021-06-01",  # the Red Sea lanes are closed from Dec 2023 (disruptions.json)
        },
    ),
    (
        "shanghai_rotterdam_cape",
        "Shanghai-Rotterdam by sea via the Cape (13,800 nm)",
        25558,
        0.05,
        "https://porteconomicsmanagement.org/pemp/contents/part1/interoceanic-passages/routing-options-shanghai-rotterdam",
        {"o": "shanghai", "d": "rotterdam", "modes": ["sea"], "avoid_tags": ["suez"]},
    ),
    (
        "chongqing_duisburg",
        "Chongqing-Duisburg rail (Yuxinou) via Alashankou/Dostyk",
        11179,
        0.05,
        "https://en.wikipedia.org/wiki/Chongqing%E2%80%93Xinjiang%E2%80%93Europe_railway",
        {"o": "chongqing", "d": "duisburg", "modes": ["rail"], "via": ["dostyk"]},
    ),
    (
        "xian_duisburg",
        "Xi'an-Duisburg rail via Alashankou",
        9908,
        0.05,
        "https://www.shiphub.co/xian-duisburg/",
        {"o": "xian", "d": "duisburg", "modes": ["rail"], "via": ["dostyk"]},
    ),
    (
        "yerevan_meghri_road",
        "Yerevan-Meghri by road (M2 via Goris and Kapan)",
        376,
        0.05,
        "https://en.wikipedia.org/wiki/Meghri",
        {"o": "yerevan", "d": "meghri", "modes": ["road"]},
    ),
    (
        "yerevan_kapan_road",
        "Yerevan-Kapan by road (M2 via Goris)",
        316,
        0.05,
        "https://en.wikipedia.org/wiki/Kapan",
        {"o": "yerevan", "d": "kapan", "modes": ["road"]},
    ),
]


def _measure(spec: dict) -> float:
    if "links" in spec:
        records = cr.read_dataset().links
        return sum(records[i]["length_km"] for i in spec["links"])
    spec = dict(spec)
    as_of = spec.pop("as_of", "2026-11-26")
    # lines measured on a later date are the announced ones (Horadiz-Aghband, Kars-Dilucu…)
    net = cr.load_network(as_of=as_of, announced=True)
    return cr.route(net, spec.pop("o"), spec.pop("d"), weight="distance", **spec).distance_km


@pytest.mark.parametrize(
    ("fid", "what", "published", "tolerance", "source", "spec"),
    FIGURES,
    ids=[f[0] for f in FIGURES],
)
def test_published_figure(fid, what, published, tolerance, source, spec):
    measured = _measure(spec)
    assert abs(measured - published) <= tolerance * published, (
        f"{what}: model {measured:.0f} km vs published {published} km ±{tolerance:.0%} ({source})"
    )


def test_readme_lists_every_checked_figure():
    readme = (Path(__file__).parents[1] / "data" / "geo" / "README.md").read_text(encoding="utf-8")
    for fid, _, published, *_ in FIGURES:
        assert re.search(rf"`{fid}`.*\b{published:,}\b".replace(",", ",?"), readme), fid


# --- routes that must hold ------------------------------------------------------------------
def _route(o, d, as_of, **kw):
    return cr.route(cr.load_network(as_of=as_of), o, d, **kw)


def test_rail_baku_nakhchivan_cannot_go_through_armenia_today():
    try:
        r = _route("baku", "nakhchivan", "2026-11-26", modes=["rail"], weight="distance")
    except cr.NoRouteError:
        return
    assert "ARM" not in r.countries
    assert r.distance_km > 2000  # a long detour, not the 1990s line along the Aras


def test_lachin_corridor_in_2022_blocked_in_2023_aghdam_open():
    r = _route("yerevan", "khankendi", "2022-06-01", modes=["road"])
    assert "lachin_corridor" in r.tags
    assert "lachin" in r.nodes or "lachin_bypass_jct" in r.nodes
    with pytest.raises(cr.NoRouteError):
        _route("yerevan", "khankendi", "2023-06-01", modes=["road"])
    # no traffic used the Aghdam road before 12 Sep 2023; the blockade scenario opens it
    with pytest.raises(cr.NoRouteError):
        _route("baku", "khankendi", "2023-06-01", modes=["road"])
    baku = cr.route(
        cr.load_network(), "baku", "khankendi", scenario="2023-lachin-blockade", modes=["road"]
    )
    assert "aghdam" in baku.nodes and "aghdam_road" in baku.tags
    assert "lachin_corridor" not in baku.tags
    assert "aghdam" in _route("baku", "khankendi", "2023-09-15", modes=["road"]).nodes


def test_lachin_bypass_replaces_lachin_town_in_autumn_2022():
    r = _route("yerevan", "khankendi", "2022-10-01", modes=["road"])
    assert "lachin_bypass" in r.tags
    assert "lachin" not in r.nodes


def test_btk_did_not_exist_in_2015():
    r2015 = None
    with contextlib.suppress(cr.NoRouteError):
        r2015 = _route("baku", "kars", "2015-01-01", modes=["rail"])
    assert r2015 is None or "akhalkalaki" not in r2015.nodes
    assert "akhalkalaki" in _route("baku", "kars", "2021-06-01", modes=["rail"]).nodes


def test_armenia_turkey_border_is_closed():
    net = cr.load_network(as_of="2021-06-01")
    assert net.node_status("akhurik_border") == "closed"
    assert cr.load_network(as_of="1990-01-01").node_status("akhurik_border") == "open"


def test_xian_duisburg_avoiding_russia_and_belarus_crosses_the_caspian_or_iran():
    # by train: with Central Asian trunk roads, trucks through Iran are faster (CAREC rail
    # border crossings take ~40 h), which is another question than the rail corridor's
    r = _route(
        "xian", "duisburg", "2026-11-26", avoid_countries=["RUS", "BLR"], modes=["rail", "ferry"]
    )
    assert not {"RUS", "BLR"} & set(r.countries)
    # the two ways round Russia: the Caspian ferries (Middle Corridor) or Iran (Southern route)
    assert "IRN" in r.countries or any(
        leg.mode == "ferry" and "caspian" in leg.tags for leg in r.legs
    )
    # without Iran too (sanctions), only the Caspian crossing is left
    r = _route(
        "xian",
        "duisburg",
        "2026-11-26",
        avoid_countries=["RUS", "BLR", "IRN"],
        modes=["rail", "ferry"],
    )
    assert not {"RUS", "BLR", "IRN"} & set(r.countries)
    assert any(leg.mode == "ferry" and "caspian" in leg.tags for leg in r.legs)


@pytest.mark.parametrize(
    "as_of", ["2015-01-01", "2021-06-01", "2023-06-01", "2026-11-26", "2030-01-01"]
)
def test_core_east_west_pairs_route_on_every_model_date(as_of):
    net = cr.load_network(as_of=as_of)
    assert cr.route(net, "xian", "duisburg").distance_km > 8000
    assert cr.route(net, "shanghai", "rotterdam", modes=["sea"]).distance_km > 18000


def test_vertex_spacing_follows_the_real_lines(dataset):
    """Vertices every ~25 km in the South Caucasus and every ~100 km elsewhere (land links)."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    too_long = []
    for link in dataset.links.values():
        if link["mode"] in ("sea", "ferry"):
            continue
        coords = link["coords"]
        for (x1, y1), (x2, y2) in itertools.pairwise(coords):
            km = geod.inv(x1, y1, x2, y2)[2] / 1000
            caucasus = all(43 <= x <= 50 and 38.5 <= y <= 42 for x, y in ((x1, y1), (x2, y2)))
            if km > (26 if caucasus else 105):
                too_long.append((link["id"], round(km)))
    assert not too_long

"""Issue 11 coverage: Central Asia, Kyrgyzstan, Afghanistan and the Russian Caspian shore.

Each route distance is checked against a published figure from a source other than the one the
links' lengths come from (road lengths here are mostly the drawing times the dataset's circuity
factor, so the published figure is an independent check of the drawing).
"""

from __future__ import annotations

import json

import pytest

import corridors as cr
from corridors.network import data_dir

TODAY = "2026-11-29"


@pytest.fixture(scope="module")
def net():
    return cr.load_network(as_of=TODAY)


@pytest.mark.parametrize(
    ("typed", "place_id"),
    [
        ("kashgar", "kashgar"),
        ("Kashi", "kashgar"),
        ("osh", "osh"),
        ("bishkek", "bishkek"),
        ("irkeshtam", "irkeshtam"),
        ("torugart", "torugart"),
        ("astrakhan", "astrakhan"),
        ("atyrau", "atyrau"),
        ("Guryev", "atyrau"),
        ("bakhty", "bakhty"),
        ("tacheng", "tacheng"),
        ("Chuguchak", "tacheng"),
        ("herat", "herat"),
        ("khaf", "khaf"),
        ("termez", "termez"),
        ("Termiz", "termez"),
        ("hairatan", "hairatan"),
        ("mazar-i-sharif", "mazar_i_sharif"),
        ("Mazar-e Sharif", "mazar_i_sharif"),
        ("Qarshi", "karshi"),
        ("Olot", "alat_farap"),
        ("Daut-Ata", "tazhen"),
        ("Kaindy", "kaindy_border"),
        ("Stalingrad", "volgograd"),
    ],
)
def test_places_users_type_resolve(net, typed, place_id):
    assert net.resolve(typed) == place_id


def test_every_name_and_alias_of_the_new_places_is_unambiguous(net):
    features = json.loads((data_dir() / "nodes_central_asia.geojson").read_text(encoding="utf-8"))[
        "features"
    ]
    for feature in features:
        props = feature["properties"]
        for name in [props["name"], *props.get("aliases", [])]:
            assert net.resolve(name) == props["id"], name


def _km(net, o, d, **kw):
    return cr.route(net, o, d, weight="distance", **kw).distance_km


# (origin, destination, modes, published km, tolerance, source of the published figure)
PUBLISHED = [
    # M37 in Turkmenistan, Türkmenbaşy-Türkmenabat, 1,227 km (ru.wikipedia 'М37 (автодорога)')
    (
        "turkmenbashi",
        "turkmenabat",
        ["road"],
        1227,
        0.05,
        "https://perceptiode.com/%D0%9C37_(%D0%B0%D0%B2%D1%82%D0%BE%D0%B4%D0%BE%D1%80%D0%BE%D0%B3%D0%B0)",
    ),
    # Zarafshan tract Samarkand-Bukhara-Turkmen border, 365 km
    ("samarkand", "alat_farap", ["road"], 365, 0.10, "https://perceptiode.com/М-37_(автодорога)"),
    # R215 Astrakhan-Kochubey-Kizlyar-Makhachkala, ~470 km
    (
        "astrakhan",
        "makhachkala",
        ["road"],
        470,
        0.10,
        "https://perceptiode.com/%D0%A0215_(%D0%B0%D0%B2%D1%82%D0%BE%D0%B4%D0%BE%D1%80%D0%BE%D0%B3%D0%B0)",
    ),
    # Astrakhan-Volgograd by car or bus, 420 km
    (
        "astrakhan",
        "volgograd",
        ["road"],
        420,
        0.10,
        "https://tl.travelwaiting.com/17227725-how-to-get-from-astrakhan-to-volgograd",
    ),
    # Bakhty/Baketu checkpoint 621 km from Ürümqi (China.org.cn, 2005)
    (
        "bakhty",
        "urumqi",
        ["road"],
        621,
        0.10,
        "http://russian.china.org.cn/links/txt/2005-01/17/content_8959871.htm",
    ),
    # Almaty-Bishkek by road via Kordai, 244 km cycled
    (
        "almaty",
        "bishkek",
        ["road"],
        244,
        0.10,
        "https://pedallingwest.wordpress.com/2016/06/23/days-252-to-255-almaty-to-bishkek/",
    ),
    # Bishkek-Kashgar via Torugart, about 710 km
    (
        "kashgar",
        "bishkek",
        ["road"],
        710,
        0.10,
        "https://factsanddetails.com/china/cat15/sub104/entry-6841.html",
    ),
    # Kashgar-Chinese border 214 km + border-Osh 240 km
    (
        "kashgar",
        "osh",
        ["road"],
        454,
        0.10,
        "https://www.amxpaintitred.com/2019/06/day-26-kashgar-to-sary-tash.html",
    ),
    # Atyrau-Aksaraiskaya 323 km by rail (Yandex timetable distance on ru.wikipedia)
    (
        "atyrau",
        "aksaraiskaya",
        ["rail"],
        323,
        0.10,
        "https://perceptioro.com/Аксарайская_(станция)",
    ),
    # Khaf-Rozanak: the 140 km of the Khaf-Herat railway opened in December 2020
    (
        "khaf",
        "rozanak",
        ["rail"],
        140,
        0.05,
        "https://telgraf.news/world/497/iran-afghanistan-inaugurate-khaf-herat-railway/",
    ),
]


@pytest.mark.parametrize(("o", "d", "modes", "published", "tol", "source"), PUBLISHED)
def test_routes_match_published_distances(net, o, d, modes, published, tol, source):
    km = _km(net, o, d, modes=modes)
    assert abs(km - published) <= tol * published, (o, d, round(km), published, source)


def test_southern_xinjiang_sections_add_up_to_the_published_line():
    """Turpan-Korla-Aksu-Kashgar from the station table equals en.wikipedia's 1,446 km."""
    links = {
        f["properties"]["id"]: f["properties"]
        for f in json.loads(
            (data_dir() / "links_central_asia.geojson").read_text(encoding="utf-8")
        )["features"]
    }
    total = sum(
        links[i]["length_km"] for i in ("rail_turpan_korla", "rail_korla_aksu", "rail_aksu_kashgar")
    )
    assert abs(total - 1446) <= 2


def test_kashgar_joins_the_chinese_rail_network(net):
    r = cr.route(net, "xian", "kashgar", modes=["rail"], weight="distance")
    assert "turpan" in r.nodes and "korla" in r.nodes


def test_tashkent_to_istanbul_by_truck(net):
    """Trucks from Tashkent reach Istanbul: across the Caspian or through Iran."""
    r = cr.route(net, "tashkent", "istanbul", modes=["road", "ferry"], weight="distance")
    assert {"road"} <= set(r.modes) <= {"road", "ferry"}
    assert "TKM" in r.countries and "TUR" in r.countries


def test_trucks_reach_the_caspian_ports_and_sarakhs(net):
    for o, d in [("tashkent", "turkmenbashi"), ("tashkent", "sarakhs"), ("almaty", "aktau")]:
        # Almaty-Aktau runs via Tashkent, Bukhara and the A380 through Nukus to Beyneu
        assert set(cr.route(net, o, d, modes=["road"]).modes) == {"road"}


def test_russian_caspian_road_reaches_azerbaijan(net):
    r = cr.route(net, "atyrau", "baku", modes=["road"], weight="distance")
    assert r.countries[:3] == ["KAZ", "RUS", "AZE"]
    assert "yalama" in r.nodes


def test_cku_railway_is_not_open_yet(net):
    """Construction started 27 Dec 2024; no opening date has been announced."""
    with pytest.raises(cr.NoRouteError):
        cr.route(net, "kashgar", "torugart", modes=["rail"])
    statuses = {
        f["properties"]["id"]: f["properties"]["status"]
        for f in json.loads(
            (data_dir() / "links_central_asia.geojson").read_text(encoding="utf-8")
        )["features"]
    }
    for link_id in (
        "rail_kashgar_torugart",
        "rail_torugart_cku_kgz_uzb",
        "rail_cku_kgz_uzb_andijan",
    ):
        assert [e["status"] for e in statuses[link_id]] == ["under_construction"]
        assert statuses[link_id][0]["from"] == "2024-12-27"


def test_herat_is_not_yet_on_the_railway_but_rozanak_is(net):
    assert "rail" in cr.route(net, "mashhad", "rozanak", modes=["rail"]).modes
    with pytest.raises(cr.NoRouteError):
        cr.route(net, "rozanak", "herat", modes=["rail"])


def test_hairatan_mazar_railway_opened_in_2011():
    before = cr.load_network(as_of="2009-06-01")
    after = cr.load_network(as_of=TODAY)
    with pytest.raises(cr.NoRouteError):
        cr.route(before, "termez", "mazar-i-sharif", modes=["rail"])
    r = cr.route(after, "termez", "mazar-i-sharif", modes=["rail"], weight="distance")
    assert r.countries == ["UZB", "AFG"]


def test_trans_afghan_railway_is_only_planned(net):
    with pytest.raises(cr.NoRouteError):
        cr.route(net, "mazar-i-sharif", "peshawar", modes=["rail"])


def test_bakhty_is_a_road_crossing_today_and_a_railway_under_construction(net):
    r = cr.route(net, "tacheng", "ayagoz", modes=["road"])
    assert "bakhty" in r.nodes
    # by rail, Tacheng reaches Ayagoz today only the long way, through Alashankou and Dostyk
    by_rail = cr.route(net, "tacheng", "ayagoz", modes=["rail"])
    assert "bakhty" not in by_rail.nodes and "dostyk" in by_rail.nodes


def test_atyrau_astrakhan_rail_crosses_at_ganyushkino(net):
    r = cr.route(net, "atyrau", "astrakhan", modes=["rail"])
    assert "ganyushkino" in r.nodes
    assert r.countries == ["KAZ", "RUS"]

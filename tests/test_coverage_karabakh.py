"""Karabakh and East Zangezur: the roads and railways built since 2021 (issue 11).

Dates and lengths below are the published figures the data was built from (inauguration and
groundbreaking reports); the tests check that routing honours them, not that the file says so.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

import corridors as cr
from corridors.network import data_dir, read_dataset

TODAY = "2026-11-29"


def _route(o: str, d: str, as_of: str, **kw) -> cr.Route:
    return cr.route(cr.load_network(as_of=as_of), o, d, modes=["road"], weight="distance", **kw)


def _day_before(day: str) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("typed", "node"),
    [
        ("Fuzuli", "fuzuli"),
        ("Füzuli", "fuzuli"),
        ("Varanda", "fuzuli"),
        ("Jabrayil", "jabrayil"),
        ("Jrakan", "jabrayil"),
        ("Kalbajar", "kalbajar"),
        ("Karvachar", "kalbajar"),
        ("Kəlbəcər", "kalbajar"),
        ("Gubadli", "gubadli"),
        ("Kashunik", "gubadli"),
        ("Hadrut", "hadrut"),
        ("Murov", "murov"),
        ("Murovdag", "murov"),
        ("Toghanali", "toghanali"),
        ("Ahmadbayli", "ahmadbayli"),
        ("Mahmudlu", "mahmudlu"),
    ],
)
def test_places_resolve(typed: str, node: str) -> None:
    assert cr.load_network().resolve(typed) == node


def test_baku_shusha_uses_the_victory_road_highway_today() -> None:
    r = _route("baku", "shusha", TODAY)
    assert "victory_road" in r.tags
    assert "fuzuli" in r.nodes
    # the 2025 highway, not the 2021 two-lane road it replaced
    assert "road_hadrut_jct_shusha" in r.links
    assert not any(link.endswith("_2021") for link in r.links)


def test_baku_shusha_before_the_victory_road_had_no_road_in_use() -> None:
    # before the Victory Road (2021-11-07) the only road was Barda-Aghdam-Askeran-Khankendi,
    # which carried no traffic until Sep 2023 (closed in the data until 2023-09-12, issue 11):
    # the only road left ran through Armenia (the Lachin corridor), barred to Azerbaijani goods
    with pytest.raises(cr.NoRouteError, match="embargo aze_to_arm"):  # only via Armenia
        _route("baku", "shusha", "2021-06-01")
    opened = _route("baku", "shusha", "2021-11-07")
    assert "victory_road" in opened.tags and "fuzuli" in opened.nodes


def test_victory_road_highway_shortened_the_trip_by_the_published_19_km() -> None:
    # 101 km two-lane road (2021) replaced by an 81.7 km highway (2025-07-03): 19.3 km shorter
    old = _route("baku", "shusha", "2025-07-02")
    new = _route("baku", "shusha", "2025-07-03")
    assert any(link.endswith("_2021") for link in old.links)
    assert old.distance_km - new.distance_km == pytest.approx(19.3, abs=0.5)


@pytest.mark.parametrize(
    ("links", "published_km"),
    [
        (["road_ahmadbayli_fuzuli", "road_fuzuli_hadrut_jct", "road_hadrut_jct_shusha"], 81.7),
        (
            [
                "road_ahmadbayli_fuzuli_2021",
                "road_fuzuli_hadrut_jct_2021",
                "road_hadrut_jct_shusha_2021",
            ],
            101.0,
        ),
        (
            [
                "road_ahmadbayli_horadiz_hwy",
                "road_horadiz_khudafarin_jct_hwy",
                "road_khudafarin_jct_zangilan_hwy",
                "road_zangilan_aghband_hwy",
            ],
            123.6,
        ),
        (["road_toghanali_murov", "road_murov_kalbajar"], 56.0),
        (["road_aghdam_askeran_hwy", "road_askeran_khankendi_hwy"], 33.6),
        (["rail_horadiz_mahmudlu", "rail_mahmudlu_zangilan", "rail_zangilan_aghband"], 110.4),
    ],
)
def test_split_links_add_up_to_the_published_length(links: list[str], published_km: float) -> None:
    records = cr.load_network().link_records
    assert sum(records[i]["length_km"] for i in links) == pytest.approx(published_km, abs=0.2)


@pytest.mark.parametrize(
    ("origin", "destination", "published_km", "source"),
    [
        ("baku", "fuzuli", 310, "http://khachmaz.travel/en/region/93-Fuzuli"),
        ("baku", "jabrayil", 338, "https://fact-info.az/10335-jabrayil.html"),
    ],
)
def test_road_distance_from_baku_matches_published(
    origin: str, destination: str, published_km: float, source: str
) -> None:
    r = _route(origin, destination, TODAY)
    assert r.distance_km == pytest.approx(published_km, rel=0.10), source


# link id -> first day open, from the inauguration reports cited in the data
OPENINGS = {
    "road_ahmadbayli_fuzuli_2021": "2021-11-07",
    "road_hadrut_jct_shusha_2021": "2021-11-07",
    "road_ahmadbayli_fuzuli": "2025-07-03",
    "road_hadrut_jct_shusha": "2025-07-03",
    "road_hadrut_jct_hadrut": "2023-05-05",
    "road_jabrayil_hadrut": "2023-05-05",
    "rail_horadiz_mahmudlu": "2022-01-07",
    "road_toghanali_kalbajar": "2021-01-07",
    "road_khudafarin_jct_gubadli": "2021-10-25",
}


@pytest.mark.parametrize(("link", "opened"), sorted(OPENINGS.items()))
def test_link_is_usable_from_its_opening_day_not_before(link: str, opened: str) -> None:
    assert link not in cr.load_network(as_of=_day_before(opened)).usable_links
    assert link in cr.load_network(as_of=opened).usable_links


def test_every_open_event_in_the_karabakh_file_is_honoured() -> None:
    features = json.loads((data_dir() / "links_karabakh.geojson").read_text("utf-8"))["features"]
    checked = 0
    for f in features:
        p = f["properties"]
        for event in p["status"]:
            if event["status"] != "open" or event.get("grade") == "announced" or not event["from"]:
                continue
            assert p["id"] not in cr.load_network(as_of=_day_before(event["from"])).usable_links
            assert p["id"] in cr.load_network(as_of=event["from"]).usable_links
            checked += 1
    assert checked >= len([i for i in OPENINGS if not i.startswith("rail_")])


@pytest.mark.parametrize(
    "link",
    [
        "road_toghanali_murov",
        "road_murov_kalbajar",
        "road_kalbajar_lachin_hwy",
        "road_ahmadbayli_horadiz_hwy",
        "road_zangilan_aghband_hwy",
        "road_gubadli_lachin_hwy",
        "road_aghdam_askeran_hwy",
        "road_askeran_khankendi_hwy",
        "road_aghdam_fuzuli_hwy",
        "rail_mahmudlu_zangilan",
    ],
)
def test_unfinished_works_are_under_construction_today(link: str) -> None:
    assert cr.load_network(as_of=TODAY).link_status(link) == "under_construction"


def test_kalbajar_reached_over_the_murov_pass_not_the_unopened_tunnel() -> None:
    r = _route("ganja", "kalbajar", TODAY)
    assert "road_toghanali_kalbajar" in r.links
    assert "murov" not in r.nodes
    with pytest.raises(cr.NoRouteError):
        _route("ganja", "kalbajar", "2021-01-06")


def test_rail_reaches_mahmudlu_since_2022_but_not_zangilan_today() -> None:
    r = cr.route(cr.load_network(as_of=TODAY), "baku", "mahmudlu", modes=["rail"])
    assert r.nodes[-2:] == ["horadiz", "mahmudlu"]
    with pytest.raises(cr.NoRouteError):
        cr.route(cr.load_network(as_of=TODAY), "baku", "zangilan", modes=["rail"])


def test_end_2026_rail_openings_are_graded_announced() -> None:
    records = read_dataset(data_dir()).links  # as in the files, before the loader filters them
    for link in ("rail_mahmudlu_zangilan", "rail_zangilan_aghband"):
        last = records[link]["status"][-1]
        assert last["status"] == "open" and last.get("grade") == "announced"
        assert dt.date.fromisoformat(last["from"]) > dt.date.fromisoformat(TODAY)

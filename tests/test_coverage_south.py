"""Issue 11 coverage south: Georgia-Russia, Sarpi, Turkey-Iran, Iran, the Gulf and India.

Each route is checked against a published distance (its own source, not the one the data uses
for its lengths) or against a property that must hold whatever the lengths are.
"""

from __future__ import annotations

import pytest

import corridors as cr

TODAY = "2026-11-29"


@pytest.fixture(scope="module")
def net():
    return cr.load_network(as_of=TODAY)


@pytest.mark.parametrize(
    ("typed", "node_id"),
    [
        ("verkhny lars", "verkhny_lars"),
        ("Upper Lars", "verkhny_lars"),
        ("Верхний Ларс", "verkhny_lars"),
        ("sarpi", "sarpi"),
        ("Sarp", "sarpi"),
        ("bazargan", "gurbulak"),
        ("gurbulak", "gurbulak"),
        ("Gürbulak", "gurbulak"),
        ("bandar abbas", "bandar_abbas"),
        ("Shahid Rajaee", "bandar_abbas"),
        ("mumbai", "nhava_sheva"),
        ("nhava sheva", "nhava_sheva"),
        ("JNPT", "nhava_sheva"),
        ("anaklia", "anaklia"),
        ("vladikavkaz", "vladikavkaz"),
        ("kavkaz", "kavkaz"),
        ("Port Kavkaz", "kavkaz"),
        ("Kazbegi", "stepantsminda"),
        ("Trebizond", "trabzon"),
        ("Esfahan", "isfahan"),
    ],
)
def test_places_users_type_resolve(net, typed, node_id):
    assert net.resolve(typed) == node_id


# (origin, destination, published km, tolerance, source); road routes.
ROAD_FIGURES = [
    ("tbilisi", "vladikavkaz", 212, 0.10, "https://en.wikipedia.org/wiki/Georgian_Military_Road"),
    ("tehran", "gurbulak", 880, 0.10, "https://everything.explained.today/Road_32_(Iran)/"),
    ("tabriz", "gurbulak", 260, 0.10, "https://everything.explained.today/Road_32_(Iran)/"),
    ("tehran", "mashhad", 954, 0.10, "https://globe.razavi.ir/en/67809/present-day-mashhad"),
    ("mashhad", "sarakhs", 185, 0.10, "https://www.urking.top/read/iran-andrew-burke-28b006/299.html"),
    ("tehran", "isfahan", 400, 0.10, "https://traveltill.com/destination/Iran/Esfahan/how-to-get-there.php?page=3"),
    ("verkhny_lars", "vladikavkaz", 38, 0.10, "https://sputnikglobe.com/20090904/156027018.html"),
    ("dogubayazit", "gurbulak", 35, 0.10, "http://m2.samanyoluhaber.com/sinir-kapisinda-15-kilometrelik-tir-kuyrugu-haberi-1268744.html"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("origin", "destination", "published", "tolerance", "source"), ROAD_FIGURES
)
def test_road_distance_matches_published_figure(
    net, origin, destination, published, tolerance, source
):
    r = cr.route(net, origin, destination, modes=["road"])
    assert abs(r.distance_km - published) <= tolerance * published, (r.distance_km, source)


def test_bafq_bandar_abbas_railway_about_600_km(net):
    # http://iranoston.com/project/rw-bafgh-bandarabas/ : "approximately 600 km"
    r = cr.route(net, "bafq", "bandar_abbas", modes=["rail"])
    assert r.nodes == ["bafq", "bandar_abbas"]
    assert 540 <= r.distance_km <= 660


def test_tbilisi_to_russia_by_road_crosses_at_upper_lars(net):
    r = cr.route(net, "tbilisi", "mineralnye_vody", modes=["road"])
    assert "verkhny_lars" in r.nodes and "vladikavkaz" in r.nodes
    assert [b.at for b in r.border_crossings] == ["verkhny_lars"]
    assert (r.border_crossings[0].from_country, r.border_crossings[0].to_country) == (
        "GEO",
        "RUS",
    )


def test_yerevan_to_tehran_by_road_goes_through_iran_only(net):
    r = cr.route(net, "yerevan", "tehran", modes=["road"])
    assert r.countries == ["ARM", "IRN"]
    assert "tabriz" in r.nodes
    # Yerevan-Meghri 376 km (README figure) + Meghri-Tabriz-Tehran: well over 1,000 km
    assert 1000 < r.distance_km < 1400


def test_istanbul_to_tehran_by_road_crosses_at_gurbulak(net):
    r = cr.route(net, "istanbul", "tehran", modes=["road"])
    assert r.countries == ["TUR", "IRN"]
    assert [b.at for b in r.border_crossings] == ["gurbulak"]
    assert {"ankara", "erzurum", "dogubayazit", "tabriz"} <= set(r.nodes)


def test_batumi_to_trabzon_by_road_along_the_coast_via_sarpi(net):
    r = cr.route(net, "batumi", "trabzon", modes=["road"])
    assert r.nodes == ["batumi", "sarpi", "trabzon"]
    assert r.countries == ["GEO", "TUR"]
    # to Erzurum the coast road and the Sarpi queue (20.8 h GEO>TUR, CAREC) lose to Vale
    inland = cr.route(net, "batumi", "erzurum", modes=["road"])
    assert "turkgozu" in inland.nodes and "sarpi" not in inland.nodes


def test_tehran_bandar_abbas_by_rail_and_road(net):
    rail = cr.route(net, "tehran", "bandar_abbas", modes=["rail"])
    road = cr.route(net, "tehran", "bandar_abbas", modes=["road"])
    assert {"qom", "yazd", "bafq"} <= set(rail.nodes)
    assert {"qom", "isfahan", "yazd"} <= set(road.nodes)
    # both run about 1,300-1,500 km: far longer than the ~1,000 km straight line
    for r in (rail, road):
        assert 1100 < r.distance_km < 1600


def test_north_south_sea_leg_to_mumbai_passes_hormuz(net):
    r = cr.route(net, "bandar_abbas", "nhava_sheva", modes=["sea"])
    assert any("hormuz" in leg.tags for leg in r.legs)
    with pytest.raises(cr.NoRouteError):
        cr.route(net, "bandar_abbas", "nhava_sheva", modes=["sea"], avoid_tags=["hormuz"])


def test_every_lane_into_the_gulf_carries_the_hormuz_tag(net):
    # The Persian Gulf west of the Strait of Hormuz (narrows at about 56.4 E).
    def in_gulf(lon, lat):
        return 48.0 <= lon <= 56.3 and 24.0 <= lat <= 30.5

    lanes = net.all_links[net.all_links["mode"].isin(["sea", "ferry"])]
    entering = [
        lid for lid, row in lanes.iterrows() if any(in_gulf(x, y) for x, y in row.geometry.coords)
    ]
    assert entering  # the Bandar Abbas lane at least
    assert all("hormuz" in lanes.loc[lid, "tags"] for lid in entering)


@pytest.mark.parametrize(
    ("day", "status"),
    [
        ("2016-01-01", None),  # before the first works (December 2017)
        ("2018-06-01", "under_construction"),
        ("2021-01-01", "planned"),  # contract cancelled January 2020
        (TODAY, "under_construction"),  # marine works since September 2024
    ],
)
def test_anaklia_port_is_not_open(day, status):
    assert cr.load_network(as_of=day).node_status("anaklia") == status


@pytest.mark.parametrize(
    ("day", "usable"),
    [
        ("2004-06-01", False),  # before the line resumed in March 2005
        ("2005-06-01", True),
        ("2006-12-01", False),  # Russian embargo on Georgia, October 2006
        ("2008-01-01", True),
        (TODAY, True),
    ],
)
def test_kavkaz_poti_rail_ferry_history(day, usable):
    assert ("ferry_kavkaz_poti" in cr.load_network(as_of=day).usable_links) is usable


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        ("2006-06-01", True),
        ("2008-01-01", False),  # closed by Russia on 8 July 2006
        ("2010-03-02", True),  # reopened on 1 March 2010
    ],
)
def test_upper_lars_closure_2006_2010(day, open_):
    net = cr.load_network(as_of=day)
    if open_:
        r = cr.route(net, "tbilisi", "vladikavkaz", modes=["road"])
        assert "verkhny_lars" in r.nodes
    else:
        with pytest.raises(cr.NoRouteError):
            cr.route(net, "tbilisi", "vladikavkaz", modes=["road"])


def test_kapikoy_road_crossing_joins_van_and_tabriz(net):
    r = cr.route(net, "van", "tabriz", modes=["road"])
    assert [b.at for b in r.border_crossings] == ["kapikoy"]


def test_anaklia_railway_is_only_planned(net):
    assert net.link_status("rail_zugdidi_anaklia") == "planned"
    assert "rail_zugdidi_anaklia" not in net.usable_links
    # Zugdidi itself is on the open 1520 mm network
    r = cr.route(net, "zugdidi", "poti", modes=["rail"])
    assert r.nodes == ["zugdidi", "samtredia", "poti"]


# --- the Caspian branch of the North-South corridor ------------------------------------------
def test_anzali_resolves_by_its_names(net):
    for typed in ("anzali", "Bandar Anzali", "Enzeli", "بندر انزلی"):
        assert net.places.resolve(typed) == "anzali"


def test_russia_to_tehran_across_the_caspian_without_azerbaijan(net):
    found = cr.route(net, "astrakhan", "tehran", through_tags=["caspian"], avoid_countries=["AZE"])
    assert found.links[0] == "ferry_astrakhan_anzali"
    assert found.countries == ["RUS", "IRN"]
    ferry = found.legs[0]
    # weekly sailings: half a week's wait on average, then the sailing at the link's speed
    assert ferry.wait_h == pytest.approx(168 / 2)
    record = net.link_records["ferry_astrakhan_anzali"]
    assert ferry.time_h - ferry.wait_h == pytest.approx(record["length_km"] / record["speed_kmh"])
    assert record["speed_source"].startswith("assumption")


@pytest.mark.parametrize(("day", "by_rail"), [("2024-06-19", False), ("2024-06-20", True)])
def test_the_railway_reached_the_caspian_port_at_anzali_on_20_june_2024(day, by_rail):
    # Railway Gazette: the Rasht-Caspian port line was commissioned on 20 June 2024
    day_net = cr.load_network(as_of=day)
    assert ("rail_rasht_anzali" in day_net.usable_links) is by_rail
    if by_rail:
        found = cr.route(day_net, "anzali", "qazvin", modes=["rail"])
        assert found.links == ["rail_rasht_anzali", "rail_qazvin_rasht"]
    else:
        with pytest.raises(cr.NoRouteError):
            cr.route(day_net, "anzali", "qazvin", modes=["rail"])

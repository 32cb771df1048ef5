"""Regenerate data/geo/nodes_sea.geojson and data/geo/links_sea.geojson with corridors.sea.

Usage::

    python scripts/build_sea_links.py [--data-dir data/geo]

Port coordinates are read from the other ``nodes_*.geojson`` files (the ports belong to the
regional files); a port not found there falls back to the interface table of the dataset brief.
The output is deterministic: running the script again gives byte-identical files.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from corridors._geojson import write_features
from corridors.sea import sea_leg

SEAROUTE = "searoute (Eurostat MARNET maritime network), https://github.com/genthalili/searoute-py"
SEA_SPEED = (30.0, "assumption: ~16 kn container-ship slow steaming")
FERRY_SPEED = (25.0, "assumption: ~13.5 kn, Caspian/Black Sea ro-ro and rail ferries")
KURYK_ALAT_SPEED = round(454.2 / 21, 1)  # km over the midpoint of the 20-22 h voyage
KURYK_ALAT_SPEED_SOURCE = (
    "https://sea-news.az/2022/05/06/ferry-vessel-zarifa-aliyeva-reaches-port-of-kuryk/ (6 May"
    " 2022, ASCO via Report: the Ro-Pax ferry Zarifa Aliyeva was to leave Kuryk that evening and"
    " reach Baku in about 20-22 hours; midpoint 21 h; 454.2 km / 21 h = 21.6 km/h)"
)
# The other Caspian lanes are sailed by the same Caspian ro-pax and rail-ferry fleet, and ASCO's
# Kuryk-Baku voyage is the only published Caspian sailing time over a lane whose length we know:
# it replaces the 13.5 kn assumption there (13.9 kn is the fleet's maximum, not its service speed).
CASPIAN_FERRY_SPEED = (
    KURYK_ALAT_SPEED,
    "speed measured on Kuryk-Alat, same Caspian ferry fleet: " + KURYK_ALAT_SPEED_SOURCE,
)
# Departures of the scheduled ferries, one direction (sailings a week, source), and the mean
# time a ship waits to fill before it sails (hours, source). Routing derives the mean wait for a
# departure from them (168 / (2 x sailings) + fill), so no link carries an explicit wait_h.
# Each published count is of voyages actually made or a timetable, so the time ships spend
# filling already lengthens the interval between sailings: adding it again as fill time would
# count it twice, hence fill 0 throughout.
_FILL_IN_COUNT = (
    0.0,
    "assumption: the sailing count is of voyages made (or a timetable), so time spent filling is"
    " already inside the interval between sailings; a separate fill time would count it twice",
)
FERRY_OPS: dict[tuple[str, str], dict[str, Any]] = {
    ("aktau", "alat"): {
        "sailings_per_week": 3.5,
        "sailings_source": "https://telsglobal.com/media_center/tels_news/cargo-delivery-via-"
        "trans-caspian-route/ (Oct 2022: seven container feeders of up to 350 TEU make 3-4"
        " westbound voyages a week; midpoint 3.5; the forwarder calls it a rough estimate)",
    },
    ("kuryk", "alat"): {
        "sailings_per_week": 2.0,
        "sailings_source": "https://www.trainorders.com/discussion/read.php?6,4476138 (2018:"
        " Kazakh-Azerbaijani Caspian ferries sail about twice a week; traveller report, low"
        " confidence; no operator timetable found)",
    },
    ("turkmenbashi", "alat"): {
        "sailings_per_week": 9.92,
        "sailings_source": "https://www.newscentralasia.net/2023/06/19/in-january-may-2023-the-"
        "turkmenbashi-port-received-over-200-ships-from-azerbaijan/ (214 departures from"
        " Turkmenbashi to Baku in Jan-May 2023, 151 days: 214 / 151 x 7 = 9.92 a week; all"
        " ferries, road and rail)",
    },
    ("astrakhan", "anzali"): {
        "sailings_per_week": 1.0,
        "sailings_source": "https://www.trud.ru/article/01-06-2023/1506711_iran_zapustil_"
        "reguljarnye_morskie_rejsy_v_rossiju/print (1 Jun 2023: Iran's Caspian shipping company"
        " starts weekly sailings from Anzali to the Russian Caspian ports; in Jun 2015 IRISL ran 6"
        " sailings a month from Iran to Russia and Kazakhstan together,"
        " https://theiranproject.com/blog/2015/06/07/iran-launches-caspian-shipping-line/)",
    },
    ("kavkaz", "poti"): {
        "sailings_per_week": 2.0,
        "sailings_source": "https://armenpress.am/eng/news/1078792/ (March 2022: the rail ferry"
        " runs twice a week)",
    },
    ("poti", "constanta"): {
        "sailings_per_week": 1.0,
        "sailings_source": "https://commersant.ge/ru/news/economics/s-leta-mezdu-batumi-i-"
        "konstancei-budut-xodit-passazirskie-suda (operator, after the 2023 launch: the ferry"
        " sails once a week, to be doubled; the Georgian Railway feeder of 2019 announced three"
        " voyages a month, http://www.railway.ge/en/georgian-railway-subsidiary-will-carry-out-"
        "container-shipments-to-europe-by-feeder-ship/: the more recent operator figure is used)",
    },
    ("poti", "varna"): {
        "sailings_per_week": 1.04,
        "sailings_source": "http://emigrantforum.ru/showpost.php?p=339223&postcount=146 (June"
        " 2009, Interfax quoted on a forum: 4-5 sailings a month from Poti, midpoint 4.5 x 12 /"
        " 52 = 1.04 a week; old, low confidence)",
    },
    ("batumi", "varna"): {
        "sailings_per_week": 1.0,
        "sailings_source": "assumption: no Batumi-Varna count found; weekly, as the other"
        " Georgian Black Sea lines with published counts (Poti-Constanta, Batumi-Burgas)",
    },
    ("batumi", "burgas"): {
        "sailings_per_week": 1.0,
        "sailings_source": "http://bourgas.ru/paromnaya-pereprava-iz-burgasa-v-batumi-budet-"
        "usilena-teplohodom-vilnyus/ (weekly sailings from 4 July 2022)",
    },
}
# Own haulage rate of a ferry where a published tariff exists: (USD, per how many TEU, source
# text); the rate is USD / TEU / the link's length and the source states that arithmetic.
# ASCO's tariff page prices a container per box on its two Caspian rail-ferry lanes; it carries
# no date, but its truck rate (USD 60.5 a metre, USD 998 for a 16.5 m truck) is the one ASCO set
# from 1 Mar 2023, so the page is of that tariff or later.
_ASCO_TARIFF = (
    "https://www.asco.az/az/pages/3/140 (ASCO carriage tariffs, ferries and ro-ro ships: per"
    " container, {lane}; the page is undated, its truck rate of USD 60.5 per metre is the"
    " USD 1,000 per 16.5 m truck in force from 1 Mar 2023,"
    " https://metbuat.az/news/1461375/baki-turkmenbasi-baki-xettinde-gemi-dasimalari-tariflerine-"
    "e.html)"
)
FERRY_TARIFF: dict[tuple[str, str], tuple[float, float, str]] = {
    ("turkmenbashi", "alat"): (
        500.0,
        1.0,
        _ASCO_TARIFF.format(lane="Alat-Turkmenbashi USD 500 a 20-ft box, 1,000 a 40-ft box"),
    ),
    ("kuryk", "alat"): (
        600.0,
        1.0,
        _ASCO_TARIFF.format(lane="Alat-Kuryk USD 600 a 20-ft box, 1,200 a 40-ft box"),
    ),
}
# The one per-box tariff found for a Black Sea rail/ro-pax ferry (Ukrferry, Chornomorsk -
# Batumi/Poti, either way) prices the Georgian lanes to the EU ports too, per km: the same kind of
# ship on a lane of about the same length, instead of the ferry default (a Caspian truck rate).
_BLACK_SEA_USD, _BLACK_SEA_KM = 500.0, 1133.1  # per loaded 20-ft box; searoute length
BLACK_SEA_FERRY_RATE = (
    round(_BLACK_SEA_USD / _BLACK_SEA_KM, 3),
    "assumption: the Georgian Black Sea ferries charge per km what Ukrferry's Chornomorsk-"
    "Batumi/Poti line does, the one per-box Black Sea ferry tariff found:"
    " https://www.forum.ukrferry.com/ka/tariff/containers/chornomorsk-batumi-chornomorsk (loaded"
    " 20-ft box USD 500, 40-ft USD 700, either way; validity date not shown) / 1,133.1 km"
    " (searoute lane from Chornomorsk port, 30.655 E 46.30 N, to Batumi;"
    " corridors.sea.sea_leg) = {rate}/TEU-km",
)
BLACK_SEA_FERRIES = (
    ("poti", "constanta"),
    ("poti", "varna"),
    ("batumi", "varna"),
    ("batumi", "burgas"),
)
# Calls a mainline Asia-Europe service makes between the ends of a lane, from one published
# westbound rotation: Maersk AE55 before its Dec 2021 revision, the one loop found that starts
# at Shanghai (Shanghai - Ningbo - Yantian - Singapore - Tanjung Pelepas - Port Said -
# Rotterdam), https://www.en.portnews.ru/news/322816/. Calls at the Singapore Strait count on
# the lane that ends there; Port Said counts on the canal it closes.
_AE55 = (
    "https://www.en.portnews.ru/news/322816/ (Maersk AE55 westbound rotation before Dec 2021:"
    " Shanghai - Ningbo - Yantian - Singapore - Tanjung Pelepas - Port Said - Rotterdam)"
)
_GRIFFIN = (
    "https://fullavantenews.com/2m-adapts-asia-europe-network-to-red-sea-situation/?lang=es"
    " (2M AE55/Griffin rotation revised for the Cape routing, early Feb 2024: Shanghai - Ningbo"
    " - Xiamen - Tanjung Pelepas - Felixstowe - Rotterdam - Le Havre - Tanger Med - Colombo -"
    " Singapore - Shanghai)"
)
# Sea freight rates move tenfold within two years (USD 1,300 a 40-ft box in 2019, 14,000 in
# late 2021), so one rate cannot stand for every date. Drewry's World Container Index for
# Shanghai-Rotterdam (spot, USD per 40-ft box) at the dated assessments below holds from its date
# until the next one; before the first, the default rate (WCI of 16 Nov 2023) applies. A rate
# per TEU-km divides the box rate by feu_factor.sea (1.3) and by the published length of the lane
# the index prices: 10,600 nm (19,630 km) via Suez, 13,800 nm (25,558 km) via the Cape once lines
# went round Africa (15 Dec 2023, the Red Sea closure in disruptions.json). Points whose week the
# stored pages do not give are left out, and the 14 Jul 2022 value (a misprint: it equals the
# composite index) too. Two 2019 assessments (20 Jun, 19 Sep) are rows of data/calibration.csv and
# are left out so that those rows stay a test of the default.
_HSN = "https://www.hellenicshippingnews.com/"
_WCI_SHA_RTM: tuple[tuple[str, int, str], ...] = (
    ("2019-10-24", 1204, _HSN + "drewry-world-container-index-down-25-7-y-o-y/"),
    ("2019-12-19", 1999, _HSN + "drewry-world-container-index-up-5-1-on-week/"),
    ("2020-03-05", 1746, "https://www.jiffa.or.jp/en/news/entry-6346.html"),
    ("2020-04-16", 1475, _HSN + "drewry-world-container-index-down-1-7-this-week/"),
    ("2020-05-14", 1561, _HSN + "drewry-world-container-index-up-3-8-on-week/"),
    ("2020-05-21", 1738, _HSN + "drewry-world-container-index-up-3-3-on-week/"),
    ("2020-09-10", 2134, _HSN + "drewry-world-container-index-down-by-0-5/"),
    ("2020-09-17", 2287, _HSN + "drewry-world-container-index-up-by-6-1/"),
    (
        "2020-11-12",
        2473,
        _HSN + "drewry-world-container-index-up-2-8-on-week-and-93-1-year-on-year/",
    ),
    ("2021-01-07", 8882, "http://sagarsandesh.in/single.php?newstitle=16378"),
    (
        "2021-01-28",
        8740,
        _HSN + "drewry-world-container-index-down-1-7-on-week-but-remain-204-4-higher-on-year/",
    ),
    (
        "2021-02-04",
        8543,
        _HSN + "drewry-world-container-index-down-0-4-on-week-still-207-1-higher-on-an-annual-"
        "basis/",
    ),
    ("2021-05-20", 9865, _HSN + "drewry-world-container-index-up-7-1-during-the-past-week/"),
    ("2021-09-09", 14287, _HSN + "drewry-world-container-index-still-on-the-rise/"),
    ("2022-01-13", 14028, _HSN + "drewry-world-container-index-up-1-4-this-week/"),
    ("2022-03-17", 12221, "https://index1520.com/en/news/mirovoy-konteynernyy-indeks-17-marta/"),
    ("2022-06-23", 9598, _HSN + "drewry-world-container-index-10-lower-than-a-year-ago/"),
    ("2022-07-21", 9092, _HSN + "drewry-world-container-index-down-by-2-6-on-week/"),
    ("2022-08-25", 8010, _HSN + "world-container-index-25-aug/"),
    ("2022-09-22", 6027, _HSN + "drewry-world-container-index-down-by-10-this-week/"),
    (
        "2022-11-24",
        2192,
        "https://www.thedcn.com.au/news/containers-and-container-shipping/world-container-index-"
        "drops-again/ (week inferred: the 39th weekly fall in a row; the 30th was 22 Sep 2022)",
    ),
    ("2023-03-16", 1553, _HSN + "drewry-world-container-index-down-1-this-week/"),
    ("2023-03-30", 1479, _HSN + "drewry-world-container-index-down-2-this-week-3/"),
    ("2023-08-17", 1768, _HSN + "drewrys-world-container-index-17-aug/"),
    ("2023-11-09", 1272, _HSN + "drewry-world-container-index-up-7-this-week/"),
    ("2023-12-14", 1442, _HSN + "drewry-world-container-index-up-by-4/"),
    (
        "2024-01-11",
        4406,
        "https://www.logupdateafrica.com/shipping/drewry-wci-up-15-vessel-boarded-1350883",
    ),
    ("2024-01-18", 4951, _HSN + "drewry-world-container-index-up-23-last-week/"),
    ("2024-05-16", 4172, _HSN + "drewry-world-container-index-up-11-this-week/"),
    (
        "2024-08-22",
        7429,
        "https://www.interiordaily.com/article/9652198/dry-freight-container-rate-the-second-"
        "highest-year-on-record/ (week inferred: composite 5,319, and 4,775 on 5 Sep after an 8 %"
        " fall)",
    ),
    ("2024-09-05", 6219, _HSN + "drewry-world-container-index-down-8-last-week/"),
    ("2024-10-03", 3815, _HSN + "drewry-world-container-index-down-5-last-week-2/"),
    ("2024-10-24", 3132, _HSN + "drewry-world-container-index-down-4-last-week-2/"),
    ("2024-11-14", 4043, _HSN + "drewry-world-container-index-stable-last-week-3/"),
    ("2025-03-06", 2636, _HSN + "drewry-world-container-index-fell-again-last-week/"),
    (
        "2025-04-10",
        2392,
        "https://thedcn.com.au/region/australia/world-container-index-continues-increase",
    ),
    (
        "2025-05-08",
        2046,
        "http://www.trasportoeuropa.it/english/container-freight-rates-fall-between-china-and-"
        "europe-but-rise-for-the-us/",
    ),
    ("2025-06-26", 3204, "https://indiashippingnews.com/?p=68054"),
    (
        "2025-07-03",
        3468,
        "https://www.trasportoeuropa.it/english/container-freight-rates-from-china-decline-at-the-"
        "end-of-june-2025",
    ),
    (
        "2025-08-14",
        3176,
        "https://www.trasportoeuropa.it/english/container-freight-rates-keep-falling-in-the-third-"
        "week-of-august-2025",
    ),
    (
        "2025-09-18",
        1910,
        "http://www.trasportoeuropa.it/english/container-freight-rates-drop-across-all-routes-2",
    ),
    (
        "2025-10-02",
        1613,
        "https://www.trasportoeuropa.it/english/september-2025-closes-with-a-general-decline-in-"
        "container-freight-rates",
    ),
    ("2025-10-23", 1736, "https://www.thedcn.com.au/news/world-container-index-23-october-2025"),
    (
        "2025-11-06",
        1962,
        "https://seantel.news/shipping-news/drewry-world-container-index-up-8-last-week",
    ),
    (
        "2025-11-13",
        2028,
        "https://www.interiordaily.com/article/9785191/drewry-wci-drops-5-for-first-time-in-four-"
        "weeks",
    ),
    ("2025-11-27", 2165, "https://www.thedcn.com.au/news/world-container-index-27-november-2025"),
    (
        "2025-12-18",
        2539,
        "https://www.trasportoeuropa.it/english/global-container-freight-rates-rise-in-mid-"
        "december-2025",
    ),
    ("2026-01-22", 2510, "https://www.jiffa.or.jp/en/news/entry-9790.html (week 4 of 2026)"),
)
_SUEZ_KM, _CAPE_KM, _CAPE_FROM = 19_630.0, 25_558.0, "2023-12-15"
_SEA_FEU_FACTOR = 1.3  # corridors.settings feu_factor["sea"]


def sea_rate_dated() -> list[dict[str, Any]]:
    """Return the ``dated`` entries of a sea lane's rate, one per WCI assessment."""
    entries = []
    for i, (day, usd, url) in enumerate(_WCI_SHA_RTM):
        until = _WCI_SHA_RTM[i + 1][0] if i + 1 < len(_WCI_SHA_RTM) else None
        via, km = ("the Cape", _CAPE_KM) if day >= _CAPE_FROM else ("Suez", _SUEZ_KM)
        rate = round(usd / _SEA_FEU_FACTOR / km, 4)
        entries.append(
            {
                "from": day,
                "until": until,
                "set": {"cost_usd_per_teu_km": rate},
                "source": f"{url} (Drewry WCI Shanghai-Rotterdam USD {usd:,}/FEU on {day}"
                f" / {_SEA_FEU_FACTOR} (feu_factor.sea) / {km:,.0f} km via {via} = {rate})",
            }
        )
    return entries


PORT_CALLS: dict[tuple[str, str], tuple[int, str]] = {
    ("shanghai", "malacca"): (4, _AE55 + ": Ningbo, Yantian, Singapore, Tanjung Pelepas = 4"),
    ("malacca", "bab_el_mandeb"): (0, _AE55 + ": no call between Tanjung Pelepas and Suez = 0"),
    ("bab_el_mandeb", "suez"): (0, _AE55 + ": no call in the Red Sea = 0"),
    ("suez", "port_said"): (1, _AE55 + ": Port Said at the canal's northern end = 1"),
    ("port_said", "gibraltar"): (0, _AE55 + ": no call between Port Said and Rotterdam = 0"),
    ("gibraltar", "ushant"): (0, _AE55 + ": no call between Port Said and Rotterdam = 0"),
    ("ushant", "rotterdam"): (0, _AE55 + ": no call between Port Said and Rotterdam = 0"),
    ("malacca", "cape_of_good_hope"): (
        0,
        _GRIFFIN + ": no call between Tanjung Pelepas and Felixstowe = 0",
    ),
    ("cape_of_good_hope", "ushant"): (
        0,
        _GRIFFIN + ": no call between Tanjung Pelepas and Felixstowe = 0",
    ),
}
# The same loop round the Cape from February 2024 (the revised rotation): calls it makes then on
# the lanes it shares with the Suez routing, from the day the revision took effect.
PORT_CALLS_DATED: dict[tuple[str, str], tuple[int, str]] = {
    ("shanghai", "malacca"): (3, _GRIFFIN + ": Ningbo, Xiamen, Tanjung Pelepas = 3"),
    ("ushant", "rotterdam"): (1, _GRIFFIN + ": Felixstowe = 1"),
}
_GRIFFIN_FROM = "2024-02-01"  # "early February 2024", the revision's first sailings
OPEN = [{"status": "open", "from": None, "source": SEAROUTE}]

# Interface ports (owned by other regions): id -> (lon, lat, country), used when the regional
# node files do not hold the id yet.
PORTS: dict[str, tuple[float, float, str]] = {
    "shanghai": (121.6000, 31.3500, "CHN"),
    "rotterdam": (4.0500, 51.9550, "NLD"),
    "hamburg": (9.9700, 53.5400, "DEU"),
    "piraeus": (23.6100, 37.9450, "GRC"),
    "constanta": (28.6600, 44.1600, "ROU"),
    "varna": (27.9100, 43.1950, "BGR"),
    "burgas": (27.4700, 42.4900, "BGR"),
    "poti": (41.6550, 42.1550, "GEO"),
    "batumi": (41.6450, 41.6500, "GEO"),
    "aktau": (51.1700, 43.6050, "KAZ"),
    "kuryk": (51.6600, 43.1700, "KAZ"),
    "turkmenbashi": (52.9800, 40.0100, "TKM"),
    "alat": (49.4150, 39.9550, "AZE"),
    "kavkaz": (36.6700, 45.3600, "RUS"),
    "astrakhan": (48.0400, 46.3500, "RUS"),
    "anzali": (49.4622, 37.4728, "IRN"),
    "bandar_abbas": (56.0650, 27.1050, "IRN"),
    "nhava_sheva": (72.9500, 18.9500, "IND"),
}


def _wp(name: str, lon: float, lat: float, source: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "kind": "sea", "lon": lon, "lat": lat, "source": source, **extra}


# Nodes owned by the sea region. Waypoints sit on MARNET nodes so that split lanes join up.
NODES: dict[str, dict[str, Any]] = {
    "malacca": _wp(
        "Singapore Strait",
        103.8611,
        1.1714,
        "https://en.wikipedia.org/wiki/Singapore_Strait",
        aliases=["Strait of Malacca (east end)"],
    ),
    "bab_el_mandeb": _wp(
        "Bab-el-Mandeb",
        43.3000,
        12.7000,
        "https://en.wikipedia.org/wiki/Bab-el-Mandeb",
        aliases=["Bab al-Mandab", "باب المندب"],
    ),
    "cape_of_good_hope": _wp(
        "Cape of Good Hope (offshore)",
        18.0000,
        -35.0000,
        "https://en.wikipedia.org/wiki/Cape_of_Good_Hope",
        aliases=["Cape route"],
        note="at sea ~75 km south-west of Cape Point, on the MARNET Cape lane",
    ),
    "gibraltar": _wp(
        "Strait of Gibraltar",
        -5.3549,
        35.9688,
        "https://en.wikipedia.org/wiki/Strait_of_Gibraltar",
    ),
    "ushant": _wp(
        "Ushant (English Channel approach)",
        -5.5000,
        48.6667,
        "https://en.wikipedia.org/wiki/Ushant",
        aliases=["Ouessant"],
        note="merge point of the Suez/Gibraltar and Cape lanes into the Channel",
    ),
    "dardanelles": _wp(
        "Dardanelles (Aegean entrance)",
        26.2000,
        40.1000,
        "https://en.wikipedia.org/wiki/Dardanelles",
        aliases=["Çanakkale Boğazı", "Hellespont"],
    ),
    "bosphorus": _wp(
        "Bosphorus (Black Sea entrance)",
        29.1324,
        41.2424,
        "https://en.wikipedia.org/wiki/Bosporus",
        aliases=["İstanbul Boğazı", "Bosporus"],
    ),
    "hormuz": _wp(
        "Strait of Hormuz (Gulf of Oman approach)",
        57.1000,
        25.5000,
        "https://en.wikipedia.org/wiki/Strait_of_Hormuz",
        aliases=["Hormuz", "Strait of Hormuz", "تنگه هرمز", "مضيق هرمز"],
        note="at the Gulf of Oman end of the MARNET ormuz passage edge: every lane into the Gulf"
        " runs through this point and carries the tag hormuz",
    ),
    "suez": {
        "name": "Suez (Port Tawfiq)",
        "kind": "port",
        "country": "EGY",
        "lon": 32.5650,
        "lat": 29.9370,
        "aliases": ["Port Tawfiq", "Port Tewfik", "السويس"],
        "source": "https://en.wikipedia.org/wiki/Port_Tawfiq",
        "note": "southern end of the Suez Canal",
    },
    "port_said": {
        "name": "Port Said (canal entrance)",
        "kind": "port",
        "country": "EGY",
        "lon": 32.3599,
        "lat": 31.3364,
        "aliases": ["بورسعيد", "Bur Said"],
        "source": "https://en.wikipedia.org/wiki/Port_Said",
        "note": "northern end of the Suez Canal, at the MARNET node off the harbour",
    },
}

SUEZ_STATUS = [
    {"status": "open", "from": None, "source": "https://en.wikipedia.org/wiki/Suez_Canal"},
    {
        "status": "closed",
        "from": "1967-06-05",
        "source": "https://en.wikipedia.org/wiki/Suez_Canal#Six-Day_War_closure",
    },
    {
        "status": "open",
        "from": "1975-06-05",
        "source": "https://en.wikipedia.org/wiki/Suez_Canal#Reopening",
    },
]
RED_SEA_NOTE = (
    "Houthi attacks on shipping since November 2023 diverted most container lines to the Cape;"
    " closed from 15 Dec 2023 by red_sea_houthi_2023 in disruptions.json"
)
VARNA_GEORGIA = (
    "https://eurasia.travel/georgia/transport/sea/ (train ferries Varna - Poti and Batumi"
    " since 1999)"
)
# The Black Sea ferry lines opened on known dates (the day is not published for Varna, so
# 1 January of the year is used and said).
VARNA_STATUS = [
    {
        "status": "open",
        "from": "1999-01-01",
        "source": VARNA_GEORGIA + "; day and month not given, 1 Jan used",
    }
]

KAVKAZ_POTI_STATUS = [
    {
        "status": "open",
        "from": "2005-03-23",
        "grade": "operating",
        "source": "https://armeniandiaspora.com/forum/2005/march-2005/21437-caucasus-poti-ferry-"
        "line-resumes-operation-after-13-year-break (ITAR-TASS: line resumed after 13 years, "
        "first ferry with 18 wagons)",
    },
    {
        "status": "closed",
        "from": "2006-10-03",
        "source": "https://messenger.com.ge/issues/1487_november_16_2007/1487_econ_blacksea.html "
        "(Russia's land, sea and rail embargo on Georgia from October 2006)",
    },
    {
        "status": "open",
        "from": "2007-04-14",
        "grade": "operating",
        "source": "https://www.armenianclub.com/2007/04/15/new-ferry-makes-first-trial-run-from-"
        "georgia-to-russia/ (rail ferry Smat, 50 wagons); in service in November 2007 and May "
        "2009 (https://messenger.com.ge/issues/1487_november_16_2007/1487_econ_blacksea.html, "
        "http://messenger.com.ge/issues/1860_may_22_2009/1860_econ_two.html) and twice a week in"
        " March 2022 (https://armenpress.am/eng/news/1078792/)",
    },
]
HORMUZ_NOTE = (
    "the only sea access to the Gulf ports (Bandar Abbas): close tag hormuz in a scenario to"
    " model a closure of the Strait of Hormuz"
)

# (u, v, mode, tags, extra properties). Sea lanes: searoute between the nodes.
LINKS: list[tuple[str, str, str, list[str], dict[str, Any]]] = [
    ("shanghai", "malacca", "sea", ["sea"], {"name": "East China Sea - Singapore Strait"}),
    ("malacca", "bab_el_mandeb", "sea", ["sea", "suez", "red_sea"], {"note": RED_SEA_NOTE}),
    ("bab_el_mandeb", "suez", "sea", ["sea", "suez", "red_sea"], {"note": RED_SEA_NOTE}),
    (
        "suez",
        "port_said",
        "sea",
        ["sea", "suez"],
        {
            "name": "Suez Canal",
            "country": "EGY",
            "length_km": 193.3,
            "length_source": "https://en.wikipedia.org/wiki/Suez_Canal (193.30 km, Suez Canal"
            " Authority)",
            "speed_kmh": 12.0,
            "speed_source": "assumption: convoy transit of 12-16 h for 193 km incl. waiting,"
            " https://en.wikipedia.org/wiki/Suez_Canal",
            "status": SUEZ_STATUS,
            "source": "https://en.wikipedia.org/wiki/Suez_Canal; " + SEAROUTE,
        },
    ),
    ("port_said", "piraeus", "sea", ["sea", "suez", "mediterranean"], {}),
    ("port_said", "gibraltar", "sea", ["sea", "suez", "mediterranean"], {}),
    ("port_said", "dardanelles", "sea", ["sea", "suez", "mediterranean"], {}),
    ("gibraltar", "piraeus", "sea", ["sea", "mediterranean"], {}),
    ("gibraltar", "ushant", "sea", ["sea"], {}),
    ("malacca", "cape_of_good_hope", "sea", ["sea", "cape"], {}),
    ("cape_of_good_hope", "ushant", "sea", ["sea", "cape"], {}),
    ("cape_of_good_hope", "gibraltar", "sea", ["sea", "cape"], {}),
    ("ushant", "rotterdam", "sea", ["sea"], {"name": "English Channel - Rotterdam"}),
    ("rotterdam", "hamburg", "sea", ["sea"], {"name": "North Sea - Elbe"}),
    ("piraeus", "dardanelles", "sea", ["sea", "black_sea"], {}),
    (
        "dardanelles",
        "bosphorus",
        "sea",
        ["sea", "black_sea", "turkish_straits"],
        {
            "name": "Turkish Straits (Dardanelles - Sea of Marmara - Bosphorus)",
            "country": "TUR",
            "speed_kmh": 20.0,
            "speed_source": "assumption: pilotage and one-way traffic in the straits",
            "source": "https://en.wikipedia.org/wiki/Turkish_Straits; " + SEAROUTE,
        },
    ),
    ("bosphorus", "constanta", "sea", ["sea", "black_sea"], {}),
    ("bosphorus", "varna", "sea", ["sea", "black_sea"], {}),
    ("bosphorus", "burgas", "sea", ["sea", "black_sea"], {}),
    ("bosphorus", "poti", "sea", ["sea", "black_sea"], {}),
    ("bosphorus", "batumi", "sea", ["sea", "black_sea"], {}),
    # North-South: the Gulf and India
    (
        "bandar_abbas",
        "hormuz",
        "sea",
        ["sea", "north_south", "hormuz"],
        {"name": "Bandar Abbas - Strait of Hormuz", "note": HORMUZ_NOTE},
    ),
    (
        "hormuz",
        "nhava_sheva",
        "sea",
        ["sea", "north_south"],
        {"name": "Gulf of Oman - Arabian Sea - Nhava Sheva (Mumbai)"},
    ),
    ("hormuz", "bab_el_mandeb", "sea", ["sea", "suez", "red_sea"], {"note": RED_SEA_NOTE}),
    ("nhava_sheva", "bab_el_mandeb", "sea", ["sea", "suez", "red_sea"], {"note": RED_SEA_NOTE}),
    ("nhava_sheva", "malacca", "sea", ["sea"], {"name": "Nhava Sheva - Singapore Strait"}),
    # Caspian ferries (Middle Corridor)
    (
        "aktau",
        "alat",
        "ferry",
        ["middle", "caspian"],
        {
            "name": "Aktau - Alat (Port of Baku) ferry",
            "capacity_teu_year": 89_000,
            "capacity_source": "https://sia.az/en/news/economy/1235452.html (89,000 TEU a year "
            "Aktau to Alat, westbound, with the current container-ship fleet)",
            "source": "https://en.wikipedia.org/wiki/Port_of_Baku; " + SEAROUTE,
            "speed_kmh": CASPIAN_FERRY_SPEED[0],
            "speed_source": CASPIAN_FERRY_SPEED[1],
        },
    ),
    (
        "kuryk",
        "alat",
        "ferry",
        ["middle", "caspian"],
        {
            "name": "Kuryk - Alat (Port of Baku) ferry",
            "status": [
                {
                    "status": "under_construction",
                    "from": "2015-04-01",
                    "source": "https://en.inform.kz/amp/massimov-inspects-progress-of-ferry-"
                    "complex-construction-in-kuryk-port_a2935026/",
                },
                {
                    "status": "open",
                    "from": "2016-12-01",
                    "source": "https://en.inform.kz/news/senators-visit-kuryk-port-ferry-"
                    "complex_a3071368/ (rail ferry complex in operation December 2016)",
                },
            ],
            "source": "https://en.inform.kz/news/senators-visit-kuryk-port-ferry-complex_a3071368/;"
            " " + SEAROUTE,
            # the operator's stated voyage time over this lane's length (searoute, 454.2 km)
            "speed_kmh": KURYK_ALAT_SPEED,
            "speed_source": KURYK_ALAT_SPEED_SOURCE,
            "note": "Kuryk is 65 km from the nearest MARNET node: lane drawn with"
            " max_snap_km=80 and joined straight over water to the Caspian lane",
        },
    ),
    (
        "turkmenbashi",
        "alat",
        "ferry",
        ["middle", "caspian"],
        {
            "name": "Turkmenbashi - Alat (Port of Baku) ferry",
            "source": "https://eurasia.travel/azerbaijan/transport/caspian_ferry/; " + SEAROUTE,
            "note": "ferry line Baku - Krasnovodsk since 1963 (306 km from the old Baku port)",
            "speed_kmh": CASPIAN_FERRY_SPEED[0],
            "speed_source": CASPIAN_FERRY_SPEED[1],
        },
    ),
    # Russia - Iran across the Caspian (the North-South corridor's sea branch)
    (
        "astrakhan",
        "anzali",
        "ferry",
        ["caspian", "north_south"],
        {
            "name": "Astrakhan - Bandar Anzali Caspian shipping",
            "status": [
                {
                    "status": "open",
                    "from": None,
                    "source": "http://www.iran.ru/news/economics/49664/V_severnyh_iranskih_"
                    "portah_net_nikakih_ogranicheniy_pri_transportirovke_eksportnyh_gruzov"
                    " (Dec 2007: Iran's Caspian shipping company sails on a fixed schedule from"
                    " Anzali and Amirabad to Russian and Kazakh ports since the end of Sep 2007;"
                    " the lane itself is older)",
                }
            ],
            "source": "https://theiranproject.com/blog/2015/06/07/iran-launches-caspian-"
            "shipping-line/; " + SEAROUTE,
            "speed_kmh": CASPIAN_FERRY_SPEED[0],
            "speed_source": "assumption: no sailing time is published for a Russia-Iran Caspian"
            " pair; the Caspian ferry speed measured on Kuryk-Alat is used ("
            + KURYK_ALAT_SPEED_SOURCE
            + ")",
            "note": "general cargo and small container ships (131-435 TEU) through the 188 km"
            " Volga-Caspian canal; the lane runs from Astrakhan down the Volga; ice: ships need"
            " icebreaker escort at Astrakhan and in the canal from about mid-December to early"
            " March (not modelled); the Anzali end stands for Bandar Anzali and the Caspian port"
            " of the Anzali free zone",
        },
    ),
    # Black Sea rail ferry Russia - Georgia (1520 mm wagons)
    (
        "kavkaz",
        "poti",
        "ferry",
        ["black_sea", "georgia_russia"],
        {
            "name": "Port Kavkaz - Poti rail ferry",
            "status": KAVKAZ_POTI_STATUS,
            "source": "https://armenpress.am/eng/news/1078792/; " + SEAROUTE,
            "note": "rail ferry for 1520 mm wagons between the Russian and Georgian networks"
            " (no rail link through Abkhazia since 1992); Armenia's subsidised service of 2022"
            " was later stopped as unprofitable (https://xalqqazeti.az/en/dunya/158336-armenia-"
            "stops-ferry-russia-via), so service after 2022 is uncertain",
        },
    ),
    # Black Sea ferries (Middle Corridor)
    (
        "poti",
        "constanta",
        "ferry",
        ["middle", "black_sea"],
        {
            "name": "Poti - Constanta ferry",
            "status": [
                {
                    "status": "open",
                    "from": "2023-06-27",
                    "source": "https://en.vestikavkaza.ru/news/Ferry-service-connects-Georgia-"
                    "Romania.html (E60 line: first sailing Constanta - Poti left on a Tuesday,"
                    " return on Friday 30 June, i.e. 27 June 2023)",
                }
            ],
            "source": "https://commersant.ge/ru/news/economics/s-leta-mezdu-batumi-i-konstancei-"
            "budut-xodit-passazirskie-suda; " + SEAROUTE,
        },
    ),
    (
        "poti",
        "varna",
        "ferry",
        ["middle", "black_sea"],
        {
            "name": "Poti - Varna rail ferry",
            "status": VARNA_STATUS,
            "source": VARNA_GEORGIA + "; " + SEAROUTE,
        },
    ),
    (
        "batumi",
        "varna",
        "ferry",
        ["middle", "black_sea"],
        {
            "name": "Batumi - Varna rail ferry",
            "status": VARNA_STATUS,
            "source": VARNA_GEORGIA + "; " + SEAROUTE,
        },
    ),
    (
        "batumi",
        "burgas",
        "ferry",
        ["middle", "black_sea"],
        {
            "name": "Batumi - Burgas ferry",
            "status": [
                {
                    "status": "open",
                    "from": "2022-07-04",
                    "source": "http://bourgas.ru/paromnaya-pereprava-iz-burgasa-v-batumi-budet-"
                    "usilena-teplohodom-vilnyus/ (weekly sailings from 4 July 2022); running"
                    " weekly in Sept 2022, https://transportjournal.com/home/news/artikeldetail/"
                    "disputed-alternatives-on-the-black-sea.html?L=968",
                }
            ],
            "source": "https://globike.net/topics/1343143/F_hre_Burgas_Batumi (weekly ro-ro"
            " ferry); " + SEAROUTE,
        },
    ),
]

# Lanes whose end lies farther than the default 50 km from the MARNET network.
MAX_SNAP_KM = {"kuryk": 80.0, "alat": 80.0}


def _port_coords(data_dir: Path) -> dict[str, tuple[float, float, str]]:
    """Port coordinates from the regional node files, falling back to the interface table."""
    found: dict[str, tuple[float, float, str]] = {}
    for path in sorted(data_dir.glob("nodes_*.geojson")):
        if path.name == "nodes_sea.geojson":
            continue
        try:
            features = json.loads(path.read_text(encoding="utf-8"))["features"]
        except (OSError, ValueError, KeyError):
            continue
        for f in features:
            pid = f.get("properties", {}).get("id")
            if pid in PORTS and f.get("geometry", {}).get("type") == "Point":
                lon, lat = f["geometry"]["coordinates"][:2]
                found[pid] = (round(lon, 4), round(lat, 4), f["properties"].get("country"))
    return {pid: found.get(pid, default) for pid, default in PORTS.items()}


def build(data_dir: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the node and link features of the sea network."""
    points: dict[str, tuple[float, float, str | None]] = dict(_port_coords(data_dir))
    nodes = []
    for nid, spec in NODES.items():
        props: dict[str, Any] = {"id": nid, "name": spec["name"]}
        if "aliases" in spec:
            props["aliases"] = spec["aliases"]
        props["kind"] = spec["kind"]
        if spec.get("country"):
            props["country"] = spec["country"]
        props["source"] = (
            spec["source"]
            if spec["kind"] != "sea"
            else (f"{spec['source']}; position on the MARNET network of {SEAROUTE}")
        )
        if "note" in spec:
            props["note"] = spec["note"]
        geom = {"type": "Point", "coordinates": [spec["lon"], spec["lat"]]}
        nodes.append({"type": "Feature", "properties": props, "geometry": geom})
        points[nid] = (spec["lon"], spec["lat"], spec.get("country"))

    links = []
    for u, v, mode, tags, extra in LINKS:
        extra = dict(extra)
        countries = {points[u][2], points[v][2], extra.get("country")} - {None}
        speed, speed_source = FERRY_SPEED if mode == "ferry" else SEA_SPEED
        speed = extra.pop("speed_kmh", speed)
        speed_source = extra.pop("speed_source", speed_source)
        leg = sea_leg(
            points[u][:2],
            points[v][:2],
            allow_countries=countries,
            speed_kmh=speed,
            max_snap_km=max(MAX_SNAP_KM.get(u, 50.0), MAX_SNAP_KM.get(v, 50.0)),
        )
        if mode == "ferry" and leg.passages:
            raise SystemExit(f"ferry {u}-{v} uses passages {leg.passages}")
        props: dict[str, Any] = {
            "id": f"{mode}_{u}_{v}",
            "u": u,
            "v": v,
        }
        if "name" in extra:
            props["name"] = extra.pop("name")
        props["mode"] = mode
        props["country"] = extra.pop("country", None)
        props["length_km"] = extra.pop("length_km", round(leg.distance_km, 1))
        props["length_source"] = extra.pop("length_source", "geodesic")
        props["speed_kmh"] = speed
        props["speed_source"] = speed_source
        if mode == "ferry":
            ops = FERRY_OPS[(u, v)]
            props["sailings_per_week"] = ops["sailings_per_week"]
            props["sailings_source"] = ops["sailings_source"]
            props["fill_hours"], props["fill_source"] = ops.get("fill", _FILL_IN_COUNT)
        if (u, v) in PORT_CALLS:
            props["port_calls"], props["port_calls_source"] = PORT_CALLS[(u, v)]
        if mode == "sea":
            props["dated"] = sea_rate_dated()
        if (u, v) in PORT_CALLS_DATED:
            calls, text = PORT_CALLS_DATED[(u, v)]
            props["dated"].append(
                {"from": _GRIFFIN_FROM, "until": None, "set": {"port_calls": calls}, "source": text}
            )
        if (u, v) in BLACK_SEA_FERRIES:
            rate, text = BLACK_SEA_FERRY_RATE
            props["cost_usd_per_teu_km"] = rate
            props["cost_source"] = text.format(rate=rate)
        if (u, v) in FERRY_TARIFF:
            usd, teu, text = FERRY_TARIFF[(u, v)]
            rate = round(usd / teu / props["length_km"], 3)
            props["cost_usd_per_teu_km"] = rate
            props["cost_source"] = (
                f"{text}: USD {usd:,.0f} / {teu:g} TEU / {props['length_km']} km of this lane"
                f" = {rate}/TEU-km"
            )
        if "capacity_teu_year" in extra:
            props["capacity_teu_year"] = extra.pop("capacity_teu_year")
            props["capacity_source"] = extra.pop("capacity_source")
        props["status"] = extra.pop("status", OPEN)
        props["tags"] = tags
        props["source"] = extra.pop("source", SEAROUTE)
        passages = ", ".join(leg.passages) if leg.passages else "none"
        note = f"searoute lane; passages: {passages}"
        if "note" in extra:
            note = f"{extra.pop('note')}; {note}"
        props["note"] = note
        if extra:
            raise SystemExit(f"unused properties for {u}-{v}: {sorted(extra)}")
        feature = leg.to_feature()
        feature["properties"] = props  # schema order, not to_feature's defaults-first order
        links.append(feature)
    return nodes, links


def main(argv: list[str] | None = None) -> None:
    """Write nodes_sea.geojson and links_sea.geojson."""
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=root / "data" / "geo")
    args = parser.parse_args(argv)
    nodes, links = build(args.data_dir)
    write_features(args.data_dir / "nodes_sea.geojson", nodes)
    write_features(args.data_dir / "links_sea.geojson", links)
    print(f"wrote {len(nodes)} nodes and {len(links)} links to {args.data_dir}")


if __name__ == "__main__":
    main()

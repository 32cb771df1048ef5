"""Operations figures in the bundled data (issue 11): each value against its cited source text.

Every figure added for operations (terminal dwell, border hours by direction, gauge-change times
and fees, ferry sailings and fill times, port calls, haulage tariffs) is checked here against
the number its source text quotes, and every derived rate against its stated arithmetic, so a
value edited without its source (or the reverse) fails.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

import corridors as cr
from corridors._geojson import read_features
from corridors.network import data_dir

# Field -> the source field that must come with it.
SOURCE_OF = {
    "dwell_hours": "dwell_source",
    "border_hours_by_direction": "border_source",
    "sailings_per_week": "sailings_source",
    "fill_hours": "fill_source",
    "port_calls": "port_calls_source",
    "cost_usd_per_teu_km": "cost_source",
}
NUM = r"(\d[\d,]*(?:\.\d+)?)"


def _num(text: str) -> float:
    return float(text.replace(",", ""))


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    """Every node and link of the bundled files by id, as written (no defaults applied)."""
    out: dict[str, dict] = {}
    for path in sorted(data_dir().glob("*_*.geojson")):
        if path.name.startswith(("nodes_", "links_")):
            for feature in read_features(path):
                out[feature["properties"]["id"]] = feature["properties"]
    return out


def _with(records: dict[str, dict], field: str) -> dict[str, dict]:
    return {k: p for k, p in records.items() if field in p}


# --- every new field has its source ---------------------------------------------------------


@pytest.mark.parametrize("field", sorted(SOURCE_OF))
def test_every_new_field_has_its_source(records, field):
    carrying = _with(records, field)
    assert carrying, f"no element carries {field}"
    for eid, p in carrying.items():
        source = p.get(SOURCE_OF[field], "")
        assert isinstance(source, str) and ("http" in source or source.startswith("assumption:")), (
            f"{eid}: {field} without a URL or assumption in {SOURCE_OF[field]}"
        )


def test_operations_fields_are_in_range(records):
    for eid, p in records.items():
        if "dwell_hours" in p:
            assert p["dwell_hours"] >= 0, eid
        if "sailings_per_week" in p:
            assert p["sailings_per_week"] > 0, eid
        if "fill_hours" in p:
            assert p["fill_hours"] >= 0, eid
        if "port_calls" in p:
            assert isinstance(p["port_calls"], int) and p["port_calls"] >= 0, eid


# --- ferries ------------------------------------------------------------------------------


def test_every_ferry_has_sailings_and_fill_instead_of_a_fixed_wait(records):
    ferries = {k: p for k, p in records.items() if p.get("mode") == "ferry"}
    assert len(ferries) == 10  # 9 generated sea ferries and Lake Van
    for eid, p in ferries.items():
        assert "sailings_per_week" in p and "fill_hours" in p, eid
        # the two new fields replace the explicit wait (routing derives it from them)
        assert "wait_h" not in p and "wait_source" not in p, eid


def test_aktau_alat_sailings_are_the_midpoint_of_the_published_range(records):
    p = records["ferry_aktau_alat"]
    low, high = (
        int(x)
        for x in re.search(r"(\d)-(\d) westbound voyages a week", p["sailings_source"]).groups()
    )
    assert (low, high) == (3, 4)
    assert p["sailings_per_week"] == (low + high) / 2


def test_turkmenbashi_sailings_are_the_published_count_over_its_period(records):
    p = records["ferry_turkmenbashi_alat"]
    departures = int(re.search(r"(\d+) departures", p["sailings_source"]).group(1))
    assert departures == 214
    days = (dt.date(2023, 6, 1) - dt.date(2023, 1, 1)).days  # January to May 2023
    assert f"{days} days" in p["sailings_source"]
    assert p["sailings_per_week"] == round(departures / days * 7, 2) == 9.92


def test_poti_varna_sailings_convert_the_monthly_count(records):
    p = records["ferry_poti_varna"]
    assert "4-5 sailings a month" in p["sailings_source"]
    assert p["sailings_per_week"] == round(4.5 * 12 / 52, 2)


@pytest.mark.parametrize(
    ("link", "phrase", "per_week"),
    [
        ("ferry_kuryk_alat", "about twice a week", 2.0),
        ("ferry_kavkaz_poti", "twice a week", 2.0),
        ("ferry_poti_constanta", "once a week", 1.0),
        ("ferry_batumi_burgas", "weekly sailings", 1.0),
        ("ferry_van_tatvan", "about two departures a day", 14.0),
    ],
)
def test_sailings_say_what_their_source_says(records, link, phrase, per_week):
    p = records[link]
    assert phrase in p["sailings_source"]
    assert p["sailings_per_week"] == per_week


def test_the_one_ferry_without_a_count_says_it_is_an_assumption(records):
    assert records["ferry_batumi_varna"]["sailings_source"].startswith("assumption:")


def test_fill_time_is_not_counted_twice_with_a_measured_frequency(records):
    for eid, p in records.items():
        if p.get("mode") == "ferry":
            assert p["fill_hours"] == 0.0, eid
            assert "count it twice" in p["fill_source"], eid


# --- port calls -----------------------------------------------------------------------------

AE55 = ["Shanghai", "Ningbo", "Yantian", "Singapore", "Tanjung Pelepas", "Port Said", "Rotterdam"]
# the same loop revised for the Cape (2M, Feb 2024), up to Rotterdam
GRIFFIN = ["Shanghai", "Ningbo", "Xiamen", "Tanjung Pelepas", "Felixstowe", "Rotterdam"]


def _count_named_calls(text: str, calls: int, rotation: list[str], eid: str) -> None:
    assert " - ".join(rotation) in text, eid
    named, stated = re.search(r":\s*([^:]*?)\s*=\s*(\d+)$", text).groups()
    assert int(stated) == calls, eid
    if calls:
        listed = [s.strip() for s in re.split(r",| at ", named) if s.strip()]
        ports = [s for s in listed if any(s.startswith(a) for a in rotation)]
        assert len(ports) == calls, (eid, ports)


def test_port_calls_count_the_ports_each_source_names(records):
    for eid, p in _with(records, "port_calls").items():
        rotation = GRIFFIN if "Griffin" in p["port_calls_source"] else AE55
        _count_named_calls(p["port_calls_source"], p["port_calls"], rotation, eid)
        for entry in p.get("dated") or ():
            if "port_calls" in entry["set"]:
                assert entry["from"] == "2024-02-01", eid  # the revised rotation's first month
                _count_named_calls(entry["source"], entry["set"]["port_calls"], GRIFFIN, eid)


def test_shanghai_rotterdam_by_suez_makes_the_rotations_intermediate_calls():
    # Before the Red Sea closure the model sails via Suez; the calls its lanes carry must add up
    # to the calls the rotation makes between its two ends.
    net = cr.load_network(as_of="2023-06-01")
    found = cr.route(net, "shanghai", "rotterdam", modes=["sea"], weight="distance")
    assert "sea_suez_port_said" in [leg.link for leg in found.legs]
    links = {p["id"]: p for p in (f["properties"] for f in _sea_links())}
    calls = sum(links[leg.link].get("port_calls", 0) for leg in found.legs)
    assert calls == len(AE55) - 2


def _sea_links() -> list[dict]:
    return read_features(data_dir() / "links_sea.geojson")


# --- haulage tariffs --------------------------------------------------------------------------

BAKU_POTI = [
    "rail_baku_alat",
    "rail_alat_hajigabul",
    "rail_hajigabul_kurdamir",
    "rail_kurdamir_yevlakh",
    "rail_yevlakh_ganja",
    "rail_ganja_aghstafa",
    "rail_aghstafa_boyuk_kasik",
    "rail_boyuk_kasik_gardabani",
    "rail_gardabani_tbilisi",
    "rail_tbilisi_khashuri",
    "rail_khashuri_samtredia",
    "rail_samtredia_poti",
]


def test_baku_poti_rate_is_the_published_tariff_over_the_routes_length(records):
    total = round(sum(records[i]["length_km"] for i in BAKU_POTI), 1)
    for link in BAKU_POTI:
        p = records[link]
        text = p["cost_source"]
        assert "USD 800 per 20-ft box" in text
        stated_km = _num(re.search(rf"over the {NUM} km", text).group(1))
        assert stated_km == total, "a length changed: restate the km in the cost source"
        rate = _num(re.search(rf"= {NUM}/TEU-km", text).group(1))
        assert p["cost_usd_per_teu_km"] == rate == round(800 / total, 3)


def test_baku_poti_links_form_the_models_rail_route_between_them():
    net = cr.load_network(as_of="2026-11-29")
    found = cr.route(net, "baku", "poti", modes=["rail"], weight="distance")
    assert [leg.link for leg in found.legs] == BAKU_POTI


@pytest.mark.parametrize(
    ("link", "usd_per_box"), [("ferry_turkmenbashi_alat", 500), ("ferry_kuryk_alat", 600)]
)
def test_caspian_ferry_rates_are_asco_box_tariffs_per_teu_km(records, link, usd_per_box):
    # ASCO's tariff page: USD 500 (Turkmenbashi) and 600 (Kuryk) for a 20-ft box to Alat
    p = records[link]
    text = p["cost_source"]
    assert "asco.az" in text
    assert f"USD {usd_per_box} / 1 TEU / {p['length_km']} km of this lane" in text
    assert p["cost_usd_per_teu_km"] == round(usd_per_box / p["length_km"], 3)


def test_georgian_black_sea_ferries_charge_the_ukrferry_box_rate_per_km(records):
    ferries = [
        p for p in records.values() if p.get("mode") == "ferry" and "black_sea" in p.get("tags", [])
    ]
    priced = {p["id"] for p in ferries if "ukrferry" in p.get("cost_source", "")}
    assert priced == {
        "ferry_poti_constanta",
        "ferry_poti_varna",
        "ferry_batumi_varna",
        "ferry_batumi_burgas",
    }
    for link in priced:
        # USD 500 a loaded 20-ft box over the 1,133.1 km Chornomorsk-Batumi lane
        assert records[link]["cost_usd_per_teu_km"] == round(500 / 1133.1, 3)


def test_kti_2023_rate_is_dated_to_the_year_it_was_set_for(records):
    kti = {k: p for k, p in records.items() if "kti" in p.get("tags", []) and p["mode"] == "rail"}
    assert len(kti) == 9
    for eid, p in kti.items():
        entries = [d for d in p.get("dated", []) if "cost_usd_per_teu_km" in d["set"]]
        assert len(entries) == 1, eid
        entry = entries[0]
        published = _num(re.search(rf"{NUM} USD/TEU-km", entry["source"]).group(1))
        assert entry["set"]["cost_usd_per_teu_km"] == published == 0.15
        assert (entry["from"], entry["until"]) == ("2023-01-01", "2024-01-01")
        assert "for 2023" in entry["source"]
        # undated: the rate was set for 2023 only, so today's value falls back to the default
        assert "cost_usd_per_teu_km" not in p, eid


def test_kti_rate_is_in_force_in_2023_only():
    for day, expected in (("2023-06-01", 0.15), ("2025-06-01", None)):
        net = cr.load_network(as_of=day)
        record = net.usable_links["rail_uzen_serhetyaka"]
        assert record.get("cost_usd_per_teu_km") == expected, day


# --- borders ----------------------------------------------------------------------------------

SUM = re.compile(
    r"(?P<key>[A-Z]{3}>[A-Z]{3}) = [^=]*?(?P<a>\d+\.\d) h[^=+]*\+[^=]*?(?P<b>\d+\.\d) h[^=]*?= "
    r"(?P<total>\d+\.\d) h"
)

SINGLE = re.compile(r"(?P<key>[A-Z]{3}>[A-Z]{3}) = [^=+]*?(?P<hours>\d+\.\d+) h(?![^=]*\+)")


@pytest.mark.parametrize("node", ["alashankou", "khorgos", "red_bridge", "saryagash"])
def test_border_hours_by_direction_add_the_two_published_sides(records, node):
    p = records[node]
    # URLs carry "=" (query strings): drop them before reading the sums
    text = re.sub(r"https?://\S+", "URL", p["border_source"])
    sums = {m["key"]: m for m in SUM.finditer(text)}
    # a direction may also rest on one published figure: "CHN>KAZ = ... 0.77 h"
    singles = {m["key"]: float(m["hours"]) for m in SINGLE.finditer(text)}
    assert set(sums) | set(singles) == set(p["border_hours_by_direction"])
    for key, hours in p["border_hours_by_direction"].items():
        if key not in sums:
            assert singles[key] == hours
            continue
        m = sums[key]
        assert float(m["total"]) == hours
        assert round(float(m["a"]) + float(m["b"]), 1) == hours


def test_container_trains_cross_from_china_in_hours_not_days(records):
    # Xinhua (May 2019): Alashankou customs clear an outbound China-Europe train in 0.77 h; the
    # CPMM all-freight average (92 h) stays in the note, not in the figure the model prices
    for node in ("alashankou", "khorgos"):
        p = records[node]
        assert p["border_hours_by_direction"]["CHN>KAZ"] == 0.77
        assert "92.0 h" in p["border_source"] and "wagonload" in p["border_source"]


def test_china_kazakhstan_sides_are_the_cpmm_figures():
    # CPMM 2023 PRC chapter (outbound 14.0 h, inbound 16.3 h) and CPMM 2022 Kazakhstan chapter
    # (outbound 6.8 h, inbound 78.0 h): exports from China meet Kazakhstan's inbound side.
    assert round(14.0 + 78.0, 1) == 92.0
    assert round(6.8 + 16.3, 1) == 23.1


def test_direction_keys_name_the_two_sides_of_the_crossing(records):
    for eid, p in _with(records, "border_hours_by_direction").items():
        assert p["kind"] == "border", eid
        for key, hours in p["border_hours_by_direction"].items():
            a, b = key.split(">")
            assert {a, b} <= set(p["countries"]) and a != b, (eid, key)
            assert hours >= 0, (eid, key)


def test_sarpi_outbound_is_the_georgian_sides_figure(records):
    p = records["sarpi"]
    assert p["border_hours_by_direction"] == {"GEO>TUR": 20.8}
    assert "outbound 20.8 h in 2022" in p["border_source"]


# --- transfers and dwell ---------------------------------------------------------------------


def test_dostyk_processing_time_converts_hours_and_minutes(records):
    p = records["alashankou"]
    h, mins = (int(x) for x in re.search(r"(\d+) h (\d+) min", p["transfer_source"]).groups())
    assert p["transfer_hours"] == h + mins / 60 == 4.25
    assert f"USD {p['transfer_cost_usd']:.0f} on average" in p["transfer_source"]


def test_horgos_and_erenhot_transfer_figures_match_their_sources(records):
    assert records["khorgos"]["transfer_hours"] == 2.0
    assert "within 2 hours on average" in records["khorgos"]["transfer_source"]
    assert records["erenhot"]["transfer_cost_usd"] == 120.0
    assert "Erenhot USD 120" in records["erenhot"]["transfer_source"]


def test_rotterdam_dwell_is_the_ports_normal_days_in_hours(records):
    p = records["rotterdam"]
    days = int(re.search(r"(\d+)\s*days before the pandemic", p["dwell_source"]).group(1))
    assert p["dwell_hours"] == days * 24 == 96


def test_brest_transfer_time_is_the_published_processing_time(records):
    p = records["brest"]
    hours = float(re.search(r"to (\d+) h with transshipment", p["transfer_source"]).group(1))
    assert p["transfer_hours"] == hours == 10.0


# --- Middle Corridor operations (issue 11, second pass) -----------------------------------------


def test_alat_transfer_is_the_ports_2024_mean_vessel_handling_time(records):
    p = records["alat"]
    text = p["transfer_source"]
    mean = float(re.search(r"averaged (\d+\.\d) hours in 2024", text).group(1))
    cap = int(re.search(r"at most (\d+) hours", text).group(1))
    assert p["transfer_hours"] == mean == 20.1
    assert mean <= cap == 30  # the protocol's ceiling bounds the published mean
    # the cost was not in the source: it must still say it is an assumption
    assert p["transfer_cost_usd"] == 120 and "stays an assumption" in text


def test_kuryk_alat_speed_is_the_lane_over_the_stated_voyage_time(records):
    p = records["ferry_kuryk_alat"]
    text = p["speed_source"]
    low, high = (int(x) for x in re.search(r"about (\d+)-(\d+) hours", text).groups())
    assert (low, high) == (20, 22)
    hours = (low + high) / 2
    assert f"{p['length_km']} km / {hours:g} h" in text, "a length changed: restate the km"
    assert p["speed_kmh"] == round(p["length_km"] / hours, 1) == 21.6


def test_kuryk_alat_moving_time_falls_in_the_stated_range():
    net = cr.load_network(as_of="2022-05-06")
    found = cr.route(net, "kuryk", "alat", modes=["ferry"])
    (leg,) = found.legs
    assert leg.link == "ferry_kuryk_alat"
    # time_h holds the wait for a departure too (168 / (2 x 2 sailings) = 42 h): take it off
    assert leg.wait_h == 42.0
    assert 20.0 <= leg.time_h - leg.wait_h <= 22.0


@pytest.mark.parametrize("link", ["rail_dostyk_aktogay", "rail_aktogay_moyinty"])
def test_dostyk_moyinty_single_track_speed_is_the_published_km_a_day(records, link):
    entries = [d for d in records[link]["dated"] if "speed_kmh" in d["set"]]
    assert len(entries) == 1
    entry = entries[0]
    km_a_day = _num(re.search(rf"run {NUM} km a day", entry["source"]).group(1))
    assert km_a_day == 800
    assert entry["set"]["speed_kmh"] == round(km_a_day / 24, 1) == 33.3
    # in force on the single track only, up to the second track's opening
    assert (entry["from"], entry["until"]) == (None, "2025-09-30")
    # the post-2025 figure is a forecast: no undated speed may take it
    assert "speed_kmh" not in records[link] and "not used" in entry["source"]


def test_dostyk_moyinty_speed_changes_on_the_second_tracks_opening():
    before = cr.load_network(as_of="2025-09-29").usable_links["rail_dostyk_aktogay"]
    after = cr.load_network(as_of="2025-09-30").usable_links["rail_dostyk_aktogay"]
    assert before.get("speed_kmh") == 33.3
    assert after.get("speed_kmh") is None  # the settings default applies again


@pytest.mark.parametrize("link", ["ferry_aktau_alat", "ferry_turkmenbashi_alat"])
def test_other_caspian_ferries_sail_at_the_speed_measured_on_kuryk_alat(records, link):
    kuryk = records["ferry_kuryk_alat"]
    p = records[link]
    assert p["speed_kmh"] == kuryk["speed_kmh"]
    # the lane cites the measurement it borrows, not the old 13.5 kn assumption
    assert kuryk["speed_source"] in p["speed_source"]
    assert "assumption" not in p["speed_source"]


def test_aktau_alat_crossing_falls_in_the_published_18_to_24_hours():
    # sr-center.info: Aktau-Alyat 18-24 h with loading and unloading (a calibration row too);
    # an independent check of the speed borrowed from the Kuryk lane
    leg = cr.route(cr.load_network(as_of="2025-01-01"), "aktau", "alat", modes=["ferry"]).legs[0]
    assert 18.0 <= leg.time_h - leg.wait_h <= 24.0


_WCI = re.compile(rf"USD {NUM}/FEU on (\d{{4}}-\d\d-\d\d) / 1\.3 \(feu_factor\.sea\) / {NUM} km")


def test_sea_rates_are_the_dated_wci_over_the_lane_the_index_prices(records):
    sea = [p for p in records.values() if p.get("mode") == "sea"]
    assert len(sea) > 10

    def rates(p: dict) -> list[dict]:
        return [e for e in p["dated"] if "cost_usd_per_teu_km" in e["set"]]

    first = rates(sea[0])
    for p in sea:
        assert rates(p) == first, f"{p['id']}: every sea lane carries the same series"
    assert len(first) == 48
    for entry, following in zip(first, [*first[1:], None], strict=True):
        usd, day, km = _WCI.search(entry["source"]).groups()
        assert day == entry["from"]
        # each assessment holds until the next one; the last stays in force
        assert entry["until"] == (following["from"] if following else None)
        # 10,600 nm via Suez; 13,800 nm via the Cape once lines went round Africa
        assert _num(km) == (25_558 if day >= "2023-12-15" else 19_630)
        assert entry["set"]["cost_usd_per_teu_km"] == round(_num(usd) / 1.3 / _num(km), 4)
    # the 2019 assessments that are calibration rows (20 Jun, 19 Sep) fall before the series:
    # they test the default rate, not an entry copied from them
    assert min(e["from"] for e in first) > "2019-09-19"


@pytest.mark.parametrize(
    ("day", "wci_usd", "lane_km"),
    # WCI Shanghai-Rotterdam of the last assessment before the day (Hellenic Shipping News)
    [("2021-10-01", 14_287, 19_630), ("2023-06-01", 1_479, 19_630), ("2024-08-30", 7_429, 25_558)],
)
def test_a_40ft_box_by_sea_costs_the_wci_of_its_date(day, wci_usd, lane_km):
    found = cr.route(cr.load_network(as_of=day), "shanghai", "rotterdam", modes=["sea"], box=40)
    # hand calculation: the index price scaled by the route's length over the index lane's
    expected = wci_usd * found.distance_km / lane_km
    assert found.cost_usd == pytest.approx(expected, rel=0.005)


def test_cape_liners_keep_their_asian_calls_and_add_felixstowe():
    # 2M's AE55/Griffin revised for the Cape (Feb 2024): Shanghai - Ningbo - Xiamen - Tanjung
    # Pelepas - (Cape) - Felixstowe - Rotterdam; before, via Suez: Ningbo, Yantian, Singapore,
    # Tanjung Pelepas, Port Said
    def calls(day: str) -> tuple[list[str], float]:
        found = cr.route(cr.load_network(as_of=day), "shanghai", "rotterdam", modes=["sea"])
        hours = sum(leg.wait_h for leg in found.legs)
        return [leg.link for leg in found.legs], hours / cr.settings.port_call_hours

    suez_links, suez_calls = calls("2023-06-01")
    cape_links, cape_calls = calls("2025-06-01")
    assert "sea_suez_port_said" in suez_links and suez_calls == pytest.approx(5)
    assert "sea_malacca_cape_of_good_hope" in cape_links  # from the Singapore Strait, not Sunda
    assert cape_calls == pytest.approx(3 + 1)


def test_iranian_rail_speed_is_rais_sarakhs_bandar_abbas_time():
    # Iranian Railways (Feb 2024): Sarakhs to Bandar Abbas in 3-5 days; the model's route
    # length over 4 days is the speed every Iranian standard-gauge line carries
    net = cr.load_network(as_of="2024-02-13")
    r = cr.route(net, "sarakhs", "bandar_abbas", modes=["rail"], weight="distance")
    assert [leg.link for leg in r.legs] == [
        "rail_sarakhs_mashhad",
        "rail_mashhad_bafq",
        "rail_bafq_bandar_abbas",
    ]
    speed = round(r.distance_km / (4 * 24), 1)
    iranian = [
        p
        for p in net.link_records.values()
        if p["mode"] == "rail" and p.get("country") == "IRN" and p.get("gauge_mm") == 1435
    ]
    assert len(iranian) >= 20
    assert {p["speed_kmh"] for p in iranian} == {speed}
    assert all("3-5 days" in p["speed_source"] for p in iranian)


def test_mashhad_bafq_opened_in_may_2005():
    # opened by President Khatami on 3 May 2005 (IRNA via VOA; Railway Gazette)
    assert "rail_mashhad_bafq" not in cr.load_network(as_of="2005-05-02").usable_links
    assert "rail_mashhad_bafq" in cr.load_network(as_of="2005-05-03").usable_links

"""One settings object: where the data is, and the factors routing uses when a link is silent.

Every factor has a source in :attr:`Settings.sources`, keyed ``"<field>.<key>"`` (or ``"<field>"``
for a scalar); a test checks that none is missing. Change a value for a session with::

    import corridors as cr
    cr.settings.cost_usd_per_teu_km["rail"] = 0.9

or pass a scenario file (see :mod:`corridors.scenarios`) to change them for one comparison.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

MODES: tuple[str, ...] = ("rail", "road", "ferry", "sea", "river")
"""Modes a link may have."""

WATER_MODES: frozenset[str] = frozenset({"ferry", "sea", "river"})
"""Modes whose links are voyages: the goods stay on a ship between ports."""


def _default_speed_kmh() -> dict[str, float]:
    return {"rail": 45.0, "road": 30.0, "ferry": 25.0, "sea": 30.0, "river": 6.0}


def _default_cost() -> dict[str, float]:
    return {"rail": 0.14, "road": 0.80, "ferry": 1.20, "sea": 0.048, "river": 0.14}


def _default_co2() -> dict[str, float]:
    return {"rail": 0.20, "road": 0.90, "ferry": 0.40, "sea": 0.09, "river": 0.325}


def _default_wait() -> dict[str, float]:
    return {"ferry": 48.0, "sea": 0.0, "river": 84.0}


def _default_transfer_hours() -> dict[str, float]:
    return {"gauge": 4.0, "port": 24.0, "mode": 6.0}


def _default_transfer_cost() -> dict[str, float]:
    return {"gauge": 225.0, "port": 290.0, "mode": 100.0}


def _default_transfer_co2() -> dict[str, float]:
    return {"gauge": 4.0, "port": 4.0, "mode": 4.0}


def _default_border_hours() -> dict[str, float]:
    return {"rail": 40.6, "road": 9.9, "port": 24.0}


def _default_dwell_hours() -> dict[str, float]:
    return {"rail": 24.0, "road": 0.0, "ferry": 0.0, "sea": 96.0, "river": 24.0}


def _default_feu_factor() -> dict[str, float]:
    return {"rail": 1.6, "road": 1.0, "ferry": 2.0, "sea": 1.3, "river": 2.0}


def _default_border_cost() -> dict[str, float]:
    return {"rail": 215.0, "road": 208.0, "port": 150.0}


def _default_queue_batch() -> dict[str, float]:
    return {"rail": 90.0, "road": 1.0}


def _default_risk_premium() -> dict[str, float]:
    # keyed by link id (charged on each passage) or ISO3 country (charged on each entry)
    return {"sea_bab_el_mandeb_suez": 350.0, "sea_bandar_abbas_hormuz": 1500.0}


_CPMM_2022 = "ADB CAREC Corridor Performance Measurement and Monitoring 2022, https://cpmm.carecprogram.org/?p=130"
_CPMM_2020 = (
    "ADB CAREC CPMM 2020 rail report, https://cpmm.carecprogram.org/2020-report/rail-transport/"
)
_GLEC_NOTE = "10 t of cargo per TEU (as the Searoutes CO2 API assumes)"
_HELO1 = (
    "https://www.bonapart.de/nachrichten/beitrag/donau-containerliniendienst-helo1-befoerdert-"
    "6600-teu-im-ersten-jahr.html"
)


def _default_sources() -> dict[str, str]:
    return {
        "queue_batch_teu.rail": (
            "a container train of 90 TEU, the dataset's conversion (data/geo/README.md): 4.432 "
            "million TEU in 49,000 China-Europe trips, https://epointperfect.com/4-432-million-"
            "teu-containers-having-been-transported-by-china-europe-railway-express.html"
        ),
        "queue_batch_teu.road": "assumption: a truck carries one box, as feu_factor.road says",
        "queue_rho_max": (
            "assumption: above 95% of capacity the M/M/1 wait grows along its tangent (a "
            "linear extension, as Tisato and Akçelik extend Davidson's function, Akçelik 1991, "
            "Australian Road Research 21(3)) so that a volume above capacity has a finite delay"
        ),
        "speed_kmh.rail": (
            f"CAREC rail speed without delay 42-54 km/h (2020-22), {_CPMM_2022}; block trains on "
            "1520 mm run up to 1,200 km/day, https://en.cfts.org.ua/news/"
            "kazakhstans_khorgos_dry_port_aiming_to_handle_05_million_teu_per_year_by_2020"
        ),
        "speed_kmh.road": (
            "assumption: one driver may drive 9 h a day (EU Regulation 561/2006, "
            "https://eur-lex.europa.eu/eli/reg/2006/561/oj), ~700 km a day over long distances; "
            f"CAREC road speed without delay is 42 km/h while moving, {_CPMM_2022}"
        ),
        "speed_kmh.ferry": (
            "Baku-Turkmenbashi 306 km in ~12 h, http://eurasia.travel/azerbaijan/transport/"
            "caspian_ferry/; Aktau-Baku ~470 km in 18-20 h"
        ),
        "speed_kmh.sea": (
            "container ships at 13.8-16.3 kn (25.6-30 km/h) on Asia-Europe, "
            "https://www.brookesbell.com/news-and-knowledge/article/"
            "containerships-currently-moving-at-all-time-low-speeds-158638/"
        ),
        "speed_kmh.river": (
            "HELO1 Danube container liner (2010-2011): Constanta-Budapest 11.5 days upstream, 8 "
            "downstream, calls and locks included, over 1,411 km (data/geo links): 5.1 and 7.4 "
            f"km/h, mean about 6, {_HELO1}"
        ),
        "cost_usd_per_teu_km.rail": (
            "World Bank (via EY): Northern route USD 3,121/FEU over ~10,000 km, less the fees "
            "per box the model prices separately on that route (two gauge changes and borders, "
            "~USD 900), / 1.6 (feu_factor.rail) / 10,000 km = ~0.14 per TEU-km, "
            "https://ey.com/en_kz/strategy-transactions/trans-caspian-international-transport-route"
        ),
        "cost_usd_per_teu_km.road": (
            f"CAREC road USD 945 per 500 km per 20 t (2022) ~ USD 1.6-1.9/truck-km, a truck "
            f"carrying one FEU (2 TEU), {_CPMM_2022}"
        ),
        "cost_usd_per_teu_km.ferry": (
            "Kuryk-Iran truck ro-ro USD 1,600-1,700 for ~700 km (2020) ~ USD 2.4/truck-km, "
            "https://sea-news.az/2020/11/25/kazakhstans-kuryk-port-to-launch-new-ferry-operation-"
            "to-iran/ (low confidence; no container tariff published)"
        ),
        "cost_usd_per_teu_km.sea": (
            "Drewry WCI Shanghai-Rotterdam USD 1,227/FEU (16 Nov 2023, before the Red Sea "
            "crisis) / 1.3 (feu_factor.sea: a 40-ft box is priced 1.3 times a 20-ft one) / "
            "19,630 km = 0.048, https://www.hellenicshippingnews.com/"
            "drewry-world-container-index-down-2-last-week/"
        ),
        "cost_usd_per_teu_km.river": (
            "assumption: no published Danube container barge rate was found (searched "
            "2026-12-08, docs/research/danube.md); the rail rate is taken, the mode barges "
            "compete with on the Danube (most Austrian container traffic goes by road and rail, "
            "https://www.viadonau.org/en/economy/danube-logistics/initiatives/intermodal-and-"
            "rolling-cargo)"
        ),
        "co2_kg_per_teu_km.rail": (
            f"EcoTransIT via Green Cargo: electric ~20 g/tkm, diesel ~25 g/tkm; {_GLEC_NOTE}; "
            "http://www.greencargo.com/en/sustainable-logistics/environment/"
            "transports-and-carbon-dioxide/"
        ),
        "co2_kg_per_teu_km.road": (
            f"KiM/CE Delft road average 90 g/tkm; {_GLEC_NOTE}; "
            "https://etrr.springeropen.com/articles/10.1186/s12544-019-0344-x/tables/9"
        ),
        "co2_kg_per_teu_km.ferry": (
            f"DEFRA 2007 ro-ro 20-60 g/tkm, midpoint for small Caspian ferries; {_GLEC_NOTE}; "
            "https://hansard.parliament.uk/Commons/2007-06-04/debates/07060419000014/"
            "FreightTransport"
        ),
        "co2_kg_per_teu_km.sea": (
            "GLEC v3.1 dry container 0.0894 kg CO2e/TEU-km, https://www.climatiq.io/data/"
            "emission-factor/e75819ba-9c6d-4071-ad20-23b009d5d588"
        ),
        "co2_kg_per_teu_km.river": (
            "inland waterway 25-40 g CO2/tkm, midpoint 32.5 (calculator documentation citing "
            "the CCNR; low confidence, scope not stated), https://staging.shipcalculators.com/"
            f"docs/formulas/shiptype-inland; {_GLEC_NOTE}"
        ),
        "wait_h.ferry": (
            "Caspian ferries sail when full: typical waits of 2-3 days, "
            "http://www.headwest.ch/faehre-von-kuryk-nach-alat/"
        ),
        "wait_h.sea": "assumption: liner waits are inside the port transfer time",
        "wait_h.river": (
            "half the headway of a weekly liner (168 h / 2), as the only scheduled Danube "
            f"container liner found (HELO1, weekly each way, 2010-2011) ran, {_HELO1}"
        ),
        "transfer_hours.gauge": (
            "container transshipment 1-8.5 h (Khorgos 55 min per train 2021; Brest 3.5 h), "
            "https://astanatimes.com/2021/08/cargo-traffic-of-ktze-khorgos-gateway-dry-port-on-"
            "kazakh-chinese-border-continues-operation-despite-pandemic/"
        ),
        "transfer_hours.port": (
            "assumption: rail-ship transfer with berth waiting at Caspian ports takes about a day; "
            "no published figure found"
        ),
        "transfer_hours.mode": "assumption: rail-road transfer at a terminal takes about 6 h",
        "transfer_cost_usd.gauge": (
            f"gauge change USD 120 (Erenhot) to 329 (Dostyk): their mean 224.5, {_CPMM_2020}"
        ),
        "transfer_cost_usd.port": (
            "terminal handling for loading a 20-ft box at Poti USD 290 (2018), "
            "http://cbw.ge/economy/container-terminals-future-in-georgia/"
        ),
        "transfer_cost_usd.mode": "assumption: terminal handling of about USD 100 per TEU",
        "transfer_co2_kg.gauge": "assumption: crane/reach-stacker moves emit a few kg per TEU",
        "transfer_co2_kg.port": "assumption: crane/reach-stacker moves emit a few kg per TEU",
        "transfer_co2_kg.mode": "assumption: crane/reach-stacker moves emit a few kg per TEU",
        "border_hours.rail": (
            f"CAREC rail border crossing 40.6 h in 2022 (2021: 51.9 h), {_CPMM_2022}"
        ),
        "border_hours.road": (
            "CAREC road border crossing 9.9 h in 2022 (2021: 13.6 h), "
            "https://cpmm.carecprogram.org/2022-report/road-transport"
        ),
        "border_hours.port": "assumption: customs clearance on landing from abroad takes a day",
        "border_cost_usd.rail": f"CAREC rail border cost USD 215 in 2022 (2021: 178), {_CPMM_2022}",
        "border_cost_usd.road": (
            "CAREC road border cost USD 208 in 2022 (2021: 357), "
            "https://cpmm.carecprogram.org/2022-report/road-transport"
        ),
        "border_cost_usd.port": "assumption: customs and brokerage of about USD 150 per TEU",
        "dwell_hours.rail": (
            "assumption: no published dwell found for a China-Europe or Caspian rail terminal "
            "(Xi'an, Chongqing, Urumqi, Duisburg, Malaszewicze searched); block trains leave on a "
            "timetable, so a box delivered for its train waits about a day, and as long to leave"
        ),
        "dwell_hours.road": (
            "assumption: a truck collects at the shipper's door and delivers to the consignee's, "
            "with no terminal in between"
        ),
        "dwell_hours.ferry": (
            "assumption: the wait for a sailing is priced from the ferry's sailings a week; a box "
            "reaching the port is otherwise taken on board with its train or truck"
        ),
        "dwell_hours.river": (
            "assumption: as rail, a box waits about a day for its barge and as long to leave"
        ),
        "dwell_hours.sea": (
            "Port of Rotterdam (Nov 2021): average container dwell 4 days before the pandemic "
            "(7 in the 2021 congestion), https://shipsmonthly.com/news/congestion-at-rotterdam-to-"
            "persist-into-2022"
        ),
        "port_call_hours": (
            "UNCTAD/MarineTraffic 2018: median time in port per call of container ships 0.7 days "
            "(16.8 h), https://www.marinetraffic.com/blog/new-unctad-report-stresses-the-"
            "importance-of-port-call-optimisation-2/"
        ),
        "value_of_time_usd_per_teu_h": (
            "depreciation of container cargo USD 80 per TEU-day (a liner network model's "
            "parameter) / 24 h = USD 3.33 per TEU-h, https://jshippingandtrade.springeropen.com/"
            "articles/10.1186/s41072-019-0043-8/tables/3; a low value beside cargo worth about "
            "USD 54,000 per TEU, https://porteconomicsmanagement.org/value-of-containerized-trade-new/"
        ),
        "carbon_price_usd_per_t": (
            "EU ETS allowance price about USD 70/t CO2e (World Bank State and Trends of Carbon "
            "Pricing 2025, https://bencekd.hu/posts/state-and-trends-of-carbon-pricing-report-"
            "2025-release.html); 2025 average EUR 75/t, https://veyt.com/2025-eu-ets-year-in-"
            "review-turnover-reaches-all-time-high; applied as a shadow price to every kg"
        ),
        "risk_premium_usd.sea_bab_el_mandeb_suez": (
            "Red Sea transit: war-risk quotes up to 0.7% of insured value (Dec 2023), "
            "https://www.agbi.com/logistics/2023/12/shipping-insurance-rates-rise-on-red-sea-crisis/"
            "; on USD 500 m of cargo aboard a 10,000 TEU ship that is USD 3.5 m, USD 350 per TEU, "
            "https://blueeconomynews.com/2023/12/29/insurance-bunkering-coalition-force-in-red-sea"
        ),
        "risk_premium_usd.sea_bandar_abbas_hormuz": (
            "Hapag-Lloyd war risk surcharge USD 1,500/TEU on cargo to and from the Gulf from "
            "2 March 2026, https://shipandbunker.com/news/world/217035-hapag-lloyd-adds-war-risk-"
            "surcharge-for-middle-east-shipments"
        ),
        "feu_factor.rail": (
            "2023 eastern North-South container rates 0.15 USD/TEU-km and 0.24 USD/FEU-km "
            "(0.24 / 0.15 = 1.6), https://arfc.kz/kz/agreed-on-uniform-reduced-rates-for-the-"
            "transportation-of-containers-along-the-entire-eastern-route-of-the-north-south-corridor"
        ),
        "feu_factor.road": "assumption: a truck carries one box, 20 or 40 ft, priced by the truck",
        "feu_factor.ferry": (
            "ASCO's Caspian ferry tariff charges a 40-ft box twice a 20-ft one (USD 1,000 and 500"
            " Alat-Turkmenbashi, 1,200 and 600 Alat-Kuryk), https://www.asco.az/az/pages/3/140"
        ),
        "feu_factor.river": (
            "assumption: barges sell slots by TEU, as ferries do: a 40-ft box takes two"
        ),
        "feu_factor.sea": (
            "carriers charge a 40-ft box under 30% more than a 20-ft one, "
            "https://market-insights.upply.com/en/containerized-sea-freight-is-it-time-to-switch-"
            "from-teu-to-feu"
        ),
    }


def bundled_path(name: str) -> Path | None:
    """Return ``data/<name>`` as shipped: inside an installed wheel, or at a checkout's top.

    ``None`` when it is in neither place.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "data" / name, here.parent / "data" / name):
        if candidate.exists():
            return candidate
    return None


@dataclass
class Settings:
    """Settings and default factors of corridors.

    Attributes
    ----------
    data_dir
        Directory of the dataset (``nodes_*.geojson``, ``links_*.geojson``); ``None`` means the
        bundled one.
    as_of
        Date used when a call gives none; ``None`` means today.
    dataset_date
        Date up to which the dataset's facts were checked: a dated event on or before it counts
        as ``verified`` unless it says otherwise, a later one as ``announced``
        (``data/geo/README.md``, evidence grades).
    speed_kmh
        Commercial speed by mode where a link gives none, km/h.
    cost_usd_per_teu_km
        Haulage cost by mode, USD per TEU-km.
    co2_kg_per_teu_km
        Emissions by mode, kg CO2e per TEU-km.
    wait_h
        Mean wait for a departure by water mode where a link gives none, h.
    transfer_hours, transfer_cost_usd, transfer_co2_kg
        Defaults for a change of gauge (``"gauge"``), between land and water (``"port"``) or
        between rail and road (``"mode"``), h, USD and kg CO2e per TEU.
    border_hours, border_cost_usd
        Defaults for a border crossing by ``"rail"`` or ``"road"``, and for customs on landing
        from abroad (``"port"``), h and USD per box.
    dwell_hours
        Time a box spends in the terminal where its trip starts, and again where it ends, by the
        mode it leaves or arrives by, where the terminal gives none, h.
    port_call_hours
        Mean time a mainline container ship spends per port call on its way, h (sea links say
        how many calls they make: ``port_calls``).
    feu_factor
        Haulage cost and emissions of a 40-ft box relative to a 20-ft one, by mode (fees per box
        at borders and transfers are paid once per box).
    value_of_time_usd_per_teu_h
        What an hour of a box's trip costs its owner (capital tied up, depreciation), USD per
        TEU-hour; weighs time against money in the ``generalized`` weight.
    carbon_price_usd_per_t
        Price put on emissions in the ``generalized`` weight, USD per t CO2e.
    risk_premium_usd
        War-risk insurance or surcharges in the ``generalized`` weight, USD per TEU, keyed by a
        link id (paid on each passage of the link, e.g. the Red Sea lane) or an ISO3 country code
        (paid each time a route enters the country across a border or by landing from a ship;
        a route that starts in the country does not pay it).
    share_factor
        Largest share of its length an alternative may have in common with a better route.
    queue_batch_teu
        TEU a capacitated element serves at once, by mode (``"rail"`` for lines, ports and
        stations, ``"road"`` for road-only crossings): its service time is this batch over its
        capacity, which sets the M/M/1 queueing delay of :func:`corridors.assign`.
    queue_rho_max
        Volume/capacity above which the queueing delay grows linearly (finite above capacity).
    progress
        Whether long work shows a progress bar on standard error: ``None`` only on a terminal,
        ``True`` always, ``False`` never.
    sources
        Source of every factor above.
    """

    data_dir: Path | None = None
    as_of: dt.date | None = None
    dataset_date: dt.date = dt.date(2026, 11, 29)
    speed_kmh: dict[str, float] = field(default_factory=_default_speed_kmh)
    cost_usd_per_teu_km: dict[str, float] = field(default_factory=_default_cost)
    co2_kg_per_teu_km: dict[str, float] = field(default_factory=_default_co2)
    wait_h: dict[str, float] = field(default_factory=_default_wait)
    transfer_hours: dict[str, float] = field(default_factory=_default_transfer_hours)
    transfer_cost_usd: dict[str, float] = field(default_factory=_default_transfer_cost)
    transfer_co2_kg: dict[str, float] = field(default_factory=_default_transfer_co2)
    border_hours: dict[str, float] = field(default_factory=_default_border_hours)
    border_cost_usd: dict[str, float] = field(default_factory=_default_border_cost)
    dwell_hours: dict[str, float] = field(default_factory=_default_dwell_hours)
    port_call_hours: float = 16.8
    feu_factor: dict[str, float] = field(default_factory=_default_feu_factor)
    value_of_time_usd_per_teu_h: float = 80.0 / 24.0
    carbon_price_usd_per_t: float = 70.0
    risk_premium_usd: dict[str, float] = field(default_factory=_default_risk_premium)
    share_factor: float = 0.6
    queue_batch_teu: dict[str, float] = field(default_factory=_default_queue_batch)
    queue_rho_max: float = 0.95
    progress: bool | None = None
    sources: dict[str, str] = field(default_factory=_default_sources)

    def factors(self) -> dict[str, float]:
        """Return every factor as a flat mapping ``{"<field>.<key>": value}``."""
        flat: dict[str, float] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name in (
                "data_dir",
                "as_of",
                "dataset_date",
                "sources",
                "share_factor",
                "progress",
            ):
                continue
            if isinstance(value, dict):
                flat.update({f"{f.name}.{k}": float(v) for k, v in value.items()})
            else:
                flat[f.name] = float(value)
        return flat

    def fingerprint(self) -> str:
        """Return a string that changes whenever a routing factor changes."""
        return json.dumps(self.factors(), sort_keys=True)

    def today(self) -> dt.date:
        """Return :attr:`as_of`, or today's date when it is unset."""
        return self.as_of or dt.date.today()

    def copy(self) -> Settings:
        """Return an independent copy (dicts included)."""
        new = dataclasses.replace(self)
        for f in dataclasses.fields(self):
            if isinstance(getattr(self, f.name), dict):
                setattr(new, f.name, dict(getattr(self, f.name)))
        return new


settings = Settings()
"""The settings in force. Mutate its attributes to change behaviour for the session."""

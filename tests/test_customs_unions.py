"""Customs unions (``customs_unions.json``): goods landed from a ship loaded in a member country
of the same union pay no customs, on the dates both are members; land borders are unaffected."""

from __future__ import annotations

import json

import pytest
import toy

import corridors as cr


def _union(members: list[dict], **extra) -> dict:
    return {
        "customs_unions": [
            {"id": "toy_union", "name": "Toy union", "source": "test", "members": members, **extra}
        ]
    }


def _member(country: str, since: str | None, until: str | None = None) -> dict:
    return {"country": country, "periods": [{"from": since, "until": until, "source": "test"}]}


@pytest.fixture
def union_dir(tmp_path):
    directory = toy.write_dataset(tmp_path / "data")
    # Kilo (KAZ) and Alpha (AZE) in one union from 2020: the ferry lands Kilo's goods at Alphaport
    data = _union([_member("KAZ", "2020-01-01"), _member("AZE", "2020-01-01")])
    (directory / "customs_unions.json").write_text(json.dumps(data), encoding="utf-8")
    return directory


def test_a_landing_within_a_union_pays_no_customs(union_dir):
    net = cr.load_network(union_dir, as_of="2021-01-01")
    assert net.customs_union("KAZ", "AZE") == "toy_union"
    r = cr.route(net, "k_port", "a_city", weight="time")
    assert r.links == ["ferry_k_port_a_port", "rail_a_port_a_city"]
    # the ship is still unloaded (a transfer), but nobody clears customs
    assert [(t.at, t.kind) for t in r.transfers] == [("a_port", "mode")]
    assert r.border_crossings == []


def test_before_the_union_the_landing_pays_customs(union_dir):
    net = cr.load_network(union_dir, as_of="2019-06-01")
    assert net.customs_union("KAZ", "AZE") is None
    r = cr.route(net, "k_port", "a_city", weight="time")
    # Alphaport's own customs time, as in the toy network without a union
    assert [(b.at, b.hours) for b in r.border_crossings] == [("a_port", 3.0)]
    with_union = cr.route(net.at("2021-01-01"), "k_port", "a_city", weight="time")
    assert r.time_h - with_union.time_h == pytest.approx(3.0)


def test_a_land_border_inside_a_union_keeps_its_own_figures(tmp_path):
    directory = toy.write_dataset(tmp_path / "data")
    data = _union([_member("AZE", None), _member("GEO", None)])
    (directory / "customs_unions.json").write_text(json.dumps(data), encoding="utf-8")
    net = cr.load_network(directory, as_of="2021-01-01")
    r = cr.route(net, "a_city", "g_city", modes=["rail"])
    assert [b.at for b in r.border_crossings] == ["b_border"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"unions": []}, "must hold an object with a list 'customs_unions'"),
        (_union([_member("XXX", None)]), "unknown country 'XXX'"),
        (_union([_member("AZE", None), _member("AZE", None)]), "AZE is listed twice"),
        (_union([{"country": "AZE"}]), "periods must be a non-empty list"),
        (_union([_member("AZE", "2020-13-01")]), "periods[0]"),
        (
            {"customs_unions": [{"id": "Bad Id", "name": "n", "source": "s", "members": [{}]}]},
            "id must be a lower-case ASCII slug",
        ),
    ],
)
def test_bad_customs_unions_are_reported(tmp_path, data, message):
    directory = toy.write_dataset(tmp_path / "data")
    (directory / "customs_unions.json").write_text(json.dumps(data), encoding="utf-8")
    problems = cr.validate(directory)
    assert any("customs_unions.json" in p and message in p for p in problems), problems


def test_bundled_unions_follow_the_accession_dates(bundled):
    # Romania and Bulgaria joined the EU on 1 Jan 2007; Hungary on 1 May 2004
    assert bundled.customs_union("ROU", "HUN") == "eu"
    assert bundled.at("2006-12-31").customs_union("ROU", "HUN") is None
    assert bundled.at("2007-01-01").customs_union("BGR", "ROU") == "eu"
    # the Eurasian customs union: Kazakhstan and Russia; Armenia from 2 Jan 2015
    assert bundled.customs_union("KAZ", "RUS") == "eaeu"
    assert bundled.at("2014-12-31").customs_union("ARM", "RUS") is None
    assert bundled.at("2015-01-02").customs_union("ARM", "RUS") == "eaeu"
    # Serbia, Türkiye, Georgia and Azerbaijan belong to neither
    for a, b in (("ROU", "SRB"), ("BGR", "TUR"), ("GEO", "ROU"), ("AZE", "KAZ")):
        assert bundled.customs_union(a, b) is None, (a, b)


def test_every_bundled_membership_cites_a_source(bundled):
    for union in bundled.customs_union_records:
        assert str(union["source"]).startswith("https://")
        for member in union["members"]:
            assert all(str(p["source"]).startswith("https://") for p in member["periods"])

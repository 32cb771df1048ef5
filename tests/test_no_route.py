"""A refusal names what really blocks, and never crashes (issue 9.8, 9.11)."""

from __future__ import annotations

import pytest

import corridors as cr


@pytest.fixture(scope="module")
def net() -> cr.Network:
    return cr.load_network(as_of="2026-11-29")


@pytest.mark.parametrize(
    ("origin", "destination", "as_of"),
    [("ijevan", "yerevan", "2026-11-29"), ("lachin", "goris", "2023-06-01")],
)
def test_a_place_cut_off_on_the_date_is_no_route_not_a_crash(net, origin, destination, as_of):
    with pytest.raises(cr.NoRouteError, match=f"no route from '{origin}'"):
        cr.route(net, origin, destination, as_of=as_of)


def test_a_place_with_no_open_link_says_so_with_the_links_status(net):
    with pytest.raises(cr.NoRouteError) as caught:
        cr.route(net, "ijevan", "yerevan")
    message = str(caught.value)
    assert "'ijevan' has no open link on that date" in message
    assert "rail_ijevan_gazakh_border_ijevan closed since 1991-12-31" in message


def test_compare_goes_on_past_a_pair_without_a_route(net):
    table = cr.compare(["2026-today"], od=[("ijevan", "yerevan"), ("baku", "kars")])
    cut_off = table[table["od"] == "ijevan→yerevan"]
    assert len(cut_off) == 1 and "has no open link" in cut_off["note"].iloc[0]
    assert (table[table["od"] == "baku→kars"]["time_h"] > 0).all()


def test_zangezur_today_is_blamed_on_the_line_not_being_built(net):
    with pytest.raises(cr.NoRouteError) as caught:
        cr.route(
            net,
            "baku",
            "nakhchivan",
            through_tags=["tripp"],
            through_countries=["ARM"],
            avoid_countries=["IRN"],
        )
    message = str(caught.value)
    assert "needs what is not open" in message and "opening announced for" in message
    assert "embargo" not in message and "passing through ARM" not in message


def test_alternatives_beyond_the_bound_are_a_usage_error(net):
    for k in (0, 1000, 10**12):
        with pytest.raises(cr.UsageError, match="k must be a whole number from 1 to 50"):
            cr.alternatives(net, "baku", "kars", k=k)

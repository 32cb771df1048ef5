import pytest

import corridors as cr
from corridors.places import normalize


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Xankəndi", "xankendi"),
        ("Iğdır", "igdir"),
        ("Małaszewicze", "malaszewicze"),
        ("Kapıkule", "kapikule"),
        ("  Tbilisi ", "tbilisi"),
        ("Naxçıvan", "naxcivan"),
    ],
)
def test_normalize_folds_case_and_diacritics(raw, key):
    assert normalize(raw) == key


def test_resolve_by_id_name_and_alias(toy_net):
    assert toy_net.resolve("a_city") == "a_city"
    assert toy_net.resolve("ALPHA") == "a_city"
    assert toy_net.resolve("älpha") == "a_city"  # alias with a diacritic, other case
    assert toy_net.resolve("Tango") == "t_city"
    assert toy_net.resolve("tangö") == "t_city"


def test_unknown_place_suggests(toy_net):
    with pytest.raises(cr.UnknownPlaceError) as info:
        toy_net.resolve("Tngo")
    message = str(info.value)
    assert "\n" not in message
    assert "did you mean" in message and "t_city" in message


def test_unknown_place_without_any_close_match(toy_net):
    with pytest.raises(cr.UnknownPlaceError, match="corridors places"):
        toy_net.resolve("zzzzzzzz")


def test_search_finds_substrings_and_aliases(toy_net):
    assert [p.id for p in toy_net.places.search("tango")] == ["t_border", "t_city"]
    assert [p.id for p in toy_net.places.search("alfa")] == ["a_city"]

import pytest

import corridors as cr
from corridors import places
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
    # both contain "tango"; the place named exactly so comes first
    assert [p.id for p in toy_net.places.search("tango")] == ["t_city", "t_border"]
    assert [p.id for p in toy_net.places.search("alfa")] == ["a_city"]


# --- ranked search in any script (rapidfuzz over names and their Latin transliteration) -----


@pytest.mark.parametrize(
    ("query", "place"),
    [
        ("Stepanakrt", "khankendi"),  # Latin typo of an alias
        ("Xankendy", "khankendi"),  # Azerbaijani spelling, typo
        ("Tbilsi", "tbilisi"),
        ("Dusiburg", "duisburg"),
        ("Степанакерт", "khankendi"),  # Cyrillic alias
        ("Степанакрт", "khankendi"),  # Cyrillic typo
        ("Баку", "baku"),
        ("Тбилис", "tbilisi"),  # Cyrillic, letter missing
        ("Երևան", "yerevan"),  # Armenian
        ("Երեվան", "yerevan"),  # Armenian, ե+վ written for the ligature և
        ("Ստեփանակերտ", "khankendi"),
        ("თბილის", "tbilisi"),  # Georgian, letter missing
    ],
)
def test_typos_in_any_script_rank_the_right_place_first(bundled, query, place):
    assert bundled.places.ranked(query)[0][2] == place
    assert bundled.places.search(query)[0].id == place
    assert bundled.places.suggest(query)[0][1] == place


def test_latin_transliterates_scripts():
    assert places.latin("Степанакерт") == "stepanakert"
    assert places.latin("Երևան") == "erevan"
    assert places.latin("თბილისი") == "tbilisi"
    assert places.latin("Gəncə") == "gence"


def test_scores_are_rapidfuzz_wratio(bundled):
    from rapidfuzz import fuzz

    score, label, place = bundled.places.ranked("Stepanakrt")[0]
    assert (label, place) == ("Stepanakert", "khankendi")
    assert score == pytest.approx(fuzz.WRatio("stepanakrt", "stepanakert"))
    # an exact spelling scores 100 and beats a longer name that contains it
    ranked = bundled.places.ranked("Kars")
    assert ranked[0][:3:2] == (100.0, "kars")
    assert all(s < 100 for s, _, _ in ranked[1:])


def test_error_suggests_the_place_a_typo_names(bundled):
    with pytest.raises(cr.UnknownPlaceError) as info:
        bundled.resolve("Stepanakrt")
    assert "did you mean 'Stepanakert' (khankendi)" in str(info.value)
    with pytest.raises(cr.UnknownPlaceError) as info:
        bundled.resolve("Тбилис")
    assert "tbilisi" in str(info.value).split("did you mean")[1]


def test_unrelated_places_are_not_suggested(bundled):
    # Astana scores ~62 against "Stepanakrt": below the cutoff
    assert [i for _, i in bundled.places.suggest("Stepanakrt")] == ["khankendi"]
    assert bundled.places.suggest("qqqqzzzz") == []


def test_resolve_accepts_an_exact_transliteration(toy_net, bundled):
    # "Kашгар" is an alias; "Кашгаr" mixes scripts but is "kashgar" in Latin letters
    assert bundled.resolve("Кашгар") == "kashgar"
    assert bundled.resolve("Kашгар") == "kashgar"
    with pytest.raises(cr.UnknownPlaceError):
        bundled.resolve("Кашгарр")  # not exact: suggestions only

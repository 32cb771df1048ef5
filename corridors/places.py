"""Resolve place ids, names and aliases to node ids, forgiving case, diacritics and typos.

Exact look-ups fold case and diacritics (:func:`normalize`). Searches and "did you mean"
suggestions rank places with rapidfuzz over every name and alias, as written and transliterated
to Latin letters (anyascii), so a misspelt name in Cyrillic, Armenian or Georgian script finds
the place that has it in another script.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from anyascii import anyascii
from rapidfuzz import fuzz, process

from .errors import UnknownPlaceError

# Letters that Unicode does not decompose into a base letter plus a diacritic.
_EXTRA_FOLDS = str.maketrans(
    {
        "ə": "e",
        "Ə": "e",
        "ı": "i",
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ʼ": "",
        "'": "",
        "’": "",
    }
)


def normalize(name: str) -> str:
    """Fold a place name to a comparison key: lower case, no diacritics, no punctuation.

    Parameters
    ----------
    name
        Any spelling, e.g. ``"Xankəndi"`` or ``"Małaszewicze"``.

    Returns
    -------
    str
        The key, e.g. ``"xankendi"``, ``"malaszewicze"``; letters of other scripts are kept.

    Examples
    --------
    >>> normalize("Iğdır")
    'igdir'
    >>> normalize("Kapıkule ")
    'kapikule'
    """
    folded = unicodedata.normalize("NFKD", name.translate(_EXTRA_FOLDS))
    kept = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return "".join(ch for ch in kept.casefold() if ch.isalnum())


def latin(name: str) -> str:
    """Return :func:`normalize` of a name transliterated to Latin letters.

    Examples
    --------
    >>> latin("Степанакерт"), latin("Երևան"), latin("Xankəndi")
    ('stepanakert', 'erevan', 'xankendi')
    """
    return normalize(anyascii(name))


SUGGEST_CUTOFF = 75.0
"""Least rapidfuzz ``WRatio`` (0-100) of a suggestion: "Stepanakrt" scores 95 against
"Stepanakert" and 62 against "Astana"."""


@dataclass(frozen=True)
class Place:
    """A node's names: its ``id``, display ``name`` and ``aliases``."""

    id: str
    name: str
    country: str | None
    kind: str
    aliases: tuple[str, ...] = ()


class PlaceIndex:
    """Look-up from any id, name or alias to the node it names.

    Parameters
    ----------
    places
        The places to index.
    """

    def __init__(self, places: Iterable[Place]) -> None:
        self.places: dict[str, Place] = {p.id: p for p in places}
        self._keys: dict[str, set[str]] = {}
        self._label: dict[str, str] = {}
        for place in self.places.values():
            for label in (place.id, place.name, *place.aliases):
                key = normalize(label)
                if key:
                    self._keys.setdefault(key, set()).add(place.id)
                    self._label.setdefault(key, label)

    @cached_property
    def _forms(self) -> list[tuple[str, str, str]]:
        """``(key, id, label)`` of every spelling, as written and in Latin letters.

        Built on the first fuzzy look-up, not with the index: every network (each date, each
        scenario variant) has its own index, and most only ever resolve exact names.
        """
        return sorted(
            {
                (form, place.id, label)
                for place in self.places.values()
                for label in (place.id, place.name, *place.aliases)
                for form in (normalize(label), latin(label))
                if form
            }
        )

    @classmethod
    def from_nodes(cls, nodes: Mapping[str, Mapping]) -> PlaceIndex:
        """Build the index from node records keyed by id."""
        return cls(
            Place(
                id=node_id,
                name=str(props.get("name") or node_id),
                country=props.get("country"),
                kind=str(props.get("kind", "")),
                aliases=tuple(props.get("aliases") or ()),
            )
            for node_id, props in nodes.items()
        )

    def resolve(self, query: str) -> str:
        """Return the node id that ``query`` names.

        Raises
        ------
        UnknownPlaceError
            When nothing matches (with suggestions) or when several places match.
        """
        if query in self.places:
            return query
        ids = self._keys.get(normalize(query), set())
        if len(ids) == 1:
            return next(iter(ids))
        if len(ids) > 1:
            choices = ", ".join(sorted(ids))
            raise UnknownPlaceError(f"place {query!r} is ambiguous: it names {choices}; use an id")
        # another script: "Баку" is "baku" in Latin letters; only an exact, single match counts
        transliterated = {i for form, i, _ in self._forms if form == latin(query)}
        if len(transliterated) == 1 and latin(query):
            return next(iter(transliterated))
        raise UnknownPlaceError(self.unknown_message(query))

    def ranked(self, query: str) -> list[tuple[float, str, str]]:
        """Return ``(score, label, id)`` for every place, best first.

        Parameters
        ----------
        query
            Any spelling in any script.

        Returns
        -------
        list of tuple
            Score 0-100: the best rapidfuzz ``WRatio`` of the query (as written, and in Latin
            letters) against the place's id, name and aliases (as written and in Latin
            letters), an exact match 100; the label is the spelling that scored it. Ties go to
            the closer whole spelling (``ratio``), then the id.
        """
        queries = sorted({q for q in (normalize(query), latin(query)) if q})
        if not queries or not self._forms:
            return []
        forms = [form for form, _, _ in self._forms]
        # one C call per scorer over every spelling (a Python loop takes ~0.1 s a query)
        scores = process.cdist(queries, forms, scorer=fuzz.WRatio).max(axis=0)
        ratios = process.cdist(queries, forms, scorer=fuzz.ratio).max(axis=0)
        best: dict[str, tuple[float, float, str]] = {}
        for (_, place_id, label), score, ratio in zip(self._forms, scores, ratios, strict=True):
            if place_id not in best or (score, ratio) > best[place_id][:2]:
                best[place_id] = (float(score), float(ratio), label)
        order = sorted(best.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
        return [(score, label, place_id) for place_id, (score, _, label) in order]

    def suggest(self, query: str, *, n: int = 3) -> list[tuple[str, str]]:
        """Return up to ``n`` ``(label, id)`` pairs that look like ``query``, best first.

        Only places scoring at least :data:`SUGGEST_CUTOFF` (see :meth:`ranked`) are given.
        """
        return [
            (label, place_id)
            for score, label, place_id in self.ranked(query)[:n]
            if score >= SUGGEST_CUTOFF
        ]

    def search(self, query: str | None = None) -> list[Place]:
        """Return the places a query names, best match first (all, by id, when ``None``).

        Places whose id, name or alias contains the query (as written or in Latin letters);
        when none does, the closest spellings (typos, see :meth:`suggest`).
        """
        if not query:
            return sorted(self.places.values(), key=lambda p: p.id)
        keys = {q for q in (normalize(query), latin(query)) if q}
        containing = {i for form, i, _ in self._forms if any(k in form for k in keys)}
        ranked = [i for _, _, i in self.ranked(query)]
        if containing:
            return [self.places[i] for i in ranked if i in containing]
        return [self.places[i] for _, i in self.suggest(query, n=10)]

    def unknown_message(self, query: str) -> str:
        """Return the one-line error for a place not found: the query and the closest names.

        Parameters
        ----------
        query
            What the user typed.
        """
        suggestions = self.suggest(query)
        if not suggestions:
            return f"unknown place {query!r}; see `corridors places` for the list"
        options = " or ".join(
            f"{label!r}" if label == node_id else f"{label!r} ({node_id})"
            for label, node_id in suggestions
        )
        return f"unknown place {query!r} — did you mean {options}?"

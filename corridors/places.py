"""Resolve place ids, names and aliases to node ids, forgiving case and diacritics."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

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
        raise UnknownPlaceError(self.unknown_message(query))

    def suggest(self, query: str, *, n: int = 3) -> list[tuple[str, str]]:
        """Return up to ``n`` ``(label, id)`` pairs that look like ``query``."""
        key = normalize(query)
        close = difflib.get_close_matches(key, list(self._keys), n=n * 2, cutoff=0.6)
        seen: dict[str, str] = {}  # one label per place, the closest
        for k in close:
            for node_id in sorted(self._keys[k]):
                seen.setdefault(node_id, self._label[k])
        return [(label, node_id) for node_id, label in seen.items()][:n]

    def search(self, query: str | None = None) -> list[Place]:
        """Return the places whose id, name or alias contains ``query`` (all when ``None``)."""
        if not query:
            return sorted(self.places.values(), key=lambda p: p.id)
        key = normalize(query)
        ids = {i for k, found in self._keys.items() if key in k for i in found}
        if not ids:  # nothing contains the query: fall back to look-alikes (typos)
            ids = {node_id for _, node_id in self.suggest(query)}
        return sorted((self.places[i] for i in ids), key=lambda p: p.id)

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

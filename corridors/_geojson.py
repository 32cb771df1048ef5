"""Read and write the dataset's GeoJSON: one feature per line, written atomically."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ._files import write_text_atomic


def dumps(features: Iterable[Mapping[str, Any]]) -> str:
    """Return a FeatureCollection with one feature per line, so diffs show one place or link."""
    lines = [json.dumps(dict(f), ensure_ascii=False) for f in features]
    return '{"type": "FeatureCollection", "features": [\n' + ",\n".join(lines) + "\n]}\n"


def write_features(path: Path, features: Iterable[Mapping[str, Any]]) -> None:
    """Write features as the dataset's GeoJSON (see :func:`dumps`), atomically."""
    write_text_atomic(path, dumps(features))


def read_features(path: Path) -> list[dict[str, Any]]:
    """Return the features of a GeoJSON FeatureCollection file.

    Raises
    ------
    DatasetError
        One line naming the file, when it is no readable FeatureCollection of Feature objects.
    """
    from .errors import DatasetError

    path = Path(path)
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise DatasetError([f"cannot be read as GeoJSON ({reason})"], where=path.name) from None
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list) or not all(isinstance(f, dict) for f in features):
        raise DatasetError(
            ["must be a FeatureCollection whose features are objects"], where=path.name
        )
    return features

"""Fuzzing the inputs a user hands the command line: scenario files and dataset records.

Whatever the input, a command ends with exit code 0, 1 or 2, at most one line on stderr and no
traceback (issue 9). Documents are built from the real schemas (``data/scenarios/README.md``,
``data/geo/README.md``) with hostile values of random types; runs are derandomized so a failure
repeats.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import tempfile
from pathlib import Path
from typing import Any

import toy
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from corridors.cli import cli
from corridors.scenarios import _AVOID_KEYS, _OVERRIDE_VALUES, _TOP_KEYS
from corridors.settings import settings as corridors_settings

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def assert_well_behaved(result: Any) -> None:
    """Exit 0, 1 or 2, at most one line on stderr, no exception escaping, no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert len(result.stderr.splitlines()) <= 1, result.stderr
    event(f"exit {result.exit_code}")


# --- hostile values ---------------------------------------------------------------------------
_NUMBERS = st.one_of(
    st.sampled_from([0, -1, 1, 2**63, -(2**70), 0.0, -0.0, math.nan, math.inf, -math.inf, 1e308]),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
)
_TEXTS = st.one_of(
    st.sampled_from(
        ["", " ", "nan", "1e9", "a_city", "t_city", "middle", "open", "rail", "RUS", "AZE"]
    ),
    # no lone surrogates: they cannot be written as UTF-8 at all
    st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
)
_SCALARS = st.one_of(
    _NUMBERS,
    _TEXTS,
    st.booleans(),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(_TEXTS, inner, max_size=3)
    ),
    max_leaves=6,
)


# --- scenario documents -----------------------------------------------------------------------
def _toml(value: Any) -> str:
    """Write one TOML value inline (no TOML writer ships with the project)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        # JSON's escapes of control characters are valid in TOML basic strings
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    pairs = (f"{_toml(str(k))} = {_toml(v)}" for k, v in value.items())
    return "{" + ", ".join(pairs) + "}"


def _document(top: dict[str, Any]) -> str:
    return "".join(f"{_toml(key)} = {_toml(value)}\n" for key, value in top.items())


def _often(good: st.SearchStrategy, bad: st.SearchStrategy = _VALUES) -> st.SearchStrategy:
    """Mostly (4 in 5) a value the schema accepts, so that documents get past their first key."""
    return st.integers(0, 4).flatmap(lambda i: good if i else bad)


_POSITIVE = st.floats(min_value=0.01, max_value=1e4)


_OVERRIDE = st.builds(
    lambda target, ident, values, source: {target: ident, **values, **source},
    st.sampled_from(["link", "node", "tag", "bogus"]),
    _often(st.sampled_from(["road_a_city_b_border", "b_border", "middle", "nowhere"])),
    st.dictionaries(
        st.sampled_from(sorted(_OVERRIDE_VALUES)),
        _often(st.one_of(_POSITIVE, st.sampled_from(["open", "closed"]))),
        max_size=3,
    ),
    _often(st.just({"source": "fuzz"}), st.dictionaries(st.just("source"), _VALUES)),
)
_OD = st.one_of(
    st.fixed_dictionaries(
        {"from": _often(_TEXTS), "to": _often(_TEXTS)},
        optional={
            "label": _often(_TEXTS),
            "modes": _often(st.lists(st.sampled_from(["rail", "road", "sea", "boat"]))),
        },
    ),
    st.lists(_TEXTS, min_size=2, max_size=2),
    _VALUES,
)
_STRUCTURED = {
    "avoid": st.dictionaries(
        st.sampled_from([*_AVOID_KEYS, "bogus"]), _often(st.lists(_TEXTS, max_size=2)), max_size=3
    ),
    "overrides": st.lists(_OVERRIDE, max_size=3),
    "factors": st.dictionaries(
        st.sampled_from(sorted(corridors_settings.factors())), _often(_NUMBERS), max_size=3
    ),
    "od": st.lists(_OD, max_size=2),
    "alternatives": _often(st.integers(min_value=-3, max_value=60)),
    "weight": _often(st.sampled_from(["time", "cost", "co2", "distance", "speed"])),
    "as_of": _often(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))),
}
_SCENARIO = st.builds(
    lambda name, top: {**name, **top},
    _often(st.just({"name": "fuzz"}), st.dictionaries(st.just("name"), _VALUES)),
    _often(
        st.just({}),
        st.dictionaries(
            st.sampled_from([*_TOP_KEYS, "bogus"]).filter(
                lambda k: k not in ("name", "od_include")
            ),
            _VALUES,
            max_size=1,
        ),
    ).flatmap(
        lambda plain: st.fixed_dictionaries(
            {},
            optional=dict(_STRUCTURED),
        ).map(lambda structured: {**plain, **structured})
    ),
)
_SCENARIO_BYTES = _often(
    _SCENARIO.map(lambda top: _document(top).encode("utf-8")),
    st.one_of(
        _SCENARIO.map(lambda top: _document(top).encode("utf-16")),
        _SCENARIO.map(lambda top: _document(top).encode("utf-8") + b"\ndeep = " + b"[" * 3000),
        st.binary(max_size=64),
    ),
)


@FUZZ
@given(document=_SCENARIO_BYTES)
def test_fuzzed_scenario_files_route(document: bytes, toy_dir: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.toml"
        path.write_bytes(document)
        result = CliRunner().invoke(
            cli, ["route", "a_city", "t_city", "--data", str(toy_dir), "--scenario", str(path)]
        )
    assert_well_behaved(result)


@settings(FUZZ, max_examples=25)
@given(document=_SCENARIO_BYTES)
def test_fuzzed_scenario_files_compare(document: bytes, toy_dir: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.toml"
        path.write_bytes(document)
        args = ["compare", str(path), "--data", str(toy_dir), "--od", "a_city:t_city"]
        args += ["--no-maps", "--out", str(Path(folder) / "out")]
        result = CliRunner().invoke(cli, args)
    assert_well_behaved(result)


# --- dataset records --------------------------------------------------------------------------
_NODE_FIELDS = [
    "id", "name", "aliases", "country", "kind", "countries", "border_hours", "border_cost_usd",
    "border_source", "transfer_hours", "transfer_cost_usd", "transfer_source",
    "capacity_teu_year", "capacity_source", "status", "tags", "source", "note",
]  # fmt: skip
_LINK_FIELDS = [
    "id", "u", "v", "name", "mode", "gauge_mm", "country", "length_km", "length_source",
    "speed_kmh", "speed_source", "wait_h", "wait_source", "cost_usd_per_teu_km", "cost_source",
    "co2_kg_per_teu_km", "co2_source", "capacity_teu_year", "capacity_source", "status", "tags",
    "oneway", "source", "note", "speed_factor",
]  # fmt: skip
_STATUS_EVENTS = st.lists(
    st.fixed_dictionaries(
        {}, optional={"status": st.one_of(_TEXTS, _VALUES), "from": _VALUES, "source": _VALUES}
    ),
    max_size=2,
)
_GEOMETRY = st.one_of(
    _VALUES,
    st.fixed_dictionaries(
        {"type": st.sampled_from(["Point", "LineString", "Polygon"]), "coordinates": _VALUES}
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("LineString"),
            "coordinates": st.lists(st.lists(_NUMBERS, max_size=3), max_size=3),
        }
    ),
)
# (node or link, feature index, field, new value); value None deletes the field
_MUTATION = st.one_of(
    st.tuples(
        st.just("node"),
        st.integers(0, len(toy.NODES) - 1),
        st.sampled_from(_NODE_FIELDS),
        st.one_of(_VALUES, _STATUS_EVENTS, st.none()),
    ),
    st.tuples(
        st.just("link"),
        st.integers(0, len(toy.LINKS) - 1),
        st.sampled_from(_LINK_FIELDS),
        st.one_of(_VALUES, _STATUS_EVENTS, st.none()),
    ),
    st.tuples(
        st.sampled_from(["node", "link"]),
        st.integers(0, len(toy.NODES) - 1),
        st.sampled_from(["geometry", "properties", "feature"]),
        st.one_of(_GEOMETRY, _VALUES),
    ),
)


def _mutated_dataset(directory: Path, mutations: list[tuple[str, int, str, Any]]) -> None:
    features = {"node": toy.node_features(), "link": toy.link_features()}
    for kind, index, field, value in mutations:
        feature = features[kind][index % len(features[kind])]
        if field == "feature":
            features[kind][index % len(features[kind])] = value
        elif not isinstance(feature, dict):
            continue
        elif field in ("geometry", "properties"):
            feature[field] = copy.deepcopy(value)
        elif not isinstance(feature.get("properties"), dict):
            continue
        elif value is None:
            feature["properties"].pop(field, None)
        else:
            feature["properties"][field] = copy.deepcopy(value)
    lines = [json.dumps(f, default=str) for f in features["node"]]
    (directory / "nodes_toy.geojson").write_text(
        '{"type": "FeatureCollection", "features": [' + ",\n".join(lines) + "]}"
    )
    lines = [json.dumps(f, default=str) for f in features["link"]]
    (directory / "links_toy.geojson").write_text(
        '{"type": "FeatureCollection", "features": [' + ",\n".join(lines) + "]}"
    )


@FUZZ
@given(mutations=st.lists(_MUTATION, min_size=1, max_size=3))
def test_fuzzed_records_validate_and_route(mutations: list) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _mutated_dataset(Path(folder), mutations)
        for args in (["validate", folder], ["route", "a_city", "t_city", "--data", folder]):
            assert_well_behaved(CliRunner().invoke(cli, args))


@settings(FUZZ, max_examples=30)
@given(
    embargoes=st.one_of(
        _VALUES,
        st.fixed_dictionaries(
            {
                "embargoes": st.lists(
                    st.one_of(
                        _VALUES,
                        st.fixed_dictionaries(
                            {},
                            optional=dict.fromkeys(
                                (
                                    "id",
                                    "from_country",
                                    "to_country",
                                    "except_tags",
                                    "periods",
                                    "source",
                                ),
                                _VALUES,
                            ),
                        ),
                    ),
                    max_size=2,
                )
            }
        ),
    )
)
def test_fuzzed_embargoes_validate_and_route(embargoes: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        toy.write_dataset(Path(folder))
        (Path(folder) / "embargoes.json").write_text(json.dumps(embargoes, default=str))
        for args in (["validate", folder], ["route", "a_city", "r_city", "--data", folder]):
            assert_well_behaved(CliRunner().invoke(cli, args))

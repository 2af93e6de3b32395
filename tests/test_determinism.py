"""Rendering is deterministic and independent of key order in the TOML files."""

from __future__ import annotations

import json
import random
import shutil
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meterr_config.load import Loader
from meterr_config.render import render
from tests.conftest import ENVIRONMENTS, FIXTURES

SOURCES = [(ENVIRONMENTS, "production"), (ENVIRONMENTS, "staging"), (FIXTURES / "kitchen", "prod")]


def _shuffled(value: Any, rng: random.Random) -> Any:
    """The same data with every table's keys in a random order (list order is meaning)."""
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {k: _shuffled(value[k], rng) for k in keys}
    if isinstance(value, list):
        return [_shuffled(v, rng) for v in value]
    return value


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), case=st.sampled_from(SOURCES))
def test_key_order_does_not_change_the_bytes(
    tmp_path_factory: Any, seed: int, case: tuple[Path, str]
) -> None:
    directory, name = case
    expected = render(Loader(directory).load(name))
    target = tmp_path_factory.mktemp("shuffled")
    rng = random.Random(seed)
    for source in directory.glob("*.toml"):
        data = tomllib.loads(source.read_text())
        (target / source.name).write_text(tomli_w.dumps(_shuffled(data, rng)))
    assert render(Loader(target).load(name)) == expected


def test_rendering_twice_gives_identical_bytes(tmp_path: Path) -> None:
    shutil.copytree(ENVIRONMENTS, tmp_path / "envs")
    first = [render(e) for e in Loader(tmp_path / "envs").load_many(None)]
    second = [render(e) for e in Loader(tmp_path / "envs").load_many(None)]
    assert first == second
    for artifacts in first:
        for data in artifacts.values():
            assert data.endswith(b"\n")
            assert b"/tmp" not in data  # no absolute paths leak into the bytes


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=20,
    )
)
def test_json_artifacts_are_exactly_what_the_standard_library_writes(doc: object) -> None:
    """orjson renders the JSON files for speed; the bytes must be json.dumps's."""
    from meterr_config.render.jsonbytes import pretty

    assert pretty(doc) == (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode()

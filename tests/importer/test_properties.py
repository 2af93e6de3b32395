"""Properties of import over generated input: round trips, determinism, never a crash."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meterr_config.errors import InputError
from tests.importer.helpers import import_files, rendered_vercel, semantic
from tests.importer.strategies import vercel_json

_SETTINGS = settings(
    max_examples=int(os.environ.get("IMPORT_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _import(doc: Any) -> tuple[Any, bytes, Path]:
    folder = Path(tempfile.mkdtemp(prefix="meterr-prop-"))
    source = folder / "vercel.json"
    source.write_text(json.dumps(doc))
    result, data = import_files([source], folder / "environments")
    return result, data, folder / "environments"


@_SETTINGS
@given(vercel_json)
def test_render_of_import_is_the_input(doc: dict[str, Any]) -> None:
    result, data, environments = _import(doc)
    assert [n for n in result.notes if n.file == "vercel.json"] == []
    assert semantic(rendered_vercel(environments)) == semantic(doc)
    assert _import(doc)[1] == data  # the same input gives the same bytes


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
_KEYS = st.sampled_from(
    [
        "headers",
        "redirects",
        "rewrites",
        "functions",
        "crons",
        "regions",
        "images",
        "routes",
        "builds",
        "env",
        "build",
        "framework",
        "cleanUrls",
        "git",
        "version",
    ]
)


@_SETTINGS
@given(st.dictionaries(_KEYS, _JSON, max_size=5), st.booleans())
def test_any_json_object_imports_or_is_refused_cleanly(doc: dict[str, Any], keep: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="meterr-prop-"))
    source = folder / "vercel.json"
    source.write_text(json.dumps(doc))
    try:
        result, _ = import_files([source], folder / "environments", passthrough=keep)
    except InputError as exc:
        assert "\n" not in exc.one_line()
        return
    rendered_vercel(folder / "environments")  # what was written loads and renders
    assert all("\n" not in note.line() for note in result.notes)

"""The jsonschema-rs fast path agrees with jsonschema on what is valid.

`validate` asks jsonschema-rs first and only asks jsonschema for messages when the
document is invalid, so a document jsonschema-rs passes that jsonschema would fail would
be a missed error. These tests look for one: every committed and fixture vercel.json, and
generated mutations of them.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from meterr_config.validate.vercel import _fast_validator, _validator
from tests.conftest import FIXTURES, ROOT

DOCS = [
    json.loads(p.read_text())
    for p in [
        *sorted((ROOT / "generated").glob("*/vercel.json")),
        *sorted((FIXTURES / "import" / "roundtrip").glob("*.json")),
        *sorted((FIXTURES / "import" / "legacy").glob("*.json")),
    ]
]
_LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5000), st.text(max_size=6), st.just("max")
)


def _agree(doc: Any) -> None:
    slow_ok = not any(True for _ in _validator().iter_errors(doc))
    assert _fast_validator().is_valid(doc) == slow_ok, json.dumps(doc)[:300]


def test_the_validators_agree_on_every_real_document() -> None:
    assert len(DOCS) >= 30
    for doc in DOCS:
        _agree(doc)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(DOCS), st.data())
def test_the_validators_agree_on_mutated_documents(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    mutated = json.loads(json.dumps(doc))
    node: Any = mutated
    while isinstance(node, dict | list) and node and data.draw(st.booleans()):
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        key = data.draw(st.sampled_from(keys))
        if not isinstance(node[key], dict | list) or data.draw(st.booleans()):
            node[key] = data.draw(_LEAF)
            break
        node = node[key]
    _agree(mutated)

"""Round trips: 30 real-world vercel.json files import and render back to the same config."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES
from tests.importer.helpers import import_files, rendered_vercel, semantic

ROUNDTRIP = sorted((FIXTURES / "import" / "roundtrip").glob("*.json"))
# Fixtures that send `Access-Control-Allow-Origin: *`: the import's one deliberate change.
CORS_FIXED = {
    "11-excalidraw-cors-host-redirect.json": "headers[2]",
    "12-prisma-docs-strict-csp.json": "headers[0]",
    "23-api-backend-cors.json": "headers[0]",
}


def _without_wildcard_cors(doc: dict[str, Any]) -> dict[str, Any]:
    """The input with the Access-Control-* headers of wildcard-origin rules taken out."""
    rules = []
    for rule in doc.get("headers", []):
        entries = rule["headers"]
        if any(
            e["key"].lower() == "access-control-allow-origin" and e["value"] == "*" for e in entries
        ):
            entries = [e for e in entries if not e["key"].lower().startswith("access-control-")]
            if not entries:
                continue
        rules.append({**rule, "headers": entries})
    return {**doc, "headers": rules}


def test_there_are_at_least_25_fixtures_that_round_trip_unchanged() -> None:
    assert len(ROUNDTRIP) - len(CORS_FIXED) >= 25


@pytest.mark.parametrize("fixture", ROUNDTRIP, ids=lambda p: p.stem)
def test_import_then_render_gives_the_same_vercel_json(fixture: Path, tmp_path: Path) -> None:
    original = json.loads(fixture.read_text())
    result, _ = import_files([fixture], tmp_path / "environments")
    kinds = [(n.kind, n.key) for n in result.notes if n.file == fixture.name]
    if fixture.name in CORS_FIXED:
        assert kinds == [("fixed", CORS_FIXED[fixture.name])]
        original = _without_wildcard_cors(original)
    else:
        assert kinds == []
    assert semantic(rendered_vercel(tmp_path / "environments")) == semantic(original)


def test_a_wildcard_cors_rule_becomes_a_cors_table_without_origins(tmp_path: Path) -> None:
    fixture = FIXTURES / "import" / "roundtrip" / "23-api-backend-cors.json"
    _, data = import_files([fixture], tmp_path / "environments")
    text = data.decode()
    assert "allowed_origins = []" in text
    assert '"*"' not in text

"""Round trips: 30 real-world vercel.json files import and render back to the same config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.importer.helpers import import_files, rendered_vercel, semantic

ROUNDTRIP = sorted((FIXTURES / "import" / "roundtrip").glob("*.json"))


def test_there_are_at_least_25_fixtures_that_round_trip_unchanged() -> None:
    assert len(ROUNDTRIP) >= 25


@pytest.mark.parametrize("fixture", ROUNDTRIP, ids=lambda p: p.stem)
def test_import_then_render_gives_the_same_vercel_json(fixture: Path, tmp_path: Path) -> None:
    original = json.loads(fixture.read_text())
    result, _ = import_files([fixture], tmp_path / "environments")
    kinds = [(n.kind, n.key) for n in result.notes if n.file == fixture.name]
    assert kinds == []  # nothing fixed or dropped: `Access-Control-Allow-Origin: *` too
    assert semantic(rendered_vercel(tmp_path / "environments")) == semantic(original)


def test_a_wildcard_cors_rule_is_carried_as_written(tmp_path: Path) -> None:
    """Import keeps behaviour: `*` stays (public fonts need it); lint judges it."""
    fixture = FIXTURES / "import" / "roundtrip" / "23-api-backend-cors.json"
    _, data = import_files([fixture], tmp_path / "environments")
    assert 'Access-Control-Allow-Origin = "*"' in data.decode()

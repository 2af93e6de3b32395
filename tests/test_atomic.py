"""Atomic writes leave no temp files and skip identical content."""

from __future__ import annotations

from pathlib import Path

from meterr_config.atomic import write_bytes


def test_write_creates_parents_and_skips_unchanged(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "file.json"
    assert write_bytes(target, b"one\n") is True
    assert write_bytes(target, b"one\n") is False
    assert write_bytes(target, b"two\n") is True
    assert target.read_bytes() == b"two\n"
    assert [p.name for p in target.parent.iterdir()] == ["file.json"]
    assert target.stat().st_mode & 0o777 == 0o644

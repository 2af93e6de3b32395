"""Atomic writes leave no temp files and skip identical content."""

from __future__ import annotations

from pathlib import Path

from meterr_config.atomic import write_bytes
from tests.conftest import Runner


def test_write_creates_parents_and_skips_unchanged(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "file.json"
    assert write_bytes(target, b"one\n") is True
    assert write_bytes(target, b"one\n") is False
    assert write_bytes(target, b"two\n") is True
    assert target.read_bytes() == b"two\n"
    assert [p.name for p in target.parent.iterdir()] == ["file.json"]
    assert target.stat().st_mode & 0o777 == 0o644


def test_render_clears_staging_files_a_killed_run_left(cli: Runner, workdir: Path) -> None:
    assert cli("render").code == 0
    stale = workdir / "generated" / "production" / ".vercel.json.k1ll3d.tmp"
    stale.write_text('{"half": ')
    assert cli("check").code == 1  # junk in generated/ is drift
    assert cli("render").code == 0
    assert not stale.exists()
    assert cli("check").code == 0

"""Atomic writes leave no temp files, skip identical content, restore every replaced
file when a rename fails, and let one writer at a time into a folder."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest

from meterr_config.atomic import Batch, write_all, write_bytes
from meterr_config.errors import InputError
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


def test_a_failed_rename_restores_the_old_files_without_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the file system has no hard links, the old files are kept as copies."""
    files = {tmp_path / "out" / f"{n}.json": f"old {n}\n".encode() for n in "abc"}
    write_all(files, root=tmp_path / "out")
    (tmp_path / "out" / "a.json").chmod(0o600)  # replaced, then restored from its copy
    replace, calls = os.replace, []

    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    def second_fails(src: str, dst: str, **dirs: int | None) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        replace(src, dst, **dirs)

    monkeypatch.setattr(os, "link", no_links)
    monkeypatch.setattr(os, "replace", second_fails)
    with pytest.raises(InputError, match=r"b\.json: cannot write: .*; nothing changed$"):
        write_all(dict.fromkeys(files, b"new\n"), root=tmp_path / "out")
    assert {p: p.read_bytes() for p in files} == files
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.json", "b.json", "c.json"]
    assert (tmp_path / "out" / "a.json").stat().st_mode & 0o777 == 0o600


def test_a_batch_holds_its_folder_until_it_commits(tmp_path: Path) -> None:
    """A second writer of the same folder waits for the first one's commit."""
    target = tmp_path / "out" / "file.json"
    first = Batch(tmp_path / "out")
    first.add(target, b"first\n")
    second = threading.Thread(target=write_all, args=({target: b"second\n"},))
    second.start()
    second.join(0.5)
    assert second.is_alive()  # waiting for the lock, not writing
    assert first.commit() == [target]
    second.join()
    assert target.read_bytes() == b"second\n"


def test_nothing_to_write_touches_nothing(tmp_path: Path) -> None:
    assert write_all({}) == []
    assert list(tmp_path.iterdir()) == []


def test_an_output_folder_another_run_makes_meanwhile_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two first renders both find generated/ missing: the second to make it uses it."""
    (tmp_path / "out").mkdir()  # made by the other run, after this one looked
    monkeypatch.setattr(os.path, "lexists", lambda path: False)
    target = tmp_path / "out" / "env" / "file.json"
    assert write_all({target: b"data\n"}, root=tmp_path / "out") == [target]
    assert target.read_bytes() == b"data\n"

"""Issue 16, point 5: writes all-or-nothing and race-free.

When a rename failed mid-commit, render reported failure after some files were already
replaced; a link another process swapped in for `generated/production` between the check
and the write was written through; two renders at once made one fail in 5 of 25 runs.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from meterr_config import atomic
from meterr_config.commands import render
from meterr_config.errors import InputError
from tests.conftest import Runner, run_cli

PREFIX = "meterr-config: error: "
RUNS = 25


def _files(root: Path) -> dict[str, bytes]:
    """Every regular file under `root` but staging files, not following links."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and not p.name.endswith(".tmp")
    }


def _change_every_environment(workdir: Path) -> None:
    """An edit of base.toml that changes a file of every environment."""
    base = workdir / "environments" / "base.toml"
    base.write_text(base.read_text().replace('"DENY"', '"SAMEORIGIN"'))


@pytest.fixture
def rendered(cli: Runner, workdir: Path) -> dict[str, bytes]:
    """generated/ rendered, then base.toml edited: the next render replaces many files.
    The files as they were."""
    assert cli("render").code == 0
    before = _files(workdir / "generated")
    _change_every_environment(workdir)
    return before


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path.parent / f"{tmp_path.name}-outside"
    folder.mkdir()
    return folder


def _before_commit(monkeypatch: pytest.MonkeyPatch, act: Callable[[], None]) -> None:
    """Run `act` between staging (where every target was checked) and the renames: what
    another process may do in that window."""
    commit = atomic.Batch.commit

    def late(batch: atomic.Batch) -> list[Path]:
        act()
        return commit(batch)

    monkeypatch.setattr(atomic.Batch, "commit", late)


def test_a_rename_failing_mid_commit_restores_every_replaced_file(
    cli: Runner, workdir: Path, rendered: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    replace = os.replace

    def third_fails(src: str, dst: str, **dirs: int | None) -> None:
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(errno.EIO, os.strerror(errno.EIO), dst)
        replace(src, dst, **dirs)

    monkeypatch.setattr(os, "replace", third_fails)
    result = cli("render")
    assert result.code == 2, result.err
    assert _files(workdir / "generated") == rendered  # every file is the old one
    assert not list((workdir / "generated").rglob("*.tmp"))
    assert re.fullmatch(
        rf"{PREFIX}generated/[a-z]+/[^:]+: cannot write: Input/output error; nothing changed\n",
        result.err,
    ), result.err


def test_an_output_folder_swapped_for_a_link_after_the_check_is_not_written_through(
    cli: Runner,
    workdir: Path,
    rendered: dict[str, bytes],
    outside: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another process moves generated/production away and puts a link to it in its
    place once render has checked the folder: nothing is renamed into the link's target."""
    production = workdir / "generated" / "production"
    moved = outside / "production"

    def swap() -> None:
        production.rename(moved)
        production.symlink_to(moved, target_is_directory=True)

    _before_commit(monkeypatch, swap)
    result = cli("render")
    old = {
        k.removeprefix("production/"): v for k, v in rendered.items() if k.startswith("production/")
    }
    assert _files(moved) == old  # the link's target: not one file replaced
    assert result.code == 2
    assert result.err == (
        f"{PREFIX}generated/production: is a symlink: generated files are written in real "
        "folders; remove the link: refused\n"
    )
    production.unlink()
    others = {k: v for k, v in rendered.items() if not k.startswith("production/")}
    assert _files(workdir / "generated") == others  # and nothing replaced anywhere else


def test_the_output_root_swapped_for_a_link_after_the_check_is_not_written_through(
    cli: Runner,
    workdir: Path,
    rendered: dict[str, bytes],
    outside: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    generated = workdir / "generated"
    moved = outside / "generated"

    def swap() -> None:
        generated.rename(moved)
        generated.symlink_to(moved, target_is_directory=True)

    _before_commit(monkeypatch, swap)
    result = cli("render")
    assert _files(moved) == rendered  # the link's target: not one file replaced
    assert result.code == 2
    assert result.err == (
        f"{PREFIX}generated: was moved or replaced (by a link?) while being written: refused\n"
    )


def test_two_renders_at_once_both_succeed(workdir: Path) -> None:
    """Two renders of one output folder, RUNS times: each must succeed (the lock makes
    them take turns) and leave every file valid and as rendered."""
    environments, out = workdir / "environments", workdir / "generated"
    assert render.run(environments, None, out) == 0
    _change_every_environment(workdir)
    assert render.run(environments, None, workdir / "expected") == 0
    expected = _files(workdir / "expected")
    old = _files(out)
    failures: list[str] = []

    def one() -> None:
        try:
            code = render.run(environments, None, out)
        except InputError as exc:
            failures.append(exc.one_line())
        else:
            if code != 0:
                failures.append(f"exit {code}")

    for _ in range(RUNS):
        shutil.rmtree(out)
        for name, data in old.items():  # the old files: both renders have work to do
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(data)
        threads = [threading.Thread(target=one) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert _files(out) == expected
        assert all(json.loads(data) for name, data in expected.items() if name.endswith(".json"))
    assert failures == []


def test_init_stops_before_writing_when_schemas_is_not_a_folder(tmp_path: Path) -> None:
    """Found by the fuzzer: with `schemas` a file (here a FIFO), init wrote the four
    environment files, then failed on the schema, leaving half a project."""
    os.mkfifo(tmp_path / "schemas")
    result = run_cli("init", cwd=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["schemas"]  # nothing written
    assert (result.code, result.err) == (2, f"{PREFIX}schemas: is not a folder: refused\n")

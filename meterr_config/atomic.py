"""Atomic file writes: a reader sees the old bytes or the new bytes, never a truncated file.

`write_all` goes further for a set of files: every new file is first written in full
beside its target, and only when all of them are ready are they renamed into place, so
a full disk or a read-only folder leaves every target as it was.

Permissions: a new file gets 0644 less the umask (generated files hold no secrets, but
the umask is the user's say), a replaced file keeps its own mode, and neither is ever
group- or world-writable.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from glob import escape as glob_escape
from pathlib import Path

from meterr_config.errors import InputError, Location
from meterr_config.paths import unlinked

_NEVER = 0o022  # group- and world-writable


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_for(path: Path) -> int:
    """The target's own mode when it exists, 0644 less the umask when it is new."""
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mode = 0o644 & ~_umask()
    return mode & ~_NEVER


def _stage(path: Path, data: bytes, mode: int) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).chmod(mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _unchanged(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and path.read_bytes() == data
    except OSError:
        return False


class Batch:
    """Files staged beside their targets as they come, renamed into place on `commit`.

    A command that renders many environments stages each one's files and lets go of
    them, so memory does not grow with the number of environments; `abort` (or leaving
    the `with` block on an exception) removes every staged file and replaces nothing.
    With a `root`, a target that is a symlink, sits in a linked folder, or that `..`
    leads outside the root, is refused.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self.staged: list[tuple[Path, Path]] = []  # (staging file, target)
        self.unchanged = 0
        self.created: list[Path] = []  # folders staging made, removed again on abort

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        if kind is not None:
            self.abort()

    def add(self, path: Path, data: bytes) -> None:
        """Stage `data` for `path`, unless the file already holds exactly that.

        A staging file an earlier, killed run left beside `path` is removed first."""
        if self.root is not None:
            try:
                unlinked(path, self.root)
            except InputError:
                self.abort()
                raise
        if path.parent.is_dir():
            for stale in path.parent.glob(f".{glob_escape(path.name)}.*.tmp"):
                stale.unlink(missing_ok=True)
        if _unchanged(path, data):
            self.unchanged += 1
            return
        try:
            if path.exists() and not path.is_file():
                raise InputError("is not a regular file", Location(str(path)))
            missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
            for folder in reversed(missing):  # mkdir(parents=True) would ignore the mode
                folder.mkdir(mode=0o755, exist_ok=True)
                self.created.append(folder)
            self.staged.append((_stage(path, data, _mode_for(path)), path))
        except OSError as exc:
            self.abort()
            raise InputError(
                f"cannot write: {exc.strerror or exc}", Location(str(exc.filename or path))
            ) from None

    def commit(self) -> list[Path]:
        """Rename every staged file into place; return the paths that changed."""
        try:
            for tmp, path in self.staged:
                tmp.replace(path)
        except OSError as exc:
            self.abort()
            raise InputError(
                f"cannot write: {exc.strerror or exc}", Location(str(exc.filename or ""))
            ) from None
        changed = [path for _, path in self.staged]
        self.staged, self.created = [], []
        return changed

    def abort(self) -> None:
        """Remove every staged file; the targets stay as they were."""
        for tmp, _ in self.staged:
            tmp.unlink(missing_ok=True)
        self.staged = []
        for folder in reversed(self.created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        self.created = []


def write_all(files: dict[Path, bytes], root: Path | None = None) -> list[Path]:
    """Write every changed file, all or none; return the paths that changed.

    A file system error becomes an InputError naming the path, with nothing replaced.
    """
    with Batch(root) as batch:
        for path, data in files.items():
            batch.add(path, data)
        return batch.commit()


def write_bytes(path: Path, data: bytes) -> bool:
    """Write one file atomically; False when it already held exactly `data`."""
    return bool(write_all({path: data}))

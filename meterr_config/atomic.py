"""Atomic file writes: a reader sees the old bytes or the new bytes, never a truncated file.

`write_all` goes further for a set of files: every new file is first written in full
beside its target, and only when all of them are ready are they renamed into place, so
a full disk or a read-only folder leaves every target as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from meterr_config.errors import InputError, Location


def _stage(path: Path, data: bytes, mode: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
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


def write_all(files: dict[Path, bytes], mode: int = 0o644) -> list[Path]:
    """Write every changed file, all or none; return the paths that changed.

    A file system error becomes an InputError naming the path, with nothing replaced.
    """
    changed = [path for path, data in files.items() if not _unchanged(path, data)]
    staged: list[tuple[Path, Path]] = []
    try:
        for path in changed:
            if path.exists() and not path.is_file():
                raise InputError("is not a regular file", Location(str(path)))
            staged.append((_stage(path, files[path], mode), path))
        for tmp, path in staged:
            tmp.replace(path)
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        target = exc.filename or (changed[len(staged)] if len(staged) < len(changed) else "")
        raise InputError(f"cannot write: {exc.strerror or exc}", Location(str(target))) from None
    return changed


def write_bytes(path: Path, data: bytes, mode: int = 0o644) -> bool:
    """Write one file atomically; False when it already held exactly `data`."""
    return bool(write_all({path: data}, mode))

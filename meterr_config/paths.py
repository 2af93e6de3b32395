"""Confinement: every file meterr-config reads from or writes into a folder stays in it.

A malicious pull request can commit a symlink, say `generated/production/vercel.json`
pointing at `/proc/self/environ` or `~/.ssh/id_rsa`. Following it would print the file
in a drift diff, or overwrite it on render. So each path under a root is resolved, and
refused when a symlink or `..` takes it outside that root.

Reads also refuse what is not a regular file: a FIFO would make the read wait forever, a
device (/dev/zero, a terminal) or a kernel file under /proc or /sys is no config, and
/proc/self/environ holds the CI's tokens.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from meterr_config.errors import InputError, Location
from meterr_config.limits import (
    KERNEL_FOLDERS,
    MAX_BYTES,
    kernel_message,
    read_bounded,
    regular_file,
)


def resolved(path: Path) -> Path:
    """`path` with every symlink resolved; a loop of links is refused (Python 3.11
    raises RuntimeError for one, later versions OSError)."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        raise InputError("is a loop of symlinks: refused", Location(str(path))) from None


def real_folder(root: Path, what: str) -> None:
    """Refuse a root that is itself a symlink: a committed `generated -> /` would make
    every path look inside it."""
    if root.is_symlink():
        raise InputError(
            f"is a symlink: refused; give the {what} it points to, if that is meant",
            Location(str(root)),
        )


def confined(path: Path, root: Path, what: str) -> Path:
    """`path` with every symlink resolved, or an InputError when that leaves `root`.

    `what` names the root in the message, e.g. "output folder".
    """
    real_folder(root, what)
    real = resolved(path)
    inside = resolved(root)
    if real != inside and not real.is_relative_to(inside):
        raise InputError(
            f"leads outside the {what} {root} (to {real}, through a symlink or '..'): refused",
            Location(str(path)),
        )
    return real


def unlinked(path: Path, root: Path) -> None:
    """Refuse `path` unless it is `confined` to the output folder `root` and neither it
    nor a folder between them is a symlink: a link inside the output folder could still
    point a write at another environment's file. Generated files are regular files in
    real folders."""
    confined(path, root, "output folder")
    for part in (path, *path.parents):
        if part == root:
            return
        if part.is_symlink():
            raise InputError(
                "is a symlink: generated files are regular files; remove the link: refused",
                Location(str(part)),
            )


_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOCTTY: nor adopt a terminal.
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC


def inside(path: Path, root: Path, what: str) -> Path:
    """`path` with every symlink resolved, refused when that leaves `root` or lands in
    /proc or /sys. `what` names the root in the message, e.g. "folder legacy"."""
    real = resolved(path)
    base = resolved(root)
    if real == base:
        raise InputError("is a folder, not a regular file: refused", Location(str(path)))
    if not real.is_relative_to(base):
        raise InputError(
            f"leads outside the {what} (to {real}, through a symlink or '..'): refused",
            Location(str(path)),
        )
    if any(real.is_relative_to(kernel) for kernel in KERNEL_FOLDERS):
        raise InputError(kernel_message(), Location(str(path)))
    return real


def _refused_open(path: Path, exc: OSError) -> InputError:
    """What an open below the root failing means: gone, or a link swapped in since the
    path was resolved (O_NOFOLLOW), or the file system said no."""
    where = Location(str(path))
    if isinstance(exc, FileNotFoundError):
        return InputError("file not found", where)
    if exc.errno in (errno.ELOOP, errno.ENOTDIR):
        return InputError("changed while being read (a symlink appeared): refused", where)
    return InputError(f"cannot read: {exc.strerror or exc}", where)


def open_inside(path: Path, root: Path, what: str) -> int:
    """A descriptor open on `path`, a regular file whose real place is inside `root`.

    The path is resolved and checked, then opened again from the root one folder at a
    time without following any link (O_NOFOLLOW): a link swapped in after the check
    makes the open fail instead of leading it out. Whether it is a regular file is
    asked of the open descriptor (fstat), not of the path, and a FIFO is opened without
    waiting for a writer, so nothing can hang or change between the check and the read.
    """
    real = inside(path, root, what)
    try:
        regular_file(os.lstat(real), path)  # a device or FIFO is refused before it is opened
    except FileNotFoundError:
        raise InputError("file not found", Location(str(path))) from None
    base = resolved(root)
    parts = real.relative_to(base).parts
    folder = os.open(base, _DIR)
    try:
        for part in parts[:-1]:
            below = os.open(part, _DIR, dir_fd=folder)
            os.close(folder)
            folder = below
        fd = os.open(parts[-1], _FILE, dir_fd=folder)
    except OSError as exc:
        raise _refused_open(path, exc) from None
    finally:
        os.close(folder)
    try:
        regular_file(os.fstat(fd), path)
    except InputError:
        os.close(fd)
        raise
    return fd


def read_inside(path: Path, root: Path, what: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of `path`, a regular file inside `root` (see `open_inside`), at most
    `limit` (MAX_BYTES) of them."""
    return read_bounded(path, open_inside(path, root, what), limit)


def text_inside(path: Path, root: Path, what: str) -> str:
    """`read_inside`, as UTF-8 text; text that is not UTF-8 is bad input at its line."""
    data = read_inside(path, root, what)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text ({exc.reason})", Location(str(path), line)) from None


def present(path: Path) -> bool:
    """Whether anything is at `path`, a dangling link, a FIFO or a socket included:
    what is there is then read, and refused when it is not a regular file in its folder,
    rather than silently skipped."""
    return os.path.lexists(path) and not (path.is_dir() and not path.is_symlink())


def own_root(path: Path) -> Path:
    """The folder a file named on the command line must stay in: its folder as written,
    up to the first symlink on the way. `dotenv:config/.env` with `config` a committed
    link to a folder elsewhere is confined to the current folder, and refused."""
    parent = path.parent
    anchor = Path(parent.anchor) if parent.is_absolute() else Path()
    prefix = anchor
    for part in parent.parts[len(anchor.parts) if parent.is_absolute() else 0 :]:
        step = prefix / part
        if step.is_symlink():
            return prefix
        prefix = step
    return prefix


def own_folder(path: Path) -> str:
    """How `inside` names `own_root(path)`, the folder of a file given on the command line."""
    root = own_root(path)
    return f"folder {root}" if str(root) != "." else "current folder"

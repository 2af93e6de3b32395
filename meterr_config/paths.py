"""Confinement: every file meterr-config reads from or writes into a folder stays in it.

A malicious pull request can commit a symlink, say `generated/production/vercel.json`
pointing at `/proc/self/environ` or `~/.ssh/id_rsa`. Following it would print the file
in a drift diff, or overwrite it on render. So each path under a root is resolved, and
refused when a symlink or `..` takes it outside that root.
"""

from __future__ import annotations

from pathlib import Path

from meterr_config.errors import InputError, Location


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
    real = path.resolve()
    inside = root.resolve()
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

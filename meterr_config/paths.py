"""Confinement: every file meterr-config reads from or writes into a folder stays in it.

A malicious pull request can commit a symlink, say `generated/production/vercel.json`
pointing at `/proc/self/environ` or `~/.ssh/id_rsa`. Following it would print the file
in a drift diff, or overwrite it on render. So each path under a root is resolved, and
refused when a symlink or `..` takes it outside that root.
"""

from __future__ import annotations

from pathlib import Path

from meterr_config.errors import InputError, Location


def confined(path: Path, root: Path, what: str) -> Path:
    """`path` with every symlink resolved, or an InputError when that leaves `root`.

    `what` names the root in the message, e.g. "output folder".
    """
    real = path.resolve()
    inside = root.resolve()
    if real != inside and not real.is_relative_to(inside):
        raise InputError(
            f"leads outside the {what} {root} (to {real}, through a symlink or '..'): refused",
            Location(str(path)),
        )
    return real

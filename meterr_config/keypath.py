"""Key paths: tuples of keys and list indexes, shown as `env.JWT_SECRET` or `crons[0].path`."""

from __future__ import annotations

import re

KeyPath = tuple[str | int, ...]

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def format_path(path: KeyPath) -> str:
    """Dotted form with TOML quoting for keys that need it, and [n] for list indexes."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = part if _BARE.match(part) else '"' + part.replace('"', '\\"') + '"'
            out += f".{text}" if out else text
    return out

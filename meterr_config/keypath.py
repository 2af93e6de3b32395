"""Key paths: tuples of keys and list indexes, shown as `env.JWT_SECRET` or `crons[0].path`."""

from __future__ import annotations

import json
import re

KeyPath = tuple[str | int, ...]

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _quoted(key: str) -> str:
    """A TOML basic string: escapes keep a key with a newline on one line of output."""
    text = json.dumps(key, ensure_ascii=False)
    return text.replace("\x85", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def format_path(path: KeyPath) -> str:
    """Dotted form with TOML quoting for keys that need it, and [n] for list indexes."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = part if _BARE.match(part) else _quoted(part)
            out += f".{text}" if out else text
    return out

"""Bounds on input: how large a file and how deep a document meterr-config reads.

A config tool reads files from pull requests. A real environment file is a few
kilobytes; Vercel caps routes at 2,048 per kind, so even a generous vercel.json stays
under a megabyte. A file many times that, or nested hundreds of levels deep, is a
mistake or an attack, and is refused in one line before it reaches the parsers,
validators and writers, which recurse and hold the whole document in memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from meterr_config.errors import InputError, Location

MAX_BYTES = 1_000_000
MAX_DEPTH = 32


def read_bounded(path: Path) -> bytes:
    """The bytes of `path`, refused when there are more than MAX_BYTES.

    It reads at most one byte past the limit, so a huge file (or a device that never
    ends) costs no more than the limit."""
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError(
            f"is larger than {MAX_BYTES // 1_000_000} MB, the most meterr-config reads "
            "(a real config is a few kilobytes)",
            Location(str(path)),
        )
    return data


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether `value` nests more than `limit` levels of tables or arrays: no real
    config does, and the converters, validator and TOML writer recurse."""
    level = [value]
    for _ in range(limit + 1):
        level = [
            child
            for item in level
            for child in (item.values() if isinstance(item, dict) else item)
            if isinstance(child, dict | list)
        ]
        if not level:
            return False
    return True

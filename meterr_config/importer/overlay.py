"""`import --extends PARENT`: keep only what differs from the parent environment.

An environment file merges over its parent table by table, and everything else replaces
the parent's value. So the overlay holds every imported value the parent does not already
have, and an empty list where the parent has a list the imported file does not: an
overlay can empty a list but cannot delete a key, so any such key is left to the render
check, which reports it.
"""

from __future__ import annotations

from typing import Any


def overlay(imported: dict[str, Any], parent: dict[str, Any], owned: set[str]) -> dict[str, Any]:
    """The smallest table that, merged over `parent`, gives `imported` in `owned` sections.

    Sections outside `owned` (say `[nextjs]` when only vercel.json was imported) keep
    whatever the parent has.
    """
    out: dict[str, Any] = {}
    for key, value in imported.items():
        base = parent.get(key)
        if isinstance(value, dict) and isinstance(base, dict):
            inner = _table(value, base, emptied=key in owned)
            if inner:
                out[key] = inner
        elif value != base:
            out[key] = value
    for key in owned - set(imported):
        if isinstance(parent.get(key), dict) and (emptied := _table({}, parent[key], True)):
            out[key] = emptied
    return out


def _table(value: dict[str, Any], base: dict[str, Any], emptied: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in value.items():
        if isinstance(item, dict) and isinstance(base.get(key), dict):
            if inner := _table(item, base[key], emptied):
                out[key] = inner
        elif item != base.get(key):
            out[key] = item
    if emptied:
        for key, item in base.items():
            if key not in value and isinstance(item, list) and item:
                out[key] = []
    return out

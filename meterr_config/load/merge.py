"""Merging along `extends`: tables merge key by key, anything else is replaced.

Short forms (`NAME = "value"` under [env]) are expanded first, so that a child's short form
overrides only the value of a parent's full table.
"""

from __future__ import annotations

from typing import Any

# Tables whose values may be written in a short form, normalised before merging so that a
# child's `env.X = "v"` overrides only the value of a parent's `[env.X]` table.
_SHORTHANDS = {"env": "value", "flags": "value", "runtime_flags": "enabled"}


def normalise_shorthands(data: dict[str, Any]) -> dict[str, Any]:
    """`NAME = "value"` under [env], `NAME = true` under [flags] and [runtime_flags], as
    full tables."""
    out = dict(data)
    for table, key in _SHORTHANDS.items():
        entries = out.get(table)
        if isinstance(entries, dict):
            out[table] = {
                name: value if isinstance(value, dict) else {key: value}
                for name, value in entries.items()
            }
    return out


def deep_merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Merge `child` over `base`: tables merge key by key, everything else is replaced."""
    merged = dict(base)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged

"""The imported environment as TOML bytes: stable key order, `#:schema` line, no surprises."""

from __future__ import annotations

from typing import Any

import tomli_w


def _compact(document: dict[str, Any]) -> dict[str, Any]:
    """`NAME = "value"` and `FLAG = true` rather than a table holding only `value`."""
    out = dict(document)
    for section in ("env", "flags"):
        if section in out:
            out[section] = {
                name: entry["value"] if set(entry) == {"value"} else entry
                for name, entry in out[section].items()
            }
    return out


def to_toml(document: dict[str, Any], schema: str, sources: list[str]) -> bytes:
    """The file: schema line, a comment naming the inputs, then the tables in model order."""
    body = tomli_w.dumps(_compact(document))
    header = f"#:schema {schema}\n# Imported by `meterr-config import` from {', '.join(sources)}.\n"
    return (header + "\n" + body).encode()

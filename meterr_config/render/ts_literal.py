"""Write Python data as a TypeScript object literal, formatted the way Prettier would."""

from __future__ import annotations

import json
import re
from typing import Any

_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


class Expr(str):
    """Raw TypeScript source, emitted as-is (e.g. `process.env.CUSTOM_KEY`)."""


def key(name: str) -> str:
    """An object key: bare when it is an identifier, quoted otherwise."""
    return name if _IDENTIFIER.match(name) else json.dumps(name)


def literal(value: Any, indent: int = 0) -> str:
    """`value` as TypeScript source; nested lines are indented by two spaces per level."""
    pad = "  " * (indent + 1)
    end = "  " * indent
    if isinstance(value, Expr):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        if not value:
            return "[]"
        items = "".join(f"{pad}{literal(item, indent + 1)},\n" for item in value)
        return f"[\n{items}{end}]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = "".join(f"{pad}{key(k)}: {literal(v, indent + 1)},\n" for k, v in value.items())
        return f"{{\n{items}{end}}}"
    raise TypeError(f"cannot write {type(value).__name__} as TypeScript")

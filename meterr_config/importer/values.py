"""Helpers for carrying JSON values into TOML: key names, nulls and build-time variables."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError

from meterr_config.importer.notes import Notes
from meterr_config.keypath import format_path
from meterr_config.secretshapes import looks_secret

# What a next.config's `process.env.NAME` reads while the import loads it (see next_config).
# An absolute URL, so `${process.env.API_ORIGIN}/:path*` still passes Next's route checks.
_ENV_MARK = re.compile(r"https://meterr-env\.invalid/([A-Za-z_][A-Za-z0-9_]*)")


def env_mark(name: str) -> str:
    """The stand-in value of build-time variable `name` while next.config is loaded."""
    return f"https://meterr-env.invalid/{name}"


def env_reads(value: Any) -> list[str]:
    """The build-time variables a loaded value was built from, in order of appearance."""
    if isinstance(value, str):
        return _ENV_MARK.findall(value)
    if isinstance(value, list):
        return [name for item in value for name in env_reads(item)]
    if isinstance(value, dict):
        return [name for item in value.values() for name in env_reads(item)]
    return []


def dotted(*parts: str | int) -> str:
    """A key path as the notes write it: `headers[2].source`, `functions."api/*.ts"`."""
    return format_path(parts)


def null_at(value: Any, path: str = "") -> str | None:
    """Where `value` holds a JSON null, which TOML cannot hold; None if nowhere."""
    if value is None:
        return path
    items: list[tuple[str | int, Any]] = []
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    for part, item in items:
        found = null_at(item, f"{path}[{part}]" if isinstance(part, int) else f"{path}.{part}")
        if found is not None:
            return found
    return None


def checked(model: type[BaseModel], table: dict[str, Any], notes: Notes, key: str) -> bool:
    """Whether `table` is a valid `model` TOML can hold; if not, note why it was left out."""
    if (where := null_at(table)) is not None:
        notes.add(key, "dropped", f"{where.lstrip('.')}: null, which TOML cannot hold; left out")
        return False
    try:
        model.model_validate(table)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        why = first["msg"].removeprefix("Value error, ")
        notes.add(key, "dropped", f"{where + ': ' if where else ''}{why}; left out")
        return False
    return True


def secret_in(value: Any, name: str = "") -> str | None:
    """The key path of a string in `value` that looks like a secret (by its key's name,
    its shape or its randomness), or None: such a value is never carried verbatim."""
    if isinstance(value, str):
        return name if looks_secret(name, value) and value else None
    items: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        items = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        items = [("", v) for v in value]
    for key, item in items:
        if (found := secret_in(item, key)) is not None:
            return found or "a value"
    return None

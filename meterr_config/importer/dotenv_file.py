"""A dotenv file (`.env.example`, `vercel env pull` output) into `[env]` and `[flags]`.

A variable that looks like a secret, by its name or its value's shape, becomes a secret
declaration with the format its value or name suggests; its value is never written.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from meterr_config.envfile import SENSITIVE, DotenvEntry
from meterr_config.importer.notes import Notes
from meterr_config.importer.routes import Table
from meterr_config.models.envvars import is_public
from meterr_config.secretshapes import (
    infer_format,
    is_placeholder,
    looks_secret,
    names_a_secret,
    shape_of,
)

_FLAG_PREFIX = "FEATURE_"
_FLAG_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BOOLEAN = {"true": True, "false": False}
_PLAIN = re.compile(r"-?\d+(\.\d+)?|true|false", re.I)


def _plainly_plain(name: str, value: str) -> bool:
    """A number, a boolean, or a credential-free web URL under a `*_URL` name: a secret
    name's false alarm (TOKEN_TTL_SECONDS=3600, NEXTAUTH_URL=http://localhost:3000)."""
    if shape_of(value):
        return False
    parts = urlsplit(value)
    web = parts.scheme in ("http", "https") and not parts.password
    return bool(_PLAIN.fullmatch(value.strip())) or (web and name.endswith(("_URL", "_URI")))


def declare(env: Table, name: str, value: str | None, notes: Notes, key: str) -> None:
    """Add variable `name` to the `[env]` table, as a secret declaration when it is one."""
    if is_public(name) and value and (shape := shape_of(value)):
        notes.add(
            key,
            "dropped",
            f"the value looks like a secret ({shape}) but NEXT_PUBLIC_ variables are inlined "
            "into the browser bundle: declared without it",
        )
        env[name] = {}
    elif value is None or (
        not is_public(name) and looks_secret(name, value) and not _plainly_plain(name, value)
    ):
        fmt = infer_format(name, value)
        by = "its name" if names_a_secret(name) or value is None else "its value's shape"
        env[name] = {"secret": True, "format": fmt}
        notes.add(key, "secret", f"declared a secret (by {by}), format {fmt}; value not written")
    else:
        env[name] = {"value": value} if value else {}


def import_dotenv(
    entries: dict[str, DotenvEntry], notes: Notes, parent: dict[str, Any]
) -> dict[str, Table]:
    """The `[env]` and `[flags]` tables a dotenv file gives; FEATURE_X=true is flag X.

    With `--extends`, the parent's declarations decide: its secrets stay secrets, its flag
    variables stay flags, and a variable it declares with an empty or placeholder value
    here is simply inherited."""
    env: Table = {}
    flags: Table = {}
    inherited = parent.get("env") or {}
    parent_flags = {
        (f.get("env") or f"{_FLAG_PREFIX}{name}"): name
        for name, f in (parent.get("flags") or {}).items()
        if isinstance(f, dict)
    }
    for name, entry in entries.items():
        value = entry.value
        flag = parent_flags.get(name) or name.removeprefix(_FLAG_PREFIX)
        if not _VAR_NAME.fullmatch(name):
            notes.add(name, "dropped", "not a variable name Vercel accepts; left out")
        elif (name in parent_flags or name.startswith(_FLAG_PREFIX)) and (
            _FLAG_NAME.fullmatch(flag) and (value or "").lower() in _BOOLEAN
        ):
            flags[flag] = {"value": _BOOLEAN[(value or "").lower()]}
        elif (name in inherited or name in parent_flags) and (not value or is_placeholder(value)):
            continue  # declared by the parent; nothing to add
        elif isinstance(inherited.get(name), dict) and inherited[name].get("secret"):
            if value and value != SENSITIVE:
                notes.add(name, "secret", "declared a secret by the parent; value not written")
        elif name in inherited and value is not None and not shape_of(value):
            env[name] = {"value": value}
        else:
            declare(env, name, value, notes, name)
    return {"env": env, "flags": flags}

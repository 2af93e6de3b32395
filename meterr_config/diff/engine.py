"""Compare two flat snapshots into typed Change records, redacted and classified."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any, Literal

from meterr_config.diff.detail import Detail, detail
from meterr_config.diff.flatten import flatten, known_by, record
from meterr_config.keypath import KeyPath, format_path
from meterr_config.redact import Sealed, redact, redact_places
from meterr_config.secretshapes import (
    SECRET_NAME,
    is_placeholder,
    looks_random,
    looks_secret,
    secret_shaped,
)
from meterr_config.snapshot import Snapshot

Kind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Change:
    """One difference: where, what kind, the two values (redacted), and whether expected."""

    path: tuple[str, ...]
    kind: Kind
    old: Any
    new: Any
    expected: bool = False
    model_key: str | None = None
    # For a changed list or table: what changed inside it (see diff.detail).
    detail: tuple[Detail, ...] = ()
    # What explains it, in words: a variable missing here is "on preview, not production".
    note: str | None = None

    @property
    def artifact(self) -> str:
        """The file or section the change is in: vercel.json, next.config, env, flags…"""
        return self.path[0]


def _secret_names(*snaps: Snapshot) -> set[str]:
    """Secrets the models declare. Guessed ones (from a .env file) may be revealed."""
    return {
        name
        for snap in snaps
        for name, entry in snap.env.items()
        if entry.secret and entry.declared
    }


def _between_environments(left: Snapshot, right: Snapshot) -> bool:
    """The parity policy is about two environments; against its own live or committed
    state, an environment should show no difference at all. Two environments' databases
    (db:staging, db:production) are two environments too."""
    return left.source == right.source and left.source in ("env", "db") and left.name != right.name


def _harmless(path: tuple[str, ...], before: Any, after: Any) -> bool:
    """Differences that change nothing: plain vs encrypted storage of a non-secret."""
    return path[0] == "env" and path[-1] == "type" and {before, after} <= {"plain", "encrypted"}


def _redacted(path: tuple[str, ...], value: Any, declared: set[str], reveal: bool) -> Any:
    """Redact declared secrets and values a secret rule would flag, always; `reveal` only
    shows values hidden for their variable's name alone (DATABASE_URL=postgresql://localhost).

    Lists (aliases, regions) and tables are compared whole, so redacted item by item;
    outside [env]
    a value is secret by its key's name too (`build.env.CRON_SECRET`, `github.token`, an
    `Authorization` header), unless it is a placeholder such as `true`."""
    if isinstance(value, list):
        return [_redacted(path, item, declared, reveal) for item in value]
    if isinstance(value, dict):  # a legacy route, a passthrough table: judged key by key
        return {k: _redacted((*path, str(k)), v, declared, reveal) for k, v in value.items()}
    if isinstance(value, Sealed):  # known by its digest only: shown as one
        return str(value)
    if not isinstance(value, str) or not value:
        return value
    variable = path[0] == "env" and path[-1] == "value"
    if variable and path[1] in declared:
        return redact(value)
    if looks_random(value, 32) or secret_shaped(value):
        return redact(value)
    if variable:
        by_name = looks_secret(path[1], value)
    else:
        by_name = SECRET_NAME.search(path[-1]) is not None and not is_placeholder(value)
    return redact(value) if by_name and not reveal else value


def _matches(model_key: KeyPath | None, patterns: tuple[str, ...]) -> bool:
    if model_key is None:
        return False
    dotted = ".".join(str(part) for part in model_key)
    prefixes = [".".join(str(p) for p in model_key[:end]) for end in range(1, len(model_key) + 1)]
    return any(
        fnmatch.fnmatchcase(key, pattern) for pattern in patterns for key in (dotted, *prefixes)
    )


def diff(left: Snapshot, right: Snapshot, *, show_guessed_secrets: bool = False) -> list[Change]:
    """Every difference from `left` to `right`, in path order.

    Only the sections both sources know are compared (a .env file says nothing about
    headers). An item (rule, cron, variable) on one side only is one change holding all
    its fields, not one change per field.
    """
    before_flat, after_flat = flatten(left), flatten(right)
    old, old_origins = before_flat.flat, before_flat.origins
    new, new_origins = after_flat.flat, after_flat.origins
    unknown = before_flat.unknown | after_flat.unknown

    def compared(path: tuple[str, ...]) -> bool:
        known = known_by(path, left.knows) and known_by(path, right.knows)
        return known and path not in unknown

    old = {p: v for p, v in old.items() if compared(p)}
    new = {p: v for p, v in new.items() if compared(p)}
    declared = _secret_names(left, right)
    patterns = (
        (*left.expected_differences, *right.expected_differences)
        if _between_environments(left, right)
        else ()
    )
    optional = before_flat.optional | after_flat.optional
    records = ({record(p) for p in old}, {record(p) for p in new})

    def shown(path: tuple[str, ...], value: Any) -> Any:
        return None if value is _MISSING else _redacted(path, value, declared, show_guessed_secrets)

    entries: dict[tuple[str, ...], list[Any]] = {}  # path -> [old, new, first leaf]
    for path in sorted(old.keys() | new.keys()):
        before, after = old.get(path, _MISSING), new.get(path, _MISSING)
        if before == after:
            continue
        item = record(path)
        if item is not None and (item not in records[0] or item not in records[1]):
            side = 1 if item in records[1] else 0
            entry = entries.setdefault(item, [None, None, path])
            entry[side] = {
                **(entry[side] or {}),
                path[len(item)]: shown(path, after if side else before),
            }
            continue
        entries[path] = [shown(path, before), shown(path, after), path]
    changes = []
    for path in sorted(entries):
        before, after, leaf = entries[path]
        kind: Kind = "added" if before is None else "removed" if after is None else "changed"
        origin = new_origins.get(leaf) or old_origins.get(leaf)
        expected = (
            _matches(origin, patterns)
            or _harmless(path, before, after)
            or (path in optional and kind != "changed")  # an optional variable, absent
        )
        key = format_path(origin) if origin else None
        inside = detail(before, after) if kind == "changed" else ()
        # A key is a name, but a cron path or a route source may carry `?token=…`.
        shown_path = tuple(redact_places(part) for part in path)
        note = _elsewhere(path, kind, left, right) if path[0] == "env" else None
        changes.append(Change(shown_path, kind, before, after, expected, key, inside, note))
    return changes


def _elsewhere(path: tuple[str, ...], kind: Kind, before: Snapshot, after: Snapshot) -> str | None:
    """For a variable one side lacks: where that side has it instead, when it knows."""
    if len(path) != 2 or kind == "changed":
        return None
    lacking = after if kind == "removed" else before
    targets = lacking.elsewhere.get(path[1])
    if not targets:
        return None
    return f"on {', '.join(targets)}, not {lacking.target}"


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()

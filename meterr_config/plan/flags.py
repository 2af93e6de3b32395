"""`flags plan`: the rows of an environment's `feature_flags` table as its models want
them, planned as the env plan is (the same Plan and Operation, saved plan file, exit
codes and --prune rule) against the rows read from its database.

One database per environment: the plan's "project" is `db:ENV` and each operation's
one target is ENV. A flag's row is created, updated (its `enabled`, `user_overrides`,
and `description` where the table has that column) or, with --prune, deleted; a row no
model names is kept otherwise. A row that users' overrides in `user_feature_flags`
point at is never deleted: that table is the app's data (its foreign key would cascade).

A description is free text that may say more than it should: a plan shows only that it
changes, and the plan file holds its HMAC under the plan's key, never the text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from meterr_config.load import LoadedEnvironment
from meterr_config.models.runtime_flags import RuntimeFlag
from meterr_config.plan import fingerprint
from meterr_config.plan.model import Kept, Operation, Plan

FIELDS = ("enabled", "user_overrides", "description")


@dataclass(frozen=True)
class Row:
    """One row of feature_flags as read (the description only in memory)."""

    name: str
    enabled: bool
    user_overrides: bool
    description: str | None
    updated_at: str  # ISO 8601, as the database gave it
    overrides: int = 0  # rows of user_feature_flags for it


@dataclass(frozen=True)
class Table:
    """What was read of one environment's feature_flags, and what it can hold."""

    environment: str
    rows: tuple[Row, ...]
    columns: frozenset[str]

    def shape(self, key: bytes) -> list[dict[str, object]]:
        """The rows as a saved plan holds them: descriptions as HMACs under the plan key."""
        return [
            {
                "name": r.name,
                "enabled": r.enabled,
                "user_overrides": r.user_overrides,
                "description": _mac(key, r.description),
                "updated_at": r.updated_at,
            }
            for r in self.rows
        ]

    def digest(self) -> str:
        """The rows' state, descriptions included (unkeyed: compared in memory only)."""
        state = [
            [r.name, r.enabled, r.user_overrides, r.description, r.updated_at] for r in self.rows
        ]
        return hashlib.sha256(json.dumps(state).encode()).hexdigest()


def _mac(key: bytes, text: str | None) -> str | None:
    return fingerprint.keyed(key, text) if text is not None else None


def wanted(env: LoadedEnvironment, columns: frozenset[str]) -> dict[str, dict[str, object]]:
    """Each modelled flag's row, of the columns the table has."""
    return {name: _row(flag, columns) for name, flag in sorted(env.model.runtime_flags.items())}


def _row(flag: RuntimeFlag, columns: frozenset[str]) -> dict[str, object]:
    row: dict[str, object] = {"enabled": flag.enabled}
    if "user_overrides" in columns:
        row["user_overrides"] = flag.user_overrides
    if "description" in columns:
        row["description"] = flag.description
    return row


def compute(env: LoadedEnvironment, table: Table, key: bytes, prune: bool) -> Plan:
    """The plan for one environment's table."""
    want = wanted(env, table.columns)
    live = {r.name: r for r in table.rows}
    ops: list[Operation] = []
    kept: list[Kept] = []
    unchanged = 0
    for name in sorted(set(want) | set(live)):
        row, have = want.get(name), live.get(name)
        if row is None and have is not None:
            why = _kept(have, prune)
            if why:
                kept.append(Kept(name, env.name, why))
            else:
                ops.append(_op("delete", name, env.name, have, {}, key))
            continue
        assert row is not None
        if have is None:
            ops.append(_op("create", name, env.name, None, row, key))
            continue
        changes = tuple(f for f in FIELDS if f in row and row[f] != getattr(have, f))
        if changes:
            ops.append(_op("update", name, env.name, have, row, key, changes))
        else:
            unchanged += 1
    return Plan(
        project=f"db:{env.name}",
        project_id=env.name,
        environments=(env.name,),
        operations=tuple(ops),
        kept=tuple(kept),
        unchanged=unchanged,
        live_digest=table.digest(),
        live_records=tuple(table.shape(key)),
        prune=prune,
    )


def _kept(have: Row, prune: bool) -> str:
    if have.overrides:
        plural = "s" if have.overrides != 1 else ""
        return (
            f"not in the models, and {have.overrides} user override{plural} in "
            f"user_feature_flags point{'' if plural else 's'} at it (the app's data: "
            "meterr-config never deletes it)"
        )
    return "" if prune else "not in the models (--prune deletes it)"


def _op(
    action: str,
    name: str,
    environment: str,
    have: Row | None,
    row: dict[str, object],
    key: bytes,
    changes: tuple[str, ...] = (),
) -> Operation:
    return Operation(
        action=action,  # type: ignore[arg-type]
        key=name,
        targets=(environment,),
        type="flag",
        secret=False,
        changes=changes,
        fingerprint=fingerprint.keyed(key, json.dumps(row, sort_keys=True)) if row else "",
        shown=_shown(have, row, changes),
        value=json.dumps(row, sort_keys=True) if row else None,
    )


def _shown(have: Row | None, row: dict[str, object], changes: tuple[str, ...]) -> str:
    """`enabled false → true, description` (a description's text is never shown)."""
    if have is None:
        parts = [f"{f} {_word(row[f])}" for f in FIELDS[:2] if f in row]
        return ", ".join(parts + (["description"] if row.get("description") else []))
    if not row:
        return f"enabled {_word(have.enabled)}, not in the models"
    return ", ".join(
        "description" if f == "description" else f"{f} {_word(getattr(have, f))} → {_word(row[f])}"
        for f in changes
    )


def _word(value: object) -> str:
    return "true" if value is True else "false" if value is False else str(value)

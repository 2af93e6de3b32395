"""Reading and writing an environment's `feature_flags`, for `flags plan` and
`flags apply`: one transaction per environment, under a transaction-scoped advisory
lock, so that two applies never interleave and a process killed mid-apply leaves the
table as it was (PostgreSQL rolls back a transaction whose connection died).

The write is an upsert that changes nothing when nothing differs:
`INSERT … ON CONFLICT (name) DO UPDATE SET … WHERE (…) IS DISTINCT FROM (…)`, so a
re-run leaves `updated_at` alone. A delete names its row. `user_feature_flags` is
never written. When a `feature_flag_audit` table exists, each change adds a row to it.
"""

from __future__ import annotations

import getpass
import json
import os
from typing import Any

from meterr_config.errors import InputError
from meterr_config.plan.flags import Row, Table
from meterr_config.plan.model import Operation, Plan
from meterr_config.sources.db import FLAGS, OVERRIDES, columns

AUDIT = "feature_flag_audit"
AUDIT_COLUMNS = ("flag_name", "action", "enabled_before", "enabled_after", "changed_by")
# pg_try_advisory_xact_lock's key: one per database, whatever the schema.
LOCK = "meterr-config:feature_flags"


def read_table(conn: Any, environment: str, where: str, *, lock_rows: bool = False) -> Table:
    """The rows of feature_flags (and how many user overrides point at each)."""
    have = frozenset(columns(conn, FLAGS))
    if not have:
        raise InputError(f"{where}: there is no {FLAGS} table (see `flags schema check`)")
    missing = [c for c in ("name", "enabled") if c not in have]
    if missing:
        raise InputError(f"{where}: {FLAGS} has no {', '.join(missing)} column")
    picked = ["name", "enabled", *(c for c in ("user_overrides", "description") if c in have)]
    stamp = "updated_at::text" if "updated_at" in have else "''"
    tail = " FOR UPDATE" if lock_rows else ""
    rows = conn.execute(
        f"SELECT {', '.join(picked)}, {stamp} FROM {FLAGS} ORDER BY name{tail}"
    ).fetchall()
    counts = _override_counts(conn)
    out = []
    for row in rows:
        record = dict(zip([*picked, "updated_at"], row, strict=True))
        name = str(record["name"])
        description = record.get("description")
        out.append(
            Row(
                name=name,
                enabled=bool(record["enabled"]),
                user_overrides=bool(record.get("user_overrides")),
                description=str(description) if description is not None else None,
                updated_at=str(record["updated_at"]),
                overrides=counts.get(name, 0),
            )
        )
    return Table(environment, tuple(out), have)


def _override_counts(conn: Any) -> dict[str, int]:
    if "flag_name" not in columns(conn, OVERRIDES):
        return {}
    rows = conn.execute(f"SELECT flag_name, count(*) FROM {OVERRIDES} GROUP BY 1").fetchall()
    return {str(name): int(n) for name, n in rows}


def take_lock(conn: Any, where: str) -> None:
    """The database's lock for flags applies, held until the transaction ends; another
    apply holding it is a refusal, not a wait."""
    (got,) = conn.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", (LOCK,)).fetchone()
    if not got:
        raise InputError(
            f"{where}: another flags apply is running on this database (it holds the "
            "advisory lock); nothing was written: wait for it, then plan again"
        )


def write(conn: Any, plan: Plan, table: Table) -> None:
    """Every operation of the plan, in the open transaction."""
    audit = _audit_columns(conn)
    by_name = {r.name: r for r in table.rows}
    for op in plan.operations:
        before = by_name.get(op.key)
        if op.action == "delete":
            conn.execute(f"DELETE FROM {FLAGS} WHERE name = %s", (op.key,))
        else:
            _upsert(conn, op, table.columns)
        if audit:
            _audit(conn, audit, op, before)


def _upsert(conn: Any, op: Operation, have: frozenset[str]) -> None:
    row: dict[str, Any] = json.loads(op.value or "{}")
    names = ["name", *row]
    values = [op.key, *row.values()]
    changed = [c for c in row if c != "name"]
    sets = [f"{c} = EXCLUDED.{c}" for c in changed]
    if "updated_at" in have:
        sets.append("updated_at = now()")
    mine = ", ".join(f"{FLAGS}.{c}" for c in changed)
    theirs = ", ".join(f"EXCLUDED.{c}" for c in changed)
    conn.execute(
        f"INSERT INTO {FLAGS} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))}) "
        f"ON CONFLICT (name) DO UPDATE SET {', '.join(sets)} "
        f"WHERE ({mine}) IS DISTINCT FROM ({theirs})",
        values,
    )


def _audit_columns(conn: Any) -> list[str]:
    have = columns(conn, AUDIT)
    return [c for c in AUDIT_COLUMNS if c in have] if {"flag_name", "action"} <= set(have) else []


def _audit(conn: Any, audit: list[str], op: Operation, before: Row | None) -> None:
    after = json.loads(op.value) if op.value else {}
    values = {
        "flag_name": op.key,
        "action": op.action,
        "enabled_before": before.enabled if before else None,
        "enabled_after": after.get("enabled"),
        "changed_by": f"meterr-config ({_who()})",
    }
    conn.execute(
        f"INSERT INTO {AUDIT} ({', '.join(audit)}) VALUES ({', '.join(['%s'] * len(audit))})",
        [values[c] for c in audit],
    )


def _who() -> str:
    """Who ran the apply: the CI actor, else the local user."""
    try:
        return os.environ.get("GITHUB_ACTOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"

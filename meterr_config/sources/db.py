"""`db:ENV`: an environment's runtime flags, read from its own PostgreSQL.

The guide's FeatureFlagService reads `feature_flags(name, enabled, user_overrides,
updated_at)` and `user_feature_flags(user_id, flag_name, enabled)`. The DSN is ENV's
`DATABASE_URL` from `--values` (never an argument). The read runs in one READ ONLY
transaction under statement and lock timeouts. `user_feature_flags` is the users' data:
only counted (rows, users, and the rows the service never reads), never listed.
"""

from __future__ import annotations

from typing import Any

from meterr_config.errors import InputError
from meterr_config.keypath import KeyPath
from meterr_config.load import LoadedEnvironment
from meterr_config.redact import Sealed
from meterr_config.snapshot import OverrideCounts, RuntimeFlagEntry, Snapshot
from meterr_config.sources.pg import Dsn, connection
from meterr_config.sources.registry import Context

FLAGS = "feature_flags"
OVERRIDES = "user_feature_flags"
DSN_NAME = "DATABASE_URL"


def dsn_of(env: LoadedEnvironment, context: Context) -> Dsn:
    """ENV's DATABASE_URL from --values (or the model's plain value, in development),
    checked: TLS outside development."""
    where = f"db:{env.name}"
    supplied = context.values.values_for(env.name, {DSN_NAME}) if context.values else {}
    value = supplied.get(DSN_NAME)
    declared = env.model.env.get(DSN_NAME)
    if value is None and declared is not None and not declared.secret:
        value = declared.value
    if not value:
        raise InputError(
            f"{where} needs {env.name}'s {DSN_NAME}: supply it with --values "
            f"{env.name}=dotenv:FILE (or process, or exec:COMMAND)"
        )
    dsn = Dsn(where, value)
    if env.model.target != "development":
        dsn.require_tls()
    return dsn


def columns(conn: Any, table: str) -> dict[str, str]:
    """The table's columns and their types in the connection's schema ({} when the
    table does not exist)."""
    rows = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s",
        (table,),
    ).fetchall()
    return {str(name): str(kind) for name, kind in rows}


def read_flags(conn: Any, where: str) -> tuple[dict[str, RuntimeFlagEntry], frozenset[str]]:
    """Every row of feature_flags, and what the table can tell (the `knows` sections: a
    table without a description column says nothing of descriptions); a missing table
    or column is bad input, named."""
    have = columns(conn, FLAGS)
    if not have:
        raise InputError(f"{where}: there is no {FLAGS} table (see `flags schema check`)")
    missing = [c for c in ("name", "enabled") if c not in have]
    if missing:
        raise InputError(f"{where}: {FLAGS} has no {', '.join(missing)} column")
    wanted = ["name", "enabled"] + [c for c in ("user_overrides", "description") if c in have]
    rows = conn.execute(
        f"SELECT {', '.join(wanted)} FROM {FLAGS} ORDER BY name"  # names from the list above
    ).fetchall()
    out = {}
    for row in rows:
        record = dict(zip(wanted, row, strict=True))
        description = record.get("description")
        out[str(record["name"])] = RuntimeFlagEntry(
            enabled=bool(record["enabled"]),
            user_overrides=bool(record.get("user_overrides")),
            description=Sealed(str(description)) if description else None,
        )
    knows = frozenset(f"runtime_flags/{c}" for c in ("enabled", *wanted[2:]))
    return out, knows


def count_overrides(conn: Any) -> OverrideCounts | None:
    """What user_feature_flags holds, counted; None when there is no such table."""
    if not {"user_id", "flag_name"} <= set(columns(conn, OVERRIDES)):
        return None
    rows, users = conn.execute(
        f"SELECT count(*), count(DISTINCT user_id) FROM {OVERRIDES}"
    ).fetchone()
    allowed = "f.user_overrides" if "user_overrides" in columns(conn, FLAGS) else "false"
    fates = conn.execute(
        f"SELECT u.flag_name, f.name IS NULL, count(*) FROM {OVERRIDES} u "
        f"LEFT JOIN {FLAGS} f ON f.name = u.flag_name "
        f"WHERE f.name IS NULL OR NOT {allowed} GROUP BY 1, 2 ORDER BY 1"
    ).fetchall()
    return OverrideCounts(
        rows=int(rows),
        users=int(users),
        unknown={str(name): int(n) for name, gone, n in fates if gone},
        ignored={str(name): int(n) for name, gone, n in fates if not gone},
    )


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def read(arg: str, context: Context) -> Snapshot:
    """`db:ENV`: ENV's runtime flags and override counts, read only."""
    env = context.loader.load(arg)
    dsn = dsn_of(env, context)
    with connection(dsn, read_only=True) as conn:
        flags, knows = read_flags(conn, dsn.where)
        counts = count_overrides(conn)
    notes = [f"{dsn.where}: {_count(len(flags), 'runtime flag')} in {FLAGS}"]
    if counts is not None:
        notes.append(
            f"{dsn.where}: {_count(counts.rows, 'row')} in {OVERRIDES} for "
            f"{_count(counts.users, 'user')} (counted, never read)"
        )
    return Snapshot(
        name=env.name,
        source="db",
        target=env.model.target,
        runtime_flags=flags,
        overrides=counts,
        knows=knows,
        ignore=frozenset(env.model.lint.ignore),
        options=dict(env.model.lint.rules),
        notes=tuple(notes),
        origin=_origin,
        expected_differences=tuple(env.model.parity.expected),
    )


def _origin(artifact: str, path: KeyPath) -> KeyPath | None:
    """A row's model key, for the parity policy: runtime_flags.NAME.FIELD."""
    return (artifact, *path) if artifact == "runtime_flags" else None

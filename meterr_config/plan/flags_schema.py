"""`flags schema check` and `flags schema emit --knex`: the tables the guide's
FeatureFlagService needs, checked against a live database, never migrated. The app owns
its migrations; `emit` prints an additive knex migration for the team to commit.

What the service needs, from its code:
- `feature_flags.name` unique (`.onConflict('name')`: PostgreSQL refuses an ON CONFLICT
  with no unique index or constraint on the column);
- `enabled` and `user_overrides` booleans (`isEnabled` reads both);
- `updated_at` (`setFlag`'s merge writes it), a timestamp;
- every column `setFlag`'s insert `{ name, enabled }` leaves out defaulted or nullable;
- `user_feature_flags(user_id, flag_name, enabled)`, one row per user and flag
  (`.first()` picks any of several), its flag_name pointing at feature_flags.name.
`description` is optional: without it the models' descriptions are not stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from meterr_config.sources.db import FLAGS, OVERRIDES

TEXT = ("character varying", "text", "character")
BOOLEAN = ("boolean",)
TIMESTAMP = ("timestamp with time zone", "timestamp without time zone")


@dataclass(frozen=True)
class Column:
    """A column as information_schema describes it."""

    type: str
    nullable: bool
    default: str | None


@dataclass(frozen=True)
class Gap:
    """What the live schema lacks: `level` error (the service or an apply fails),
    warning (weaker than it should be), note (an option not taken)."""

    where: str  # table.column, or table
    level: str
    why: str


def read_schema(conn: Any) -> dict[str, dict[str, Column]]:
    """The columns of both tables in the connection's schema."""
    rows = conn.execute(
        "SELECT table_name, column_name, data_type, is_nullable = 'YES', column_default "
        "FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = ANY(%s)",
        ([FLAGS, OVERRIDES],),
    ).fetchall()
    out: dict[str, dict[str, Column]] = {FLAGS: {}, OVERRIDES: {}}
    for table, column, kind, nullable, default in rows:
        out[str(table)][str(column)] = Column(str(kind), bool(nullable), default)
    return out


def unique_sets(conn: Any, table: str) -> list[tuple[str, ...]]:
    """The column sets of the table's unique indexes (its primary key included)."""
    rows = conn.execute(
        "SELECT array_agg(a.attname::text ORDER BY k.n) FROM pg_index i "
        "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) "
        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
        "WHERE i.indrelid = to_regclass(%s) AND i.indisunique "
        "AND i.indpred IS NULL GROUP BY i.indexrelid",
        (table,),
    ).fetchall()
    return [tuple(sorted(r[0])) for r in rows]


def references(conn: Any, table: str) -> set[tuple[str, str, str]]:
    """(column, referenced table, referenced column) of the table's foreign keys."""
    rows = conn.execute(
        "SELECT a.attname::text, c.confrelid::regclass::text, af.attname::text "
        "FROM pg_constraint c "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1] "
        "WHERE c.contype = 'f' AND c.conrelid = to_regclass(%s) "
        "AND array_length(c.conkey, 1) = 1",
        (table,),
    ).fetchall()
    return {(str(a), str(t), str(b)) for a, t, b in rows}


def gaps(conn: Any) -> list[Gap]:
    """Every gap between the live tables and what the service needs."""
    schema = read_schema(conn)
    out = _flags_gaps(schema[FLAGS], unique_sets(conn, FLAGS))
    out += _overrides_gaps(
        schema[OVERRIDES], unique_sets(conn, OVERRIDES), references(conn, OVERRIDES)
    )
    return out


def _flags_gaps(cols: dict[str, Column], unique: list[tuple[str, ...]]) -> list[Gap]:
    if not cols:
        return [Gap(FLAGS, "error", "missing: the service reads every flag from it")]
    out = []
    for name, types, why in (
        ("name", TEXT, "the flag's name: the service looks flags up by it"),
        ("enabled", BOOLEAN, "isEnabled returns it"),
        ("user_overrides", BOOLEAN, "isEnabled reads it to decide whether a user's row counts"),
        ("updated_at", TIMESTAMP, "setFlag's merge writes it"),
    ):
        out += _column(FLAGS, name, cols.get(name), types, why)
    if "name" in cols and ("name",) not in unique:
        out.append(
            Gap(
                f"{FLAGS}.name",
                "error",
                "not unique: setFlag's onConflict('name') "
                "needs a unique index or primary key on it",
            )
        )
    for name in ("user_overrides", "updated_at"):
        col = cols.get(name)
        if col is not None and not col.nullable and col.default is None:
            out.append(
                Gap(
                    f"{FLAGS}.{name}",
                    "error",
                    "NOT NULL without a default: setFlag "
                    "inserts { name, enabled } only, and the insert fails",
                )
            )
    if cols.get("enabled") is not None and cols["enabled"].nullable:
        out.append(Gap(f"{FLAGS}.enabled", "warning", "nullable: a NULL flag reads as off"))
    if cols.get("updated_at") is not None and cols["updated_at"].type == TIMESTAMP[1]:
        out.append(
            Gap(
                f"{FLAGS}.updated_at",
                "warning",
                "without a time zone: knex writes new Date() in the server's zone",
            )
        )
    if "description" not in cols:
        out.append(
            Gap(
                f"{FLAGS}.description",
                "note",
                "absent: the models' descriptions are not stored (optional)",
            )
        )
    return out


def _overrides_gaps(
    cols: dict[str, Column], unique: list[tuple[str, ...]], refs: set[tuple[str, str, str]]
) -> list[Gap]:
    if not cols:
        return [
            Gap(OVERRIDES, "error", "missing: isEnabled queries it for a flag with user_overrides")
        ]
    out = []
    for name, types, why in (
        ("user_id", (), "isEnabled looks a user's row up by it"),
        ("flag_name", TEXT, "isEnabled looks a user's row up by it"),
        ("enabled", BOOLEAN, "isEnabled returns a user's row's value"),
    ):
        out += _column(OVERRIDES, name, cols.get(name), types, why)
    if {"user_id", "flag_name"} <= set(cols) and ("flag_name", "user_id") not in unique:
        out.append(
            Gap(
                OVERRIDES,
                "warning",
                "no primary key or unique index on (user_id, "
                "flag_name): a user may have two rows, and .first() picks either",
            )
        )
    if "flag_name" in cols and ("flag_name", FLAGS, "name") not in refs:
        out.append(
            Gap(
                f"{OVERRIDES}.flag_name",
                "warning",
                "no foreign key to feature_flags(name): rows for deleted flags stay (FLAG006)",
            )
        )
    return out


def _column(
    table: str, name: str, col: Column | None, types: tuple[str, ...], why: str
) -> list[Gap]:
    where = f"{table}.{name}"
    if col is None:
        return [Gap(where, "error", f"missing: {why}")]
    if types and col.type not in types:
        return [Gap(where, "error", f"is {col.type}, not {' or '.join(types)}: {why}")]
    return []

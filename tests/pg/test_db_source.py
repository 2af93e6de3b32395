"""`db:ENV` against a real PostgreSQL: diff and lint of the runtime flags in the app's
own tables, the DSN kept secret, reads bounded and read only."""

from __future__ import annotations

from pathlib import Path

import pytest

from meterr_config.errors import InputError
from meterr_config.sources.pg import Dsn, connection
from tests.conftest import Runner
from tests.pg.cluster import Cluster

CANARY = "Canary7f3e"

# What base.toml and staging.toml hold: USAGE_ALERTS on, COST_FORECAST on in staging.
STAGING_ROWS = (
    "INSERT INTO feature_flags (name, enabled, user_overrides) VALUES "
    "('USAGE_ALERTS', true, true), ('COST_FORECAST', true, true)"
)


def _values(workdir: Path, env: str, dsn: str) -> list[str]:
    path = workdir / f".env.{env}.local"
    path.write_text(f"DATABASE_URL={dsn}\n")
    return ["--values", f"{env}=dotenv:{path.name}"]


def test_a_table_as_the_models_want_is_no_difference(
    cli: Runner, workdir: Path, cluster: Cluster, database: str
) -> None:
    cluster.sql(STAGING_ROWS, database)
    result = cli(
        "diff", "env:staging", "db:staging", *_values(workdir, "staging", cluster.dsn(database))
    )
    assert result.code == 0, result.out + result.err
    assert "db:staging: 2 runtime flags in feature_flags" in result.err


def test_a_hand_edit_is_drift_and_users_rows_are_only_counted(
    cli: Runner, workdir: Path, cluster: Cluster, database: str
) -> None:
    cluster.sql(STAGING_ROWS, database)
    cluster.sql(
        "UPDATE feature_flags SET enabled = false WHERE name = 'USAGE_ALERTS';"
        "INSERT INTO feature_flags (name, enabled) VALUES ('OLD_CHECKOUT', true);"
        "INSERT INTO user_feature_flags VALUES ('user-1', 'OLD_CHECKOUT', true),"
        " ('user-2', 'USAGE_ALERTS', false)",
        database,
    )
    values = _values(workdir, "staging", cluster.dsn(database))
    result = cli("diff", "env:staging", "db:staging", *values)
    assert result.code == 1
    assert result.out.splitlines()[:3] == [
        "runtime_flags",
        '  + OLD_CHECKOUT: {"enabled": true, "user_overrides": false}  (unexpected)',
        "  ~ USAGE_ALERTS > enabled: true → false  (unexpected)",
    ]
    assert "2 rows in user_feature_flags for 2 users (counted, never read)" in result.err
    assert "user-1" not in result.out + result.err
    lint = cli("lint", "db:staging", *values, "--format", "json")
    assert lint.code == 0  # warnings only
    assert '"FLAG006"' in lint.out and "OLD_CHECKOUT, whose user_overrides is off" in lint.out


def test_two_databases_compare_under_the_parity_policy(
    cli: Runner, workdir: Path, cluster: Cluster, database: str
) -> None:
    production = cluster.create_database(f"{database}_prod")
    from tests.pg.guide import GUIDE_TABLES

    cluster.sql(GUIDE_TABLES, production)
    cluster.sql(STAGING_ROWS, database)
    cluster.sql(
        STAGING_ROWS.replace("('COST_FORECAST', true", "('COST_FORECAST', false"), production
    )
    values = _values(workdir, "staging", cluster.dsn(database))
    values += _values(workdir, "production", cluster.dsn(production))
    result = cli("diff", "db:staging", "db:production", *values)
    assert result.code == 0, result.out  # runtime_flags.* is an expected difference
    assert "  ~ COST_FORECAST > enabled: true → false" in result.out


def test_maintenance_mode_left_on_in_production_is_found_by_lint(
    cli: Runner, workdir: Path, cluster: Cluster, database: str
) -> None:
    cluster.sql(
        "INSERT INTO feature_flags (name, enabled) VALUES ('MAINTENANCE_MODE', true)", database
    )
    result = cli("lint", "db:production", *_values(workdir, "production", cluster.dsn(database)))
    assert "FLAG005" in result.out
    assert "runtime flag MAINTENANCE_MODE is on in production" in result.out


def test_the_dsn_and_its_password_never_appear(
    cli: Runner, workdir: Path, cluster: Cluster, database: str
) -> None:
    cluster.sql(f"CREATE ROLE app_{database} LOGIN PASSWORD 'right-{CANARY}'")
    wrong = cluster.dsn(database, f"app_{database}", f"wrong-{CANARY}")
    result = cli("diff", "env:production", "db:production", *_values(workdir, "production", wrong))
    assert result.code == 2
    assert "password authentication failed" in result.err
    assert CANARY not in result.out + result.err
    assert f"app_{database}" not in result.err and "127.0.0.1" not in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_outside_development_a_remote_database_needs_tls(cli: Runner, workdir: Path) -> None:
    values = _values(workdir, "production", f"postgresql://app:{CANARY}@db.example.com/meterr")
    result = cli("diff", "env:production", "db:production", *values)
    assert result.code == 2
    assert "does not require TLS (sslmode=prefer)" in result.err
    assert CANARY not in result.err


@pytest.mark.parametrize(
    ("dsn", "local"),
    [
        ("postgresql://u@/db?host=/run/postgresql", True),
        ("postgresql://u@localhost/db", True),
        ("postgresql://u@127.0.0.1:5432/db", True),
        ("postgresql://u@[::1]/db", True),
        ("postgresql://u@db.internal/db", False),
        ("postgresql://u@127.0.0.1,db.internal/db", False),
        ("host=10.0.0.5 dbname=db", False),
    ],
)
def test_what_counts_as_not_crossing_a_network(dsn: str, local: bool) -> None:
    assert Dsn("db:x", dsn).local() is local


def test_a_read_is_read_only_and_bounded(cluster: Cluster, database: str) -> None:
    dsn = Dsn("db:staging", cluster.dsn(database))
    with connection(dsn, read_only=True) as conn:
        assert conn.execute("SHOW statement_timeout").fetchone() == ("10s",)
        assert conn.execute("SHOW lock_timeout").fetchone() == ("3s",)
        assert conn.execute("SHOW transaction_read_only").fetchone() == ("on",)
    with (
        pytest.raises(InputError, match="read-only transaction"),
        connection(dsn, read_only=True) as conn,
    ):
        conn.execute("INSERT INTO feature_flags (name, enabled) VALUES ('X', true)")


def test_not_a_connection_string_is_bad_input_without_the_text() -> None:
    with pytest.raises(InputError) as caught:
        Dsn("db:staging", f"host='{CANARY}")
    assert CANARY not in str(caught.value)

"""flags schema check on real tables, and flags schema emit --knex run by the real knex
(pinned in tooling/knex) against the test server: after it, check finds no gap."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.pg.cluster import Cluster
from tests.pg.support import FlagsProject

RUN_MIGRATION = """
const knex = require('knex')({ client: 'pg', connection: process.env.DSN });
const migration = require(process.env.MIGRATION);
migration.up(knex).then(() => knex.destroy(), (error) => {
  console.error(error.message); return knex.destroy().then(() => process.exit(1));
});
"""

# The guide's tables as a team might have written them wrong: no unique name, a NOT
# NULL user_overrides without a default, no updated_at, no key on the overrides.
BROKEN = """
CREATE TABLE feature_flags (name text NOT NULL, enabled boolean, user_overrides boolean NOT NULL);
CREATE TABLE user_feature_flags (user_id text, flag_name text, enabled boolean);
"""


def _check(
    p: FlagsProject, env: str = "staging", fmt: str = "json"
) -> tuple[int, list[dict[str, str]]]:
    values = ["--values", f"{env}=dotenv:.env.{env}.local"]
    result = p.cli("flags", "schema", "check", f"db:{env}", *values, "--format", fmt)
    assert result.code in (0, 1), result.err
    return result.code, json.loads(result.out)["rows"] if fmt == "json" else []


def _gaps(rows: list[dict[str, str]]) -> set[tuple[str, str]]:
    return {(r["key"], r["level"]) for r in rows}


def test_the_guides_tables_serve_the_app(flags_project: FlagsProject) -> None:
    code, rows = _check(flags_project)
    assert code == 0
    assert _gaps(rows) == {("feature_flags.description", "note")}


def test_each_gap_is_named(workdir: Path, cluster: Cluster) -> None:
    p = FlagsProject(workdir, cluster, tables=BROKEN)
    code, rows = _check(p)
    assert code == 1
    assert _gaps(rows) == {
        ("feature_flags.name", "error"),  # not unique: onConflict('name') fails
        ("feature_flags.updated_at", "error"),  # missing
        ("feature_flags.user_overrides", "error"),  # NOT NULL, no default
        ("feature_flags.enabled", "warning"),  # nullable
        ("feature_flags.description", "note"),
        ("user_feature_flags", "warning"),  # no key on (user_id, flag_name)
        ("user_feature_flags.flag_name", "warning"),  # no foreign key
    }
    text = p.cli("flags", "schema", "check", "db:staging", "--values", "dotenv:.env.staging.local")
    assert "feature_flags.name (staging): gap: not unique: setFlag's onConflict('name')" in (
        text.out
    )


def _knex() -> Path:
    if shutil.which("node") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("real-tool test cannot run under CI=true: node is not installed")
        pytest.skip("node is not installed")
    result = subprocess.run(
        [sys.executable, str(ROOT / "tooling" / "install.py"), "--knex"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if result.returncode != 0:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"tooling/install.py --knex failed: {result.stderr}")
        pytest.skip(f"tooling/install.py --knex failed: {result.stderr[-300:]}")
    return Path(result.stdout.strip()) / "node_modules"


def _migrate(p: FlagsProject, tmp_path: Path, modules: Path, database: str) -> None:
    migration = tmp_path / "20261204_meterr_flags.js"
    emitted = p.cli("flags", "schema", "emit", "--knex")
    assert emitted.code == 0
    migration.write_text(emitted.out)
    password = "knex-pass"
    p.cluster.sql(
        f"DO $$ BEGIN CREATE ROLE knexer LOGIN SUPERUSER PASSWORD '{password}'; "
        "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    )
    env = {
        **os.environ,
        "NODE_PATH": str(modules),
        "DSN": p.cluster.dsn(database, "knexer", password),
        "MIGRATION": str(migration),
    }
    result = subprocess.run(
        ["node", "-e", RUN_MIGRATION],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("start", ["empty", "guide", "guide without user_overrides"])
def test_the_emitted_knex_migration_closes_every_gap_and_runs_twice(
    workdir: Path, cluster: Cluster, tmp_path: Path, start: str
) -> None:
    from tests.pg.guide import GUIDE_TABLES

    tables = {
        "empty": "",
        "guide": GUIDE_TABLES,
        "guide without user_overrides": GUIDE_TABLES.replace(
            "  user_overrides boolean NOT NULL DEFAULT false,\n", ""
        ),
    }[start]
    modules = _knex()
    p = FlagsProject(workdir, cluster, tables=tables)
    if tables:
        p.sql("staging", "INSERT INTO feature_flags (name, enabled) VALUES ('KEEP_ME', true)")
    for database in (p.databases["staging"], p.databases["staging"], p.databases["production"]):
        _migrate(p, tmp_path, modules, database)  # twice on staging: a re-run changes nothing
    code, rows = _check(p)
    assert code == 0 and rows == [], rows
    if tables:
        assert [r[0] for r in p.rows("staging")] == ["KEEP_ME"]  # data survives
    assert p.apply().code == 0
    assert p.plan().code == 0


def test_emit_needs_a_format(flags_project: FlagsProject) -> None:
    result = flags_project.cli("flags", "schema", "emit")
    assert result.code == 2
    assert "name the migration's format: --knex" in result.err

"""Shared by the runtime-flag tests: a scratch project whose staging and production
databases are real ones in the test cluster, with the guide's tables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from tests.conftest import Result, run_cli
from tests.pg.cluster import Cluster
from tests.pg.guide import GUIDE_TABLES

ENVS = ("staging", "production")
# A BEFORE trigger that makes each row written take `seconds`: time to act mid-apply.
SLOW = """
CREATE FUNCTION meterr_slow() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN PERFORM pg_sleep({seconds}); RETURN NEW; END $$;
CREATE TRIGGER meterr_slow BEFORE INSERT OR UPDATE ON feature_flags
FOR EACH ROW EXECUTE FUNCTION meterr_slow();
"""


class FlagsProject:
    """A copy of the bundled environments beside `.env.<env>.local` files that point at
    a fresh database per environment."""

    def __init__(self, root: Path, cluster: Cluster, tables: str = GUIDE_TABLES) -> None:
        self.root, self.cluster = root, cluster
        self.databases: dict[str, str] = {}
        suffix = uuid.uuid4().hex[:10]
        for env in ENVS:
            name = cluster.create_database(f"{env}_{suffix}")
            if tables:
                cluster.sql(tables, name)
            self.databases[env] = name
            self.point(env, cluster.dsn(name))

    def point(self, env: str, dsn: str) -> None:
        (self.root / f".env.{env}.local").write_text(f"DATABASE_URL={dsn}\n")

    @property
    def values(self) -> list[str]:
        return [a for env in ENVS for a in ("--values", f"{env}=dotenv:.env.{env}.local")]

    def cli(self, *args: str) -> Result:
        return run_cli(*args, cwd=self.root)

    def plan(self, *extra: str) -> Result:
        return self.cli("flags", "plan", *ENVS, *self.values, *extra)

    def apply(self, *extra: str) -> Result:
        return self.cli(
            "flags", "apply", *ENVS, *self.values, "--yes", "--confirm", "production", *extra
        )

    def spawn_apply(self, *extra: str) -> subprocess.Popen[bytes]:
        """The same apply in a process of its own (to kill it, or race it)."""
        args = ["flags", "apply", *ENVS, *self.values, "--yes", "--confirm", "production"]
        return subprocess.Popen(
            [sys.executable, "-m", "meterr_config", *args, *extra],
            cwd=self.root,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def sql(self, env: str, statement: str) -> None:
        self.cluster.sql(statement, self.databases[env])

    def rows(self, env: str) -> list[tuple[object, ...]]:
        import psycopg

        with psycopg.connect(self.cluster.dsn(self.databases[env])) as conn:
            return conn.execute(
                "SELECT name, enabled, user_overrides, updated_at FROM feature_flags ORDER BY name"
            ).fetchall()

    def journal(self, env: str) -> list[dict[str, object]]:
        folder = self.root / ".meterr-config" / "journal"
        files = sorted(folder.glob(f"*-flags-{env}.jsonl")) if folder.exists() else []
        return [json.loads(line) for f in files for line in f.read_text().splitlines()]

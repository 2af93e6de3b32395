"""A canary DSN password and a canary flag description never appear in any output, in
any format, nor in any file meterr-config writes (plan file, journal, ledger)."""

from __future__ import annotations

from pathlib import Path

from meterr_config.formats import FORMATS
from tests.pg.cluster import Cluster
from tests.pg.guide import GUIDE_TABLES
from tests.pg.support import FlagsProject

CANARY = "Canary7f3e"


def test_no_canary_anywhere(workdir: Path, cluster: Cluster) -> None:
    with (workdir / "environments" / "base.toml").open("a") as file:
        file.write(
            "\n[runtime_flags.SECRET_PILOT]\nenabled = true\n"
            f'description = "pilot for {CANARY} corp"\n'
        )
    tables = GUIDE_TABLES + "ALTER TABLE feature_flags ADD COLUMN description text;"
    p = FlagsProject(workdir, cluster, tables=tables)
    role, password = f"app_{p.databases['staging']}", f"pw-{CANARY}"
    cluster.sql(f"CREATE ROLE {role} LOGIN SUPERUSER PASSWORD '{password}'")
    for env, database in p.databases.items():
        p.point(env, cluster.dsn(database, role, password))  # over TCP, with the password
    staging = ["--values", "staging=dotenv:.env.staging.local"]
    seen = []
    for fmt in FORMATS:
        runs = [
            p.plan("--format", fmt),
            p.plan("--format", fmt, "--out", f"plan-{fmt}.json"),
            p.apply("--format", fmt),
            p.cli("diff", "env:staging", "db:staging", *staging, "--format", fmt),
            p.cli("diff", "db:staging", "db:production", *p.values, "--format", fmt),
            p.cli("lint", "db:staging", *staging, "--format", fmt),
            p.cli("flags", "schema", "check", "db:staging", *staging, "--format", fmt),
        ]
        seen += [r.out + r.err for r in runs]
        assert all(r.code in (0, 1) for r in runs), [r.err for r in runs]
    p.sql(
        "staging", "UPDATE feature_flags SET description = 'hand edit' WHERE name = 'SECRET_PILOT'"
    )
    drift = p.cli("diff", "env:staging", "db:staging", *staging)
    assert drift.code == 1 and "SECRET_PILOT > description: <redacted: " in drift.out
    seen.append(drift.out + drift.err)
    p.point("staging", cluster.dsn(p.databases["staging"], role, f"wrong-{CANARY}"))
    failed = p.cli("flags", "plan", "staging", *staging)
    assert failed.code == 2 and "password authentication failed" in failed.err
    seen.append(failed.out + failed.err)
    written = [
        f.read_text()
        for f in p.root.rglob("*")
        if f.is_file() and "environments" not in f.parts and not f.name.startswith(".env.")
    ]
    assert any("plan-json" in str(f) for f in p.root.iterdir())
    assert len(written) >= 5  # plan files, journals, the state folder's .gitignore
    for text in seen + written:
        assert CANARY not in text

"""flags plan and flags apply against real PostgreSQL databases: the issue's cycle
(model → apply → diff empty → hand edit → drift → apply → empty), a saved plan refused
when stale, --prune sparing users' data, re-runs that change nothing, concurrent
applies, a killed apply, and the audit table."""

from __future__ import annotations

import json
import signal
import stat
import time
from pathlib import Path

from tests.pg.support import ENVS, SLOW, FlagsProject


def _diff(project: FlagsProject, env: str) -> tuple[int, str]:
    result = project.cli("diff", f"env:{env}", f"db:{env}", *project.values)
    return result.code, result.out


def test_model_apply_diff_hand_edit_drift_apply_empty(flags_project: FlagsProject) -> None:
    p = flags_project
    plan = p.plan()
    assert plan.code == 1, plan.err
    assert plan.out.splitlines()[:4] == [
        "  + COST_FORECAST (staging): create: enabled true, user_overrides true",
        "  + USAGE_ALERTS (staging): create: enabled true, user_overrides true",
        "  + COST_FORECAST (production): create: enabled false, user_overrides true",
        "  + USAGE_ALERTS (production): create: enabled true, user_overrides true",
    ]
    applied = p.apply()
    assert applied.code == 0, applied.out + applied.err
    assert "Applied 4 operations." in applied.out
    assert all(_diff(p, env)[0] == 0 for env in ENVS)
    p.sql("production", "UPDATE feature_flags SET enabled = false WHERE name = 'USAGE_ALERTS'")
    code, out = _diff(p, "production")
    assert code == 1
    assert "  ~ USAGE_ALERTS > enabled: true → false  (unexpected)" in out
    again = p.plan()
    assert "  ~ USAGE_ALERTS (production): update: enabled false → true" in again.out
    assert p.apply().code == 0
    assert all(_diff(p, env)[0] == 0 for env in ENVS)
    assert p.plan().code == 0


def test_a_rerun_changes_nothing_and_leaves_updated_at(flags_project: FlagsProject) -> None:
    """The upsert's IS DISTINCT FROM: writing the same rows again touches none of them."""
    from meterr_config.load import Loader
    from meterr_config.plan import fingerprint
    from meterr_config.plan.flags import Table, compute
    from meterr_config.plan.flags_db import write
    from meterr_config.sources.pg import Dsn, connection

    p = flags_project
    env = Loader(p.root / "environments").load("staging")
    dsn = Dsn("db:staging", p.cluster.dsn(p.databases["staging"]))
    empty = Table("staging", (), frozenset({"name", "enabled", "user_overrides", "updated_at"}))
    plan = compute(env, empty, fingerprint.new_key(), prune=False)  # two creates
    assert p.apply().code == 0
    before = p.rows("staging")
    time.sleep(0.05)
    with connection(dsn, read_only=False) as conn:
        write(conn, plan, empty)  # the same creates, sent again
    assert p.rows("staging") == before


def test_a_saved_plan_is_private_and_refused_when_the_table_changed(
    flags_project: FlagsProject,
) -> None:
    p = flags_project
    saved = p.plan("--out", "flags.json")
    assert saved.code == 1
    path = p.root / "flags.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["kind"] == "flags"
    p.sql("staging", "INSERT INTO feature_flags (name, enabled) VALUES ('USAGE_ALERTS', false)")
    refused = p.cli("flags", "apply", "flags.json", "--confirm", "production")
    assert refused.code == 2
    assert "db:staging changed since the plan: USAGE_ALERTS was added; plan again" in refused.err
    assert p.rows("production") == []  # nothing written anywhere
    fresh = p.plan("--out", "flags.json")
    assert fresh.code == 1
    assert p.cli("flags", "apply", "flags.json", "--confirm", "production").code == 0
    assert p.plan().code == 0
    wrong = p.cli("apply", "flags.json", "--yes")
    assert wrong.code == 2
    assert "a plan of flags: apply it with `meterr-config flags apply FILE`" in wrong.err


def test_prune_deletes_unmodelled_rows_but_never_ones_users_override(
    flags_project: FlagsProject,
) -> None:
    p = flags_project
    p.sql(
        "staging",
        "INSERT INTO feature_flags (name, enabled) VALUES ('OLD_EXPORT', true), "
        "('LEGACY_CHECKOUT', true); INSERT INTO user_feature_flags VALUES "
        "('user-1', 'LEGACY_CHECKOUT', true)",
    )
    kept = p.plan()
    assert "  = OLD_EXPORT (staging): kept: not in the models (--prune deletes it)" in kept.out
    pruned = p.plan("--prune")
    assert "  - OLD_EXPORT (staging): delete: enabled true, not in the models" in pruned.out
    assert (
        "  = LEGACY_CHECKOUT (staging): kept: not in the models, and 1 user override in "
        "user_feature_flags points at it" in pruned.out
    )
    assert p.apply("--prune").code == 0
    names = [row[0] for row in p.rows("staging")]
    assert names == ["COST_FORECAST", "LEGACY_CHECKOUT", "USAGE_ALERTS"]


def test_without_a_terminal_production_needs_confirm(flags_project: FlagsProject) -> None:
    p = flags_project
    result = p.cli("flags", "apply", *ENVS, *p.values, "--yes")
    assert result.code == 2
    assert "add --confirm production (nothing was written)" in result.err
    assert p.rows("staging") == [] and p.rows("production") == []


def _wait_for_begin(p: FlagsProject, env: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not any(e.get("action") == "begin" for e in p.journal(env)):
        assert time.monotonic() < deadline, "the apply never began"
        time.sleep(0.02)


def _wait_for_writing(p: FlagsProject, env: str, timeout: float = 30) -> None:
    """Until the apply's backend is running its INSERT (pg_stat_activity says)."""
    import psycopg

    deadline = time.monotonic() + timeout
    with psycopg.connect(p.cluster.dsn(p.databases[env]), autocommit=True) as conn:
        while not conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'meterr-config' "
            "AND state = 'active' AND query LIKE 'INSERT INTO feature_flags%'"
        ).fetchone()[0]:  # type: ignore[index]
            assert time.monotonic() < deadline, "the apply never wrote"
            time.sleep(0.02)


def test_two_concurrent_applies_give_one_refusal(
    flags_project: FlagsProject, tmp_path_factory: object
) -> None:
    """Two checkouts (no shared local lock) apply to the same database at once: the
    database's advisory lock refuses the second; the first applies."""
    import shutil

    from tests.pg.support import FlagsProject as Project

    p = flags_project
    p.sql("staging", SLOW.format(seconds=0.5))
    first = p.spawn_apply()
    _wait_for_begin(p, "staging")
    other_root = Path(str(p.root) + "-other")
    shutil.copytree(p.root / "environments", other_root / "environments")
    other = Project.__new__(Project)
    other.root, other.cluster, other.databases = other_root, p.cluster, p.databases
    for env in ENVS:
        other.point(env, p.cluster.dsn(p.databases[env]))
    second = other.apply()
    _, err = first.communicate(timeout=60)
    assert first.returncode in (0, 3), err
    assert second.code in (2, 3)
    assert "another flags apply is running on this database" in second.out + second.err
    assert [row[0] for row in p.rows("staging")] == ["COST_FORECAST", "USAGE_ALERTS"]


def test_a_second_apply_in_the_same_checkout_is_refused_by_the_local_lock(
    flags_project: FlagsProject,
) -> None:
    p = flags_project
    p.sql("staging", SLOW.format(seconds=0.5))
    first = p.spawn_apply()
    _wait_for_begin(p, "staging")
    second = p.apply()
    first.communicate(timeout=60)
    assert second.code == 2
    assert "another apply for project flags-" in second.err


def test_a_process_killed_mid_apply_leaves_the_table_as_before(
    flags_project: FlagsProject,
) -> None:
    p = flags_project
    p.sql("staging", "INSERT INTO feature_flags (name, enabled) VALUES ('USAGE_ALERTS', false)")
    before = p.rows("staging")
    p.sql("staging", SLOW.format(seconds=1))
    child = p.spawn_apply()
    _wait_for_writing(p, "staging")  # inside the transaction, a row being written
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert p.rows("staging") == before
    p.sql("staging", "DROP TRIGGER meterr_slow ON feature_flags")
    assert p.apply().code == 0  # the dead process's locks are gone with it
    assert p.plan().code == 0


def test_each_change_writes_an_audit_row_when_the_table_exists(
    flags_project: FlagsProject,
) -> None:
    p = flags_project
    p.sql(
        "production",
        "CREATE TABLE feature_flag_audit (id serial PRIMARY KEY, flag_name text NOT NULL, "
        "action text NOT NULL, enabled_before boolean, enabled_after boolean, changed_by text, "
        "changed_at timestamptz NOT NULL DEFAULT now())",
    )
    assert p.apply().code == 0
    import psycopg

    with psycopg.connect(p.cluster.dsn(p.databases["production"])) as conn:
        rows = conn.execute(
            "SELECT flag_name, action, enabled_before, enabled_after, changed_by "
            "FROM feature_flag_audit ORDER BY flag_name"
        ).fetchall()
    assert [r[:4] for r in rows] == [
        ("COST_FORECAST", "create", None, False),
        ("USAGE_ALERTS", "create", None, True),
    ]
    assert all(str(r[4]).startswith("meterr-config (") for r in rows)

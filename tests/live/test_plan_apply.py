"""plan, apply and status against the fake Vercel API (its write side built from the API
reference: tests/live/vercel_writes.py)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import filelock
import pytest

from meterr_config.plan.fingerprint import COST
from tests.conftest import Result, Runner
from tests.live.plan_support import CANARY, secret, values_file
from tests.live.vercel_server import FakeVercel

ENVS = ("production", "staging")


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ledger's scrypt at a test cost (each entry names its own)."""
    monkeypatch.setattr("meterr_config.plan.fingerprint.COST", 2**4)
    assert COST == 2**14  # what real ledgers get


def _env(api: FakeVercel) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("VERCEL")}
    return {**base, "VERCEL_TOKEN": api.token, "VERCEL_API_URL": api.url}


def _values(workdir: Path, generation: int = 0) -> list[str]:
    args = []
    for env in ENVS:
        path = values_file(workdir, env, generation)
        args += ["--values", f"{env}=dotenv:{path}"]
    return args


class Project:
    """A scratch project and a fake API, with shorthands for the commands."""

    def __init__(self, cli: Runner, workdir: Path, api: FakeVercel) -> None:
        self.cli, self.workdir, self.api = cli, workdir, api

    def plan(self, *extra: str, generation: int = 0) -> Result:
        return self.cli(
            "plan", *ENVS, *_values(self.workdir, generation), *extra, env=_env(self.api)
        )

    def apply(self, *extra: str, generation: int = 0) -> Result:
        args = (
            "apply",
            *ENVS,
            *_values(self.workdir, generation),
            "--yes",
            "--confirm",
            "production",
        )
        return self.cli(*args, *extra, env=_env(self.api))

    def writes(self) -> list[str]:
        return [f"{r.method} {r.path}" for r in self.api.requests if r.method != "GET"]

    def everything_written(self) -> str:
        """Every file under the project's state folder, as text."""
        state = self.workdir / ".meterr-config"
        files = [p for p in state.rglob("*") if p.is_file()] if state.exists() else []
        return "\n".join(p.read_text() for p in files)


@pytest.fixture
def project(cli: Runner, workdir: Path) -> Any:
    with FakeVercel() as api:
        yield Project(cli, workdir, api)


def test_a_plan_lists_each_key_and_target_and_redacts_secrets(project: Project) -> None:
    result = project.plan()
    assert result.code == 1, result.err
    assert "~ JWT_SECRET (production): update: value (unknown) → <redacted: " in result.out
    assert "~ JWT_SECRET (staging): update: value (unknown) → <redacted: " in result.out
    assert "~ NODE_ENV (production): update: type plain → encrypted, comment" in result.out
    assert "Plan for meterr: 0 to create, 24 to update" in result.out
    assert CANARY not in result.out + result.err
    assert project.writes() == []  # a plan only reads


def test_apply_then_plan_is_empty_and_vercel_holds_the_values(project: Project) -> None:
    applied = project.apply()
    assert applied.code == 0, applied.out + applied.err
    assert "Applied 24 operations." in applied.out
    again = project.plan()
    assert again.code == 0, again.out
    assert "No changes for meterr: 28 unchanged, 0 kept." in again.out
    for env in ENVS:
        assert project.api.value_of("JWT_SECRET", env) == secret("JWT_SECRET", env)
    assert project.api.value_of("NODE_ENV", "staging") == "production"
    assert project.api.most_in_flight == 1  # one request in flight per project
    written = project.everything_written()
    assert CANARY not in applied.out + applied.err + written
    assert '"updatedBy": "usr_meterrapply000000000000"' in written  # the ledger


def test_a_rotated_secret_is_planned_again(project: Project) -> None:
    assert project.apply().code == 0
    rotated = project.plan(generation=1)
    assert rotated.code == 1
    assert "the value supplied is not the one meterr-config last wrote" in rotated.out
    assert project.apply(generation=1).code == 0
    assert project.plan(generation=1).code == 0


def test_a_sensitive_value_changed_outside_is_named_with_who_changed_it(
    project: Project,
) -> None:
    assert project.apply().code == 0
    record = next(
        e for e in project.api.envs if e["key"] == "JWT_SECRET" and e["target"] == ["production"]
    )
    record.update(updatedAt=record["updatedAt"] + 60_000, updatedBy="usr_dashboard")
    plan = project.plan()
    assert plan.code == 1
    assert "changed outside meterr-config, by usr_dashboard at " in plan.out
    status = project.cli("status", "production", env=_env(project.api))
    assert (
        "JWT_SECRET (production): outside: changed outside meterr-config, by usr_dashboard"
        in status.out
    )


def test_without_a_terminal_apply_needs_yes_and_production_needs_confirm(
    project: Project,
) -> None:
    values = _values(project.workdir)
    bare = project.cli("apply", *ENVS, *values, env=_env(project.api))
    assert bare.code == 2
    assert "this plan writes to production" in bare.err
    path = values_file(project.workdir, "development")
    development = project.cli(
        "apply", "development", "--values", f"dotenv:{path}", env=_env(project.api)
    )
    assert development.code == 2
    assert "apply needs --yes when there is no terminal" in development.err
    no_confirm = project.cli("apply", *ENVS, *values, "--yes", env=_env(project.api))
    assert no_confirm.code == 2
    assert "--confirm production" in no_confirm.err
    assert project.writes() == []


def test_a_saved_plan_is_private_valueless_and_applies(project: Project) -> None:
    out = project.workdir / "plan.json"
    planned = project.plan("--out", str(out))
    assert planned.code == 1
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_text()
    assert CANARY not in text
    assert '"fingerprint": "hmac-sha256:' in text
    applied = project.cli("apply", str(out), "--confirm", "production", env=_env(project.api))
    assert applied.code == 0, applied.err
    assert project.plan().code == 0


def test_a_stale_saved_plan_is_refused(project: Project) -> None:
    out = project.workdir / "plan.json"
    assert project.plan("--out", str(out)).code == 1
    record = next(e for e in project.api.envs if e["key"] == "NODE_ENV")
    record["updatedAt"] += 1  # someone wrote it since
    refused = project.cli("apply", str(out), "--confirm", "production", env=_env(project.api))
    assert refused.code == 2
    assert (
        "the saved plan cannot be applied: Vercel changed since the plan: NODE_ENV was written"
        in refused.err
    )
    assert project.writes() == []


def test_a_saved_plan_whose_value_changed_is_refused(project: Project) -> None:
    out = project.workdir / "plan.json"
    assert project.plan("--out", str(out)).code == 1
    values_file(project.workdir, "production", generation=1)  # the file the plan reads
    refused = project.cli("apply", str(out), "--confirm", "production", env=_env(project.api))
    assert refused.code == 2
    assert "is not the one planned" in refused.err
    assert project.writes() == []


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("", "the value is empty"),
        (" padded-" + "x" * 40, "leading or trailing whitespace"),
        ('"' + "x" * 40 + '"', "wrapped in quotes"),
        ("[SENSITIVE]", "[SENSITIVE] or blank"),
        ("short", "shorter than its min_length 32"),
    ],
)
def test_a_value_that_cannot_be_right_is_refused_before_any_write(
    project: Project, value: str, why: str
) -> None:
    path = values_file(project.workdir, "production")
    lines = [line for line in path.read_text().splitlines() if not line.startswith("JWT_SECRET=")]
    quoted = f"'{value}'" if value.startswith(('"', " ")) else value
    path.write_text("\n".join([*lines, f"JWT_SECRET={quoted}"]) + "\n")
    args = ("apply", "production", "--values", f"dotenv:{path}", "--yes", "--confirm", "production")
    result = project.cli(*args, env=_env(project.api))
    assert result.code == 2, result.out
    assert "JWT_SECRET" in result.err and why in result.err
    assert project.writes() == []


def test_a_sensitive_variable_on_development_is_refused(project: Project) -> None:
    dev = project.workdir / "environments" / "development.toml"
    dev.write_text(dev.read_text() + '\n[env.JWT_SECRET]\ntype = "sensitive"\n')
    path = values_file(project.workdir, "development")
    result = project.cli("plan", "development", "--values", f"dotenv:{path}", env=_env(project.api))
    assert result.code == 2
    assert "JWT_SECRET is sensitive on development, which Vercel refuses" in result.err


def test_a_partial_failure_exits_3_and_the_next_plan_shows_exactly_the_rest(
    cli: Runner, workdir: Path
) -> None:
    with FakeVercel(refuse_keys={"JWT_SECRET"}) as api:
        project = Project(cli, workdir, api)
        result = project.apply()
        assert result.code == 3, result.out + result.err
        assert "JWT_SECRET (production): failed: update (refused (HTTP 403" in result.out
        assert "Applied 22 of 24 operations; 2 failed." in result.out
        api.writes.refuse_keys.clear()
        rest = project.plan()
    assert rest.code == 1
    changed = [line for line in rest.out.splitlines() if line.startswith("  ~")]
    assert [line.split(" (")[0].strip() for line in changed] == ["~ JWT_SECRET", "~ JWT_SECRET"]
    journal = next((workdir / ".meterr-config" / "journal").iterdir()).read_text()
    assert '"result": "failed"' in journal and '"request_id": "iad1::' in journal
    assert CANARY not in journal


def test_a_write_acknowledged_but_stored_empty_is_a_failure(cli: Runner, workdir: Path) -> None:
    with FakeVercel(drop_keys={"NODE_ENV"}) as api:
        result = Project(cli, workdir, api).apply()
    assert result.code == 3
    assert "NODE_ENV (production): failed: update (acknowledged, but it is empty)" in result.out


def test_unmanaged_variables_are_kept_unless_pruned(project: Project) -> None:
    extra = dict(project.api.envs[0], id="legacyid00000001", key="LEGACY_FLAG", value="on")
    extra.update(type="plain", target=["production"], customEnvironmentIds=[], createdAt=1)
    extra.pop("gitBranch", None)
    project.api.envs.append(extra)
    kept = project.plan()
    assert "= LEGACY_FLAG (production): kept: not in the models (--prune deletes it)" in kept.out
    pruned = project.plan("--prune")
    assert "- LEGACY_FLAG (production): delete: plain, not in the models" in pruned.out
    assert project.apply("--prune").code == 0
    assert "DELETE /v1/projects/prj_meterr/env" in project.writes()
    assert not any(e["key"] == "LEGACY_FLAG" for e in project.api.envs)


def test_a_variable_an_integration_owns_is_never_touched(project: Project) -> None:
    record = next(
        e for e in project.api.envs if e["key"] == "REDIS_URL" and e["target"] == ["production"]
    )
    record["configurationId"] = "icfg_upstash0000000000000000"
    result = project.plan()
    assert result.code == 2
    assert (
        "REDIS_URL on production is owned by an integration (configurationId icfg_upstash"
        in result.err
    )


def test_a_change_that_cannot_be_made_in_place_needs_allow_replace(project: Project) -> None:
    """NODE_ENV is shared by production and preview (not managed here): changing it for
    production alone means moving production to a record of its own."""
    record = next(
        e for e in project.api.envs if e["key"] == "NODE_ENV" and e["target"] == ["production"]
    )
    record.update(target=["preview", "production"], customEnvironmentIds=[], value="staging")
    plan = project.plan()
    assert '-/+ NODE_ENV (production): replace: encrypted "production", in a new record' in plan.out
    refused = project.apply()
    assert refused.code == 2
    assert "--allow-replace" in refused.err
    assert project.writes() == []
    assert project.apply("--allow-replace").code == 0
    assert project.plan().code == 0
    assert project.api.value_of("NODE_ENV", "preview") == "staging"  # untouched


def test_status_names_what_the_serving_deployment_lacks_and_redeploy_fixes_it(
    project: Project,
) -> None:
    assert project.cli("status", "production", env=_env(project.api)).code == 0
    assert project.apply().code == 0
    status = project.cli("status", "production", env=_env(project.api))
    assert status.code == 1
    assert "NODE_ENV (production): pending: changed at " in status.out
    assert "redeploy to use it" in status.out
    redeployed = project.apply("--redeploy", generation=1)
    assert redeployed.code == 0, redeployed.err
    assert "production: redeploying dpl_" in redeployed.out and "https://meterr-" in redeployed.out
    after = project.cli("status", "production", env=_env(project.api))
    assert after.code == 0, after.out


def test_a_second_apply_for_the_project_is_refused_while_one_runs(project: Project) -> None:
    locks = project.workdir / ".meterr-config" / "locks"
    locks.mkdir(parents=True)
    with filelock.FileLock(locks / "meterr.lock"):
        result = project.apply()
    assert result.code == 2
    assert "another apply for project meterr is running" in result.err
    assert project.writes() == []


@pytest.mark.parametrize("mode", ["429", "500-once"])
def test_apply_rides_out_rate_limits_and_server_errors(
    cli: Runner, workdir: Path, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("meterr_config.sources.vercel_api.VercelClient.sleep", lambda self, s: None)
    with FakeVercel(mode=mode) as api:
        project = Project(cli, workdir, api)
        assert project.apply().code == 0
        assert project.plan().code == 0
    assert any(r.method == "PATCH" for r in api.requests)


def test_exec_values_come_from_a_command_and_its_output_is_never_shown(
    project: Project,
) -> None:
    path = values_file(project.workdir, "production")
    command = f"cat {path}"
    result = project.cli("plan", "production", "--values", f"exec:{command}", env=_env(project.api))
    assert result.code == 1, result.err
    failing = project.cli(
        "plan",
        "production",
        "--values",
        "exec:sh -c 'cat " + str(path) + " >&2; exit 3'",
        env=_env(project.api),
    )
    assert failing.code == 2
    assert "exited with status 3 (its output is not shown" in failing.err
    assert CANARY not in result.out + result.err + failing.out + failing.err


def test_a_batch_create_reads_each_items_fate_from_failed(cli: Runner, workdir: Path) -> None:
    """A fresh project: one batched POST; the refused item comes back in `failed[]` of
    the 201 and is the only operation left."""
    with FakeVercel(envs=[], refuse_keys={"CRON_SECRET"}) as api:
        project = Project(cli, workdir, api)
        result = project.apply()
        assert result.code == 3, result.out + result.err
        assert (
            "CRON_SECRET (production): failed: create (refused: Additional permissions"
            in result.out
        )
        assert [w.split(" ")[0] for w in project.writes()] == ["POST"] * 2
        api.writes.refuse_keys.clear()
        rest = project.plan()
    assert "+ CRON_SECRET (production): create: sensitive <redacted: " in rest.out
    assert "Plan for meterr: 2 to create, 0 to update" in rest.out  # the two refused


def test_a_conflict_the_plan_did_not_foresee_is_a_failure_not_an_overwrite(
    cli: Runner, workdir: Path
) -> None:
    """Someone creates NODE_ENV on production for every target between plan and write:
    the API answers ENV_CONFLICT for our create (its targets differ), and nothing of
    theirs is overwritten."""
    with FakeVercel(envs=[]) as api:
        project = Project(cli, workdir, api)
        original = api.writes._create

        def racing(body: Any, upsert: bool) -> Any:
            if isinstance(body, list) and any(i.get("key") == "NODE_ENV" for i in body):
                api.writes._create_one(
                    {
                        "key": "NODE_ENV",
                        "value": "theirs",
                        "type": "plain",
                        "target": ["production", "preview"],
                    },
                    upsert=False,
                )
            return original(body, upsert)

        api.writes._create = racing  # type: ignore[method-assign]
        result = project.apply()
        assert result.code == 3
        assert "ENV_CONFLICT" in result.out
        assert api.value_of("NODE_ENV", "preview") == "theirs"


BRANCH = "feature/new-dashboard"


def _branch_variable(workdir: Path, branch: str, value: str = "new dashboard") -> None:
    """staging.toml gains a variable for one preview branch's deployments."""
    with (workdir / "environments" / "staging.toml").open("a") as file:
        file.write(
            f'\n[env.PREVIEW_BANNER]\nvalue = "{value}"\ntargets = ["preview"]\n'
            f'git_branch = "{branch}"\n'
        )


def _bodies(project: Project, method: str) -> list[Any]:
    import json

    return [json.loads(r.body) for r in project.api.requests if r.method == method and r.body]


def test_a_branch_variable_is_created_on_its_branch_and_then_unchanged(project: Project) -> None:
    assert project.apply().code == 0
    _branch_variable(project.workdir, BRANCH)
    plan = project.plan()
    assert plan.code == 1
    assert f'+ PREVIEW_BANNER (preview:{BRANCH}): create: encrypted "new dashboard"' in plan.out
    # a branch a model names is managed, like a target: its other variables are kept
    assert (
        f"= NEXT_PUBLIC_API_URL (preview:{BRANCH}): kept: not in the models (--prune deletes it)"
        in plan.out
    )
    assert project.apply().code == 0
    created = [b for body in _bodies(project, "POST") for b in body if b["key"] == "PREVIEW_BANNER"]
    assert created == [
        {
            "key": "PREVIEW_BANNER",
            "target": ["preview"],
            "customEnvironmentIds": [],
            "gitBranch": BRANCH,
            "type": "encrypted",
            "value": "new dashboard",
            "comment": "",
        }
    ]
    record = next(e for e in project.api.envs if e["key"] == "PREVIEW_BANNER")
    assert (record["target"], record["gitBranch"]) == (["preview"], BRANCH)
    assert project.plan().code == 0
    # staging's deployments get neither side's branch variable: no difference there
    diff = project.cli("diff", "env:staging", "vercel:meterr@staging", env=_env(project.api))
    assert "PREVIEW_BANNER" not in diff.out, diff.out


def test_a_branch_change_is_a_patch_of_git_branch_with_prune(project: Project) -> None:
    _branch_variable(project.workdir, BRANCH)
    assert project.apply("--prune").code == 0
    before = next(e for e in project.api.envs if e["key"] == "PREVIEW_BANNER")
    staging = project.workdir / "environments" / "staging.toml"
    staging.write_text(staging.read_text().replace(BRANCH, "feature/billing"))
    kept = project.plan()
    assert "+ PREVIEW_BANNER (preview:feature/billing): create" in kept.out
    assert (
        f"= PREVIEW_BANNER (preview:{BRANCH}): kept: not in the models (--prune deletes it)"
        in kept.out
    )
    moved = project.plan("--prune")
    assert moved.code == 1
    assert f"- PREVIEW_BANNER (preview:{BRANCH}): delete: moved to preview:feature/billing" in (
        moved.out
    )
    assert (
        f"~ PREVIEW_BANNER (preview:feature/billing): update: moved from preview:{BRANCH} "
        "(gitBranch)" in moved.out
    )
    assert "0 to create, 1 to update" in moved.out
    writes_before = len(project.writes())
    assert project.apply("--prune").code == 0
    assert project.writes()[writes_before:] == [f"PATCH /v9/projects/prj_meterr/env/{before['id']}"]
    assert _bodies(project, "PATCH")[-1] == {"gitBranch": "feature/billing"}
    after = next(e for e in project.api.envs if e["key"] == "PREVIEW_BANNER")
    assert (after["id"], after["gitBranch"]) == (before["id"], "feature/billing")
    assert project.plan("--prune").code == 0


def test_a_branch_override_already_on_vercel_is_updated_in_place(project: Project) -> None:
    """The fake holds NEXT_PUBLIC_API_URL for the feature branch; a model that wants
    another value there changes that record, not a new one."""
    assert project.apply().code == 0
    with (project.workdir / "environments" / "staging.toml").open("a") as file:
        file.write(
            '\n[env.PREVIEW_API_URL]\nvalue = "x"\n'  # a second variable, for contrast
            'targets = ["preview"]\ngit_branch = "feature/new-dashboard"\n'
        )
    record = next(e for e in project.api.envs if e.get("gitBranch") == BRANCH)
    record["key"] = "PREVIEW_API_URL"
    plan = project.plan()
    assert f'~ PREVIEW_API_URL (preview:{BRANCH}): update: value "https://api.staging' in plan.out
    assert "type plain → encrypted" in plan.out
    assert project.apply().code == 0
    assert project.api.value_of("PREVIEW_API_URL", "preview", branch=BRANCH) == "x"
    assert project.plan().code == 0


def test_a_git_branch_off_preview_is_bad_input_at_its_key(project: Project) -> None:
    with (project.workdir / "environments" / "staging.toml").open("a") as file:
        file.write('\n[env.PREVIEW_BANNER]\nvalue = "x"\ngit_branch = "feature/x"\n')
    result = project.plan()
    assert result.code == 2
    assert "staging.toml" in result.err and "env.PREVIEW_BANNER.git_branch" in result.err
    assert "git_branch goes with the preview target only" in result.err
    assert len(result.err.strip().splitlines()) == 1

"""Opt-in: plan, apply and plan again against a real, throwaway Vercel project.

Runs only when METERR_E2E_VERCEL_TOKEN and METERR_E2E_VERCEL_PROJECT are set (a token
for a project that exists for this test alone: the test writes its variables); skipped
otherwise, CI included. It writes two variables to the project's preview target and
deletes them again with --prune. The same steps run against the fake API in every
suite, so the opt-in test cannot rot unseen (its model once lacked `project.plan`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.live.vercel_server import FakeVercel

TOKEN = os.environ.get("METERR_E2E_VERCEL_TOKEN", "")
PROJECT = os.environ.get("METERR_E2E_VERCEL_PROJECT", "")


MODEL = """
target = "preview"
[project]
name = "{project}"
plan = "hobby"
next_version = "16.4"
[env.METERR_E2E_PLAIN]
value = "hello"
[env.METERR_E2E_SECRET]
secret = true
min_length = 32
"""


def _scenario(tmp_path: Path, env: dict[str, str], project: str) -> None:
    """Apply two variables to preview, plan again (empty), then prune them."""
    folder = tmp_path / "environments"
    folder.mkdir()
    (folder / "e2e.toml").write_text(MODEL.format(project=project))
    values = tmp_path / "e2e.env"
    values.write_text("METERR_E2E_SECRET=" + os.urandom(24).hex() + "\n")
    args = ("--values", f"dotenv:{values}")
    first = run_cli("apply", "e2e", *args, "--yes", cwd=tmp_path, env=env)
    assert first.code == 0, first.out + first.err
    again = run_cli("plan", "e2e", *args, cwd=tmp_path, env=env)
    assert again.code == 0, again.out
    (folder / "e2e.toml").write_text(MODEL.format(project=project).split("[env.")[0])
    cleaned = run_cli("apply", "e2e", "--prune", "--yes", cwd=tmp_path, env=env)
    assert cleaned.code == 0, cleaned.out + cleaned.err


@pytest.mark.skipif(
    not (TOKEN and PROJECT),
    reason="set METERR_E2E_VERCEL_TOKEN and METERR_E2E_VERCEL_PROJECT to run against Vercel",
)
def test_plan_apply_plan_against_real_vercel(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERCEL_API")}
    _scenario(tmp_path, {**env, "VERCEL_TOKEN": TOKEN}, PROJECT)


def test_the_scenario_itself_runs_against_the_fake(tmp_path: Path) -> None:
    """So the opt-in test cannot rot unseen: the same steps, against the fake API."""
    with FakeVercel() as api:
        env = {k: v for k, v in os.environ.items() if not k.startswith("VERCEL")}
        _scenario(tmp_path, {**env, "VERCEL_TOKEN": api.token, "VERCEL_API_URL": api.url}, "meterr")
        writes = {(r.method, r.path) for r in api.requests if r.method != "GET"}
    assert writes == {
        ("POST", "/v10/projects/prj_meterr/env"),
        ("DELETE", "/v1/projects/prj_meterr/env"),
    }

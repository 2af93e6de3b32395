"""Opt-in: plan, apply and plan again against a real, throwaway Vercel project.

Runs only when METERR_E2E_VERCEL_TOKEN and METERR_E2E_VERCEL_PROJECT are set (a token
for a project that exists for this test alone: the test writes its variables); skipped
otherwise, CI included. It writes two variables to the project's preview target and
deletes them again with --prune.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_cli

TOKEN = os.environ.get("METERR_E2E_VERCEL_TOKEN", "")
PROJECT = os.environ.get("METERR_E2E_VERCEL_PROJECT", "")

pytestmark = pytest.mark.skipif(
    not (TOKEN and PROJECT),
    reason="set METERR_E2E_VERCEL_TOKEN and METERR_E2E_VERCEL_PROJECT to run against Vercel",
)

MODEL = """
target = "preview"
[project]
name = "{project}"
next_version = "16.4"
[env.METERR_E2E_PLAIN]
value = "hello"
[env.METERR_E2E_SECRET]
secret = true
min_length = 32
"""


def test_plan_apply_plan_against_real_vercel(tmp_path: Path) -> None:
    folder = tmp_path / "environments"
    folder.mkdir()
    (folder / "e2e.toml").write_text(MODEL.format(project=PROJECT))
    values = tmp_path / "e2e.env"
    values.write_text("METERR_E2E_SECRET=" + os.urandom(24).hex() + "\n")
    env = {**os.environ, "VERCEL_TOKEN": TOKEN}
    args = ("--values", f"dotenv:{values}")
    first = run_cli("apply", "e2e", *args, "--yes", cwd=tmp_path, env=env)
    assert first.code == 0, first.out + first.err
    again = run_cli("plan", "e2e", *args, cwd=tmp_path, env=env)
    assert again.code == 0, again.out
    (folder / "e2e.toml").write_text(MODEL.format(project=PROJECT).split("[env.")[0])
    cleaned = run_cli("apply", "e2e", "--prune", "--yes", cwd=tmp_path, env=env)
    assert cleaned.code == 0, cleaned.out + cleaned.err

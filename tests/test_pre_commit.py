"""The pre-commit hooks, run by the real pre-commit (from PyPI) on a temporary git repo:
they pass on clean config and fail on drift."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, run_cli

GIT_ID = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_hooks_pass_on_clean_config_and_fail_on_drift(tmp_path: Path) -> None:
    app = tmp_path / "app"
    app.mkdir()
    assert run_cli("-q", "init", cwd=app).code == 0
    rev = _run(["git", "rev-parse", "HEAD"], ROOT, dict(os.environ)).stdout.strip()
    (app / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n"
        "    hooks:\n      - id: meterr-config-check\n      - id: meterr-config-lint\n"
    )
    env = {**os.environ, **GIT_ID, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    pre_commit = str(Path(sys.executable).parent / "pre-commit")
    for command in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "x"]):
        assert _run(command, app, env).returncode == 0

    clean = _run([pre_commit, "run", "--all-files"], app, env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stdout.count("Passed") == 2

    vercel = app / "generated" / "production" / "vercel.json"
    vercel.write_text(vercel.read_text().replace('"DENY"', '"SAMEORIGIN"'))
    drift = _run([pre_commit, "run", "meterr-config-check", "--all-files"], app, env)
    assert drift.returncode == 1
    assert "generated/production/vercel.json differs from the rendered file" in drift.stdout
    assert "X-Frame-Options: SAMEORIGIN → DENY" in drift.stdout

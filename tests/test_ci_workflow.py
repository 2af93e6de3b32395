"""docs/ci/github-actions.yml is a valid workflow whose meterr-config steps all work here."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

from tests.conftest import ROOT

WORKFLOW = ROOT / "docs" / "ci" / "github-actions.yml"


def test_the_workflow_validates_against_schemastore() -> None:
    """check-jsonschema ships SchemaStore's GitHub workflow schema as a builtin."""
    checker = Path(sys.executable).parent / "check-jsonschema"
    args = ["--builtin-schema", "vendor.github-workflows", str(WORKFLOW)]
    result = subprocess.run([checker, *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_meterr_config_step_runs_on_the_bundled_environments(tmp_path: Path) -> None:
    for name in ("environments", "generated", "schemas"):
        shutil.copytree(ROOT / name, tmp_path / name)
    summary = tmp_path / "summary.md"
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "GITHUB_STEP_SUMMARY": str(summary),
        "PATH": bin_dir + os.pathsep + os.environ["PATH"],
    }
    steps = YAML(typ="safe").load(WORKFLOW.read_text())["jobs"]["config"]["steps"]
    commands = [s["run"] for s in steps if "meterr-config " in s.get("run", "")]
    assert len(commands) == 4
    for command in commands:
        result = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, (command, result.stdout, result.stderr)
    assert (tmp_path / "meterr-config.sarif").stat().st_size > 0
    assert "differences" in summary.read_text()

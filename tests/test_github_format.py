"""`--format github` within GitHub's limits: 10 annotations per level, the rest in the log
and, when the step has one, the full report in $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import run_cli


def _folder(tmp_path: Path, rules: int) -> Path:
    folder = tmp_path / "app"
    folder.mkdir()
    headers = [
        {
            "source": f"/api{i}/(.*)",
            "headers": [{"key": "Access-Control-Allow-Origin", "value": "*"}],
        }
        for i in range(rules)
    ]
    (folder / "vercel.json").write_text(json.dumps({"headers": headers}))
    return folder


def test_annotations_stop_at_ten_per_level_and_the_summary_has_them_all(tmp_path: Path) -> None:
    _folder(tmp_path, 14)
    summary = tmp_path / "summary.md"
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary)}
    result = run_cli("lint", "dir:app", "--format", "github", cwd=tmp_path, env=env)
    assert result.code == 1
    lines = result.out.splitlines()
    errors = [line for line in lines if line.startswith("::error")]
    assert len(errors) == 10
    assert sum(line.startswith("::warning") for line in lines) <= 10
    held = [line for line in lines if line.startswith("  ") and "CORS001" in line]
    assert len(held) == 4
    cors = [line for line in errors if "CORS001" in line]
    text = summary.read_text()
    assert text.count("CORS001") >= 14 and len(cors) + len(held) == 14
    assert lines[-1].startswith(("1", "2", "3", "4", "5", "6", "7", "8", "9"))


def test_without_a_summary_file_nothing_is_written(tmp_path: Path) -> None:
    _folder(tmp_path, 2)
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    result = run_cli("lint", "dir:app", "--format", "github", cwd=tmp_path, env=env)
    assert result.code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app"]
    assert "more beyond GitHub's" not in result.out

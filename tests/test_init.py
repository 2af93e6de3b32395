"""`meterr-config init`: a first command that leaves a project `check` and `lint` accept."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import FIXTURES, run_cli


def test_init_in_an_empty_folder_passes_check_and_lint(tmp_path: Path) -> None:
    result = run_cli("init", cwd=tmp_path)
    assert result.code == 0, result.out + result.err
    names = sorted(p.name for p in (tmp_path / "environments").iterdir())
    assert names == ["base.toml", "development.toml", "production.toml", "staging.toml"]
    assert (tmp_path / "schemas" / "environment.schema.json").is_file()
    assert run_cli("check", cwd=tmp_path).code == 0
    lint = run_cli("lint", "--format", "json", cwd=tmp_path)
    assert lint.code == 0, lint.out
    assert {f["severity"] for f in json.loads(lint.out)["findings"]} <= {"warning", "info"}
    assert run_cli("validate", cwd=tmp_path).code == 0


def test_init_never_replaces_a_file(tmp_path: Path) -> None:
    assert run_cli("init", cwd=tmp_path).code == 0
    base = tmp_path / "environments" / "base.toml"
    base.write_text(base.read_text() + "\n# mine\n")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    result = run_cli("init", cwd=tmp_path)
    assert result.code == 0
    assert result.out.strip() == "environments already holds environment files: nothing to do."
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_init_imports_an_existing_vercel_json(tmp_path: Path) -> None:
    (tmp_path / "vercel.json").write_bytes((FIXTURES / "guide" / "vercel.json").read_bytes())
    result = run_cli("init", cwd=tmp_path)
    assert result.code == 0, result.out + result.err
    assert result.out.splitlines()[0] == "importing vercel.json as the production environment"
    assert "production.toml: project.plan: assumed: 'enterprise'" in result.out
    assert [p.name for p in (tmp_path / "environments").iterdir()] == ["production.toml"]
    assert run_cli("check", cwd=tmp_path).code == 0


def test_init_elsewhere_never_renders_over_existing_generated_files(tmp_path: Path) -> None:
    """`init --environments other/` in a project: its generated/ files stay as they are."""
    assert run_cli("init", cwd=tmp_path).code == 0
    before = {p: p.read_bytes() for p in (tmp_path / "generated").rglob("*") if p.is_file()}
    result = run_cli("init", "--environments", "other", cwd=tmp_path)
    assert result.code == 0, result.out + result.err
    assert result.out.splitlines()[-1].startswith(
        "generated already holds development, production, staging: not rendered over"
    )
    assert {p: p.read_bytes() for p in (tmp_path / "generated").rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in (tmp_path / "other").iterdir())[0] == "base.toml"

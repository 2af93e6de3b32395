"""The drift gate end to end: render, then check after edits, deletions and additions."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Runner


def test_render_then_check_is_clean(cli: Runner, workdir: Path) -> None:
    assert cli("render").code == 0
    result = cli("check")
    assert (result.code, result.out.strip()) == (0, "No drift in 3 environments.")
    assert (workdir / "generated" / "production" / "next.config.ts").is_file()
    assert not (workdir / "generated" / "base").exists()  # abstract: never rendered


def test_render_twice_writes_nothing_the_second_time(cli: Runner) -> None:
    cli("render")
    result = cli("render")
    assert result.code == 0
    assert "0 of 12 files changed; 12 unchanged." in result.out


def test_edited_file_is_drift_with_a_diff(cli: Runner, workdir: Path) -> None:
    cli("render")
    path = workdir / "generated" / "production" / "vercel.json"
    path.write_text(path.read_text().replace('"DENY"', '"SAMEORIGIN"'))
    result = cli("check")
    assert result.code == 1
    assert "generated/production/vercel.json differs from the rendered file" in result.out
    assert "  ~ headers > /(.*) > X-Frame-Options: SAMEORIGIN → DENY" in result.out
    doc = json.loads(cli("check", "--format", "json").out)
    (drift,) = doc["files"]
    assert '-          "value": "SAMEORIGIN"' in drift["diff"]
    assert [(c["path"], c["old"], c["new"]) for c in drift["changes"]] == [
        (["vercel.json", "headers", "/(.*)", "X-Frame-Options"], "SAMEORIGIN", "DENY")
    ]


def test_a_text_artifact_drift_is_a_unified_diff(cli: Runner, workdir: Path) -> None:
    cli("render")
    path = workdir / "generated" / "production" / "next.config.ts"
    path.write_text(path.read_text().replace("poweredByHeader: false", "poweredByHeader: true"))
    result = cli("check")
    assert "-  poweredByHeader: true," in result.out
    assert "+  poweredByHeader: false," in result.out


def test_missing_file_is_drift(cli: Runner, workdir: Path) -> None:
    cli("render")
    (workdir / "generated" / "staging" / ".env.example").unlink()
    result = cli("check")
    assert result.code == 1
    assert "generated/staging/.env.example is missing" in result.out


def test_extra_file_and_extra_folder_are_drift(cli: Runner, workdir: Path) -> None:
    cli("render")
    (workdir / "generated" / "staging" / "notes.txt").write_text("hi\n")
    (workdir / "generated" / "qa").mkdir()
    result = cli("check", "--format", "json")
    assert result.code == 1
    doc = json.loads(result.out)
    assert doc["status"] == "drift"
    assert {(f["path"], f["kind"]) for f in doc["files"]} == {
        ("generated/staging/notes.txt", "extra"),
        ("generated/qa", "extra"),
    }


def test_check_one_environment_ignores_other_folders(cli: Runner, workdir: Path) -> None:
    cli("render", "--env", "production")
    assert cli("check", "--env", "production").code == 0
    assert cli("check").code == 1  # development and staging were never rendered


def test_nothing_rendered_yet_is_drift(cli: Runner) -> None:
    result = cli("check", "--format", "json")
    assert result.code == 1
    assert {f["kind"] for f in json.loads(result.out)["files"]} == {"missing"}


def test_secret_pasted_into_env_example_is_redacted_in_the_diff(cli: Runner, workdir: Path) -> None:
    cli("render")
    path = workdir / "generated" / "production" / ".env.example"
    canary = "canary-7d1e4a0f9b2c4e6a8d3f5b7c9e1a2b4c"
    path.write_text(path.read_text().replace("JWT_SECRET=\n", f"JWT_SECRET={canary}\n"))
    for fmt in ("text", "json", "github", "markdown"):
        result = cli("check", "--format", fmt)
        assert result.code == 1
        assert canary not in result.out + result.err
    assert f"JWT_SECRET=<redacted: {len(canary)} chars, sha256:" in cli("check").out


def test_custom_out_folder(cli: Runner, workdir: Path) -> None:
    assert cli("render", "--out", "build/cfg").code == 0
    assert cli("check", "--out", "build/cfg").code == 0
    assert (workdir / "build" / "cfg" / "development" / "vercel.json").is_file()

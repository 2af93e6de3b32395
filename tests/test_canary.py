"""Canary secrets: every command, in every format, never prints or writes a secret value.

Known canary values are supplied every way a value can arrive (a `vercel env pull` file,
the process environment, a hand-edited .env.example, a folder's .env), then stdout,
stderr and every file the commands wrote are searched for them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from meterr_config.reporters import FORMATS
from tests.conftest import Runner

CANARIES = {
    "JWT_SECRET": "cAnArY1-Zq8vX2mP9kL4nR7tW1yB6cD3fH5jK0sA8gE2",
    "ENCRYPTION_KEY": "cAnArY2-e2uI4oQ7xVZq8vX2mP9kL4nR7tW1yB6cD3fH5",
    "DATABASE_URL": "postgresql://app:cAnArY3-Pw9kL4nR7tW1y@db.example.com/meterr",
    "OPENAI_API_KEY": "sk-proj-cAnArY4AbCdEfGhIjKlMnOpT3BlbkFJQrStUvWxYz",
    "CRON_SECRET": "cAnArY5-short",
}
FRAGMENTS = ["cAnArY"]  # every canary holds it; no part of a value may leak


def _leaks(text: str) -> list[str]:
    return [fragment for fragment in FRAGMENTS if fragment in text]


@pytest.fixture
def canary_env(workdir: Path) -> dict[str, str]:
    lines = ["# Created by Vercel CLI"] + [f'{k}="{v}"' for k, v in CANARIES.items()]
    (workdir / "pulled.env").write_text("\n".join(lines) + "\n")
    folder = workdir / "legacy"
    folder.mkdir()
    (folder / ".env").write_text("\n".join(f"{k}={v}" for k, v in CANARIES.items()) + "\n")
    (folder / "vercel.json").write_text('{"framework": "nextjs"}\n')
    # A vercel.json that carries secrets the legacy ways: `env`, and a passthrough key.
    doc = {
        "framework": "nextjs",
        "env": {"JWT_SECRET": CANARIES["JWT_SECRET"]},
        "build": {"env": {"CRON_SECRET": CANARIES["CRON_SECRET"]}},
        "github": {"token": CANARIES["CRON_SECRET"], "hook": CANARIES["ENCRYPTION_KEY"]},
        "alias": [CANARIES["DATABASE_URL"]],
    }
    (workdir / "vercel.legacy.json").write_text(json.dumps(doc))
    return {**os.environ, **CANARIES}


def test_no_command_leaks_a_canary(cli: Runner, workdir: Path, canary_env: dict[str, str]) -> None:
    def run(*args: str) -> None:
        result = cli(*args, env=canary_env)
        assert result.code in (0, 1), (args, result.err)
        assert not _leaks(result.out + result.err), args

    run("render")
    example = workdir / "generated" / "production" / ".env.example"
    example.write_text(
        example.read_text().replace("JWT_SECRET=\n", f"JWT_SECRET={CANARIES['JWT_SECRET']}\n")
    )
    for fmt in FORMATS:
        run("check", "--format", fmt)
        run("validate", "--format", fmt)
        run("lint", "--values", "dotenv:pulled.env", "--format", fmt)
        run("lint", "--values", "process", "--score", "--format", fmt)
        run(
            "lint",
            "staging",
            "production",
            "--values",
            "production=dotenv:pulled.env",
            "--values",
            "staging=dotenv:pulled.env",
            "--format",
            fmt,
        )
        run("lint", "dir:legacy", "--format", fmt)
        run("diff", "dotenv:pulled.env", "dir:legacy", "--format", fmt)
        run("diff", "env:production", "dotenv:pulled.env", "--show-secrets", "--format", fmt)
        run("diff", "staging", "production", "--side-by-side", "--format", fmt)
    run("render")  # restores the tampered file
    project = ("--project", "x", "--plan", "pro", "--next-version", "16.4")
    run("import", "pulled.env", "--env", "from-pull", *project)
    run("import", "legacy/.env", "--env", "from-dotenv", "--out", "-", *project)
    for keep in (("--passthrough",), ()):
        files = ("vercel.legacy.json", "legacy/.env")
        run("import", *files, "--env", "from-json", "--force", *keep, *project)
    run("lint", "from-pull", "from-json", "--values", "dotenv:pulled.env")
    run("schema", "--out", "-")
    run("rules")
    inputs = {workdir / "pulled.env", workdir / "legacy" / ".env", workdir / "vercel.legacy.json"}
    for path in workdir.rglob("*"):
        if path.is_file() and path not in inputs:
            assert not _leaks(path.read_text(errors="replace")), path

"""ENV008: .env values Next.js reads otherwise than they are written, and lines it skips,
reported at their file and line, by name and reason, never with the value."""

from __future__ import annotations

import json
import re
from pathlib import Path

from meterr_config.lint.docs import doc
from meterr_config.lint.rules.environment import DotenvReadDifferently
from tests.conftest import Runner
from tests.lint.snaps import RANDOM


def _env008(cli: Runner, *args: str) -> tuple[int, list[tuple[str | None, str, int]]]:
    """The exit code, and (key, file, line) of each ENV008 finding."""
    result = cli("lint", *args, "--format", "json")
    findings = json.loads(result.out)["findings"]
    found = [(f["key"], f["file"], f["line"]) for f in findings if f["rule"] == "ENV008"]
    return result.code, found


def _block(section: str) -> str:
    """The code block under `section` in ENV008's docstring."""
    found = re.search(f"## {section}\n```sh\n(.*?)```", doc(DotenvReadDifferently()), re.S)
    assert found is not None
    return found.group(1)


def test_the_documented_example_is_reported_and_its_fix_is_not(cli: Runner, workdir: Path) -> None:
    (workdir / "example.env").write_text(_block("Example"))
    (workdir / "fixed.env").write_text(_block("Use instead"))
    assert _env008(cli, "dotenv:example.env") == (
        0,  # warnings
        [
            ("DB_PASSWORD", "example.env", 1),
            ("API_KEY", "example.env", 2),
            ("WINDOWS_PATH", "example.env", 3),
            ("[4]", "example.env", 4),  # JWT_SECRET sk-live-…: no `=`, skipped
        ],
    )
    assert _env008(cli, "dotenv:example.env", "--fail-on", "warning")[0] == 1
    assert _env008(cli, "dotenv:fixed.env")[1] == []


def test_each_reason_is_named_and_no_value_is_shown(cli: Runner, workdir: Path) -> None:
    secret = f"{RANDOM}$$x"
    (workdir / "site").mkdir()
    (workdir / "site" / ".env").write_text(
        f"JWT_SECRET={secret}\nB='\\$x'\nC=\"open\nD=${{PORT:-80}}\nPORT=8080\n"
        "TWITTER_USER=nextjs\nURL=https://x.com/$TWITTER_USER\nE=ok # a comment\n"
    )
    result = cli("lint", "dir:site", "--format", "json")
    messages = {
        f["key"]: f["message"] for f in json.loads(result.out)["findings"] if f["rule"] == "ENV008"
    }
    assert {key: message.split(" ", 2)[1] for key, message in messages.items()} == {
        "JWT_SECRET": "Next.js",  # expands
        "B": "loses",
        "C": "keeps",
        "D": "Next.js",  # the default beats the file's own PORT
    }
    lengths = f"the app reads {len(secret) - 2} characters where {len(secret)} are written"
    assert lengths in messages["JWT_SECRET"]
    assert RANDOM[:12] not in result.out + result.err


def test_only_the_definition_next_takes_is_reported(cli: Runner, workdir: Path) -> None:
    """In a dir: folder, the value of a name in the file it is taken from; a file that
    `vercel env pull` wrote holds Vercel's values, and only its skipped lines count."""
    (workdir / "site").mkdir()
    (workdir / "site" / ".env").write_text("A=abc#def\nB=abc#def\n")
    (workdir / "site" / ".env.local").write_text("A=fine\n")
    (workdir / "site" / ".env.production").write_text(
        '# Created by Vercel CLI\nC="pa$$w0rd"\nnot a line\n'
    )
    assert _env008(cli, "dir:site") == (
        0,
        [("B", str(Path("site") / ".env"), 2), ("[3]", str(Path("site") / ".env.production"), 3)],
    )

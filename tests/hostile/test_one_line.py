"""Issue 16, point 6: one line, really. A name from the repository (a committed file,
a folder given on the command line) is shown with its newlines and control characters
escaped, so an error stays on one line and no output line can start a GitHub workflow
command. On c4eba5f a file named `.env⏎::error file=…::` in a generated folder put a
forged annotation on a line of its own, and a newline in a path split the error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Runner

FORGED = "::error file=page.tsx,line=1::forged"


def _lines(text: str) -> list[str]:
    return text.splitlines()


# json and sarif escape a newline inside a string by construction; these print lines.
@pytest.mark.parametrize("fmt", ["text", "github", "markdown"])
def test_a_committed_file_name_cannot_start_a_workflow_command(
    cli: Runner, workdir: Path, fmt: str
) -> None:
    assert cli("render").code == 0
    (workdir / "generated" / "production" / f".env\n{FORGED}").write_text("A=1\n")
    result = cli("check", "--format", fmt)
    assert result.code == 1
    assert not [
        line for line in _lines(result.out + result.err) if line.startswith("::error file=page")
    ]
    assert ".env\\n::error" in result.out  # shown, escaped


@pytest.mark.parametrize(
    "name", ["no\nsuch", "no\rsuch", "no\u2028such", "no\x1b[2Jsuch", "no\x85such"]
)
def test_an_error_naming_a_path_is_one_line(cli: Runner, name: str) -> None:
    result = cli("lint", f"dir:{name}")
    assert result.code == 2
    assert len(result.err.splitlines()) == 1
    assert result.err.startswith("meterr-config: error: no\\")
    assert "\x1b" not in result.err and "\u2028" not in result.err


def test_an_unreadable_path_is_one_line(cli: Runner, workdir: Path) -> None:
    folder = workdir / "a\nb.env"
    folder.mkdir()
    result = cli("lint", "production", "--values", "dotenv:a\nb.env")
    assert result.code == 2
    assert len(result.err.splitlines()) == 1, result.err

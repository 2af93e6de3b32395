"""The in-process runner behind the `cli` fixture: it says what a process says, and a run
leaves nothing behind (environment, working folder, verbosity, argv) for the next one."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from meterr_config import verbosity
from meterr_config.commands import rules
from tests.conftest import Runner, run_cli, run_process

AGREEING = [
    ("rules",),
    ("check", "--format", "json"),  # drift: nothing rendered yet
    ("lint", "--format", "yaml"),  # a usage error
    ("diff", "staging", "production"),
    ("validate", "--format", "sarif"),
    ("render", "--env", "base"),  # bad input
]


def test_a_run_in_process_says_what_a_process_says(workdir: Path) -> None:
    inside = [run_cli(*args, cwd=workdir) for args in AGREEING]
    alone = [run_process(*args, cwd=workdir) for args in AGREEING]
    assert [r.code for r in inside] == [0, 1, 2, 0, 0, 2]
    assert inside == alone


def test_env_is_the_whole_environment_of_the_run_only(
    cli: Runner, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As subprocess's env=: a variable of this process left out of `env` is not seen,
    one only in `env` is, and afterwards the environment is this process's again."""
    monkeypatch.setenv("VERCEL_TOKEN", "tok_outside")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    before = dict(os.environ)
    without = {k: v for k, v in os.environ.items() if k != "VERCEL_TOKEN"}
    result = cli("diff", "production", "vercel:meterr", env=without)
    assert (result.code, result.err) == (
        2,
        "meterr-config: error: VERCEL_TOKEN is not set: the vercel: source needs an access token\n",
    )
    summary = workdir / "summary.md"
    result = cli("lint", "--format", "github", env={**without, "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.code == 0 and summary.is_file()
    assert dict(os.environ) == before


def test_what_a_command_changes_globally_is_undone(
    cli: Runner, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def meddling(rule_id: str | None, fmt: str) -> int:
        os.environ["METERR_LEAKED"] = "1"
        os.environ.pop("HOME", None)
        os.chdir("/")
        sys.argv.append("--leaked")
        verbosity.set_level(verbosity.QUIET)
        return 0

    monkeypatch.setattr(rules, "run", meddling)
    before = (dict(os.environ), Path.cwd(), list(sys.argv), signal.getsignal(signal.SIGTERM))
    assert cli("rules").code == 0
    after = (dict(os.environ), Path.cwd(), list(sys.argv), signal.getsignal(signal.SIGTERM))
    assert after == before
    assert not verbosity.quiet()


def test_quiet_ends_with_its_run_even_when_parsing_fails(cli: Runner) -> None:
    """`-q` is set by the root callback before the subcommand's options are parsed."""
    assert cli("-q", "render", "--bogus").code == 2
    assert not verbosity.quiet()
    assert cli("-q", "render").out == ""
    assert "0 of 12 files changed; 12 unchanged." in cli("render").out


def test_an_exception_escaping_main_fails_the_test(
    cli: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process would print a traceback; in-process the exception itself is raised."""

    def broken(rule_id: str | None, fmt: str) -> int:
        raise ValueError("a bug")

    monkeypatch.setattr(rules, "run", broken)
    result = cli("rules")  # main() turns a bug into one line, as for a user
    assert result.code == 2
    assert result.err.startswith("meterr-config: internal error: ValueError (a bug:")
    with pytest.raises(ValueError, match="a bug"):
        cli("rules", env={**os.environ, "METERR_CONFIG_DEBUG": "1"})

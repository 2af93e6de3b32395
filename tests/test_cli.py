"""The command-line surface: help, version, module entry point and the format registry."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest
import typer.core
import typer.main

from meterr_config import __version__
from meterr_config.cli import app
from meterr_config.reporters import FORMATS, REPORTERS, FormatName
from tests.conftest import ROOT, Runner, run_process


def test_registry_and_cli_choices_agree() -> None:
    assert tuple(REPORTERS) == FORMATS == get_args(FormatName)


COMMANDS = [
    "render",
    "check",
    "validate",
    "lint",
    "diff",
    "plan",
    "apply",
    "status",
    "init",
    "import",
    "rules",
    "schema",
    "flags",
]
# One line of the help's "Commands:" section: two spaces, the name, its short help.
COMMAND_LINE = re.compile(r"  (?P<name>[a-z]+) {2,}(?P<help>\S.*)")


def test_help_lists_the_commands(cli: Runner) -> None:
    """The "Commands:" section itself (the app's description names some commands too):
    every command the app registers, in its order, once, each with its own help line."""
    result = cli("--help")
    assert result.code == 0
    _, section = result.out.split("\nCommands:\n")  # the section is last
    lines = section.rstrip("\n").split("\n")
    matches = [COMMAND_LINE.fullmatch(line) for line in lines]
    assert all(matches), lines  # one line each, nothing else in the section
    listed = {m["name"]: m["help"] for m in matches if m}
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    registered = group.commands
    assert list(listed) == list(registered) == COMMANDS
    assert len(lines) == len(COMMANDS)  # none listed twice
    for name, shown in listed.items():
        summary = " ".join((registered[name].help or "").split())
        assert len(shown) > 20 and summary.startswith(shown.removesuffix("...")), name


def test_version(cli: Runner) -> None:
    assert cli("--version").out.strip() == f"meterr-config {__version__}"


def test_console_script_is_installed() -> None:
    script = ROOT / ".venv" / "bin" / "meterr-config"
    exe = str(script) if script.exists() else "meterr-config"
    proc = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
    assert proc.stdout.strip() == f"meterr-config {__version__}"


def test_unknown_format_is_a_usage_error(cli: Runner) -> None:
    result = cli("validate", "--format", "xml")
    assert result.code == 2
    assert "Traceback" not in result.err


def test_json_reports_are_versioned_with_a_status(cli: Runner) -> None:
    validate = json.loads(cli("validate", "--format", "json").out)
    assert (validate["version"], validate["status"]) == (1, "pass")
    cli("render")
    check = json.loads(cli("check", "--format", "json").out)
    assert (check["version"], check["status"], check["files"]) == (1, "clean", [])


def test_module_entry_point(workdir: Path) -> None:
    """`python -m meterr_config` runs the CLI (the in-process runner calls main() itself)."""
    result = run_process("--help", cwd=workdir)
    assert result.code == 0
    assert "Usage: meterr-config" in result.out


def test_usage_errors_are_one_line_and_exit_2(cli: Runner) -> None:
    for args in (("validate", "--bogus"), ("nothing",), ("render", "--env")):
        result = cli(*args)
        assert result.code == 2, args
        assert len(result.err.splitlines()) == 1, result.err
        assert result.err.startswith("meterr-config: error: ")


def test_no_command_prints_help_and_exits_2(cli: Runner) -> None:
    result = cli()
    assert result.code == 2
    assert "Usage: meterr-config" in result.out


def test_abstract_environment_cannot_be_selected(cli: Runner) -> None:
    result = cli("render", "--env", "base")
    assert result.code == 2
    assert result.err == (
        "meterr-config: error: environments/base.toml: "
        "'base' is abstract (a parent only) and is never rendered\n"
    )


def test_a_closed_pipe_is_not_an_error(workdir: Path) -> None:
    proc = subprocess.run(
        f"{sys.executable} -m meterr_config rules | head -1",
        shell=True,
        cwd=workdir,
        capture_output=True,
        text=True,
    )
    assert proc.stderr == ""
    assert proc.stdout.startswith("CORS001")


def test_bad_input_in_sarif_is_a_valid_log_with_the_error(cli: Runner, workdir: Path) -> None:
    path = workdir / "environments" / "production.toml"
    path.write_text(path.read_text().replace("allowed_origins", "alowed_origins"))
    result = cli("lint", "--format", "sarif")
    assert result.code == 2
    (run,) = json.loads(result.out)["runs"]
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"].startswith("environments/production.toml:7: cors.alowed_origins")
    assert note["locations"][0]["physicalLocation"]["region"] == {"startLine": 7}


@pytest.mark.parametrize(
    ("args", "unwanted"),
    [
        (("render",), ("deepdiff", "httpx", "psycopg")),
        (
            ("check",),
            (
                "deepdiff",
                "httpx",
                "psycopg",
                "jsonschema",
                "meterr_config.diff.engine",
                "typer",
                "importlib.metadata",
            ),
        ),
        (("check", "--format", "json"), ("rich.console", "httpx")),
        (("--help",), ("pydantic", "rich.console", "httpx", "deepdiff", "psycopg")),
        (("lint", "production"), ("psycopg",)),
    ],
)
def test_a_command_imports_only_what_it_needs(
    args: tuple[str, ...], unwanted: tuple[str, ...]
) -> None:
    """Start-up is most of a CI step's time: no HTTP client for check, no rich for JSON."""
    probe = (
        "import sys, runpy; sys.argv = ['meterr-config', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('meterr_config', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    loaded = set(proc.stderr.split())
    assert loaded, proc.stderr
    assert [name for name in unwanted if name in loaded] == []


def test_shell_completion_offers_environment_names(cli: Runner) -> None:
    """`--install-completion` sets this up; the shell then asks the command like this."""
    import os

    def complete(words: str) -> list[str]:
        env = {
            **os.environ,
            "_METERR_CONFIG_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        }
        return cli(env=env).out.split()

    assert complete("meterr-config render --env ") == [
        "base",
        "development",
        "production",
        "staging",
    ]
    assert complete("meterr-config check --env pr") == ["production"]
    assert complete("meterr-config diff stag") == ["staging"]
    assert complete("meterr-config lint env:d") == ["env:development"]
    assert complete("meterr-config diff production d") == ["development", "dir:", "dotenv:", "db:"]


def test_quiet_shows_only_what_needs_attention(cli: Runner) -> None:
    assert cli("-q", "render").out == ""
    assert cli("-q", "check").out == ""
    assert cli("-q", "diff", "staging", "production").out == ""  # all expected
    lint = cli("-q", "lint")
    assert lint.code == 0
    lines = [line for line in lint.out.splitlines() if line.strip()]
    assert lines and all("info" not in line for line in lines)
    assert any("HDR005   warning" in line for line in lines)
    assert not any(line.endswith("in 3 environments.") for line in lines)


def test_verbose_says_what_was_read_on_stderr(cli: Runner) -> None:
    result = cli("-v", "render")
    assert result.code == 0
    assert "unchanged." in result.out
    assert any(
        line.startswith(
            "meterr-config: production: from environments/base.toml, "
            "environments/production.toml in "
        )
        for line in result.err.splitlines()
    )
    lint = cli("-v", "lint", "production")
    assert "meterr-config: production: read and linted in " in lint.err

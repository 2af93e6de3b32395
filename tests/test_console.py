"""`check` without typer: the same bytes and exit code as through typer, or typer decides.

`__main__.main` runs a plain `check` through `console.check_arguments` for start-up time;
every command line it takes must behave exactly as typer's path (`cli.main`) does, and
every one it cannot read exactly must be left to typer.
"""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meterr_config import __main__ as entry
from meterr_config import cli, console
from tests.conftest import ENVIRONMENTS
from tests.inprocess import run_main


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled environments rendered, then one file changed: check finds drift."""
    root = tmp_path_factory.mktemp("console")
    shutil.copytree(ENVIRONMENTS, root / "environments")
    assert run_main(["render"], root).code == 0
    staging = root / "generated" / "staging" / "vercel.json"
    staging.write_text(staging.read_text().replace('"iad1"', '"sfo1"'))
    return root


def _both(argv: list[str], cwd: Path) -> tuple[tuple[object, str, str], tuple[object, str, str]]:
    fast = run_main(argv, cwd, entry=entry.main)
    typer = run_main(argv, cwd, entry=cli.main)
    assert fast.error is None and typer.error is None
    return (fast.code, fast.out, fast.err), (typer.code, typer.out, typer.err)


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["check"], 1),
        (["check", "--env", "production"], 0),
        (["check", "-e", "staging", "-e", "production", "--format", "json"], 1),
        (["check", "--format=sarif"], 1),
        (["check", "-f", "github", "--env=staging"], 1),
        (["check", "--format", "markdown"], 1),
        (["check", "--env", "nope"], 2),
        (["check", "--env", "nope", "--format", "json"], 2),
        (["check", "--environments", "missing", "-f", "sarif"], 2),
        (["check", "--out", "elsewhere", "--env", "production"], 1),
    ],
)
def test_a_plain_check_runs_without_typer_and_prints_the_same(
    project: Path, argv: list[str], code: int
) -> None:
    assert console.check_arguments(argv) is not None
    fast, typer = _both(argv, project)
    assert fast == typer
    assert fast[0] == code


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--version"],
        ["-q", "check"],
        ["check", "--help"],
        ["check", "-h"],
        ["check", "--format", "yaml"],
        ["check", "-fjson"],
        ["check", "-e=production"],
        ["check", "--env"],
        ["check", "--env="],
        ["check", "--env", "--format", "json"],
        ["check", "--bogus"],
        ["check", "production"],
        ["check", "--", "--env"],
    ],
)
def test_anything_else_is_left_to_typer(project: Path, argv: list[str]) -> None:
    assert console.check_arguments(argv) is None
    fast, typer = _both(argv, project)
    assert fast == typer


WORDS = st.sampled_from(
    [
        "--env",
        "-e",
        "production",
        "staging",
        "nope",
        "--format",
        "-f",
        "json",
        "text",
        "github",
        "yaml",
        "--format=json",
        "--env=staging",
        "--environments",
        "environments",
        "missing",
        "--out",
        "generated",
        "-q",
        "",
    ]
)


@settings(max_examples=40, deadline=None)
@given(rest=st.lists(WORDS, max_size=5))
def test_any_check_command_line_prints_what_typer_prints(project: Path, rest: list[str]) -> None:
    fast, typer = _both(["check", *rest], project)
    assert fast == typer


def test_the_process_leaves_its_objects_to_the_operating_system(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """serve freezes the collector once the command is done and its output flushed:
    interpreter shutdown then skips collections over what pydantic built (bench/startup)."""
    frozen: list[str] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append("frozen"))
    run = run_main(["check", "--env", "production"], project, entry=entry.main)
    assert (run.code, run.error, frozen) == (0, None, ["frozen"])

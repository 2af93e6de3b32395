"""Shared fixtures: the repository's paths, loaded environments and CLI runners.

`run_cli` (and the `cli` fixture) runs the command line in this process, through the
console script's entry point (tests/inprocess.py): some 20 times faster than a process.
`run_process` starts `python -m meterr_config` as a user would, for what only a real
process shows: the console script itself, a terminal, signals, a closed pipe, and which
modules a command imports.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest

from meterr_config.load import LoadedEnvironment, Loader
from tests.inprocess import run_main

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ROOT / "environments"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass(frozen=True)
class Result:
    """What a CLI run produced."""

    code: int
    out: str
    err: str


class Runner(Protocol):
    """The `cli` fixture: run the CLI with these arguments in the scratch project."""

    def __call__(self, *args: str, env: Mapping[str, str] | None = None) -> Result: ...


def run_cli(*args: str, cwd: Path, env: Mapping[str, str] | None = None) -> Result:
    """Run `meterr-config ARGS` in `cwd`, in this process, as the console script would.

    `env`, like subprocess's env=, is the whole environment of the run (None: this
    process's); it is restored afterwards. An exception escaping `main()` (which a
    process would print as a traceback) is raised here, so the test fails on it.
    """
    run = run_main(args, cwd, env)
    if run.error is not None:
        raise run.error
    err = run.err
    if run.code is not None and not isinstance(run.code, int):
        err += f"{run.code}\n"  # as the interpreter prints SystemExit("message")
    return Result(run.exit_status, run.out, err)


def run_process(*args: str, cwd: Path, env: Mapping[str, str] | None = None) -> Result:
    """Run `python -m meterr_config ARGS` in `cwd` in a process of its own."""
    proc = subprocess.run(
        [sys.executable, "-m", "meterr_config", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A scratch project holding a copy of the bundled environments."""
    shutil.copytree(ENVIRONMENTS, tmp_path / "environments")
    return tmp_path


@pytest.fixture
def cli(workdir: Path) -> Runner:
    """Run the CLI in-process inside `workdir`."""

    def run(*args: str, env: Mapping[str, str] | None = None) -> Result:
        return run_cli(*args, cwd=workdir, env=env)

    return run


def load(name: str, directory: Path = ENVIRONMENTS) -> LoadedEnvironment:
    """Load one environment."""
    return Loader(directory).load(name)


def big_environment(workdir: Path, entry: str, count: int) -> Path:
    """production.toml of `workdir` grown to just under 1 MB (the most meterr-config
    reads) by `count` copies of `entry`, formatted with `i`."""
    path = workdir / "environments" / "production.toml"
    text = path.read_text() + "\n" + "".join(entry.format(i=i) for i in range(count))
    path.write_text(text)
    assert 900_000 <= len(text.encode()) <= 1_000_000
    return path

"""Shared fixtures: the repository's paths, loaded environments and a CLI runner."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from meterr_config.load import LoadedEnvironment, Loader

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ROOT / "environments"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass(frozen=True)
class Result:
    """What a CLI run produced."""

    code: int
    out: str
    err: str


Runner = Callable[..., Result]


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Result:
    """Run `python -m meterr_config ARGS` in `cwd`, as a user would."""
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
    """Run the CLI inside `workdir`."""
    return lambda *args, env=None: run_cli(*args, cwd=workdir, env=env)


def load(name: str, directory: Path = ENVIRONMENTS) -> LoadedEnvironment:
    """Load one environment."""
    return Loader(directory).load(name)

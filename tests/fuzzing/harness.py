"""Run a command line in-process, exactly as the `meterr-config` script would, and check
the CLI contract: exit 0, 1 or 2; no traceback; on exit 2 a single line on stderr; and no
file changed except what a successful `render` writes.

In-process because a subprocess per example costs about 0.5 s of start-up, and 10,000
examples must fit in minutes. tests/inprocess.py runs `cli.main()` and restores
everything the CLI sets globally (the working folder, sys.argv, the environment, the
verbosity level, the SIGTERM handler, typer's excepthook) after each run, so runs are
independent of each other and of their order.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pkgutil
import re
import shutil
import tempfile
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import meterr_config
from tests.fuzzing.strategies import Case
from tests.fuzzing.vocabulary import ENVIRONMENTS
from tests.inprocess import run_main

TIMEOUT = 10.0  # seconds: longer is a hang (inprocess.Hang), as far as the fuzzer goes
EXITS = (0, 1, 2)
ONE_LINE_ERROR = re.compile(r"meterr-config: error: [^\n]*\n?")
# METERR_CONFIG_DEBUG lets a bug escape main() with its traceback instead of the one-line
# "internal error", so a failure says where it is. The tools folder does not exist, so no
# code path finds Next.js or the Vercel CLI and spawns node. Nothing reaches the
# Vercel API, and GitHub's job summary is not appended to.
ENVIRONMENT: dict[str, str | None] = {
    "METERR_CONFIG_DEBUG": "1",
    "METERR_CONFIG_TOOLS": "/nonexistent/meterr-config-fuzz-tools",
    "VERCEL_TOKEN": None,
    "VERCEL_TEAM_ID": None,
    "VERCEL_API_URL": "http://127.0.0.1:9",
    "GITHUB_STEP_SUMMARY": None,
}


@dataclass(frozen=True)
class Outcome:
    """What one command line did."""

    argv: tuple[str, ...]
    code: int | str | None  # SystemExit's code; None when main() returned or raised
    out: str
    err: str
    error: str | None  # the traceback of an exception that escaped main()
    seconds: float
    kind: str | None = None  # that exception's type
    where: str | None = None  # the innermost meterr_config frame it passed through

    def problems(self) -> list[str]:
        """How this run breaks the CLI contract; empty when it keeps it."""
        if self.error is not None:
            return [f"{self.kind} escaped main() at {self.where}"]
        problems = []
        if self.code not in EXITS:
            problems.append(f"exit {self.code!r}, not 0, 1 or 2")
        if "Traceback (most recent call last)" in self.out + self.err:
            problems.append("a traceback in the output")
        if self.code == 2 and not ONE_LINE_ERROR.fullmatch(self.err):
            lines = len(self.err.splitlines())
            problems.append(f"exit 2 with {lines} lines on stderr, not one 'error:' line")
        return problems


class ContractError(AssertionError):
    """A case broke the contract: the problems, the reproducer and what the run printed."""

    def __init__(self, case: Case, outcome: Outcome, problems: list[str]) -> None:
        self.case = case
        self.outcome = outcome
        self.problems = problems
        if outcome.error is not None:  # its innermost frames and the message
            said = "--- traceback, last lines\n" + "\n".join(outcome.error.splitlines()[-7:])
        else:
            said = f"exit {outcome.code!r}\n--- stderr\n{outcome.err[-2000:]}"
        super().__init__(f"{'; '.join(problems)}\n{case.reproducer()}\n{said}")

    @property
    def signature(self) -> str:
        """What makes two failures the same bug: an exception's type and where in the
        package it was raised, or the kind of problem and the command."""
        if self.outcome.error is not None:
            return self.problems[0]
        problem = re.sub(r"with \d+ lines", "with N lines", self.problems[0])
        return f"{problem.split(':')[0].split(',')[0]} ({command_name(self.case.argv)})"


def _innermost_package_frame(tb: TracebackType | None) -> str | None:
    """`file:line` of the deepest frame inside meterr_config: where the bug surfaced."""
    where = None
    for frame, line in traceback.walk_tb(tb):
        parts = Path(frame.f_code.co_filename).parts
        if "meterr_config" in parts:
            where = "/".join(parts[parts.index("meterr_config") :]) + f":{line}"
    return where


def _environment() -> dict[str, str]:
    """The current environment with ENVIRONMENT's overrides: what a fuzzed command sees."""
    env = dict(os.environ)
    for name, value in ENVIRONMENT.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run_cli(argv: Sequence[str], cwd: Path, timeout: float = TIMEOUT) -> Outcome:
    """Run `meterr-config ARGV` in `cwd` through `cli.main()`, capturing its output."""
    run = run_main(argv, cwd, _environment(), timeout)
    error = kind = where = None
    if run.error is not None:  # a bug, or Hang
        exc = run.error
        error = "".join(traceback.format_exception(exc))
        kind = type(exc).__name__
        where = _innermost_package_frame(exc.__traceback__)
    return Outcome(tuple(argv), run.code, run.out, run.err, error, run.seconds, kind, where)


def _tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes: the project is small."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def command_name(argv: Sequence[str]) -> str:
    """The subcommand: the first argument that is not an option (`-q` may come first)."""
    return next((arg for arg in argv if not arg.startswith("-")), "")


def _import_package() -> None:
    """Import every meterr_config module now. Hypothesis also draws constants found in the
    local modules loaded so far, so a module the CLI imports lazily halfway through would
    change every later example, and a second run with the same seed (bench/fuzz.py's, to
    shrink a failure) would not meet the same examples."""
    for module in pkgutil.walk_packages(meterr_config.__path__, "meterr_config."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)


class Project:
    """A scratch project: the bundled environments and the files `render` makes of them.
    Made once; each case runs in a fresh copy, so no case sees another's files."""

    def __init__(self, root: Path) -> None:
        _import_package()
        self.template = root / "template"
        shutil.copytree(ENVIRONMENTS, self.template / "environments")
        rendered = run_cli(["render"], self.template)
        if rendered.code != 0 or rendered.error:
            raise RuntimeError(f"the bundled environments do not render: {rendered}")

    @contextlib.contextmanager
    def copy(self) -> Iterator[Path]:
        """A fresh copy of the template, removed afterwards."""
        with tempfile.TemporaryDirectory(prefix="fuzz-") as scratch:
            root = Path(scratch) / "project"
            shutil.copytree(self.template, root, symlinks=True)
            yield root

    def run(self, case: Case) -> Outcome:
        """Write the case's files into a fresh copy, run its command, check the contract;
        raise ContractError when it is broken."""
        with self.copy() as root:
            for relative, data in case.files:
                path = root / relative
                if data is None:
                    path.unlink(missing_ok=True)
                else:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
            before = _tree(root)
            outcome = run_cli(case.argv, root)
            after = _tree(root)
        problems = outcome.problems()
        if command_name(case.argv) == "render" and outcome.code == 0:
            # a successful render writes generated/ and nothing else
            before = {k: v for k, v in before.items() if not k.startswith("generated/")}
            after = {k: v for k, v in after.items() if not k.startswith("generated/")}
        if before != after:
            changed = sorted(
                k for k in before.keys() | after.keys() if before.get(k) != after.get(k)
            )
            problems.append(f"files changed: {', '.join(changed[:5])}")
        if problems:
            raise ContractError(case, outcome, problems)
        return outcome

"""Run a command line in-process, exactly as the `meterr-config` script would, and check
the CLI contract: exit 0, 1 or 2; no traceback; on exit 2 a single line on stderr; no
file changed except what a successful `render` or `init` writes; and nothing outside the
project read into the output or changed (tests/fuzzing/files.py plants the links).

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
import socket
import stat
import tempfile
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import meterr_config
from tests.fuzzing.files import FRESH, OUTSIDE, OUTSIDE_FILES, OUTSIDE_SECRET, Planted
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


def _entry(path: Path) -> bytes | str | None:
    """What is at `path`, never following a link nor opening a FIFO: a file's bytes, a
    link's target, a special file's kind; None for a folder."""
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode):
        return f"symlink to {path.readlink()}"
    if stat.S_ISREG(mode):
        return path.read_bytes()
    return None if stat.S_ISDIR(mode) else f"special file {stat.filemode(mode)}"


def _tree(root: Path) -> dict[str, bytes | str]:
    """Every file, link and special file under `root`, links not followed: the project
    is small."""
    tree = {}
    for folder, folders, files in os.walk(root):  # does not descend into linked folders
        for name in [*folders, *files]:
            path = Path(folder) / name
            if (entry := _entry(path)) is not None:
                tree[str(path.relative_to(root))] = entry
    return dict(sorted(tree.items()))


def _target(root: Path, link: Path, target: str) -> str:
    """Where a planted link points (see files.Planted): @outside, @inside/…, @self."""
    if target.startswith(f"@{OUTSIDE}"):
        return str(root.parent / OUTSIDE) + target.removeprefix(f"@{OUTSIDE}")
    if target.startswith("@inside/"):
        return os.path.relpath(root / target.removeprefix("@inside/"), link.parent)
    return link.name if target == "@self" else target


def _plant(root: Path, relative: str, data: bytes | Planted | None) -> None:
    """Write, delete or plant one entry of a case. Nothing is made through a link an
    earlier entry planted: that entry is skipped."""
    path = root / relative
    if any(p.is_symlink() for p in path.parents if p.is_relative_to(root)):
        return
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()
    if data is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    elif data.kind == "link":
        path.symlink_to(_target(root, path, data.target))
    elif data.kind == "fifo":
        os.mkfifo(path)
    else:
        with socket.socket(socket.AF_UNIX) as server:  # the socket file stays
            server.bind(str(path))


def _may_write(argv: Sequence[str], code: int | str | None) -> tuple[str, ...]:
    """The folders a run may write in: a successful render's generated/; init's own
    when it did not fail on input (exit 1 is an import with something not carried over,
    whose file is still written, as `import` does)."""
    if command_name(argv) == "render" and code == 0:
        return ("generated/",)
    if command_name(argv) == "init" and code in (0, 1):
        return (*(f"{folder}/" for folder in FRESH), "schemas/")
    return ()


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
        """A fresh copy of the template, and beside it the folder outward links point
        into (files.OUTSIDE_FILES); both removed afterwards."""
        with tempfile.TemporaryDirectory(prefix="fuzz-") as scratch:
            root = Path(scratch) / "project"
            shutil.copytree(self.template, root, symlinks=True)
            (Path(scratch) / OUTSIDE).mkdir()
            for name, data in OUTSIDE_FILES.items():
                (Path(scratch) / OUTSIDE / name).write_bytes(data)
            yield root

    def run(self, case: Case) -> Outcome:
        """Write the case's files into a fresh copy, run its command, check the contract;
        raise ContractError when it is broken."""
        with self.copy() as root:
            for relative, data in case.files:
                _plant(root, relative, data)
            before, outside = _tree(root), _tree(root.parent / OUTSIDE)
            outcome = run_cli(case.argv, root)
            after = _tree(root)
            problems = outcome.problems()
            if _tree(root.parent / OUTSIDE) != outside:
                problems.append("a file outside the project changed")
        if OUTSIDE_SECRET in outcome.out + outcome.err:
            problems.append("printed a file outside the project")
        # render and init write in their folders (see _may_write), and nowhere else
        written = _may_write(case.argv, outcome.code)
        before = {k: v for k, v in before.items() if not k.startswith(written)}
        after = {k: v for k, v in after.items() if not k.startswith(written)}
        if before != after:
            changed = sorted(
                k for k in before.keys() | after.keys() if before.get(k) != after.get(k)
            )
            problems.append(f"files changed: {', '.join(changed[:5])}")
        if problems:
            raise ContractError(case, outcome, problems)
        return outcome

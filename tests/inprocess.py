"""Run the command line in this process, exactly as the `meterr-config` script would.

A subprocess per run costs about a quarter of a second of interpreter start-up and
imports; calling `cli.main()` here costs 5 to 45 ms. To be worth trusting, a run must see
what a fresh process sees and leave nothing behind for the next one, so everything the
CLI reads or sets globally is set for the run and restored after it:

- the working folder and `sys.argv`;
- the environment: `env`, when given, replaces `os.environ` for the run, as `env=` does for
  a subprocess (the package reads `os.environ`: tokens, NO_COLOR, GITHUB_STEP_SUMMARY,
  PATH for node, METERR_CONFIG_TOOLS); whatever a run changes in it is undone;
- the verbosity level (a module global set by `-q`/`-v`), reset before and after;
- the SIGTERM handler `main()` installs and typer's `sys.excepthook`;
- the collector: `main()` freezes every object before it exits (`console.serve`), which
  here would keep the test run's garbage for good, so it is unfrozen after each run;
- stdout and stderr: UTF-8 byte streams like a real pipe's (stdout strict, so a lone
  surrogate fails as it would there; stderr backslashreplace), which are not terminals,
  so colour and spinners stay off and help is wrapped to 80 columns, as in a pipe;
- the recursion headroom of a fresh interpreter, so the test runner's own frames do not
  make deep input fail here that passes in real use, or the reverse.

The package's module-level caches (`functools.cache` on schemas, compiled patterns and
the regex analysis) depend on their arguments only, never on the working folder or the
environment, so they may outlive a run. typer rebuilds the click command from the
annotations on every call (about 30 ms, most of a run); the script builds it once per
process, so it is built once here too.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any
from unittest import mock

import typer.main

from meterr_config import cli, redact, verbosity

RECURSION_LIMIT = sys.getrecursionlimit()  # as the script starts with


class Hang(BaseException):
    """A command ran past its deadline. A BaseException, so that main()'s catch-all for
    bugs does not turn it into an exit code."""


@dataclass(frozen=True)
class Run:
    """What one in-process run of `main()` did."""

    code: int | str | None  # SystemExit's code; None when main() returned or raised
    out: str
    err: str
    error: BaseException | None  # an exception that escaped main(), or Hang
    seconds: float

    @property
    def exit_status(self) -> int:
        """The status a process would exit with: SystemExit(None) is 0, an int is itself,
        anything else (a message, printed on stderr) is 1."""
        if self.code is None:
            return 0
        return self.code if isinstance(self.code, int) else 1


_command: Any = None  # the click command typer builds from `cli.app`, built once
_build_command: Callable[[typer.Typer], Any] = typer.main.get_command


def _cached_command(app: typer.Typer) -> Any:
    """typer.main.get_command, built once for the CLI's own app."""
    global _command
    if app is not cli.app:
        return _build_command(app)
    if _command is None:
        _command = _build_command(app)
    return _command


@contextlib.contextmanager
def _environment(env: Mapping[str, str] | None) -> Iterator[None]:
    """`env` as the whole environment (None: the current one); the current one restored
    after, whatever the run changed."""
    saved = dict(os.environ)
    try:
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        yield
    finally:
        if dict(os.environ) != saved:
            os.environ.clear()
            os.environ.update(saved)


@contextlib.contextmanager
def _isolated(argv: Sequence[str], cwd: Path, env: Mapping[str, str] | None) -> Iterator[None]:
    """The process state main() reads or changes, set for one run and restored after."""
    saved_cwd, saved_argv, saved_hook = Path.cwd(), sys.argv, sys.excepthook
    saved_term = signal.getsignal(signal.SIGTERM)
    os.chdir(cwd)
    sys.argv = ["meterr-config", *argv]
    verbosity.set_level(verbosity.NORMAL)  # as in a fresh process, should parsing fail
    redact.forget_all()  # a fresh process remembers no secret of an earlier run
    try:
        with mock.patch.object(typer.main, "get_command", _cached_command), _environment(env):
            yield
    finally:
        verbosity.set_level(verbosity.NORMAL)
        redact.forget_all()
        signal.signal(signal.SIGTERM, saved_term)
        sys.excepthook, sys.argv = saved_hook, saved_argv
        os.chdir(saved_cwd)


@contextlib.contextmanager
def _deadline(seconds: float | None) -> Iterator[None]:
    """Raise Hang in the main thread after `seconds` (no limit for None, or in another
    thread, where SIGALRM cannot be handled)."""
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"still running after {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _stack_depth() -> int:
    frame: FrameType | None = sys._getframe()
    depth = 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


@contextlib.contextmanager
def _headroom() -> Iterator[None]:
    """The recursion headroom a fresh process has (see the module docstring)."""
    saved = sys.getrecursionlimit()
    sys.setrecursionlimit(RECURSION_LIMIT + _stack_depth())
    try:
        yield
    finally:
        sys.setrecursionlimit(saved)


def _stream(errors: str) -> io.TextIOWrapper:
    """A UTF-8 stream like the real stdout (errors="strict": a lone surrogate fails there)
    or stderr ("backslashreplace"); a StringIO would accept what a pipe cannot."""
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors=errors, write_through=True)


def _captured(stream: io.TextIOWrapper) -> str:
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8", "backslashreplace")


@contextlib.contextmanager
def _streams(out: io.TextIOWrapper, err: io.TextIOWrapper) -> Iterator[None]:
    """`out` and `err` as stdout and stderr, and as `sys.__stdout__`/`sys.__stderr__`,
    which shutil.get_terminal_size asks for the width click wraps help to: a process
    writing to pipes gets the 80-column fallback, not the terminal pytest runs in."""
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        mock.patch.object(sys, "__stdout__", out),
        mock.patch.object(sys, "__stderr__", err),
    ):
        yield


def run_main(
    argv: Sequence[str],
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    entry: Callable[[], None] = cli.main,
) -> Run:
    """Run `meterr-config ARGV` in `cwd` through `entry` (`cli.main()`), capturing its output.

    `env` replaces the environment for the run (None keeps the current one). After
    `timeout` seconds the run is stopped with Hang, reported in `error`. KeyboardInterrupt
    is not caught: Ctrl-C stops the test run, not only the command.
    """
    out, err = _stream("strict"), _stream("backslashreplace")
    code: int | str | None = None
    error: BaseException | None = None
    start = time.perf_counter()
    with _isolated(argv, cwd, env), _streams(out, err):
        try:
            with _deadline(timeout), _headroom():
                entry()
        except SystemExit as exc:
            code = exc.code
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # a bug, or Hang
            error = exc
        finally:
            gc.unfreeze()
    seconds = time.perf_counter() - start
    return Run(code, _captured(out), _captured(err), error, seconds)

"""How much the commands say, set once by the global `-q/--quiet` and `-v/--verbose`.

Quiet keeps only what needs attention (errors and warnings, drifted files, unexpected
differences, what import could not carry) and drops summaries, notes and "wrote" lines;
verbose adds, on stderr, what each command read and how long each environment took.
Machine formats (json, sarif, github, markdown) are the same at every level.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

QUIET, NORMAL, VERBOSE = -1, 0, 1
_level = NORMAL


def set_level(level: int) -> None:
    """Set by the command line before any command runs."""
    global _level
    _level = level


def quiet() -> bool:
    """Only what needs attention."""
    return _level <= QUIET


def say(text: str, file: TextIO | None = None) -> None:
    """A line for people (a summary, a note, "wrote X"), left out under --quiet."""
    if not quiet():
        print(text, file=file or sys.stdout)


def detail(text: str) -> None:
    """A line only --verbose shows, on stderr so that output stays clean."""
    if _level >= VERBOSE:
        print(f"meterr-config: {text}", file=sys.stderr)


@contextmanager
def working(message: str) -> Iterator[None]:
    """While something slow runs (Next.js, a build, the Vercel API): a spinner on stderr
    when it is a terminal, nothing in a log or a pipe, nothing under --quiet."""
    if quiet() or not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(message):
        yield

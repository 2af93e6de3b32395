"""Bounds on input: how large a file and how deep a document meterr-config reads, how
long and how much it waits for a server, and how long it lets an input's regex run.

A config tool reads files from pull requests. A real environment file is a few
kilobytes; Vercel caps routes at 2,048 per kind, so even a generous vercel.json stays
under a megabyte. A file many times that, or nested hundreds of levels deep, is a
mistake or an attack, and is refused in one line before it reaches the parsers,
validators and writers, which recurse and hold the whole document in memory.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from meterr_config.errors import InputError, Location

MAX_BYTES = 1_000_000
MAX_DEPTH = 32

# Network, per request: a connection that takes this long is down; a server that sends
# nothing for READ_SECONDS, or drips a byte at a time past REQUEST_SECONDS, is refused.
CONNECT_SECONDS = 10.0
READ_SECONDS = 15.0
REQUEST_SECONDS = 30.0
# The decoded body of one answer (a gzip body is counted after inflating). A page of the
# Vercel API is tens of kilobytes; a site's page is read only for its headers.
MAX_BODY_BYTES = 5_000_000
# Network, per run: pages of one listing (each cursor must advance) and requests in all.
MAX_PAGES = 100
MAX_REQUESTS = 1_000
# And in time: no request starts once the run has gone on this long (a slow server that
# answers just inside every per-request bound would otherwise hold CI for an hour).
RUN_SECONDS = 300.0
# How long one run waits on an API's rate limits in all (Vercel's buckets refill per
# minute); METERR_CONFIG_RATE_WAIT sets it, in seconds.
RATE_WAIT_SECONDS = 120.0
# Regexes from input: each match, and all matches of one run together.
REGEX_MATCH_SECONDS = 0.05
REGEX_RUN_SECONDS = 2.0
# The probes one `url:` source sends (paths the config promises headers or CORS for).
MAX_PROBES = 40
# .env expansion (dotenv-expand, as Next.js runs it): the references expanded in one value,
# where Node.js's default stack runs out (a little past 4,000 in Node 20, and at once for
# a variable that refers to itself), and the characters one file's expansion may read.
MAX_EXPANSIONS = 4_000
EXPANSION_CHARACTERS = 20_000_000
# Output: the lines of one drifted file's diff that `check` prints.
MAX_DIFF_LINES = 200


_requests = 0  # sent in this run, by every source together
_run = 0  # which run this is: per-run state elsewhere (the regex budget) keys on it


_started = time.monotonic()


def start_run() -> None:
    """A new run: no request sent yet, no time spent, a fresh regex budget (cli.main
    calls it, for each in-process run too)."""
    global _requests, _run, _started
    _requests = 0
    _run += 1
    _started = time.monotonic()


def run_id() -> int:
    """Which run this is (see `start_run`)."""
    return _run


_counting = threading.Lock()  # sources may send requests from several threads


def count_request(what: str) -> None:
    """Count one request to a server, or refuse it when the run has sent MAX_REQUESTS."""
    with _counting:
        _count(what)


def _count(what: str) -> None:
    global _requests
    if _requests >= MAX_REQUESTS:
        raise InputError(
            f"{what}: more than {MAX_REQUESTS} requests to servers in one run (MAX_REQUESTS)"
        )
    if time.monotonic() - _started >= RUN_SECONDS:
        raise InputError(
            f"{what}: the run has gone on for {RUN_SECONDS:g} s, the most it waits for "
            "servers (RUN_SECONDS)"
        )
    _requests += 1


@dataclass(frozen=True)
class Bound:
    """One bound, as docs/reliability.md lists it."""

    name: str
    value: float
    unit: str
    what: str


BOUNDS = (
    Bound(
        "MAX_BYTES",
        MAX_BYTES,
        "bytes",
        "an environment, dotenv or vercel.json file; a generated file, or twice what was "
        "rendered if that is more",
    ),
    Bound("MAX_DEPTH", MAX_DEPTH, "levels", "tables or arrays nested in one document"),
    Bound("CONNECT_SECONDS", CONNECT_SECONDS, "s", "to connect to a server"),
    Bound("READ_SECONDS", READ_SECONDS, "s", "of silence from a server within one answer"),
    Bound("REQUEST_SECONDS", REQUEST_SECONDS, "s", "for one request, from connect to last byte"),
    Bound("MAX_BODY_BYTES", MAX_BODY_BYTES, "bytes", "of one decoded answer (gzip inflated)"),
    Bound("MAX_PAGES", MAX_PAGES, "pages", "of one API listing; each cursor must advance"),
    Bound("MAX_REQUESTS", MAX_REQUESTS, "requests", "to servers in one run, retries included"),
    Bound("MAX_PROBES", MAX_PROBES, "requests", "sent by one url: source"),
    Bound("RUN_SECONDS", RUN_SECONDS, "s", "of a run, after which no request starts"),
    Bound(
        "RATE_WAIT_SECONDS",
        RATE_WAIT_SECONDS,
        "s",
        "waited on rate limits in one run, in all (METERR_CONFIG_RATE_WAIT sets it)",
    ),
    Bound("REGEX_MATCH_SECONDS", REGEX_MATCH_SECONDS, "s", "for one match of an input regex"),
    Bound("REGEX_RUN_SECONDS", REGEX_RUN_SECONDS, "s", "for all input-regex matches of one run"),
    Bound("MAX_EXPANSIONS", MAX_EXPANSIONS, "references", "expanded in one .env value"),
    Bound(
        "EXPANSION_CHARACTERS",
        EXPANSION_CHARACTERS,
        "characters",
        "read while expanding one .env file's values",
    ),
    Bound("MAX_DIFF_LINES", MAX_DIFF_LINES, "lines", "of one drifted file's diff that check shows"),
)


# Kernel files read as regular files of size 0 but are no config: /proc/self/environ
# holds the process's environment, tokens included.
KERNEL_FOLDERS = (Path("/proc"), Path("/sys"))
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISLNK, "a symlink"),
)
# O_NONBLOCK: opening a FIFO does not wait for a writer; O_NOCTTY: nor adopts a terminal.
_OPEN = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC


@cache
def _kernel_devices() -> frozenset[int]:
    return frozenset(f.stat().st_dev for f in KERNEL_FOLDERS if f.is_dir())


def kernel_message() -> str:
    """Why a file under /proc or /sys is refused."""
    return "is a kernel file (under /proc or /sys), not a config file: refused"


def regular_file(info: os.stat_result, path: Path) -> None:
    """Refuse anything but a regular file outside /proc and /sys, given its stat."""
    for test, kind in _KINDS:
        if test(info.st_mode):
            raise InputError(f"is {kind}, not a regular file: refused", Location(str(path)))
    if not stat.S_ISREG(info.st_mode):
        raise InputError("is not a regular file: refused", Location(str(path)))
    if info.st_dev in _kernel_devices():
        raise InputError(kernel_message(), Location(str(path)))


def read_bounded(path: Path, fd: int | None = None, limit: int = MAX_BYTES) -> bytes:
    """The bytes of `path`, refused when there are more than MAX_BYTES, or when it is
    not a regular file (asked of the open descriptor, so nothing can be swapped in
    between the question and the read).

    `fd`, when given, is a descriptor already open on `path`; it is closed. It reads at
    most one byte past the limit, so a huge file costs no more than the limit."""
    with os.fdopen(os.open(path, _OPEN) if fd is None else fd, "rb") as handle:
        regular_file(os.fstat(handle.fileno()), path)
        data = handle.read(limit + 1)
    if len(data) > limit:
        size = f"{limit // 1_000_000} MB" if limit % 1_000_000 == 0 else f"{limit:,} bytes"
        raise InputError(
            f"is larger than {size}, the most meterr-config reads "
            "(a real config is a few kilobytes)",
            Location(str(path)),
        )
    return data


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether `value` nests more than `limit` levels of tables or arrays: no real
    config does, and the converters, validator and TOML writer recurse."""
    level = [value]
    for _ in range(limit + 1):
        level = [
            child
            for item in level
            for child in (item.values() if isinstance(item, dict) else item)
            if isinstance(child, dict | list)
        ]
        if not level:
            return False
    return True

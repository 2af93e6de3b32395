"""Bounds on input: how large a file and how deep a document meterr-config reads, how
long and how much it waits for a server, and how long it lets an input's regex run.

A config tool reads files from pull requests. A real environment file is a few
kilobytes; Vercel caps routes at 2,048 per kind, so even a generous vercel.json stays
under a megabyte. A file many times that, or nested hundreds of levels deep, is a
mistake or an attack, and is refused in one line before it reaches the parsers,
validators and writers, which recurse and hold the whole document in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
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
# Regexes from input: each match, and all matches of one run together.
REGEX_MATCH_SECONDS = 0.05
REGEX_RUN_SECONDS = 2.0
# Output: the lines of one drifted file's diff that `check` prints.
MAX_DIFF_LINES = 200


@dataclass(frozen=True)
class Bound:
    """One bound, as docs/reliability.md lists it."""

    name: str
    value: float
    unit: str
    what: str


BOUNDS = (
    Bound("MAX_BYTES", MAX_BYTES, "bytes", "an environment, dotenv, vercel.json or generated file"),
    Bound("MAX_DEPTH", MAX_DEPTH, "levels", "tables or arrays nested in one document"),
    Bound("CONNECT_SECONDS", CONNECT_SECONDS, "s", "to connect to a server"),
    Bound("READ_SECONDS", READ_SECONDS, "s", "of silence from a server within one answer"),
    Bound("REQUEST_SECONDS", REQUEST_SECONDS, "s", "for one request, from connect to last byte"),
    Bound("MAX_BODY_BYTES", MAX_BODY_BYTES, "bytes", "of one decoded answer (gzip inflated)"),
    Bound("MAX_PAGES", MAX_PAGES, "pages", "of one API listing; each cursor must advance"),
    Bound("MAX_REQUESTS", MAX_REQUESTS, "requests", "to servers in one run, retries included"),
    Bound("REGEX_MATCH_SECONDS", REGEX_MATCH_SECONDS, "s", "for one match of an input regex"),
    Bound("REGEX_RUN_SECONDS", REGEX_RUN_SECONDS, "s", "for all input-regex matches of one run"),
    Bound("MAX_DIFF_LINES", MAX_DIFF_LINES, "lines", "of one drifted file's diff that check shows"),
)


def read_bounded(path: Path) -> bytes:
    """The bytes of `path`, refused when there are more than MAX_BYTES.

    It reads at most one byte past the limit, so a huge file (or a device that never
    ends) costs no more than the limit."""
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError(
            f"is larger than {MAX_BYTES // 1_000_000} MB, the most meterr-config reads "
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

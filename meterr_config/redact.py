"""Show that a secret exists, and whether two are equal, without ever showing it; and
scrub every string that leaves the process of the run's secrets.

A source that reads a secret (a supplied value, VERCEL_TOKEN, a URL's password or bypass
token) calls `remember(value)`; the CLI passes everything it writes to stdout, stderr
and the step summary through `scrub`, which replaces each remembered value, wherever it
appears, with its `redact` form. Messages are still built from names and lengths: the
scrub is the net under them, not the way to write them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

_DOTENV_LINE = re.compile(r"^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)(.*)$")


# A fresh key per run: within one report equal secrets show equal digests, but a digest
# in an old CI log cannot be used to confirm a guessed weak secret.
_RUN_KEY = secrets.token_bytes(32)


def redact(value: str) -> str:
    """`<redacted: N chars, sha256:abcd1234>` (HMAC-SHA256 keyed per run): equal secrets
    look equal within one report, and nothing more can be learnt."""
    digest = hmac.new(_RUN_KEY, value.encode(), hashlib.sha256).hexdigest()[:8]
    return f"<redacted: {len(value)} chars, sha256:{digest}>"


# Shorter values are words, not secrets: scrubbing "true" or "prod" would mangle output.
MIN_REMEMBERED = 8
_remembered: set[str] = set()
_pattern: re.Pattern[str] | None = None


def remember(value: str | None) -> None:
    """Scrub `value` from everything this run writes from now on (if at least
    MIN_REMEMBERED characters long once stripped)."""
    global _pattern
    if value is None or len(value.strip()) < MIN_REMEMBERED:
        return
    for candidate in {value, value.strip()}:
        if candidate not in _remembered:
            _remembered.add(candidate)
            _pattern = None


def forget_all() -> None:
    """Drop every remembered value: for a new in-process run (tests)."""
    global _pattern
    _remembered.clear()
    _pattern = None


def scrub(text: str) -> str:
    """`text` with every remembered secret replaced by its `redact` form."""
    global _pattern
    if not _remembered or not text:
        return text
    if _pattern is None:  # longest first, so a secret containing another goes whole
        ordered = sorted(_remembered, key=len, reverse=True)
        _pattern = re.compile("|".join(re.escape(value) for value in ordered))
    return _pattern.sub(lambda match: redact(match.group()), text)


def redact_dotenv_line(line: str, secret_names: frozenset[str]) -> str:
    """Replace the value of a `NAME=value` line when NAME is a declared secret."""
    match = _DOTENV_LINE.match(line)
    if match is None or match.group(2) not in secret_names or not match.group(4):
        return line
    return f"{match.group(1)}{match.group(2)}{match.group(3)}{redact(match.group(4))}"

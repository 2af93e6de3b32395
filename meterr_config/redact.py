"""Show that a secret exists, and whether two are equal, without ever showing it."""

from __future__ import annotations

import hashlib
import re

_DOTENV_LINE = re.compile(r"^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)(.*)$")


def redact(value: str) -> str:
    """`<redacted: N chars, sha256:abcd1234>`: equal secrets look equal, nothing more."""
    digest = hashlib.sha256(value.encode()).hexdigest()[:8]
    return f"<redacted: {len(value)} chars, sha256:{digest}>"


def redact_dotenv_line(line: str, secret_names: frozenset[str]) -> str:
    """Replace the value of a `NAME=value` line when NAME is a declared secret."""
    match = _DOTENV_LINE.match(line)
    if match is None or match.group(2) not in secret_names or not match.group(4):
        return line
    return f"{match.group(1)}{match.group(2)}{match.group(3)}{redact(match.group(4))}"

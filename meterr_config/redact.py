"""Show that a secret exists, and whether two are equal, without ever showing it."""

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


def redact_dotenv_line(line: str, secret_names: frozenset[str]) -> str:
    """Replace the value of a `NAME=value` line when NAME is a declared secret."""
    match = _DOTENV_LINE.match(line)
    if match is None or match.group(2) not in secret_names or not match.group(4):
        return line
    return f"{match.group(1)}{match.group(2)}{match.group(3)}{redact(match.group(4))}"

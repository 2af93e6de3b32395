"""What secrets look like: by name, by known key shapes, and by randomness.

Shared by the secret rules, the dir: source (which must guess what is secret) and the
redaction in diffs. Thresholds are from FACTS.md (gitleaks, detect-secrets, ASVS).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from urllib.parse import urlsplit

SECRET_NAME = re.compile(
    r"SECRET|PASSWORD|PASSWD|PRIVATE|TOKEN|API_?KEY|ACCESS_KEY|AUTH|CREDENTIAL|SIGNING|"
    r"ENCRYPTION|_KEY$|^KEY$|DATABASE_URL|REDIS_URL|DSN$|CONNECTION_STRING",
    re.I,
)
# Key shapes from gitleaks' rules, trimmed to what a Next.js app on Vercel typically holds.
KEY_SHAPES = {
    "anthropic-key": re.compile(r"sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{20,}"),
    "openai-key": re.compile(r"sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]*T3BlbkFJ[A-Za-z0-9_-]+"),
    "aws-access-key": re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"),
    "github-token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "slack-token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "stripe-key": re.compile(r"\b[sr]k_live_[A-Za-z0-9]{20,}"),
    "private-key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "url-with-password": re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s:/@]+:[^\s@/]+@[^\s/]+"),
}
PLACEHOLDER = re.compile(
    r"^(?:\$\{[^}]*\}|\$[A-Za-z_]\w*|\{\{.*\}\}|<[^>]*>|%[A-Za-z_]\w*%|true|false|null|none|"
    r"\.\.\.+|xxx+|your[-_].*[-_]here|todo|tbd|"
    # A guessable word, optionally with digits: changeme, changeme123, password1, secret!
    r"(?:change[-_ ]?me|placeholder|example|secret|password|passw0rd|test|dummy|default|"
    r"admin|letmein|qwerty)[\W_]*\d*[\W_]*)$",
    re.I,
)


def shape_of(value: str) -> str | None:
    """The known key shape a value contains, e.g. 'openai-key', or None."""
    for name, pattern in KEY_SHAPES.items():
        if pattern.search(value):
            return name
    return None


def bits_per_char(value: str) -> float:
    """Shannon entropy of the characters, in bits per character."""
    if not value:
        return 0.0
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def is_placeholder(value: str) -> bool:
    """A value scanners treat as 'not a secret': ${VAR}, <x>, changeme, aaaa…"""
    stripped = value.strip()
    return bool(PLACEHOLDER.match(stripped)) or len(set(stripped)) <= 1


def looks_random(value: str, min_length: int = 20) -> bool:
    """Long, high-entropy and without spaces: the shape of a generated credential."""
    return (
        len(value) >= min_length
        and " " not in value
        and bits_per_char(value) >= 3.5
        and not urlsplit(value).scheme
    )


def looks_secret(name: str, value: str | None) -> bool:
    """Treat a variable as secret by its name, or by what its value looks like."""
    if SECRET_NAME.search(name):
        return True
    return value is not None and (shape_of(value) is not None or looks_random(value, 32))

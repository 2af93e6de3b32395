"""What secrets look like: by name, by known key shapes, and by randomness.

Shared by the secret rules, the dir: source (which must guess what is secret) and the
redaction in diffs. Thresholds are from FACTS.md (gitleaks, detect-secrets, ASVS).
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlsplit

SECRET_NAME = re.compile(
    r"SECRET|PASSWORD|PASSWD|PRIVATE|TOKEN|API_?KEY|ACCESS_KEY|AUTH(?!OR(?!IZ))|CREDENTIAL|SIGNING|"
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


# One pass over a value instead of one per shape: lint runs this on every variable.
_ANY_SHAPE = re.compile("|".join(f"(?:{p.pattern})" for p in KEY_SHAPES.values()))


# Every shape holds one of these literal anchors: only lines with one are searched.
_ANCHORS = re.compile(r"sk-|AKIA|ASIA|gh[pousr]_|xox[abprs]-|k_live_|PRIVATE KEY|@")


def shapes_in(text: str) -> Iterator[tuple[int, str]]:
    """(line number, shape) for each line of `text` holding a known key shape."""
    last_end = -1
    for match in _ANCHORS.finditer(text):
        if match.start() < last_end:
            continue  # this line was searched already
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start())
        last_end = end if end >= 0 else len(text)
        if shape := shape_of(text[start:last_end]):
            yield text.count("\n", 0, start) + 1, shape


def shape_of(value: str) -> str | None:
    """The known key shape a value contains, e.g. 'openai-key', or None."""
    if not _ANY_SHAPE.search(value):
        return None
    return next(name for name, pattern in KEY_SHAPES.items() if pattern.search(value))


# Where a credential sits inside a longer value: a query or fragment parameter's value,
# the word after an auth scheme, a URL's password. A path segment is not such a place.
_TOKEN_PLACES = re.compile(
    r"[?&#;][^=&#;\s]*=([^&#;\s]+)"
    r"|\b(?:Bearer|Basic|Token|Bot)\s+(\S+)"
    r"|://[^/@\s:]*:([^/@\s]+)@",
    re.I,
)
_NOT_TOKENS = re.compile(r"[0-9a-f]{7,40}|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}", re.I)


def secret_shaped(value: str) -> bool:
    """A known key shape, or a token where credentials go in a longer value (`Bearer
    <token>`, `?key=<token>`, `user:<password>@`): long, random, letters and digits.
    Commit hashes and UUIDs are identifiers, not tokens."""
    if shape_of(value) is not None:
        return True
    for match in _TOKEN_PLACES.finditer(value):
        token = next(group for group in match.groups() if group)
        if _NOT_TOKENS.fullmatch(token):
            continue
        if looks_random(token, 24) and any(c.isdigit() for c in token):
            return True
    return False


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


def format_problem(fmt: str, value: str) -> str | None:
    """Why `value` does not have the shape `fmt` promises, or None."""
    if fmt == "hex32" and not re.fullmatch(r"[0-9a-fA-F]{64}", value):
        return "is not 32 bytes as 64 hex characters"
    if fmt == "base64-32":
        try:
            if len(base64.b64decode(value, validate=True)) != 32:
                return "does not decode to 32 bytes"
        except (binascii.Error, ValueError):
            return "is not valid base64"
    if fmt == "openai-key" and not re.fullmatch(r"sk-[A-Za-z0-9_-]{20,}", value):
        return "is not an OpenAI key (sk- and at least 20 letters, digits, '-' or '_')"
    if fmt == "anthropic-key" and not re.fullmatch(r"sk-ant-api03-[A-Za-z0-9_-]{93}AA", value):
        return "is not an Anthropic API key (sk-ant-api03-…, 108 characters)"
    schemes = {
        "postgres-url": ("postgres", "postgresql"),
        "redis-url": ("redis", "rediss"),
        "url": ("http", "https"),
    }
    if fmt in schemes:
        parts = urlsplit(value)
        if parts.scheme not in schemes[fmt] or not parts.hostname:
            return f"is not a {'/'.join(schemes[fmt])} URL with a host"
    return None


# Tried in this order: the most specific shape first, plain URLs last.
_FORMATS_BY_SHAPE = (
    "postgres-url",
    "redis-url",
    "anthropic-key",
    "openai-key",
    "hex32",
    "base64-32",
    "url",
)
_FORMATS_BY_NAME = (
    (re.compile(r"DATABASE_URL|POSTGRES|PG_URL", re.I), "postgres-url"),
    (re.compile(r"REDIS", re.I), "redis-url"),
    (re.compile(r"ANTHROPIC", re.I), "anthropic-key"),
    (re.compile(r"OPENAI", re.I), "openai-key"),
    (re.compile(r"_URL$|_URI$|DSN$", re.I), "url"),
)


def infer_format(name: str, value: str | None) -> str:
    """The `format` a secret declaration gets on import: its value's shape, else its name's.

    A placeholder says nothing about the shape, so the name decides; a secret that is
    neither a URL nor a known key is declared `random`, which the entropy rule checks.
    """
    if value and not is_placeholder(value):
        for fmt in _FORMATS_BY_SHAPE:
            if format_problem(fmt, value) is None:
                return fmt
    for pattern, fmt in _FORMATS_BY_NAME:
        if pattern.search(name):
            return fmt
    return "random"


def redact_shapes(text: str) -> str:
    """`text` with every known key shape replaced: for messages from other tools, which
    may quote a config value."""
    return _ANY_SHAPE.sub("<redacted>", text)

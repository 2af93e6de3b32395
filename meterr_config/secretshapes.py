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
from collections.abc import Callable, Iterator
from functools import partial
from urllib.parse import urlsplit

SECRET_NAME = re.compile(
    r"SECRET|PASSWORD|PASSWD|PRIVATE|TOKEN|API_?KEY|ACCESS_KEY|AUTH(?!OR(?!IZ))|CREDENTIAL|SIGNING|"
    r"ENCRYPTION|_KEY$|^KEY$|DATABASE_URL|REDIS_URL|DSN$|CONNECTION_STRING",
    re.I,
)
# Names SECRET_NAME matches that name something public: publishable, site, public and
# anon keys (VAPID_PUBLIC_KEY, SUPABASE_ANON_KEY), client ids, hosts, domains, regions,
# bucket and display names, issuers, file paths, and a non-credential URL.
# Redaction still goes by SECRET_NAME (hiding a bucket name costs nothing); deciding what
# to declare secret, and what a committed value exposes, goes by `names_a_secret`.
_PUBLIC_NAME = re.compile(
    r"PUBLISHABLE|SITE_?KEY|PUBLIC_KEY$|ANON_KEY$|CLIENT_?ID$|(?<!KEY)_ID$|_HOST(?:NAME)?$|"
    r"_DOMAIN$|_REGION$|_BUCKET(?:_NAME)?$|_NAME$|_ISSUER$|_PATH$|(?<!DATABASE)(?<!REDIS)_URL$",
    re.I,
)
# Next.js's prefix for its own build-time switches: what follows it decides.
NEXT_PRIVATE = "NEXT_PRIVATE_"


def names_a_secret(name: str) -> bool:
    """Whether a variable's name means a credential (JWT_SECRET, STRIPE_SECRET_KEY), and
    not a public value SECRET_NAME also matches (STRIPE_PUBLISHABLE_KEY, AUTH0_CLIENT_ID,
    NEXT_PRIVATE_DISPLAY_NAME, NEXTAUTH_URL)."""
    bare = name[len(NEXT_PRIVATE) :] if name.upper().startswith(NEXT_PRIVATE) else name
    return bool(SECRET_NAME.search(bare)) and not _PUBLIC_NAME.search(bare)


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
    r"(?:change[-_ ]?me|placeholder|example|secret|password|passw0rd|passwd|pass|pwd|test|dummy|"
    r"default|"
    r"admin|letmein|qwerty)[\W_]*+\d*+[\W_]*+)$",
    re.I,
)


# Every shape holds one of these literal anchors: a value without one is no key. A search
# for literals costs one pass, so ordinary values (most of them) pay nothing more.
_ANCHORS = re.compile(r"sk-|AKIA|ASIA|gh[pousr]_|xox[abprs]-|k_live_|PRIVATE KEY|@")

Span = tuple[int, int]
Search = Callable[[str, int], "Span | None"]

# Two shapes would cost time quadratic in a value's length if searched as written: from
# every `sk-` of `sk-sk-sk-…`, and from every word of `a.a.a…`, the regex runs to the end
# of the same run of characters. What follows a run decides the match from every start
# inside it, so these two are searched run by run: one pass over the text.
_OPENAI_RUN = re.compile(r"[A-Za-z0-9_-]+")
_OPENAI_MARK = "T3BlbkFJ"
_SCHEME_RUN = re.compile(r"[a-z0-9+.-]+")
_SCHEME_START = re.compile(r"\b[a-z]")
_AFTER_SCHEME = re.compile(r"://[^\s:/@]+:[^\s@/]+@[^\s/]+")


def _openai_search(text: str, pos: int) -> Span | None:
    """KEY_SHAPES["openai-key"].search(text, pos)'s span, in one pass: the first `sk-` of
    a run of key characters, when the marker follows it in that run with one more
    character after it; the match then runs to the end of the run."""
    for run in _OPENAI_RUN.finditer(text, pos):
        start, end = run.span()
        key = text.find("sk-", start, end)
        if key >= 0 and text.find(_OPENAI_MARK, key + 3, end - 1) >= 0:
            return key, end
    return None


def _url_search(text: str, pos: int) -> Span | None:
    """KEY_SHAPES["url-with-password"].search(text, pos)'s span, in one pass: a scheme
    run followed by `://user:password@host`; the match starts at the run's first word."""
    for run in _SCHEME_RUN.finditer(text, pos):
        start, end = run.span()
        if not text.startswith("://", end):
            continue
        first = _SCHEME_START.search(text, start, end)
        rest = _AFTER_SCHEME.match(text, end) if first else None
        if first and rest:
            return first.start(), rest.end()
    return None


def _shape_search(name: str, text: str, pos: int) -> Span | None:
    found = KEY_SHAPES[name].search(text, pos)
    return found.span() if found else None


# The others run in time linear in the text as written: each start is a distinct literal
# followed by a bounded or self-delimiting run.
_SEARCH: dict[str, Search] = {
    name: _openai_search
    if name == "openai-key"
    else _url_search
    if name == "url-with-password"
    else partial(_shape_search, name)
    for name in KEY_SHAPES
}


def shapes_in(text: str) -> Iterator[tuple[int, str]]:
    """(line number, shape) for each line of `text` holding a known key shape."""
    last_end, line, counted = -1, 1, 0
    for match in _ANCHORS.finditer(text):
        if match.start() < last_end:
            continue  # this line was searched already
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start())
        last_end = end if end >= 0 else len(text)
        line += text.count("\n", counted, start)  # counted once, as the lines go by
        counted = start
        if shape := shape_of(text[start:last_end]):
            yield line, shape


def shape_of(value: str) -> str | None:
    """The known key shape a value contains, e.g. 'openai-key', or None. A URL whose
    password is a placeholder (`user:password@`) or whose host is this machine
    (`postgres:postgres@localhost`) holds no credential worth the name."""
    if not _ANCHORS.search(value):
        return None
    for name, search in _SEARCH.items():
        span = search(value, 0)
        if span and not (name == "url-with-password" and _harmless_url(value[span[0] : span[1]])):
            return name
    return None


_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0", "host.docker.internal"})


# A host or port written as its own name: the URL is a template (`user:pass@host:port`).
_TEMPLATE_HOST = re.compile(r"^(?:host|hostname|server|domain|your[-_.]\S*)$", re.I)


def _harmless_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        password, host = parts.password or "", parts.hostname or ""
    except ValueError:  # an unbalanced `[`: judge the text as it is
        return False
    port = parts.netloc.rpartition("@")[2].rpartition("]")[2].partition(":")[2]
    template = bool(_TEMPLATE_HOST.match(host)) or (bool(port) and not port.isdigit())
    return is_placeholder(password) or host in _LOOPBACK or template


def _shape_spans(text: str, without: frozenset[str] = frozenset()) -> Iterator[Span]:
    """The spans the alternation of every shape, in KEY_SHAPES' order, finds left to
    right: at the leftmost position where some shape matches, the first such shape.

    Each shape's next match at or after the current position is kept and searched again
    only once the position has passed its start, so each shape's pass goes forward."""
    searches = {name: search for name, search in _SEARCH.items() if name not in without}
    pos, ahead = 0, dict.fromkeys(searches, (-1, -1))
    while searches:
        for name, search in searches.items():
            if 0 <= ahead[name][0] < pos or ahead[name][0] == -1:
                ahead[name] = search(text, pos) or (len(text) + 1, len(text) + 1)
        start, end = min(ahead.values(), key=lambda span: span[0])
        if start > len(text):
            return
        yield start, end
        pos = end


# Where a credential sits inside a longer value: a query or fragment parameter's value,
# the word after an auth scheme, a URL's password. A path segment is not such a place.
# As one regex (`[?&#;][^=&#;\s]*=([^&#;\s]+)|\b(?:Bearer|Basic|Token|Bot)\s+(\S+)|
# ://[^/@\s:]*:([^/@\s]+)@`, case-insensitive), `?a?a?a…` costs time quadratic in its
# length: each `?` runs to the same `=`. So each place is found from its first character
# and the end of a parameter name is looked up once per run.
_PLACE_START = re.compile(r"[?&#;]|\b(?:Bearer|Basic|Token|Bot)\s|://", re.I)
_NAME_END = re.compile(r"[=&#;\s]")
_PARAM_VALUE = re.compile(r"[^&#;\s]+")
_SCHEME_TOKEN = re.compile(r"\s+(\S+)")
_URL_PASSWORD = re.compile(r"://[^/@\s:]*:([^/@\s]+)@")


def _token_places(value: str) -> Iterator[str]:
    """The tokens the regex above would capture, in order, each found in one pass."""
    pos, name_end = 0, (-1, -1)  # (from, to): the first `=&#;` or space after `from`
    while start := _PLACE_START.search(value, pos):
        at, char = start.start(), value[start.start()]
        found: re.Match[str] | None = None
        if char in "?&#;":
            if not name_end[0] <= at < name_end[1]:
                stop = _NAME_END.search(value, at + 1)
                name_end = (at, stop.start() if stop else len(value))
            if name_end[1] < len(value) and value[name_end[1]] == "=":
                found = _PARAM_VALUE.match(value, name_end[1] + 1)
        elif char == ":":
            found = _URL_PASSWORD.match(value, at)
        else:
            found = _SCHEME_TOKEN.match(value, start.end() - 1)
        if found is None:
            pos = at + 1
            continue
        yield found.group(1) if found.re.groups else found.group()
        pos = found.end()


_NOT_TOKENS = re.compile(r"[0-9a-f]{7,40}|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}", re.I)


def secret_shaped(value: str) -> bool:
    """A known key shape, or a token where credentials go in a longer value (`Bearer
    <token>`, `?key=<token>`, `user:<password>@`): long, random, letters and digits.
    Commit hashes and UUIDs are identifiers, not tokens."""
    if shape_of(value) is not None:
        return True
    for token in _token_places(value):
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
    if names_a_secret(name):
        return True
    return value is not None and (shape_of(value) is not None or looks_random(value, 32))


# The URL formats and the schemes each accepts.
URL_SCHEMES = {
    "postgres-url": ("postgres", "postgresql"),
    "redis-url": ("redis", "rediss"),
    "url": ("http", "https"),
}


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
    if fmt == "dsn":
        parts = urlsplit(value)
        if not parts.scheme or not value.startswith(f"{parts.scheme}://") or not parts.netloc:
            return "is not a connection string (scheme://host…)"
    if fmt in URL_SCHEMES:
        parts = urlsplit(value)
        if parts.scheme not in URL_SCHEMES[fmt] or not parts.hostname:
            return f"is not a {'/'.join(URL_SCHEMES[fmt])} URL with a host"
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
    "dsn",
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


# Each scheme's format, for a value that no declaration gives one.
_SCHEME_FORMATS = {scheme: fmt for fmt, schemes in URL_SCHEMES.items() for scheme in schemes}


def known_format(name: str, value: str) -> str | None:
    """The format a value that nothing declares is checked against (SEC002): what its
    scheme says (`mysql://` is a connection string, whatever the name), an `sk-ant-` or
    an OpenAI `sk-` key, and the deployment guide's ENCRYPTION_KEY (32 bytes as 64 hex
    characters) when it is written in hex. Never the name alone."""
    if "://" in value:
        scheme = value.split("://", 1)[0].lower()
        return (
            _SCHEME_FORMATS.get(scheme, "dsn")
            if re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme)
            else None
        )
    if value.startswith("sk-ant-"):
        return "anthropic-key"
    if value.startswith("sk-") and "OPENAI" in name.upper():
        return "openai-key"
    if name == "ENCRYPTION_KEY" and re.fullmatch(r"[0-9a-fA-F]{32,}", value):
        return "hex32"
    return None


def redact_shapes(text: str, without: frozenset[str] = frozenset()) -> str:
    """`text` with every known key shape (but those named in `without`) replaced: for
    messages from other tools, which may quote a config value."""
    out, pos = [], 0
    for start, end in _shape_spans(text, without):
        out += [text[pos:start], "<redacted>"]
        pos = end
    return "".join([*out, text[pos:]])

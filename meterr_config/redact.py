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
import io
import json
import re
import secrets
import threading
from collections.abc import Mapping
from typing import TextIO
from urllib.parse import quote

from meterr_config.secretshapes import (
    SECRET_NAME,
    is_placeholder,
    looks_random,
    redact_shapes,
    secret_shaped,
)

# A fresh key per run: within one report equal secrets show equal digests, but a digest
# in an old CI log cannot be used to confirm a guessed weak secret.
_RUN_KEY = secrets.token_bytes(32)


def _mac(value: str) -> str:
    return hmac.new(_RUN_KEY, value.encode(), hashlib.sha256).hexdigest()


def redact(value: str) -> str:
    """`<redacted: N chars, sha256:abcd1234>` (HMAC-SHA256 keyed per run): equal secrets
    look equal within one report, and nothing more can be learnt."""
    return f"<redacted: {len(value)} chars, sha256:{_mac(value)[:8]}>"


class Sealed:
    """A value held only as its length and keyed digest: a decrypted Vercel value, which
    is compared and never kept. Equal to another Sealed of the same value, and to the
    value itself (a model's or a .env file's), as `==` on either side; shown as its
    `redact` form, so it looks like the value it matches in the same report."""

    __slots__ = ("_length", "_mac")

    def __init__(self, value: str) -> None:
        self._length = len(value)
        self._mac = _mac(value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sealed):
            return hmac.compare_digest(self._mac, other._mac)
        if isinstance(other, str):
            return hmac.compare_digest(self._mac, _mac(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._mac)

    def __str__(self) -> str:
        return f"<redacted: {self._length} chars, sha256:{self._mac[:8]}>"

    __repr__ = __str__


# Shorter values are words, not secrets: scrubbing "true" or "prod" would mangle output.
MIN_REMEMBERED = 8
_remembered: set[str] = set()
_pattern: re.Pattern[str] | None = None
_shown_as: dict[str, str] = {}  # each printed form of a remembered value -> its redaction


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


def remember_environment(environ: Mapping[str, str]) -> None:
    """Remember the value of every variable named like a secret (VERCEL_TOKEN,
    OPENAI_API_KEY, DATABASE_URL…): CI runs meterr-config with production's keys in its
    environment, and none of them may come back in what it prints."""
    for name, value in environ.items():
        if SECRET_NAME.search(name):
            remember(value)


def forget_all() -> None:
    """Drop every remembered value: for a new in-process run (tests)."""
    global _pattern
    _remembered.clear()
    _pattern = None


def _forms(value: str) -> set[str]:
    """The ways `value` can appear in output: as it is, inside a JSON string (with and
    without ASCII escapes), in a GitHub workflow command, in a markdown table cell, and
    percent-encoded in a URL."""
    return {
        value,
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"),
        value.replace("|", "\\|"),
        quote(value, safe=""),
    }


def scrub(text: str) -> str:
    """`text` with every remembered secret, in any of its printed forms, replaced by its
    `redact` form (the value's, so a secret looks the same in every format), and every
    credential in a known place (`redact_places`) too."""
    return redact_places(scrub_remembered(text))


def scrub_remembered(text: str) -> str:
    """`text` with every remembered secret, in any of its printed forms, replaced: for a
    file written from input (an imported environment), where a credential-shaped
    setting stays as it is but no secret this run has read may land."""
    global _pattern
    if not _remembered or not text:
        return text
    if _pattern is None:  # longest first, so a secret containing another goes whole
        _shown_as.clear()
        for value in _remembered:
            for form in _forms(value):
                _shown_as.setdefault(form, redact(value))
        ordered = sorted(_shown_as, key=len, reverse=True)
        _pattern = re.compile("|".join(re.escape(form) for form in ordered))
    return _pattern.sub(lambda match: _shown_as[match.group()], text)


# A URL's password, and a query or fragment parameter whose name says credential. Each
# is linear in the text: a scheme starts where a run of scheme characters starts (not at
# every letter of `a.a.a…`), and a parameter's name cannot hold `?`, so `????…` costs
# one step per character, and both runs are possessive.
_USERINFO = re.compile(
    r"((?<![a-z0-9+.-])[a-z][a-z0-9+.-]*+://[^\s/@:\\]*+:)([^\s/@\\]++)(@)", re.I
)
_PARAMETER = re.compile(r"([?&;#]([^=&#;?\s\"'<>\\|]*+)=)([^&#;\s\"'<>\\|]++)")
# Query parameter names that carry a credential whatever the value looks like (Vercel's
# x-vercel-protection-bypass, x-vercel-jwt, signed URLs' sig, OAuth's code…).
CREDENTIAL_NAME = re.compile(
    r"token|secret|passw|pwd|key|sig|auth|bypass|credential|session|code|jwt", re.I
)
# A URL with a password is redacted by `_USERINFO`, password only, placeholder aside.
_NOT_SHAPES = frozenset({"url-with-password"})


def redact_places(text: str) -> str:
    """`text` with the credentials that sit in known places replaced: known key shapes
    (`sk-…`, `ghp_…`, a PEM header…), a URL's `user:PASSWORD@`, and the value of a
    query parameter named like a credential (`?token=`, `x-vercel-protection-bypass=`)
    or shaped like one. Used for every string that leaves the process, and for keys
    (a cron path, a route source) that are shown as names."""
    if not text:
        return text
    text = _USERINFO.sub(_userinfo, text)
    return redact_shapes(_PARAMETER.sub(_parameter, text), _NOT_SHAPES)


def _userinfo(match: re.Match[str]) -> str:
    password = match.group(2)
    if password.startswith("<redacted") or is_placeholder(password):
        return match.group()  # `user:…@`, `user:${PASSWORD}@`: a documented shape
    return f"{match.group(1)}{redact(password)}{match.group(3)}"


def _parameter(match: re.Match[str]) -> str:
    name, value = match.group(2), match.group(3)
    if value.startswith("<redacted") or is_placeholder(value):
        return match.group()
    credential = bool(CREDENTIAL_NAME.search(name)) or secret_shaped(f"?{name}={value}")
    return f"{match.group(1)}{redact(value)}" if credential else match.group()


# What a stream holds before passing it on regardless (a report is far smaller).
MAX_HELD = 4_000_000
_C1 = re.compile("[\x80-\x9f\u2028\u2029]")


class Scrubbed(io.TextIOBase):
    """A text stream that passes what is written through `scrub` on its way to `stream`.

    Text is held until `flush` (the CLI flushes at the end of a run; the spinner and a
    prompt flush as they go), or until MAX_HELD characters wait, so that a secret written
    in pieces (`print(a, b)`, a rich segment, a multi-line key printed line by line) is
    scrubbed whole. C1 controls and Unicode line separators, which no report writes and a
    hostile value may hold, are escaped on the way (ESC is kept: colours use it).
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream
        self._pending: list[str] = []
        self._held = 0
        self._lock = threading.Lock()  # the spinner's thread writes to stderr too

    def write(self, text: str) -> int:
        """Hold `text`; pass on what is held once there is much of it. Bytes (click
        writes them where a stream has no binary buffer) are decoded first."""
        if isinstance(text, bytes | bytearray):
            text = bytes(text).decode(self.encoding, "replace")
        with self._lock:
            self._pending.append(text)
            self._held += len(text)
            if self._held > MAX_HELD:
                self._pass_on()
        return len(text)

    def flush(self) -> None:
        """Pass on what is held, then flush the stream below."""
        with self._lock:
            self._pass_on()
            self.stream.flush()

    def _pass_on(self) -> None:
        if self._pending:
            held, self._pending, self._held = "".join(self._pending), [], 0
            self.stream.write(_C1.sub(lambda m: repr(m.group())[1:-1], scrub(held)))

    def isatty(self) -> bool:
        """As the stream below: colour and the spinner depend on it."""
        return self.stream.isatty()

    def fileno(self) -> int:
        """The stream below's descriptor."""
        return self.stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The stream below's encoding."""
        return getattr(self.stream, "encoding", None) or "utf-8"


# A quoted value longer than this is cut: no header value, origin or schedule a message
# needs to quote is, and a route source is recognised by its start.
MAX_QUOTED = 80
# A generated token's characters; a route source or a pattern has `/`, `(` or `:` too.
_TOKEN = re.compile(r"[A-Za-z0-9+=_.~-]+")


def quoted(value: object, limit: int = MAX_QUOTED) -> str:
    """`value` as a message quotes it: `'DENY'` (cut to `limit` characters), a non-string
    as its repr, or `<redacted: N chars, …>` when it is shaped like a credential (a key
    shape, a long random token, a URL's password). Messages name keys; a value from
    input is quoted only through this."""
    if not isinstance(value, str):
        return repr(value)
    token = looks_random(value, 24) and _TOKEN.fullmatch(value) is not None
    if token or secret_shaped(value) or scrub(value) != value:  # a remembered one too
        return redact(value)
    return repr(value) if len(value) <= limit else repr(value[: limit - 1] + "…")

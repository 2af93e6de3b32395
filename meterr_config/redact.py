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
    KEY_SHAPES,
    SECRET_NAME,
    is_placeholder,
    looks_random,
    secret_shaped,
)

DOTENV_LINE = re.compile(r"^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)(.*)$")


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
    without ASCII escapes), in a GitHub workflow command, and percent-encoded in a URL."""
    return {
        value,
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"),
        quote(value, safe=""),
    }


def scrub(text: str) -> str:
    """`text` with every remembered secret, in any of its printed forms, replaced by its
    `redact` form, and every credential in a known place (`redact_places`) too."""
    global _pattern
    if not text:
        return text
    if _remembered:
        if _pattern is None:  # longest first, so a secret containing another goes whole
            forms = {form for value in _remembered for form in _forms(value)}
            ordered = sorted(forms, key=len, reverse=True)
            _pattern = re.compile("|".join(re.escape(form) for form in ordered))
        text = _pattern.sub(lambda match: redact(match.group()), text)
    return redact_places(text)


# A URL's password, and a query or fragment parameter whose name says credential.
_USERINFO = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s/@:\\]*:)([^\s/@\\]+)(@)", re.I)
_PARAMETER = re.compile(r"([?&;#]([^=&#;\s\"'<>\\]*)=)([^&#;\s\"'<>\\]+)")
# Key shapes, except a URL with a password: `_USERINFO` redacts only the password, and
# lets a documented placeholder (`user:…@`) be. Backslashes end a match: in JSON output
# `\n` is an escaped line break, not part of a token.
_SHAPES = re.compile(
    "|".join(f"(?:{p.pattern})" for name, p in KEY_SHAPES.items() if name != "url-with-password")
)
_CREDENTIAL_NAME = re.compile(
    r"token|secret|passw|pwd|key|sig|auth|bypass|credential|session|code", re.I
)


def redact_places(text: str) -> str:
    """`text` with the credentials that sit in known places replaced: known key shapes
    (`sk-…`, `ghp_…`, a PEM header…), a URL's `user:PASSWORD@`, and the value of a
    query parameter named like a credential (`?token=`, `x-vercel-protection-bypass=`)
    or shaped like one. Used for every string that leaves the process, and for keys
    (a cron path, a route source) that are shown as names."""
    if not text:
        return text
    text = _USERINFO.sub(_userinfo, text)
    return _SHAPES.sub("<redacted>", _PARAMETER.sub(_parameter, text))


def _userinfo(match: re.Match[str]) -> str:
    password = match.group(2)
    if password.startswith("<redacted") or is_placeholder(password):
        return match.group()  # `user:…@`, `user:${PASSWORD}@`: a documented shape
    return f"{match.group(1)}{redact(password)}{match.group(3)}"


def _parameter(match: re.Match[str]) -> str:
    name, value = match.group(2), match.group(3)
    if value.startswith("<redacted") or is_placeholder(value):
        return match.group()
    credential = bool(_CREDENTIAL_NAME.search(name)) or secret_shaped(f"?{name}={value}")
    return f"{match.group(1)}{redact(value)}" if credential else match.group()


class Scrubbed(io.TextIOBase):
    """A text stream that passes every line through `scrub` on its way to `stream`.

    Whole lines are scrubbed, so a secret written in pieces (`print(a, b)`, a rich
    segment) is still found; `flush` sends a partial line (a prompt, a spinner frame)
    on as it is, scrubbed too.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream
        self._pending: list[str] = []
        self._lock = threading.Lock()  # the spinner's thread writes to stderr too

    def write(self, text: str) -> int:
        """Hold `text` until its line is complete, then scrub and pass it on."""
        end = text.rfind("\n")
        with self._lock:
            if end < 0:
                self._pending.append(text)
                return len(text)
            line = "".join([*self._pending, text[: end + 1]])
            self._pending = [text[end + 1 :]] if end + 1 < len(text) else []
            self.stream.write(scrub(line))
        return len(text)

    def flush(self) -> None:
        """Pass on what is held, then flush the stream below."""
        with self._lock:
            if self._pending:
                held, self._pending = "".join(self._pending), []
                self.stream.write(scrub(held))
            self.stream.flush()

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
    if token or secret_shaped(value) or redact_places(value) != value:
        return redact(value)
    return repr(value) if len(value) <= limit else repr(value[: limit - 1] + "…")

"""A small, careful client for the Vercel REST API, on httpx, and the bounded exchange
that both network sources (`vercel:` and `url:`) read servers with.

Every exchange is bounded (meterr_config.limits, read at call time): CONNECT_SECONDS to
connect, READ_SECONDS of silence, REQUEST_SECONDS from the first byte sent to the last
received (a server dripping one byte at a time ends there), and MAX_BODY_BYTES of
decoded body (gzip and deflate are inflated here, a bounded slice at a time, so a
compressed bomb stops at the cap). The client adds MAX_REQUESTS, retries included, and
never takes a redirect for an answer.

It reads VERCEL_TOKEN, VERCEL_TEAM_ID and VERCEL_API_URL; retries a bounded number of
times, honouring Retry-After on 429 and backing off on 5xx; and turns every failure into
a one-line InputError. The token goes in a header and never into a message, a URL or an
exception; it is remembered for the output scrubber, and an error body that quotes it
(or anything secret-shaped) is reduced to its error code.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx

from meterr_config import limits, redact
from meterr_config.errors import InputError
from meterr_config.secretshapes import SECRET_NAME, looks_random, secret_shaped

DEFAULT_API = "https://api.vercel.com"
# Query parameters that carry a credential whatever they look like (Vercel's deployment
# protection bypass; signed-URL conventions).
CREDENTIAL_PARAMS = frozenset(
    {"x-vercel-protection-bypass", "x-vercel-jwt", "sig", "signature", "code", "jwt"}
)


def remember_url_secrets(url: str) -> None:
    """Tell the output scrubber about a URL's password and its credential query values
    (a bypass token, `?token=`, a secret-shaped value), so no output can show them."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return
    if password:
        redact.remember(password)
        redact.remember(unquote(password))
    for part in (parts.query, parts.fragment):  # `#access_token=…` is a credential too
        for name, value in parse_qsl(part, keep_blank_values=True):
            if _credential(name, value):
                redact.remember(value)


def _credential(name: str, value: str) -> bool:
    """Whether a query parameter holds a credential, by its name or its value's shape."""
    return (
        name.lower() in CREDENTIAL_PARAMS
        or bool(SECRET_NAME.search(name))
        or secret_shaped(f"?{name}={value}")
        or looks_random(value, 16)
    )


@dataclass(frozen=True)
class ApiConfig:
    """Where and as whom to call the API."""

    token: str
    base_url: str = DEFAULT_API
    team_id: str | None = None

    @classmethod
    def from_env(cls) -> ApiConfig:
        """From VERCEL_TOKEN, VERCEL_API_URL and VERCEL_TEAM_ID."""
        token = os.environ.get("VERCEL_TOKEN", "")
        if not token:
            raise InputError("VERCEL_TOKEN is not set: the vercel: source needs an access token")
        redact.remember(token)
        base = os.environ.get("VERCEL_API_URL") or DEFAULT_API
        remember_url_secrets(base)
        _check_url(base)
        return cls(token, base.rstrip("/"), os.environ.get("VERCEL_TEAM_ID") or None)

    def __repr__(self) -> str:  # never show the token, even in a debugger or a log
        return f"ApiConfig(base_url={shown(self.base_url)!r}, team_id={self.team_id!r})"


def shown(url: str) -> str:
    """`url` as scheme, host, port and path only: its `user:password@` and its query may
    hold a credential."""
    try:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "the URL (not shown: it does not parse)"
    return f"{parts.scheme}://{parts.hostname or ''}{port}{parts.path}"


def _check_url(url: str) -> None:
    """An http(s) URL with a host, or a one-line error that does not repeat it."""
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        _ = parts.port  # raises on a port that is not a number
    except ValueError:
        valid = False
    if not valid:
        raise InputError(
            "VERCEL_API_URL must be an http:// or https:// URL with a host "
            "(not repeated here: it may hold a credential)"
        )


# --- one bounded exchange --------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """A server's answer: its status, its headers and (when read) its decoded body."""

    status: int
    headers: httpx.Headers
    body: bytes


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _size(count: int) -> str:
    if count % 1_000_000 == 0:
        return f"{count // 1_000_000} MB"
    if count % 1_000 == 0:
        return f"{count // 1_000} kB"
    return f"{count} bytes"


def _late(source: str, method: str, path: str) -> InputError:
    return InputError(
        f"{source}: {method} {path} took longer than {_seconds(limits.REQUEST_SECONDS)} "
        "(REQUEST_SECONDS)"
    )


class _Inflater:
    """Decodes a body's Content-Encoding a bounded slice at a time (gzip, deflate)."""

    def __init__(self, encoding: str, source: str, what: str) -> None:
        self.encoding = encoding
        self.what = f"{source}: the answer to {what}"
        gzip = encoding in ("gzip", "x-gzip")
        self._wbits = zlib.MAX_WBITS | 16 if gzip else zlib.MAX_WBITS
        self._inflate = zlib.decompressobj(self._wbits)
        self._started = False

    def step(self, data: bytes, room: int) -> tuple[bytes, bytes]:
        """(at most `room` decoded bytes, the input left over)."""
        if self._inflate.eof:  # a new gzip member, or trailing bytes after deflate
            self._inflate = zlib.decompressobj(self._wbits)
        try:
            out = self._inflate.decompress(data, room)
        except zlib.error:
            if self._started or self._wbits != zlib.MAX_WBITS:
                raise InputError(f"{self.what} is not valid {self.encoding}") from None
            self._wbits = -zlib.MAX_WBITS  # deflate without the zlib wrapper, as sent by some
            self._inflate = zlib.decompressobj(self._wbits)
            return self.step(data, room)
        self._started = True
        rest = self._inflate.unconsumed_tail
        if self._inflate.eof:
            rest += self._inflate.unused_data
        return out, rest


def _inflater(headers: httpx.Headers, source: str, what: str) -> _Inflater | None:
    """The decoder the answer's Content-Encoding needs (None: identity)."""
    encoding = headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return _Inflater(encoding, source, what)
    raise InputError(
        f"{source}: the answer to {what} is encoded in a way that was not asked for "
        "(only gzip and deflate are)"
    )


@dataclass
class _Reading:
    """One body being read: where it stands against the cap and the deadline."""

    source: str
    method: str
    path: str
    deadline: float
    stop: threading.Event

    def check_time(self) -> None:
        if self.stop.is_set() or time.monotonic() > self.deadline:
            raise _late(self.source, self.method, self.path)

    def too_large(self) -> InputError:
        return InputError(
            f"{self.source}: the answer to {self.method} {self.path} is larger than "
            f"{_size(limits.MAX_BODY_BYTES)} (MAX_BODY_BYTES)"
        )


def _body(response: httpx.Response, reading: _Reading) -> bytes:
    """The decoded body, at most MAX_BODY_BYTES, read before the deadline."""
    cap = limits.MAX_BODY_BYTES
    what = f"{reading.method} {reading.path}"
    inflater = _inflater(response.headers, reading.source, what)
    chunks: list[bytes] = []
    total = 0
    for raw in response.iter_raw():
        reading.check_time()
        pending = raw
        while pending:
            if inflater is None:
                out, pending = pending, b""
            else:
                out, pending = inflater.step(pending, cap - total + 1)
            total += len(out)
            if total > cap:
                raise reading.too_large()
            chunks.append(out)
    reading.check_time()
    return b"".join(chunks)


def exchange(
    http: httpx.Client,
    method: str,
    path: str,
    *,
    source: str,
    params: httpx.QueryParams | None = None,
    headers: Mapping[str, str] | None = None,
    read_body: bool = True,
) -> Answer:
    """One request, bounded in time and size; httpx's errors are the caller's to word.

    The exchange runs in a worker thread that this one waits for until REQUEST_SECONDS:
    a server can drip its headers or its body one byte at a time, each within
    READ_SECONDS, and only a wall-clock deadline ends that. A worker left behind stops
    at its next byte (it checks the same deadline), and never outlives the process."""
    reading = _Reading(
        source, method, path, time.monotonic() + limits.REQUEST_SECONDS, threading.Event()
    )
    timeout = httpx.Timeout(limits.READ_SECONDS, connect=limits.CONNECT_SECONDS)
    outcome: list[Answer | Exception] = []

    def work() -> None:
        try:
            with http.stream(
                method, path, params=params, headers=headers, timeout=timeout
            ) as response:
                body = _body(response, reading) if read_body else b""
                outcome.append(Answer(response.status_code, response.headers, body))
        except Exception as exc:  # handed to the waiting thread, which raises it
            outcome.append(exc)

    worker = threading.Thread(target=work, name=f"{source}-request", daemon=True)
    worker.start()
    worker.join(max(0.0, reading.deadline - time.monotonic()))
    if not outcome:
        reading.stop.set()
        raise _late(source, method, path)
    result = outcome[0]
    if isinstance(result, Exception):
        raise result
    return result


# --- the Vercel API ----------------------------------------------------------------------

_CODE = re.compile(r"[a-z][a-z0-9_.-]{0,63}", re.I)  # forbidden, not_found, rate_limited…
_SHOWN_MESSAGE = 200


def _quotes(text: str, secret: str) -> bool:
    """Whether `text` holds `secret`, or any 12 characters of it in a row."""
    if not secret:
        return False
    if len(secret) <= 12:
        return secret in text
    return any(secret[i : i + 12] in text for i in range(len(secret) - 11))


def _harmless(text: str, token: str) -> bool:
    """An API message fit to show: short, printable, and holding no credential (the
    token or a part of it, a remembered secret, an Authorization header, a key shape or a
    random-looking word)."""
    lowered = text.lower()
    return (
        0 < len(text) <= _SHOWN_MESSAGE
        and text.isprintable()
        and not _quotes(text, token)
        and redact.scrub(text) == text
        and "bearer" not in lowered
        and "authorization" not in lowered
        and not secret_shaped(text)
        and not any(looks_random(word, 16) for word in re.split(r"[\s\"'`,;:()]+", text))
    )


def said(body: bytes, token: str) -> str:
    """What an error answer says, safe to show: its message when harmless, else its
    `error.code` when it has an identifier's shape, else nothing."""
    try:
        error = json.loads(body).get("error")
    except (ValueError, AttributeError, RecursionError):
        return ""
    if not isinstance(error, dict):
        return ""
    message, code = error.get("message"), error.get("code")
    if isinstance(message, str) and _harmless(message, token):
        return message
    if isinstance(code, str) and _CODE.fullmatch(code) and _harmless(code, token):
        return code
    return ""


class VercelClient:
    """GET requests, bounded (see the module), with bounded retries and one-line errors;
    counts its requests."""

    def __init__(
        self,
        config: ApiConfig,
        *,
        retries: int = 3,
        max_wait: float = 30.0,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.config = config
        self.retries = retries
        self.max_wait = max_wait
        self._sleep = sleep  # None: time.sleep, looked up when waiting
        self.requests = 0
        self._http = httpx.Client(
            base_url=config.base_url,
            headers={
                "Authorization": f"Bearer {config.token}",
                "User-Agent": "meterr-config",
                "Accept-Encoding": "gzip, deflate",  # what _body decodes, boundedly
            },
            follow_redirects=False,
            # Plain http (a local test server) needs no certificates: skip loading them.
            verify=not config.base_url.startswith("http://"),
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def sleep(self, seconds: float) -> None:
        """Wait before a retry."""
        (self._sleep or time.sleep)(seconds)

    def _send(self, path: str, params: dict[str, Any]) -> Answer:
        if self.config.team_id:
            params = {**params, "teamId": self.config.team_id}
        limits.count_request("vercel")
        self.requests += 1
        base = shown(self.config.base_url)
        try:
            query = httpx.QueryParams(params)
            return exchange(self._http, "GET", path, source="vercel", params=query)
        except httpx.ConnectTimeout:
            raise _Retry(
                f"cannot reach {base} (no connection within "
                f"{_seconds(limits.CONNECT_SECONDS)}, CONNECT_SECONDS)"
            ) from None
        except httpx.TimeoutException:
            raise _Retry(
                f"vercel: GET {path}: no answer within {_seconds(limits.READ_SECONDS)} "
                "(READ_SECONDS)"
            ) from None
        except httpx.InvalidURL:
            raise InputError(f"cannot call {base}: invalid URL") from None
        except httpx.HTTPError as exc:
            reason = type(exc).__name__.replace("Error", "").lower() or "error"
            raise InputError(f"cannot reach {base} ({reason})") from None

    def get(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        absent: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """GET a JSON object, retrying 429, 5xx and timeouts a bounded number of times;
        `absent`, when given, is the answer a 404 stands for."""
        problem = ""
        for attempt in range(self.retries + 1):
            try:
                answer = self._send(path, params or {})
            except _Retry as exc:
                problem = str(exc)
                self.sleep(min(2**attempt * 0.5, self.max_wait))
                continue
            status = answer.status
            if status == 429:
                problem = f"vercel: GET {path}: rate limited (HTTP 429)"
                self.sleep(min(_retry_after(answer), self.max_wait))
                continue
            if status >= 500:
                problem = f"vercel: GET {path}: HTTP {status}"
                self.sleep(min(2**attempt * 0.5, self.max_wait))
                continue
            if status == 404 and absent is not None:
                return absent
            return _json(path, answer, self.config.token)
        raise InputError(f"{problem}; gave up after {self.retries + 1} attempts")


class _Retry(Exception):
    """A failure worth another attempt."""


def _retry_after(answer: Answer) -> float:
    try:
        wait = float(answer.headers.get("Retry-After", "1"))
    except ValueError:
        return 1.0
    return wait if 0.0 <= wait < float("inf") else 1.0


def _refused(path: str, answer: Answer, token: str) -> InputError:
    status = answer.status
    if status in (401, 403):
        detail = said(answer.body, token)
        note = f": {detail}" if detail else ""
        return InputError(
            f"vercel: the API refused GET {path} (HTTP {status}{note}): "
            "check VERCEL_TOKEN and VERCEL_TEAM_ID"
        )
    if status == 404:
        return InputError(f"vercel: GET {path}: not found (HTTP 404): check the project and team")
    if 300 <= status < 400:
        return InputError(
            f"vercel: GET {path} was redirected (HTTP {status}); the API does not redirect"
        )
    detail = said(answer.body, token) or "request failed"
    return InputError(f"vercel: GET {path}: HTTP {status}: {detail}")


def _json(path: str, answer: Answer, token: str) -> dict[str, Any]:
    if answer.status >= 300 or answer.status < 200:
        raise _refused(path, answer, token)
    try:
        body = json.loads(answer.body)
    except (ValueError, RecursionError):
        raise InputError(f"vercel: GET {path}: the API answered with malformed JSON") from None
    if not isinstance(body, dict):
        raise InputError(f"vercel: GET {path}: the answer is {kind_of(body)}, expected an object")
    if limits.too_deep(body):
        raise InputError(
            f"vercel: GET {path}: the answer nests more than {limits.MAX_DEPTH} levels (MAX_DEPTH)"
        )
    return body


def kind_of(value: Any) -> str:
    """What a JSON value is, in words, without quoting it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"

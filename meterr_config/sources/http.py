"""The bounded HTTP exchange both network sources (`vercel:` and `url:`) read servers
with, and how a URL's credentials are kept out of sight.

Every exchange is bounded (meterr_config.limits, read at call time): CONNECT_SECONDS to
connect, READ_SECONDS of silence, REQUEST_SECONDS from the first byte sent to the last
received (a server dripping one byte at a time ends there), and MAX_BODY_BYTES of
decoded body (gzip and deflate are inflated here, a bounded slice at a time, so a
compressed bomb stops at the cap). A URL is shown as scheme://host:port/path only, and
its password and credential-bearing query values are remembered for the output scrubber.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

import httpx

from meterr_config import limits, redact
from meterr_config.errors import InputError
from meterr_config.secretshapes import SECRET_NAME, looks_random, secret_shaped


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
        bool(redact.CREDENTIAL_NAME.search(name))  # the output boundary's list, too
        or bool(SECRET_NAME.search(name))
        or secret_shaped(f"?{name}={value}")
        or looks_random(value, 16)
    )


def checked_url(url: str, what: str) -> SplitResult:
    """`url` split, when it is an http(s) URL with a host and a numeric port; else a
    one-line error naming `what` (`url:`, `VERCEL_API_URL`) that does not repeat the
    URL, which may hold a credential."""
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        _ = parts.port  # raises on a port that is not a number
    except ValueError:
        valid = False
    if not valid:
        raise InputError(
            f"{what} must be an http:// or https:// URL with a host "
            "(not repeated here: it may hold a credential)"
        )
    return parts


def shown(url: str) -> str:
    """`url` as scheme, host, port and path only: its `user:password@` and its query may
    hold a credential."""
    try:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "the URL (not shown: it does not parse)"
    return f"{parts.scheme}://{parts.hostname or ''}{port}{parts.path}"


# --- one bounded exchange --------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """A server's answer: its status, its headers and (when read) its decoded body."""

    status: int
    headers: httpx.Headers
    body: bytes


def seconds(value: float) -> str:
    return f"{value:g} s"


def _size(count: int) -> str:
    if count % 1_000_000 == 0:
        return f"{count // 1_000_000} MB"
    if count % 1_000 == 0:
        return f"{count // 1_000} kB"
    return f"{count} bytes"


def _late(source: str, method: str, path: str) -> InputError:
    return InputError(
        f"{source}: {method} {path} took longer than {seconds(limits.REQUEST_SECONDS)} "
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
    content: bytes | None = None,
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
                method, path, params=params, headers=headers, timeout=timeout, content=content
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

"""A small, careful client for the Vercel REST API, on httpx.

Every request goes through the bounded exchange of `sources/http.py` (time, body size);
the client adds MAX_REQUESTS for the run, retries included, and never takes a redirect
for an answer.

It reads VERCEL_TOKEN, VERCEL_API_URL and the team (VERCEL_TEAM_ID, VERCEL_ORG_ID or
`.vercel/project.json`, an id or a slug); retries a bounded number of
times, honouring Retry-After on 429 and backing off on 5xx; and turns every failure into
a one-line InputError. The token goes in a header and never into a message, a URL or an
exception; it is remembered for the output scrubber, and an error body that quotes it
(or anything secret-shaped) is reduced to its error code.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx

from meterr_config import limits, redact
from meterr_config.errors import InputError, Location
from meterr_config.paths import present, text_inside
from meterr_config.secretshapes import looks_random, secret_shaped
from meterr_config.sources.http import (
    Answer,
    checked_url,
    exchange,
    remember_url_secrets,
    seconds,
    shown,
)

DEFAULT_API = "https://api.vercel.com"


@dataclass(frozen=True)
class ApiConfig:
    """Where and as whom to call the API. `team` is a team's id (`team_…`) or its slug."""

    token: str
    base_url: str = DEFAULT_API
    team: str | None = None

    @classmethod
    def from_env(cls, folder: Path | None = None) -> ApiConfig:
        """From VERCEL_TOKEN and VERCEL_API_URL, and the team as the Vercel CLI finds it:
        VERCEL_TEAM_ID, else VERCEL_ORG_ID, else the `orgId` of `.vercel/project.json` in
        `folder` (the current one). An org id of a personal account is no team."""
        token = os.environ.get("VERCEL_TOKEN", "")
        if not token:
            raise InputError("VERCEL_TOKEN is not set: the vercel: source needs an access token")
        redact.remember(token)
        base = os.environ.get("VERCEL_API_URL") or DEFAULT_API
        remember_url_secrets(base)
        checked_url(base, "VERCEL_API_URL")
        team = os.environ.get("VERCEL_TEAM_ID") or _org_id(folder or Path.cwd())
        return cls(token, base.rstrip("/"), team or None)

    def team_params(self) -> dict[str, str]:
        """The query that scopes a request to the team: `teamId` for an id, else `slug`."""
        if not self.team:
            return {}
        return {"teamId": self.team} if self.team.startswith("team_") else {"slug": self.team}

    def __repr__(self) -> str:  # never show the token, even in a debugger or a log
        return f"ApiConfig(base_url={shown(self.base_url)!r}, team={self.team!r})"


def _org_id(folder: Path) -> str | None:
    """VERCEL_ORG_ID, or the linked project's `orgId` (`vercel link` writes it to
    .vercel/project.json): a team only when it is a team's id, as the CLI reads it."""
    org = os.environ.get("VERCEL_ORG_ID")
    path = folder / ".vercel" / "project.json"
    if not org and present(path):  # read as every input is: a FIFO or a link out is refused
        text = text_inside(path, folder, "linked project")
        try:
            linked = json.loads(text)
        except (ValueError, RecursionError):
            raise InputError("not a JSON object", Location(str(path))) from None
        org = linked.get("orgId") if isinstance(linked, dict) else None
    return org if isinstance(org, str) and org.startswith("team_") else None


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
    """What an error answer says, safe to show (see `error_said`)."""
    try:
        error = json.loads(body).get("error")
    except (ValueError, AttributeError, RecursionError):
        return ""
    return error_said(error, token)


def error_said(error: Any, token: str) -> str:
    """What an `error` object says, safe to show: its message when harmless, else its
    `code` when it has an identifier's shape, else nothing. Also for the items of a
    201's `failed[]`, which carry the same object."""
    if not isinstance(error, dict):
        return ""
    message, code = error.get("message"), error.get("code")
    if isinstance(message, str) and _harmless(message, token):
        return message
    if isinstance(code, str) and _CODE.fullmatch(code) and _harmless(code, token):
        return code
    return ""


class VercelClient:
    """Requests, bounded (see the module), with bounded retries and one-line errors;
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
        self.waited = 0.0  # seconds slept on rate limits, in all
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

    def __enter__(self) -> VercelClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def sleep(self, seconds: float) -> None:
        """Wait before a retry."""
        (self._sleep or time.sleep)(seconds)

    def _send(self, method: str, path: str, params: dict[str, Any], body: bytes | None) -> Answer:
        params = {**params, **self.config.team_params()}
        limits.count_request("vercel")
        self.requests += 1
        base = shown(self.config.base_url)
        headers = {"Content-Type": "application/json"} if body is not None else None
        try:
            query = httpx.QueryParams(params)
            return exchange(
                self._http,
                method,
                path,
                source="vercel",
                params=query,
                headers=headers,
                content=body,
            )
        except httpx.ConnectTimeout:
            raise _Retry(
                f"cannot reach {base} (no connection within "
                f"{seconds(limits.CONNECT_SECONDS)}, CONNECT_SECONDS)"
            ) from None
        except httpx.TimeoutException:
            raise _Retry(
                f"vercel: {method} {path}: no answer within {seconds(limits.READ_SECONDS)} "
                "(READ_SECONDS)"
            ) from None
        except httpx.InvalidURL:
            raise InputError(f"cannot call {base}: invalid URL") from None
        except httpx.HTTPError as exc:
            reason = type(exc).__name__.replace("Error", "").lower() or "error"
            raise InputError(f"cannot reach {base} ({reason})") from None

    def _answer(
        self, method: str, path: str, params: dict[str, Any], body: bytes | None = None
    ) -> Answer:
        """One request's answer, retrying 429, 5xx and timeouts a bounded number of times
        (no wait after the last attempt). Every write this client sends can be repeated
        (an upsert, a PATCH to the same state, a DELETE whose 404 means done), so a retry
        after a lost answer does no harm."""
        problem = ""
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                answer = self._send(method, path, params, body)
            except _Retry as exc:
                problem = str(exc)
                if not last:
                    self.sleep(min(2**attempt * 0.5, self.max_wait))
                continue
            status = answer.status
            if status == 429:
                problem = f"vercel: {method} {path}: rate limited (HTTP 429)"
                if not last:
                    self._wait_for_limit(method, path, rate_limit_wait(answer, time.time()))
                continue
            if status >= 500:
                problem = f"vercel: {method} {path}: HTTP {status}"
                if not last:
                    self.sleep(min(2**attempt * 0.5, self.max_wait))
                continue
            return answer
        raise InputError(f"{problem}; gave up after {self.retries + 1} attempts")

    def get(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        absent: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """GET a JSON object (see `_answer` for retries); `absent`, when given, is the
        answer a 404 stands for."""
        answer = self._answer("GET", path, params or {})
        if answer.status == 404 and absent is not None:
            return absent
        return _json("GET", path, answer, self.config.token)

    def write(
        self, method: str, path: str, body: Any, params: dict[str, Any] | None = None
    ) -> Written:
        """Send one write (POST, PATCH or DELETE with a JSON body) and give its answer
        whatever the status, for the caller to judge: a 404 on a DELETE is done, a 400
        may carry ENV_CONFLICT, a 403 may refuse one variable ("Additional permissions
        are required to create production environment variables", the reference). Only
        a 401 (no valid token) is an error here. The body holds values: it is never
        part of a message."""
        content = None if body is None else json.dumps(body).encode()
        answer = self._answer(method, path, params or {}, content)
        if answer.status == 401:  # the token; a 403 may be about the variable alone
            raise _refused(method, path, answer, self.config.token)
        try:
            data = json.loads(answer.body) if answer.body else None
        except (ValueError, RecursionError):
            data = None
        if limits.too_deep(data):
            data = None
        request_id = answer.headers.get("x-vercel-id", "")
        return Written(answer.status, data, request_id, said(answer.body, self.config.token))

    def _wait_for_limit(self, method: str, path: str, wait: float) -> None:
        """Wait out a rate limit, with jitter, within the run's RATE_WAIT_SECONDS."""
        wait += random.uniform(0.0, min(1.0, wait / 10))  # jitter, not secrecy
        cap = rate_wait_cap()
        if self.waited + wait > cap:
            raise InputError(
                f"vercel: {method} {path}: rate limited, and waiting {seconds(wait)} more would "
                f"pass {seconds(cap)} in all (RATE_WAIT_SECONDS; METERR_CONFIG_RATE_WAIT sets it)"
            )
        self.waited += wait
        self.sleep(wait)


class _Retry(Exception):
    """A failure worth another attempt."""


def rate_wait_cap() -> float:
    """RATE_WAIT_SECONDS, or METERR_CONFIG_RATE_WAIT where set to a number of seconds."""
    text = os.environ.get("METERR_CONFIG_RATE_WAIT", "")
    try:
        cap = float(text) if text else limits.RATE_WAIT_SECONDS
    except ValueError:
        raise InputError("METERR_CONFIG_RATE_WAIT must be a number of seconds") from None
    if not 0 <= cap < float("inf"):
        raise InputError("METERR_CONFIG_RATE_WAIT must be a number of seconds")
    return cap


def rate_limit_wait(answer: Answer, now: float) -> float:
    """How long a 429 asks to wait, in seconds: `Retry-After` (seconds or an HTTP date),
    else `X-RateLimit-Reset` (epoch seconds), else the body's `limit.resetMs` or
    `limit.reset`, else one second."""
    after = answer.headers.get("Retry-After", "").strip()
    if after:
        try:
            return _bounded(float(after))
        except ValueError:
            with contextlib.suppress(TypeError, ValueError, IndexError, OverflowError):
                return _bounded(parsedate_to_datetime(after).timestamp() - now)
    reset = answer.headers.get("X-RateLimit-Reset", "").strip()
    with contextlib.suppress(ValueError):
        return _bounded(float(reset) - now)
    return _bounded(_body_reset(answer.body) - now)


def _body_reset(body: bytes) -> float:
    """The epoch second the body's `error.limit` says the bucket refills (or 0)."""
    try:
        limit = json.loads(body).get("error", {}).get("limit", {})
        if isinstance(limit.get("resetMs"), int | float):
            return float(limit["resetMs"]) / 1000
        if isinstance(limit.get("reset"), int | float):
            return float(limit["reset"])
    except (ValueError, AttributeError, RecursionError):
        pass
    return 0.0


def _bounded(wait: float) -> float:
    """A wait from the server, as a number of seconds we can sleep: at least a tenth of
    a second (a reset already past still needs the bucket to refill), never infinite."""
    if not math.isfinite(wait):
        return 1.0
    return max(0.1, wait)


def _refused(method: str, path: str, answer: Answer, token: str) -> InputError:
    status = answer.status
    if status in (401, 403):
        detail = said(answer.body, token)
        note = f": {detail}" if detail else ""
        return InputError(
            f"vercel: the API refused {method} {path} (HTTP {status}{note}): "
            "check VERCEL_TOKEN and VERCEL_TEAM_ID"
        )
    if status == 404:
        return InputError(
            f"vercel: {method} {path}: not found (HTTP 404): check the project and team"
        )
    if 300 <= status < 400:
        return InputError(
            f"vercel: {method} {path} was redirected (HTTP {status}); the API does not redirect"
        )
    detail = said(answer.body, token) or "request failed"
    return InputError(f"vercel: {method} {path}: HTTP {status}: {detail}")


@dataclass(frozen=True)
class Written:
    """A write's answer: its status, its JSON body (None when not JSON), the request id
    Vercel gives it (`x-vercel-id`, for the journal) and what its error says, safe to show."""

    status: int
    data: Any
    request_id: str
    said: str


def _json(method: str, path: str, answer: Answer, token: str) -> dict[str, Any]:
    if answer.status >= 300 or answer.status < 200:
        raise _refused(method, path, answer, token)
    try:
        body = json.loads(answer.body)
    except (ValueError, RecursionError):
        raise InputError(f"vercel: {method} {path}: the API answered with malformed JSON") from None
    if not isinstance(body, dict):
        raise InputError(
            f"vercel: {method} {path}: the answer is {kind_of(body)}, expected an object"
        )
    if limits.too_deep(body):
        raise InputError(
            f"vercel: {method} {path}: the answer nests more than {limits.MAX_DEPTH} levels "
            "(MAX_DEPTH)"
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

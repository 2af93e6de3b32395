"""A small, careful client for the Vercel REST API, on httpx.

It reads VERCEL_TOKEN, VERCEL_TEAM_ID and VERCEL_API_URL; times out every request;
retries a bounded number of times, honouring Retry-After on 429 and backing off on 5xx;
and turns every failure into a one-line InputError. The token goes in a header and never
into a message, a URL or an exception.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from meterr_config.errors import InputError

DEFAULT_API = "https://api.vercel.com"


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
        base = os.environ.get("VERCEL_API_URL") or DEFAULT_API
        _check_url(base)
        return cls(token, base.rstrip("/"), os.environ.get("VERCEL_TEAM_ID") or None)

    def __repr__(self) -> str:  # never show the token, even in a debugger or a log
        return f"ApiConfig(base_url={_shown(self.base_url)!r}, team_id={self.team_id!r})"


def _shown(url: str) -> str:
    """`url` as scheme, host, port and path only: its `user:password@` may be a credential."""
    try:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "VERCEL_API_URL"
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


def _message(response: httpx.Response) -> str:
    try:
        error = response.json().get("error", {})
        return str(error.get("message") or error.get("code") or "")[:200]
    except ValueError:
        return ""


class VercelClient:
    """GET requests with timeouts, bounded retries and one-line errors; counts its requests."""

    def __init__(
        self,
        config: ApiConfig,
        *,
        timeout: float = 10.0,
        retries: int = 3,
        max_wait: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.retries = retries
        self.max_wait = max_wait
        self.sleep = sleep
        self.requests = 0
        self._http = httpx.Client(
            base_url=config.base_url,
            timeout=timeout,
            headers={"Authorization": f"Bearer {config.token}", "User-Agent": "meterr-config"},
            follow_redirects=False,
            # Plain http (a local test server) needs no certificates: skip loading them.
            verify=not config.base_url.startswith("http://"),
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def _send(self, path: str, params: dict[str, Any]) -> httpx.Response:
        if self.config.team_id:
            params = {**params, "teamId": self.config.team_id}
        self.requests += 1
        try:
            return self._http.get(path, params=params)
        except httpx.TimeoutException:
            raise _Retry(f"{path}: no answer within {self._http.timeout.read} s") from None
        except httpx.InvalidURL:
            raise InputError(f"cannot call {_shown(self.config.base_url)}: invalid URL") from None
        except httpx.TransportError as exc:
            reason = type(exc).__name__.replace("Error", "").lower() or "error"
            raise InputError(f"cannot reach {_shown(self.config.base_url)} ({reason})") from None

    def get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """GET a JSON object, retrying 429, 5xx and timeouts a bounded number of times."""
        problem = ""
        for attempt in range(self.retries + 1):
            try:
                response = self._send(path, params or {})
            except _Retry as exc:
                problem = str(exc)
                self.sleep(min(2**attempt * 0.5, self.max_wait))
                continue
            status = response.status_code
            if status == 429:
                problem = f"{path}: rate limited (HTTP 429)"
                self.sleep(min(_retry_after(response), self.max_wait))
                continue
            if status >= 500:
                problem = f"{path}: HTTP {status}"
                self.sleep(min(2**attempt * 0.5, self.max_wait))
                continue
            return _json(path, response)
        raise InputError(f"{problem}; gave up after {self.retries + 1} attempts")


class _Retry(Exception):
    """A failure worth another attempt."""


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0


def _json(path: str, response: httpx.Response) -> dict[str, Any]:
    status = response.status_code
    if status in (401, 403):
        detail = _message(response)
        said = f": {detail}" if detail else ""
        raise InputError(
            f"Vercel refused the request to {path} (HTTP {status}{said}): "
            "check VERCEL_TOKEN and VERCEL_TEAM_ID"
        )
    if status == 404:
        raise InputError(f"{path}: not found (HTTP 404): check the project name and team")
    if status >= 400:
        raise InputError(f"{path}: HTTP {status}: {_message(response) or 'request failed'}")
    try:
        body = response.json()
    except ValueError:
        raise InputError(f"{path}: the API answered with malformed JSON") from None
    if not isinstance(body, dict):
        raise InputError(f"{path}: the API answered with {type(body).__name__}, not an object")
    return body

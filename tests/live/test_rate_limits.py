"""How long the Vercel client waits on a 429, from what the API sends: Retry-After in
seconds or as an HTTP date, X-RateLimit-Reset, or the body's limit.resetMs; within a cap
for the whole run, and never after the last attempt."""

from __future__ import annotations

import json

import httpx
import pytest

from meterr_config.errors import InputError
from meterr_config.sources.http import Answer
from meterr_config.sources.vercel import vercel_snapshot
from meterr_config.sources.vercel_api import ApiConfig, VercelClient, rate_limit_wait
from tests.live.vercel_server import FakeVercel

NOW = 1_800_000_000.0


def _answer(headers: dict[str, str], body: object = None) -> Answer:
    return Answer(429, httpx.Headers(headers), json.dumps(body or {}).encode())


@pytest.mark.parametrize(
    ("headers", "body", "wait"),
    [
        ({"Retry-After": "7"}, None, 7.0),
        ({"Retry-After": "Fri, 15 Jan 2027 08:00:05 GMT"}, None, 5.0),  # NOW + 5 s
        ({"X-RateLimit-Reset": str(int(NOW) + 42)}, None, 42.0),
        ({}, {"error": {"limit": {"resetMs": (NOW + 12.5) * 1000}}}, 12.5),
        ({}, {"error": {"limit": {"reset": NOW + 3}}}, 3.0),
        ({"X-RateLimit-Reset": str(int(NOW) - 10)}, None, 0.1),  # already past: a moment
        ({"Retry-After": "soon"}, None, 0.1),  # neither seconds nor a date, nothing else
        ({}, None, 0.1),
    ],
)
def test_the_wait_comes_from_what_the_api_sends(
    headers: dict[str, str], body: object, wait: float
) -> None:
    assert rate_limit_wait(_answer(headers, body), NOW) == pytest.approx(wait)


def test_without_retry_after_the_reset_header_is_waited_for() -> None:
    waits: list[float] = []
    with FakeVercel(mode="429-reset") as api:
        client = VercelClient(ApiConfig(api.token, api.url), sleep=waits.append)
        try:
            vercel_snapshot("meterr@production", client)
        finally:
            client.close()
    # The fake's bucket refills two seconds after each first request.
    assert waits and all(1.0 <= wait <= 2.3 for wait in waits)


def test_a_wait_past_the_cap_is_one_line_and_no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("METERR_CONFIG_RATE_WAIT", "0.5")
    waits: list[float] = []
    with FakeVercel(mode="429") as api:
        client = VercelClient(ApiConfig(api.token, api.url), sleep=waits.append)
        with pytest.raises(InputError) as caught:
            vercel_snapshot("meterr@production", client)
        client.close()
    assert waits == []
    assert caught.value.one_line().startswith(
        "vercel: GET /v9/projects/meterr: rate limited, and waiting 1."
    )
    assert caught.value.one_line().endswith(
        "more would pass 0.5 s in all (RATE_WAIT_SECONDS; METERR_CONFIG_RATE_WAIT sets it)"
    )


def test_the_last_attempt_is_not_followed_by_a_wait() -> None:
    waits: list[float] = []
    with FakeVercel(mode="500") as api:
        client = VercelClient(ApiConfig(api.token, api.url), retries=2, sleep=waits.append)
        with pytest.raises(InputError) as caught:
            vercel_snapshot("meterr@production", client)
        client.close()
    assert waits == [0.5, 1.0]  # three attempts, two waits
    assert caught.value.one_line().endswith("gave up after 3 attempts")

"""The vercel: source against a real HTTP server answering in the Vercel API's shapes."""

from __future__ import annotations

import contextlib
import json
import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from meterr_config import limits
from meterr_config.errors import InputError
from meterr_config.sources.vercel import vercel_snapshot
from meterr_config.sources.vercel_api import ApiConfig, VercelClient
from tests.conftest import Runner
from tests.live.vercel_server import FakeVercel, sample_deployments, sample_envs

MATCHING_PROJECT = {"resourceConfig": {"functionDefaultTimeout": 30}}


def matching_envs() -> list[dict[str, Any]]:
    """The sample variables as the models declare them: non-secrets encrypted, CUSTOM_KEY set."""
    envs = [{**e, "type": "encrypted"} if e["type"] == "plain" else e for e in sample_envs()]
    envs.append(
        {
            "key": "CUSTOM_KEY",
            "value": "",
            "type": "encrypted",
            "target": ["production"],
            "id": "env_custom",
            "createdAt": 1,
            "updatedAt": 1,
        }
    )
    return envs


def _env(api: FakeVercel) -> dict[str, str]:
    return {**os.environ, "VERCEL_TOKEN": api.token, "VERCEL_API_URL": api.url}


def _diff(cli: Runner, api: FakeVercel, *extra: str) -> tuple[int, list[dict[str, Any]], str]:
    result = cli(
        "diff", "env:production", "vercel:meterr@production", "-f", "json", *extra, env=_env(api)
    )
    assert api.token not in result.out + result.err
    assert "Traceback" not in result.err
    changes = json.loads(result.out).get("changes", []) if result.out else []
    return result.code, changes, result.err


def test_live_project_matching_the_models_has_no_differences(cli: Runner) -> None:
    with FakeVercel(envs=matching_envs(), project=MATCHING_PROJECT) as api:
        code, changes, _ = _diff(cli, api)
    assert (code, changes) == (0, [])


@pytest.fixture
def drifted() -> Iterator[FakeVercel]:
    envs = [
        e for e in matching_envs() if not (e["key"] == "REDIS_URL" and e["type"] == "sensitive")
    ]
    for e in envs:
        if e["key"] == "JWT_SECRET" and e.get("target") == ["production"]:
            e.update(type="plain", value="not-so-secret-after-all")
        if e["key"] == "ENCRYPTION_KEY" and e.get("target") == ["production"]:
            e["target"] = ["preview", "production"]
    envs.append(
        {
            "key": "LEGACY_TOKEN",
            "value": "",
            "type": "sensitive",
            "target": ["production"],
            "id": "env_legacy",
            "createdAt": 2,
            "updatedAt": 2,
        }
    )
    deployments = sample_deployments()
    deployments["production"] = {
        **deployments["production"],
        "regions": ["iad1"],
        "crons": [{"path": "/api/cron/cleanup", "schedule": "0 3 * * *"}],
    }
    with FakeVercel(
        envs=envs,
        deployments=deployments,
        project={"nodeVersion": "20.x", "resourceConfig": {"functionDefaultTimeout": 60}},
    ) as api:
        yield api


def test_drift_against_the_live_project(cli: Runner, drifted: FakeVercel) -> None:
    code, changes, _ = _diff(cli, drifted)
    assert code == 1
    found = {(c["kind"], " > ".join(c["path"])): (c["old"], c["new"]) for c in changes}
    assert ("removed", "env > REDIS_URL") in found  # missing in Vercel
    assert ("added", "env > LEGACY_TOKEN") in found  # extra in Vercel
    assert found[("changed", "env > JWT_SECRET > type")] == ("sensitive", "plain")
    assert found[("changed", "env > JWT_SECRET > secret")] == (True, False)
    assert found[("added", "env > ENCRYPTION_KEY > targets")] == (None, ["preview", "production"])
    assert found[("changed", "vercel.json > crons > /api/cron/cleanup > schedule")] == (
        "0 2 * * *",
        "0 3 * * *",
    )
    assert found[("changed", "vercel.json > regions")] == (["iad1", "sfo1"], ["iad1"])
    assert found[("changed", "project > node_version")] == ("22.x", "20.x")
    assert found[("changed", "project > function_default_timeout")] == (30, 60)
    assert "not-so-secret-after-all" not in json.dumps(changes)


def test_every_page_of_variables_is_read(cli: Runner) -> None:
    with FakeVercel(envs=matching_envs(), project=MATCHING_PROJECT, page_size=5) as api:
        code, changes, _ = _diff(cli, api)
        env_pages = [r for r in api.requests if r.path == "/v10/projects/meterr/env"]
        total = len(api.requests)
    assert (code, changes) == (0, [])
    assert len(env_pages) == 7  # 35 variables, 5 a page
    assert [bool(r.query.get("until")) for r in env_pages] == [False] + [True] * 6
    assert {r.query.get("limit") for r in env_pages} == {"100"}  # the fake pages by 5
    assert total == 7 + 3  # project, custom environments, the deployment targets names


@contextlib.contextmanager
def _client(api: FakeVercel, **kwargs: Any) -> Iterator[VercelClient]:
    """A client of the fake; closed afterwards (vercel_snapshot closes only its own)."""
    client = VercelClient(ApiConfig(api.token, api.url), **kwargs)
    try:
        yield client
    finally:
        client.close()


def test_429_waits_for_retry_after_then_succeeds() -> None:
    waits: list[float] = []
    with (
        FakeVercel(envs=matching_envs(), mode="429") as api,
        _client(api, sleep=waits.append) as client,
    ):
        snap = vercel_snapshot("meterr@production", client)
    assert "JWT_SECRET" in snap.env
    assert waits and all(1.0 <= wait <= 1.1 for wait in waits)  # Retry-After, plus jitter


def test_500_is_retried_with_backoff() -> None:
    waits: list[float] = []
    with (
        FakeVercel(envs=matching_envs(), mode="500-once") as api,
        _client(api, sleep=waits.append) as client,
    ):
        vercel_snapshot("meterr@production", client)
    assert waits and set(waits) == {0.5}


def test_a_slow_api_times_out_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "READ_SECONDS", 0.5)
    with (
        FakeVercel(mode="slow") as api,
        _client(api, retries=1, sleep=lambda _: None) as client,
        pytest.raises(InputError) as caught,
    ):
        vercel_snapshot("meterr@production", client)
    assert caught.value.one_line() == (
        "vercel: GET /v9/projects/meterr: no answer within 0.5 s (READ_SECONDS); "
        "gave up after 2 attempts"
    )


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        (
            "malformed",
            "meterr-config: error: vercel: GET /v9/projects/meterr: "
            "the API answered with malformed JSON\n",
        ),
        (
            "401",
            "meterr-config: error: vercel: the API refused GET /v9/projects/meterr (HTTP 401: "
            "The request is missing an authentication token): "
            "check VERCEL_TOKEN and VERCEL_TEAM_ID\n",
        ),
    ],
)
def test_fault_modes_are_one_line_errors(cli: Runner, mode: str, message: str) -> None:
    with FakeVercel(mode=mode) as api:
        code, _, err = _diff(cli, api)
    assert (code, err) == (2, message)


def test_unknown_project_wrong_token_and_unreachable_api(cli: Runner) -> None:
    with FakeVercel() as api:
        result = cli("diff", "production", "vercel:nope", env=_env(api))
        assert result.err == (
            "meterr-config: error: vercel: GET /v9/projects/nope: not found (HTTP 404): "
            "check the project and team\n"
        )
        wrong = {**_env(api), "VERCEL_TOKEN": "tok_wrong_canary"}
        result = cli("diff", "production", "vercel:meterr", env=wrong)
        assert result.code == 2 and "tok_wrong_canary" not in result.out + result.err
        assert "HTTP 403" in result.err
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    closed = {
        **os.environ,
        "VERCEL_TOKEN": "tok_x_canary",
        "VERCEL_API_URL": f"http://127.0.0.1:{port}",
    }
    result = cli("diff", "production", "vercel:meterr", env=closed)
    assert result.err == f"meterr-config: error: cannot reach http://127.0.0.1:{port} (connect)\n"
    missing = {k: v for k, v in os.environ.items() if k != "VERCEL_TOKEN"}
    result = cli("diff", "production", "vercel:meterr", env=missing)
    assert result.err == (
        "meterr-config: error: VERCEL_TOKEN is not set: the vercel: source needs an access token\n"
    )


def test_lint_reads_the_live_project(cli: Runner) -> None:
    with FakeVercel(envs=matching_envs(), project=MATCHING_PROJECT) as api:
        result = cli("lint", "vercel:meterr@production", "-f", "json", env=_env(api))
    assert api.token not in result.out + result.err
    doc = json.loads(result.out)
    assert doc["environments"] == ["vercel:meterr@production"]


def test_plain_storage_and_missing_optional_variables_are_expected(cli: Runner) -> None:
    """Vercel's own sample: non-secrets stored as plain, CUSTOM_KEY (optional) not set."""
    with FakeVercel(project=MATCHING_PROJECT) as api:
        code, changes, _ = _diff(cli, api)
    assert code == 0
    assert changes and all(c["expected"] for c in changes)


def test_an_unknown_target_is_bad_input(cli: Runner) -> None:
    with FakeVercel() as api:
        result = cli("diff", "production", "vercel:meterr@nosuch", env=_env(api))
    assert result.err == (
        "meterr-config: error: vercel:meterr@nosuch: no such target "
        "(known: production, preview, development, staging)\n"
    )


def test_lint_of_live_state_does_not_guess_headers(cli: Runner) -> None:
    with FakeVercel(envs=matching_envs(), project=MATCHING_PROJECT) as api:
        result = cli("lint", "vercel:meterr@production", "-f", "json", env=_env(api))
    rules = {f["rule"] for f in json.loads(result.out)["findings"]}
    assert not {r for r in rules if r.startswith(("HDR", "CORS"))}
    assert result.code == 0

"""The team a vercel: read is scoped to, found as the Vercel CLI finds it, and custom
environments named by id."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from meterr_config.errors import InputError
from meterr_config.sources.vercel import vercel_snapshot
from meterr_config.sources.vercel_api import ApiConfig, VercelClient
from tests.live.vercel_server import STAGING_ID, FakeVercel


def _scopes(api: FakeVercel, config: ApiConfig) -> set[tuple[str | None, str | None]]:
    client = VercelClient(config)
    try:
        vercel_snapshot("meterr@production", client)
    finally:
        client.close()
    return {(r.query.get("teamId"), r.query.get("slug")) for r in api.requests}


@pytest.mark.parametrize(
    ("environment", "linked", "scope"),
    [
        ({"VERCEL_TEAM_ID": "team_abc"}, None, ("team_abc", None)),
        ({"VERCEL_TEAM_ID": "meterr"}, None, (None, "meterr")),  # a slug
        ({"VERCEL_ORG_ID": "team_org"}, None, ("team_org", None)),
        ({}, {"orgId": "team_linked", "projectId": "prj_meterr"}, ("team_linked", None)),
        ({}, {"orgId": "usr_personal", "projectId": "prj_meterr"}, (None, None)),
        ({}, None, (None, None)),
    ],
)
def test_the_team_comes_from_the_variables_or_the_linked_project(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    environment: dict[str, str],
    linked: dict[str, str] | None,
    scope: tuple[str | None, str | None],
) -> None:
    for name in ("VERCEL_TEAM_ID", "VERCEL_ORG_ID"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    if linked is not None:
        (tmp_path / ".vercel").mkdir()
        (tmp_path / ".vercel" / "project.json").write_text(json.dumps(linked))
    with FakeVercel() as api:
        monkeypatch.setenv("VERCEL_TOKEN", api.token)
        monkeypatch.setenv("VERCEL_API_URL", api.url)
        assert _scopes(api, ApiConfig.from_env(tmp_path)) == {scope}


def test_a_custom_environment_can_be_named_by_its_id() -> None:
    with FakeVercel() as api:
        client = VercelClient(ApiConfig(api.token, api.url))
        by_id = vercel_snapshot(f"meterr@{STAGING_ID}", client)
        by_slug = vercel_snapshot("meterr@staging", client)
        client.close()
    assert by_id.target == "staging"
    assert by_id.env == by_slug.env and by_id.env


def test_a_linked_project_file_is_read_as_any_input(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A FIFO there is refused at once (never waited on), bad JSON is one line."""
    for name in ("VERCEL_TEAM_ID", "VERCEL_ORG_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VERCEL_TOKEN", "tok")
    (tmp_path / ".vercel").mkdir()
    linked = tmp_path / ".vercel" / "project.json"
    linked.write_text("{not json")
    with pytest.raises(InputError) as caught:
        ApiConfig.from_env(tmp_path)
    assert caught.value.one_line() == f"{linked}: not a JSON object"
    linked.unlink()
    os.mkfifo(linked)
    with pytest.raises(InputError):
        ApiConfig.from_env(tmp_path)

"""Targets and branches: `vercel:PROJECT@preview:BRANCH` is what that branch's
deployments get (the generic preview values and its overrides), and a variable on
another target is said to be there, not merely missing."""

from __future__ import annotations

import json
import os
from typing import Any

from meterr_config.sources.vercel import vercel_snapshot
from meterr_config.sources.vercel_api import ApiConfig, VercelClient
from tests.conftest import Runner
from tests.live.test_vercel_source import MATCHING_PROJECT, matching_envs
from tests.live.vercel_server import FakeVercel

BRANCH = "feature/new-dashboard"


def _item(key: str, value: str, target: list[str], created: int, **more: Any) -> dict[str, Any]:
    return {
        "id": f"env_{created}",
        "key": key,
        "value": value,
        "type": "plain",
        "target": target,
        "createdAt": created,
        "updatedAt": created,
        **more,
    }


def test_a_branch_gets_the_preview_values_and_its_overrides() -> None:
    envs = [
        _item("API_URL", "https://api.preview.meterr.ai", ["preview"], 1),
        _item("LOG_LEVEL", "debug", ["preview"], 2),
        _item("API_URL", "https://api.dashboard.meterr.ai", ["preview"], 3, gitBranch=BRANCH),
        _item("FLAG_X", "on", ["preview"], 4, gitBranch="other"),
    ]
    with FakeVercel(envs=envs) as api:
        client = VercelClient(ApiConfig(api.token, api.url))
        branch = vercel_snapshot(f"meterr@preview:{BRANCH}", client)
        generic = vercel_snapshot("meterr@preview", client)
        client.close()
    assert {n: e.value for n, e in branch.env.items()} == {
        "API_URL": "https://api.dashboard.meterr.ai",
        "LOG_LEVEL": "debug",
    }
    assert {n: e.value for n, e in generic.env.items()} == {
        "API_URL": "https://api.preview.meterr.ai",
        "LOG_LEVEL": "debug",
    }
    assert branch.name == f"vercel:meterr@preview:{BRANCH}"
    assert branch.elsewhere == {"FLAG_X": ("preview:other",)}


def test_a_variable_on_the_wrong_target_is_said_to_be_there(cli: Runner) -> None:
    envs = matching_envs()
    for item in envs:
        if item["key"] == "JWT_SECRET" and item.get("target") == ["production"]:
            item["target"] = ["preview"]
    with FakeVercel(envs=envs, project=MATCHING_PROJECT) as api:
        env = {**os.environ, "VERCEL_TOKEN": api.token, "VERCEL_API_URL": api.url}
        text = cli("diff", "env:production", "vercel:meterr@production", env=env)
        data = cli("diff", "env:production", "vercel:meterr@production", "-f", "json", env=env)
    assert text.code == 1
    assert "  - JWT_SECRET: " in text.out
    assert "(unexpected)  (on preview, staging, not production)" in text.out
    (change,) = json.loads(data.out)["changes"]
    assert (change["path"], change["kind"], change["note"]) == (
        ["env", "JWT_SECRET"],
        "removed",
        "on preview, staging, not production",
    )


def test_a_branch_needs_the_preview_target(cli: Runner) -> None:
    result = cli("diff", "production", "vercel:meterr@production:main")
    assert result.code == 2
    assert result.err == (
        "meterr-config: error: vercel:meterr@production:main: a branch goes with the "
        "preview target, as vercel:PROJECT@preview:BRANCH\n"
    )

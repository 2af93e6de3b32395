"""What the vercel: source knows of a value: a plain one as stored; an encrypted one not
at all from the listing (ciphertext, `decrypted: false`), and with --decrypt by its digest
only; a sensitive one never."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from meterr_config.sources.vercel import vercel_snapshot
from meterr_config.sources.vercel_api import ApiConfig, VercelClient
from tests.conftest import Runner
from tests.live.test_vercel_source import MATCHING_PROJECT, matching_envs
from tests.live.vercel_server import FakeVercel, ciphertext

STALE = "https://api.old-region.meterr.ai"


def _env(api: FakeVercel) -> dict[str, str]:
    return {**os.environ, "VERCEL_TOKEN": api.token, "VERCEL_API_URL": api.url}


def _stale_api_url(envs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for item in envs:
        if item["key"] == "NEXT_PUBLIC_API_URL" and item.get("target") == ["production"]:
            item["value"] = STALE
    return envs


def test_an_encrypted_value_is_unknown_not_its_ciphertext() -> None:
    with FakeVercel(envs=matching_envs(), project=MATCHING_PROJECT) as api:
        client = VercelClient(ApiConfig(api.token, api.url))
        snap = vercel_snapshot("meterr@production", client)
        client.close()
        listed = next(i for i in api.envs if i["key"] == "NODE_ENV")
    entry = snap.env["NODE_ENV"]
    assert (entry.type, entry.value, entry.sealed) == ("encrypted", None, None)
    assert ciphertext(listed) not in repr(snap.env)  # what the listing answered


def test_a_pulled_file_matching_vercel_shows_no_false_value_change(
    cli: Runner, tmp_path: Path
) -> None:
    """The issue's case: every encrypted variable used to differ from the .env file."""
    dotenv = tmp_path / ".env.production.local"
    dotenv.write_text("NODE_ENV=production\nNEXT_PUBLIC_API_URL=https://api.meterr.ai\n")
    with FakeVercel(envs=matching_envs(), project=MATCHING_PROJECT) as api:
        result = cli(
            "diff", f"dotenv:{dotenv}", "vercel:meterr@production", "-f", "json", env=_env(api)
        )
    changes = json.loads(result.out)["changes"]
    assert [c["path"] for c in changes if c["path"][-1] == "value"] == []


def test_decrypt_compares_each_encrypted_value_by_digest(cli: Runner) -> None:
    envs = _stale_api_url(matching_envs())
    with FakeVercel(envs=envs, project=MATCHING_PROJECT) as api:
        args = ("diff", "env:production", "vercel:meterr@production", "-f", "json")
        plain = cli(*args, env=_env(api))
        decrypted = cli(*args, "--decrypt", env=_env(api))
        reads = [r.path for r in api.requests if r.path.startswith("/v1/projects/")]
        encrypted = [
            i for i in api.envs if i["type"] == "encrypted" and "production" in i["target"]
        ]
        most = api.most_in_flight
    assert plain.code == 0  # without --decrypt the stale value cannot be seen
    assert decrypted.code == 1
    changes = json.loads(decrypted.out)["changes"]
    (change,) = [c for c in changes if c["path"][-1] == "value"]
    assert change["path"] == ["env", "NEXT_PUBLIC_API_URL", "value"]
    assert change["old"] == "https://api.meterr.ai"
    assert change["new"].startswith(f"<redacted: {len(STALE)} chars, sha256:")
    assert STALE not in decrypted.out + decrypted.err
    assert len(reads) == len(encrypted)  # one request per encrypted variable of the target
    assert most <= 4


def test_sensitive_values_are_never_asked_for(cli: Runner) -> None:
    with FakeVercel(envs=matching_envs(), project=MATCHING_PROJECT) as api:
        cli("diff", "env:production", "vercel:meterr@production", "--decrypt", env=_env(api))
        asked = {r.path.rsplit("/", 1)[-1] for r in api.requests if "/env/" in r.path}
        sensitive = {i["id"] for i in api.envs if i["type"] == "sensitive"}
    assert asked and not asked & sensitive


def test_a_decrypted_word_is_not_scrubbed_from_the_output(cli: Runner) -> None:
    """NODE_ENV's decrypted "production" is no credential: the scrubber must not learn it
    and redact every "production" of the report."""
    with FakeVercel(envs=_stale_api_url(matching_envs()), project=MATCHING_PROJECT) as api:
        result = cli(
            "diff", "env:production", "vercel:meterr@production", "--decrypt", env=_env(api)
        )
    assert "between env:production and vercel:meterr@production." in result.out
    assert "project.targets.production" in result.err

"""The deployment a vercel: snapshot reads is the one that serves: production's from
`project.targets`, whatever was deployed after it (a failed build, a staged one, or the
one an instant rollback took down); another target's newest READY deployment. The
snapshot's notes say which deployment was read."""

from __future__ import annotations

from meterr_config.snapshot import Snapshot
from meterr_config.sources.vercel import vercel_snapshot
from meterr_config.sources.vercel_api import ApiConfig, VercelClient
from tests.live.test_vercel_server import assert_matches
from tests.live.vercel_server import FakeVercel, sample_deployments


def _snapshot(api: FakeVercel, target: str = "production") -> Snapshot:
    client = VercelClient(ApiConfig(api.token, api.url))
    try:
        return vercel_snapshot(f"meterr@{target}", client)
    finally:
        client.close()


LATER = [
    ("production", {"readyState": "ERROR", "regions": ["cdg1"]}),
    ("production", {"readyState": "CANCELED", "regions": ["hnd1"]}),
    ("production", {"readyState": "READY", "readySubstate": "STAGED", "regions": ["syd1"]}),
]


def test_production_is_read_from_project_targets_not_the_newest_deployment() -> None:
    with FakeVercel(later=LATER) as api:
        snap = _snapshot(api)
        serving = api.deployment("production")
        asked = api.paths()
    assert snap.vercel is not None and snap.vercel["regions"] == ["iad1", "sfo1"]
    assert "/v6/deployments" not in asked  # targets named it
    assert snap.notes[0].startswith(f"read deployment {serving['id']} (https://{serving['url']}")
    assert snap.notes[0].endswith(": project.targets.production")


def test_after_an_instant_rollback_what_it_brought_back_is_read_and_said() -> None:
    with FakeVercel(rolled_back=True) as api:
        assert_matches(api.project, "/v9/projects/{idOrName}")
        snap = _snapshot(api)
        taken_down = api.project["lastAliasRequest"]["fromDeploymentId"]
    assert snap.vercel is not None and snap.vercel["regions"] == ["iad1", "sfo1"]  # not fra1
    assert snap.notes[1] == (
        f"production was rolled back from {taken_down}: what is compared is what the "
        "rollback brought back"
    )


def test_another_target_is_its_newest_ready_deployment() -> None:
    later = [("staging", {"readyState": "ERROR", "regions": ["cdg1"]})]
    with FakeVercel(later=later) as api:
        snap = _snapshot(api, "staging")
        listed = [r for r in api.requests if r.path == "/v6/deployments"]
    assert snap.vercel is not None and snap.vercel["regions"] == ["iad1", "sfo1"]
    assert [(r.query["target"], r.query["state"]) for r in listed] == [("staging", "READY")]
    assert snap.notes[0].endswith(": the newest READY staging deployment")


def test_no_ready_deployment_is_a_note_and_no_settings() -> None:
    deployments = {"production": sample_deployments()["production"]}
    with FakeVercel(deployments=deployments) as api:
        snap = _snapshot(api, "preview")
    assert snap.vercel is not None and "crons" not in snap.vercel  # production's only
    assert "vercel.json/crons" not in snap.knows and "vercel.json/functions" not in snap.knows
    assert snap.notes == ("no READY preview deployment: its crons and functions are not compared",)


def test_an_account_without_custom_environments_reads_fine() -> None:
    """A 404 from /custom-environments means none, as the CLI reads it."""
    deployments = {"production": sample_deployments()["production"]}
    with FakeVercel(plain_account=True, deployments=deployments) as api:
        snap = _snapshot(api)
    assert snap.target == "production" and "NODE_ENV" in snap.env


def test_disabled_crons_are_not_configured_and_a_note_says_so() -> None:
    with FakeVercel(project={"crons": {"disabledAt": 1_730_000_100_000}}) as api:
        snap = _snapshot(api)
    assert snap.vercel is not None and "crons" not in snap.vercel
    assert "cron jobs are disabled for the project (crons.disabledAt): none runs" in snap.notes


def test_an_unset_resource_config_value_is_the_default_resource_config_s() -> None:
    project = {
        "resourceConfig": {"functionDefaultTimeout": None, "functionDefaultRegions": None},
        "defaultResourceConfig": {"functionDefaultTimeout": 90, "functionDefaultRegions": ["fra1"]},
    }
    with FakeVercel(project=project, deployments={}) as api:
        snap = _snapshot(api)
    assert snap.function_default_timeout == 90
    assert snap.vercel is not None and snap.vercel["regions"] == ["fra1"]

"""`apply --redeploy`: a new deployment of the one that serves a target, so that it has
the variables just written. The request is the Vercel CLI's own `vercel redeploy`
(packages/cli/src/commands/redeploy/index.ts): POST /v13/deployments?forceNew=1 with
the deployment to repeat, its project and target."""

from __future__ import annotations

from meterr_config.errors import InputError
from meterr_config.plan.live import LiveState
from meterr_config.sources.vercel_api import VercelClient
from meterr_config.sources.vercel_deploy import serving
from meterr_config.sources.vercel_shape import Field

STANDARD = ("production", "preview")


def redeploy(client: VercelClient, live: LiveState, target: str) -> str:
    """Redeploy what serves `target`; the line that says where the new one is."""
    deployment, _ = serving(client, live.project, live.project_id, target)
    if deployment is None:
        return f"{target}: no deployment serves it, so there is nothing to redeploy"
    ident = deployment.get("id").string(required=True)
    body: dict[str, object] = {
        "deploymentId": ident,
        "name": live.project.get("name").string() or live.name,
        "meta": {"action": "redeploy"},
    }
    if target in STANDARD:
        body["target"] = target
    else:
        body["customEnvironmentSlugOrId"] = target
    written = client.write("POST", "/v13/deployments", body, {"forceNew": "1"})
    if written.status // 100 != 2:
        said = f": {written.said}" if written.said else ""
        raise InputError(f"vercel: redeploying {target} was refused (HTTP {written.status}{said})")
    answer = Field("/v13/deployments (POST)", "", written.data)
    url = answer.get("url").string(required=True)
    new = answer.get("id").string(required=True)
    return f"{target}: redeploying {ident} as {new}, https://{url}"

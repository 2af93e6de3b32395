"""The deployment that serves a target, and what it says of the project's vercel.json:
regions, crons and functions (with the project's own defaults where it says nothing)."""

from __future__ import annotations

from typing import Any

from meterr_config.sources.vercel_api import VercelClient
from meterr_config.sources.vercel_shape import ID, Field, answer, utc_minute

FUNCTION_KEYS = ("architecture", "maxDuration", "memory", "regions", "runtime")


def _deployment(client: VercelClient, uid: Field) -> Field:
    """The full deployment of an id the API gave (checked: it goes into a path)."""
    if not ID.fullmatch(uid.string(required=True) or ""):
        uid.fail("a deployment id (letters, digits, '_' and '-')")
    return answer(client, f"/v13/deployments/{uid.value}")


def serving(
    client: VercelClient, project: Field, project_id: str, target: str
) -> tuple[Field | None, tuple[str, ...]]:
    """The deployment that serves `target`, and notes saying which one was read.

    That is `project.targets.<target>` where the project names one (production: what its
    domains point to, after a promotion or an instant rollback alike); else the newest
    READY deployment of the target (a preview, a custom environment). The newest
    deployment in any state is not it: a failed, canceled or staged build serves nothing,
    and one an instant rollback took down no longer serves."""
    targets = project.get("targets")
    targets.obj()
    named = targets.get(target)
    named.obj()
    if named.get("id").value is not None:
        deployment = _deployment(client, named.get("id"))
        how = f"project.targets.{target}"
    else:
        params = {"projectId": project_id, "target": target, "state": "READY", "limit": 1}
        listing = answer(client, "/v6/deployments", params).get("deployments").items()
        if not listing:
            note = f"no READY {target} deployment: its crons and functions are not compared"
            return None, (note,)
        listing[0].obj(required=True)
        deployment = _deployment(client, listing[0].get("uid"))
        how = f"the newest READY {target} deployment"
    return deployment, (_which(deployment, how), *_rollback(project, deployment))


def _which(deployment: Field, how: str) -> str:
    created = deployment.get("createdAt").number()
    when = utc_minute(created) if created is not None else "at an unknown time"
    url = deployment.get("url").string() or "no URL"
    return f"read deployment {deployment.get('id').string()} (https://{url}, created {when}): {how}"


def _rollback(project: Field, deployment: Field) -> tuple[str, ...]:
    """A note when the deployment serves because of an instant rollback."""
    request = project.get("lastAliasRequest")
    request.obj()
    rolled_back = (
        request.get("type").value == "rollback"
        and request.get("jobStatus").value == "succeeded"
        and request.get("toDeploymentId").value == deployment.get("id").value
    )
    if not rolled_back:
        return ()
    taken_down = request.get("fromDeploymentId").string() or "an unknown deployment"
    return (
        f"production was rolled back from {taken_down}: what is compared is what the "
        "rollback brought back",
    )


def _crons(crons: Field) -> list[dict[str, Any]]:
    out = []
    for cron in crons.items():
        cron.obj(required=True)
        path = cron.get("path").string(required=True)
        out.append({"path": path, "schedule": cron.get("schedule").string(required=True)})
    return out


def _function(config: Field) -> dict[str, Any]:
    """One function's settings, each of the type vercel.json gives it."""
    config.obj(required=True)
    out: dict[str, Any] = {}
    for key in FUNCTION_KEYS:
        member = config.get(key)
        if member.value is None:
            continue
        if key == "regions":
            out[key] = member.strings()
        elif key == "memory" or (key == "maxDuration" and not isinstance(member.value, str)):
            out[key] = member.number()
        else:
            out[key] = member.string()
    return out


def resource(project: Field, key: str) -> Field:
    """A function default of the project: `resourceConfig`'s, else, where that leaves it
    unset, `defaultResourceConfig`'s (what Vercel applies then)."""
    for table in ("resourceConfig", "defaultResourceConfig"):
        config = project.get(table)
        config.obj()
        if config.get(key).value is not None:
            return config.get(key)
    return project.get("resourceConfig").get(key)


def crons_disabled(project: Field) -> bool:
    """Whether the project's cron jobs are switched off (`crons.disabledAt` is set): the
    deployment still lists them, but none runs."""
    crons = project.get("crons")
    crons.obj()
    return crons.get("disabledAt").number() is not None


def vercel_doc(project: Field, deployment: Field | None, target: str) -> dict[str, Any]:
    crons = project.get("crons")
    crons.obj()
    doc: dict[str, Any] = {
        "framework": project.get("framework").string(),
        "regions": resource(project, "functionDefaultRegions").strings(),
        # The project's crons are its production deployment's: other targets run none.
        "crons": [
            {"path": c["path"], "schedule": c["schedule"]} for c in _crons(crons.get("definitions"))
        ]
        if target == "production"
        else [],
    }
    if deployment is not None:
        doc["regions"] = deployment.get("regions").strings() or doc["regions"]
        doc["crons"] = _crons(deployment.get("crons"))
        doc["functions"] = {
            glob: _function(config) for glob, config in deployment.get("functions").entries()
        }
    if crons_disabled(project):
        doc["crons"] = []
    return {k: v for k, v in doc.items() if v not in (None, [], {})}

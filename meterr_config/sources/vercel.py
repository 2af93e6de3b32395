"""`vercel:PROJECT[@TARGET]`: the live project, its variables and its newest deployment.

Maps into the same Snapshot as the models, so `diff env:production vercel:meterr@production`
and `lint vercel:meterr@production` work. Only what the API can tell is marked as known:
the framework, regions, crons and functions of vercel.json, and the variables.
"""

from __future__ import annotations

from typing import Any

from meterr_config.errors import InputError
from meterr_config.models.envvars import is_public
from meterr_config.snapshot import EnvEntry, Snapshot
from meterr_config.sources.registry import Context
from meterr_config.sources.vercel_api import ApiConfig, VercelClient
from meterr_config.verbosity import working

KNOWS = frozenset(
    {
        "project/node_version",
        "project/function_default_timeout",
        "env",
        "env-meta/secret",
        "env-meta/public",
        "env-meta/type",
        "env-meta/targets",
        "vercel.json/framework",
        "vercel.json/regions",
        "vercel.json/crons",
        "vercel.json/functions",
    }
)
SECRET_TYPES = ("sensitive", "secret")
VALUE_TYPES = ("plain", "encrypted")  # the API returns these values; never sensitive ones
FUNCTION_KEYS = ("architecture", "maxDuration", "memory", "regions", "runtime")


def parse_target(arg: str) -> tuple[str, str]:
    """'meterr@production' -> ('meterr', 'production'); the target defaults to production."""
    project, _, target = arg.partition("@")
    if not project:
        raise InputError(f"vercel:{arg}: name a project, as vercel:PROJECT[@TARGET]")
    return project, target or "production"


def all_envs(client: VercelClient, project: str) -> list[dict[str, Any]]:
    """Every environment variable, following `pagination.next` until it is null."""
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {}
    while True:
        page = client.get(f"/v10/projects/{project}/env", params)
        items += [e for e in page.get("envs", []) if isinstance(e, dict)]
        cursor = (page.get("pagination") or {}).get("next")
        if cursor is None:
            return items
        params = {"until": cursor}


def _targets(item: dict[str, Any], slugs: dict[str, str]) -> tuple[str, ...]:
    target = item.get("target") or []
    names = [target] if isinstance(target, str) else list(target)
    names += [slugs[i] for i in item.get("customEnvironmentIds") or [] if i in slugs]
    return tuple(sorted(set(names)))


def _entry(item: dict[str, Any], targets: tuple[str, ...]) -> EnvEntry:
    name, kind = str(item["key"]), str(item.get("type"))
    return EnvEntry(
        name=name,
        secret=kind in SECRET_TYPES,
        public=is_public(name),
        declared=False,
        value=item.get("value") if kind in VALUE_TYPES else None,
        type=kind,
        targets=targets,
        supplied=True,
    )


def _deployment(client: VercelClient, project_id: str, target: str) -> dict[str, Any] | None:
    listing = client.get("/v6/deployments", {"projectId": project_id, "target": target, "limit": 1})
    deployments = listing.get("deployments") or []
    if not deployments:
        return None
    return client.get(f"/v13/deployments/{deployments[0]['uid']}")


def _vercel_doc(project: dict[str, Any], deployment: dict[str, Any] | None) -> dict[str, Any]:
    resources = project.get("resourceConfig") or {}
    crons = (project.get("crons") or {}).get("definitions") or []
    doc: dict[str, Any] = {
        "framework": project.get("framework"),
        "regions": list(resources.get("functionDefaultRegions") or []),
        "crons": [{"path": c.get("path"), "schedule": c.get("schedule")} for c in crons],
    }
    if deployment is not None:
        doc["regions"] = list(deployment.get("regions") or doc["regions"])
        doc["crons"] = [
            {"path": c["path"], "schedule": c["schedule"]} for c in deployment.get("crons") or []
        ]
        functions = deployment.get("functions") or {}
        doc["functions"] = {
            glob: {k: v for k, v in config.items() if k in FUNCTION_KEYS}
            for glob, config in functions.items()
        }
    return {k: v for k, v in doc.items() if v not in (None, [], {})}


def _check_target(project: str, target: str, custom: set[str]) -> None:
    if target not in ("production", "preview", "development") and target not in custom:
        known = ", ".join(["production", "preview", "development", *sorted(custom)])
        raise InputError(f"vercel:{project}@{target}: no such target (known: {known})")


def vercel_snapshot(arg: str, client: VercelClient | None = None) -> Snapshot:
    """Read the live project for one target into a snapshot."""
    name, target = parse_target(arg)
    own = client is None
    client = client or VercelClient(ApiConfig.from_env())
    try:
        with working(f"reading {name}@{target} from the Vercel API…"):
            project = client.get(f"/v9/projects/{name}")
            customs = client.get(f"/v9/projects/{name}/custom-environments").get("environments")
            slugs = {
                str(e["id"]): str(e["slug"]) for e in customs or [] if "id" in e and "slug" in e
            }
            _check_target(name, target, set(slugs.values()))
            items = all_envs(client, name)
            deployment = _deployment(client, str(project.get("id", name)), target)
    finally:
        if own:
            client.close()
    env: dict[str, EnvEntry] = {}
    for item in items:
        targets = _targets(item, slugs)
        if target in targets and not item.get("gitBranch") and "key" in item:
            env[str(item["key"])] = _entry(item, targets)
    return Snapshot(
        name=f"vercel:{name}@{target}",
        node_version=project.get("nodeVersion"),
        function_default_timeout=(project.get("resourceConfig") or {}).get(
            "functionDefaultTimeout"
        ),
        source="vercel",
        target=target,
        vercel=_vercel_doc(project, deployment),
        env=env,
        values_supplied=True,
        knows=KNOWS,
    )


def read(arg: str, context: Context) -> Snapshot:
    """`vercel:PROJECT[@TARGET]` with VERCEL_TOKEN, VERCEL_TEAM_ID and VERCEL_API_URL."""
    return vercel_snapshot(arg)

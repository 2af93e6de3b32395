"""A local fake of the Vercel REST API: a real HTTP server on 127.0.0.1 for the test suite.

It answers the five GET endpoints the live client reads, in the shapes of the OpenAPI
excerpt in the shared reference (vercel/sdk vercel-spec.json at 1aada4a8):

- ``/v9/projects/{idOrName}``: the project (framework, nodeVersion, crons, resourceConfig,
  customEnvironments)
- ``/v10/projects/{idOrName}/env``: ``{"envs": [...], "pagination": {...}}``, newest first,
  ``page_size`` items a page (fewer when the client's ``limit`` asks for fewer), the next
  page asked for with ``until=<pagination.next>``
- ``/v9/projects/{idOrName}/custom-environments``
- ``/v6/deployments?projectId=&target=&limit=``: newest first; ``target`` may be a custom
  environment's slug (or id)
- ``/v13/deployments/{idOrUrl}``: the full deployment, by uid or by hostname
- ``/v1/projects/{idOrName}/env/{id}``: one variable, an encrypted value decrypted

Values are stored as set (``envs``) and answered as the API answers them: the listing
gives plain values as they are, encrypted ones as ciphertext and sensitive ones empty,
all with ``decrypted: false``; only the single-variable endpoint decrypts an encrypted
value (``decrypted: true``). A sensitive value is never given back.

Every request needs ``Authorization: Bearer <token>`` and is recorded in ``requests``.
``mode`` injects failures: "429", "500-once", "slow", "malformed" and "401" (see MODES).

    with FakeVercel(mode="429") as api:
        client = VercelClient(ApiConfig(api.token, api.url))
        ...
        assert [r.path for r in api.requests] == [...]

Nothing here prints: request logging and handler errors are silenced.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import hashlib
import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.live.vercel_writes import Writes, parse_body, redeployed

DEFAULT_TOKEN = "tok_canary_5f2b9c1d7e3a"
PROJECT_ID = "prj_meterr"
PROJECT_NAME = "meterr"
TEAM_ID = "team_meterr0000000000000000000"
TEAM_SLUG = "meterr"
CREATOR = {"uid": "usr_meterrci000000000000000", "username": "meterr-ci"}
STAGING_ID = "env_staging"

# Every timestamp is fixed, so answers are identical from run to run (2024-10-27T03:33:20Z).
BASE_TS = 1_730_000_000_000
MINUTE = 60_000
HOUR = 60 * MINUTE

MODES = {
    "ok": "every request is answered normally",
    "429": "the first request to each path gets 429 with Retry-After: 1, later ones succeed",
    "429-reset": (
        "the first request to each path gets 429 without Retry-After: X-RateLimit-Reset and "
        "the body's limit.resetMs say the bucket refills 2 s later (on the real clock)"
    ),
    "500-once": "the first request to each path gets 500, later ones succeed",
    "500": "every request gets 500",
    "slow": "every request waits 3 s before it is answered",
    "malformed": 'every request gets 200 with the body {"envs": [ (truncated JSON)',
    "401": "every request gets 401, as when the token is missing",
}
SLOW_SECONDS = 3.0
MALFORMED_BODY = b'{"envs": ['

FORBIDDEN = {"error": {"code": "forbidden", "message": "Not authorized"}}
UNAUTHENTICATED = {
    "error": {"code": "forbidden", "message": "The request is missing an authentication token"}
}
PROJECT_NOT_FOUND = {"error": {"code": "not_found", "message": "Project not found"}}
ENV_NOT_FOUND = {"error": {"code": "not_found", "message": "Environment Variable not found"}}
DEPLOYMENT_NOT_FOUND = {"error": {"code": "not_found", "message": "Deployment not found"}}
PATH_NOT_FOUND = {"error": {"code": "not_found", "message": "The requested path was not found"}}
METHOD_NOT_ALLOWED = {
    "error": {"code": "method_not_allowed", "message": "Only GET is served by this fake"}
}
INTERNAL_ERROR = {
    "error": {"code": "internal_server_error", "message": "An unexpected internal error occurred"}
}
STANDARD_TARGETS = ("production", "preview", "development")


@dataclass(frozen=True)
class Recorded:
    """One request the fake received (the query keeps the last value of a repeated key)."""

    method: str
    path: str
    query: dict[str, str]
    authorization: str | None
    body: bytes = b""


def rate_limited(retry_after: int = 1) -> dict[str, Any]:
    """Vercel's 429 body."""
    reset = BASE_TS // 1000 + retry_after
    return {
        "error": {
            "code": "rate_limited",
            "message": f"Rate limit exceeded, try again in {retry_after} second(s)",
            "limit": {"remaining": 0, "reset": reset, "resetMs": reset * 1000, "total": 100},
        }
    }


def _bad_request(message: str) -> dict[str, Any]:
    return {"error": {"code": "bad_request", "message": message}}


def _digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of `base` with `overrides` merged in: dicts key by key, the rest replaced."""
    merged = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


# --- sample data ---------------------------------------------------------------------------

SECRET_KEYS = (
    "JWT_SECRET",
    "ENCRYPTION_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "CRON_SECRET",
)


def sample_envs() -> list[dict[str, Any]]:
    """The variables of project "meterr" as the API returns them, following environments/*.toml.

    - production (target ["production"]): NEXT_PUBLIC_API_URL="https://api.meterr.ai", the
      seven secrets as "sensitive" with value "" (the API never returns them), and
      FEATURE_NEW_DASHBOARD / FEATURE_SMART_ROUTING_V2 = "false";
    - shared by production and the staging custom environment (target ["production"] and
      customEnvironmentIds ["env_staging"]): NODE_ENV="production", FEATURE_BETA_FEATURES,
      MAINTENANCE_MODE and ROLLBACK_MODE = "false";
    - staging only (target [] and customEnvironmentIds ["env_staging"]):
      NEXT_PUBLIC_API_URL="https://api.staging.meterr.ai", its own seven sensitive secrets,
      FEATURE_NEW_DASHBOARD / FEATURE_SMART_ROUTING_V2 = "true";
    - development: NODE_ENV="development" with target as a plain string "development"
      (the API's other form), NEXT_PUBLIC_API_URL="http://localhost:3000", DATABASE_URL and
      REDIS_URL as plain localhost values (Vercel refuses sensitive variables on
      development), FEATURE_BETA_FEATURES="true" and the other flags "false";
    - one preview variable bound to a git branch (gitBranch "feature/new-dashboard").

    Every non-secret variable is "plain". createdAt values are unique and increase in list
    order, so the newest-first order of the env endpoint is the reverse of this list.
    """
    specs: list[tuple[str, str, str, Any, list[str], str | None]] = []

    def add(
        key: str,
        value: str,
        kind: str,
        target: Any,
        customs: list[str] | None = None,
        branch: str | None = None,
    ) -> None:
        specs.append((key, value, kind, target, customs or [], branch))

    # shared by production and staging
    add("NODE_ENV", "production", "plain", ["production"], [STAGING_ID])
    for flag in ("FEATURE_BETA_FEATURES", "MAINTENANCE_MODE", "ROLLBACK_MODE"):
        add(flag, "false", "plain", ["production"], [STAGING_ID])
    # production only
    add("NEXT_PUBLIC_API_URL", "https://api.meterr.ai", "plain", ["production"])
    for key in SECRET_KEYS:
        add(key, "", "sensitive", ["production"])
    add("FEATURE_NEW_DASHBOARD", "false", "plain", ["production"])
    add("FEATURE_SMART_ROUTING_V2", "false", "plain", ["production"])
    # staging (custom environment) only
    add("NEXT_PUBLIC_API_URL", "https://api.staging.meterr.ai", "plain", [], [STAGING_ID])
    for key in SECRET_KEYS:
        add(key, "", "sensitive", [], [STAGING_ID])
    add("FEATURE_NEW_DASHBOARD", "true", "plain", [], [STAGING_ID])
    add("FEATURE_SMART_ROUTING_V2", "true", "plain", [], [STAGING_ID])
    # development
    add("NODE_ENV", "development", "plain", "development")
    add("NEXT_PUBLIC_API_URL", "http://localhost:3000", "plain", ["development"])
    add("DATABASE_URL", "postgresql://localhost:5432/meterr_dev", "plain", ["development"])
    add("REDIS_URL", "redis://localhost:6379", "plain", ["development"])
    add("FEATURE_BETA_FEATURES", "true", "plain", ["development"])
    for flag in (
        "FEATURE_NEW_DASHBOARD",
        "FEATURE_SMART_ROUTING_V2",
        "MAINTENANCE_MODE",
        "ROLLBACK_MODE",
    ):
        add(flag, "false", "plain", ["development"])
    # a preview variable for one branch
    branch = "feature/new-dashboard"
    add("NEXT_PUBLIC_API_URL", "https://api.staging.meterr.ai", "plain", ["preview"], None, branch)

    items: list[dict[str, Any]] = []
    for index, (key, value, kind, target, customs, git_branch) in enumerate(specs):
        created = BASE_TS + index * MINUTE
        item: dict[str, Any] = {
            "id": _digest("env", key, json.dumps(target), *customs, git_branch or "")[:16],
            "key": key,
            "value": value,
            "type": kind,
            "target": copy.deepcopy(target),
            "configurationId": None,
            "comment": "",
            "customEnvironmentIds": list(customs),
            "createdAt": created,
            "updatedAt": created + (5 * MINUTE if kind == "plain" else 0),
            "createdBy": CREATOR["uid"],
            "updatedBy": None,
        }
        if kind == "sensitive":
            item["decrypted"] = False
        if git_branch is not None:
            item["gitBranch"] = git_branch
        items.append(item)
    return items


def sample_deployments() -> dict[str, dict[str, Any]]:
    """Target -> deployment fields: production, and the staging custom environment.

    Both were built from the same vercel.json: crons [/api/cron/cleanup at "0 2 * * *"],
    regions ["iad1", "sfo1"], functions {"app/api/**/*.ts": {"maxDuration": 30}}. There is
    no preview deployment, so `target=preview` lists nothing.
    """
    config = {
        "crons": [{"path": "/api/cron/cleanup", "schedule": "0 2 * * *"}],
        "regions": ["iad1", "sfo1"],
        "functions": {"app/api/**/*.ts": {"maxDuration": 30}},
    }
    return {"production": copy.deepcopy(config), "staging": copy.deepcopy(config)}


def default_custom_environments() -> list[dict[str, Any]]:
    """The one custom environment: "staging" (env_staging), of type preview."""
    created = BASE_TS - 30 * 24 * HOUR
    return [
        {
            "id": STAGING_ID,
            "slug": "staging",
            "type": "preview",
            "description": "meterr.ai staging",
            "branchMatcher": {"type": "equals", "pattern": "staging"},
            "domains": [
                {
                    "name": "staging.meterr.ai",
                    "apexName": "meterr.ai",
                    "projectId": PROJECT_ID,
                    "redirect": None,
                    "redirectStatusCode": None,
                    "gitBranch": None,
                    "customEnvironmentId": STAGING_ID,
                    "createdAt": created,
                    "updatedAt": created,
                    "verified": True,
                }
            ],
            "currentDeploymentAliases": ["staging.meterr.ai"],
            "createdAt": created,
            "updatedAt": created,
        }
    ]


# --- the fake ------------------------------------------------------------------------------


class FakeVercel:
    """The Vercel REST API on 127.0.0.1, on a free port, in a background thread.

    Keyword arguments (None means the sample data above):

    - envs: env var items exactly as the API returns them; each needs a unique numeric
      ``createdAt`` (the pagination cursor), or the constructor raises ValueError.
    - project: overrides deep-merged into the default project (dicts key by key, anything
      else replaced); its ``id``/``name`` are what the project is found by.
    - deployments: target -> deployment fields (crons, regions, functions, or any other
      field of the full deployment, deep-merged). A target is "production", "preview" or
      a custom environment's slug; one deployment per target.
    - custom_environments: the project's custom environments.
    - later: (target, fields) of deployments made after the serving one of that target
      that do not serve it (give each a ``readyState``: ERROR, CANCELED, BUILDING, or a
      READY ``readySubstate`` STAGED); they are listed first by /v6/deployments.
    - rolled_back: production was rolled back: a newer production deployment (regions
      ["fra1"]) no longer serves, ``project.lastAliasRequest`` says so, and
      ``project.targets.production`` names the serving one.
    - plain_account: an account without custom environments: their endpoint answers 404.
    - refuse_keys, drop_keys: writes of those keys fail, or are acknowledged and
      stored empty (see vercel_writes).
    - write_wait: seconds each write waits before it is carried out (a slow write, and
      time for a test to kill the writer between two of them).
    - page_size: env items a page.
    - mode: one of MODES.
    - wait: how a "slow" answer waits, called with the fake's stop event and SLOW_SECONDS;
      True means the fake is stopping (the answer is then dropped). The default is the
      event's own wait, so stop() cuts a wait short; tests pass their own to see the
      delay asked for without sitting through it.

    Attributes: ``url`` ("http://127.0.0.1:PORT", once started), ``token`` and
    ``requests`` (every request received, in order, appended under a lock).
    """

    def __init__(
        self,
        *,
        envs: list[dict[str, Any]] | None = None,
        project: dict[str, Any] | None = None,
        deployments: dict[str, dict[str, Any]] | None = None,
        custom_environments: list[dict[str, Any]] | None = None,
        page_size: int = 100,
        mode: str = "ok",
        token: str = DEFAULT_TOKEN,
        wait: Callable[[threading.Event, float], bool] | None = None,
        later: list[tuple[str, dict[str, Any]]] | None = None,
        rolled_back: bool = False,
        plain_account: bool = False,
        refuse_keys: set[str] | None = None,
        drop_keys: set[str] | None = None,
        write_wait: float = 0.0,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self.token = token
        self.mode = mode
        self.page_size = page_size
        self.requests: list[Recorded] = []
        self.most_in_flight = 0  # the most requests it was answering at once
        self._in_flight = 0
        self._lock = threading.Lock()
        self._seen_paths: set[str] = set()
        self._stopping = threading.Event()
        self._wait = wait or threading.Event.wait
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

        self.write_wait = write_wait
        self.writes = Writes(self)
        self.writes.refuse_keys = set(refuse_keys or ())
        self.writes.drop_keys = set(drop_keys or ())
        self.custom_environments = copy.deepcopy(
            default_custom_environments() if custom_environments is None else custom_environments
        )
        self.envs = _ordered_envs(sample_envs() if envs is None else envs)
        self.plain_account = plain_account
        if plain_account:
            self.custom_environments = []
        configured = sample_deployments() if deployments is None else deployments
        base = _merge(self._base_project(), project or {})
        self._deployments = self._build_deployments(configured, base)
        # Deployments made after the serving ones that do not serve: failed, canceled,
        # staged, or (rolled_back) the production one an instant rollback took down.
        self._later = self._build_later(later or [], base, rolled_back)
        # the crons object follows the production deployment, unless the overrides say otherwise
        self.project = _merge(
            self._with_targets(self._with_crons(base), rolled_back), project or {}
        )

    # lifecycle ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The base URL, without a trailing slash."""
        if self._server is None:
            raise RuntimeError("FakeVercel is not running: use it as a context manager")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeVercel:
        """Bind a free port on 127.0.0.1 and serve in a background thread."""
        if self._server is not None:
            return self
        self._stopping.clear()
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="fake-vercel",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close every open connection and join the threads."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.close_connections()
        server.server_close()  # joins the request threads
        if thread is not None:
            thread.join()
        self._server = self._thread = None

    def __enter__(self) -> FakeVercel:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # helpers for tests -------------------------------------------------------------------

    def deployment(self, target: str) -> dict[str, Any]:
        """A copy of the full deployment (the /v13 answer) of one target."""
        return copy.deepcopy(self._deployments[target])

    def every_deployment(self) -> list[dict[str, Any]]:
        return [*self._deployments.values(), *self._later]

    def serving_deployments(self) -> dict[str, dict[str, Any]]:
        return dict(self._deployments)

    def replace_deployment(self, target: str, new: dict[str, Any]) -> None:
        """A new deployment now serves `target` (a redeploy)."""
        self._deployments[target] = new
        if target == "production" and "targets" in self.project:
            self.project["targets"]["production"].update(
                id=new["id"], url=new["url"], createdAt=new["createdAt"]
            )

    def value_of(self, key: str, target: str, branch: str | None = None) -> str | None:
        """The stored value of `key` on `target` (of `branch`'s own record, if given;
        tests look behind the API)."""
        custom = self._custom_by_slug().get(target)
        for item in self.envs:
            targets = item.get("target") or []
            targets = [targets] if isinstance(targets, str) else targets
            on = target in targets or (
                custom and custom["id"] in (item.get("customEnvironmentIds") or [])
            )
            if item["key"] == key and on and item.get("gitBranch") == branch:
                return str(item["value"])
        return None

    def paths(self) -> list[str]:
        """The path of every request so far, in order."""
        with self._lock:
            return [r.path for r in self.requests]

    # data --------------------------------------------------------------------------------

    def _base_project(self) -> dict[str, Any]:
        created = BASE_TS - 90 * 24 * HOUR
        return {
            "accountId": TEAM_ID,
            "autoExposeSystemEnvs": True,
            "autoAssignCustomDomains": True,
            "buildCommand": None,
            "commandForIgnoringBuildStep": None,
            "createdAt": created,
            "crons": None,
            "customEnvironments": copy.deepcopy(self.custom_environments),
            "defaultResourceConfig": {
                "fluid": True,
                "functionDefaultRegions": ["iad1"],
                "functionDefaultTimeout": 300,
                "functionDefaultMemoryType": "standard",
            },
            "devCommand": None,
            "directoryListing": False,
            "framework": "nextjs",
            "gitForkProtection": True,
            "id": PROJECT_ID,
            "installCommand": None,
            "live": False,
            "name": PROJECT_NAME,
            "nodeVersion": "22.x",
            "outputDirectory": None,
            "publicSource": None,
            "resourceConfig": {
                "fluid": True,
                "functionDefaultRegions": ["iad1", "sfo1"],
                "functionDefaultTimeout": 300,
                "functionDefaultMemoryType": "standard",
            },
            "rootDirectory": None,
            "sourceFilesOutsideRootDirectory": True,
            "updatedAt": BASE_TS,
        }

    def _with_crons(self, project: dict[str, Any]) -> dict[str, Any]:
        """The project's `crons` object, from its production deployment (as Vercel does)."""
        production = self._deployments.get("production")
        project = copy.deepcopy(project)
        if production is None:
            project["crons"] = {
                "enabledAt": project["createdAt"],
                "disabledAt": None,
                "updatedAt": project["createdAt"],
                "deploymentId": None,
                "definitions": [],
            }
            return project
        host = (production.get("alias") or [production["url"]])[0]
        project["crons"] = {
            "enabledAt": project["createdAt"],
            "disabledAt": None,
            "updatedAt": production["createdAt"],
            "deploymentId": production["id"],
            "definitions": [
                {"host": host, "path": c["path"], "schedule": c["schedule"]}
                for c in production.get("crons") or []
            ],
        }
        return project

    def _build_later(
        self, later: list[tuple[str, dict[str, Any]]], project: dict[str, Any], rolled_back: bool
    ) -> list[dict[str, Any]]:
        extra = list(later)
        if rolled_back:
            extra.append(("production", {"regions": ["fra1"], "readySubstate": "PROMOTED"}))
        built = []
        for index, (target, fields) in enumerate(extra):
            base = self._full_deployment(target, 50 + index, project, None)
            uid = "dpl_" + _digest("later", str(index), target)[:28]
            base.update(id=uid, url=f"{project['name']}-{uid[4:13]}-{TEAM_SLUG}.vercel.app")
            base.pop("readySubstate", None)
            built.append((target, _merge(base, fields)))
        return [{**full, "_target": target} for target, full in built]

    def _with_targets(self, project: dict[str, Any], rolled_back: bool) -> dict[str, Any]:
        """`targets`: the deployment each target serves (production only, as Vercel
        answers for a project without custom environment targets); and, after a
        rollback, `lastAliasRequest` from the deployment it took down."""
        production = self._deployments.get("production")
        project = copy.deepcopy(project)
        if production is not None:
            entry = self._listing_item("production", production)
            project["targets"] = {
                "production": {
                    "id": production["id"],
                    "url": production["url"],
                    "alias": list(production.get("alias") or []),
                    "createdAt": production["createdAt"],
                    "readyState": production["readyState"],
                    "readySubstate": production.get("readySubstate"),
                    "target": "production",
                    "name": production["name"],
                    "createdIn": production["createdIn"],
                    "creator": {**entry["creator"], "email": "ci@meterr.ai"},
                    "deploymentHostname": production["url"].removesuffix(".vercel.app"),
                    "plan": production["plan"],
                    "private": True,
                    "type": "LAMBDAS",
                    "userId": CREATOR["uid"],
                }
            }
        if rolled_back and production is not None:
            taken_down = next(d for d in self._later if d["_target"] == "production")
            project["lastAliasRequest"] = {
                "fromDeploymentId": taken_down["id"],
                "toDeploymentId": production["id"],
                "jobStatus": "succeeded",
                "requestedAt": taken_down["createdAt"] + HOUR,
                "type": "rollback",
            }
        return project

    def _custom_by_slug(self) -> dict[str, dict[str, Any]]:
        return {str(c["slug"]): c for c in self.custom_environments}

    def _build_deployments(
        self, configured: dict[str, dict[str, Any]], project: dict[str, Any]
    ) -> dict[str, dict[str, Any]]:
        customs = self._custom_by_slug()
        built: dict[str, dict[str, Any]] = {}
        for index, (target, fields) in enumerate(configured.items()):
            if target not in ("production", "preview") and target not in customs:
                known = ["production", "preview", *customs]
                raise ValueError(f"deployment target {target!r} is not one of {known}")
            base = self._full_deployment(target, index, project, customs.get(target))
            built[target] = _merge(base, fields)
        return built

    def _env_keys(self, target: str) -> list[str]:
        custom = self._custom_by_slug().get(target)
        keys = set()
        for item in self.envs:
            targets = item.get("target") or []
            targets = [targets] if isinstance(targets, str) else list(targets)
            in_custom = custom is not None and custom["id"] in (
                item.get("customEnvironmentIds") or []
            )
            if (target in targets or in_custom) and not item.get("gitBranch"):
                keys.add(str(item["key"]))
        return sorted(keys)

    def _full_deployment(
        self,
        target: str,
        index: int,
        project: dict[str, Any],
        custom: dict[str, Any] | None,
    ) -> dict[str, Any]:
        """Every required field of the first oneOf branch of GET /v13/deployments/{idOrUrl}."""
        digest = _digest(project["name"], target)
        uid = "dpl_" + digest[:28]
        name = project["name"]
        url = f"{name}-{digest[28:37]}-{TEAM_SLUG}.vercel.app"
        created = BASE_TS + (index + 1) * HOUR
        if target == "production":
            aliases = [f"{name}.vercel.app", "app.meterr.ai", "api.meterr.ai"]
        elif custom is not None:
            aliases = [f"{name}-env-{custom['slug']}-{TEAM_SLUG}.vercel.app"]
            aliases += [d["name"] for d in custom.get("domains") or []]
        else:
            aliases = [f"{name}-git-preview-{TEAM_SLUG}.vercel.app"]
        env_keys = self._env_keys(target)
        deployment: dict[str, Any] = {
            "id": uid,
            "url": url,
            "name": name,
            "projectId": project["id"],
            "ownerId": project["accountId"],
            "team": {"id": project["accountId"], "name": "meterr", "slug": TEAM_SLUG},
            "createdAt": created,
            "createdIn": "sfo1",
            "bootedAt": created + 1_000,
            "buildingAt": created + 2_000,
            "ready": created + 95_000,
            "readyState": "READY",
            "status": "READY",
            "type": "LAMBDAS",
            "version": 2,
            "public": False,
            "plan": "enterprise",
            "source": "git",
            "target": "production" if target == "production" else None,
            "creator": copy.deepcopy(CREATOR),
            "inspectorUrl": f"https://vercel.com/{TEAM_SLUG}/{name}/{uid[4:]}",
            "isInConcurrentBuildsQueue": False,
            "isInSystemBuildsQueue": False,
            "projectSettings": {
                "framework": project.get("framework"),
                "buildCommand": None,
                "devCommand": None,
                "installCommand": None,
                "outputDirectory": None,
                "commandForIgnoringBuildStep": None,
            },
            "project": {"id": project["id"], "name": name, "framework": project.get("framework")},
            "alias": aliases,
            "aliasAssigned": True,
            "aliasError": None,
            "aliasFinal": aliases[0],
            "automaticAliases": aliases[:1],
            "buildSkipped": False,
            "build": {"env": list(env_keys)},
            "env": list(env_keys),
            "meta": {
                "githubCommitRef": "main" if target == "production" else target,
                "githubCommitSha": _digest("sha", target)[:40],
                "githubCommitMessage": "Deploy",
                "githubOrg": "meterr",
                "githubRepo": "meterr",
            },
            "regions": list(project["resourceConfig"]["functionDefaultRegions"]),
            "crons": [],
            "functions": None,
            "routes": _routes(),
            "previewCommentsEnabled": False,
        }
        if target == "production":
            deployment["readySubstate"] = "PROMOTED"
        if custom is not None:
            # The excerpt's customEnvironment is oneOf [full object, {id}]; the full object
            # matches both branches, so only the {id} form is unambiguous.
            deployment["customEnvironment"] = {"id": custom["id"]}
        return deployment

    def _listing_item(self, target: str, full: dict[str, Any]) -> dict[str, Any]:
        """The /v6/deployments form of a deployment."""
        item: dict[str, Any] = {
            "uid": full["id"],
            "name": full["name"],
            "projectId": full["projectId"],
            "url": full["url"],
            "created": full["createdAt"],
            "createdAt": full["createdAt"],
            "buildingAt": full["buildingAt"],
            "ready": full.get("ready", full["createdAt"]),
            "state": full["readyState"],
            "readyState": full["readyState"],
            "type": full["type"],
            "creator": copy.deepcopy(full["creator"]),
            "meta": copy.deepcopy(full["meta"]),
            "target": full.get("target"),
            "aliasAssigned": full["createdAt"] if full.get("aliasAssigned") else None,
            "aliasError": full.get("aliasError"),
            "inspectorUrl": full["inspectorUrl"],
            "source": full.get("source", "git"),
            "isRollbackCandidate": target == "production",
        }
        if "readySubstate" in full:
            item["readySubstate"] = full["readySubstate"]
        custom = self._custom_by_slug().get(target)
        if custom is not None:
            item["customEnvironment"] = {"id": custom["id"], "slug": custom["slug"]}
        return item

    # request handling --------------------------------------------------------------------

    def _record(self, entry: Recorded) -> None:
        with self._lock:
            self.requests.append(entry)

    def _first_to(self, path: str) -> bool:
        """True the first time a path is asked for (thread-safe)."""
        with self._lock:
            if path in self._seen_paths:
                return False
            self._seen_paths.add(path)
            return True

    def _authorised(self, header: str | None) -> bool:
        if not header:
            return False
        scheme, _, credential = header.partition(" ")
        return scheme.lower() == "bearer" and credential.strip() == self.token

    def _has_project(self, id_or_name: str) -> bool:
        return id_or_name in (self.project["id"], self.project["name"])

    def respond(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        authorization: str | None,
        body: bytes = b"",
    ) -> tuple[int, dict[str, str], bytes]:
        """(status, extra headers, body) for one request; also records it."""
        self._record(Recorded(method, path, dict(query), authorization, body))
        with self._lock:
            self._in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self._in_flight)
        try:
            status, headers, answer = self._respond(method, path, query, authorization, body)
            request_id = f"iad1::{_digest('req', str(len(self.requests)))[:16]}"
            return status, {"x-vercel-id": request_id, **headers}, answer
        finally:
            with self._lock:
                self._in_flight -= 1

    def _respond(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        authorization: str | None,
        body: bytes = b"",
    ) -> tuple[int, dict[str, str], bytes]:
        if self.mode == "slow" and self._wait(self._stopping, SLOW_SECONDS):
            return 503, {}, _json_bytes(INTERNAL_ERROR)  # stopping: nobody is waiting for it
        if self.mode == "401":
            return 401, {}, _json_bytes(UNAUTHENTICATED)
        if not self._authorised(authorization):
            return 403, {}, _json_bytes(FORBIDDEN)
        if self.mode == "500":
            return 500, {}, _json_bytes(INTERNAL_ERROR)
        if self.mode == "429-reset" and self._first_to(path):
            refill = int(time.time()) + 2
            headers = {
                "X-RateLimit-Limit": "100",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": str(refill),
            }
            limited = rate_limited(2)
            limited["error"]["limit"].update(reset=refill, resetMs=refill * 1000)
            return 429, headers, _json_bytes(limited)
        if self.mode in ("429", "500-once") and self._first_to(path):
            if self.mode == "429":
                reset = str(BASE_TS // 1000 + 1)
                headers = {
                    "Retry-After": "1",
                    "X-RateLimit-Limit": "100",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": reset,
                }
                return 429, headers, _json_bytes(rate_limited(1))
            return 500, {}, _json_bytes(INTERNAL_ERROR)
        if self.mode == "malformed":
            return 200, {}, MALFORMED_BODY
        if method != "GET":
            if self.write_wait and self._wait(self._stopping, self.write_wait):
                return 503, {}, _json_bytes(INTERNAL_ERROR)  # stopping
            with self._lock:
                written = self._write(method, path, query, parse_body(body))
            if written is None:
                return 405, {"Allow": "GET"}, _json_bytes(METHOD_NOT_ALLOWED)
            return written[0], {}, _json_bytes(written[1])
        status, answer = self._route(path, query)
        return status, {}, _json_bytes(answer)

    def _write(
        self, method: str, path: str, query: dict[str, str], body: Any
    ) -> tuple[int, dict[str, Any]] | None:
        if method == "POST" and path == "/v13/deployments":
            return redeployed(self, body, self.writes.now())
        match = re.fullmatch(r"/v(?:1|9|10)/projects/([^/]+)(/.*)", path)
        if match is None:
            return None
        if not self._has_project(match[1]):
            return 404, PROJECT_NOT_FOUND
        version = path.split("/")[1]
        if (method, version) == ("DELETE", "v1") and match[2] == "/env":
            return self.writes.respond(method, match[2], query, body)
        if (method, version) in (("POST", "v10"), ("PATCH", "v9"), ("DELETE", "v9")):
            return self.writes.respond(method, match[2], query, body)
        return None

    def _route(self, path: str, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if match := re.fullmatch(r"/v(?:1|9|10)/projects/([^/]+)(/.*)?", path):
            if not self._has_project(match[1]):
                return 404, PROJECT_NOT_FOUND
            return self._project_route(path, match[2] or "", query)
        if path == "/v6/deployments":
            return self._deployment_list(query)
        if match := re.fullmatch(r"/v13/deployments/([^/]+)", path):
            for full in [*self._deployments.values(), *self._later]:
                if match[1] in (full["id"], full["url"]):
                    return 200, {k: v for k, v in copy.deepcopy(full).items() if k != "_target"}
            return 404, DEPLOYMENT_NOT_FOUND
        return 404, PATH_NOT_FOUND

    def _project_route(
        self, path: str, rest: str, query: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        """The endpoints under one project: the project itself (v9), its env listing
        (v10), one variable (v1) and its custom environments (v9)."""
        version = path.split("/")[1]
        if (version, rest) == ("v9", ""):
            return 200, copy.deepcopy(self.project)
        if (version, rest) == ("v10", "/env"):
            return self._env_page(query)
        if (version, rest) == ("v9", "/custom-environments"):
            if self.plain_account:
                return 404, PATH_NOT_FOUND
            environments = copy.deepcopy(self.custom_environments)
            return 200, {"accountLimit": {"total": 12}, "environments": environments}
        if version == "v1" and (match := re.fullmatch(r"/env/([^/]+)", rest)):
            for item in self.envs:
                if item.get("id") == match[1]:
                    return 200, _as_decrypted(item)
            return 404, ENV_NOT_FOUND
        return 404, PATH_NOT_FOUND

    def _env_page(self, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """One page: at most ``limit`` items (the client's) and ``page_size`` (the fake's)."""
        items = self.envs
        until = query.get("until")
        try:
            size = min(self.page_size, int(query.get("limit", self.page_size)))
            cursor = float(until) if until is not None else None
        except ValueError:
            return 400, _bad_request("Invalid request: `limit` and `until` should be numbers.")
        if size < 1:
            return 400, _bad_request("Invalid request: `limit` should be at least 1.")
        if cursor is not None:
            items = [e for e in items if e["createdAt"] < cursor]
        page = [_as_listed(item) for item in items[:size]]
        more = len(items) > len(page)
        pagination = {
            "count": len(page),
            "next": page[-1]["createdAt"] if more else None,
            "prev": page[0]["createdAt"] if page and until is not None else None,
        }
        return 200, {"envs": page, "pagination": pagination}

    def _deployment_list(self, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        project_id = query.get("projectId")
        if project_id is not None and not self._has_project(project_id):
            return 404, PROJECT_NOT_FOUND
        try:
            limit = int(float(query.get("limit", "20")))
            until = float(query["until"]) if "until" in query else None
        except ValueError:
            return 400, _bad_request("Invalid request: `limit` and `until` should be numbers.")
        if limit < 1:
            return 400, _bad_request("Invalid request: `limit` should be at least 1.")
        wanted = query.get("target")
        if wanted is not None:
            ids = {str(c["id"]): str(c["slug"]) for c in self.custom_environments}
            wanted = ids.get(wanted, wanted)
        every = [*self._deployments.items(), *((d["_target"], d) for d in self._later)]
        listing = [
            self._listing_item(target, full)
            for target, full in every
            if wanted is None or target == wanted
        ]
        if states := query.get("state"):  # a comma-separated list: READY,BUILDING
            listing = [d for d in listing if d["readyState"] in states.split(",")]
        if until is not None:
            listing = [d for d in listing if d["created"] < until]
        listing.sort(key=lambda d: (-d["created"], d["uid"]))
        page = listing[:limit]
        pagination = {
            "count": len(page),
            "next": page[-1]["created"] if len(listing) > len(page) else None,
            "prev": page[0]["created"] if page else None,
        }
        return 200, {"pagination": pagination, "deployments": page}


def _routes() -> list[dict[str, Any]]:
    """A short compiled route table, each entry matching exactly one branch of its oneOf."""
    return [
        {
            "src": "^(?:/(.*))$",
            "headers": {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"},
            "continue": True,
        },
        {
            "src": "^/docs$",
            "headers": {"Location": "https://docs.meterr.ai"},
            "status": 307,
        },
        {"handle": "filesystem"},
        {"src": "^/api(?:/(.*))$", "dest": "/api/$1", "check": True},
        {"handle": "error"},
        {"src": "^(?:/(.*))$", "dest": "/404", "status": 404},
    ]


def _ordered_envs(envs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Newest first; createdAt is the cursor, so it must be a unique number."""
    seen: dict[float, str] = {}
    for item in envs:
        created = item.get("createdAt")
        if isinstance(created, bool) or not isinstance(created, int | float):
            raise ValueError(f"env item {item.get('key')!r} needs a numeric createdAt")
        if created in seen:
            raise ValueError(
                f"env items {seen[created]!r} and {item.get('key')!r} share createdAt {created}: "
                "the pagination cursor is createdAt, so it must be unique"
            )
        seen[created] = str(item.get("key"))
    return sorted(copy.deepcopy(envs), key=lambda e: -e["createdAt"])


def ciphertext(item: dict[str, Any]) -> str:
    """What the env listing shows for an encrypted value: ciphertext, never the value (the
    API's `decrypt` query is deprecated, and the listing answers `decrypted: false`)."""
    digest = hashlib.sha256(f"{item.get('id')}|{item.get('value')}".encode()).digest()
    return base64.b64encode(digest + digest[:12]).decode()


def _as_listed(item: dict[str, Any]) -> dict[str, Any]:
    """An item as GET /v10/projects/{id}/env lists it: plain values as stored, encrypted
    ones as ciphertext, sensitive and secret ones empty; `decrypted` false for all three."""
    listed = copy.deepcopy(item)
    kind = item.get("type")
    if kind == "encrypted":
        listed.update(value=ciphertext(item), decrypted=False)
    elif kind in ("sensitive", "secret"):
        listed.update(value="", decrypted=False)
    return listed


def _as_decrypted(item: dict[str, Any]) -> dict[str, Any]:
    """An item as GET /v1/projects/{id}/env/{envId} answers: an encrypted value
    decrypted (`decrypted: true`); a sensitive or secret one still without its value."""
    answered = copy.deepcopy(item)
    kind = item.get("type")
    if kind == "encrypted":
        answered["decrypted"] = True
    elif kind in ("sensitive", "secret"):
        answered.update(value="", decrypted=False)
    return answered


def _json_bytes(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()


class _Server(ThreadingHTTPServer):
    """Joins its request threads on close and never prints a handler's error."""

    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True
    fake: FakeVercel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake every keep-alive handler waiting for another request, so it can end."""
        with self._connections_lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):  # already closed by the client
                conn.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Silence: a client that hung up mid-answer is not the test's business."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart
    server: _Server
    server_version = "fake-vercel"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        """Never print."""

    def _answer(self) -> None:
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        path = unquote(parts.path)
        length = int(self.headers.get("Content-Length") or 0)
        sent = self.rfile.read(length) if length else b""
        status, headers, body = self.server.fake.respond(
            self.command, path, query, self.headers.get("Authorization"), sent
        )
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer
    do_POST = _answer
    do_PUT = _answer
    do_PATCH = _answer
    do_DELETE = _answer

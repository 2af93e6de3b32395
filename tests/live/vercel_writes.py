"""The write endpoints of the fake Vercel API, as the REST API reference and the
official clients describe them (not as our client uses them).

Sources: the OpenAPI excerpt in schemas/vendor (createProjectEnv, editProjectEnv,
removeProjectEnv), vercel/sdk at 426eb4b7 for what the excerpt lacks
(src/models/batchremoveprojectenvop.ts: DELETE /v1/projects/{idOrName}/env with
`{"ids": [1..1000 strings]}` → `{"deleted": n, "ids": [...]}`), the Vercel CLI at
17d9ebaf (packages/cli/src/commands/redeploy/index.ts: POST /v13/deployments?forceNew=1)
and terraform-provider-vercel at c8a6711c (client/environment_variable.go and
client/error.go: a 201 may carry `failed[]`, ENV_CONFLICT is HTTP 400 with `key`,
`envVarKey`, `target`, `gitBranch` in its error).

- POST /v10/projects/{p}/env: one object or an array. A variable whose key and branch
  match an existing one on an overlapping target is ENV_CONFLICT, unless `upsert=true`
  and the targets are exactly the existing ones (then its value is replaced: getsentry/
  sentry#118490 saw ENV_CONFLICT from upsert with other target lists). An array is
  answered 201 with `created` and `failed`; a single object's failure is its 400.
- PATCH /v9/projects/{p}/env/{id}: any of key, target, gitBranch, type, value,
  customEnvironmentIds, comment; nothing else (additionalProperties: false). A change of
  type into or out of sensitive is ignored, as trigger.dev#3666 found ("editProjectEnv
  will keep the previous type"); the docs say to remove and re-add.
- DELETE /v9/projects/{p}/env/{id}, and the batch DELETE above.
- Sensitive values are stored and never answered; development refuses them.
- `gitBranch` (a string, at most 250 characters, null to take it off in a PATCH) only
  with the preview target alone: "must have target=preview".

Injected faults (FakeVercel arguments): `refuse_keys` (a create or update of those keys
fails: in `failed[]` of a batch, 400 otherwise), `drop_keys` (acknowledged and stored
empty, the vercel/vercel#16934 class).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.live.vercel_server import FakeVercel

KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,255}")
TYPES = ("system", "secret", "encrypted", "plain", "sensitive")
STANDARD = ("production", "preview", "development")
PATCH_FIELDS = {"key", "target", "gitBranch", "type", "value", "customEnvironmentIds", "comment"}
WRITER = "usr_meterrapply000000000000"
SECRETISH = ("sensitive", "secret")


def _error(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


class Writes:
    """The write side of one FakeVercel; called under the fake's lock."""

    def __init__(self, fake: FakeVercel) -> None:
        self.fake = fake
        self.counter = 0
        self.refuse_keys: set[str] = set()
        self.drop_keys: set[str] = set()

    def now(self) -> int:
        """A timestamp after every other the fake holds (unique: also a cursor)."""
        stamps = [e["createdAt"] for e in self.fake.envs] + [e["updatedAt"] for e in self.fake.envs]
        stamps += [d["createdAt"] for d in self.fake.every_deployment()]
        self.counter += 1
        return max(stamps, default=0) + 60_000 + self.counter

    def respond(
        self, method: str, rest: str, query: dict[str, str], body: Any
    ) -> tuple[int, dict[str, Any]] | None:
        """An answer to a write under /projects/{p}, or None when it is no write."""
        if method == "POST" and rest == "/env":
            return self._create(body, query.get("upsert") == "true")
        if method == "DELETE" and rest == "/env":
            return self._batch_delete(body)
        match = re.fullmatch(r"/env/([^/]+)", rest)
        if match and method == "PATCH":
            return self._edit(match[1], body)
        if match and method == "DELETE":
            return self._delete(match[1])
        return None

    # --- validation -----------------------------------------------------------------------

    def _targets(self, item: dict[str, Any]) -> tuple[set[str], set[str]]:
        """(standard targets, custom environment ids); ValueError names what is wrong."""
        target = item.get("target", [])
        customs = item.get("customEnvironmentIds", [])
        if isinstance(target, str):
            target = [target]
        if not isinstance(target, list) or any(t not in STANDARD for t in target):
            raise ValueError("`target` must be a list of production, preview and development")
        known = {c["id"] for c in self.fake.custom_environments}
        if not isinstance(customs, list) or any(c not in known for c in customs):
            raise ValueError("`customEnvironmentIds` names an unknown custom environment")
        return set(target), set(customs)

    def _invalid(self, item: Any) -> str | None:
        if not isinstance(item, dict):
            return "each variable must be an object"
        for field in ("key", "value", "type"):
            if not isinstance(item.get(field), str):
                return f"`{field}` is required and must be a string"
        if "target" not in item and "customEnvironmentIds" not in item:
            return "`target` or `customEnvironmentIds` is required"
        if not KEY.fullmatch(item["key"]):
            return "The name contains invalid characters or is too long"
        if item["type"] not in TYPES:
            return f"`type` must be one of {', '.join(TYPES)}"
        if len(item.get("comment", "")) > 500:
            return "`comment` must be at most 500 characters"
        try:
            targets = self._targets(item)
        except ValueError as exc:
            return str(exc)
        if not targets[0] and not targets[1]:
            return "at least one target is required"
        branch = item.get("gitBranch")
        if branch is not None and (
            not isinstance(branch, str)
            or not 0 < len(branch) <= 250
            or targets != ({"preview"}, set())
        ):
            # the reference: "If defined, the git branch ... (must have target=preview)",
            # a string of at most 250 characters
            return "`gitBranch` must be a string of at most 250 characters, with target=preview"
        if item["type"] == "sensitive" and "development" in targets[0]:
            return (
                "Sensitive environment variables cannot be created in the Development environment"
            )
        return None

    def _overlapping(
        self, key: str, branch: Any, targets: set[str], customs: set[str], skip: str | None = None
    ) -> dict[str, Any] | None:
        for item in self.fake.envs:
            if item["key"] != key or item.get("gitBranch") != branch or item["id"] == skip:
                continue
            theirs = item.get("target") or []
            theirs = {theirs} if isinstance(theirs, str) else set(theirs)
            if theirs & targets or set(item.get("customEnvironmentIds") or []) & customs:
                return item
        return None

    # --- endpoints ------------------------------------------------------------------------

    def _create(self, body: Any, upsert: bool) -> tuple[int, dict[str, Any]]:
        single = isinstance(body, dict)
        items = [body] if single else body
        if not isinstance(items, list) or not items:
            return 400, _error(
                "bad_request", "Invalid request: the body must be an object or a list"
            )
        created: list[dict[str, Any]] = []
        failed: list[dict[str, Any]] = []
        for item in items:
            outcome = self._create_one(item, upsert)
            (created if "id" in outcome else failed).append(outcome)
        if single and failed:
            return 400, failed[0]
        from tests.live.vercel_server import _as_listed

        shown = [_as_listed(item) for item in created]
        return 201, {"created": shown[0] if single and shown else shown, "failed": failed}

    def _create_one(self, item: Any, upsert: bool) -> dict[str, Any]:
        problem = self._invalid(item)
        if problem:
            return _error(
                "bad_request", problem, key=item.get("key") if isinstance(item, dict) else None
            )
        key = item["key"]
        targets, customs = self._targets(item)
        if key in self.refuse_keys:
            return _error(
                "forbidden", "Additional permissions are required", envVarKey=key, key=key
            )
        branch = item.get("gitBranch")
        existing = self._overlapping(key, branch, targets, customs)
        if existing is not None:
            same = self._target_sets(existing) == (targets, customs)
            if not (upsert and same):
                return _error(
                    "ENV_CONFLICT",
                    f"A variable with the name `{key}` already exists for the target "
                    f"{', '.join(sorted(targets | customs))} on branch {branch or 'undefined'}",
                    key=key,
                    envVarKey=key,
                    target=sorted(targets),
                    gitBranch=branch,
                )
            self._store(existing, {"value": item["value"], "comment": item.get("comment", "")})
            return existing
        stamp = self.now()
        record = {
            "id": hashlib.sha256(f"new|{key}|{stamp}".encode()).hexdigest()[:16],
            "key": key,
            "value": "",
            "type": item["type"],
            "target": sorted(targets),
            "customEnvironmentIds": sorted(customs),
            "configurationId": None,
            "comment": item.get("comment", ""),
            "createdAt": stamp,
            "updatedAt": stamp,
            "createdBy": WRITER,
            "updatedBy": WRITER,
        }
        if branch:
            record["gitBranch"] = branch
        if item["type"] in SECRETISH:
            record["decrypted"] = False
        self._store(record, {"value": item["value"]}, stamp)
        self.fake.envs.insert(0, record)
        return record

    def _store(
        self, record: dict[str, Any], fields: dict[str, Any], stamp: int | None = None
    ) -> None:
        if "value" in fields and record["key"] in self.drop_keys:
            fields = {**fields, "value": ""}
        record.update(fields)
        record["updatedAt"] = stamp or self.now()
        record["updatedBy"] = WRITER

    @staticmethod
    def _target_sets(item: dict[str, Any]) -> tuple[set[str], set[str]]:
        theirs = item.get("target") or []
        theirs = {theirs} if isinstance(theirs, str) else set(theirs)
        return theirs, set(item.get("customEnvironmentIds") or [])

    def _find(self, ident: str) -> dict[str, Any] | None:
        return next((e for e in self.fake.envs if e["id"] == ident), None)

    def _edit(self, ident: str, body: Any) -> tuple[int, dict[str, Any]]:
        record = self._find(ident)
        if record is None:
            return 404, _error("not_found", "Environment Variable not found")
        if not isinstance(body, dict) or set(body) - PATCH_FIELDS:
            return 400, _error(
                "bad_request", "Invalid request: should NOT have additional property"
            )
        merged = {**record, **body}
        problem = self._invalid(
            {
                k: merged[k]
                for k in (
                    "key",
                    "value",
                    "type",
                    "target",
                    "customEnvironmentIds",
                    "comment",
                    "gitBranch",
                )
                if k in merged
            }
        )
        if problem:
            return 400, _error("bad_request", problem)
        if record["key"] in self.refuse_keys:
            return 403, _error("forbidden", "Additional permissions are required")
        targets, customs = self._targets(merged)
        if self._overlapping(merged["key"], merged.get("gitBranch"), targets, customs, skip=ident):
            return 400, _error(
                "ENV_CONFLICT",
                f"A variable with the name `{merged['key']}` already exists",
                key=merged["key"],
                envVarKey=merged["key"],
            )
        fields = {k: v for k, v in body.items() if k in ("key", "value", "comment", "gitBranch")}
        if "target" in body or "customEnvironmentIds" in body:
            fields.update(target=sorted(targets), customEnvironmentIds=sorted(customs))
        if "type" in body and (body["type"] in SECRETISH) == (record["type"] in SECRETISH):
            fields["type"] = body["type"]  # into or out of sensitive: kept as it was
        self._store(record, fields)
        from tests.live.vercel_server import _as_listed

        return 200, _as_listed(record)

    def _delete(self, ident: str) -> tuple[int, dict[str, Any]]:
        record = self._find(ident)
        if record is None:
            return 404, _error("not_found", "Environment Variable not found")
        self.fake.envs.remove(record)
        from tests.live.vercel_server import _as_listed

        return 200, _as_listed(record)

    def _batch_delete(self, body: Any) -> tuple[int, dict[str, Any]]:
        ids = body.get("ids") if isinstance(body, dict) else None
        if not isinstance(ids, list) or not 1 <= len(ids) <= 1000 or set(body) != {"ids"}:
            return 400, _error("bad_request", "Invalid request: `ids` must list 1 to 1000 ids")
        gone = [i for i in ids if isinstance(i, str) and self._find(i) is not None]
        for ident in gone:
            self.fake.envs.remove(self._find(ident))  # type: ignore[arg-type]
        return 200, {"deleted": len(gone), "ids": gone}


def parse_body(raw: bytes) -> Any:
    """A request's JSON body (None when there is none or it is not JSON)."""
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def redeployed(fake: FakeVercel, body: Any, stamp: int) -> tuple[int, dict[str, Any]]:
    """POST /v13/deployments: a copy of the deployment named, created now, serving its
    target (the CLI's `vercel redeploy`)."""
    if not isinstance(body, dict) or not isinstance(body.get("deploymentId"), str):
        return 400, _error("bad_request", "`deploymentId` is required")
    for target, full in fake.serving_deployments().items():
        if full["id"] == body["deploymentId"]:
            new = copy.deepcopy(full)
            new["id"] = "dpl_" + hashlib.sha256(f"re|{stamp}".encode()).hexdigest()[:28]
            new["url"] = f"{new['name']}-{new['id'][4:13]}-meterr.vercel.app"
            new["createdAt"] = stamp
            fake.replace_deployment(target, new)
            return 200, {"id": new["id"], "url": new["url"], "readyState": "QUEUED", "alias": []}
    return 404, _error("not_found", "Deployment not found")

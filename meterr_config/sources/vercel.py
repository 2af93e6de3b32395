"""`vercel:PROJECT[@TARGET[:BRANCH]]`: the live project, its variables and the
deployment that serves the target.

Maps into the same Snapshot as the models, so `diff env:production vercel:meterr@production`
and `lint vercel:meterr@production` work. Only what the API can tell is marked as known:
the framework, regions, crons and functions of vercel.json, and the variables.

Every field read from an answer is checked for the shape the API reference gives it
(`Field`): a wrong one is a one-line error naming the endpoint, the field's path and what
was expected, never a crash further on. Listings send `limit`, follow `pagination.next`
for at most MAX_PAGES pages, and each cursor must go further back than the one before.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NoReturn
from urllib.parse import quote

from meterr_config import limits, redact
from meterr_config.errors import InputError
from meterr_config.models.envvars import is_public
from meterr_config.redact import Sealed
from meterr_config.secretshapes import looks_secret
from meterr_config.snapshot import EnvEntry, Snapshot
from meterr_config.sources.registry import Context
from meterr_config.sources.vercel_api import ApiConfig, VercelClient, kind_of
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
# Without a deployment, what only a deployment tells is unknown (not absent).
UNDEPLOYED = KNOWS - {"vercel.json/crons", "vercel.json/functions"}
SECRET_TYPES = ("sensitive", "secret")
FUNCTION_KEYS = ("architecture", "maxDuration", "memory", "regions", "runtime")
# Items a listing page asks for: the API's own largest page (the Vercel CLI asks for 100).
PAGE_SIZE = 100
# A deployment id as the API makes them (dpl_…); it goes into a request path, so nothing
# else is let through.
_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")


# --- reading answers by shape ------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One field of one answer, with its path: read by the shape it must have."""

    endpoint: str
    path: str
    value: Any

    def fail(self, expected: str) -> NoReturn:
        got = "missing" if self.value is None else kind_of(self.value)
        raise InputError(
            f"vercel: GET {self.endpoint}: {self.path or 'the answer'} is {got}, "
            f"expected {expected}"
        )

    def get(self, key: str) -> Field:
        """A member of this object (absent or null: a Field whose value is None)."""
        value = self.value.get(key) if isinstance(self.value, dict) else None
        return Field(self.endpoint, f"{self.path}.{key}" if self.path else key, value)

    def obj(self, *, required: bool = False) -> dict[str, Any] | None:
        if self.value is None and not required:
            return None
        if not isinstance(self.value, dict):
            self.fail("an object")
        return self.value

    def string(self, *, required: bool = False) -> str | None:
        if self.value is None and not required:
            return None
        if not isinstance(self.value, str) or (required and not self.value):
            self.fail("a non-empty string" if required else "a string")
        return self.value

    def number(self) -> int | float | None:
        if self.value is None:
            return None
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            self.fail("a number")
        return self.value

    def integer(self) -> int | None:
        number = self.number()
        if number is None:
            return None
        if isinstance(number, float) and not number.is_integer():  # also inf and nan
            self.fail("a whole number")
        return int(number)

    def items(self, expected: str = "a list") -> list[Field]:
        """The elements of this list (absent or null: none)."""
        if self.value is None:
            return []
        if not isinstance(self.value, list):
            self.fail(expected)
        return [Field(self.endpoint, f"{self.path}[{i}]", v) for i, v in enumerate(self.value)]

    def strings(self) -> list[str]:
        """A list of strings (absent or null: empty)."""
        out = []
        for item in self.items("a list of strings"):
            if not isinstance(item.value, str):
                item.fail("a string")
            out.append(item.value)
        return out

    def entries(self) -> list[tuple[str, Field]]:
        """The members of an object keyed by data (function globs): their paths name
        their place, not their key, which is input."""
        members = self.obj() or {}
        return [
            (key, Field(self.endpoint, f"{self.path}[entry {i + 1}]", value))
            for i, (key, value) in enumerate(members.items())
        ]


def answer(client: VercelClient, endpoint: str, params: dict[str, Any] | None = None) -> Field:
    """GET `endpoint` as the root Field of its answer (an object: the client checks)."""
    return Field(endpoint, "", client.get(endpoint, params))


# --- the endpoints -------------------------------------------------------------------------


def parse_target(arg: str) -> tuple[str, str, str | None]:
    """'meterr@preview:feature/x' -> ('meterr', 'preview', 'feature/x'): the target
    defaults to production, and a branch (after `:`, which no Git branch name holds)
    picks a preview branch's overrides."""
    project, _, rest = arg.partition("@")
    target, colon, branch = rest.partition(":")
    if not project:
        raise InputError(f"vercel:{arg}: name a project, as vercel:PROJECT[@TARGET[:BRANCH]]")
    if colon and (not branch or target != "preview"):
        raise InputError(
            f"vercel:{arg}: a branch goes with the preview target, as vercel:PROJECT@preview:BRANCH"
        )
    return project, target or "production", branch or None


def _for_target(
    items: list[EnvItem], target: str, branch: str | None
) -> tuple[list[EnvItem], dict[str, tuple[str, ...]]]:
    """The variables a deployment of `target` gets (from `branch`, for a preview: the
    generic preview values with that branch's overrides), and where the others are."""
    generic = {i.key: i for i in items if target in i.targets and not i.branch}
    overrides = {i.key: i for i in items if branch and target in i.targets and i.branch == branch}
    chosen = {**generic, **overrides}
    elsewhere: dict[str, set[str]] = {}
    for item in items:
        if item.key not in chosen:
            places = item.targets if not item.branch else (f"preview:{item.branch}",)
            elsewhere.setdefault(item.key, set()).update(places)
    return list(chosen.values()), {k: tuple(sorted(v)) for k, v in elsewhere.items()}


def _cursor(page: Field, previous: float | None) -> float | None:
    """The page's `pagination.next`, checked to go further back than `previous`
    (`until` asks for what was created before it, so a cursor that does not decrease
    would page for ever)."""
    pagination = page.get("pagination")
    pagination.obj()
    cursor = pagination.get("next").number()
    if cursor is None:
        return None
    if previous is not None and not cursor < previous:
        raise InputError(
            f"vercel: GET {page.endpoint}: pagination.next does not advance "
            "(each page's cursor must be older than the one before)"
        )
    return cursor


def paged(client: VercelClient, endpoint: str, field: str) -> list[Field]:
    """Every item of a listing's `field`, page by page (at most MAX_PAGES)."""
    items: list[Field] = []
    params: dict[str, Any] = {"limit": PAGE_SIZE}
    cursor: float | None = None
    for _ in range(limits.MAX_PAGES):
        page = answer(client, endpoint, params)
        if page.get(field).value is None:
            page.get(field).fail("a list")
        items += page.get(field).items()
        cursor = _cursor(page, cursor)
        if cursor is None:
            return items
        params = {"limit": PAGE_SIZE, "until": cursor}
    raise InputError(f"vercel: GET {endpoint}: more than {limits.MAX_PAGES} pages (MAX_PAGES)")


@dataclass(frozen=True)
class EnvItem:
    """One variable of the env listing, as far as a snapshot needs it."""

    key: str
    ident: str | None
    kind: str
    value: str | None  # None where the API did not give the value (see known_value)
    targets: tuple[str, ...]
    branch: str | None


def env_item(item: Field, slugs: dict[str, str]) -> EnvItem:
    """An item of `envs`, checked: `key` and `type` strings, `target` a list of strings
    or one string, `customEnvironmentIds` a list of strings."""
    item.obj(required=True)
    target = item.get("target")
    if isinstance(target.value, str):
        names = [target.value]
    elif target.value is None or isinstance(target.value, list):
        names = target.strings()
    else:
        target.fail("a list of strings or a string")
    customs = item.get("customEnvironmentIds").strings()
    names += [slugs[i] for i in customs if i in slugs]
    kind = str(item.get("type").string(required=True))
    value = item.get("value").string()
    decrypted = item.get("decrypted").value is True
    return EnvItem(
        key=str(item.get("key").string(required=True)),
        ident=item.get("id").string(),
        kind=kind,
        value=known_value(kind, value, decrypted),
        targets=tuple(sorted(set(names))),
        branch=item.get("gitBranch").string(),
    )


def known_value(kind: str, value: str | None, decrypted: bool) -> str | None:
    """The value, where the API gave it: a `plain` one as stored, an `encrypted` one only
    when the answer says `decrypted: true` (the listing gives ciphertext, vercel/vercel
    #9072); a `sensitive` or `secret` one never. None means unknown: such a variable is
    compared by presence, type and targets."""
    if kind == "plain" or (kind == "encrypted" and decrypted):
        return value
    return None


def _entry(item: EnvItem, sealed: Sealed | None = None) -> EnvEntry:
    return EnvEntry(
        name=item.key,
        secret=item.kind in SECRET_TYPES,
        public=is_public(item.key),
        declared=False,
        value=item.value,
        type=item.kind,
        targets=item.targets,
        supplied=True,
        sealed=sealed,
    )


# Requests in flight at once when --decrypt reads values one variable at a time.
DECRYPT_CONCURRENCY = 4


def _decrypted(client: VercelClient, project: str, item: EnvItem) -> Sealed | None:
    """One encrypted value, read from GET /v1/projects/{id}/env/{envId} and sealed at
    once: only its digest is kept, and the scrubber learns a value that looks like a
    credential (by its name or shape), so that nothing this run writes can hold it."""
    if item.ident is None or not _ID.fullmatch(item.ident):
        return None
    endpoint = f"/v1/projects/{project}/env/{item.ident}"
    field = answer(client, endpoint)
    value = field.get("value").string()
    if value is None or field.get("decrypted").value is not True:
        return None
    if looks_secret(item.key, value):  # a word such as "production" stays printable
        redact.remember(value)
    return Sealed(value)


def decrypt_all(
    client: VercelClient, project: str, items: list[EnvItem]
) -> dict[str, Sealed | None]:
    """Env id -> the sealed value of each encrypted item, DECRYPT_CONCURRENCY at a time."""
    wanted = [i for i in items if i.kind == "encrypted" and i.value is None and i.ident]
    with ThreadPoolExecutor(DECRYPT_CONCURRENCY) as pool:
        sealed = pool.map(lambda item: _decrypted(client, project, item), wanted)
        return {str(item.ident): value for item, value in zip(wanted, sealed, strict=True)}


def custom_slugs(client: VercelClient, name: str) -> dict[str, str]:
    """Custom environment id -> slug (a 404 means the account has none)."""
    endpoint = f"/v9/projects/{name}/custom-environments"
    body = client.get(endpoint, absent={})
    listing = Field(endpoint, "", body)
    slugs = {}
    for environment in listing.get("environments").items():
        environment.obj(required=True)
        ident = environment.get("id").string(required=True)
        slugs[str(ident)] = str(environment.get("slug").string(required=True))
    return slugs


def _deployment(client: VercelClient, uid: Field) -> Field:
    """The full deployment of an id the API gave (checked: it goes into a path)."""
    if not _ID.fullmatch(uid.string(required=True) or ""):
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
    when = (
        datetime.fromtimestamp(created / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")
        if created is not None
        else "at an unknown time"
    )
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


def _vercel_doc(project: Field, deployment: Field | None, target: str) -> dict[str, Any]:
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


def _check_target(project: str, target: str, custom: set[str]) -> None:
    if target not in ("production", "preview", "development") and target not in custom:
        known = ", ".join(["production", "preview", "development", *sorted(custom)])
        raise InputError(f"vercel:{project}@{target}: no such target (known: {known})")


@dataclass(frozen=True)
class _Live:
    """What the API answered for one project and target, checked."""

    project: Field
    items: list[EnvItem]
    deployment: Field | None
    notes: tuple[str, ...]
    target: str  # a custom environment by its slug, even when named by its id


def _read(client: VercelClient, name: str, target: str) -> _Live:
    path_name = quote(name, safe="")
    project = answer(client, f"/v9/projects/{path_name}")
    slugs = custom_slugs(client, path_name)
    target = slugs.get(target, target)  # a custom environment by its id (env_…)
    _check_target(name, target, set(slugs.values()))
    envs = paged(client, f"/v10/projects/{path_name}/env", "envs")
    items = [env_item(item, slugs) for item in envs]
    project_id = project.get("id").string() or name
    deployment, notes = serving(client, project, project_id, target)
    return _Live(project, items, deployment, notes, target)


def vercel_snapshot(
    arg: str, client: VercelClient | None = None, *, decrypt: bool = False
) -> Snapshot:
    """Read the live project for one target into a snapshot; with `decrypt`, each of
    its encrypted values too (sealed: see decrypt_all)."""
    name, target, branch = parse_target(arg)
    own = client is None
    client = client or VercelClient(ApiConfig.from_env())
    try:
        with working(f"reading {name}@{target} from the Vercel API…"):
            live = _read(client, name, target)
            target = live.target
            items, elsewhere = _for_target(live.items, target, branch)
            sealed = decrypt_all(client, quote(name, safe=""), items) if decrypt else {}
    finally:
        if own:
            client.close()
    env = {item.key: _entry(item, sealed.get(str(item.ident))) for item in items}
    return Snapshot(
        name=f"vercel:{name}@{target}" + (f":{branch}" if branch else ""),
        node_version=live.project.get("nodeVersion").string(),
        function_default_timeout=resource(live.project, "functionDefaultTimeout").integer(),
        source="vercel",
        target=target,
        vercel=_vercel_doc(live.project, live.deployment, target),
        env=env,
        values_supplied=True,
        knows=KNOWS if live.deployment is not None or target == "production" else UNDEPLOYED,
        notes=live.notes + _notes(live.project, branch),
        elsewhere=elsewhere,
    )


def _notes(project: Field, branch: str | None) -> tuple[str, ...]:
    notes = []
    if branch:
        notes.append(f"variables: preview's, with branch {branch}'s overrides")
    if crons_disabled(project):
        notes.append("cron jobs are disabled for the project (crons.disabledAt): none runs")
    return tuple(notes)


def read(arg: str, context: Context) -> Snapshot:
    """`vercel:PROJECT[@TARGET[:BRANCH]]` with VERCEL_TOKEN, VERCEL_API_URL and the team
    (VERCEL_TEAM_ID, VERCEL_ORG_ID or .vercel/project.json)."""
    return vercel_snapshot(arg, decrypt=context.decrypt)

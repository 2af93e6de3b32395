"""`vercel:PROJECT[@TARGET[:BRANCH]]`: the live project, its variables and the
deployment that serves the target.

Maps into the same Snapshot as the models, so `diff env:production vercel:meterr@production`
and `lint vercel:meterr@production` work. Only what the API can tell is marked as known:
the framework, regions, crons and functions of vercel.json, and the variables.

Answers are read by shape (`vercel_shape`); the deployment that serves the target, and
what it says of vercel.json, is `vercel_deploy`'s; this module reads the variables and
puts the snapshot together.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import quote

from meterr_config import redact
from meterr_config.errors import InputError
from meterr_config.models.envvars import BUILTIN_TARGETS, is_public
from meterr_config.redact import Sealed
from meterr_config.secretshapes import looks_secret
from meterr_config.snapshot import EnvEntry, Snapshot
from meterr_config.sources.registry import Context
from meterr_config.sources.vercel_api import ApiConfig, VercelClient
from meterr_config.sources.vercel_deploy import crons_disabled, resource, serving, vercel_doc
from meterr_config.sources.vercel_shape import ID, Field, answer, paged
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
            elsewhere.setdefault(item.key, set()).update(item.places)
    return list(chosen.values()), {k: tuple(sorted(v)) for k, v in elsewhere.items()}


@dataclass(frozen=True)
class EnvItem:
    """One variable of the env listing, as far as a snapshot needs it."""

    key: str
    ident: str | None
    kind: str
    value: str | None  # None where the API did not give the value (see known_value)
    targets: tuple[str, ...]
    branch: str | None
    # What plan and apply read besides: when and by whom it was last written, its
    # comment, the integration that owns it (never touched), and whether Vercel
    # provides it itself.
    updated_at: int | None = None
    updated_by: str | None = None
    comment: str = ""
    configuration_id: str | None = None
    system: bool = False

    @property
    def places(self) -> tuple[str, ...]:
        """Its targets, a branch's record named `preview:BRANCH` (no Git branch name
        holds a colon)."""
        return (f"preview:{self.branch}",) if self.branch else self.targets


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
        branch=item.get("gitBranch").string() or None,
        updated_at=item.get("updatedAt").integer(),
        updated_by=item.get("updatedBy").string(),
        comment=item.get("comment").string() or "",
        configuration_id=item.get("configurationId").string() or None,
        system=item.get("system").value is True or kind == "system",
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
    if item.ident is None or not ID.fullmatch(item.ident):
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
    client: VercelClient,
    project: str,
    items: list[EnvItem],
    concurrency: int = DECRYPT_CONCURRENCY,
) -> dict[str, Sealed | None]:
    """Env id -> the sealed value of each encrypted item, `concurrency` at a time."""
    wanted = [i for i in items if i.kind == "encrypted" and i.value is None and i.ident]
    with ThreadPoolExecutor(concurrency) as pool:
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


def _check_target(project: str, target: str, custom: set[str]) -> None:
    if target not in BUILTIN_TARGETS and target not in custom:
        known = ", ".join([*BUILTIN_TARGETS, *sorted(custom)])
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
        vercel=vercel_doc(live.project, live.deployment, target),
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

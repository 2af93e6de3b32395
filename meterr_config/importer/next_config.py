"""next.config into `[nextjs]` (plus `[security]` and `[cors]`), read by the real Next.js.

next.config is code: `async headers()` and `process.env` reads only have values once Next
runs it. The config is loaded with Next's own loader and route resolver (the same probe as
`validate --with-next`), in a clean environment where every `process.env.NAME` the file
mentions reads a marker instead, so the import sees which values come from the build
environment, and no secret in the caller's environment can reach the TOML.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from meterr_config.errors import InputError, Location
from meterr_config.importer.notes import Notes
from meterr_config.importer.routes import HeaderSets, Table, convert_rules, header_sets
from meterr_config.importer.values import (
    checked,
    dotted,
    env_mark,
    env_reads,
    null_at,
    secret_in,
)
from meterr_config.models import artifact
from meterr_config.models.nextjs import Images, NextSettings
from meterr_config.realtools.nextcheck import FUNCTION, clean, probe_file, user_rules
from meterr_config.realtools.tools import QUIET_ENV, find_tools
from meterr_config.secretshapes import looks_secret, redact_shapes
from meterr_config.validate.nextjs import (
    NOT_NEEDED,
    REMOVED,
    RENAMED,
    Version,
    keys_for,
    parse_version,
    show_version,
)

_READS = re.compile(r"process\.env(?:\.([A-Za-z_]\w*)|\[\s*['\"]([A-Za-z_]\w*)['\"]\s*\])")
# Set by Next.js itself or the shell: never replaced by a marker.
_OWN = re.compile(r"^(NODE_ENV|NEXT_RUNTIME|NEXT_PHASE|__NEXT.*|NEXT_PRIVATE_.*)$")
_KEEP_ENV = ("PATH", "HOME", "TMPDIR", "TEMP", "TMP", "LANG", "SYSTEMROOT")
_ROUTES = ("headers", "redirects", "rewrites")


# Next's own wrappers around the real error, which say nothing about the cause.
_GENERIC = re.compile(r"^Next\.js exited with code|Failed to load next\.config")


def load_next(path: Path, tools_dir: Path | None, text: str) -> dict[str, Any]:
    """What Next.js makes of the config file at `path`, whose `text` was read (and
    checked to be a regular file in its folder) already (see the module docstring).

    It is loaded where it is, so its own imports (`./site`, a plugin in the app's
    node_modules) resolve, with NODE_ENV=production as under `next build`, and then as
    `next dev` loads it (under "development"), so that what differs can be named. A file
    with another name is loaded from a copy under the standard name."""
    try:
        tools = find_tools(tools_dir, ("next",))
    except InputError as exc:
        raise InputError(
            f"reading next.config needs Node.js and Next.js ({exc.message})", Location(str(path))
        ) from None
    names = {a or b for a, b in _READS.findall(text)}
    env = {name: os.environ[name] for name in _KEEP_ENV if name in os.environ}
    env.update({name: env_mark(name) for name in names if not _OWN.match(name)})
    env["NODE_ENV"] = "production"
    doc = probe_file(tools, path, text, env)
    if not doc.get("ok"):
        # A refusal comes reduced to Next's verdict (for a route, its source only).
        errors = (
            []
            if doc.get("refused")
            else [clean(m["text"]) for m in doc.get("messages", []) if m["level"] == "error"]
        )
        said = [str(doc.get("error") or "").removeprefix("Error: "), *errors]
        detail = "; ".join(dict.fromkeys(e for e in said if e and not _GENERIC.search(e)))
        detail = redact_shapes(detail or "; ".join(e for e in said if e))
        raise InputError(f"Next.js could not load it: {detail}", Location(str(path)))
    doc["injected"] = env
    doc["development"] = probe_file(tools, path, text, env, development=True)
    return doc


def key_lines(text: str, doc: dict[str, Any]) -> dict[str, int]:
    """The line where each top-level and experimental key is written, for the notes.

    next.config is code, so this is a search: the first `name:` or `name(` on a line."""
    user: dict[str, Any] = doc.get("userConfig") or {}
    experimental = user.get("experimental")
    keys = [(name, name) for name in [*user, *_ROUTES]]
    if isinstance(experimental, dict):
        keys += [(f"experimental.{name}", name) for name in experimental]
    lines = text.split("\n")
    out: dict[str, int] = {}
    for key, name in keys:
        written = re.compile(rf"(?<![\w$]){re.escape(name)}\s*[:(]")
        found = next((n for n, line in enumerate(lines, 1) if written.search(line)), None)
        if found is not None:
            out[key] = found
    return out


def _gone(path: tuple[str, ...], version: Version) -> bool:
    return path in REMOVED and version >= parse_version(REMOVED[path])


def _not_needed(path: tuple[str, ...], version: Version) -> bool:
    return path in NOT_NEEDED and version >= parse_version(NOT_NEEDED[path][0])


def _unknown(path: tuple[str, ...], version: Version) -> bool:
    """Not a config key of the target Next.js: Next warns and ignores it, and in the
    rendered (typed) next.config.ts it would fail `next build`'s type check."""
    _, lists = keys_for(version)
    return path[-1] not in lists["experimental" if len(path) == 2 else "top"]


def _ignored(version: Version) -> str:
    return f"not a Next.js {show_version(version)} key, so Next ignores it; left out"


def _renamed_by(path: tuple[str, ...], version: Version) -> bool:
    return path in RENAMED and version >= parse_version(RENAMED[path][1])


def import_next(
    doc: dict[str, Any], notes: Notes, passthrough: bool, version: Version
) -> dict[str, Table]:
    """The model tables a loaded next.config gives, keyed by section. Renamed and removed
    keys are fixed only when the target Next.js `version` has renamed or removed them."""
    nextjs: Table = {}
    user: dict[str, Any] = doc.get("userConfig") or {}
    for name, value in user.items():
        field = artifact.fields(NextSettings).get(name)
        if name in _ROUTES:
            continue
        if name == "i18n":
            notes.add(
                name,
                "dropped",
                "Next.js rewrites every route per locale, which the model cannot hold: i18n "
                "and the routes it expands are left out",
            )
        elif _gone((name,), version):
            notes.add(name, "fixed", f"removed in Next.js {REMOVED[(name,)]}; left out")
        elif _unknown((name,), version) and not _renamed_by((name,), version):
            said = f"not a Next.js {show_version(version)} key: Next ignores it, but a plugin "
            notes.add(
                name, "dropped", said + "may read it (the rendered config has none); left out"
            )
        elif field is not None:
            _modelled(nextjs, name, field, value, notes, passthrough, version, doc)
        else:
            _unmodelled(nextjs, name, name, value, notes, passthrough, "not modelled")
    out: dict[str, Table] = {"nextjs": nextjs}
    if "i18n" in user:
        for kind in _ROUTES:
            if routes := _resolved(doc, kind, Notes("")):
                notes.add(kind, "dropped", f"{len(routes)} rule(s) expanded per locale; left out")
    else:
        _routes(out, doc, notes)
    _sweep_reads(nextjs, notes)
    _development_differences(doc, notes)
    return out


def _development_differences(doc: dict[str, Any], notes: Notes) -> None:
    """Each key or route list that `next dev` reads differently (a NODE_ENV or phase
    branch): the model carries what the deployment's build reads, so the development
    value is named, never silently lost."""
    dev = doc.get("development")
    if not isinstance(dev, dict):
        return
    if not dev.get("ok"):
        said = f"`next dev` could not load it ({dev.get('error') or 'no message'})"
        notes.add("", "dropped", f"{said}; carried as `next build` reads it")
        return
    mine, theirs = _comparable(doc), _comparable(dev)
    for key in sorted(set(mine) | set(theirs)):
        if mine.get(key) != theirs.get(key):
            notes.add(
                key,
                "dropped",
                "`next dev` reads another value (NODE_ENV=development); carried as "
                "`next build` reads it",
            )


def _comparable(doc: dict[str, Any]) -> dict[str, Any]:
    """The user's keys (experimental and env ones one by one) and route lists of a
    loaded config."""
    user: dict[str, Any] = dict(doc.get("userConfig") or {})
    out = {name: value for name, value in user.items() if name not in _ROUTES}
    for table in ("experimental", "env"):
        if isinstance(out.get(table), dict):
            out |= {dotted(table, k): v for k, v in out.pop(table).items()}
    return out | {kind: doc.get(kind) for kind in _ROUTES if doc.get(kind)}


def _modelled(
    nextjs: Table,
    name: str,
    field: str,
    value: Any,
    notes: Notes,
    passthrough: bool,
    version: Version,
    doc: dict[str, Any],
) -> None:
    """A key the model renders, into its `field` of [nextjs]."""
    if field == "env":
        nextjs["env"] = _env(value, notes, {**QUIET_ENV, **doc.get("injected", {})})
    elif field == "images":
        _images(nextjs, value, notes)
    elif field == "experimental" and isinstance(value, dict):
        _experimental(nextjs, value, notes, passthrough, version)
    elif field == "experimental":
        _unmodelled(nextjs, name, name, value, notes, passthrough, "not modelled")
    elif checked(NextSettings, {field: value}, notes, name):  # output, basePath…
        nextjs[field] = value


def _sweep_reads(nextjs: Table, notes: Notes) -> None:
    """A build-time read left anywhere else (say `hostname` from IMAGE_HOSTS) has no one
    value to carry: the key holding it is left out."""
    for name in list(nextjs):
        if name != "env" and (names := env_reads(nextjs[name])):
            del nextjs[name]
            notes.add(
                artifact.names(NextSettings).get(name, name),
                "dropped",
                f"read from {names[0]} at build time; meterr-config renders literal values",
            )


def _env(raw: Any, notes: Notes, injected: dict[str, str]) -> Table:
    if not isinstance(raw, dict):
        notes.add("env", "dropped", "not an object; left out")
        return {}
    out: Table = {}
    ours = [n for n, v in raw.items() if injected.get(n) == v and not env_reads(v)]
    if ours:
        notes.add(
            "env",
            "dropped",
            f"spreads process.env: {', '.join(ours)} came from the import's own clean "
            "environment, not the file, and were left out",
        )
    for name, value in raw.items():
        key = dotted("env", name)
        if name in ours:
            continue
        reads = env_reads(value)
        if isinstance(value, str) and reads and value == env_mark(reads[0]):
            out[name] = {"from_env": reads[0]}
        elif reads:
            notes.add(key, "dropped", f"built from {reads[0]} and more; only whole reads carry")
        elif isinstance(value, str) and looks_secret(name, value):
            notes.add(
                key,
                "dropped",
                "looks like a secret, and next.config `env` is inlined into the browser "
                "bundle: value not written",
            )
        elif checked(NextSettings, {"env": {name: value}}, notes, key):
            out[name] = value
    return out


def _images(nextjs: Table, raw: Any, notes: Notes) -> None:
    if not isinstance(raw, dict):
        notes.add("images", "dropped", "not an object; left out")
        return
    known = artifact.fields(Images)
    for name in sorted(set(raw) - set(known) - {"domains"}):
        notes.add(dotted("images", name), "dropped", "not modelled; left out")
    table = artifact.load(Images, {k: v for k, v in raw.items() if k in known})
    if "domains" in raw:
        table = _domains(table, raw["domains"], notes)
    if table and checked(Images, table, notes, "images"):
        nextjs["images"] = table


# A host name as the URL parser gives it: picomatch reads none of these characters as a
# glob, so a remote pattern with it as `hostname` matches exactly that host.
_PLAIN_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$")


def _domains(table: Table, domains: Any, notes: Notes) -> Table:
    """`images.domains` (deprecated since Next.js 14) as `remotePatterns`: Next's
    `hasRemoteMatch` allows a URL whose host equals a domain, whatever its protocol,
    port and path, which is what a pattern with only `hostname` matches."""
    if not isinstance(domains, list) or not all(
        isinstance(host, str) and _PLAIN_HOST.match(host) for host in domains
    ):
        notes.add("images.domains", "dropped", "not a list of host names; left out")
        return table
    patterns = [{"hostname": host} for host in domains]
    table = {**table, "remote_patterns": [*table.get("remote_patterns", []), *patterns]}
    notes.add(
        "images.domains",
        "fixed",
        "deprecated since Next.js 14; carried as remotePatterns with only `hostname`, "
        "which allow the same URLs",
        covers=("images.remotePatterns",),
    )
    return table


def _experimental(
    nextjs: Table, raw: dict[str, Any], notes: Notes, passthrough: bool, version: Version
) -> None:
    kept: Table = {}
    for name, value in raw.items():
        key = dotted("experimental", name)
        path = ("experimental", name)
        if _renamed_by(path, version):
            new, since = RENAMED[path]
            _renamed(nextjs, key, new, since, value, notes, passthrough)
        elif _gone(path, version):
            notes.add(key, "fixed", f"removed in Next.js {REMOVED[path]}; left out")
        elif _not_needed(path, version):
            since, why = NOT_NEEDED[path]
            said = f"no longer needed ({why} by default since Next.js {since}); left out"
            notes.add(key, "fixed", said)
        elif _unknown(path, version):
            notes.add(key, "fixed", _ignored(version))
        elif _carriable(key, value, notes, "experimental key"):
            kept[name] = value
    if kept:
        nextjs["experimental"] = kept


def _renamed(
    nextjs: Table, key: str, new: str, since: str, value: Any, notes: Notes, passthrough: bool
) -> None:
    said = f"renamed to '{new}' in Next.js {since}"
    field = artifact.fields(NextSettings).get(new)
    if field is None:
        _unmodelled(nextjs, key, new, value, notes, passthrough, said)
        return
    already = nextjs.get(field)
    if isinstance(value, list) and isinstance(already, list | None):  # both names: one list
        value = list(dict.fromkeys([*(already or []), *value]))
    if checked(NextSettings, {field: value}, notes, key):
        nextjs[field] = value
        notes.add(key, "fixed", f"{said}; carried as {new}", covers=(new,))


def _carriable(key: str, value: Any, notes: Notes, what: str) -> bool:
    """JSON TOML can hold, with no function and no build-time read in it."""
    if (where := null_at(value)) is not None:
        notes.add(key + where, "dropped", f"{what} holds null, which TOML cannot hold")
    elif _holds_function(value):
        notes.add(key, "dropped", f"{what} is (or holds) a function, which is code, not data")
    elif names := env_reads(value):
        notes.add(key, "dropped", f"{what} is read from {names[0]} at build time")
    elif (secret := secret_in(value, key.rsplit(".", 1)[-1])) is not None:
        notes.add(key, "dropped", f"{what}: {secret or key} looks like a secret: not written")
    else:
        return True
    return False


def _holds_function(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_holds_function(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_function(v) for v in value)
    return isinstance(value, str) and value == FUNCTION


def _unmodelled(
    nextjs: Table,
    key: str,
    name: str,
    value: Any,
    notes: Notes,
    passthrough: bool,
    what: str,
) -> None:
    if _holds_function(value):
        notes.add(key, "dropped", f"{what}: a function, which is code, not data; left out")
    elif not passthrough:
        notes.add(key, "dropped", f"{what}; left out (--passthrough keeps it verbatim)")
    elif _carriable(key, value, notes, what):
        _keep(nextjs.setdefault("passthrough", {}), name, value, moved=name != key)
        notes.add(key, "kept", what if name == key else f"{what}; kept as {name}", covers=(name,))


def _keep(passthrough: Table, name: str, value: Any, moved: bool) -> None:
    """Put `value` at `name` (`compiler.relay`: nested) in the passthrough table, as
    Next's loader does: a value moved out of `experimental` replaces the same key
    written at its new place, whichever of the two the import meets first."""
    *parents, last = name.split(".")
    table = passthrough
    for part in parents:
        if not isinstance(table.get(part), dict):
            table[part] = {}
        table = table[part]
    already = table.get(last)
    if not moved and isinstance(already, dict) and isinstance(value, dict):
        value = {**value, **already}  # keys moved here earlier win
    table[last] = value


def _strip_base(rule: dict[str, Any], base: str) -> dict[str, Any]:
    """Next prefixes sources and local destinations with basePath; the model does not."""
    out = dict(rule)
    for field in ("source", "destination"):
        value = out.get(field)
        if base and isinstance(value, str) and (value == base or value.startswith(base + "/")):
            out[field] = value[len(base) :] or "/"
    return out


def _resolved(doc: dict[str, Any], kind: str, notes: Notes) -> list[dict[str, Any]]:
    raw = doc.get(kind) or []
    if kind == "rewrites" and isinstance(raw, dict):
        for phase in ("beforeFiles", "fallback"):
            if raw.get(phase):
                notes.add(
                    dotted("rewrites", phase),
                    "dropped",
                    f"{len(raw[phase])} rewrite(s) run {phase}; the model has one list, "
                    "which Next.js runs after files",
                )
        raw = raw.get("afterFiles") or []
    base = str(doc.get("basePath") or "")
    return [_strip_base(rule, base) for rule in user_rules(raw)]


def resolved_routes(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Next's resolved routes as the model writes them (for the render check)."""
    scratch = Notes("")
    return {kind: _resolved(doc, kind, scratch) for kind in _ROUTES}


def _routes(out: dict[str, Table], doc: dict[str, Any], notes: Notes) -> None:
    nextjs = out["nextjs"]
    for kind in ("redirects", "rewrites"):
        if rules := convert_rules(kind, _resolved(doc, kind, notes), notes):
            nextjs[kind] = rules
    sets: HeaderSets = header_sets(_resolved(doc, "headers", notes), notes)
    if sets.rules:
        nextjs["headers"] = sets.rules
    if sets.security is not None:
        out["security"] = {**sets.security, "layer": "next"}
    if sets.cors is not None:
        out["cors"] = {**sets.cors, "layer": "next"}

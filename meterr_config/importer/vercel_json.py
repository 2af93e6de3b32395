"""vercel.json into the `[vercel]`, `[security]`, `[cors]` and `[env]` tables."""

from __future__ import annotations

from typing import Any

from meterr_config.importer.notes import Notes
from meterr_config.importer.routes import Table, convert_rules, header_sets
from meterr_config.importer.values import checked, dotted, null_at, secret_in
from meterr_config.models import artifact
from meterr_config.models.vercel import Cron, FunctionConfig, VercelImages, VercelSettings

LEGACY = {
    "routes": "legacy routing: Vercel refuses it next to redirects, rewrites, headers, "
    "cleanUrls or trailingSlash; rewrite it as those",
    "builds": "legacy: `builds` turns off zero-config framework builds and the project's "
    "build settings; Next.js needs no `builds`",
    "version": "legacy: Vercel ignores `version` (2 is the only platform version)",
}
_ENV_KEYS = ("env", "build")


def import_vercel(doc: dict[str, Any], notes: Notes, passthrough: bool) -> dict[str, Table]:
    """The model tables vercel.json gives, keyed by section."""
    vercel: Table = {}
    out: dict[str, Table] = {"vercel": vercel}
    for name, value in doc.items():
        field = artifact.fields(VercelSettings).get(name)
        if field is not None:
            _modelled(out, name, field, value, notes)
        elif name in _ENV_KEYS:
            _legacy_env(out, name, value, notes)
        elif name != "$schema":
            _unmodelled(vercel, name, value, notes, passthrough)
    return out


def _modelled(out: dict[str, Table], name: str, field: str, value: Any, notes: Notes) -> None:
    """A key the model renders, into the `field` of [vercel] (headers: also [security]
    and [cors])."""
    vercel = out["vercel"]
    if field == "functions":
        _put(vercel, "functions", _functions(value, notes))
    elif field == "crons":
        _put(vercel, "crons", _crons(value, notes))
    elif field in ("redirects", "rewrites"):
        _put(vercel, field, convert_rules(name, value, notes))
    elif field == "headers":
        sets = header_sets(value, notes)
        _put(vercel, "headers", sets.rules)
        if sets.security is not None:
            out["security"] = {**sets.security, "layer": "vercel"}
        if sets.cors is not None:
            out["cors"] = {**sets.cors, "layer": "vercel"}
    elif field == "images":
        _images(vercel, value, notes)
    else:  # a plain value: framework, regions, cleanUrls…
        _scalar(vercel, name, field, value, notes)


def _put(vercel: Table, name: str, value: Table | list[Table]) -> None:
    """Leave empty tables and lists out: the file stays as short as the input."""
    if value:
        vercel[name] = value


def _scalar(vercel: Table, name: str, field: str, value: Any, notes: Notes) -> None:
    if field == "framework" and value != "nextjs":
        notes.add(name, "dropped", f"{value!r} is not Next.js, which meterr-config targets")
    elif checked(VercelSettings, {field: value}, notes, name):
        vercel[field] = value


def _functions(raw: Any, notes: Notes) -> Table:
    if not isinstance(raw, dict):
        notes.add("functions", "dropped", "not an object of globs; left out")
        return {}
    out: Table = {}
    for glob, config in raw.items():
        key = dotted("functions", glob)
        if not isinstance(config, dict):
            notes.add(key, "dropped", "not an object; left out")
            continue
        known = artifact.fields(FunctionConfig)
        table = artifact.load(FunctionConfig, {k: v for k, v in config.items() if k in known})
        for unknown in sorted(set(config) - set(known)):
            notes.add(f"{key}.{unknown}", "dropped", "not modelled; left out")
        if checked(FunctionConfig, table, notes, key):
            out[glob] = table
    return out


def _crons(raw: Any, notes: Notes) -> list[Table]:
    if not isinstance(raw, list):
        notes.add("crons", "dropped", "not a list; left out")
        return []
    out = []
    for index, cron in enumerate(raw):
        table = artifact.load(Cron, cron) if isinstance(cron, dict) else {}
        if checked(Cron, table, notes, dotted("crons", index)):
            out.append(table)
    return out


def _images(vercel: Table, raw: Any, notes: Notes) -> None:
    if not isinstance(raw, dict):
        notes.add("images", "dropped", "not an object; left out")
        return
    table = artifact.load(VercelImages, raw)
    if checked(VercelImages, table, notes, "images"):
        vercel["images"] = table


def _legacy_env(out: dict[str, Table], name: str, value: Any, notes: Notes) -> None:
    """`env` and `build.env` set variables from vercel.json: legacy, and often secrets."""
    variables = value.get("env") if name == "build" and isinstance(value, dict) else value
    if name == "build" and (not isinstance(value, dict) or set(value) != {"env"}):
        notes.add(name, "dropped", "legacy and not modelled; left out")
        return
    if not isinstance(variables, dict) or not all(isinstance(v, str) for v in variables.values()):
        notes.add(dotted(name, "env") if name == "build" else name, "dropped", "not modelled")
        return
    from meterr_config.importer.dotenv_file import declare

    where = "build.env" if name == "build" else "env"
    for var, var_value in variables.items():
        declare(out.setdefault("env", {}), var, var_value, notes, f"{where}.{var}")
    notes.add(
        where,
        "dropped",
        f"legacy, moved to [env]: `vercel deploy` still sends vercel.json `{where}` with each "
        "deployment and the rendered vercel.json does not, so set these variables in the "
        "Vercel project first",
    )


def _unmodelled(vercel: Table, name: str, value: Any, notes: Notes, passthrough: bool) -> None:
    what = LEGACY.get(name, "not modelled by meterr-config")
    key = dotted(name)
    if not passthrough:
        notes.add(key, "dropped", f"{what}; left out (--passthrough keeps it verbatim)")
        return
    if (where := null_at(value)) is not None:
        notes.add(key + where, "dropped", f"{what}; holds null, which TOML cannot hold")
        return
    if (secret := secret_in(value, name)) is not None:
        notes.add(key, "dropped", f"{what}; {secret or name} looks like a secret: not written")
        return
    vercel.setdefault("passthrough", {})[name] = value
    notes.add(key, "kept", what)

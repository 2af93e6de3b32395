"""Route rules (redirects, rewrites, header rules) from their JSON shape into the model's.

vercel.json and next.config share the shape, so one converter serves both. A rule the
model cannot hold is left out with a note naming it, never half-carried. The first header
rule, when it sets only security headers on every request, becomes `[security]`. A rule
that sends `Access-Control-Allow-Origin: *` is carried as written (lint judges it: `*` is
usual on public fonts); one whose origin is read at build time becomes `[cors]` without
that origin, which is reported as not carried over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from meterr_config.importer.notes import Notes
from meterr_config.importer.values import checked, dotted, env_reads
from meterr_config.models import artifact
from meterr_config.models.routing import Condition, HeaderRule, Redirect, Rewrite
from meterr_config.secretshapes import is_placeholder, secret_shaped

Table = dict[str, Any]

_MODELS: dict[str, type[BaseModel]] = {
    "redirects": Redirect,
    "rewrites": Rewrite,
    "headers": HeaderRule,
}
# Headers a `[security]` table is for: sent on every response, never route-specific.
SECURITY_HEADERS = frozenset(
    {
        "content-security-policy",
        "cross-origin-embedder-policy",
        "cross-origin-opener-policy",
        "cross-origin-resource-policy",
        "permissions-policy",
        "referrer-policy",
        "strict-transport-security",
        "x-content-type-options",
        "x-dns-prefetch-control",
        "x-frame-options",
        "x-permitted-cross-domain-policies",
        "x-xss-protection",
    }
)
ALLOW_ORIGIN = "access-control-allow-origin"


@dataclass
class HeaderSets:
    """What the header rules of one file hold besides custom rules."""

    security: Table | None = None
    cors: Table | None = None
    rules: list[Table] = field(default_factory=list)


def _conditions(raw: Any) -> list[Table] | None:
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        return None
    return [dict(item) for item in raw]


def _reads_env(kind: str, raw: dict[str, Any], key: str, notes: Notes) -> bool:
    """A rule whose pattern or target is read at build time has no one literal value."""
    parts = {k: v for k, v in raw.items() if k != "headers"}
    if names := env_reads(parts):
        notes.add(
            key,
            "dropped",
            f"built from {names[0]} at build time; meterr-config renders literal values: "
            f"write this {kind[:-1]} in each environment's file",
        )
        return True
    return False


def convert_rule(kind: str, raw: Any, index: int, notes: Notes) -> Table | None:
    """One redirect, rewrite or header rule as a model table, or None (noted) if it cannot be."""
    key = dotted(kind, index)
    if not isinstance(raw, dict):
        notes.add(key, "dropped", "not an object; left out")
        return None
    if _reads_env(kind, raw, key, notes):
        return None
    table = _fields(kind, raw, index, notes)
    if table is None:
        return None
    if kind == "redirects":
        _status(table, key, notes)
    if (where := _credential(table)) is not None:
        notes.add(key, "dropped", f"{where} looks like a secret: rule not written")
        return None
    return table if checked(_MODELS[kind], table, notes, key) else None


def _fields(kind: str, raw: dict[str, Any], index: int, notes: Notes) -> Table | None:
    """The rule's keys as its model's fields; None (noted) when a part cannot be carried,
    which would change what the rule matches or sends."""
    known = artifact.fields(_MODELS[kind])
    table: Table = {}
    for name, value in raw.items():
        field = known.get(name)
        if field is None:
            notes.add(dotted(kind, index, name), "dropped", "not modelled; left out of the rule")
        elif field in ("has", "missing"):
            conditions = _conditions(value)
            if conditions is None:
                notes.add(dotted(kind, index, name), "dropped", "not a list of conditions")
                return None
            if conditions:
                table[field] = artifact.load(Condition, conditions)
        elif field == "headers":
            headers = _header_table(value, dotted(kind, index), notes)
            if headers is None:
                return None
            table[field] = headers
        else:
            table[field] = value
    return table


def _status(table: Table, key: str, notes: Notes) -> None:
    """A redirect's status as Vercel reads it: permanent (308) unless it says otherwise,
    and never both `permanent` and `statusCode`."""
    if "permanent" not in table and "status_code" not in table:
        table["permanent"] = True  # Vercel's default: a permanent (308) redirect
    if "permanent" in table and "status_code" in table:
        del table["permanent"]
        notes.add(
            f"{key}.permanent",
            "fixed",
            "both `permanent` and `statusCode` given, which Vercel refuses; kept statusCode",
        )


def _header_table(raw: Any, key: str, notes: Notes) -> dict[str, str] | None:
    if not isinstance(raw, list):
        notes.add(f"{key}.headers", "dropped", "not a list of {key, value} objects; left out")
        return None
    out: dict[str, str] = {}
    seen: dict[str, str] = {}
    for position, entry in enumerate(raw):
        if not isinstance(entry, dict) or set(entry) != {"key", "value"}:
            notes.add(f"{key}.headers[{position}]", "dropped", "not a {key, value} object")
            return None
        name, value = entry["key"], entry["value"]
        if not isinstance(name, str) or not isinstance(value, str):
            notes.add(f"{key}.headers[{position}]", "dropped", "key and value must be strings")
            return None
        if name.lower() in seen:
            notes.add(
                f"{key}.headers[{position}]",
                "dropped",
                f"repeats header '{name}' of the same rule; the later value is kept",
            )
            del out[seen[name.lower()]]
        seen[name.lower()] = name
        out[name] = value
    return out


# Request or response headers that carry a credential whatever their value looks like.
_CREDENTIAL_HEADER = re.compile(
    r"^(proxy-)?authorization$|^(set-)?cookie$|api[-_]?key|auth[-_]?token|secret|password", re.I
)


def _credential(table: Table) -> str | None:
    """What in a rule looks like a credential: its target URL, a header, a condition."""
    if secret_shaped(str(table.get("destination", ""))):
        return "the destination"
    for name, value in (table.get("headers") or {}).items():
        if secret_shaped(value) or (_CREDENTIAL_HEADER.search(name) and not is_placeholder(value)):
            return f"header {name!r}"
    for cond in [*table.get("has", []), *table.get("missing", [])]:
        if secret_shaped(str(cond.get("value", ""))):
            return "a condition's value"
    return None


def convert_rules(kind: str, raw: Any, notes: Notes) -> list[Table]:
    """A list of rules; rules that cannot be carried are left out, each with a note."""
    if not isinstance(raw, list):
        notes.add(kind, "dropped", "not a list of rules; left out")
        return []
    rules = (convert_rule(kind, rule, index, notes) for index, rule in enumerate(raw))
    return [rule for rule in rules if rule is not None]


def _is_security(rule: Table) -> bool:
    return set(rule) == {"source", "headers"} and all(
        name.lower() in SECURITY_HEADERS for name in rule["headers"]
    )


def _split_cors(rule: Table, index: int, notes: Notes, sets: HeaderSets) -> Table | None:
    """Take a wildcard or build-time CORS origin out of `rule`; return what is left of it."""
    headers: dict[str, str] = rule["headers"]
    origin = next((v for k, v in headers.items() if k.lower() == ALLOW_ORIGIN), None)
    if origin is None or not env_reads(origin):
        return rule  # `*` too, as written: lint judges it (public fonts need it)
    cors = {k.lower(): v for k, v in headers.items() if k.lower().startswith("access-control-")}
    why = (
        f"Access-Control-Allow-Origin is read from {env_reads(origin)[0]} at build time "
        "(and a fallback in code, such as `|| '*'`, goes unseen)"
    )
    if sets.cors is None:
        sets.cors = _cors_table(rule["source"], cors)
    elif rule["source"] not in sets.cors["paths"]:
        sets.cors["paths"].append(rule["source"])
    notes.add(
        dotted("headers", index),
        "dropped",
        f"{why}; moved to [cors] with no allowed origins: list them in cors.allowed_origins",
    )
    rest = {k: v for k, v in headers.items() if not k.lower().startswith("access-control-")}
    return {**rule, "headers": rest} if rest else None


def _cors_table(source: str, headers: dict[str, str]) -> Table:
    def listed(name: str) -> list[str]:
        value = headers.get(name, "")
        return [part.strip() for part in value.split(",") if part.strip()]

    table: Table = {
        "paths": [source],
        "allowed_methods": listed("access-control-allow-methods"),
        "allowed_headers": listed("access-control-allow-headers"),
    }
    if exposed := listed("access-control-expose-headers"):
        table["expose_headers"] = exposed
    if headers.get("access-control-allow-credentials") == "true":
        table["allow_credentials"] = True
    max_age = headers.get("access-control-max-age", "")
    if max_age.isdigit():
        table["max_age"] = int(max_age)
    return table


def header_sets(raw: Any, notes: Notes) -> HeaderSets:
    """Header rules split into security headers, a CORS policy and the remaining rules.

    Only the first rule can be `[security]`: the renderer puts security headers first, so
    a later rule moved there would change which value wins when rules overlap.
    """
    sets = HeaderSets()
    if not isinstance(raw, list):
        notes.add("headers", "dropped", "not a list of rules; left out")
        return sets
    for index, item in enumerate(raw):
        rule = convert_rule("headers", item, index, notes)
        if rule is None:
            continue
        if index == 0 and _is_security(rule):
            sets.security = {"source": rule["source"], "headers": rule["headers"]}
            continue
        rest = _split_cors(rule, index, notes, sets)
        if rest is not None:
            rest = _literal_headers(rest, index, notes)
        if rest is not None:
            sets.rules.append(rest)
    return sets


def _literal_headers(rule: Table, index: int, notes: Notes) -> Table | None:
    """`rule` without the headers whose values are read at build time (each noted)."""
    headers = dict(rule["headers"])
    for name, value in rule["headers"].items():
        if names := env_reads(value):
            notes.add(
                dotted("headers", index),
                "dropped",
                f"header '{name}' is read from {names[0]} at build time; meterr-config "
                "renders literal values: set it in each environment's file",
            )
            del headers[name]
    return {**rule, "headers": headers} if headers else None

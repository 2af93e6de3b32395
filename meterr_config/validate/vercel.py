"""Validate a vercel.json document as strictly as the Vercel server does.

The CLI's schema (vendored) checks shapes but allows unknown top-level keys; the server
rejects them at deploy time, so the key list from @vercel/config is checked too, along
with the cross-field rules the server applies and the CLI lets through.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from jsonschema import Draft7Validator

from meterr_config.keypath import KeyPath
from meterr_config.resources import load_json

SCHEMA_FILE = "vendor/vercel-cli-58.10.0.vercelConfigSchema.json"
DEPRECATED = {"builds", "build", "env"}
PRIVATE = {"version", "scope", "github", "wildcard"}
# Documented by Vercel for editor completion; not part of the generated type list.
EXTRA_ALLOWED = {"$schema"}
ROUTES_EXCLUSIVE = ("rewrites", "redirects", "headers", "cleanUrls", "trailingSlash")

Problem = tuple[str, str, KeyPath, str]  # (rule, severity, path, message)


@cache
def _validator() -> Draft7Validator:
    """Compiled once per process: the schema is 380 KB."""
    return Draft7Validator(load_json(SCHEMA_FILE))


@cache
def _fast_validator() -> Any:
    """The same schema in jsonschema-rs, about 300 times faster: it answers "valid?" for
    every document, and only an invalid one goes to `jsonschema` for its messages."""
    import jsonschema_rs

    # Formats off, as in `_validator`: both must agree on what is valid.
    return jsonschema_rs.Draft7Validator(load_json(SCHEMA_FILE), validate_formats=False)


@cache
def toplevel_keys() -> frozenset[str]:
    """The top-level properties the Vercel server accepts."""
    return frozenset(load_json("vendor/vercel-toplevel-keys.json")["keys"]) | EXTRA_ALLOWED


def _short(message: str, limit: int = 200) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"


def _describe(error: Any) -> str:
    """What the schema wants, without the value found: jsonschema's own messages quote the
    instance (`['sk-…'] is not of type 'string'`), and a value may be a secret."""
    kind, want = error.validator, error.validator_value
    if kind == "required":
        return str(error.message)  # names a property the schema lists
    if kind == "type":
        wanted = " or ".join(want) if isinstance(want, list) else want
        return f"must be of type '{wanted}'"
    if kind in ("enum", "const"):
        return f"must be one of {want!r}" if kind == "enum" else f"must be {want!r}"
    if kind == "pattern":
        return f"must match '{want}'"
    if kind == "additionalProperties":
        return "has a property the schema does not allow"
    if kind in ("anyOf", "oneOf"):
        return "matches none of the shapes the schema allows"
    if kind in _BOUNDS:
        return f"{_BOUNDS[kind]} {want}"
    return f"fails the schema's '{kind}' check"


_BOUNDS = {
    "minimum": "must be at least",
    "maximum": "must be at most",
    "exclusiveMinimum": "must be more than",
    "exclusiveMaximum": "must be less than",
    "minLength": "must be at least this many characters:",
    "maxLength": "must be at most this many characters:",
    "minItems": "must have at least this many items:",
    "maxItems": "must have at most this many items:",
    "minProperties": "must have at least this many properties:",
    "maxProperties": "must have at most this many properties:",
}


def schema_problems(doc: Any) -> Iterator[Problem]:
    """The schema's errors (VAL001), the most specific branch of each; none when valid."""
    if _fast_validator().is_valid(doc):
        return
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        # anyOf/oneOf failures: report the most specific branch error, as Vercel does.
        best = error
        if error.context:
            best = min(error.context, key=lambda e: (-len(e.absolute_path), e.message))
        yield "VAL001", "error", tuple(best.absolute_path), _short(_describe(best))


def _key_problems(doc: dict[str, Any]) -> Iterator[Problem]:
    for key in sorted(doc):
        if key not in toplevel_keys():
            message = f"unknown property '{key}': the Vercel server rejects it at deploy time"
            yield "VAL002", "error", (key,), message
        elif key in DEPRECATED:
            yield "VAL003", "warning", (key,), f"'{key}' is deprecated by Vercel"
        elif key in PRIVATE:
            yield "VAL003", "warning", (key,), f"'{key}' is a private Vercel property"


def _server_rules(doc: dict[str, Any]) -> Iterator[Problem]:
    if "routes" in doc:
        for key in ROUTES_EXCLUSIVE:
            if key in doc:
                message = f"'routes' cannot be used together with '{key}'"
                yield "VAL004", "error", (key,), message
    redirects = doc.get("redirects")
    for index, rule in enumerate(redirects if isinstance(redirects, list) else []):
        if isinstance(rule, dict) and "permanent" in rule and "statusCode" in rule:
            message = "give 'permanent' or 'statusCode', not both"
            yield "VAL005", "error", ("redirects", index), message
    if "functions" in doc and "builds" in doc:
        yield "VAL004", "error", ("functions",), "'functions' cannot be used with 'builds'"


_JSON_TYPES = {"array": list, "object": dict, "string": str, "boolean": bool}


def misshapen(doc: dict[str, Any], path: KeyPath) -> bool:
    """Whether a schema error at `path` breaks the shape of its top-level key: an error
    inside it (a cron without a path), or a value of another type than the schema's. A
    top-level value of the right type that breaks a bound (2,049 redirects) keeps its
    shape, so the rules about it still run."""
    if len(path) >= 2:
        return True
    declared = load_json(SCHEMA_FILE)["properties"].get(str(path[0]), {}).get("type")
    expected = _JSON_TYPES.get(str(declared))
    return expected is not None and not isinstance(doc.get(str(path[0])), expected)


# semver's `valid()` (the CLI's check of a runtime's tag): an optional `v` or `=`, then
# MAJOR.MINOR.PATCH with an optional pre-release and build (semver.org's grammar).
_SEMVER = re.compile(
    r"^\s*[v=]*(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?\s*$"
)


def _function_problems(doc: dict[str, Any]) -> Iterator[Problem]:
    """What the CLI's `validateFunctions` (fs-detectors detect-builders.ts) refuses
    beyond the schema: a glob starting with `/`, an empty function, and a runtime whose
    tag after the last `@` is not a version (`nodejs20.x`: the runtime is set by
    `engines.node` or the project, not here)."""
    functions = doc.get("functions")
    for glob, func in sorted(functions.items()) if isinstance(functions, dict) else ():
        path: KeyPath = ("functions", glob)
        if isinstance(func, dict) and not func:
            yield (
                "VAL006",
                "error",
                path,
                "a function needs at least one property " + _cli_code("invalid_function"),
            )
        if glob.startswith("/"):
            message = "a function path is relative to the project root, without a leading '/'"
            yield "VAL006", "error", path, f"{message} {_cli_code('invalid_function_source')}"
        runtime = func.get("runtime") if isinstance(func, dict) else None
        if runtime is not None and not _SEMVER.match(str(runtime).split("@")[-1]):
            message = "a runtime needs a version, such as `vercel-php@0.7.4`"
            yield (
                "VAL006",
                "error",
                (*path, "runtime"),
                f"{message} {_cli_code('invalid_function_runtime')}",
            )


def _cli_code(code: str) -> str:
    return f"(the Vercel CLI: {code})"


def vercel_problems(doc: Any) -> list[Problem]:
    """Every problem in a vercel.json document, in a stable order."""
    if not isinstance(doc, dict):
        return [("VAL001", "error", (), "vercel.json must be a JSON object")]
    return [
        *schema_problems(doc),
        *_key_problems(doc),
        *_server_rules(doc),
        *_function_problems(doc),
    ]

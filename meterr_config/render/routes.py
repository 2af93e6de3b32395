"""Header rules in the JSON shape that vercel.json and next.config share: the generated
security and CORS rules, then the model's own.

Redirects and rewrites need no converter: they render by their fields' artifact names
(models.artifact). Keys come out in a fixed, readable order.
"""

from __future__ import annotations

import re
from typing import Any

from meterr_config.keypath import KeyPath
from meterr_config.models import Environment
from meterr_config.models.artifact import dump
from meterr_config.models.headers import Layer
from meterr_config.models.routing import HeaderRule

Json = dict[str, Any]

_REGEX_SPECIAL = re.compile(r"[\\^$.*+?()[\]{}|]")


def escape_regex(text: str) -> str:
    """Escape `text` so a JavaScript RegExp matches it literally (lodash's escapeRegExp)."""
    return _REGEX_SPECIAL.sub(lambda m: "\\" + m.group(), text)


def header_rule(source: str, headers: dict[str, str], has: list[Json] | None = None) -> Json:
    """A header rule; header names are sorted so TOML key order never changes the output."""
    out: Json = {"source": source}
    if has:
        out["has"] = has
    out["headers"] = [{"key": k, "value": headers[k]} for k in sorted(headers)]
    return out


def custom_header_rule(rule: HeaderRule) -> Json:
    """A user-written header rule: its headers as a list of {key, value}, by name."""
    out = dump(rule)
    out["headers"] = header_rule(rule.source, rule.headers)["headers"]
    return out


def cors_rules(env: Environment) -> list[Json]:
    """The CORS header rules (see `_cors_rules`)."""
    return [rule for _, rule in _cors_rules(env)]


def _cors_rules(env: Environment) -> list[tuple[KeyPath, Json]]:
    """CORS as header rules: `Vary: Origin` on every CORS path, then one rule per origin.

    A browser accepts exactly one origin in Access-Control-Allow-Origin, so several origins
    become several rules, each gated on the request's Origin header (regex-escaped, so
    `https://app.meterr.ai` cannot be matched by `https://appXmeterr.ai`).
    """
    cors = env.cors
    if not cors.paths or not cors.allowed_origins:
        return []
    allow: dict[str, str] = {"Access-Control-Allow-Methods": ", ".join(cors.allowed_methods)}
    if cors.allowed_headers:
        allow["Access-Control-Allow-Headers"] = ", ".join(cors.allowed_headers)
    if cors.expose_headers:
        allow["Access-Control-Expose-Headers"] = ", ".join(cors.expose_headers)
    if cors.allow_credentials:
        allow["Access-Control-Allow-Credentials"] = "true"
    if cors.max_age is not None:
        allow["Access-Control-Max-Age"] = str(cors.max_age)
    rules: list[tuple[KeyPath, Json]] = []
    for path in cors.paths:
        rules.append((("cors", "paths"), header_rule(path, {"Vary": "Origin"})))
        for index, origin in enumerate(cors.allowed_origins):
            gate = None
            if origin != "*":
                gate = [{"type": "header", "key": "origin", "value": escape_regex(origin)}]
            rule = header_rule(path, {**allow, "Access-Control-Allow-Origin": origin}, gate)
            rules.append((("cors", "allowed_origins", index), rule))
    return rules


def _in_layer(layer: Layer, target: str) -> bool:
    return layer in (target, "both")


def generated_header_rules(env: Environment, target: str) -> list[tuple[KeyPath, Json]]:
    """The security and CORS header rules for one layer, each with the model key it renders."""
    rules: list[tuple[KeyPath, Json]] = []
    if env.security.headers and _in_layer(env.security.layer, target):
        rule = header_rule(env.security.source, env.security.headers)
        rules.append((("security", "headers"), rule))
    if _in_layer(env.cors.layer, target):
        rules.extend(_cors_rules(env))
    return rules


def header_rules(env: Environment, target: str, custom: list[HeaderRule]) -> list[Json]:
    """Security headers, then CORS, then custom rules (later rules win in Next.js)."""
    rules = [rule for _, rule in generated_header_rules(env, target)]
    rules.extend(custom_header_rule(rule) for rule in custom)
    return rules

"""next.config.ts: a typed `NextConfig` with the Next.js settings and the `next` header layer."""

from __future__ import annotations

from typing import Any

from meterr_config.models import Environment
from meterr_config.models.artifact import dumped, names
from meterr_config.models.nextjs import FromEnv, NextSettings
from meterr_config.render.routes import Json, header_rules
from meterr_config.render.ts_literal import Expr, key, literal


def _env_value(value: str | FromEnv) -> Any:
    if isinstance(value, FromEnv):
        return Expr(f"process.env.{value.from_env}")
    return value


def _sorted_tree(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted_tree(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_tree(v) for v in value]
    return value


# Rendered as the config's async functions, not as keys of the object.
ROUTES = ("redirects", "rewrites", "headers")


def _value(n: NextSettings, field: str) -> Any:
    """One field's value as the config object holds it."""
    if field == "env":  # a build-time read is code: process.env.NAME
        return {k: _env_value(n.env[k]) for k in sorted(n.env)}
    if field == "experimental":
        return _sorted_tree(n.experimental)
    return dumped(getattr(n, field))


def config_object(env: Environment) -> Json:
    """The static part of the config object, keys in a fixed order."""
    n: NextSettings = env.nextjs
    out: Json = {}
    for field, name in names(NextSettings).items():
        value = _value(n, field) if field not in ROUTES else None
        if value is not None and value != [] and value != {}:
            out[name] = value
    for name in sorted(n.passthrough):
        out[name] = n.passthrough[name]
    return out


def route_functions(env: Environment) -> dict[str, list[Json]]:
    """The async route functions and what they return; empty ones are left out."""
    n = env.nextjs
    routes = {
        "redirects": dumped(n.redirects),
        "rewrites": dumped(n.rewrites),
        "headers": header_rules(env, "next", n.headers),
    }
    return {name: rules for name, rules in routes.items() if rules}


def render_next_config(env: Environment, header: list[str]) -> bytes:
    """The whole file, with a comment header, a type import and a default export."""
    body = config_object(env)
    lines = [f"// {line}" for line in header]
    lines += ['import type { NextConfig } from "next";', "", "const nextConfig: NextConfig = {"]
    lines += [f"  {key(k)}: {literal(v, 1)}," for k, v in body.items()]
    for name, rules in route_functions(env).items():
        lines += [f"  async {name}() {{", f"    return {literal(rules, 2)};", "  },"]
    lines += ["};", "", "export default nextConfig;", ""]
    return "\n".join(lines).encode()

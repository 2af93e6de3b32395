"""next.config.ts: a typed `NextConfig` with the Next.js settings and the `next` header layer."""

from __future__ import annotations

from typing import Any

from meterr_config.models import Environment
from meterr_config.models.nextjs import FromEnv, Images, NextSettings
from meterr_config.render.routes import Json, header_rules, redirect, rewrite
from meterr_config.render.ts_literal import Expr, key, literal

# Plain keys rendered as they are, in this order, with their next.config names.
_SCALARS = {
    "output": "output",
    "base_path": "basePath",
    "trailing_slash": "trailingSlash",
    "powered_by_header": "poweredByHeader",
    "react_strict_mode": "reactStrictMode",
    "compress": "compress",
    "typed_routes": "typedRoutes",
}
_LISTS = {
    "server_external_packages": "serverExternalPackages",
    "transpile_packages": "transpilePackages",
}


def _images(images: Images) -> Json:
    out: Json = {}
    if images.remote_patterns:
        out["remotePatterns"] = [p.model_dump(exclude_none=True) for p in images.remote_patterns]
    if images.formats is not None:
        out["formats"] = list(images.formats)
    if images.unoptimized is not None:
        out["unoptimized"] = images.unoptimized
    if images.minimum_cache_ttl is not None:
        out["minimumCacheTTL"] = images.minimum_cache_ttl
    return out


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


def config_object(env: Environment) -> Json:
    """The static part of the config object, keys in a fixed order."""
    n: NextSettings = env.nextjs
    out: Json = {}
    for field, name in _SCALARS.items():
        if getattr(n, field) is not None:
            out[name] = getattr(n, field)
    for field, name in _LISTS.items():
        if getattr(n, field):
            out[name] = list(getattr(n, field))
    if n.env:
        out["env"] = {k: _env_value(n.env[k]) for k in sorted(n.env)}
    if n.images is not None and (images := _images(n.images)):
        out["images"] = images
    if n.experimental:
        out["experimental"] = _sorted_tree(n.experimental)
    for name in sorted(n.passthrough):
        out[name] = n.passthrough[name]
    return out


def route_functions(env: Environment) -> dict[str, list[Json]]:
    """The async route functions and what they return; empty ones are left out."""
    n = env.nextjs
    routes = {
        "redirects": [redirect(r) for r in n.redirects],
        "rewrites": [rewrite(r) for r in n.rewrites],
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

"""vercel.json: the Vercel settings, plus the security and CORS headers in the `vercel` layer."""

from __future__ import annotations

from typing import Any

from meterr_config.models import Environment
from meterr_config.models.vercel import FunctionConfig, VercelImages
from meterr_config.render.jsonbytes import pretty
from meterr_config.render.routes import Json, header_rules, redirect, rewrite

SCHEMA_URL = "https://openapi.vercel.sh/vercel.json"

_FUNCTION_KEYS = {
    "architecture": "architecture",
    "memory": "memory",
    "max_duration": "maxDuration",
    "regions": "regions",
    "runtime": "runtime",
    "include_files": "includeFiles",
    "exclude_files": "excludeFiles",
}


def _function(config: FunctionConfig) -> Json:
    return {
        camel: getattr(config, name)
        for name, camel in _FUNCTION_KEYS.items()
        if getattr(config, name) is not None
    }


_IMAGE_KEYS = {
    "sizes": "sizes",
    "remote_patterns": "remotePatterns",
    "local_patterns": "localPatterns",
    "domains": "domains",
    "formats": "formats",
    "qualities": "qualities",
    "minimum_cache_ttl": "minimumCacheTTL",
    "dangerously_allow_svg": "dangerouslyAllowSVG",
    "content_security_policy": "contentSecurityPolicy",
    "content_disposition_type": "contentDispositionType",
}


def _images(images: VercelImages) -> Json:
    data = images.model_dump(exclude_none=True)
    return {
        camel: data[name]
        for name, camel in _IMAGE_KEYS.items()
        if name in data and (data[name] != [] or name == "sizes")
    }


def _put(doc: Json, key: str, value: Any) -> None:
    if value is not None and value != [] and value != {}:
        doc[key] = value


def vercel_document(env: Environment) -> Json:
    """The vercel.json object, keys in a fixed order."""
    v = env.vercel
    doc: Json = {"$schema": SCHEMA_URL}
    _put(doc, "framework", v.framework)
    _put(doc, "buildCommand", v.build_command)
    _put(doc, "installCommand", v.install_command)
    _put(doc, "outputDirectory", v.output_directory)
    _put(doc, "regions", list(v.regions))
    _put(doc, "functions", {glob: _function(v.functions[glob]) for glob in sorted(v.functions)})
    _put(doc, "crons", [{"path": c.path, "schedule": c.schedule} for c in v.crons])
    _put(doc, "cleanUrls", v.clean_urls)
    _put(doc, "trailingSlash", v.trailing_slash)
    _put(doc, "redirects", [redirect(r) for r in v.redirects])
    _put(doc, "rewrites", [rewrite(r) for r in v.rewrites])
    _put(doc, "headers", header_rules(env, "vercel", v.headers))
    if v.images is not None:
        doc["images"] = _images(v.images)
    for name in sorted(v.passthrough):
        doc[name] = v.passthrough[name]
    return doc


def render_vercel_json(env: Environment) -> bytes:
    """Deterministic bytes: two-space indent, UTF-8, newline at the end."""
    return pretty(vercel_document(env))

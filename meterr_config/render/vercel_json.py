"""vercel.json: the Vercel settings, plus the security and CORS headers in the `vercel` layer.

Keys are the model fields' artifact names (see models.artifact), in the fields' order.
"""

from __future__ import annotations

from typing import Any

from meterr_config.models import Environment
from meterr_config.models.artifact import dump, dumped, names
from meterr_config.models.vercel import VercelSettings
from meterr_config.render.jsonbytes import pretty
from meterr_config.render.routes import Json, header_rules

SCHEMA_URL = "https://openapi.vercel.sh/vercel.json"


def _value(env: Environment, field: str) -> Any:
    """One field's value as vercel.json holds it."""
    v = env.vercel
    if field == "functions":  # sorted as Vercel matches them: the order is not meaningful
        return {glob: dump(v.functions[glob]) for glob in sorted(v.functions)}
    if field == "headers":  # security and CORS rules first, then the model's own
        return header_rules(env, "vercel", v.headers)
    return dumped(getattr(v, field))


def vercel_document(env: Environment) -> Json:
    """The vercel.json object, keys in a fixed order."""
    doc: Json = {"$schema": SCHEMA_URL}
    for field, key in names(VercelSettings).items():
        value = _value(env, field)
        if value is not None and value != [] and value != {}:
            doc[key] = value
    for name in sorted(env.vercel.passthrough):
        doc[name] = env.vercel.passthrough[name]
    return doc


def render_vercel_json(env: Environment) -> bytes:
    """Deterministic bytes: two-space indent, UTF-8, newline at the end."""
    return pretty(vercel_document(env))

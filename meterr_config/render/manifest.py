"""env.manifest.json: names, targets, types and rules of every variable. Never a secret value."""

from __future__ import annotations

from meterr_config.load import LoadedEnvironment
from meterr_config.models.variables import Variable, variables
from meterr_config.render.jsonbytes import pretty
from meterr_config.render.routes import Json

MANIFEST_VERSION = 1


def _entry(var: Variable) -> Json:
    out: Json = {
        "public": var.public,
        "required": var.required,
        "secret": var.secret,
        "targets": list(var.targets),
        "type": var.type,
    }
    optional = {
        "description": var.description,
        "flag": var.flag,
        "format": var.format,
        "git_branch": var.branch,
        "min_length": var.min_length,
        # A secret never has a value in the model; the check is belt and braces.
        "value": None if var.secret else var.value,
    }
    out.update({k: v for k, v in optional.items() if v is not None})
    return dict(sorted(out.items()))


def render_manifest(loaded: LoadedEnvironment, header: list[str]) -> bytes:
    """Sorted, indented JSON with a `$comment` header."""
    env = loaded.model
    doc: Json = {
        "$comment": " ".join(header),
        "manifest_version": MANIFEST_VERSION,
        "environment": loaded.name,
        "project": env.project.name,
        "target": env.target,
        "flags": {name: env.flags[name].value for name in sorted(env.flags)},
        "variables": {var.name: _entry(var) for var in variables(env)},
    }
    return pretty(doc)

"""Where in the environment files each rendered artifact key comes from.

Findings on a rendered vercel.json or next.config.ts point at the model key that produced
them, and the diff's parity policy matches changes by that key. Keys map back through
the fields' artifact names (models.artifact); only the generated header rules, which no
field renders one to one, are placed here.
"""

from __future__ import annotations

from meterr_config.keypath import KeyPath
from meterr_config.load import LoadedEnvironment
from meterr_config.models import artifact
from meterr_config.render.routes import generated_header_rules


def model_path(loaded: LoadedEnvironment, section: str, path: KeyPath) -> KeyPath:
    """Where in the environment files an artifact key comes from.

    Generated header rules (security, then CORS) come first in the `headers` array, so
    indexes past them map back to the section's own `headers` list.
    """
    settings = loaded.model.vercel if section == "vercel" else loaded.model.nextjs
    if not path:
        return ("project", "next_version") if section == "nextjs" else (section,)
    head, *rest = path
    if head == "headers" and rest and isinstance(rest[0], int):
        generated = generated_header_rules(
            loaded.model, "vercel" if section == "vercel" else "next"
        )
        if rest[0] < len(generated):
            origin, rule = generated[rest[0]]
            if origin == ("security", "headers") and len(rest) > 2 and isinstance(rest[2], int):
                return (*origin, rule["headers"][rest[2]]["key"])  # the header's own line
            return origin
        path = ("headers", rest[0] - len(generated), *rest[1:])
    return (section, *artifact.model_path(settings, path))

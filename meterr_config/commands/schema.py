"""`meterr-config schema`: the JSON Schema of environment files, for editors and taplo."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from meterr_config import atomic
from meterr_config.formats import EXIT_CLEAN
from meterr_config.models import Environment
from meterr_config.verbosity import say

DEFAULT_OUT = Path("schemas") / "environment.schema.json"
SCHEMA_ID = "https://meterr.ai/schemas/meterr-config/environment.schema.json"
# Tables merged key by key across `extends`: a file may set any subset of their keys.
_MERGED = (
    "Environment",
    "Project",
    "VercelSettings",
    "SecurityHeaders",
    "Cors",
    "NextSettings",
    "EnvVar",
    "Flag",
    "FunctionConfig",
    "Images",
    "VercelImages",
    "Parity",
)


def environment_schema() -> dict[str, Any]:
    """The schema of one environment *file*: merged tables lose `required`, shorthands allowed."""
    schema = Environment.model_json_schema(ref_template="#/$defs/{model}")
    defs = schema.setdefault("$defs", {})
    defs["Environment"] = {k: v for k, v in schema.items() if k not in ("$defs",)}
    for name in _MERGED:
        defs.get(name, {}).pop("required", None)
    props = defs["Environment"]["properties"]
    props["extends"] = {
        "type": "string",
        "description": "Name of the parent environment file (without .toml) to inherit from.",
    }
    for table, short, model, key in (
        ("env", "string", "EnvVar", "value"),
        ("flags", "boolean", "Flag", "value"),
        ("runtime_flags", "boolean", "RuntimeFlag", "enabled"),
    ):
        either = {
            "anyOf": [
                {"type": short, "description": f"Short for {{ {key} = ... }}."},
                {"$ref": f"#/$defs/{model}"},
            ]
        }
        (pattern,) = props[table]["patternProperties"]
        props[table]["patternProperties"] = {pattern: either}
        props[table]["additionalProperties"] = False
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "meterr-config environment file",
        "$ref": "#/$defs/Environment",
        "$defs": dict(sorted(defs.items())),
    }


def schema_bytes() -> bytes:
    """The exported schema, deterministic."""
    return (json.dumps(environment_schema(), indent=2, ensure_ascii=False) + "\n").encode()


def run(out: Path) -> int:
    """Write the schema to `out`, or to stdout for `-`."""
    if str(out) == "-":
        sys.stdout.write(schema_bytes().decode())
        return EXIT_CLEAN
    changed = atomic.write_bytes(out, schema_bytes())
    say(f"{'wrote' if changed else 'unchanged'} {out}")
    return EXIT_CLEAN

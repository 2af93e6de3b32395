"""Import in-process, write the TOML, load it with the real loader and render it.

Going through the written file (not the in-memory tables) is what makes these round
trips: what a user gets on disk is what is rendered.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from meterr_config.importer.build import Options, Result, build, read_inputs
from meterr_config.importer.toml_out import to_toml
from meterr_config.load import Loader
from meterr_config.render.vercel_json import vercel_document


def import_files(
    files: list[Path], environments: Path, name: str = "production", **options: Any
) -> tuple[Result, bytes]:
    """Import `files` as environment `name`, writing `<environments>/<name>.toml`."""
    defaults = {"project": "shop", "plan": "enterprise", "next_version": "16.4"}
    opts = Options(name=name, environments=environments, **{**defaults, **options})
    result = build(read_inputs(files, None), opts)
    data = to_toml(result.document, "../schemas/environment.schema.json", [f.name for f in files])
    environments.mkdir(parents=True, exist_ok=True)
    (environments / f"{name}.toml").write_bytes(data)
    return result, data


def rendered_vercel(environments: Path, name: str = "production") -> dict[str, Any]:
    """The vercel.json the written environment renders, as JSON data."""
    doc = vercel_document(Loader(environments).load(name).model)
    parsed: dict[str, Any] = json.loads(json.dumps(doc))
    return parsed


def semantic(doc: Any) -> Any:
    """vercel.json as Vercel reads it: no $schema, headers of a rule unordered, empty lists
    absent, and a redirect without `permanent`/`statusCode` permanent (Vercel's default).
    Written independently of the importer's own render check, so it can catch it out."""
    if isinstance(doc, list):
        return [semantic(item) for item in doc]
    if not isinstance(doc, dict):
        return doc
    out = {k: semantic(v) for k, v in doc.items() if k != "$schema" and v not in ([], {})}
    if "headers" in out and all(isinstance(h, dict) and "key" in h for h in out["headers"]):
        out["headers"] = sorted(out["headers"], key=lambda h: h["key"].lower())
    if "destination" in out and "statusCode" not in out:
        out.setdefault("permanent", True)
    return out

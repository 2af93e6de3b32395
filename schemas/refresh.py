#!/usr/bin/env python3
"""Refresh the vendored schemas and their checksums.

Usage: python schemas/refresh.py [SOURCE_DIR]

SOURCE_DIR holds the upstream files laid out as in `../shared/reference/` (the default):
`vercel/vercel-cli-<v>.vercelConfigSchema.json` (npm vercel, Apache-2.0),
`vercel/vercel-config-<v>.types.d.ts` (npm @vercel/config, MIT), the Vercel REST API
OpenAPI excerpt (vercel/sdk, Apache-2.0) and `nextjs/schema-*.json`.
It copies them into `schemas/vendor/`, derives `vercel-toplevel-keys.json` from the types
file (the property list the Vercel server enforces), and rewrites `vendor/SHA256SUMS`.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENDOR = HERE / "vendor"
DEFAULT_SOURCE = HERE.parent.parent / "shared" / "reference"
CLI_SCHEMA = "vercel-cli-58.10.0.vercelConfigSchema.json"
TYPES = "vercel-config-0.7.2.types.d.ts"
OPENAPI = "vercel-rest-api-openapi-excerpt.json"
_PROPERTY = re.compile(r"^    ([A-Za-z$][A-Za-z0-9$]*)\??:", re.MULTILINE)


def toplevel_keys(types_source: str) -> list[str]:
    """The properties of `interface VercelConfig` in @vercel/config's types, sorted."""
    start = types_source.index("export interface VercelConfig {")
    end = types_source.index("\n}", start)
    return sorted(set(_PROPERTY.findall(types_source[start:end])))


def checksums(folder: Path) -> str:
    """`sha256  path` lines for every vendored file, like sha256sum(1) writes them."""
    lines = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name not in ("SHA256SUMS", "README.md"):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            lines.append(f"{digest}  {path.relative_to(folder).as_posix()}")
    return "\n".join(lines) + "\n"


def main(source: Path) -> int:
    for name in (CLI_SCHEMA, TYPES, OPENAPI):
        shutil.copyfile(source / "vercel" / name, VENDOR / name)
    (VENDOR / "nextjs").mkdir(exist_ok=True)
    for schema in sorted((source / "nextjs").glob("schema-*.json")):
        shutil.copyfile(schema, VENDOR / "nextjs" / schema.name)
    types_source = (VENDOR / TYPES).read_text()
    keys = {
        "$comment": "Derived by schemas/refresh.py from vercel-config-0.7.2.types.d.ts.",
        "keys": toplevel_keys(types_source),
    }
    (VENDOR / "vercel-toplevel-keys.json").write_text(json.dumps(keys, indent=2) + "\n")
    (VENDOR / "SHA256SUMS").write_text(checksums(VENDOR))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE))

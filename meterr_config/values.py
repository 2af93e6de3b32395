"""Values sources for the secret rules: `dotenv:FILE` (e.g. `vercel env pull`) or `process`.

`--values SOURCE` applies to every linted environment; `--values NAME=SOURCE` to one.
Values are only ever compared and measured, never shown.
"""

from __future__ import annotations

import os
from pathlib import Path

from meterr_config.dotenv import read_dotenv
from meterr_config.errors import InputError
from meterr_config.snapshot import Snapshot
from meterr_config.sources import parse_source

Values = dict[str, str | None]


def read_values(spec: str, names: set[str]) -> Values:
    """The values one source supplies; `process` supplies only the declared names."""
    kind, arg = ("process", "") if spec == "process" else parse_source(spec)
    if kind == "dotenv":
        return {name: entry.value for name, entry in read_dotenv(Path(arg)).items()}
    if kind == "process":
        return {name: os.environ[name] for name in sorted(names) if name in os.environ}
    raise InputError(f"--values takes dotenv:FILE or process, not '{spec}'")


def apply_values(snapshots: list[Snapshot], specs: list[str]) -> list[Snapshot]:
    """Fill in secret values; `NAME=SOURCE` targets the snapshot called NAME."""
    out = list(snapshots)
    names = {s.name for s in snapshots}
    for spec in specs:
        target, sep, source = spec.partition("=")
        if not sep or ":" in target:
            target, source = "", spec
        elif target not in names:
            raise InputError(f"--values {spec}: no linted environment is called '{target}'")
        for index, snap in enumerate(out):
            if not target or snap.name == target:
                out[index] = snap.with_values(read_values(source, set(snap.env)))
    return out

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


class ValueSources:
    """The `--values` options, applied to each snapshot as it comes (see `apply`)."""

    def __init__(self, specs: list[str]) -> None:
        self.specs: list[tuple[str, str]] = []
        for spec in specs:
            target, sep, source = spec.partition("=")
            if not sep or ":" in target:
                target, source = "", spec
            self.specs.append((target, source))
        self._dotenv: dict[str, Values] = {}

    def apply(self, snap: Snapshot) -> Snapshot:
        """`snap` with the values meant for it; a dotenv file is read once, not per snapshot."""
        for target, source in self.specs:
            if not target or snap.name == target:
                snap = snap.with_values(self._read(source, set(snap.env)))
        return snap

    def _read(self, source: str, names: set[str]) -> Values:
        if source == "process":
            return read_values(source, names)
        if source not in self._dotenv:
            self._dotenv[source] = read_values(source, names)
        return self._dotenv[source]

    def check_targets(self, names: list[str]) -> None:
        """Every `NAME=SOURCE` must name a linted snapshot."""
        for target, source in self.specs:
            if target and target not in names:
                raise InputError(
                    f"--values {target}={source}: no linted environment is called '{target}'"
                )

"""Values sources for the secret rules: `dotenv:FILE` (e.g. `vercel env pull`) or `process`.

`--values SOURCE` applies to every linted environment; `--values NAME=SOURCE` to one.
Values are only ever compared and measured, never shown.
"""

from __future__ import annotations

import os
from pathlib import Path

from meterr_config.envfile import read_dotenv
from meterr_config.errors import InputError
from meterr_config.load import NAME_RE
from meterr_config.snapshot import Snapshot

Values = dict[str, str | None]


def values_source(spec: str) -> tuple[str, str]:
    """(kind, arg) of a `--values` source. A bad one is not repeated in the error: it may
    be a secret typed where a source belongs (`--values JWT_SECRET=...`)."""
    if spec == "process":
        return "process", ""
    kind, _, arg = spec.partition(":")
    if kind == "dotenv" and arg:
        return kind, arg
    raise InputError(
        "--values takes dotenv:FILE or process, optionally as ENV=SOURCE "
        "(what was given is not repeated: it may be a secret)"
    )


def read_values(spec: str, names: set[str]) -> Values:
    """The values one source supplies; `process` supplies only the declared names."""
    kind, arg = values_source(spec)
    if kind == "dotenv":
        return {name: entry.value for name, entry in read_dotenv(Path(arg)).items()}
    return {name: os.environ[name] for name in sorted(names) if name in os.environ}


class ValueSources:
    """The `--values` options, applied to each snapshot as it comes (see `apply`)."""

    def __init__(self, specs: list[str]) -> None:
        self.specs: list[tuple[str, str]] = []
        for spec in specs:
            target, sep, source = spec.partition("=")
            if not sep or not NAME_RE.match(target):  # base64 ends in '=': not a target
                target, source = "", spec
            values_source(source)  # a bad source fails before anything is read
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

"""`--values`: secret values for the secret rules, from the registry's values readers
(`dotenv:FILE`, such as `vercel env pull` writes, or `process`).

`--values SOURCE` applies to every linted environment; `--values NAME=SOURCE` to one.
Values are only ever compared and measured, never shown.
"""

from __future__ import annotations

from meterr_config.errors import InputError
from meterr_config.load import NAME_RE
from meterr_config.snapshot import Snapshot
from meterr_config.sources.registry import KINDS, Kind, Values, values_help


def values_source(spec: str) -> tuple[Kind, str]:
    """The reader and argument of a `--values` source. A bad one is not repeated in the
    error: it may be a secret typed where a source belongs (`--values JWT_SECRET=...`)."""
    name, sep, arg = spec.partition(":")
    kind = KINDS.get(name if sep else spec)
    if kind is not None and kind.values and (kind.bare != bool(sep)) and (kind.bare or arg):
        return kind, arg
    raise InputError(
        f"--values takes {values_help()} (what was given is not repeated: it may be a secret)"
    )


def read_values(spec: str, names: set[str]) -> Values:
    """The values one source supplies; `process` supplies only the declared names."""
    kind, arg = values_source(spec)
    return kind.values_reader()(arg, names)


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
        self._files: dict[str, Values] = {}

    def apply(self, snap: Snapshot) -> Snapshot:
        """`snap` with the values meant for it; a file is read once, not per snapshot."""
        if not any(not target or snap.name == target for target, _ in self.specs):
            return snap
        return snap.with_values(self.values_for(snap.name, set(snap.env)))

    def values_for(self, environment: str, names: set[str]) -> Values:
        """The values meant for one environment, later sources over earlier ones (as
        `apply` fills them in): None where a source names a variable without a value
        ([SENSITIVE], or a pulled file's `""` secret)."""
        found: Values = {}
        for target, source in self.specs:
            if not target or environment == target:
                for name, value in self._read(source, names).items():
                    if name in names and (value is not None or name not in found):
                        found[name] = value
        return found

    def _read(self, source: str, names: set[str]) -> Values:
        kind, _ = values_source(source)
        if kind.bare:  # the process: only the names this snapshot declares
            return read_values(source, names)
        if source not in self._files:
            self._files[source] = read_values(source, names)
        return self._files[source]

    def check_targets(self, names: list[str]) -> None:
        """Every `NAME=SOURCE` must name an environment the command reads."""
        for target, source in self.specs:
            if target and target not in names:
                raise InputError(
                    f"--values {target}={source}: '{target}' is not one of the environments given"
                )

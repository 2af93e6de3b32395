"""Findings: what validate and lint report, and what every findings reporter consumes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from meterr_config.errors import Location, printable


class Severity(StrEnum):
    """How bad a finding is. Errors fail CI by default."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One problem, tied to an environment, an artifact and a key where known."""

    rule: str
    severity: Severity
    message: str
    environment: str | None = None
    artifact: str | None = None
    key: str | None = None
    location: Location | None = None

    def __post_init__(self) -> None:
        # A key or message may quote a name from a repository: it stays on its line.
        object.__setattr__(self, "message", printable(self.message))
        if self.key is not None:
            object.__setattr__(self, "key", printable(self.key))

    def sort_key(self) -> tuple[str, str, str, int, str, str]:
        """Stable order: by environment, artifact, file and line, then rule and message."""
        return (
            self.environment or "",
            self.artifact or "",
            self.location.file if self.location else "",
            (self.location.line or 0) if self.location else 0,
            self.rule,
            self.message,
        )


# Rules that report a check which could not run (a next.config not evaluated here). With
# one of them and no error, a result is "incomplete", never "pass": a gate that did not
# look at a file has not passed it.
NOT_RUN = frozenset({"NEXT007"})


def status(findings: list[Finding]) -> str:
    """`fail` (an error), `incomplete` (a check could not run) or `pass`."""
    if any(f.severity == Severity.ERROR for f in findings):
        return "fail"
    return "incomplete" if any(f.rule in NOT_RUN for f in findings) else "pass"

"""The rule interface. A rule yields Problems; the engine attaches id, severity and location."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from meterr_config.findings import Severity
from meterr_config.keypath import KeyPath
from meterr_config.snapshot import Snapshot

SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead")


class NoOptions(BaseModel):
    """A rule without options."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


@dataclass(frozen=True)
class Problem:
    """What a rule found, in the artifact (`vercel.json`, `env`…) at `path`. `severity`
    overrides the rule's own where one rule judges cases of different weight (HDR004: a
    header that turns HSTS off is an error, a short one a warning)."""

    message: str
    artifact: str
    path: KeyPath = ()
    severity: Severity | None = None


class Rule:
    """A lint rule: a stable id and name, a default severity, options, and `check`."""

    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    Options: ClassVar[type[BaseModel]] = NoOptions
    needs_values: ClassVar[bool] = False  # reports "not checked" when no values are supplied
    skip_in_development: ClassVar[bool] = False
    blocks_deploy: ClassVar[bool] = False  # Vercel refuses the deployment: `validate` runs it too

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        """Problems in one snapshot."""
        return ()


class CrossRule(Rule):
    """A rule that compares environments (reuse, missing variables, missing flags)."""

    def check_all(
        self, snaps: list[Snapshot], options: BaseModel
    ) -> Iterable[tuple[Snapshot, Problem]]:
        """Problems found by comparing every linted snapshot."""
        return ()

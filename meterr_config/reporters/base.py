"""The one interface every reporter implements. Only reporters print."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from meterr_config.diff.drift import FileDrift
from meterr_config.findings import NOT_RUN, Finding, Severity

if TYPE_CHECKING:  # types only: `check` should not pay for the diff engine or the scorer
    from meterr_config.diff.detail import Detail
    from meterr_config.diff.engine import Change
    from meterr_config.lint.score import Score

REPORT_VERSION = 1


class Reporter(ABC):
    """Writes one command's result to a stream in one format."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str = "") -> None:
        """Write a line."""
        self.stream.write(text + "\n")

    @abstractmethod
    def findings(
        self,
        command: str,
        findings: list[Finding],
        environments: list[str],
        scores: list[Score] | None = None,
    ) -> None:
        """Report validate or lint findings (and lint --score's predictions)."""

    @abstractmethod
    def drift(self, drifts: list[FileDrift], environments: list[str]) -> None:
        """Report the result of the drift gate."""

    @abstractmethod
    def changes(self, report: DiffReport) -> None:
        """Report the differences between two states."""

    @abstractmethod
    def actions(self, report: ActionReport) -> None:
        """Report a plan, an apply's results or a status: one row per key and target."""


@dataclass(frozen=True)
class Row:
    """One key on one target in a plan, apply or status report. `action` is what
    happens or happened to it (create, update, replace, delete, kept; applied, failed;
    pending, outside); `level` how a CI annotation shows it (error, warning, note)."""

    key: str
    target: str
    action: str
    detail: str
    level: str = "note"
    sign: str = ""


@dataclass(frozen=True)
class ActionReport:
    """What plan, apply or status found for one run: rows, notes and a summary line.
    `status` is the JSON report's: "no changes", "changes", "applied", "partial",
    "failed", "up to date", "pending"."""

    command: str
    status: str
    rows: list[Row]
    summary: str
    notes: list[str]


def row_line(row: Row) -> str:
    """`+ JWT_SECRET (production): create sensitive <redacted: …>`"""
    sign = f"{row.sign} " if row.sign else ""
    detail = f": {row.detail}" if row.detail else ""
    return f"{sign}{row.key} ({row.target}): {row.action}{detail}"


def counts(findings: list[Finding]) -> dict[str, int]:
    """Findings per severity, every severity present."""
    tally = Counter(f.severity for f in findings)
    return {s.value: tally.get(s, 0) for s in Severity}


def summary_line(findings: list[Finding], environments: list[str]) -> str:
    """`2 errors, 1 warning in 3 environments` or `No problems in 3 environments.`"""
    checked = f"{len(environments)} environment{'s' if len(environments) != 1 else ''}"
    tally = counts(findings)
    parts = [f"{n} {severity}{'s' if n != 1 else ''}" for severity, n in tally.items() if n]
    if not parts:
        return f"No problems in {checked}."
    unrun = sorted({f.rule for f in findings if f.rule in NOT_RUN})
    incomplete = f" Incomplete: {', '.join(unrun)} says what could not be checked." if unrun else ""
    return f"{', '.join(parts)} in {checked}.{incomplete}"


@dataclass(frozen=True)
class DiffReport:
    """What `diff` compared and found."""

    left: str
    right: str
    changes: list[Change]
    strict: bool = False
    side_by_side: bool = False

    @property
    def failing(self) -> list[Change]:
        """The changes that make the exit code 1."""
        return [c for c in self.changes if self.strict or not c.expected]


def diff_line(report: DiffReport) -> str:
    """`No differences.` or `14 differences (3 unexpected) between staging and production.`"""
    if not report.changes:
        return "No differences."
    count = len(report.changes)
    noun = "difference" if count == 1 else "differences"
    unexpected = sum(1 for c in report.changes if not c.expected)
    strict = "; --strict fails on any" if report.strict else ""
    return (
        f"{count} {noun} ({unexpected} unexpected{strict}) "
        f"between {report.left} and {report.right}."
    )


def show(value: Any) -> str:
    """A value as one line of text."""
    return (
        "(none)"
        if value is None
        else json.dumps(value, ensure_ascii=False)
        if not isinstance(value, str)
        else value
    )


_DETAIL_SIGN = {"added": "+", "removed": "-", "changed": "~"}


def detail_line(d: Detail) -> str:
    """One change inside a changed value: `- sfo1`, `~ [1] > hostname: a → b`."""
    where = " > ".join(f"[{p}]" if isinstance(p, int) else p for p in d.path)
    prefix = f"{where}: " if where else ""
    if d.kind == "reordered":
        return f"~ {prefix}the items kept are in another order"
    if d.kind == "more":
        return f"… and {d.new} more"
    if d.kind == "changed":
        return f"~ {prefix}{show(d.old)} → {show(d.new)}"
    return f"{_DETAIL_SIGN[d.kind]} {prefix}{show(d.new if d.kind == 'added' else d.old)}"


# What to do about each kind of drifted file.
DRIFT_FIX = {
    "changed": "differs from what the models render: run `meterr-config render` and commit",
    "missing": "is missing: run `meterr-config render` and commit",
    "extra": "is not rendered by any environment: delete it, or add it to the models",
}


def score_line(score: Score) -> str:
    """`production: 80 (B+), algorithm 6, 40 to 95 with what config cannot decide: -20 …`"""
    reasons = "; ".join(f"{delta:+d} {text}" for delta, text in score.modifiers) or "no modifiers"
    return (
        f"{score.environment}: {score.score} ({score.grade}), algorithm"
        f" {score.algorithm_version}, {score.lowest} to {score.highest} with what config"
        f" cannot decide: {reasons}"
    )


def undecided_lines(score: Score) -> list[str]:
    """The tests the config cannot decide, with the points each can add or take: those
    outside any header on one line, what `<meta>` tags and middleware could move on another."""

    def spans(kind: str) -> str:
        return ", ".join(
            f"{u.test} {u.worst:+d}..{u.best:+d}" for u in score.undecided if u.kind == kind
        )

    middleware = spans("middleware").replace("* ", "any header (middleware, route handlers) ")
    return [
        f"  not decided by config: {spans('outside')}",
        f"  <meta> tags could move: {spans('meta')}; {middleware}",
    ]


def drift_line(drifts: list[FileDrift], environments: list[str]) -> str:
    """`No drift in 3 environments.` or `2 files differ from what the models render.`"""
    checked = f"{len(environments)} environment{'s' if len(environments) != 1 else ''}"
    if not drifts:
        return f"No drift in {checked}."
    files = f"{len(drifts)} file{' differs' if len(drifts) == 1 else 's differ'}"
    return f"{files} from what the models render ({checked} checked)."

"""GitHub Actions workflow commands: each finding or drifted file becomes an annotation."""

from __future__ import annotations

import re

from meterr_config.drift import FileDrift
from meterr_config.findings import Finding, Severity
from meterr_config.lint.score import Score
from meterr_config.reporters.base import (
    DRIFT_FIX,
    DiffReport,
    Reporter,
    diff_line,
    drift_line,
    score_line,
    show,
    summary_line,
)

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a message as the Actions runner expects."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (file, title) as the Actions runner expects."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    """`::error file=F,line=L,title=T::message` lines, then a plain summary."""

    def findings(
        self,
        command: str,
        findings: list[Finding],
        environments: list[str],
        scores: list[Score] | None = None,
    ) -> None:
        for f in findings:
            props = []
            if f.location:
                props.append(f"file={escape_property(f.location.file)}")
                if f.location.line:
                    props.append(f"line={f.location.line}")
            props.append(f"title={escape_property(f'{f.rule} ({f.environment})')}")
            self.write(f"::{_LEVEL[f.severity]} {','.join(props)}::{escape_data(f.message)}")
        for score in scores or []:
            self.write(f"::notice title=Observatory (predicted)::{escape_data(score_line(score))}")
        self.write(summary_line(findings, environments))

    def drift(self, drifts: list[FileDrift], environments: list[str]) -> None:
        for d in drifts:
            props = f"file={escape_property(d.path)}"
            if line := _first_changed_line(d.diff):
                props += f",line={line}"
            message = f"{d.path} {DRIFT_FIX[d.kind]}"
            self.write(f"::error {props}::{escape_data(message)}")
        self.write(drift_line(drifts, environments))

    def changes(self, report: DiffReport) -> None:
        for c in report.changes:
            level = "notice" if c.expected else "error"
            message = f"{' > '.join(c.path)}: {c.kind} ({show(c.old)} → {show(c.new)})"
            self.write(
                f"::{level} title=diff {escape_property(report.left)} → "
                f"{escape_property(report.right)}::{escape_data(message)}"
            )
        self.write(diff_line(report))


def _first_changed_line(diff: tuple[str, ...]) -> int | None:
    """The on-disk line of the first hunk (`@@ -12,7 +12,7 @@` -> 12)."""
    for line in diff:
        if match := re.match(r"@@ -(\d+)", line):
            return max(1, int(match.group(1)))
    return None

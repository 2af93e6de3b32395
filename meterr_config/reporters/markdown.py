"""Markdown for a pull-request comment or a job summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from meterr_config.diff.drift import FileDrift
from meterr_config.findings import Finding
from meterr_config.reporters.base import (
    ActionReport,
    DiffReport,
    Reporter,
    detail_line,
    diff_line,
    drift_line,
    score_line,
    show,
    summary_line,
)

if TYPE_CHECKING:  # annotations only: `check` loads neither the diff engine nor the scorer
    from meterr_config.lint.score import Score


def cell(text: str) -> str:
    """Make text safe inside a table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


class MarkdownReporter(Reporter):
    """A heading, a summary line and a table or diff blocks."""

    def findings(
        self,
        command: str,
        findings: list[Finding],
        environments: list[str],
        scores: list[Score] | None = None,
    ) -> None:
        self.write(f"### meterr-config {command}")
        self.write()
        self.write(summary_line(findings, environments))
        for score in scores or []:
            self.write(f"- Observatory (predicted) {cell(score_line(score))}")
        if not findings:
            return
        self.write()
        self.write("| rule | severity | environment | where | message |")
        self.write("| --- | --- | --- | --- | --- |")
        for f in findings:
            where = str(f.location) if f.location else f.artifact or ""
            self.write(
                f"| {f.rule} | {f.severity} | {f.environment or ''} | {cell(where)} "
                f"| {cell(f.message)} |"
            )

    def drift(self, drifts: list[FileDrift], environments: list[str]) -> None:
        self.write("### meterr-config check")
        self.write()
        self.write(drift_line(drifts, environments))
        for d in drifts:
            self.write()
            self.write(f"- `{d.path}`: {d.kind}")
            if d.diff:
                self.write()
                self.write("```diff")
                for line in d.diff:
                    self.write(line)
                self.write("```")

    def changes(self, report: DiffReport) -> None:
        self.write(f"### meterr-config diff {report.left} → {report.right}")
        self.write()
        self.write(f"**{diff_line(report)}**")
        if not report.changes:
            return
        self.write()
        self.write(f"| | path | {cell(report.left)} | {cell(report.right)} | |")
        self.write("| --- | --- | --- | --- | --- |")
        signs = {"added": "+", "removed": "-", "changed": "~"}
        for c in report.changes:
            note = "" if c.expected else "⚠️ unexpected"
            note += f" ({cell(c.note)})" if c.note else ""
            inside = "".join(f"<br>{cell(detail_line(d))}" for d in c.detail)
            self.write(
                f"| {signs[c.kind]} | `{cell(' > '.join(c.path))}` | {cell(show(c.old))} "
                f"| {cell(show(c.new))}{inside} | {note} |"
            )

    def actions(self, report: ActionReport) -> None:
        self.write(f"### meterr-config {report.command}")
        self.write()
        self.write(f"**{cell(report.summary)}**")
        for note in report.notes:
            self.write(f"- {cell(note)}")
        if not report.rows:
            return
        self.write()
        self.write("| | key | target | action | detail |")
        self.write("| --- | --- | --- | --- | --- |")
        for row in report.rows:
            self.write(
                f"| {cell(row.sign)} | `{cell(row.key)}` | {cell(row.target)} "
                f"| {cell(row.action)} | {cell(row.detail)} |"
            )

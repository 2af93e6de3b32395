"""GitHub Actions workflow commands: each finding or drifted file becomes an annotation."""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from meterr_config.diff.drift import FileDrift
from meterr_config.findings import Finding, Severity
from meterr_config.redact import scrub
from meterr_config.reporters.base import (
    DRIFT_FIX,
    ActionReport,
    DiffReport,
    Reporter,
    detail_line,
    diff_line,
    drift_line,
    row_line,
    score_line,
    show,
    summary_line,
)
from meterr_config.reporters.markdown import MarkdownReporter

if TYPE_CHECKING:  # annotations only: `check` loads neither the diff engine nor the scorer
    from meterr_config.lint.score import Score

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a message as the Actions runner expects."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (file, title) as the Actions runner expects."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


# What GitHub shows per step: 10 annotations of each level; a step summary up to 1 MiB.
ANNOTATIONS_PER_LEVEL = 10
SUMMARY_LIMIT = 1024 * 1024
_ORDER = {"error": 0, "warning": 1, "notice": 2}


class GithubReporter(Reporter):
    """`::error file=F,line=L,title=T::message` lines, then a plain summary.

    GitHub shows only the first 10 annotations of each level in a step, so the most
    severe come first, the rest go to the log as plain lines, and when the step has a
    summary file ($GITHUB_STEP_SUMMARY) the full report goes there as markdown.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self._shown: Counter[str] = Counter()
        self._held: list[str] = []

    def _annotate(self, level: str, props: str, message: str, plain: str) -> None:
        self._shown[level] += 1
        if self._shown[level] <= ANNOTATIONS_PER_LEVEL:
            head = f"::{level} {props}" if props else f"::{level}"
            self.write(f"{head}::{escape_data(message)}")
        else:
            self._held.append(plain)

    def _finish(self, summary: str, markdown: Callable[[Reporter], None]) -> None:
        if self._held:
            self.write(
                f"{len(self._held)} more beyond GitHub's {ANNOTATIONS_PER_LEVEL} annotations "
                "per level (in the step summary when there is one):"
            )
            for line in self._held:  # escaped too: a newline must not start a command
                self.write(f"  {escape_data(line)}")
        self.write(summary)
        target = os.environ.get("GITHUB_STEP_SUMMARY")
        if target:
            buffer = io.StringIO()
            markdown(MarkdownReporter(buffer))
            text = scrub(buffer.getvalue())  # a file that leaves the process, as stdout
            if len(text.encode()) > SUMMARY_LIMIT:
                cut = text.encode()[: SUMMARY_LIMIT - 200].decode(errors="ignore")
                text = cut.rsplit("\n", 1)[0] + "\n\n(cut at GitHub's 1 MiB step summary limit)\n"
            with Path(target).open("a", encoding="utf-8") as handle:
                handle.write(text + "\n")

    def findings(
        self,
        command: str,
        findings: list[Finding],
        environments: list[str],
        scores: list[Score] | None = None,
    ) -> None:
        ordered = sorted(findings, key=lambda f: _ORDER[_LEVEL[f.severity]])
        for f in ordered:
            props = []
            where = ""
            if f.location:
                props.append(f"file={escape_property(f.location.file)}")
                where = f.location.file
                if f.location.line:
                    props.append(f"line={f.location.line}")
                    where += f":{f.location.line}"
            props.append(f"title={escape_property(f'{f.rule} ({f.environment})')}")
            plain = f"{where}: {f.rule} {_LEVEL[f.severity]} {f.message} [{f.environment}]"
            self._annotate(_LEVEL[f.severity], ",".join(props), f.message, plain.lstrip(": "))
        for score in scores or []:
            line = score_line(score)
            self._annotate("notice", "title=Observatory (predicted)", line, line)
        self._finish(
            summary_line(findings, environments),
            lambda r: r.findings(command, findings, environments, scores),
        )

    def drift(self, drifts: list[FileDrift], environments: list[str]) -> None:
        for d in drifts:
            props = f"file={escape_property(d.path)}"
            if line := _first_changed_line(d.diff):
                props += f",line={line}"
            message = f"{d.path} {DRIFT_FIX[d.kind]}"
            self._annotate("error", props, message, message)
        self._finish(drift_line(drifts, environments), lambda r: r.drift(drifts, environments))

    def changes(self, report: DiffReport) -> None:
        for c in report.changes:
            level = "notice" if c.expected else "error"
            message = f"{' > '.join(c.path)}: {c.kind} ({show(c.old)} → {show(c.new)})"
            message += "".join(f"; {detail_line(d)}" for d in c.detail)
            message += f"; {c.note}" if c.note else ""
            title = f"title=diff {escape_property(report.left)} → {escape_property(report.right)}"
            self._annotate(level, title, message, message)
        self._finish(diff_line(report), lambda r: r.changes(report))

    def actions(self, report: ActionReport) -> None:
        levels = {"error": "error", "warning": "warning", "note": "notice"}
        for row in sorted(report.rows, key=lambda r: _ORDER[levels[r.level]]):
            line = row_line(row)
            title = f"title={escape_property(f'{report.command} {row.key} ({row.target})')}"
            self._annotate(levels[row.level], title, line, line)
        for note in report.notes:
            self._annotate("notice", f"title={report.command}", note, note)
        self._finish(report.summary, lambda r: r.actions(report))


def _first_changed_line(diff: tuple[str, ...]) -> int | None:
    """The on-disk line of the first hunk (`@@ -12,7 +12,7 @@` -> 12)."""
    for line in diff:
        if match := re.match(r"@@ -(\d+)", line):
            return max(1, int(match.group(1)))
    return None

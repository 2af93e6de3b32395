"""Text for people: findings grouped by file, drift as coloured unified diffs.

rich is imported here only, so machine formats never pay for it. Colour is used on a
terminal only (rich decides), and NO_COLOR removes every escape code.
"""

from __future__ import annotations

import os
from itertools import groupby
from typing import TYPE_CHECKING, Any

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
    undecided_lines,
)
from meterr_config.verbosity import quiet

if TYPE_CHECKING:  # annotations only: `check` loads neither the diff engine nor the scorer
    from meterr_config.diff.engine import Change
    from meterr_config.lint.score import Score

_DRIFT_WORDS = {
    "changed": "differs from the rendered file",
    "missing": "is missing: run `meterr-config render`",
    "extra": DRIFT_FIX["extra"],
}
_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_DIFF_STYLE = {"+": "green", "-": "red", "@": "cyan"}
_SIGN = {"added": "+", "removed": "-", "changed": "~"}
_CHANGE_STYLE = {"added": "green", "removed": "red", "changed": "yellow"}


def _file(f: Finding) -> str:
    return f.location.file if f.location else f"({f.environment or 'general'})"


class TextReporter(Reporter):
    """Findings under a heading per file: `  line  RULE  severity  message  [env artifact key]`."""

    def _console(self) -> Any:
        from rich.console import Console

        # Off a terminal (CI logs, pipes) there is no width to fit: do not fold tables.
        width = None if self.stream.isatty() else 240
        # NO_COLOR (no-color.org): no escape codes at all, bold and dim included.
        plain = bool(os.environ.get("NO_COLOR"))
        return Console(
            file=self.stream,
            highlight=False,
            soft_wrap=True,
            width=width,
            color_system=None if plain else "auto",
        )

    def findings(
        self,
        command: str,
        findings: list[Finding],
        environments: list[str],
        scores: list[Score] | None = None,
    ) -> None:
        console = self._console()
        if quiet():  # only what needs attention
            findings = [f for f in findings if f.severity != Severity.INFO]
        ordered = sorted(
            findings,
            key=lambda f: (
                _file(f),
                f.location.line or 0 if f.location else 0,
                f.rule,
                f.environment or "",
                f.message,
            ),
        )
        from rich.text import Text

        for path, group in groupby(ordered, key=_file):
            # One Text per file, printed once: a print per finding made 100,000 findings
            # take minutes.
            text = Text()
            text.append(f"{path}\n", style="bold")
            for f in group:
                line = f.location.line if f.location and f.location.line else "-"
                context = " ".join(part for part in (f.environment, f.artifact, f.key) if part)
                text.append(f"  {line!s:>4}  ")
                text.append(f"{f.rule:8} {f.severity.value:8}", style=_STYLE[f.severity])
                text.append(f" {f.message}  [{context}]\n")
            console.print(text)
        for score in scores or []:
            console.print(f"Observatory (predicted) {score_line(score)}", markup=False)
            for line in undecided_lines(score):
                console.print(line, markup=False)
        if not quiet():
            console.print(summary_line(findings, environments), markup=False)

    def drift(self, drifts: list[FileDrift], environments: list[str]) -> None:
        if not drifts:  # the common case in CI: one plain line, without loading rich
            if not quiet():
                self.write(drift_line(drifts, environments))
            return
        console = self._console()
        for d in drifts:
            console.print(f"{d.path} {_DRIFT_WORDS[d.kind]}", style="bold", markup=False)
            if d.changes:
                console.print("  on disk → rendered:", markup=False)
            for change in d.changes:  # keyed changes say more than a text diff of JSON
                self._change(console, change, drift=True)
            for line in () if d.changes else d.diff:
                console.print(f"    {line}", style=_DIFF_STYLE.get(line[:1]), markup=False)
        if not quiet():
            console.print(drift_line(drifts, environments), markup=False)

    def changes(self, report: DiffReport) -> None:
        console = self._console()
        if report.side_by_side:
            self._table(console, report)
        else:
            shown = [c for c in report.changes if not (quiet() and c.expected)]
            for artifact, group in groupby(shown, key=lambda c: c.artifact):
                console.print(artifact, style="bold", markup=False)
                for change in group:
                    self._change(console, change)
                console.print()
        if not quiet():
            console.print(diff_line(report), markup=False)

    def _change(self, console: Any, change: Change, drift: bool = False) -> None:
        where = " > ".join(change.path[1:])
        note = "" if change.expected or drift else "  (unexpected)"
        note += f"  ({change.note})" if change.note else ""
        if change.kind == "changed":
            text = f"  ~ {where}: {show(change.old)} → {show(change.new)}{note}"
        else:
            value = change.new if change.kind == "added" else change.old
            text = f"  {_SIGN[change.kind]} {where}: {show(value)}{note}"
        console.print(text, style=_CHANGE_STYLE[change.kind], markup=False)
        for inside in change.detail:  # what changed inside a list or table
            console.print(f"      {detail_line(inside)}", style="dim", markup=False)

    def _table(self, console: Any, report: DiffReport) -> None:
        from rich.table import Table
        from rich.text import Text  # plain text: "[has origin=…]" is not markup

        table = Table(show_lines=False)
        table.add_column("path", no_wrap=True)  # a path is read whole; values may fold
        for title in (report.left, report.right, ""):
            table.add_column(title, overflow="fold")
        for change in report.changes:  # scrubbed here: rich folds a cell over lines
            table.add_row(
                Text(scrub(" > ".join(change.path))),
                Text(scrub(show(change.old))),
                Text(scrub(show(change.new))),
                "" if change.expected else "unexpected",
            )
        console.print(table)

    def actions(self, report: ActionReport) -> None:
        for row in report.rows:
            self.write(scrub(f"  {row_line(row)}"))
        for note in report.notes:
            self.write(scrub(f"note: {note}"))
        if report.rows or report.notes:
            self.write()
        self.write(scrub(report.summary))

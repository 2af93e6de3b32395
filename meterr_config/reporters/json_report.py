"""Versioned JSON for machines. `status` says at a glance whether the command passed."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from meterr_config.diff.drift import FileDrift
from meterr_config.findings import Finding, status
from meterr_config.reporters.base import (
    REPORT_VERSION,
    ActionReport,
    DiffReport,
    Reporter,
    counts,
)

if TYPE_CHECKING:  # annotations only: `check` loads neither the diff engine nor the scorer
    from meterr_config.lint.score import Score


def finding_dict(f: Finding) -> dict[str, Any]:
    """A finding as plain JSON data."""
    out: dict[str, Any] = {
        "rule": f.rule,
        "severity": f.severity.value,
        "message": f.message,
        "environment": f.environment,
        "artifact": f.artifact,
        "key": f.key,
        "file": f.location.file if f.location else None,
        "line": f.location.line if f.location else None,
    }
    return out


class JsonReporter(Reporter):
    """One JSON document per run."""

    def _dump(self, doc: dict[str, Any]) -> None:
        self.write(json.dumps(doc, indent=2, ensure_ascii=False))

    def findings(
        self,
        command: str,
        findings: list[Finding],
        environments: list[str],
        scores: list[Score] | None = None,
    ) -> None:
        self._dump(
            {
                "version": REPORT_VERSION,
                "command": command,
                "status": status(findings),
                "environments": environments,
                "summary": counts(findings),
                "findings": [finding_dict(f) for f in findings],
                **({"scores": [asdict(score) for score in scores]} if scores is not None else {}),
            }
        )

    def drift(self, drifts: list[FileDrift], environments: list[str]) -> None:
        self._dump(
            {
                "version": REPORT_VERSION,
                "command": "check",
                "status": "drift" if drifts else "clean",
                "environments": environments,
                "files": [
                    {
                        **asdict(d),
                        "diff": list(d.diff),
                        "changes": [{**asdict(c), "path": list(c.path)} for c in d.changes],
                    }
                    for d in drifts
                ],
            }
        )

    def changes(self, report: DiffReport) -> None:
        status = "different" if report.failing else "expected" if report.changes else "same"
        self._dump(
            {
                "version": REPORT_VERSION,
                "command": "diff",
                "status": status,
                "left": report.left,
                "right": report.right,
                "summary": {
                    "changes": len(report.changes),
                    "unexpected": sum(1 for c in report.changes if not c.expected),
                },
                "changes": [{**asdict(c), "path": list(c.path)} for c in report.changes],
            }
        )

    def actions(self, report: ActionReport) -> None:
        self._dump(
            {
                "version": REPORT_VERSION,
                "command": report.command,
                "status": report.status,
                "summary": report.summary,
                "rows": [asdict(row) for row in report.rows],
                "notes": report.notes,
            }
        )

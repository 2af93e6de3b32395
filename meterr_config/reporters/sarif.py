"""SARIF 2.1.0 for GitHub code scanning, with each rule's documentation as its help."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from meterr_config import __version__
from meterr_config.diff.drift import FileDrift
from meterr_config.errors import InputError
from meterr_config.findings import Finding, Severity
from meterr_config.reporters.base import DRIFT_FIX, ActionReport, DiffReport, Reporter, row_line

if TYPE_CHECKING:  # annotations only: `check` loads neither the diff engine nor the scorer
    from meterr_config.lint.score import Score

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
INFORMATION_URI = "https://github.com/meterr-ai/meterr-config"


def _rules() -> list[dict[str, Any]]:
    from meterr_config.lint.docs import doc, summary
    from meterr_config.lint.rules import RULES

    return [
        {
            "id": rule.id,
            "name": rule.name,
            "shortDescription": {"text": summary(rule)},
            "help": {"text": doc(rule), "markdown": doc(rule)},
            "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        }
        for rule in RULES
    ]


def _location(f: Finding) -> list[dict[str, Any]]:
    if f.location is None:
        return []
    physical: dict[str, Any] = {"artifactLocation": {"uri": f.location.file}}
    if f.location.line:
        physical["region"] = {"startLine": f.location.line}
    return [{"physicalLocation": physical}]


def _result(f: Finding, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "level": _LEVEL[f.severity],
        "message": {"text": f"{f.message} [{f.environment}]" if f.environment else f.message},
        "locations": _location(f),
    }
    if f.rule in index:
        result["ruleIndex"] = index[f.rule]
    return result


class SarifReporter(Reporter):
    """One SARIF log with one run; drift files become results of a `DRIFT` rule."""

    def _log(self, results: list[dict[str, Any]], rules: list[dict[str, Any]]) -> None:
        driver = {
            "name": "meterr-config",
            "version": __version__,
            "informationUri": INFORMATION_URI,
            "rules": rules,
        }
        log = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{"tool": {"driver": driver}, "results": results}],
        }
        self.write(json.dumps(log, indent=2, ensure_ascii=False))

    def findings(
        self,
        command: str,
        findings: list[Finding],
        environments: list[str],
        scores: list[Score] | None = None,
    ) -> None:
        rules = _rules()
        index = {rule["id"]: i for i, rule in enumerate(rules)}
        self._log([_result(f, index) for f in findings], rules)

    def drift(self, drifts: list[FileDrift], environments: list[str]) -> None:
        rule = {
            "id": "DRIFT",
            "name": "generated-file-drift",
            "shortDescription": {"text": "A generated file differs from what the models render."},
        }
        results = [
            {
                "ruleId": "DRIFT",
                "ruleIndex": 0,
                "level": "error",
                "message": {"text": f"{d.path} {DRIFT_FIX[d.kind]}"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": d.path}}}],
            }
            for d in drifts
        ]
        self._log(results, [rule])

    def changes(self, report: DiffReport) -> None:
        rule = {
            "id": "DIFF",
            "name": "unexpected-difference",
            "shortDescription": {
                "text": "Environments differ where the parity policy does not expect it."
            },
        }
        results = [
            {
                "ruleId": "DIFF",
                "ruleIndex": 0,
                "level": "note" if c.expected else "error",
                "message": {
                    "text": f"{' > '.join(c.path)}: {c.kind} "
                    f"between {report.left} and {report.right}" + (f" ({c.note})" if c.note else "")
                },
            }
            for c in report.changes
        ]
        self._log(results, [rule])

    def actions(self, report: ActionReport) -> None:
        kinds = sorted({row.action for row in report.rows})
        rules = [
            {
                "id": f"{report.command}/{kind}",
                "name": f"{report.command}-{kind}",
                "shortDescription": {"text": f"{report.command}: {kind}"},
            }
            for kind in kinds
        ]
        index = {kind: i for i, kind in enumerate(kinds)}
        results = [
            {
                "ruleId": f"{report.command}/{row.action}",
                "ruleIndex": index[row.action],
                "level": row.level,
                "message": {"text": row_line(row)},
            }
            for row in report.rows
        ]
        self._log(results, rules)


def input_error_log(exc: InputError) -> str:
    """A SARIF log for bad input, so code scanning shows why the step failed."""
    notification: dict[str, Any] = {"level": "error", "message": {"text": exc.one_line()}}
    if exc.location is not None:
        notification["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": exc.location.file},
                    **({"region": {"startLine": exc.location.line}} if exc.location.line else {}),
                }
            }
        ]
    driver = {"name": "meterr-config", "version": __version__, "informationUri": INFORMATION_URI}
    run = {
        "tool": {"driver": driver},
        "results": [],
        "invocations": [
            {"executionSuccessful": False, "toolExecutionNotifications": [notification]}
        ],
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2)

"""Plain text for people: one line per finding, unified diffs for drift."""

from __future__ import annotations

from meterr_config.drift import FileDrift
from meterr_config.findings import Finding
from meterr_config.reporters.base import Reporter, drift_line, summary_line

_DRIFT_WORDS = {
    "changed": "differs from the rendered file",
    "missing": "is missing: run `meterr-config render`",
    "extra": "is not rendered by any environment: delete it or add it to the models",
}


class TextReporter(Reporter):
    """`file:line: RULE severity: message [env artifact key]`, like ruff and compilers."""

    def findings(self, command: str, findings: list[Finding], environments: list[str]) -> None:
        for f in findings:
            where = str(f.location) if f.location else (f.environment or "")
            context = " ".join(part for part in (f.environment, f.artifact, f.key) if part)
            self.write(f"{where}: {f.rule} {f.severity}: {f.message} [{context}]")
        self.write(summary_line(findings, environments))

    def drift(self, drifts: list[FileDrift], environments: list[str]) -> None:
        for d in drifts:
            self.write(f"{d.path} {_DRIFT_WORDS[d.kind]}")
            for line in d.diff:
                self.write(f"    {line}")
        self.write(drift_line(drifts, environments))

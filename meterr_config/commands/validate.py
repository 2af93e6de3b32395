"""`meterr-config validate`: rendered artifacts against Vercel's schema and Next.js's rules."""

from __future__ import annotations

from pathlib import Path

from meterr_config.commands.common import EXIT_CLEAN, EXIT_FINDINGS, load, reporter
from meterr_config.findings import Severity
from meterr_config.validate import validate_environment


def run(environments: Path, names: list[str] | None, fmt: str) -> int:
    """Exit 1 when any artifact has an error."""
    loaded = load(environments, names)
    findings = [f for env in loaded for f in validate_environment(env)]
    reporter(fmt).findings("validate", findings, [env.name for env in loaded])
    failed = any(f.severity == Severity.ERROR for f in findings)
    return EXIT_FINDINGS if failed else EXIT_CLEAN

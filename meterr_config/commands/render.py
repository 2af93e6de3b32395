"""`meterr-config render`: write each environment's artifacts into `<out>/<env>/`.

An environment whose artifacts fail validation is not written at all: render never
leaves a config on disk that Vercel or Next.js would reject.
"""

from __future__ import annotations

import sys
from pathlib import Path

from meterr_config import atomic
from meterr_config.commands.common import load, reporter
from meterr_config.deploy import deploy_findings
from meterr_config.findings import Severity
from meterr_config.formats import EXIT_CLEAN, EXIT_FINDINGS
from meterr_config.render import render


def run(environments: Path, names: list[str] | None, out: Path) -> int:
    """Validate everything first, then write; exit 1 if anything was invalid."""
    loaded = load(environments, names)
    findings = [f for env in loaded for f in deploy_findings(env)]
    errors = [f for f in findings if f.severity == Severity.ERROR]
    if errors:
        reporter("text").findings("render", errors, [env.name for env in loaded])
        print("Nothing written: fix the errors above first.", file=sys.stderr)
        return EXIT_FINDINGS
    files = {out / env.name / name: data for env in loaded for name, data in render(env).items()}
    written = atomic.write_all(files)
    for path in written:
        print(f"wrote {path}")
    print(f"{len(written)} of {len(files)} files changed; {len(files) - len(written)} unchanged.")
    return EXIT_CLEAN

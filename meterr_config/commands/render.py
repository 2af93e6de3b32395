"""`meterr-config render`: write each environment's artifacts into `<out>/<env>/`.

An environment whose artifacts fail validation is not written at all: render never
leaves a config on disk that Vercel or Next.js would reject.
"""

from __future__ import annotations

import sys
from pathlib import Path

from meterr_config import atomic
from meterr_config.commands.common import EXIT_CLEAN, EXIT_FINDINGS, load, reporter
from meterr_config.findings import Severity
from meterr_config.render import render
from meterr_config.validate import validate_environment


def run(environments: Path, names: list[str] | None, out: Path) -> int:
    """Validate everything first, then write; exit 1 if anything was invalid."""
    loaded = load(environments, names)
    findings = [f for env in loaded for f in validate_environment(env)]
    errors = [f for f in findings if f.severity == Severity.ERROR]
    if errors:
        reporter("text").findings("render", errors, [env.name for env in loaded])
        print("Nothing written: fix the errors above first.", file=sys.stderr)
        return EXIT_FINDINGS
    written = total = 0
    for env in loaded:
        for name, data in render(env).items():
            total += 1
            if atomic.write_bytes(out / env.name / name, data):
                written += 1
                print(f"wrote {out / env.name / name}")
    print(f"{written} of {total} files written; the others were already up to date.")
    return EXIT_CLEAN

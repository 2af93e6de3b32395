"""`meterr-config render`: write each environment's artifacts into `<out>/<env>/`.

An environment whose artifacts fail validation is not written at all: render never
leaves a config on disk that Vercel or Next.js would reject.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from meterr_config import atomic
from meterr_config.commands.common import reporter
from meterr_config.findings import Finding, Severity
from meterr_config.formats import EXIT_CLEAN, EXIT_FINDINGS
from meterr_config.lint.deploy import deploy_findings
from meterr_config.load import Loader
from meterr_config.render import render
from meterr_config.verbosity import detail, say


def run(environments: Path, names: list[str] | None, out: Path) -> int:
    """Validate and stage each environment in turn, then write; exit 1 if any was invalid.

    Environments are processed one at a time (memory stays flat at any count); each one's
    files are staged beside their targets and only renamed into place when every
    environment is valid.
    """
    errors: list[Finding] = []
    seen: list[str] = []
    with atomic.Batch(root=out) as batch:
        for env in Loader(environments).iter_load(names):
            start = time.perf_counter()
            seen.append(env.name)
            errors += [f for f in deploy_findings(env) if f.severity == Severity.ERROR]
            if not errors:
                for name, data in render(env).items():
                    batch.add(out / env.name / name, data)
            files = ", ".join(str(source.path) for source in env.chain)
            detail(f"{env.name}: from {files} in {(time.perf_counter() - start) * 1000:.0f} ms")
        if errors:
            batch.abort()
            reporter("text").findings("render", errors, seen)
            print("Nothing written: fix the errors above first.", file=sys.stderr)
            return EXIT_FINDINGS
        unchanged = batch.unchanged
        written = batch.commit()
    for path in written:
        say(f"wrote {path}")
    total = len(written) + unchanged
    say(f"{len(written)} of {total} files changed; {unchanged} unchanged.")
    return EXIT_CLEAN

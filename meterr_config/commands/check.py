"""`meterr-config check`: the CI drift gate. Renders in memory and compares with disk."""

from __future__ import annotations

import time
from pathlib import Path

from meterr_config.commands.common import reporter
from meterr_config.diff.drift import FileDrift, environment_drift, extra_environments
from meterr_config.formats import EXIT_CLEAN, EXIT_FINDINGS
from meterr_config.load import Loader
from meterr_config.paths import real_folder
from meterr_config.render import render
from meterr_config.verbosity import detail


def run(environments: Path, names: list[str] | None, out: Path, fmt: str) -> int:
    """Exit 1 when a file is changed, missing or extra."""
    real_folder(out, "output folder")
    drifts: list[FileDrift] = []
    seen: list[str] = []
    for env in Loader(environments).iter_load(names):  # one at a time: flat memory
        start = time.perf_counter()
        seen.append(env.name)
        drifts += environment_drift(env, render(env), out)
        detail(f"{env.name}: compared with {out / env.name} in {_ms(start)} ms")
    if not names:
        drifts += extra_environments(out, set(seen))
    reporter(fmt).drift(drifts, seen)
    return EXIT_FINDINGS if drifts else EXIT_CLEAN


def _ms(start: float) -> str:
    return f"{(time.perf_counter() - start) * 1000:.0f}"

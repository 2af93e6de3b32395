"""`meterr-config check`: the CI drift gate. Renders in memory and compares with disk."""

from __future__ import annotations

from pathlib import Path

from meterr_config.commands.common import load, reporter
from meterr_config.drift import environment_drift, extra_environments
from meterr_config.formats import EXIT_CLEAN, EXIT_FINDINGS
from meterr_config.render import render


def run(environments: Path, names: list[str] | None, out: Path, fmt: str) -> int:
    """Exit 1 when a file is changed, missing or extra."""
    loaded = load(environments, names)
    drifts = [d for env in loaded for d in environment_drift(env, render(env), out / env.name)]
    if not names:
        drifts += extra_environments(out, {env.name for env in loaded})
    reporter(fmt).drift(drifts, [env.name for env in loaded])
    return EXIT_FINDINGS if drifts else EXIT_CLEAN

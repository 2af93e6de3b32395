"""`meterr-config diff LEFT RIGHT`: what differs between two states, redacted and classified."""

from __future__ import annotations

from pathlib import Path

from meterr_config.commands.common import EXIT_CLEAN, EXIT_FINDINGS, reporter
from meterr_config.diff.engine import diff
from meterr_config.loading import Loader
from meterr_config.reporters.base import DiffReport
from meterr_config.snapshot import Snapshot
from meterr_config.sources import parse_source
from meterr_config.sources.dotenv_source import dotenv_snapshot
from meterr_config.sources.files import dir_snapshot
from meterr_config.sources.models import env_snapshot


def snapshot(text: str, loader: Loader, tools: Path | None) -> Snapshot:
    """The snapshot a SOURCE names."""
    kind, arg = parse_source(text)
    if kind == "dir":
        return dir_snapshot(
            Path(arg), target="production", plan=None, next_version=None, tools_dir=tools
        )
    if kind == "dotenv":
        return dotenv_snapshot(Path(arg))
    from meterr_config.errors import InputError

    if kind != "env":
        raise InputError(f"diff takes env:NAME, dir:PATH or dotenv:PATH, not '{text}'")
    return env_snapshot(loader.load(arg))


def run(
    left: str,
    right: str,
    environments: Path,
    fmt: str,
    *,
    strict: bool = False,
    side_by_side: bool = False,
    show_secrets: bool = False,
    tools: Path | None = None,
) -> int:
    """Exit 1 when there is an unexpected difference (any difference with --strict)."""
    loader = Loader(environments)
    before, after = snapshot(left, loader, tools), snapshot(right, loader, tools)
    changes = diff(before, after, show_guessed_secrets=show_secrets)
    report = DiffReport(left, right, changes, strict=strict, side_by_side=side_by_side)
    reporter(fmt).changes(report)
    return EXIT_FINDINGS if report.failing else EXIT_CLEAN

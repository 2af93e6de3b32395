"""`meterr-config diff LEFT RIGHT`: what differs between two states, redacted and classified."""

from __future__ import annotations

import sys
from pathlib import Path

from meterr_config.commands.common import reporter
from meterr_config.diff.engine import diff
from meterr_config.errors import InputError
from meterr_config.formats import EXIT_CLEAN, EXIT_FINDINGS
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
    if kind == "vercel":
        from meterr_config.live.vercel_source import vercel_snapshot

        return vercel_snapshot(arg)
    if kind != "env":
        raise InputError(f"diff takes env:, dir:, dotenv: or vercel: sources, not '{text}'")
    return env_snapshot(loader.load(arg))


def _pair(
    left: str, right: str, loader: Loader, tools: Path | None, served_by: str
) -> tuple[Snapshot, Snapshot]:
    """Both snapshots; a url: side is probed with the other side as its guide."""
    from meterr_config.live.url_source import url_snapshots

    left_kind, left_arg = parse_source(left)
    right_kind, right_arg = parse_source(right)
    if left_kind == "url" and right_kind == "url":
        raise InputError("diff compares a url: source with a configuration, not with another url:")
    if right_kind == "url":
        return url_snapshots(right_arg, snapshot(left, loader, tools), served_by)
    if left_kind == "url":
        guide, served = url_snapshots(left_arg, snapshot(right, loader, tools), served_by)
        return served, guide
    return snapshot(left, loader, tools), snapshot(right, loader, tools)


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
    served_by: str = "vercel",
) -> int:
    """Exit 1 when there is an unexpected difference (any difference with --strict)."""
    loader = Loader(environments)
    before, after = _pair(left, right, loader, tools, served_by)
    for note in (*before.notes, *after.notes):  # e.g. next.config.ts not compared: no node
        print(f"meterr-config: note: {note}", file=sys.stderr)
    changes = diff(before, after, show_guessed_secrets=show_secrets)
    report = DiffReport(left, right, changes, strict=strict, side_by_side=side_by_side)
    reporter(fmt).changes(report)
    return EXIT_FINDINGS if report.failing else EXIT_CLEAN

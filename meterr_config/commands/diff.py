"""`meterr-config diff LEFT RIGHT`: what differs between two states, redacted and classified."""

from __future__ import annotations

import sys
from pathlib import Path

from meterr_config.commands.common import reporter
from meterr_config.diff.engine import diff
from meterr_config.errors import InputError
from meterr_config.formats import EXIT_CLEAN, EXIT_FINDINGS
from meterr_config.load import Loader
from meterr_config.reporters.base import DiffReport
from meterr_config.snapshot import Snapshot
from meterr_config.sources import parse_source
from meterr_config.sources.resolve import FolderFacts, snapshot


def _snapshot(text: str, loader: Loader, tools: Path | None) -> Snapshot:
    kind, arg = parse_source(text)
    return snapshot(kind, arg, loader, FolderFacts(tools=tools))


def _pair(
    left: str, right: str, loader: Loader, tools: Path | None, served_by: str
) -> tuple[Snapshot, Snapshot]:
    """Both snapshots; a url: side is probed with the other side as its guide."""
    from meterr_config.sources.url import url_snapshots

    left_kind, left_arg = parse_source(left)
    right_kind, right_arg = parse_source(right)
    if left_kind == "url" and right_kind == "url":
        raise InputError("diff compares a url: source with a configuration, not with another url:")
    if right_kind == "url":
        return url_snapshots(right_arg, _snapshot(left, loader, tools), served_by)
    if left_kind == "url":
        guide, served = url_snapshots(left_arg, _snapshot(right, loader, tools), served_by)
        return served, guide
    return _snapshot(left, loader, tools), _snapshot(right, loader, tools)


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

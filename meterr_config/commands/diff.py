"""`meterr-config diff LEFT RIGHT`: what differs between two states, redacted and classified."""

from __future__ import annotations

import sys
from pathlib import Path

from meterr_config.commands.common import reporter
from meterr_config.diff.engine import diff
from meterr_config.errors import printable
from meterr_config.formats import EXIT_CLEAN, EXIT_FINDINGS
from meterr_config.reporters.base import DiffReport
from meterr_config.sources.registry import Context, read_pair


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
    context = Context(environments, tools=tools, served_by=served_by)
    before, after = read_pair(left, right, context)
    for note in (*before.notes, *after.notes):  # e.g. next.config.ts not compared: no node
        print(f"meterr-config: note: {note}", file=sys.stderr)
    changes = diff(before, after, show_guessed_secrets=show_secrets)
    # A url: source is shown as its snapshot names it (scheme://host/path): the argument
    # may carry a password or a bypass token.
    # A name from the command line may hold a newline: shown escaped, never obeyed.
    left_label = printable(before.name if before.source == "url" else left)
    right_label = printable(after.name if after.source == "url" else right)
    report = DiffReport(left_label, right_label, changes, strict=strict, side_by_side=side_by_side)
    reporter(fmt).changes(report)
    return EXIT_FINDINGS if report.failing else EXIT_CLEAN

"""`meterr-config diff LEFT RIGHT`: what differs between two states, redacted and classified."""

from __future__ import annotations

import sys
from pathlib import Path

from meterr_config.commands.common import reporter
from meterr_config.diff.engine import Change, diff
from meterr_config.errors import InputError, printable
from meterr_config.formats import EXIT_CLEAN, EXIT_FINDINGS
from meterr_config.keypath import format_path
from meterr_config.reporters.base import DiffReport
from meterr_config.snapshot import Snapshot
from meterr_config.sources.registry import Context, read_pair
from meterr_config.sources.values import ValueSources
from meterr_config.systemvars import provided
from meterr_config.verbosity import detail


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
    decrypt: bool = False,
    values: list[str] | None = None,
) -> int:
    """Exit 1 when there is an unexpected difference (any difference with --strict).
    `values` are for the sources that need a secret to read (db:'s DATABASE_URL)."""
    supplied = ValueSources(values or [])
    context = Context(
        environments, tools=tools, served_by=served_by, decrypt=decrypt, values=supplied
    )
    before, after = read_pair(left, right, context)
    for snap in (before, after):
        _refuse_rejected(snap)
        notes = [*snap.notes]
        if snap.next_failure is not None:  # e.g. no node, or a package not installed
            notes.append(f"{snap.next_file} not compared: {snap.next_failure[1]}")
        for note in notes:
            print(f"meterr-config: note: {note}", file=sys.stderr)
    changes = _without_system(diff(before, after, show_guessed_secrets=show_secrets), before, after)
    # A url: source is shown as its snapshot names it (scheme://host/path): the argument
    # may carry a password or a bypass token.
    # A name from the command line may hold a newline: shown escaped, never obeyed.
    left_label = printable(before.name if before.source == "url" else left)
    right_label = printable(after.name if after.source == "url" else right)
    report = DiffReport(left_label, right_label, changes, strict=strict, side_by_side=side_by_side)
    reporter(fmt).changes(report)
    return EXIT_FINDINGS if report.failing else EXIT_CLEAN


def _without_system(changes: list[Change], before: Snapshot, after: Snapshot) -> list[Change]:
    """The changes but those of variables Vercel provides itself (VERCEL_URL, VERCEL_GIT_*,
    a pulled file's VERCEL_OIDC_TOKEN…), which no model holds: never counted, and named
    under -v as provided by Vercel. A variable a model declares is always compared."""
    kept, provided_by_vercel = [], {}
    for change in changes:
        name = change.path[1] if change.path[0] == "env" and len(change.path) > 1 else None
        what = provided(name) if name is not None else None
        declared = any(s.env[name].declared for s in (before, after) if name in s.env)
        if what is None or declared:
            kept.append(change)
        else:
            provided_by_vercel[name] = what
    for name, what in sorted(provided_by_vercel.items()):
        detail(f"{printable(str(name))}: provided by Vercel ({what}); not compared")
    return kept


def _refuse_rejected(snap: Snapshot) -> None:
    """A vercel.json that Vercel refuses is bad input for a diff, which compares the
    shapes the schema guarantees (lint reports every refusal as VER011 instead)."""
    for _, severity, path, message in snap.vercel_rejected:
        if severity == "error":
            where = snap.locator("vercel.json", path)
            key = format_path(path) or "(top level)"
            raise InputError(f"{message} (the Vercel schema)", where, key)

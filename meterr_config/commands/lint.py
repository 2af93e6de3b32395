"""`meterr-config lint`: run every rule over environments or folders of hand-written config."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from meterr_config.commands.common import reporter
from meterr_config.findings import Severity
from meterr_config.formats import EXIT_CLEAN, EXIT_FINDINGS
from meterr_config.lint.engine import lint
from meterr_config.lint.score import Score, predict
from meterr_config.snapshot import Snapshot
from meterr_config.sources.env import env_snapshot
from meterr_config.sources.registry import Context, parse_state
from meterr_config.sources.values import ValueSources
from meterr_config.verbosity import detail

FAIL_ON = {"error": {Severity.ERROR}, "warning": {Severity.ERROR, Severity.WARNING}, "never": set()}


def snapshots(
    sources: list[str],
    environments: Path,
    names: list[str] | None,
    *,
    target: str,
    plan: str | None,
    next_version: str | None,
    tools: Path | None,
    values: ValueSources | None = None,
) -> Iterator[Snapshot]:
    """Snapshots for the named sources, or every concrete environment, one at a time."""
    context = Context(environments, target, plan, next_version, tools, values=values)
    env_names = list(names or [])
    others: list[Snapshot] = []
    for text in sources:
        kind, arg = parse_state(text)
        if kind.name == "env":  # loaded together below, so that no source means every one
            env_names.append(arg)
        else:
            others.append(kind.reader()(arg, context))
    if env_names or not others:
        yield from (env_snapshot(env) for env in context.loader.iter_load(env_names or None))
    yield from others


def run(
    sources: list[str],
    environments: Path,
    names: list[str] | None,
    values: list[str],
    fmt: str,
    fail_on: str,
    *,
    target: str = "production",
    plan: str | None = None,
    next_version: str | None = None,
    tools: Path | None = None,
    score: bool = False,
) -> int:
    """Exit 1 when a finding at or above --fail-on is reported."""
    supplied = ValueSources(values)
    snaps = snapshots(
        sources,
        environments,
        names,
        target=target,
        plan=plan,
        next_version=next_version,
        tools=tools,
        values=supplied,
    )
    seen: list[str] = []
    scores: list[Score] = []

    last = [time.perf_counter()]

    def each(snap: Snapshot) -> None:
        now = time.perf_counter()
        detail(f"{snap.name}: read and linted in {(now - last[0]) * 1000:.0f} ms")
        last[0] = now
        seen.append(snap.name)
        if score:
            scores.append(predict(snap))

    findings = lint((supplied.apply(s) for s in snaps), each=each)
    supplied.check_targets(seen)
    reporter(fmt).findings("lint", findings, seen, scores if score else None)
    failing = FAIL_ON[fail_on]
    return EXIT_FINDINGS if any(f.severity in failing for f in findings) else EXIT_CLEAN

"""`meterr-config plan ENV... --values [ENV=]SOURCE...`: the operations that make each
project's Vercel variables match the models. Needs only read access.

Exit 0: no changes; 1: changes pending; 2: bad input or an API error.
"""

from __future__ import annotations

from pathlib import Path

from meterr_config.commands.common import load, reporter
from meterr_config.formats import EXIT_CLEAN, EXIT_FINDINGS
from meterr_config.load import LoadedEnvironment
from meterr_config.plan import fingerprint
from meterr_config.plan.lines import lines, summary
from meterr_config.plan.planfile import Saved, save
from meterr_config.plan.session import Planned, ledger, plan_all
from meterr_config.reporters.base import ActionReport, Row
from meterr_config.sources.values import ValueSources
from meterr_config.sources.vercel_api import ApiConfig, VercelClient

_LEVEL = {"replace": "warning", "delete": "warning", "kept": "note"}


def run(
    names: list[str],
    environments: Path,
    values: list[str],
    fmt: str,
    *,
    prune: bool = False,
    out: Path | None = None,
) -> int:
    """Plan every named environment's project; with `out`, save the plan (mode 0600)."""
    key = fingerprint.new_key()
    loaded, sources = inputs(names, environments, values)
    with VercelClient(ApiConfig.from_env()) as client:
        planned = plan_all(loaded, sources, client, ledger(environments), key, prune)
    if out is not None:
        saved = Saved(str(environments), tuple(names), tuple(values), prune, key)
        save(out, saved, [p.plan for p in planned])
    reporter(fmt).actions(plan_report(planned, saved=out))
    return EXIT_FINDINGS if any(not p.plan.empty for p in planned) else EXIT_CLEAN


def inputs(
    names: list[str], environments: Path, values: list[str]
) -> tuple[list[LoadedEnvironment], ValueSources]:
    """The named environments and their `--values` sources, checked before any request."""
    loaded = load(environments, names)
    sources = ValueSources(values)
    sources.check_targets([env.name for env in loaded])
    return loaded, sources


def plan_rows(planned: list[Planned]) -> list[Row]:
    """One row per key and target of every project's plan."""
    return [
        Row(
            line.key,
            line.target,
            line.action,
            line.detail,
            _LEVEL.get(line.action, "note"),
            line.sign,
        )
        for p in planned
        for line in lines(p.plan)
    ]


def plan_report(planned: list[Planned], saved: Path | None = None) -> ActionReport:
    notes = (
        [f"saved the plan to {saved} (mode 0600): apply it with `meterr-config apply {saved}`"]
        if saved
        else []
    )
    empty = all(p.plan.empty for p in planned)
    return ActionReport(
        command="plan",
        status="no changes" if empty else "changes",
        rows=plan_rows(planned),
        summary=" ".join(summary(p.plan) for p in planned),
        notes=notes,
    )

"""`meterr-config flags plan | flags apply`: runtime flags, from the models into each
environment's own `feature_flags` table, planned and applied as `plan` and `apply` do
Vercel's variables: the same saved plan (mode 0600, refused when stale), journal, local
lock, confirmation and exit codes.

`flags plan` exit 0: no changes; 1: changes pending; 2: bad input or a database error.
`flags apply` exit 0: applied (or nothing to do); 2: refused, or nothing applied; 3: some
environments applied and some failed (each one's table is one transaction: all or none).
`flags schema check` exit 0: the tables serve the app (warnings aside); 1: a gap that
breaks the service or an apply.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from pathlib import Path

from meterr_config.commands.apply import confirmed, result_report
from meterr_config.commands.common import reporter
from meterr_config.commands.plan import inputs
from meterr_config.errors import InputError
from meterr_config.formats import EXIT_CLEAN, EXIT_FINDINGS
from meterr_config.load import LoadedEnvironment
from meterr_config.plan import fingerprint, planfile
from meterr_config.plan.flags import compute
from meterr_config.plan.flags_db import read_table, take_lock, write
from meterr_config.plan.flags_knex import migration
from meterr_config.plan.flags_schema import gaps
from meterr_config.plan.journal import Journal
from meterr_config.plan.lines import summary
from meterr_config.plan.model import Outcome, Plan, Result
from meterr_config.plan.planfile import Saved, save
from meterr_config.plan.session import project_lock, state_folder
from meterr_config.reporters.base import ActionReport, Row
from meterr_config.sources.db import dsn_of
from meterr_config.sources.pg import Dsn, connection
from meterr_config.sources.registry import Context, parse_state
from meterr_config.sources.values import ValueSources

SIGNS = {"create": "+", "update": "~", "delete": "-", "kept": "="}
LEVELS = {"delete": "warning", "kept": "note"}


@dataclass(frozen=True)
class Planned:
    """One environment's flags plan, and where its database is."""

    env: LoadedEnvironment
    dsn: Dsn
    plan: Plan


def plan_run(
    names: list[str],
    environments: Path,
    values: list[str],
    fmt: str,
    *,
    prune: bool = False,
    out: Path | None = None,
) -> int:
    """Plan every named environment's table; with `out`, save the plan (mode 0600)."""
    key = fingerprint.new_key()
    loaded, sources = inputs(names, environments, values)
    planned = _plan_all(loaded, sources, environments, key, prune)
    if out is not None:
        saved = Saved(str(environments), tuple(names), tuple(values), prune, key, kind="flags")
        save(out, saved, [p.plan for p in planned])
    reporter(fmt).actions(_report(planned, out))
    return EXIT_FINDINGS if any(not p.plan.empty for p in planned) else EXIT_CLEAN


def apply_run(
    args: list[str],
    environments: Path,
    values: list[str],
    fmt: str,
    *,
    yes: bool = False,
    confirm: str | None = None,
    prune: bool = False,
) -> int:
    """Apply a saved flags plan (planned again, refused if it differs), or plan and apply."""
    key = fingerprint.new_key()
    saved_parts: list[dict[str, object]] | None = None
    if len(args) == 1 and Path(args[0]).is_file():
        if values or prune:
            raise InputError(
                f"flags apply {args[0]}: a saved plan is applied with its own --values and "
                "--prune; give neither"
            )
        saved, saved_parts = planfile.load(Path(args[0]), kind="flags")
        environments, args, values = (
            Path(saved.environments_dir),
            list(saved.environments),
            list(saved.values),
        )
        prune, key = saved.prune, saved.key
    loaded, sources = inputs(names=args, environments=environments, values=values)
    with contextlib.ExitStack() as locks:
        for env in sorted(loaded, key=lambda e: e.name):  # in name order: no deadlock
            locks.enter_context(project_lock(environments, f"flags-{env.name}"))
        planned = _plan_all(loaded, sources, environments, key, prune)
        if saved_parts is not None:
            _check_saved(planned, saved_parts)
        if fmt == "text" or all(p.plan.empty for p in planned):
            reporter(fmt).actions(_report(planned))
        if all(p.plan.empty for p in planned):
            return EXIT_CLEAN
        confirmed(loaded, yes=yes or saved_parts is not None, confirm=confirm)
        results = [_apply_one(p, environments) for p in planned if not p.plan.empty]
    outcomes = [outcome for outcome, _ in results]
    report = result_report(outcomes, [f"journal: {path}" for _, path in results], "flags plan")
    reporter(fmt).actions(report)
    return Outcome([r for o in outcomes for r in o.results]).exit_code()


def _plan_all(
    loaded: list[LoadedEnvironment],
    sources: ValueSources,
    environments: Path,
    key: bytes,
    prune: bool,
) -> list[Planned]:
    context = Context(environments, values=sources)
    out = []
    for env in loaded:
        dsn = dsn_of(env, context)
        with connection(dsn, read_only=True) as conn:
            table = read_table(conn, env.name, dsn.where)
        out.append(Planned(env, dsn, compute(env, table, key, prune)))
    return out


def _check_saved(planned: list[Planned], saved: list[dict[str, object]]) -> None:
    by_project = {str(p.get("project")): p for p in saved}
    for p in planned:
        old = by_project.get(p.plan.project)
        if old is None:
            raise InputError(f"the saved plan has no part for {p.plan.project}: plan again")
        why = planfile.first_difference(old, planfile.comparable(p.plan), p.plan.project)
        if why:
            raise InputError(f"the saved plan cannot be applied: {why}; plan again")


def _apply_one(planned: Planned, environments: Path) -> tuple[Outcome, Path]:
    """One environment's plan in one transaction: every operation, or none."""
    plan, where = planned.plan, planned.dsn.where
    journal = Journal(state_folder(environments), f"flags-{planned.env.name}")
    try:
        journal.write(project=plan.project, action="begin", operations=len(plan.operations))
        try:
            with connection(planned.dsn, read_only=False) as conn:
                take_lock(conn, where)
                table = read_table(conn, planned.env.name, where, lock_rows=True)
                if table.digest() != plan.live_digest:
                    raise InputError(
                        f"{where}: the table changed since it was planned; nothing was "
                        "written: plan again"
                    )
                write(conn, plan, table)
        except InputError as exc:
            why = str(exc)
            for op in plan.operations:
                journal.write(
                    project=plan.project, action=op.action, key=op.key, result="failed", detail=why
                )
            return Outcome([Result(op, False, why) for op in plan.operations]), journal.path
        for op in plan.operations:
            journal.write(project=plan.project, action=op.action, key=op.key, result="applied")
        return Outcome([Result(op, True, "applied") for op in plan.operations]), journal.path
    finally:
        journal.close()


def _rows(plan: Plan) -> list[Row]:
    rows = [
        Row(
            op.key,
            op.targets[0],
            op.action,
            op.shown,
            LEVELS.get(op.action, "note"),
            SIGNS[op.action],
        )
        for op in plan.operations
    ]
    rows += [Row(k.key, k.target, "kept", k.why, "note", "=") for k in plan.kept]
    return sorted(rows, key=lambda r: (r.target, r.key))


def _report(planned: list[Planned], saved: Path | None = None) -> ActionReport:
    notes = (
        [
            f"saved the plan to {saved} (mode 0600): apply it with "
            f"`meterr-config flags apply {saved}`"
        ]
        if saved
        else []
    )
    empty = all(p.plan.empty for p in planned)
    return ActionReport(
        command="flags plan",
        status="no changes" if empty else "changes",
        rows=[row for p in planned for row in _rows(p.plan)],
        summary=" ".join(summary(p.plan, ("create", "update", "delete")) for p in planned),
        notes=notes,
    )


def schema_check(sources: list[str], environments: Path, values: list[str], fmt: str) -> int:
    """Compare each `db:ENV`'s tables with what the service needs; one row per gap."""
    supplied = ValueSources(values)
    context = Context(environments, values=supplied)
    loaded = []
    for text in sources:
        kind, arg = parse_state(text)
        if kind.name != "db":
            raise InputError(f"flags schema check {text}: give db:ENV sources")
        loaded.append(context.loader.load(arg))
    supplied.check_targets([env.name for env in loaded])
    rows: list[Row] = []
    for env in loaded:
        dsn = dsn_of(env, context)
        with connection(dsn, read_only=True) as conn:
            found = gaps(conn)
        rows += [Row(g.where, env.name, "gap", g.why, g.level) for g in found]
    errors = sum(r.level == "error" for r in rows)
    summary = (
        f"{errors} gap{'s' if errors != 1 else ''} the service or flags apply fails on; "
        "`meterr-config flags schema emit --knex` prints an additive migration."
        if errors
        else f"The flag tables serve the app in {len(loaded)} database"
        f"{'s' if len(loaded) != 1 else ''}."
    )
    report = ActionReport("flags schema check", "gaps" if errors else "ok", rows, summary, [])
    reporter(fmt).actions(report)
    return EXIT_FINDINGS if errors else EXIT_CLEAN


def schema_emit(knex: bool) -> int:
    """Print the additive migration; knex is the one format there is."""
    if not knex:
        raise InputError("flags schema emit: name the migration's format: --knex")
    sys.stdout.write(migration())
    return EXIT_CLEAN

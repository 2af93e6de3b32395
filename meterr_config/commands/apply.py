"""`meterr-config apply FILE | apply ENV... --values [ENV=]SOURCE...`: make Vercel match.

`apply FILE` plans again from what the saved plan names and writes only when that is
the saved plan (else it is stale, or a value changed). `apply ENV...` shows its plan
and asks on a terminal; with no terminal it needs --yes. A production target also needs
`--confirm production` when nobody is at a terminal to type it. A replacement (a gap
between two requests where a target has no value) needs --allow-replace.

Exit 0: applied (or nothing to do); 2: bad input, a refused plan, or nothing applied
before a failure; 3: some operations applied and some failed (plan again: it shows
exactly the rest).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from meterr_config.commands.common import reporter
from meterr_config.commands.plan import inputs, plan_report
from meterr_config.errors import InputError
from meterr_config.formats import EXIT_CLEAN
from meterr_config.load import LoadedEnvironment
from meterr_config.plan import fingerprint, planfile
from meterr_config.plan.execute import Applier
from meterr_config.plan.journal import Journal
from meterr_config.plan.ledger import Ledger
from meterr_config.plan.live import read_live
from meterr_config.plan.model import Outcome
from meterr_config.plan.redeploy import redeploy as redeploy_target
from meterr_config.plan.session import Planned, ledger, plan_all, project_lock, state_folder
from meterr_config.plan.status import status_lines
from meterr_config.reporters.base import ActionReport, Row
from meterr_config.sources.values import ValueSources
from meterr_config.sources.vercel_api import ApiConfig, VercelClient


def run(
    args: list[str],
    environments: Path,
    values: list[str],
    fmt: str,
    *,
    yes: bool = False,
    confirm: str | None = None,
    prune: bool = False,
    allow_replace: bool = False,
    redeploy: bool = False,
) -> int:
    key = fingerprint.new_key()
    projects: list[dict[str, object]] | None = None  # a saved plan's parts
    if len(args) == 1 and Path(args[0]).is_file():
        if values or prune:
            raise InputError(
                f"apply {args[0]}: a saved plan is applied with its own --values and "
                "--prune; give neither"
            )
        saved, projects = planfile.load(Path(args[0]))
        environments, args, values = (
            Path(saved.environments_dir),
            list(saved.environments),
            list(saved.values),
        )
        prune, key = saved.prune, saved.key
    loaded, sources = inputs(environments=environments, names=args, values=values)
    with VercelClient(ApiConfig.from_env()) as client:
        return _apply(
            loaded,
            sources,
            client,
            environments,
            key,
            fmt,
            prune=prune,
            saved=projects,
            yes=yes or projects is not None,
            confirm=confirm,
            allow_replace=allow_replace,
            redeploy=redeploy,
        )


def _apply(
    loaded: list[LoadedEnvironment],
    sources: ValueSources,
    client: VercelClient,
    environments: Path,
    key: bytes,
    fmt: str,
    *,
    prune: bool,
    saved: list[dict[str, object]] | None,
    yes: bool,
    confirm: str | None,
    allow_replace: bool,
    redeploy: bool,
) -> int:
    book = ledger(environments)
    names = sorted({env.model.project.name for env in loaded})
    with contextlib.ExitStack() as locks:
        for name in names:  # in name order: two applies never deadlock
            locks.enter_context(project_lock(environments, name))
        planned = plan_all(loaded, sources, client, book, key, prune)
        if saved is not None:
            _check_saved(planned, saved)
        if fmt == "text":
            reporter(fmt).actions(plan_report(planned))
        if all(p.plan.empty for p in planned) and not redeploy:
            if fmt != "text":
                reporter(fmt).actions(plan_report(planned))
            return EXIT_CLEAN
        _allowed(planned, allow_replace)
        confirmed(loaded, yes=yes, confirm=confirm)
        outcomes = [_run_one(p, client, environments, book) for p in planned if not p.plan.empty]
        notes = [f"journal: {path}" for _, path in outcomes]
        if redeploy and all(o.failed == 0 for o, _ in outcomes):
            notes += _redeploy(loaded, planned, client, book)
    report = result_report([o for o, _ in outcomes], notes)
    reporter(fmt).actions(report)
    return Outcome([r for o, _ in outcomes for r in o.results]).exit_code()


def _check_saved(planned: list[Planned], saved: list[dict[str, object]]) -> None:
    by_project = {str(p.get("project")): p for p in saved}
    for p in planned:
        old = by_project.get(p.plan.project)
        if old is None:
            raise InputError(f"the saved plan has no part for project {p.plan.project}: plan again")
        why = planfile.first_difference(old, planfile.comparable(p.plan))
        if why:
            raise InputError(f"the saved plan cannot be applied: {why}; plan again")


def _allowed(planned: list[Planned], allow_replace: bool) -> None:
    moves = [op for p in planned for op in p.plan.replacements if op.action == "create"]
    if moves and not allow_replace:
        first = moves[0]
        raise InputError(
            f"{len(moves)} replacement{'s' if len(moves) != 1 else ''} would leave "
            f"{first.key} on {', '.join(first.targets)} without a value between two "
            "requests; apply them with --allow-replace (nothing was written)"
        )


def confirmed(loaded: list[LoadedEnvironment], *, yes: bool, confirm: str | None) -> None:
    """Go on only as confirmed: on a terminal, the word typed; without one, --yes, and
    --confirm production for a production target (shared with `flags apply`)."""
    production = any(env.model.target == "production" for env in loaded)
    terminal = sys.stdin.isatty() and sys.stderr.isatty()
    if production and confirm != "production" and not terminal:
        raise InputError(
            "this plan writes to production: with no terminal to confirm at, "
            "add --confirm production (nothing was written)"
        )
    if yes and (confirm == "production" or not production):
        return
    if not terminal:
        raise InputError(
            "apply needs --yes when there is no terminal to confirm at (nothing was written)"
        )
    word = "production" if production else "yes"
    sys.stderr.write(f"Apply this plan? Type '{word}' to go on: ")
    sys.stderr.flush()
    if sys.stdin.readline().strip() != word:
        raise InputError("not confirmed: nothing was written")


def _run_one(
    planned: Planned, client: VercelClient, environments: Path, book: Ledger
) -> tuple[Outcome, Path]:
    journal = Journal(state_folder(environments), planned.plan.project)
    try:
        applier = Applier(client, planned.live, book, journal)
        return applier.apply(planned.plan), journal.path
    finally:
        journal.close()


def _redeploy(
    loaded: list[LoadedEnvironment], planned: list[Planned], client: VercelClient, book: Ledger
) -> list[str]:
    """Redeploy each environment's target whose serving deployment lacks a variable as
    it is now (what `status` calls pending), reading the variables afresh."""
    notes = []
    for env in loaded:
        live = next(p.live for p in planned if p.plan.project == env.model.project.name)
        fresh = read_live(client, live.name)
        pending, _ = status_lines(env, fresh, client, book)
        if any(line.kind == "pending" for line in pending):
            notes.append(redeploy_target(client, fresh, env.model.target))
        else:
            notes.append(f"{env.model.target}: the serving deployment has every variable")
    return notes


def result_report(
    outcomes: list[Outcome], notes: list[str], again: str = "meterr-config plan"
) -> ActionReport:
    """One row per operation and target of what was applied or failed, and the summary."""
    rows = []
    for outcome in outcomes:
        for result in outcome.results:
            op = result.op
            action = "applied" if result.ok else "failed"
            what = f"{op.action} ({result.detail})" if result.detail != "applied" else op.action
            for target in op.targets:
                rows.append(Row(op.key, target, action, what, "note" if result.ok else "error"))
    applied = sum(o.applied for o in outcomes)
    failed = sum(o.failed for o in outcomes)
    total = applied + failed
    if failed:
        summary = (
            f"Applied {applied} of {total} operations; {failed} failed. "
            f"Run `{again}` again: it shows exactly what is left."
        )
        status = "partial" if applied else "failed"
    else:
        summary = f"Applied {applied} operation{'s' if applied != 1 else ''}."
        status = "applied"
    return ActionReport("apply", status, rows, summary, notes)

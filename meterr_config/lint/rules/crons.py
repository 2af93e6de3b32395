"""Cron rules (CRON): what the Vercel server accepts at deploy time, and plan limits."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel

from meterr_config.lint.rule import Problem, Rule
from meterr_config.redact import quoted
from meterr_config.snapshot import Snapshot

# (name, lowest, highest) of each of the five fields `vercel crons add` accepts.
FIELDS = (
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day of month", 1, 31),
    ("month", 1, 12),
    ("day of week", 0, 7),
)
MAX_CRONS = 100


def crons(snap: Snapshot) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, cron) pairs of vercel.json."""
    items = (snap.vercel or {}).get("crons") or []
    for index, cron in enumerate(items if isinstance(items, list) else []):
        if isinstance(cron, dict):
            yield index, cron


def _part_problem(part: str, low: int, high: int) -> str | None:
    base, _, step = part.partition("/")
    if step and (not step.isdigit() or int(step) < 1):
        return f"step {quoted(step)} must be a whole number of at least 1"
    if base == "*":
        return None
    bounds = base.split("-")
    if len(bounds) > 2 or not all(b.isdigit() for b in bounds):
        return f"{quoted(part)} is not a number, range or step (names and macros are not accepted)"
    numbers = [int(b) for b in bounds]
    if any(n < low or n > high for n in numbers):
        return f"{quoted(part)} is outside {low}-{high}"
    if len(numbers) == 2 and numbers[0] > numbers[1]:
        return f"range {quoted(part)} runs backwards"
    return None


def expression_problem(schedule: str) -> str | None:
    """Why Vercel would reject a cron expression, or None."""
    fields = schedule.split()
    if len(fields) != 5:
        return f"Expected 5 values, but got {len(fields)}"
    for text, (name, low, high) in zip(fields, FIELDS, strict=True):
        for part in text.split(","):
            if why := _part_problem(part, low, high):
                return f"{name}: {why}"
    return None


def runs_more_than_daily(schedule: str) -> bool:
    """Whether a valid expression can fire more than once a day."""
    minute, hour = schedule.split()[:2]
    return not (minute.isdigit() and hour.isdigit())


class InvalidExpression(Rule):
    """## What it does
    Checks each cron `schedule` the way the Vercel server does at deploy time: five
    numeric fields (minute 0-59, hour 0-23, day 1-31, month 1-12, weekday 0-7), steps of
    at least 1, ranges that run forwards, no names (`MON`) and no macros (`@daily`).

    ## Why is this bad?
    `vercel build` accepts any string of 9 or more characters; the deploy then fails with
    "Error while validating your Cron Jobs expressions".

    ## Example
    ```toml
    [[vercel.crons]]
    path = "/api/cron/cleanup"
    schedule = "0 2 * * * *"
    ```

    ## Use instead
    `schedule = "0 2 * * *"` (02:00 UTC daily).

    ## Sources
    - Vercel's deploy-time check, measured ("Error while validating your Cron Jobs
      expressions: - Expected 5 values, but got 6"; `vercel crons add` accepts exactly five
      numeric fields), and https://vercel.com/docs/cron-jobs (cron expressions); the CLI
      schema's `schedule` is only 9 to 256 characters
      (`schemas/vendor/vercel-cli-58.10.0.vercelConfigSchema.json`)
    """

    id = "CRON001"
    blocks_deploy = True
    name = "invalid-expression"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for index, cron in crons(snap):
            if why := expression_problem(str(cron.get("schedule", ""))):
                yield Problem(
                    f"schedule {quoted(cron.get('schedule'))}: {why}",
                    "vercel.json",
                    ("crons", index, "schedule"),
                )


class TooFrequentForPlan(Rule):
    """## What it does
    On the Hobby plan, flags cron expressions that run more than once a day.

    ## Why is this bad?
    Vercel rejects the deployment: "Hobby accounts are limited to daily cron jobs".

    ## Example
    ```toml
    [project]
    plan = "hobby"
    [[vercel.crons]]
    path = "/api/cron/sync"
    schedule = "*/10 * * * *"
    ```

    ## Use instead
    A daily schedule such as `"0 3 * * *"`, or the Pro plan.

    ## Sources
    - https://vercel.com/docs/cron-jobs/usage-and-pricing (Hobby: once a day), and the
      deploy error "Hobby accounts are limited to daily cron jobs", measured
    """

    id = "CRON002"
    blocks_deploy = True
    name = "too-frequent-for-plan"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        if snap.plan != "hobby":
            return
        for index, cron in crons(snap):
            schedule = str(cron.get("schedule", ""))
            if expression_problem(schedule) is None and runs_more_than_daily(schedule):
                yield Problem(
                    f"schedule {quoted(schedule)} runs more than once a day; Hobby allows daily",
                    "vercel.json",
                    ("crons", index, "schedule"),
                )


class DuplicatePath(Rule):
    """## What it does
    Flags two cron jobs with the same path.

    ## Why is this bad?
    Vercel rejects duplicate cron paths.

    ## Example
    ```toml
    [[vercel.crons]]
    path = "/api/cron/cleanup"
    schedule = "0 2 * * *"
    [[vercel.crons]]
    path = "/api/cron/cleanup"
    schedule = "0 14 * * *"
    ```

    ## Use instead
    One path per job; branch on the time inside the handler if needed.

    ## Sources
    - `vercel crons add`, which refuses a path already scheduled (as the project's
      reference facts record); https://vercel.com/docs/cron-jobs/manage-cron-jobs
    """

    id = "CRON003"
    blocks_deploy = True
    name = "duplicate-path"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        seen: set[str] = set()
        for index, cron in crons(snap):
            path = str(cron.get("path", ""))
            if path in seen:
                yield Problem(
                    f"cron path {path} is used twice", "vercel.json", ("crons", index, "path")
                )
            seen.add(path)


class UnprotectedCron(Rule):
    """## What it does
    Flags crons when no `CRON_SECRET` variable is declared.

    ## Why is this bad?
    Cron routes are public URLs. Vercel sends `Authorization: Bearer $CRON_SECRET` so the
    route can refuse everyone else; without it anyone can trigger the job.

    ## Example
    ```toml
    [[vercel.crons]]
    path = "/api/cron/cleanup"
    schedule = "0 2 * * *"
    # no [env.CRON_SECRET]
    ```

    ## Use instead
    ```toml
    [env.CRON_SECRET]
    secret = true
    min_length = 32
    ```

    ## Sources
    - https://vercel.com/docs/cron-jobs/manage-cron-jobs#securing-cron-jobs (Vercel sends
      `Authorization: Bearer <CRON_SECRET>`)
    """

    id = "CRON004"
    name = "unprotected-cron"
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        env_known = snap.source == "env" or bool(snap.env)
        if env_known and any(True for _ in crons(snap)) and "CRON_SECRET" not in snap.env:
            yield Problem(
                "crons are configured but CRON_SECRET is not declared", "vercel.json", ("crons",)
            )


class TooManyCrons(Rule):
    """## What it does
    Flags more than 100 cron jobs (the limit on every plan).

    ## Why is this bad?
    The deployment fails.

    ## Example
    ```toml
    # 101 [[vercel.crons]] tables
    ```

    ## Use instead
    Fewer jobs: one route can dispatch several tasks.

    ## Sources
    - https://vercel.com/docs/cron-jobs/usage-and-pricing (100 cron jobs per project on
      every plan)
    """

    id = "CRON005"
    blocks_deploy = True
    name = "too-many-crons"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        count = sum(1 for _ in crons(snap))
        if count > MAX_CRONS:
            yield Problem(
                f"{count} cron jobs; Vercel allows {MAX_CRONS}", "vercel.json", ("crons",)
            )


RULES = (
    InvalidExpression(),
    TooFrequentForPlan(),
    DuplicatePath(),
    UnprotectedCron(),
    TooManyCrons(),
)

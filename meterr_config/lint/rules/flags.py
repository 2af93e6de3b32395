"""Feature flag rules (FLAG)."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel

from meterr_config.findings import Severity
from meterr_config.lint.rule import CrossRule, Problem, Rule
from meterr_config.snapshot import Snapshot


class MaintenanceModeInProduction(Rule):
    """## What it does
    Flags `MAINTENANCE_MODE` switched on in a production environment's committed config.

    ## Why is this bad?
    Maintenance is an operation, not a configuration: committed, it takes the site down
    on the next deploy and stays down until someone notices.

    ## Example
    ```toml
    # production.toml
    [flags]
    MAINTENANCE_MODE = true
    ```

    ## Use instead
    Toggle it for the window only (`vercel env add MAINTENANCE_MODE true production`).

    ## Sources
    - No platform decides this: the deployment guide's maintenance procedure sets
      MAINTENANCE_MODE with `vercel env add … production` for the window and removes it
      after, never in committed config
    """

    id = "FLAG001"
    name = "maintenance-mode-in-production"
    severity = Severity.WARNING

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        if snap.target == "production" and snap.flags.get("MAINTENANCE_MODE"):
            yield Problem("MAINTENANCE_MODE is on in production", "flags", ("MAINTENANCE_MODE",))


class BetaInProduction(Rule):
    """## What it does
    Flags `BETA_FEATURES` switched on in production.

    ## Why is this bad?
    The guide enables beta features in development only; in production they reach every
    user.

    ## Example
    ```toml
    # production.toml
    [flags]
    BETA_FEATURES = true
    ```

    ## Use instead
    Turn it on in development or staging.

    ## Sources
    - No platform decides this: the deployment guide's flag table (`BETA_FEATURES:
      process.env.NODE_ENV === 'development'`)
    """

    id = "FLAG002"
    name = "beta-in-production"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        if snap.target == "production" and snap.flags.get("BETA_FEATURES"):
            yield Problem("BETA_FEATURES is on in production", "flags", ("BETA_FEATURES",))


class FlagMissingInEnvironment(CrossRule):
    """## What it does
    Flags a feature flag that some linted environments define and another does not.

    ## Why is this bad?
    The app reads an unset flag as off; the feature differs by environment by accident.

    ## Example
    ```toml
    # staging.toml defines flags.NEW_DASHBOARD; production.toml does not
    ```

    ## Use instead
    Define every flag in `base.toml` with its default.

    ## Sources
    - No platform decides this: meterr-config's parity policy, as for ENV001
    """

    id = "FLAG003"
    name = "flag-missing-in-environment"

    def check_all(
        self, snaps: list[Snapshot], options: BaseModel
    ) -> Iterable[tuple[Snapshot, Problem]]:
        with_flags = [s for s in snaps if s.source == "env"]
        if len(with_flags) < 2:
            return
        everywhere = set().union(*(s.flags for s in with_flags))
        for snap in with_flags:
            for name in sorted(everywhere - set(snap.flags)):
                yield snap, Problem(f"flag {name} is not defined here", "flags", (name,))


class RuntimeFlagAlsoEnvironmentFlag(Rule):
    """## What it does
    Flags a runtime flag (a row of `feature_flags`) that the environment also delivers
    as a feature-flag environment variable: `[flags.NAME]` or `FEATURE_NAME`.

    ## Why is this bad?
    Two sources of truth. The environment variable is fixed at build time, the row is
    read per request: which one a given code path reads decides what users see, and
    turning one off leaves the other on.

    ## Example
    ```toml
    [flags.NEW_DASHBOARD]
    value = true
    [runtime_flags.NEW_DASHBOARD]
    enabled = false
    ```

    ## Use instead
    Keep the flag in one place: `[runtime_flags]` for what changes without a
    deployment, `[flags]` for what a build decides.

    ## Sources
    - No platform decides this: the deployment guide has both kinds, environment flags
      (`process.env.FEATURE_*`) and the database-backed FeatureFlagService
    """

    id = "FLAG004"
    name = "runtime-flag-also-environment-flag"
    severity = Severity.WARNING

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for name in sorted(snap.runtime_flags):
            variable = f"FEATURE_{name}"
            if name in snap.flags or variable in snap.env:
                how = f"[flags.{name}]" if name in snap.flags else f"the variable {variable}"
                yield Problem(
                    f"runtime flag {name} is also delivered as {how}: two sources of truth",
                    "runtime_flags",
                    (name,),
                )


class RuntimeMaintenanceModeInProduction(Rule):
    """## What it does
    Flags the runtime flag `MAINTENANCE_MODE` enabled in a production environment's
    committed config (or in production's `feature_flags` table, for `lint db:`).

    ## Why is this bad?
    As for FLAG001: maintenance is an operation, not a configuration. Committed on, the
    next `flags apply` takes the site down; found on in the table, it may have been
    left on after the window.

    ## Example
    ```toml
    # production.toml
    [runtime_flags]
    MAINTENANCE_MODE = true
    ```

    ## Use instead
    Turn it on for the window only, and off in the models.

    ## Sources
    - No platform decides this: the deployment guide's maintenance procedure, as for
      FLAG001
    """

    id = "FLAG005"
    name = "runtime-maintenance-in-production"
    severity = Severity.WARNING

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        flag = snap.runtime_flags.get("MAINTENANCE_MODE")
        if snap.target == "production" and flag is not None and flag.enabled:
            yield Problem(
                "runtime flag MAINTENANCE_MODE is on in production",
                "runtime_flags",
                ("MAINTENANCE_MODE", "enabled"),
            )


class OrphanUserOverrides(Rule):
    """## What it does
    Flags rows of `user_feature_flags` that the service never reads: overrides for a
    flag the `feature_flags` table does not have, or for a flag whose
    `user_overrides` is off (`lint db:ENV` only; rows are counted, never shown).

    ## Why is this bad?
    They are dead data until someone turns the flag's `user_overrides` on or re-creates
    a flag of that name: then stale per-user answers come back at once.

    ## Example
    A `user_feature_flags` row for `OLD_CHECKOUT`, which was deleted from
    `feature_flags`.

    ## Use instead
    Delete the app's orphaned rows (meterr-config never writes `user_feature_flags`).

    ## Sources
    - No platform decides this: the guide's `FeatureFlagService.isEnabled` reads a
      user's row only when the flag's row exists and has `user_overrides`
    """

    id = "FLAG006"
    name = "orphan-user-overrides"
    severity = Severity.WARNING

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        counts = snap.overrides
        if counts is None:
            return
        for name, rows in sorted(counts.unknown.items()):
            yield Problem(
                f"{rows} user_feature_flags rows for {name}, which feature_flags does not have",
                "user_feature_flags",
                (name,),
            )
        for name, rows in sorted(counts.ignored.items()):
            yield Problem(
                f"{rows} user_feature_flags rows for {name}, whose user_overrides is off: "
                "the service never reads them",
                "runtime_flags",
                (name, "user_overrides"),
            )


RULES = (
    MaintenanceModeInProduction(),
    BetaInProduction(),
    FlagMissingInEnvironment(),
    RuntimeFlagAlsoEnvironmentFlag(),
    RuntimeMaintenanceModeInProduction(),
    OrphanUserOverrides(),
)

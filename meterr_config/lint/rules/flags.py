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


RULES = (MaintenanceModeInProduction(), BetaInProduction(), FlagMissingInEnvironment())

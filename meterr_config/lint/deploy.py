"""Everything that would stop a deployment: the artifact validators plus the lint rules
whose findings Vercel refuses at deploy time (cron syntax, plan limits, route patterns).

`validate` and `render` use this; `lint` adds the advisory rules on top.
"""

from __future__ import annotations

from meterr_config.findings import Finding
from meterr_config.lint.engine import lint
from meterr_config.lint.rules import RULES
from meterr_config.load import LoadedEnvironment
from meterr_config.sources.env import env_snapshot
from meterr_config.validate import validate_environment

BLOCKING = tuple(rule for rule in RULES if rule.blocks_deploy)


def deploy_findings(loaded: LoadedEnvironment) -> list[Finding]:
    """Findings for one environment that Vercel or Next.js would reject."""
    findings = validate_environment(loaded)
    findings += lint([env_snapshot(loaded)], rules=BLOCKING)
    return sorted(findings, key=Finding.sort_key)

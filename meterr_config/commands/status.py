"""`meterr-config status ENV...`: the variables each target's serving deployment does
not have yet (written after it was built), and those changed outside meterr-config.

Exit 0: nothing pending; 1: a redeploy is pending or a variable changed outside.
"""

from __future__ import annotations

from pathlib import Path

from meterr_config.commands.common import load, reporter
from meterr_config.formats import EXIT_CLEAN, EXIT_FINDINGS
from meterr_config.plan.live import read_live
from meterr_config.plan.session import ledger
from meterr_config.plan.status import status_lines
from meterr_config.reporters.base import ActionReport, Row
from meterr_config.sources.vercel_api import ApiConfig, VercelClient


def run(names: list[str], environments: Path, fmt: str) -> int:
    loaded = load(environments, names)
    book = ledger(environments)
    rows: list[Row] = []
    notes: list[str] = []
    with VercelClient(ApiConfig.from_env()) as client:
        lives = {}
        for env in loaded:
            project = env.model.project.name
            if project not in lives:
                lives[project] = read_live(client, project)
            found, said = status_lines(env, lives[project], client, book)
            notes += said
            rows += [Row(s.key, s.target, s.kind, s.detail, "warning") for s in found]
    pending = sum(r.action == "pending" for r in rows)
    outside = sum(r.action == "outside" for r in rows)
    if rows:
        summary = (
            f"{pending} change{'s' if pending != 1 else ''} not yet deployed, "
            f"{outside} made outside meterr-config."
        )
    else:
        summary = "Up to date: every serving deployment has its variables as last written."
    report = ActionReport("status", "pending" if rows else "up to date", rows, summary, notes)
    reporter(fmt).actions(report)
    return EXIT_FINDINGS if rows else EXIT_CLEAN

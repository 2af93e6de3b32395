"""`status`: what the deployment serving each target does not have yet, and what was
changed outside meterr-config.

A Vercel deployment reads its variables when it is built: a variable written after the
deployment that serves the target was created reaches nobody until the next one
(vercel.com/docs/environment-variables: "changes … only apply to new deployments").
Each managed variable's `updatedAt` is compared with that deployment's `createdAt`.
A variable whose `updatedAt` moved since meterr-config last wrote it (the ledger) was
changed outside it: by the dashboard, the CLI or another tool, and for a sensitive
value nothing else can tell.
"""

from __future__ import annotations

from dataclasses import dataclass

from meterr_config.load import LoadedEnvironment
from meterr_config.models.variables import variables
from meterr_config.plan.compute import when
from meterr_config.plan.ledger import Ledger
from meterr_config.plan.live import LiveState
from meterr_config.sources.vercel_api import VercelClient
from meterr_config.sources.vercel_deploy import serving


@dataclass(frozen=True)
class StatusLine:
    """One managed variable on one target that needs attention."""

    key: str
    target: str
    kind: str  # "pending" (not in the serving deployment) or "outside"
    detail: str


def status_lines(
    env: LoadedEnvironment, live: LiveState, client: VercelClient, book: Ledger
) -> tuple[list[StatusLine], list[str]]:
    """The lines for one environment's target, and notes on what was read."""
    target = env.model.target
    names = {v.name for v in variables(env.model)}
    records = [
        r
        for r in live.records
        if target in r.targets and r.key in names and not r.branch and not r.system
    ]
    deployment, notes = serving(client, live.project, live.project_id, target)
    out = []
    built = deployment.get("createdAt").integer() if deployment is not None else None
    ident = deployment.get("id").string() if deployment is not None else None
    for record in sorted(records, key=lambda r: r.key):
        if built is not None and record.updated_at is not None and record.updated_at > built:
            out.append(
                StatusLine(
                    record.key,
                    target,
                    "pending",
                    f"changed {when(record.updated_at)}, after {ident} was built "
                    f"({when(built)}): redeploy to use it",
                )
            )
        entry = book.get(live.project_id, record.ident)
        if entry is not None and entry.updated_at != record.updated_at:
            by = record.updated_by or "someone unknown"
            out.append(
                StatusLine(
                    record.key,
                    target,
                    "outside",
                    f"changed outside meterr-config, by {by} {when(record.updated_at)}",
                )
            )
    if deployment is None:
        notes = (*notes, f"{target}: no deployment serves it; nothing is pending")
    return out, list(notes)

"""A project's variables as the API lists them, for planning, checking a saved plan and
reading back what apply wrote.

Encrypted values are read one variable at a time (GET /v1/projects/{id}/env/{envId},
the listing gives ciphertext) and sealed at once; sensitive ones cannot be read at all.
One request is in flight at a time: apply's reads and writes share one rate limit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from urllib.parse import quote

from meterr_config.redact import Sealed
from meterr_config.sources.vercel import EnvItem, custom_slugs, decrypt_all, env_item
from meterr_config.sources.vercel_api import VercelClient
from meterr_config.sources.vercel_shape import Field, answer, paged


@dataclass(frozen=True)
class LiveState:
    """The project, its custom environments and every variable record."""

    name: str  # as the models name the project
    project_id: str
    project: Field
    records: tuple[EnvItem, ...]
    sealed: dict[str, Sealed | None]  # env id -> its decrypted (encrypted) value
    custom_ids: dict[str, str]  # custom environment slug -> id

    def shape(self) -> list[dict[str, object]]:
        """What a saved plan keeps of each record: no value, enough to see a change."""
        return sorted(
            (
                {
                    "id": r.ident,
                    "key": r.key,
                    "type": r.kind,
                    "target": list(r.targets),
                    "gitBranch": r.branch,
                    "updatedAt": r.updated_at,
                }
                for r in self.records
            ),
            key=lambda d: (str(d["key"]), str(d["id"])),
        )

    def digest(self) -> str:
        """`sha256:` of the whole listing's shape: any record added, removed or written
        since (updatedAt moves on every write) changes it."""
        text = json.dumps(self.shape(), sort_keys=True, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def read_live(client: VercelClient, name: str) -> LiveState:
    """Every record of project `name` (its name or id), encrypted values sealed."""
    path_name = quote(name, safe="")
    project = answer(client, f"/v9/projects/{path_name}")
    slugs = custom_slugs(client, path_name)
    listing = paged(client, f"/v10/projects/{path_name}/env", "envs")
    records = tuple(env_item(item, slugs) for item in listing)
    project_id = project.get("id").string() or name
    sealed = decrypt_all(client, quote(project_id, safe=""), list(records), concurrency=1)
    return LiveState(
        name=name,
        project_id=project_id,
        project=project,
        records=records,
        sealed=sealed,
        custom_ids={slug: ident for ident, slug in slugs.items()},
    )

"""The ledger: what meterr-config last wrote to each variable, committable.

Per project id and variable id: its key and targets, the `updatedAt` and `updatedBy`
Vercel answered after our write, and, for a variable Vercel never gives back
(sensitive), a salted scrypt digest of the value written (`fingerprint.sealed`). No
value is kept. With it, a plan can say two things nothing else can: that a sensitive
value was changed outside meterr-config (its `updatedAt` moved, and by whom), and that
the value supplied now is, or is not, the one last written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from meterr_config.atomic import write_bytes
from meterr_config.errors import InputError, Location
from meterr_config.limits import read_bounded

LEDGER_VERSION = 1


@dataclass(frozen=True)
class Entry:
    """One variable as meterr-config last wrote it."""

    key: str
    targets: tuple[str, ...]
    updated_at: int | None
    updated_by: str | None
    digest: str | None = None  # scrypt of the value, for a value Vercel does not give back


class Ledger:
    """`.meterr-config/ledger.json`, read once and saved after each recorded write."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._projects: dict[str, dict[str, Entry]] = {}
        if path.exists():
            self._projects = _read(path)

    def get(self, project_id: str, ident: str | None) -> Entry | None:
        return self._projects.get(project_id, {}).get(ident or "")

    def record(self, project_id: str, ident: str, entry: Entry) -> None:
        self._projects.setdefault(project_id, {})[ident] = entry
        self.save()

    def forget(self, project_id: str, ident: str) -> None:
        if self._projects.get(project_id, {}).pop(ident, None) is not None:
            self.save()

    def save(self) -> None:
        data = {
            "version": LEDGER_VERSION,
            "projects": {
                project: {
                    ident: {
                        "key": e.key,
                        "targets": list(e.targets),
                        "updatedAt": e.updated_at,
                        "updatedBy": e.updated_by,
                        **({"digest": e.digest} if e.digest else {}),
                    }
                    for ident, e in sorted(entries.items())
                }
                for project, entries in sorted(self._projects.items())
                if entries
            },
        }
        write_bytes(self.path, (json.dumps(data, indent=2, sort_keys=True) + "\n").encode())


def _read(path: Path) -> dict[str, dict[str, Entry]]:
    where = Location(str(path))
    try:
        data = json.loads(read_bounded(path))
    except (ValueError, RecursionError):
        raise InputError("the ledger is not JSON: restore it from Git", where) from None
    if not isinstance(data, dict) or data.get("version") != LEDGER_VERSION:
        raise InputError(f"not a ledger of version {LEDGER_VERSION}", where)
    projects = data.get("projects")
    if not isinstance(projects, dict):
        raise InputError("`projects` must be an object", where)
    return {
        str(project): {str(ident): _entry(item, where) for ident, item in _obj(entries, where)}
        for project, entries in projects.items()
    }


def _obj(value: Any, where: Location) -> list[tuple[str, Any]]:
    if not isinstance(value, dict):
        raise InputError("each project's entries must be an object", where)
    return list(value.items())


def _entry(item: Any, where: Location) -> Entry:
    try:
        key, targets = item["key"], item["targets"]
        updated_at, updated_by = item.get("updatedAt"), item.get("updatedBy")
        digest = item.get("digest")
        fine = (
            isinstance(key, str)
            and isinstance(targets, list)
            and all(isinstance(t, str) for t in targets)
            and (updated_at is None or isinstance(updated_at, int))
            and (updated_by is None or isinstance(updated_by, str))
            and (digest is None or isinstance(digest, str))
        )
    except (KeyError, TypeError, AttributeError):
        fine = False
    if not fine:
        raise InputError("an entry needs key, targets, updatedAt, updatedBy", where)
    return Entry(key, tuple(targets), updated_at, updated_by, digest)

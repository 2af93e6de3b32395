"""A saved plan (`plan --out FILE`): the operations without values, the HMAC key their
fingerprints were made with, and the live state they were planned against.

`apply FILE` plans again from the same environments and `--values` sources and applies
only when that plan is the saved one: the same live state (else the plan is stale, as
Terraform refuses a stale plan), every value matching its fingerprint, the same
operations. The file is written with mode 0600: its fingerprints are keyed by a key it
holds, so it must not be shared as a log would be.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from meterr_config.atomic import write_bytes
from meterr_config.errors import InputError, Location
from meterr_config.limits import read_bounded
from meterr_config.plan.model import Plan

PLAN_FORMAT = "meterr-config plan"
PLAN_VERSION = 1
_SAVED = (
    "action",
    "key",
    "targets",
    "type",
    "secret",
    "record",
    "before",
    "before_type",
    "changes",
    "comment",
    "fingerprint",
    "replaces",
    "why",
    "updated_at",
)


# What a plan is of: Vercel's variables (`plan`) or runtime flags (`flags plan`); each
# apply refuses the other's file.
KINDS = {"env": "meterr-config apply", "flags": "meterr-config flags apply"}


@dataclass(frozen=True)
class Saved:
    """What `apply FILE` needs to plan again and compare."""

    environments_dir: str
    environments: tuple[str, ...]
    values: tuple[str, ...]
    prune: bool
    key: bytes
    kind: str = "env"


def save(path: Path, saved: Saved, plans: list[Plan]) -> None:
    """Write the plan file, mode 0600."""
    data = {
        "format": PLAN_FORMAT,
        "version": PLAN_VERSION,
        "kind": saved.kind,
        "environments_dir": saved.environments_dir,
        "environments": list(saved.environments),
        "values": list(saved.values),
        "prune": saved.prune,
        "key": saved.key.hex(),
        "projects": [_plan(plan) for plan in plans],
    }
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_bytes(path, text.encode(), mode=0o600)


def _plan(plan: Plan) -> dict[str, Any]:
    return {
        "project": plan.project,
        "project_id": plan.project_id,
        "environments": list(plan.environments),
        "live": {"digest": plan.live_digest, "records": list(plan.live_records)},
        "operations": [
            {name: _plain(getattr(op, name)) for name in _SAVED} for op in plan.operations
        ],
        "unchanged": plan.unchanged,
    }


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def load(path: Path, kind: str = "env") -> tuple[Saved, list[dict[str, Any]]]:
    """The saved plan of `kind`, and each project's part as saved (to compare with a
    new plan)."""
    where = Location(str(path))
    try:
        data = json.loads(read_bounded(path))
    except FileNotFoundError:
        raise InputError("no such plan file", where) from None
    except (ValueError, RecursionError):
        raise InputError("not a plan file (not JSON)", where) from None
    if not isinstance(data, dict) or data.get("format") != PLAN_FORMAT:
        raise InputError("not a plan file written by `meterr-config plan --out`", where)
    if data.get("version") != PLAN_VERSION:
        raise InputError(
            f"a plan of version {data.get('version')!r}; this reads {PLAN_VERSION}", where
        )
    found = data.get("kind", "env")
    if found != kind:
        command = KINDS.get(str(found), "another command")
        raise InputError(f"a plan of {found}: apply it with `{command} FILE`", where)
    try:
        saved = Saved(
            environments_dir=str(data["environments_dir"]),
            environments=tuple(str(n) for n in data["environments"]),
            values=tuple(str(v) for v in data["values"]),
            prune=data["prune"] is True,
            key=bytes.fromhex(str(data["key"])),
            kind=kind,
        )
        projects = [dict(p) for p in data["projects"]]
    except (KeyError, TypeError, ValueError):
        raise InputError("a plan file with missing or misshapen fields", where) from None
    return saved, projects


def comparable(plan: Plan) -> dict[str, Any]:
    """A plan as its file holds it, for comparing a new plan with a saved one."""
    return json.loads(json.dumps(_plan(plan)))  # type: ignore[no-any-return]


def first_difference(
    saved: dict[str, Any], new: dict[str, Any], live: str = "Vercel"
) -> str | None:
    """Why a new plan is not the saved one, in words, or None when it is; `live` names
    what was planned against ("Vercel", "db:staging")."""
    if saved.get("live", {}).get("digest") != new["live"]["digest"]:
        return _stale(saved.get("live", {}).get("records", []), new["live"]["records"], live)
    old_ops, new_ops = saved.get("operations", []), new["operations"]
    for old, op in zip(old_ops, new_ops, strict=False):
        if old != op:
            if old.get("fingerprint") != op.get("fingerprint") and old.get("key") == op.get("key"):
                return f"the value supplied for {op['key']} is not the one planned"
            return f"the operations differ from {op['key']} on (the models changed?)"
    if len(old_ops) != len(new_ops):
        return "the models or values now call for other operations"
    return None


def _stale(old: list[Any], new: list[Any], live: str) -> str:
    """Which record (a variable by its id, a flag's row by its name) changed since."""
    before = {_ident(r): r for r in old if isinstance(r, dict)}
    after = {_ident(r): r for r in new}
    for ident, record in after.items():
        if ident not in before:
            return f"{live} changed since the plan: {_name(record)} was added"
        if before[ident] != record:
            return f"{live} changed since the plan: {_name(record)} was written"
    gone = next((r for i, r in before.items() if i not in after), None)
    name = _name(gone) if gone else "a variable"
    return f"{live} changed since the plan: {name} was deleted"


def _ident(record: dict[str, Any]) -> str:
    return str(record.get("id", record.get("name")))


def _name(record: dict[str, Any]) -> str:
    return str(record.get("key", record.get("name")))

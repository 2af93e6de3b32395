"""What plan, apply and status share: where their state lives, the lock, and planning
each project of the named environments against its live state."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import filelock

from meterr_config.errors import InputError, Location
from meterr_config.load import LoadedEnvironment
from meterr_config.plan.compute import compute
from meterr_config.plan.ledger import Ledger
from meterr_config.plan.live import LiveState, read_live
from meterr_config.plan.model import Plan
from meterr_config.plan.wants import wanted
from meterr_config.sources.values import ValueSources
from meterr_config.sources.vercel_api import VercelClient

STATE = ".meterr-config"
# What of the state folder is not for Git: the journals and the locks (the ledger is).
IGNORED = "# written by meterr-config: the ledger is committed, these are not\njournal/\nlocks/\n"


def state_folder(environments: Path) -> Path:
    """`.meterr-config/` beside the environments folder (the repository's root)."""
    return environments.resolve().parent / STATE


def ledger(environments: Path) -> Ledger:
    return Ledger(state_folder(environments) / "ledger.json")


@dataclass(frozen=True)
class Planned:
    """One project's plan and the live state it was made against."""

    plan: Plan
    live: LiveState


def plan_all(
    loaded: list[LoadedEnvironment],
    values: ValueSources,
    client: VercelClient,
    book: Ledger,
    key: bytes,
    prune: bool,
) -> list[Planned]:
    """Every project's plan; values are read and refused before the API is asked."""
    projects = wanted(loaded, values)
    out = []
    for project in projects:
        live = read_live(client, project.project)
        out.append(Planned(compute(project, live, book, key, prune), live))
    return out


@contextmanager
def project_lock(environments: Path, project: str) -> Iterator[None]:
    """The local lock of one project's applies (filelock: an OS lock on a file, released
    when the process ends, however it ends)."""
    folder = state_folder(environments)
    locks = folder / "locks"
    try:
        locks.mkdir(parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text(IGNORED)
    except OSError as exc:
        raise InputError(f"cannot write ({exc.strerror})", Location(str(locks))) from None
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in project)
    lock = filelock.FileLock(locks / f"{safe}.lock", timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise InputError(
            f"another apply for project {project} is running (it holds {lock.lock_file}); "
            "wait for it, then plan again"
        ) from None
    try:
        yield
    finally:
        lock.release()

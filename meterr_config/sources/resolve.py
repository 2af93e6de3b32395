"""Turn a SOURCE argument into a Snapshot: the one place lint and diff read sources."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from meterr_config.errors import InputError
from meterr_config.load import Loader
from meterr_config.snapshot import Snapshot
from meterr_config.sources.dotenv import dotenv_snapshot
from meterr_config.sources.env import env_snapshot
from meterr_config.sources.folder import dir_snapshot


@dataclass(frozen=True)
class FolderFacts:
    """What a dir: source cannot know by itself (--target, --plan, --next-version, --tools)."""

    target: str = "production"
    plan: str | None = None
    next_version: str | None = None
    tools: Path | None = None


def snapshot(kind: str, arg: str, loader: Loader, facts: FolderFacts) -> Snapshot:
    """The snapshot of one env:, dir:, dotenv: or vercel: source (url: needs a guide)."""
    if kind == "env":
        return env_snapshot(loader.load(arg))
    if kind == "dir":
        return dir_snapshot(
            Path(arg),
            target=facts.target,
            plan=facts.plan,
            next_version=facts.next_version,
            tools_dir=facts.tools,
        )
    if kind == "dotenv":
        return dotenv_snapshot(Path(arg))
    if kind == "vercel":
        from meterr_config.sources.vercel import vercel_snapshot  # httpx only when used

        return vercel_snapshot(arg)
    raise InputError(f"a {kind}: source cannot be read on its own here")

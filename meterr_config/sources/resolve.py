"""Turn a SOURCE argument into a Snapshot: the one place lint and diff read sources."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from meterr_config.errors import InputError
from meterr_config.loading import Loader
from meterr_config.snapshot import Snapshot
from meterr_config.sources.dotenv_source import dotenv_snapshot
from meterr_config.sources.files import dir_snapshot
from meterr_config.sources.models import env_snapshot


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
        from meterr_config.live.vercel_source import vercel_snapshot  # httpx only when used

        return vercel_snapshot(arg)
    raise InputError(f"a {kind}: source cannot be read on its own here")

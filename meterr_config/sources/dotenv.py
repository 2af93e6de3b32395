"""`dotenv:PATH`: a `.env` or `vercel env pull` file as a snapshot of variables only."""

from __future__ import annotations

from pathlib import Path

from meterr_config.envfile import read_dotenv
from meterr_config.errors import Location
from meterr_config.keypath import KeyPath
from meterr_config.models.envvars import is_public
from meterr_config.secretshapes import looks_secret
from meterr_config.snapshot import EnvEntry, Snapshot
from meterr_config.sources.registry import Context, Values


def dotenv_snapshot(path: Path) -> Snapshot:
    """Variables with their values; secret-looking ones (by name or shape) count as secret."""
    entries = read_dotenv(path)

    def locate(artifact: str, at: KeyPath) -> Location | None:
        entry = entries.get(str(at[0])) if at else None
        return Location(str(path), entry.line if entry else None)

    env = {
        name: EnvEntry(
            name=name,
            value=e.value,
            declared=False,
            public=is_public(name),
            secret=looks_secret(name, e.value) and not is_public(name),
            supplied=True,
        )
        for name, e in entries.items()
    }
    return Snapshot(
        name=f"dotenv:{path}",
        source="dotenv",
        env=env,
        values_supplied=True,
        locator=locate,
        knows=frozenset({"env"}),
    )


def read(arg: str, context: Context) -> Snapshot:
    """`dotenv:PATH` as a state: its variables, for diff and lint."""
    return dotenv_snapshot(Path(arg))


def values(arg: str, names: set[str]) -> Values:
    """`--values dotenv:PATH`: every value in the file (the rules pick what they check)."""
    return {name: entry.value for name, entry in read_dotenv(Path(arg)).items()}

"""`dotenv:PATH`: a `.env` or `vercel env pull` file as a snapshot of variables only."""

from __future__ import annotations

import sys
from pathlib import Path

from meterr_config.envfile import DotenvFile, read_dotenv
from meterr_config.errors import Location
from meterr_config.keypath import KeyPath
from meterr_config.models.envvars import is_public
from meterr_config.paths import own_folder, own_root, text_inside
from meterr_config.secretshapes import looks_secret
from meterr_config.snapshot import EnvEntry, Snapshot
from meterr_config.sources.registry import Context, Values
from meterr_config.verbosity import say


def file_entry(name: str, value: str | None, *, supplied: bool = False) -> EnvEntry:
    """A variable read from a .env file: not declared, and secret when its name or its
    value's shape says so (never a NEXT_PUBLIC_ one, which the browser gets anyway)."""
    public = is_public(name)
    secret = looks_secret(name, value) and not public
    return EnvEntry(
        name=name, value=value, declared=False, public=public, secret=secret, supplied=supplied
    )


def read_file(path: Path) -> DotenvFile:
    """The dotenv file at `path`, as Next.js reads it: a regular file whose real place is
    in the folder it is named in (a link out of it, a FIFO or a device is refused)."""
    return read_dotenv(text_inside(path, own_root(path), own_folder(path)), str(path))


def blanked_note(path: str, read: DotenvFile) -> tuple[str, ...]:
    """The note for the secrets a `vercel env pull` file gives as `""`, taken as unknown."""
    if not read.blanked:
        return ()
    return (
        f"{path}: {', '.join(read.blanked)} read as unknown, not empty: a Vercel CLI older "
        'than 56.3.0 writes a sensitive value it cannot read as ""',
    )


def dotenv_snapshot(path: Path) -> Snapshot:
    """Variables with their values; secret-looking ones (by name or shape) count as secret."""
    read = read_file(path)
    entries = read.entries

    def locate(artifact: str, at: KeyPath) -> Location | None:
        if artifact == str(path) and at and isinstance(at[0], int):
            return Location(str(path), at[0])  # a line of the file (ENV008's skipped lines)
        entry = entries.get(str(at[0])) if at else None
        return Location(str(path), entry.line if entry else None)

    env = {name: file_entry(name, e.value, supplied=True) for name, e in entries.items()}
    return Snapshot(
        name=f"dotenv:{path}",
        source="dotenv",
        env=env,
        values_supplied=True,
        locator=locate,
        knows=frozenset({"env"}),
        notes=blanked_note(str(path), read),
        dotenv_misread=read.misread(str(path)),
    )


def read(arg: str, context: Context) -> Snapshot:
    """`dotenv:PATH` as a state: its variables, for diff and lint."""
    return dotenv_snapshot(Path(arg))


def values(arg: str, names: set[str]) -> Values:
    """`--values dotenv:PATH`: every value in the file (the rules pick what they check);
    the note for a pulled file's `""` secrets goes to stderr, as a snapshot's would."""
    read = read_file(Path(arg))
    for note in blanked_note(arg, read):
        say(f"meterr-config: note: {note}", sys.stderr)
    return {name: entry.value for name, entry in read.entries.items()}

"""The source registry: every kind of SOURCE (`env:`, `dir:`, `dotenv:`, `vercel:`, `db:`, `url:`)
and `--values` reader (`dotenv:`, `process`, `exec:`), one row each.

The CLI's help text, its shell completion and the parse errors all derive from these rows,
so a new kind is one module under `sources/` plus one row here. A row names its module
instead of importing it: `--help` and completion must not pay for httpx or the models.

A state source's module has `read(arg, context) -> Snapshot`; a guided one (`url:`, which
requests what the other side of a diff promises) has `read_guided(arg, guide, context)`
returning (the guide with what it promised, what was served); a values reader has
`values(arg, names) -> {name: value or None}`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from meterr_config.errors import InputError

if TYPE_CHECKING:
    from meterr_config.load import Loader
    from meterr_config.snapshot import Snapshot
    from meterr_config.sources.values import ValueSources

Values = dict[str, str | None]
# (what has been typed after `kind:`, the environments folder) -> candidate arguments.
Completer = Callable[[str, Path], list[str]]


@dataclass
class Context:
    """What a source cannot know by itself: where the environments are, and for `dir:`
    the facts a folder of files does not state (--target, --plan, --next-version)."""

    environments: Path = Path("environments")
    target: str = "production"
    plan: str | None = None
    next_version: str | None = None
    tools: Path | None = None
    served_by: str = "vercel"
    # vercel: also read each encrypted value (GET …/env/{id}), to compare it by digest.
    decrypt: bool = False
    # --values, for the sources that need a secret to read at all (db: its DATABASE_URL).
    values: ValueSources | None = None
    _loader: Loader | None = field(default=None, repr=False)

    @property
    def loader(self) -> Loader:
        """One loader for every source of a command, so each file is parsed once."""
        if self._loader is None:
            from meterr_config.load import Loader

            self._loader = Loader(self.environments)
        return self._loader


class StateReader(Protocol):
    def __call__(self, arg: str, context: Context) -> Snapshot: ...


class GuidedReader(Protocol):
    def __call__(
        self, arg: str, guide: Snapshot, context: Context
    ) -> tuple[Snapshot, Snapshot]: ...


class ValuesReader(Protocol):
    def __call__(self, arg: str, names: set[str]) -> Values: ...


def environment_names(typed: str, environments: Path) -> list[str]:
    """The environment files in the folder whose names start with `typed`."""
    if not environments.is_dir():
        return []
    return sorted(p.stem for p in environments.glob("*.toml") if p.stem.startswith(typed))


def _paths(typed: str, want: Callable[[Path], bool]) -> list[str]:
    """Entries of the folder being typed that `want` accepts; hidden folders only once
    a '.' has been typed, as shells do."""
    folder = Path(typed).parent if typed and not typed.endswith("/") else Path(typed or ".")
    prefix = "" if str(folder) == "." and not typed.startswith("./") else f"{folder}/"
    hidden = typed.rsplit("/", 1)[-1].startswith(".")
    try:
        entries = sorted(folder.iterdir()) if folder.is_dir() else []
    except OSError:
        return []
    names = [
        f"{prefix}{p.name}" + ("/" if p.is_dir() else "")
        for p in entries
        if want(p) and (hidden or not (p.is_dir() and p.name.startswith(".")))
    ]
    return [name for name in names if name.startswith(typed)]


def folders(typed: str, environments: Path) -> list[str]:
    """Folders under what has been typed."""
    return _paths(typed, Path.is_dir)


def dotenv_files(typed: str, environments: Path) -> list[str]:
    """Folders, and the `.env*` files in them."""
    return _paths(typed, lambda p: p.is_dir() or p.name.startswith(".env"))


def nothing(typed: str, environments: Path) -> list[str]:
    """No candidates: a project name or a URL cannot be guessed from here."""
    return []


@dataclass(frozen=True)
class Kind:
    """One row: a source kind, the module that reads it, and how the CLI presents it."""

    name: str
    module: str  # under meterr_config.sources
    metavar: str  # how the help writes it
    help: str
    complete: Completer = nothing
    state: bool = True  # a SOURCE of lint and diff
    guided: bool = False  # read against the other side of a diff
    values: bool = False  # a --values reader
    bare: bool = False  # written without the `kind:` prefix

    def _attribute(self, name: str) -> object:
        return getattr(importlib.import_module(f"meterr_config.sources.{self.module}"), name)

    def reader(self) -> StateReader:
        """The module's `read`."""
        return cast(StateReader, self._attribute("read"))

    def guided_reader(self) -> GuidedReader:
        """The module's `read_guided`."""
        return cast(GuidedReader, self._attribute("read_guided"))

    def values_reader(self) -> ValuesReader:
        """The module's `values`."""
        return cast(ValuesReader, self._attribute("values"))


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "env",
            "env",
            "env:NAME",
            "what the models render for NAME (a bare NAME too)",
            complete=environment_names,
        ),
        Kind(
            "dir",
            "folder",
            "dir:PATH",
            "hand-written vercel.json, next.config.*, .env files",
            complete=folders,
        ),
        Kind(
            "dotenv",
            "dotenv",
            "dotenv:PATH",
            "a .env file, as `vercel env pull` writes it",
            complete=dotenv_files,
            values=True,
        ),
        Kind(
            "vercel",
            "vercel",
            "vercel:PROJECT[@TARGET[:BRANCH]]",
            "the live project via the REST API (VERCEL_TOKEN)",
        ),
        Kind(
            "db",
            "db",
            "db:ENV",
            "ENV's runtime flags in its PostgreSQL (DATABASE_URL from --values)",
            complete=environment_names,
        ),
        Kind(
            "url",
            "url",
            "url:URL",
            "a running site, probed for the other side's promises",
            guided=True,
        ),
        Kind(
            "process",
            "process",
            "process",
            "the declared variables' values in this process",
            state=False,
            values=True,
            bare=True,
        ),
        Kind(
            "exec",
            "command",
            "exec:COMMAND",
            "what a secret manager's command prints (.env lines or a JSON object)",
            state=False,
            values=True,
        ),
    )
}


def _spelling(kinds: list[Kind]) -> str:
    """'a, b or c' of the kinds' metavars."""
    names = [kind.metavar for kind in kinds]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def state_kinds(*, guided: bool = True) -> list[Kind]:
    """The kinds a SOURCE argument takes (without `url:` where nothing can guide it)."""
    return [k for k in KINDS.values() if k.state and (guided or not k.guided)]


def values_kinds() -> list[Kind]:
    """The kinds `--values` takes."""
    return [k for k in KINDS.values() if k.values]


def sources_help(*, guided: bool = True) -> str:
    """The kinds of SOURCE, as the CLI's help lists them."""
    kinds = state_kinds(guided=guided)
    return f"{_spelling(kinds[:1])} (or NAME), {_spelling(kinds[1:])}"


def epilog(*, guided: bool = True) -> str:
    """The SOURCE kinds, one line each, for a command's help (`\b` keeps click from
    rewrapping the lines)."""
    kinds = state_kinds(guided=guided)
    width = max(len(kind.metavar) for kind in kinds)
    lines = [f"  {kind.metavar:{width}}  {kind.help}" for kind in kinds]
    return "\b\nSources:\n" + "\n".join(lines)


def values_help() -> str:
    """What `--values` takes, as the help and its error say."""
    return f"{_spelling(values_kinds())}, optionally as ENV=SOURCE"


def parse_state(text: str, *, guide: bool = False) -> tuple[Kind, str]:
    """A SOURCE of lint or diff as (its row, its argument); a bare NAME means `env:NAME`.
    `guide`: the other side of a diff is there to guide a `url:` source."""
    name, sep, arg = text.partition(":")
    if not sep:
        return KINDS["env"], text
    kind = KINDS.get(name)
    if kind is None or not kind.state:
        hint = f"; did you mean url:{text}?" if name in ("http", "https") else ""
        known = ", ".join(k.name for k in state_kinds())
        raise InputError(f"unknown source kind '{name}' in '{text}' (known: {known}){hint}")
    if not arg:
        raise InputError(f"source '{text}' needs a value after '{name}:' ({kind.metavar})")
    if kind.guided and not guide:
        raise InputError(
            f"a {kind.name}: source is probed for what a configuration promises, so it "
            f"needs one to compare with: diff env:NAME {kind.metavar}"
        )
    return kind, arg


def complete(typed: str, environments: Path) -> list[str]:
    """Shell completion of a SOURCE: environment names, the kinds, then each kind's own."""
    name, sep, rest = typed.partition(":")
    if sep and (kind := KINDS.get(name)) is not None and kind.state:
        return [f"{name}:{candidate}" for candidate in kind.complete(rest, environments)]
    names = environment_names(typed, environments)
    prefixes = [f"{k.name}:" for k in state_kinds() if f"{k.name}:".startswith(typed)]
    return [*names, *prefixes]


def read(text: str, context: Context) -> Snapshot:
    """The snapshot of one SOURCE that is read on its own (not `url:`)."""
    from meterr_config.snapshot import remembered

    kind, arg = parse_state(text)
    return remembered(kind.reader()(arg, context))


def read_pair(left: str, right: str, context: Context) -> tuple[Snapshot, Snapshot]:
    """Both sides of a diff; a guided side is probed with the other side as its guide."""
    from meterr_config.snapshot import remembered

    left_kind, left_arg = parse_state(left, guide=True)
    right_kind, right_arg = parse_state(right, guide=True)
    if left_kind.guided and right_kind.guided:
        raise InputError(
            f"diff compares a {left_kind.name}: source with a configuration, "
            f"not with another {right_kind.name}: source"
        )
    if right_kind.guided:
        guide, served = right_kind.guided_reader()(right_arg, read(left, context), context)
        return guide, remembered(served)
    if left_kind.guided:
        guide, served = left_kind.guided_reader()(left_arg, read(right, context), context)
        return remembered(served), guide
    return read(left, context), read(right, context)

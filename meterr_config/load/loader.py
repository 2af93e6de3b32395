"""Load `environments/<name>.toml`: read each file once, follow `extends`, merge, validate.

Every error becomes an `InputError` naming the file and line, or the key path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli as tomllib  # tomllib's own parser, compiled: about 4x faster
from pydantic import ValidationError

from meterr_config.errors import InputError, Location
from meterr_config.keypath import KeyPath
from meterr_config.limits import MAX_DEPTH, too_deep
from meterr_config.load.merge import deep_merge, normalise_shorthands
from meterr_config.load.source import SourceFile, locate
from meterr_config.models import Environment
from meterr_config.paths import present, read_inside

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


@dataclass(frozen=True)
class LoadedEnvironment:
    """A validated environment plus the files it came from, most basic first."""

    name: str
    model: Environment
    chain: tuple[SourceFile, ...]

    @property
    def file(self) -> SourceFile:
        """The environment's own file."""
        return self.chain[-1]

    def locate(self, path: KeyPath) -> Location:
        """The file and line that last set `path` (or its longest defined prefix)."""
        return locate(self.chain, path)


_TOO_DEEP = f"tables or arrays nested more than {MAX_DEPTH} levels deep; no config is"


def _deep_line(text: str) -> int | None:
    """The first line that goes deeper than MAX_DEPTH: a dotted key or header with that
    many parts, or that many open brackets (counted roughly: strings are not skipped)."""
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.split("=", 1)[0].count(".") >= MAX_DEPTH:
            return number
        for char in line:
            depth += (char in "[{") - (char in "]}")
            if depth > MAX_DEPTH:
                return number
    return None


@dataclass
class Loader:
    """Loads environments from one folder, parsing each file once."""

    directory: Path
    _files: dict[str, SourceFile] = field(default_factory=dict)
    _parents: set[str] = field(default_factory=set)

    def names(self) -> list[str]:
        """Every environment file's name, sorted; a badly named file is an error, not skipped."""
        if not self.directory.is_dir():
            raise InputError("environments folder not found", Location(str(self.directory)))
        files = sorted(p for p in self.directory.glob("*.toml") if present(p))
        for path in files:
            if not NAME_RE.match(path.stem):
                raise InputError(
                    "environment names use lowercase letters, digits, '-' and '_', "
                    "starting with a letter or digit",
                    Location(str(path)),
                )
        return [p.stem for p in files]

    def _read(self, name: str, referrer: tuple[SourceFile, KeyPath] | None) -> SourceFile:
        if name in self._files:
            return self._files[name]
        path = self.directory / f"{name}.toml"
        if not NAME_RE.match(name) or not present(path):
            self._missing(name, path, referrer)
        # A regular file in the folder, opened without following links: a FIFO or a link
        # swapped in after the check is refused, never read.
        raw = read_inside(path, self.directory, "environments folder")
        if raw.startswith(b"\xef\xbb\xbf"):
            raise InputError(
                "starts with a UTF-8 byte-order mark: save it without one", Location(str(path), 1)
            )
        try:
            text = raw.decode("utf-8")
            data = tomllib.loads(text)
        except UnicodeDecodeError as exc:
            line = exc.object[: exc.start].count(b"\n") + 1
            raise InputError(f"not UTF-8 text ({exc.reason})", Location(str(path), line)) from None
        except tomllib.TOMLDecodeError as exc:
            from meterr_config.load.messages import syntax_error  # only for bad input

            raise syntax_error(path, exc) from None
        except ValueError:  # an integer past Python's 4,300-digit limit, raised by int()
            match = re.search(r"\d{4301}", text)
            at = text.count("\n", 0, match.start()) + 1 if match else None
            message = "invalid TOML: an integer longer than 4,300 digits"
            raise InputError(message, Location(str(path), at)) from None
        except RecursionError:
            raise InputError(_TOO_DEEP, Location(str(path), _deep_line(text))) from None
        if too_deep(data):
            raise InputError(_TOO_DEEP, Location(str(path), _deep_line(text)))
        source = SourceFile(name, path, text, normalise_shorthands(data))
        self._files[name] = source
        return source

    def _missing(self, name: str, path: Path, referrer: tuple[SourceFile, KeyPath] | None) -> None:
        if referrer is not None:
            source, key = referrer
            where = Location(str(source.path), source.line_of(key))
            raise InputError(f"parent environment '{name}' not found ({path})", where, "extends")
        known = ", ".join(self.names()) or "none"
        raise InputError(
            f"unknown environment '{name}' (known: {known})", Location(str(self.directory))
        )

    def chain(self, name: str) -> tuple[SourceFile, ...]:
        """The file for `name` and its ancestors, most basic first."""
        files = [self._read(name, None)]
        while (parent := files[-1].data.get("extends")) is not None:
            child = files[-1]
            if not isinstance(parent, str):
                raise InputError(
                    "must be the name of another environment",
                    Location(str(child.path), child.line_of(("extends",))),
                    "extends",
                )
            if parent in (f.name for f in files):
                cycle = " -> ".join([*(f.name for f in files), parent])
                raise InputError(
                    f"extends cycle: {cycle}",
                    Location(str(child.path), child.line_of(("extends",))),
                    "extends",
                )
            self._parents.add(parent)
            files.append(self._read(parent, (child, ("extends",))))
        return tuple(reversed(files))

    def merged(self, chain: tuple[SourceFile, ...]) -> dict[str, Any]:
        """A chain's data merged, before validation: what a child of its last file extends."""
        merged: dict[str, Any] = {}
        for source in chain:
            data = {k: v for k, v in source.data.items() if k not in ("extends", "abstract")}
            merged = deep_merge(merged, data)
        return merged

    def load(self, name: str) -> LoadedEnvironment:
        """Load, merge and validate one environment."""
        chain = self.chain(name)
        merged = self.merged(chain)
        if "abstract" in chain[-1].data:
            merged["abstract"] = chain[-1].data["abstract"]
        try:
            model = Environment.model_validate(merged)
        except ValidationError as exc:
            from meterr_config.load.messages import validation_error  # only for bad input

            raise validation_error(exc, merged, chain) from None
        return LoadedEnvironment(name, model, chain)

    def load_many(self, names: list[str] | None) -> list[LoadedEnvironment]:
        """Load the named environments, or every concrete (non-abstract) one."""
        return list(self.iter_load(names))

    def iter_load(self, names: list[str] | None) -> Iterator[LoadedEnvironment]:
        """Like `load_many`, one environment at a time, forgetting each file once no other
        environment extends it: memory stays flat however many environments there are."""
        if names:
            for name in dict.fromkeys(names):
                env = self.load(name)
                if env.model.abstract:
                    raise InputError(
                        f"'{env.name}' is abstract (a parent only) and is never rendered",
                        Location(str(env.file.path)),
                    )
                yield env
                self._forget(name)
            return
        concrete = 0
        for name in self.names():
            env = self.load(name)
            if not env.model.abstract:
                concrete += 1
                yield env
            self._forget(name)
        if not concrete:
            raise InputError("no concrete environments found", Location(str(self.directory)))

    def _forget(self, name: str) -> None:
        """Drop a file no environment extends; a later child reads it again if need be."""
        if name not in self._parents:
            self._files.pop(name, None)

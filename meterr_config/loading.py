"""Load `environments/<name>.toml`: follow `extends`, deep-merge, validate, locate errors.

Merging is deep for tables; any other value (lists included) is replaced by the child.
Every error becomes an `InputError` naming the file and line, or the key path.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import tomli as tomllib  # tomllib's own parser, compiled: about 4x faster
from pydantic import ValidationError

from meterr_config.errors import InputError, Location
from meterr_config.keypath import KeyPath, format_path
from meterr_config.limits import MAX_DEPTH, read_bounded, too_deep
from meterr_config.models import Environment
from meterr_config.models.base import KeyedError
from meterr_config.paths import confined
from meterr_config.toml_lines import key_lines

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_HEADER = re.compile(r"^[ \t]*\[", re.M)
# A bare (dotted) key, `=`, and a value that closes on the same line.
_PLAIN_KEY_LINE = re.compile(r"^[A-Za-z0-9_.-]+[ \t]*=[ \t]*[^\[{\s]")
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
# Tables whose values may be written in a short form, normalised before merging so that a
# child's `env.X = "v"` overrides only the value of a parent's `[env.X]` table.
_SHORTHANDS = {"env": "value", "flags": "value"}


@dataclass(frozen=True)
class SourceFile:
    """One parsed environment file."""

    name: str
    path: Path
    text: str
    data: dict[str, Any]

    @cached_property
    def lines(self) -> dict[KeyPath, int]:
        """Key path → line, computed only when a location is asked for."""
        return key_lines(self.text)

    def line_of(self, path: KeyPath) -> int | None:
        """The line that defines `path` exactly, if this file defines it."""
        if "lines" not in self.__dict__ and len(path) == 1 and _BARE_KEY.match(str(path[0])):
            line = self._top_level_line(str(path[0]))
            if line is not None:
                return line
        return self.lines.get(path)

    def _top_level_line(self, key: str) -> int | None:
        """A top-level key's line without scanning the file: a table header naming it
        (headers are absolute paths), or the key itself before the first header.

        Only for plain files: no multi-line strings, and before the first header only
        one-line `key = value` lines, so no header-like text can sit inside a value.
        None (scan instead) otherwise."""
        if '"""' in self.text or "'''" in self.text:
            return None
        first_header = _HEADER.search(self.text)
        head = self.text[: first_header.start()] if first_header else self.text
        for line in head.split("\n"):
            stripped = line.strip()
            if stripped and not stripped.startswith("#") and not _PLAIN_KEY_LINE.match(stripped):
                return None
        own = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*[.=]", head, re.M)
        if own:
            return self.text.count("\n", 0, own.start()) + 1
        header = re.search(rf"^[ \t]*\[\[?[ \t]*{re.escape(key)}[ \t]*[.\]]", self.text, re.M)
        return self.text.count("\n", 0, header.start()) + 1 if header else None


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


def _value_at(data: Any, path: KeyPath) -> Any:
    for part in path:
        if not _has(data, part):
            return None
        data = data[part]
    return data


def locate(chain: tuple[SourceFile, ...], path: KeyPath) -> Location:
    """The file and line that set `path`: the most derived file defining its longest prefix.

    A list is replaced whole by the most derived file that sets it, so below a list only
    that file is searched: a parent's replaced list must not take the blame.
    """
    files = tuple(reversed(chain))
    for end in range(1, len(path)):
        owners = [s for s in files if _value_at(s.data, path[:end]) is not None]
        if owners and not isinstance(_value_at(owners[0].data, path[:end]), dict):
            files = (owners[0],)
            break
    for end in range(len(path), 0, -1):
        for source in files:
            line = source.line_of(path[:end])
            if line is not None:
                return Location(str(source.path), line)
    return Location(str(chain[-1].path))


def normalise_shorthands(data: dict[str, Any]) -> dict[str, Any]:
    """`NAME = "value"` under [env] and `NAME = true` under [flags] as full tables."""
    out = dict(data)
    for table, key in _SHORTHANDS.items():
        entries = out.get(table)
        if isinstance(entries, dict):
            out[table] = {
                name: value if isinstance(value, dict) else {key: value}
                for name, value in entries.items()
            }
    return out


def deep_merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Merge `child` over `base`: tables merge key by key, everything else is replaced."""
    merged = dict(base)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


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
        files = sorted(p for p in self.directory.glob("*.toml") if p.is_file())
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
        if not NAME_RE.match(name) or not path.is_file():
            self._missing(name, path, referrer)
        confined(path, self.directory, "environments folder")
        raw = read_bounded(path)
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
            raise _syntax_error(path, exc) from None
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
            raise _validation_error(exc, merged, chain) from None
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


def _syntax_error(path: Path, exc: tomllib.TOMLDecodeError) -> InputError:
    message = str(exc)
    match = _TOML_POSITION.search(message)
    if match is None:
        # tomllib says "(at end of document)": point at the last line.
        last = max(1, len(path.read_bytes().splitlines()))
        text = message.replace("(at end of document)", "").strip()
        return InputError(f"invalid TOML: {text} at end of file", Location(str(path), last))
    where = Location(str(path), int(match.group(1)), int(match.group(2)))
    return InputError(f"invalid TOML: {message[: match.start()]}", where)


def _has(container: Any, part: Any) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(container, list) and isinstance(part, int) and part < len(container)


def _existing_path(data: Any, loc: tuple[Any, ...], missing: bool) -> KeyPath:
    """Keep the parts of a pydantic location that exist in the data (drop union tags)."""
    path: list[str | int] = []
    current = data
    for index, part in enumerate(loc):
        if _has(current, part):
            current = current[part]
        elif missing and index == len(loc) - 1 and isinstance(part, str):
            path.append(part)
            break
        else:
            continue
        path.append(part)
    return tuple(path)


def _models_in(annotation: Any) -> list[Any]:
    """The pydantic models an annotation holds: `Cors`, `Cors | None`, `dict[str, EnvVar]`."""
    found: list[Any] = []
    for arg in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(arg, type) and hasattr(arg, "model_fields"):
            found.append(arg)
        for inner in getattr(arg, "__args__", ()):
            if isinstance(inner, type) and hasattr(inner, "model_fields"):
                found.append(inner)
    return found


def _container(annotation: Any) -> str | None:
    """For a dict or list of models, the path part standing for a name or an index."""
    for arg in (annotation, *getattr(annotation, "__args__", ())):
        origin = getattr(arg, "__origin__", None)
        if origin is dict:
            return "NAME"
        if origin in (list, tuple):
            return "[n]"
    return None


def _tables() -> dict[tuple[str | int, ...], Any]:
    """Every table of an environment file and its model: () for the top level, ("cors",),
    ("env", "NAME") for each variable, ("vercel", "redirects", "[n]") for each redirect."""
    out: dict[tuple[str | int, ...], Any] = {(): Environment}
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), Environment)]
    while stack:
        prefix, model = stack.pop()
        for name, info in model.model_fields.items():
            for inner in _models_in(info.annotation):
                part = _container(info.annotation)
                path = (*prefix, name, part) if part else (*prefix, name)
                if path not in out:
                    out[path] = inner
                    stack.append((path, inner))
    return out


def _unknown_key(path: KeyPath) -> str:
    """ "unknown key", with the closest key of the same table, or the table the key
    belongs to when it sits in the wrong one."""
    tables = _tables()
    parent = path[:-1]
    own = next(
        (
            model
            for table, model in tables.items()
            if len(table) == len(parent)
            and all(t == p or t in ("NAME", "[n]") for t, p in zip(table, parent, strict=True))
        ),
        None,
    )
    key = str(path[-1])
    if own is not None:
        close = difflib.get_close_matches(key, list(own.model_fields), n=1)
        if close:
            return f"unknown key (did you mean '{close[0]}'?)"
    # The shortest table first; vercel before nextjs, where routes are usually written.
    homes = sorted(
        (len(t), t[:1] == ("nextjs",), t)
        for t, model in tables.items()
        if key in model.model_fields
    )
    if not homes:
        return "unknown key"
    table = homes[0][2]
    dotted = ".".join(str(part) for part in table if part != "[n]")
    header = f"[[{dotted}]]" if table and table[-1] == "[n]" else f"[{dotted}]"
    home = f"belongs in {header}" if table else "is a top-level key"
    return f"unknown key here ('{key}' {home})"


def _validation_error(
    exc: ValidationError, data: dict[str, Any], chain: tuple[SourceFile, ...]
) -> InputError:
    errors = exc.errors()
    # Report the error a reader meets first: the earliest line of the most basic file.
    order = {source.path: index for index, source in enumerate(chain)}

    def position(error: Any) -> tuple[int, bool, int]:
        missing = error["type"] == "missing"  # often the echo of a misspelt key: report that
        where = locate(chain, _existing_path(data, tuple(error["loc"]), missing))
        return order.get(Path(where.file), len(chain)), missing, where.line or 0

    first = min(errors, key=position)
    cause = (first.get("ctx") or {}).get("error")
    path = _existing_path(data, tuple(first["loc"]), first["type"] == "missing")
    message = first["msg"].removeprefix("Value error, ")
    if isinstance(cause, KeyedError):
        path = (*path, *cause.path)
    if first["type"] == "extra_forbidden":
        message = _unknown_key(path)
    if len(errors) > 1:
        message += f" (+{len(errors) - 1} more)"
    return InputError(message, locate(chain, path), format_path(path) or None)

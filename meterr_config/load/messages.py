"""One-line messages for a file that does not parse or does not validate.

A TOML syntax error names its line and column; a validation error names the key path
and the line that set it, with a suggestion for a misspelt or misplaced key.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import tomli as tomllib
from pydantic import ValidationError

from meterr_config.errors import InputError, Location
from meterr_config.keypath import KeyPath, format_path
from meterr_config.load.source import SourceFile, has, locate
from meterr_config.models.base import KeyedError
from meterr_config.models.walk import tables

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def syntax_error(path: Path, exc: tomllib.TOMLDecodeError) -> InputError:
    """A TOML syntax error at its line and column (or the last line, at end of file)."""
    message = str(exc)
    match = _TOML_POSITION.search(message)
    if match is None:
        # tomllib says "(at end of document)": point at the last line.
        last = max(1, len(path.read_bytes().splitlines()))
        text = message.replace("(at end of document)", "").strip()
        return InputError(f"invalid TOML: {text} at end of file", Location(str(path), last))
    where = Location(str(path), int(match.group(1)), int(match.group(2)))
    return InputError(f"invalid TOML: {message[: match.start()]}", where)


def _existing_path(data: Any, loc: tuple[Any, ...], missing: bool) -> KeyPath:
    """Keep the parts of a pydantic location that exist in the data (drop union tags)."""
    path: list[str | int] = []
    current = data
    for index, part in enumerate(loc):
        if has(current, part):
            current = current[part]
        elif missing and index == len(loc) - 1 and isinstance(part, str):
            path.append(part)
            break
        else:
            continue
        path.append(part)
    return tuple(path)


def _unknown_key(path: KeyPath) -> str:
    """ "unknown key", with the closest key of the same table, or the table the key
    belongs to when it sits in the wrong one."""
    known = tables()
    parent = path[:-1]
    own = next(
        (
            model
            for table, model in known.items()
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
        (len(t), t[:1] == ("nextjs",), t) for t, model in known.items() if key in model.model_fields
    )
    if not homes:
        return "unknown key"
    table = homes[0][2]
    dotted = ".".join(str(part) for part in table if part != "[n]")
    header = f"[[{dotted}]]" if table and table[-1] == "[n]" else f"[{dotted}]"
    home = f"belongs in {header}" if table else "is a top-level key"
    return f"unknown key here ('{key}' {home})"


def validation_error(
    exc: ValidationError, data: dict[str, Any], chain: tuple[SourceFile, ...]
) -> InputError:
    """The first of pydantic's errors a reader meets, at its key path and line."""
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

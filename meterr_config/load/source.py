"""One parsed environment file, and how to find the line that sets a key in a chain."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from meterr_config.errors import Location
from meterr_config.keypath import KeyPath

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_HEADER = re.compile(r"^[ \t]*\[", re.M)
# A bare (dotted) key, `=`, and a value that closes on the same line.
_PLAIN_KEY_LINE = re.compile(r"^[A-Za-z0-9_.-]+[ \t]*=[ \t]*[^\[{\s]")


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
        from meterr_config.load.toml_lines import key_lines  # not loaded when nothing is located

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


def _value_at(data: Any, path: KeyPath) -> Any:
    for part in path:
        if not has(data, part):
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


def has(container: Any, part: Any) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(container, list) and isinstance(part, int) and part < len(container)

"""Map each key path of a TOML document to the line that defines it.

`tomllib` gives values but no positions, and validation errors must name the line. This
scanner runs only on documents `tomllib` has already accepted, and only when a line is
needed (an error or a finding), so the common path pays nothing for it.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from meterr_config.keypath import KeyPath

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_WS = " \t"


def _parse_key(text: str) -> tuple[list[str], str]:
    """Parse a dotted key at the start of `text`; return its parts and the rest of the text."""
    parts: list[str] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos] in _WS:
            pos += 1
        if pos < len(text) and text[pos] in "\"'":
            quote = text[pos]
            end = pos + 1
            while end < len(text) and text[end] != quote:
                end += 2 if text[end] == "\\" and quote == '"' else 1
            parts.append(tomllib.loads(f"k = {text[pos : end + 1]}")["k"])
            pos = end + 1
        else:
            match = _BARE.match(text, pos)
            if match is None:
                return parts, text[pos:]
            parts.append(match.group())
            pos = match.end()
        while pos < len(text) and text[pos] in _WS:
            pos += 1
        if pos < len(text) and text[pos] == ".":
            pos += 1
            continue
        return parts, text[pos:]


def _record(result: dict[KeyPath, int], path: KeyPath, line: int) -> None:
    for end in range(1, len(path) + 1):
        result.setdefault(path[:end], line)


def _record_value(result: dict[KeyPath, int], path: KeyPath, value: Any, line: int) -> None:
    _record(result, path, line)
    if isinstance(value, dict):
        for key, sub in value.items():
            _record_value(result, (*path, key), sub, line)
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            _record_value(result, (*path, index), sub, line)


class _Scanner:
    """Walks the lines once, tracking the current table and array-of-tables indexes."""

    def __init__(self, text: str) -> None:
        # TOML ends lines at LF (or CRLF) only; str.splitlines() would also split at
        # U+2028 and friends, which may sit inside strings and comments.
        self.lines = [line.removesuffix("\r") for line in text.split("\n")]
        self.result: dict[KeyPath, int] = {}
        self.table: KeyPath = ()
        self.aot_index: dict[KeyPath, int] = {}

    def _resolve(self, parts: list[str]) -> KeyPath:
        """Turn header parts into a concrete path, inserting array-of-tables indexes."""
        path: KeyPath = ()
        for part in parts:
            path = (*path, part)
            if path in self.aot_index:
                path = (*path, self.aot_index[path])
        return path

    def _header(self, stripped: str, number: int) -> None:
        if stripped.startswith("[["):
            parts, _ = _parse_key(stripped[2:])
            parent = self._resolve(parts[:-1])
            array_path = (*parent, parts[-1])
            index = self.aot_index.get(array_path, -1) + 1
            self.aot_index[array_path] = index
            self.table = (*array_path, index)
        else:
            parts, _ = _parse_key(stripped[1:])
            self.table = self._resolve(parts)
        _record(self.result, self.table, number)

    def _value_end(self, start: int, first: str) -> tuple[int, Any]:
        """Find the last line of a value that may span lines; return it and the value."""
        chunk = first
        end = start
        while True:
            try:
                return end, tomllib.loads(f"v = {chunk}")["v"]
            except tomllib.TOMLDecodeError:
                end += 1
                if end >= len(self.lines):
                    return end, None
                chunk = f"{chunk}\n{self.lines[end]}"

    def scan(self) -> dict[KeyPath, int]:
        index = 0
        while index < len(self.lines):
            stripped = self.lines[index].strip()
            if stripped.startswith("["):
                self._header(stripped, index + 1)
            elif stripped and not stripped.startswith("#"):
                parts, rest = _parse_key(stripped)
                if parts and rest.startswith("="):
                    end, value = self._value_end(index, rest[1:])
                    _record_value(self.result, (*self.table, *parts), value, index + 1)
                    index = end
            index += 1
        return self.result


def key_lines(text: str) -> dict[KeyPath, int]:
    """Return {key path: 1-based line} for every table, key and nested value in `text`."""
    return _Scanner(text).scan()

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


def _skip_string(chunk: str, start: int) -> int:
    """The index just after the string literal that starts at `start`."""
    quote = chunk[start : start + 3] if chunk[start : start + 3] in ('"""', "'''") else chunk[start]
    index = start + len(quote)
    while index < len(chunk) and not chunk.startswith(quote, index):
        index += 2 if chunk[index] == "\\" and quote[0] == '"' else 1
    return index + len(quote)


def element_offsets(chunk: str) -> list[int]:
    """For an array value spanning lines, the line (counted from 0) each element starts on."""
    depth, index, line, starts, expecting = 0, 0, 0, [], False
    while index < len(chunk):
        char = chunk[index]
        if char == "\n":
            line += 1
        if char.isspace():
            index += 1
            continue
        if char == "#":
            index = chunk.find("\n", index) if "\n" in chunk[index:] else len(chunk)
            continue
        if expecting and depth == 1 and char not in "],":
            starts.append(line)
            expecting = False
        if char in "\"'":
            end = _skip_string(chunk, index)
            line += chunk.count("\n", index, end)
            index = end
            continue
        if char in "[{":
            depth += 1
            expecting = expecting or (depth == 1 and char == "[")
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 1:
            expecting = True
        index += 1
    return starts


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
                    path = (*self.table, *parts)
                    _record(self.result, path, index + 1)  # the key's own line comes first
                    if isinstance(value, list) and end > index:  # each element on its line
                        chunk = "\n".join([rest[1:], *self.lines[index + 1 : end + 1]])
                        for position, offset in enumerate(element_offsets(chunk)):
                            if position < len(value):
                                _record_value(
                                    self.result,
                                    (*path, position),
                                    value[position],
                                    index + 1 + offset,
                                )
                    _record_value(self.result, path, value, index + 1)
                    index = end
            index += 1
        return self.result


def key_lines(text: str) -> dict[KeyPath, int]:
    """Return {key path: 1-based line} for every table, key and nested value in `text`."""
    return _Scanner(text).scan()

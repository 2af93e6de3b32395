"""Map each key path of a TOML document to the line that defines it.

`tomllib` gives values but no positions, and validation errors must name the line. This
scanner runs only on documents `tomllib` has already accepted, and only when a line is
needed (an error or a finding), so the common path pays nothing for it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from typing import Any

import tomli as tomllib  # tomllib's own parser, compiled: about 4x faster

from meterr_config.keypath import KeyPath

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_WS = " \t"


_BARE_KEY = re.compile(r"[ \t]*([A-Za-z0-9_-]+(?:[ \t]*\.[ \t]*[A-Za-z0-9_-]+)*)[ \t]*(?=[=\]])")


def _parse_key(text: str) -> tuple[list[str], str]:
    """Parse a dotted key at the start of `text`; return its parts and the rest of the text."""
    if match := _BARE_KEY.match(text):  # the common case, without a character loop
        return [part.strip() for part in match.group(1).split(".")], text[match.end() :]
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


def _record(result: dict[KeyPath, int], path: KeyPath, line: int, known: int = 0) -> None:
    """Record `path` and its prefixes longer than `known` (those are recorded already)."""
    for end in range(known + 1, len(path) + 1):
        result.setdefault(path[:end], line)


def _record_value(result: dict[KeyPath, int], path: KeyPath, value: Any, line: int) -> None:
    _record(result, path, line)
    if isinstance(value, dict):
        for key, sub in value.items():
            _record_value(result, (*path, key), sub, line)
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            _record_value(result, (*path, index), sub, line)


_SIGNIFICANT = re.compile(r"\"\"\"|'''|[\"'\[\]{},#]")
_STRING_END = {
    '"': re.compile(r'(?:[^"\\\n]|\\.)*"'),
    "'": re.compile(r"[^'\n]*'"),
    # A multi-line string may end with one or two more quotes: `'''self''''` ends at the last.
    '"""': re.compile(r'(?:[^\\]|\\.)*?"""(?:"{1,2})?', re.S),
    "'''": re.compile(r"(?s:.*?)'''(?:'{1,2})?"),
}
_BLANK = re.compile(r"(?:\s|#[^\n]*)*")


def value_span(text: str, start: int) -> tuple[int, list[int]]:
    """Where the value starting at `start` ends, and where each element of an array starts.

    A regex jumps between the characters that matter (brackets, quotes, commas and
    comments), so a long multi-line array costs one pass, not a parse per line."""
    depth, pos, starts = 0, start, list[int]()
    while match := _SIGNIFICANT.search(text, pos):
        token, pos = match.group(), match.end()
        if token == "#":
            if depth == 0:  # a comment after a one-line value ends it
                return match.start(), starts
            newline = text.find("\n", pos)
            pos = len(text) if newline < 0 else newline
            continue
        if token in _STRING_END:
            end = _STRING_END[token].match(text, pos)
            pos = end.end() if end else len(text)
        elif token in "[{":
            depth += 1
        elif token in "]}":
            depth -= 1
        if depth == 0 and token != ",":
            return pos, starts
        if depth == 1 and token in "[,":
            first = _BLANK.match(text, pos)
            at = first.end() if first else pos
            if at < len(text) and text[at] not in "],":
                starts.append(at)
    return len(text), starts


class _Scanner:
    """Walks the lines once, tracking the current table and array-of-tables indexes."""

    def __init__(self, text: str) -> None:
        # TOML ends lines at LF (or CRLF) only; str.splitlines() would also split at
        # U+2028 and friends, which may sit inside strings and comments.
        self.lines = [line.removesuffix("\r") for line in text.split("\n")]
        self.text = "\n".join(self.lines)
        self.starts = list(accumulate((len(line) + 1 for line in self.lines[:-1]), initial=0))
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

    def _value(self, index: int, rest: str) -> tuple[int, Any, list[int]]:
        """The value after `=` on line `index`: its last line, the value (None for a
        one-line scalar, whose key's line is all there is to record) and the lines its
        array elements start on."""
        stripped = rest.strip()
        if stripped[:1] not in ("[", "{") and not stripped.startswith(('"""', "'''")):
            return index, None, []
        line = self.lines[index]
        start = self.starts[index] + len(line.rstrip()) - len(rest)
        end, elements = value_span(self.text, start)
        last = bisect_right(self.starts, max(end - 1, start)) - 1
        try:
            value = tomllib.loads(f"v = {self.text[start:end]}")["v"]
        except tomllib.TOMLDecodeError:
            return last, None, []
        return last, value, [bisect_right(self.starts, at) for at in elements]

    def scan(self) -> dict[KeyPath, int]:
        index = 0
        while index < len(self.lines):
            stripped = self.lines[index].strip()
            if stripped.startswith("["):
                self._header(stripped, index + 1)
            elif stripped and not stripped.startswith("#"):
                parts, rest = _parse_key(stripped)
                if parts and rest.startswith("="):
                    end, value, element_lines = self._value(index, rest[1:])
                    path = (*self.table, *parts)
                    # The key's own line comes first; the table's header recorded its prefix.
                    _record(self.result, path, index + 1, len(self.table))
                    if isinstance(value, list) and end > index:  # each element on its line
                        for position, line in enumerate(element_lines[: len(value)]):
                            _record_value(self.result, (*path, position), value[position], line)
                    if isinstance(value, dict | list):
                        _record_value(self.result, path, value, index + 1)
                    index = end
            index += 1
        return self.result


def key_lines(text: str) -> dict[KeyPath, int]:
    """Return {key path: 1-based line} for every table, key and nested value in `text`."""
    return _Scanner(text).scan()

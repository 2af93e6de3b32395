"""Map each key path of a JSON document to its line, for findings in hand-written JSON."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from meterr_config.keypath import KeyPath

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+|\s+', re.S)


@dataclass
class _Frame:
    """An open object or array: its path, and the key or index of the next value."""

    is_object: bool
    path: KeyPath
    slot: str | int = 0


def _start_value(stack: list[_Frame], result: dict[KeyPath, int], line: int) -> KeyPath:
    """Record where the value starting here sits; move an array on to its next index."""
    if not stack:
        return ()
    frame = stack[-1]
    path = (*frame.path, frame.slot)
    result.setdefault(path, line)
    if not frame.is_object and isinstance(frame.slot, int):
        frame.slot += 1
    return path


def json_lines(text: str) -> dict[KeyPath, int]:
    """{path: 1-based line where its value starts} for a valid JSON text."""
    result: dict[KeyPath, int] = {}
    stack: list[_Frame] = []
    line = 1
    expect_key = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token.isspace():
            line += token.count("\n")
            continue
        if token in "{[":
            path = _start_value(stack, result, line)
            stack.append(_Frame(token == "{", path))
            expect_key = token == "{"
        elif token in "}]":
            stack.pop()
        elif token == ",":
            expect_key = bool(stack) and stack[-1].is_object
        elif expect_key:
            stack[-1].slot = json.loads(token)
            expect_key = False
        elif token != ":":
            _start_value(stack, result, line)
    return result

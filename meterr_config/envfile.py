"""Read `.env` files, including what `vercel env pull` writes.

`vercel env pull` writes `# Created by Vercel CLI`, then sorted `KEY="value"` lines that
escape only `\\n` and `\\r`; sensitive values come out as `[SENSITIVE]`, which means "value
unknown", never a value. Ordinary `.env` files add `export`, single quotes, unquoted values
with ` # comments`, and blank and comment lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from meterr_config.errors import InputError, Location

SENSITIVE = "[SENSITIVE]"
_BARE_NAME = re.compile(r"^(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*$")
# The value is the rest of the line; its trailing spaces are stripped with str.rstrip (the
# same Unicode spaces as `\s`): a lazy `(.*?)\s*$` would retry `\s*` from every character of
# a long run of spaces, which costs time quadratic in its length.
_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*+(.*)$")
# A quoted value, then optionally a ` # comment`, as the dotenv packages allow.
_QUOTED = {
    '"': re.compile(r'"((?:[^"\\]|\\.)*)"\s*(?:#.*)?$', re.S),
    "'": re.compile(r"'([^']*)'\s*(?:#.*)?$", re.S),
}
_BODY = re.compile(r'(?:[^"\\]|\\.)*', re.S)  # a double-quoted body, up to its closing quote
_COMMENT = re.compile(r"(?<=\s)#")  # a ` # comment` after an unquoted value
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


@dataclass(frozen=True)
class DotenvEntry:
    """One variable: its value (None when unknown, e.g. [SENSITIVE]) and its line."""

    name: str
    value: str | None
    line: int


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), text)


def _value(raw: str, where: Location) -> str:
    if raw[:1] in ('"', "'"):
        quote = raw[0]
        closed = _QUOTED[quote].match(raw)
        if closed is not None:
            body = closed.group(1)
        elif len(raw) > 1 and raw.endswith(quote):  # `'it's'`: the outer quotes, as dotenv reads it
            body = raw[1:-1]
        else:
            kind = "double" if quote == '"' else "single"
            raise InputError(f"unterminated {kind}-quoted value", where)
        return _unescape(body) if quote == '"' else body
    comment = _COMMENT.search(raw)  # `\s+#` as a split would retry from every space
    return raw if comment is None else raw[: comment.start()].rstrip()


class _QuotedValue:
    """A double-quoted value read line by line until it closes, each line scanned once,
    whatever the value's length (re-matching the text so far per line is quadratic).

    It closes as `_QUOTED['"']` says (the first unescaped quote, then only spaces or a
    comment) or when the text so far ends with a quote after its first character. A
    backslash that ends a line escapes the newline, so each line's scan starts at 0."""

    def __init__(self, first: str) -> None:
        self.lines = [first]
        self.found = False  # the first unescaped quote after the opening one
        self.closed = False
        self._scan(first, 1)

    def _scan(self, line: str, start: int) -> None:
        if not self.found:
            end = _BODY.match(line, start).end()  # type: ignore[union-attr]
            if end < len(line):  # the body stops at a quote, or at a final backslash
                self.found = line[end] == '"'
                rest = line[end + 1 :].lstrip()
                self.closed = self.found and (not rest or rest.startswith("#"))
        tail = line.rstrip()
        self.closed |= tail.endswith('"') and (len(tail) > 1 or len(self.lines) > 1)

    def add(self, line: str) -> None:
        """The next line of the value."""
        self.lines.append(line)
        self._scan(line, 0)

    def text(self) -> str:
        """The value's text, its lines joined as they were."""
        return "\n".join(self.lines)


def parse_dotenv(text: str, path: str) -> dict[str, DotenvEntry]:
    """Parse dotenv text; the last definition of a name wins, as in the dotenv packages."""
    entries: dict[str, DotenvEntry] = {}
    lines = text.removeprefix("\ufeff").split("\n")
    index = 0
    while index < len(lines):
        number, line = index + 1, lines[index].removesuffix("\r")
        index += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or _BARE_NAME.match(stripped):
            continue  # blank, comment, or a bare NAME, which the dotenv packages skip
        match = _LINE.match(line)
        where = Location(path, number)
        if match is None:
            raise InputError("not a NAME=value line", where)
        raw = match.group(2).rstrip()
        if raw[:1] == '"':
            # A double-quoted value whose first line has no closing quote goes on over
            # lines (a PEM key, say).
            quoted = _QuotedValue(raw)
            while not quoted.closed and index < len(lines):
                quoted.add(lines[index].removesuffix("\r"))
                index += 1
            raw = quoted.text()
        value: str | None = _value(raw.rstrip(), where)
        if value == SENSITIVE:
            value = None
        entries[match.group(1)] = DotenvEntry(match.group(1), value, number)
    return entries

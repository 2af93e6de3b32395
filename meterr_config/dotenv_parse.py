"""dotenv 16.3.1's `parse`, as `@next/env` 16.4.6 bundles it, for one file's text.

`parse` (node_modules/@next/env/dist/index.js) turns CR LF and a lone CR into LF, then
matches dotenv's LINE regex (flags g and m)

    (?:^|^)\\s*(?:export\\s+)?([\\w.-]+)(?:\\s*=\\s*?|:\\s+?)(\\s*'(?:\\\\'|[^'])*'
    |\\s*"(?:\\\\"|[^"])*"|\\s*`(?:\\\\`|[^`])*`|[^#\\r\\n]+)?\\s*(?:#.*)?(?:$|$)

again and again from where the last match ended. So a name is `[A-Za-z0-9_.-]+`;
`NAME: value` counts as `NAME=value`; a value quoted with ', " or ` may span lines, and
closes at the first unescaped quote after which only spaces, then a line end or a comment,
follow (else at the last escaped one that allows that; else it is no quoted value); an
unquoted value ends at the first `#`, `abc#def` included, or at the line's end. `\\s` and
the line ends are JavaScript's: U+2028 and U+2029 end a line, U+FEFF is a space. The
value is trimmed, one pair of matching quotes around it is dropped, and only when it starts
with `"` are `\\n` and `\\r` unescaped: `\\t`, `\\\\` and `\\"` stay two characters. The last
definition of a name wins, and `__proto__` is never set (it is the object's prototype).

What the regex does not match, dotenv skips without a word; `parse` returns the lines it
skipped (text that is neither blank, a comment nor part of a definition: `JWT_SECRET
sk-…`, `{"A": 1}`, a bare `NAME`) beside the definitions.

The regex backtracks quadratically on some files (an unclosed quote on each of many lines
is scanned to the end of the file each time); this port finds every quote once and picks
each closing quote by bisection, so a file costs time linear in its length.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

QUOTES = "'\"`"
# JavaScript's `\s`, which String.prototype.trim strips too: spaces and line ends.
SPACES = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
SPACES += "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_LINE_ENDS = "\n\u2028\u2029"  # once CRs are gone

_CR = re.compile(r"\r\n?")
_SPACE_RUN = re.compile(f"[{SPACES}]*")
_NAME = re.compile(r"[A-Za-z0-9_.-]+")
_UNQUOTED_END = re.compile("[#\n]")
_LINE_END = re.compile(f"[{_LINE_ENDS}]")
_QUOTE = re.compile(f"[{QUOTES}]")


@dataclass(frozen=True)
class _Match:
    """One match of the LINE regex: the name, where it starts, the value group, whether
    an unquoted value ended at a `#` no space precedes, and where the match ends."""

    name: str
    start: int
    group: str
    cut: bool
    end: int


class _Scanner:
    """The LINE regex's matches over a text whose CRs are gone, found in one pass."""

    def __init__(self, text: str) -> None:
        self.text, self.size = text, len(text)
        self.skipped: list[int] = []  # where the text of each skipped line starts
        # Per quote: where it stands unescaped, and where escaped with a tail allowed after.
        self.unescaped: dict[str, list[int]] = {quote: [] for quote in QUOTES}
        self.escaped: dict[str, list[int]] = {quote: [] for quote in QUOTES}
        for found in _QUOTE.finditer(text):
            at = found.start()
            if at == 0 or text[at - 1] != "\\":
                self.unescaped[text[at]].append(at)
            elif self.tail(at + 1) >= 0:
                self.escaped[text[at]].append(at)

    def spaces(self, at: int) -> int:
        """Where the run of spaces (and line ends) from `at` ends."""
        return _SPACE_RUN.match(self.text, at).end()  # type: ignore[union-attr]

    def tail(self, at: int) -> int:
        """Where `\\s*(?:#.*)?$` matched at `at` ends, or -1: a comment runs to its line's
        end; else the spaces must reach the end of the text or cross a line end, and the
        last line end they cross is where the match stops."""
        end = self.spaces(at)
        if end == self.size:
            return end
        if self.text[end] == "#":
            found = _LINE_END.search(self.text, end)
            return found.start() if found else self.size
        return max(self.text.rfind(line_end, at, end) for line_end in _LINE_ENDS)

    def _closing(self, quote: str, opening: int) -> int:
        """Where a value quoted at `opening` closes, or -1: at the first unescaped quote if
        a tail may follow it, else (backtracking) at the last escaped one before it that
        a tail may follow."""
        unescaped = self.unescaped[quote]
        index = bisect_right(unescaped, opening)
        first = unescaped[index] if index < len(unescaped) else self.size
        if first < self.size and self.tail(first + 1) >= 0:
            return first
        escaped = self.escaped[quote]
        index = bisect_left(escaped, first) - 1
        return escaped[index] if index >= 0 and escaped[index] > opening else -1

    def _value(self, at: int) -> tuple[str, bool, int]:
        """The value group from `at`, whether it was cut at a `#`, and where the match
        ends. Past a quoted value that does not close, the unquoted one is tried; when
        that cannot start (a `#` or a line end), the group is empty."""
        text, opening = self.text, self.spaces(at)
        if opening < self.size and text[opening] in QUOTES:
            close = self._closing(text[opening], opening)
            if close >= 0:
                return text[at : close + 1], False, self.tail(close + 1)
        end = at
        if at < self.size and text[at] not in "#\n":
            found = _UNQUOTED_END.search(text, at)
            end = found.start() if found else self.size
        cut = end < self.size and text[end] == "#" and text[end - 1] not in SPACES
        return text[at:end], cut, self.tail(end)

    def _definition(self, at: int) -> tuple[int, int] | None:
        """(where the name at `at` ends, where its value starts) when `=` or `: ` follows."""
        name = _NAME.match(self.text, at)
        if name is None:
            return None
        end = name.end()
        equals = self.spaces(end)
        if equals < self.size and self.text[equals] == "=":
            return end, equals + 1
        if self.text.startswith(":", end) and end + 1 < self.size and self.text[end + 1] in SPACES:
            return end, end + 2
        return None

    def _match(self, at: int) -> _Match | None:
        """The match whose spaces end at `at`: `export NAME=` if that reads, else `NAME=`."""
        text, found = self.text, None
        if text.startswith("export", at) and at + 6 < self.size and text[at + 6] in SPACES:
            start = self.spaces(at + 6)
            found = self._definition(start)
        if found is None:
            start, found = at, self._definition(at)
        if found is None:
            return None
        group, cut, end = self._value(found[1])
        return _Match(text[start : found[0]], start, group, cut, end)

    def _line_start(self, at: int) -> int:
        """The first line start at or after `at`, or -1."""
        if at == 0 or self.text[at - 1] in _LINE_ENDS:
            return at
        found = _LINE_END.search(self.text, at)
        return found.end() if found else -1

    def matches(self) -> Iterator[_Match]:
        """The regex's matches in order. Where none starts at a line, the next line is
        tried; a line with text that is no comment goes to `skipped`."""
        at = 0
        while 0 <= at < self.size:
            first = self.spaces(at)
            found = self._match(first) if first < self.size else None
            if found is not None:
                yield found
                at = self._line_start(found.end)
            elif first < self.size:
                if self.text[first] != "#":
                    self.skipped.append(first)
                at = self._line_start(first + 1)
            else:
                at = -1


class _Lines:
    """The line numbers of increasing positions in a text, counted as they come."""

    def __init__(self, text: str) -> None:
        self.text, self.at, self.line = text, 0, 1

    def of(self, position: int) -> int:
        self.line += self.text.count("\n", self.at, position)
        self.at = position
        return self.line


def _unquote(value: str) -> tuple[str, bool]:
    """`value.replace(/^(['"`])([\\s\\S]*)\\1$/gm, '$2')`, and whether it matched at the
    start: a quote that opens a line of the value closes at the last same quote that
    ends a line."""
    if len(value) > 1 and value[0] in QUOTES and value[-1] == value[0]:
        return value[1:-1], True
    if not any(line_end in value for line_end in _LINE_ENDS):
        return value, False
    ends = [found.start() for found in _LINE_END.finditer(value)]
    last = {value[at]: at for at in [*(end - 1 for end in ends if end), len(value) - 1]}
    out, done, at_start = [], 0, False
    for start in (0, *(end + 1 for end in ends)):
        quote = value[start : start + 1]
        if start >= done and quote and quote in QUOTES and last.get(quote, -1) > start:
            out += [value[done:start], value[start + 1 : last[quote]]]
            done, at_start = last[quote] + 1, at_start or start == 0
    return "".join([*out, value[done:]]), at_start


@dataclass(frozen=True)
class Definition:
    """A name's last definition: its line, the value dotenv's parse gives, its text as
    written, whether an unquoted value was cut at a `#` and whether a quote stays in it."""

    line: int
    value: str
    written: str
    cut: bool
    kept: bool


def _definition(match: _Match, line: int) -> Definition:
    """What dotenv's parse makes of a match: the value group trimmed, a pair of quotes
    dropped, and in a value that starts with `"`, `\\n` and `\\r` unescaped."""
    written = match.group.strip(SPACES)
    value, unquoted = _unquote(written)
    if written[:1] == '"':
        value = value.replace("\\n", "\n").replace("\\r", "\r")
    kept = bool(written) and written[0] in QUOTES and not unquoted
    return Definition(line, value, written, match.cut, kept)


def parse(text: str) -> tuple[dict[str, Definition], tuple[int, ...]]:
    """dotenv's parse: each name's last definition, and the lines it skips."""
    scanner = _Scanner(_CR.sub("\n", text))
    lines, definitions = _Lines(scanner.text), {}
    for match in scanner.matches():
        line = lines.of(match.start)
        if match.name != "__proto__":  # `object.__proto__ = "…"` sets nothing
            definitions[match.name] = _definition(match, line)
    skipped = _Lines(scanner.text)
    return definitions, tuple(skipped.of(at) for at in scanner.skipped)

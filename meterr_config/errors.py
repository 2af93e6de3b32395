"""The one error type that means "bad input": the CLI prints it on one line and exits 2."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters that would end a line or steer a terminal: C0 and C1 controls (newline, CR,
# ESC…), DEL, and Unicode's line and paragraph separators. Tab is kept: it is one line.
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")

_SPACES = re.compile("[ \t]+")


def printable(text: str) -> str:
    """`text` with every character that could break its line, or start a workflow
    command or a terminal escape on a line of its own, written as `\\n`, `\\x1b`,
    `\\u2028`…: a file name or key from a repository is shown, never obeyed."""
    return _UNPRINTABLE.sub(lambda match: repr(match.group())[1:-1], text)


@dataclass(frozen=True)
class Location:
    """Where a problem sits: a file, and a line or a dotted key path where known."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [printable(self.file)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class InputError(Exception):
    """Bad usage or bad input. Its message is a single line, never a traceback."""

    def __init__(self, message: str, location: Location | None = None, key: str | None = None):
        # Whitespace in the code's own wording is folded; anything else that would break
        # the line (a newline in a quoted file name) is escaped.
        self.message = printable(_SPACES.sub(" ", message).strip())
        self.location = location
        self.key = None if key is None else printable(key)
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """Render as `file:line: key: message`, omitting the parts that are unknown."""
        prefix = []
        if self.location is not None:
            prefix.append(str(self.location))
        if self.key:
            prefix.append(self.key)
        return ": ".join([*prefix, self.message])

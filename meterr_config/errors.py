"""The one error type that means "bad input": the CLI prints it on one line and exits 2."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where a problem sits: a file, and a line or a dotted key path where known."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class InputError(Exception):
    """Bad usage or bad input. Its message is a single line, never a traceback."""

    def __init__(self, message: str, location: Location | None = None, key: str | None = None):
        self.message = " ".join(message.split())
        self.location = location
        self.key = key
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """Render as `file:line: key: message`, omitting the parts that are unknown."""
        prefix = []
        if self.location is not None:
            prefix.append(str(self.location))
        if self.key:
            prefix.append(self.key)
        return ": ".join([*prefix, self.message])

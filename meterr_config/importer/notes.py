"""What an import tells its user: one line per change, secret, assumption or loss."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

# fixed: changed on purpose (a safety or rename fix); secret: declared, value not written;
# assumed: a default the inputs did not give; kept: carried verbatim by --passthrough;
# dropped: not carried over; refused: render would refuse it (both make the import exit 1).
NoteKind = Literal["fixed", "secret", "assumed", "kept", "dropped", "refused"]
# Keys come from the input: a newline in one must not split a report line.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
LABELS: dict[NoteKind, str] = {
    "fixed": "fixed",
    "secret": "secret",
    "assumed": "assumed",
    "kept": "kept verbatim",
    "dropped": "not carried over",
    "refused": "render would refuse it",
}


@dataclass(frozen=True)
class Note:
    """One line of the import report, about `key` (dotted, as in the input) of `file`.

    `covers` names further keys of the same file the note accounts for, such as the new
    name of a renamed key, so the render check does not report them again.
    """

    file: str
    key: str
    kind: NoteKind
    message: str
    covers: tuple[str, ...] = ()
    line_number: int | None = None

    def line(self) -> str:
        """`file[:line]: key: kind: message`, like a linter's report line."""
        where = self.file if self.line_number is None else f"{self.file}:{self.line_number}"
        where += f": {self.key}" if self.key else ""
        text = f"{where}: {LABELS[self.kind]}: {self.message}"
        return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), text)

    def explains(self, file: str, key: str) -> bool:
        """Whether a difference at `key` of `file` is this note's doing."""
        if file != self.file:
            return False
        return any(_within(key, mine) for mine in (self.key, *self.covers))


def _within(key: str, prefix: str) -> bool:
    return key == prefix or key.startswith((prefix + ".", prefix + "["))


@dataclass
class Notes:
    """The notes of one input file, in the order the import met them."""

    file: str
    lines: dict[str, int] = field(default_factory=dict)
    items: list[Note] = field(default_factory=list)

    def add(self, key: str, kind: NoteKind, message: str, covers: tuple[str, ...] = ()) -> None:
        """Record a note about `key` of this file, at the line of its nearest known key."""
        line = None
        probe = key
        while probe and (line := self.lines.get(probe)) is None:
            probe = probe[: max(probe.rfind("."), probe.rfind("["), 0)]
        self.items.append(Note(self.file, key, kind, message, covers, line))

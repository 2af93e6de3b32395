"""Read `.env` files as Next.js reads them, including what `vercel env pull` writes.

Next.js loads .env files with `@next/env` 16.4.6 (`loadEnvConfig`), which bundles
dotenv 16.3.1's `parse` and dotenv-expand's `expand`: `dotenv_parse` and `dotenv_expand`
port them, and tests/realtools/test_next_dotenv.py holds the port to the real package.
What Next.js does with several files and with the process environment is in
`dotenv_expand`'s docstring; here one file is read by itself.

What dotenv's regex does not match it skips without a word, and so does this reader: a
file Next.js loads is not bad input. The lines skipped are kept in `DotenvFile.skipped`
for ENV008 to report. Bad input (InputError, exit 2) is only what makes Next.js load
nothing from the file: an expansion that throws (a variable that refers to itself).

Each entry keeps its text as written and why Next.js reads it otherwise (`Misreading`),
for ENV008: expanded, cut at a `#`, an escape kept or dropped, a quote kept.

`vercel env pull` writes `# Created by Vercel CLI`, then sorted `KEY="value"` lines with
only `\\n` and `\\r` escaped (`escapeValue` in Vercel CLI 58.10.0). Such a file holds the
values Vercel stores and compares, so it is parsed but never expanded. A sensitive value
comes out as `[SENSITIVE]`, which means "value unknown", never a value; a CLI older than
56.3.0 wrote it as `""`, so there an empty value under a secret's name is unknown too.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass
from enum import StrEnum

from meterr_config.dotenv_expand import Expanded, ExpansionError, expand
from meterr_config.dotenv_parse import QUOTES, Definition, parse
from meterr_config.errors import InputError, Location
from meterr_config.secretshapes import names_a_secret

SENSITIVE = "[SENSITIVE]"
PULLED = "# Created by Vercel CLI"
_KEPT_ESCAPES = ("\\t", "\\\\", '\\"')


class Misreading(StrEnum):
    """Why the value Next.js reads is not the text written, as a person reads it."""

    EXPANDED = "expanded"  # a `$` reference filled with what the file does not give it
    CUT_AT_HASH = "cut at #"  # an unquoted value ends at a `#` that no space precedes
    ESCAPE_KEPT = "escape kept"  # `\t`, `\\` or `\"` in double quotes: two characters
    ESCAPE_DROPPED = "escape dropped"  # `\$` in single quotes or backticks becomes `$`
    QUOTE_KEPT = "quote kept"  # a quote that does not close stays in the value


@dataclass(frozen=True)
class DotenvEntry:
    """One variable: its value as Next.js reads it (None when unknown, e.g. [SENSITIVE]),
    the line of its last definition, the value's text as written there (quotes included;
    a secret's, so never for a message), and why the two differ."""

    name: str
    value: str | None
    line: int
    written: str = ""
    misread: tuple[Misreading, ...] = ()


@dataclass(frozen=True)
class Misread:
    """Where Next.js reads a .env file otherwise than it is written (ENV008): a variable's
    value, why, and its length as written (between its quotes) and as read; or, with no
    `name`, a line it skips."""

    path: str
    line: int
    name: str | None = None
    why: tuple[Misreading, ...] = ()
    written: int = 0
    read: int = 0


@dataclass(frozen=True)
class DotenvFile:
    """A .env file as Next.js reads it; `skipped` holds the lines it skips, `blanked` the
    secrets a `vercel env pull` file gives as `""` (read as unknown)."""

    entries: dict[str, DotenvEntry]
    skipped: tuple[int, ...] = ()
    blanked: tuple[str, ...] = ()

    def misread(self, path: str, names: Container[str] | None = None) -> tuple[Misread, ...]:
        """What Next.js reads otherwise in this file, read from `path`: the values misread
        among `names` (those that count, when other files may override; default: all),
        then the lines skipped."""
        entries = [self.entries[n] for n in self.entries if names is None or n in names]
        values = [
            Misread(path, e.line, e.name, e.misread, len(_body(e.written)), len(e.value or ""))
            for e in entries
            if e.misread
        ]
        return (*values, *(Misread(path, line) for line in self.skipped))


def _body(written: str) -> str:
    """A value's text between its quotes, when it has a pair."""
    quoted = len(written) > 1 and written[0] in QUOTES and written[-1] == written[0]
    return written[1:-1] if quoted else written


def _misread(definition: Definition, expanded: Expanded) -> tuple[Misreading, ...]:
    """How the value Next.js reads differs from the text written, as a person reads it."""
    written = definition.written
    quote = written[:1]
    found = {
        Misreading.EXPANDED: expanded.unmeant,
        Misreading.CUT_AT_HASH: definition.cut,
        Misreading.ESCAPE_KEPT: quote == '"' and any(e in written for e in _KEPT_ESCAPES),
        Misreading.ESCAPE_DROPPED: quote in ("'", "`") and "\\$" in written,
        Misreading.QUOTE_KEPT: definition.kept,
    }
    return tuple(reason for reason, there in found.items() if there)


def _pulled(text: str) -> bool:
    """Whether `vercel env pull` wrote the file: its first line is its header."""
    return text.startswith(PULLED) and text[len(PULLED) : len(PULLED) + 1] in ("", "\n", "\r")


def read_dotenv(text: str, path: str, earlier: Mapping[str, str] | None = None) -> DotenvFile:
    """The file as Next.js reads it (see the module's docstring); `path` names it in an
    error, and `earlier` holds what the files Next.js loads before it set (see
    `dotenv_expand.expand`). A `vercel env pull` file is parsed, not expanded, and
    nothing in it is misread: its values are Vercel's own."""
    definitions, skipped = parse(text)
    values = {name: definition.value for name, definition in definitions.items()}
    pulled = _pulled(text)
    try:
        literal = {n: Expanded(v, False) for n, v in values.items()}
        expanded = literal if pulled else expand(values, earlier)
    except ExpansionError as error:
        where = Location(path, definitions[error.name].line)
        raise InputError(error.why, where, error.name) from None
    blanked = [n for n, v in values.items() if pulled and v == "" and names_a_secret(n)]
    entries = {}
    for name, definition in definitions.items():
        value = expanded[name].value
        misread = () if pulled else _misread(definition, expanded[name])
        known = None if value == SENSITIVE or name in blanked else value
        entries[name] = DotenvEntry(name, known, definition.line, definition.written, misread)
    return DotenvFile(entries, skipped, tuple(blanked))


def parse_dotenv(text: str, path: str) -> dict[str, DotenvEntry]:
    """The variables of dotenv text, as Next.js reads them (see `read_dotenv`)."""
    return read_dotenv(text, path).entries

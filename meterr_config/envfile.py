"""Read `.env` files, including what `vercel env pull` writes.

`vercel env pull` writes `# Created by Vercel CLI`, then sorted `KEY="value"` lines that
escape only `\\n` and `\\r`; sensitive values come out as `[SENSITIVE]`, which means "value
unknown", never a value. Ordinary `.env` files add `export`, single quotes, unquoted values
with ` # comments`, and blank and comment lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from meterr_config.errors import InputError, Location
from meterr_config.limits import read_bounded

SENSITIVE = "[SENSITIVE]"
_BARE_NAME = re.compile(r"^(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*$")
_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$")
# A quoted value, then optionally a ` # comment`, as the dotenv packages allow.
_QUOTED = {
    '"': re.compile(r'"((?:[^"\\]|\\.)*)"\s*(?:#.*)?$', re.S),
    "'": re.compile(r"'([^']*)'\s*(?:#.*)?$", re.S),
}
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
    return re.split(r"\s+#", raw, maxsplit=1)[0]


def _closes(raw: str) -> bool:
    """Whether a double-quoted value closes on the text so far."""
    return _QUOTED['"'].match(raw) is not None or (
        len(raw.rstrip()) > 1 and raw.rstrip().endswith('"')
    )


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
        raw = match.group(2)
        # A double-quoted value whose first line has no closing quote goes on over lines
        # (a PEM key, say).
        while raw[:1] == '"' and not _closes(raw) and index < len(lines):
            raw += "\n" + lines[index].removesuffix("\r")
            index += 1
        value: str | None = _value(raw.rstrip(), where)
        if value == SENSITIVE:
            value = None
        entries[match.group(1)] = DotenvEntry(match.group(1), value, number)
    return entries


def read_dotenv(path: Path) -> dict[str, DotenvEntry]:
    """Read and parse a dotenv file; a missing or non-UTF-8 file is bad input."""
    try:
        text = read_bounded(path).decode("utf-8")
    except FileNotFoundError:
        raise InputError("file not found", Location(str(path))) from None
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text ({exc.reason})", Location(str(path), line)) from None
    return parse_dotenv(text, str(path))

"""dotenv-expand's `expand`, as `@next/env` 16.4.6 bundles it and calls it on one file.

`processEnv` in node_modules/@next/env/dist/index.js runs `expand({parsed})` on each
file's parsed values, so the expansion works in `process.env`:

- Each value is expanded in turn, in the object's key order (names that are array
  indices, `0` to `4294967294`, first and in numeric order; then the others in the order
  they were first defined). A name the process environment already holds takes that value
  instead of the file's, and every expanded value is written back into `process.env`.
- In a value, the rightmost `$` that no backslash precedes is read as `$NAME`, `${NAME}`
  or `${NAME:-default}` (the braces are each optional, `NAME` is `[A-Za-z0-9_]+`). It is
  filled with `process.env[NAME]` if that is not empty, else the default if not empty,
  else the file's value so far (expanded if its name came earlier), else nothing. The
  first occurrence of the reference's text is replaced (with `String.replace`, so `$$`,
  `$&`, `` $` `` and `$'` in the filling are replacement patterns), and the value is
  expanded again, until its rightmost unescaped `$` starts no reference. Then each `\\$`
  becomes `$`. Quotes make no difference: single-quoted values are expanded too.
- Lookups go up JavaScript's prototype chain: `$toString` is `[object Undefined]`,
  `$valueOf` throws, and a self-reference (`A=$A`) recurses until the stack runs out.
  Whatever throws makes `processEnv` log "Failed to load env from .env" and take no
  variable at all from that file.

Here the process environment is empty but for `__NEXT_PROCESSED_ENV=true`, which
`processEnv` sets just before it expands: a .env file is read for what it gives by itself,
not for what a shell on this machine would add. With several files, Next.js expands
`.env.$MODE.local`, `.env.local`, `.env.$MODE` and `.env` in that order, each with the
variables the earlier ones wrote into `process.env`, so a name an earlier file sets keeps
that file's value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from meterr_config.jsobject import key_order
from meterr_config.limits import EXPANSION_CHARACTERS, MAX_EXPANSIONS

# What `processEnv` has put in `process.env` when it calls `expand`.
PROCESS_ENV = {"__NEXT_PROCESSED_ENV": "true"}
# `process.env` inherits Object.prototype (and its own `constructor`): what `replace`
# makes of each as the filling, a function being called with `this` undefined. None: it
# throws a TypeError.
_INHERITED: dict[str, str | None] = {
    "constructor": "[object global]",
    "toString": "[object Undefined]",
    "isPrototypeOf": "false",
    "__proto__": "[object Object]",
    **dict.fromkeys(
        (
            "toLocaleString",
            "valueOf",
            "hasOwnProperty",
            "propertyIsEnumerable",
            "__defineGetter__",
            "__defineSetter__",
            "__lookupGetter__",
            "__lookupSetter__",
        )
    ),
}
_REFERENCE = re.compile(r"\$\{?([A-Za-z0-9_]+)(?::-([^}\\]*))?\}?")
_PATTERN = re.compile(r"\$[$&`']")  # what String.replace reads in a replacement string


class ExpansionError(Exception):
    """What makes Next.js load nothing from the file, for variable `name`."""

    def __init__(self, name: str, why: str) -> None:
        super().__init__(why)
        self.name, self.why = name, why


@dataclass(frozen=True)
class Expanded:
    """A value as Next.js expands it. `unmeant` is set when a reference in it was filled
    with what the file does not give it (nothing, the process's value, or a default the
    file's own value should have beaten), or at another place than where it stands."""

    value: str
    unmeant: bool


class _Budget:
    """The characters one file's expansion may read (EXPANSION_CHARACTERS)."""

    def __init__(self) -> None:
        self.left = EXPANSION_CHARACTERS

    def spend(self, name: str, characters: int) -> None:
        self.left -= characters
        if self.left < 0:
            raise ExpansionError(
                name,
                f"expanding the file's values reads more than {EXPANSION_CHARACTERS:,} "
                "characters (EXPANSION_CHARACTERS)",
            )


def expand(parsed: dict[str, str], earlier: Mapping[str, str] | None = None) -> dict[str, Expanded]:
    """The values Next.js gives for a file whose dotenv `parse` gave `parsed`, by name.

    `earlier` holds what the files Next.js loaded before this one set (it loads
    `.env.$MODE.local`, `.env.local`, `.env.$MODE`, `.env` in that order): in
    `process.env` by now, so a name they set keeps their value, and a reference to it is
    filled with it, as the files meant."""
    before = dict(earlier or {})
    process = {**PROCESS_ENV, **before}
    values = dict(parsed)
    unmeant: set[str] = set()
    budget = _Budget()
    for name in key_order(values):
        start = process.get(name, values[name])
        value, odd = _interpolate(name, start, values, budget, process, before)
        values[name] = value.replace("\\$", "$")
        if odd or name in PROCESS_ENV:
            unmeant.add(name)
    return {name: Expanded(values[name], name in unmeant) for name in parsed}


def _last_dollar(value: str) -> int:
    """Where the rightmost `$` that no backslash precedes is, or -1."""
    at = value.rfind("$")
    while at > 0 and value[at - 1] == "\\":
        at = value.rfind("$", 0, at)
    return at


def _interpolate(
    name: str,
    value: str,
    values: dict[str, str],
    budget: _Budget,
    process: Mapping[str, str],
    before: Mapping[str, str],
) -> tuple[str, bool]:
    """dotenv-expand's recursive `_interpolate`, as a loop; and whether a reference was
    filled as the file did not mean (see `Expanded`)."""
    unmeant = False
    for _ in range(MAX_EXPANSIONS):
        at = _last_dollar(value)
        found = _REFERENCE.match(value, at) if at >= 0 else None
        if found is None:
            return value, unmeant
        text, variable, default = found.group(0, 1, 2)
        filling, meant = _filling(name, variable, default, values, process, before)
        where = value.find(text)
        value = (
            value[:where] + _replacement(filling, value, where, text) + value[where + len(text) :]
        )
        unmeant |= not meant or where != at
        budget.spend(name, 2 * len(value))
    raise ExpansionError(
        name,
        f"expanding it takes more than {MAX_EXPANSIONS:,} references (MAX_EXPANSIONS), as a "
        "variable that refers to itself does: Node.js runs out of stack there, and Next.js "
        "then loads no variable from this file",
    )


def _filling(
    name: str,
    variable: str,
    default: str | None,
    values: dict[str, str],
    process: Mapping[str, str],
    before: Mapping[str, str],
) -> tuple[str, bool]:
    """What `process.env[v] || default || parsed[v] || ''` gives, and whether the files
    meant it: their own value (this file's, or an earlier file's), or a default for a
    name they leave empty or unset."""
    if process.get(variable):
        return process[variable], variable in before
    if variable in _INHERITED:
        inherited = _INHERITED[variable]
        if inherited is None:
            raise ExpansionError(
                name,
                "it refers to a name every JavaScript object inherits (valueOf, "
                "hasOwnProperty…), which throws a TypeError: Next.js then loads no variable "
                "from this file",
            )
        return inherited, False
    own = values.get(variable, "")
    if default:
        return default, not own
    return own, variable in values


def _replacement(filling: str, value: str, where: int, text: str) -> str:
    """`filling` as String.replace reads a replacement string for `text` at `where`."""
    if "$" not in filling:
        return filling
    after = where + len(text)
    patterns = {"$$": "$", "$&": text, "$`": value[:where], "$'": value[after:]}
    return _PATTERN.sub(lambda match: patterns[match.group()], filling)

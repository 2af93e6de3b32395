"""Regular expressions from input: find the ones that backtrack catastrophically, and run
the rest under a time bound.

Route `source` groups and `has`/`missing` values are regexes a pull request controls,
and Vercel and Next.js run them on every request. A nested, ambiguous repetition such as
`(a+)+` or `(\\w+\\s?)+` takes time exponential in the length of a path that almost
matches. `risk` finds these statically, from the parse tree Python's own `re` builds (its
`_parser` module), so VER010 can report them without running them. Whatever does run
here (matching a pattern against a probe path or origin) goes through `bounded_match`,
which uses the `regex` engine's timeout: Python's `re` has none.
"""

from __future__ import annotations

import importlib
import re
import string
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

_parser: Any = importlib.import_module("re._parser")  # no public API exposes the parse tree
_c: Any = importlib.import_module("re._constants")

TIMEOUT = 0.05  # seconds for one match; ordinary patterns take microseconds
MANY = 3  # an outer repetition this many times or more multiplies the ways to match
_PROBE = frozenset(string.printable + "é€\u2028")  # characters the overlap test tries
MAX_LENGTH = 1000  # longer patterns are not analysed (nor run): reported as too long
_memo: dict[tuple[str, int], Any] = {}  # per node, for one pattern: see `risk`


@contextmanager
def quietly() -> Iterator[None]:
    """Compile an input pattern without Python's FutureWarnings ("Possible nested set")
    reaching the user's terminal: the pattern is theirs, the warning about Python's."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _in_set(items: list[tuple[Any, Any]], char: str) -> bool:
    """Whether `char` is in a parsed character class `[...]`."""
    code, negate = ord(char), False
    hit = False
    for op, arg in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            hit |= code == arg
        elif op is _c.RANGE:
            hit |= arg[0] <= code <= arg[1]
        elif op is _c.CATEGORY:
            hit |= _category(arg, char)
        else:  # anything rarer: assume it may match
            hit = True
    return hit != negate


def _category(category: Any, char: str) -> bool:
    name = str(category)
    base = (
        char.isdigit()
        if "DIGIT" in name
        else char.isspace()
        if "SPACE" in name
        else (char.isalnum() or char == "_")
    )
    return base != ("NOT" in name)


def _first(items: list[tuple[Any, Any]]) -> frozenset[str]:
    """The probe characters a sequence of parsed items can start with (empty: only "")."""
    out: set[str] = set()
    for op, arg in items:
        out |= _first_of(op, arg)
        if not _nullable(op, arg):
            return frozenset(out)
    return frozenset(out)


def _first_of(op: Any, arg: Any) -> frozenset[str]:
    if op is _c.LITERAL:
        return frozenset({chr(arg)})
    if op is _c.NOT_LITERAL:
        return _PROBE - {chr(arg)}
    if op is _c.IN:
        key = ("in", id(arg))
        if key not in _memo:  # the probe characters, and the ends of the class's ranges
            ends = {chr(a) for o, v in arg if o is _c.RANGE for a in v}
            ends |= {chr(v) for o, v in arg if o is _c.LITERAL}
            _memo[key] = frozenset(c for c in _PROBE | ends if _in_set(arg, c))
        return _memo[key]  # type: ignore[no-any-return]
    if op is _c.SUBPATTERN:
        return _first(list(arg[-1]))
    if op is _c.BRANCH:
        return frozenset().union(*(_first(list(branch)) for branch in arg[1]))
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        return _first(list(arg[2]))
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return frozenset()
    return _PROBE  # ANY, back references, conditionals: assume anything


def _nullable(op: Any, arg: Any) -> bool:
    """Whether an item can match the empty string."""
    key = ("nullable", id(arg))
    if key not in _memo:
        _memo[key] = _nullable_uncached(op, arg)
    return _memo[key]  # type: ignore[no-any-return]


def _nullable_uncached(op: Any, arg: Any) -> bool:
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return True
    if op is _c.SUBPATTERN:
        return _seq_nullable(list(arg[-1]))
    if op is _c.BRANCH:
        return any(_seq_nullable(list(branch)) for branch in arg[1])
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        return arg[0] == 0 or _seq_nullable(list(arg[2]))
    return op is _c.GROUPREF


def _seq_nullable(items: list[tuple[Any, Any]]) -> bool:
    return all(_nullable(op, arg) for op, arg in items)


Inner = tuple[frozenset[str], bool, frozenset[str]]


def _inner(items: list[tuple[Any, Any]], tail: bool, after: frozenset[str]) -> list[Inner]:
    """Variable-length parts inside a repeated body: a repetition such as `a+`, or an
    alternation with an empty branch such as `(|a)`. For each: what it can start with,
    whether everything after it to the end of the body can match "", and what that
    remainder can start with (`after`, the start of whatever follows `items`)."""
    out: list[Inner] = []
    for index, (op, arg) in enumerate(items):
        rest_items = items[index + 1 :]
        rest = tail and _seq_nullable(rest_items)
        follows = _first(rest_items) | (after if _seq_nullable(rest_items) else frozenset())
        repeat = op in (_c.MAX_REPEAT, _c.MIN_REPEAT)
        if (repeat and arg[1] > arg[0]) or (op is _c.BRANCH and _nullable(op, arg)):
            out.append((_first_of(op, arg), rest, follows))
        if op is _c.SUBPATTERN:
            out += _inner(list(arg[-1]), rest, follows)
        elif op is _c.BRANCH:
            for branch in arg[1]:
                out += _inner(list(branch), rest, follows)
        elif repeat:
            out += _inner(list(arg[2]), rest, follows)
    return out


def _literal_prefix(items: list[tuple[Any, Any]]) -> str:
    prefix = ""
    for op, arg in items:
        if op is not _c.LITERAL:
            break
        prefix += chr(arg)
    return prefix


def _disjoint(left: list[tuple[Any, Any]], right: list[tuple[Any, Any]]) -> bool:
    """Two branches that can never match at the same place: their literal prefixes differ
    (`bar|baz`), or no character can start both."""
    a, b = _literal_prefix(left), _literal_prefix(right)
    if a and b and a[: len(b)] != b[: len(a)]:
        return True
    return not _first(left) & _first(right)


def _overlapping_branches(items: list[tuple[Any, Any]]) -> bool:
    """A body that is an alternation whose branches can start with the same character."""
    while len(items) == 1 and items[0][0] is _c.SUBPATTERN:
        items = list(items[0][1][-1])
    if len(items) != 1 or items[0][0] is not _c.BRANCH:
        return False
    branches = [list(branch) for branch in items[0][1][1]]
    return any(
        not _disjoint(left, right)
        for index, left in enumerate(branches)
        for right in branches[index + 1 :]
    )


def _walk(items: list[tuple[Any, Any]]) -> str | None:
    for op, arg in items:
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and arg[1] >= MANY:
            body = list(arg[2])
            if _overlapping_branches(body):
                return "a repeated alternation whose branches can match the same text"
            starts = _first(body)
            for inner, tail, follows in _inner(body, True, starts):
                # The text `inner` matches could also be matched by the next iteration
                # (`(a+)+`), or by what follows it in this one (`(.*a){20}`): either way
                # the ways to split a near-match multiply with each iteration.
                if inner & starts and (tail or inner & follows):
                    return "a repetition nested in another that can match the same text"
        for child in _children(op, arg):
            found = _walk(child)
            if found:
                return found
    return None


def _children(op: Any, arg: Any) -> list[list[tuple[Any, Any]]]:
    if op is _c.SUBPATTERN:
        return [list(arg[-1])]
    if op is _c.BRANCH:
        return [list(branch) for branch in arg[1]]
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        return [list(arg[2])]
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return [list(arg[1])]
    return []


@cache
def risk(pattern: str) -> str | None:
    """Why `pattern` can backtrack catastrophically, or None; None too when it does not
    parse (the callers report invalid patterns on their own)."""
    if len(pattern) > MAX_LENGTH:
        return f"longer than {MAX_LENGTH} characters, too long to analyse"
    try:
        with quietly():
            tree = _parser.parse(pattern)
    except (re.error, ValueError, RecursionError, OverflowError):
        return None
    _memo.clear()
    try:
        return _walk(list(tree))
    except RecursionError:
        return "nested too deeply to analyse"
    finally:
        _memo.clear()


@cache
def _compiled(pattern: str) -> Any:
    import regex  # the one engine with a timeout; loaded only when input patterns run

    try:
        with quietly():
            return regex.compile(pattern)
    except (regex.error, ValueError, OverflowError, RecursionError):
        return None


def bounded_match(pattern: str, text: str, *, full: bool = False) -> bool | None:
    """`pattern` matched at the start of `text` (or all of it), within TIMEOUT seconds.

    None when the pattern is risky (it is never run), invalid, or runs out of time: the
    caller cannot know, and must not guess a match either way.
    """
    if risk(pattern):
        return None
    compiled = _compiled(pattern)
    if compiled is None:
        return None
    try:
        found = (compiled.fullmatch if full else compiled.match)(text, timeout=TIMEOUT)
    except TimeoutError:
        return None
    return found is not None

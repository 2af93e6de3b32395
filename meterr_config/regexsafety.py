"""Regular expressions from input: find the ones that backtrack catastrophically, and run
the rest under a time bound.

Route `source` groups and `has`/`missing` values are regexes a pull request controls,
and Vercel and Next.js run them on every request. A nested, ambiguous repetition such as
`(a+)+` or `(\\w+\\s?)+` takes time exponential in the length of a path that almost
matches; adjacent repetitions that can match the same text, such as `\\w+\\w+y` or
`[^/]+-[^/]+` (path-to-regexp's `/:a-:b`), take time polynomial in it, of one degree per
repetition in the chain. `risk` finds both statically, from the parse tree Python's own `re`
builds (its `_parser` module), so VER010 can report them without running them.

Whatever does run here (matching a pattern against a probe path or origin) goes through
`bounded_match`: each pattern is analysed and compiled once, each (pattern, subject) pair is
matched once, and all matches of one run share one budget (limits.REGEX_RUN_SECONDS) on
top of each one's own (limits.REGEX_MATCH_SECONDS, with the `regex` engine's timeout:
Python's `re` has none). A match that runs out of either is "not decided"; the run keeps
count of them (`undecided`) so that lint can say so instead of passing them silently.
"""

from __future__ import annotations

import importlib
import re
import string
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from meterr_config import limits
from meterr_config.limits import REGEX_MATCH_SECONDS, REGEX_RUN_SECONDS

_parser: Any = importlib.import_module("re._parser")  # no public API exposes the parse tree
_c: Any = importlib.import_module("re._constants")

TIMEOUT = REGEX_MATCH_SECONDS  # for one match; ordinary patterns take microseconds
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
        return _class_chars(tuple(arg))
    if op is _c.SUBPATTERN:
        return _first(list(arg[-1]))
    if op is _c.BRANCH:
        return frozenset().union(*(_first(list(branch)) for branch in arg[1]))
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        return _first(list(arg[2]))
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return frozenset()
    return _PROBE  # ANY, back references, conditionals: assume anything


@cache
def _class_chars(items: tuple[tuple[Any, Any], ...]) -> frozenset[str]:
    """The probe characters a class `[...]` holds, and the ends of its ranges: once per
    distinct class, whatever the number of patterns that use it (`[^/#?]` is in all)."""
    ends = {chr(a) for o, v in items if o is _c.RANGE for a in v}
    ends |= {chr(v) for o, v in items if o is _c.LITERAL}
    return frozenset(c for c in _PROBE | ends if _in_set(list(items), c))


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


# Polynomial backtracking: a chain of unbounded repetitions, each of which can take text the
# next one would start with, with nothing between them that only one of them can match.
# `\w+\w+y` splits a run of n letters n ways between the two before `y` fails; eight such
# repetitions split it about n**7 ways. The chain's degree is its length; it counts only
# when something after its last repetition can fail (a repetition that ends the pattern
# just takes the rest). Separated by a character one side cannot match (`[a-z]+-[0-9]+`),
# the split is fixed and the chain ends.
MAX_DEGREE = 1  # a chain longer than this is reported


@dataclass(frozen=True)
class _Chain:
    """A chain so far: the characters its last repetition can take, its length, the
    characters of the fixed text after that repetition, and whether something that can
    fail came after it."""

    last: frozenset[str]
    length: int
    between: frozenset[str] = frozenset()
    failable: bool = False
    whole: bool = False  # the last repetition's body is longer than one character

    def takes(self, chars: frozenset[str], whole: bool) -> bool:
        """Whether a next repetition over `chars` can trade text with the last one: some
        text both can match, and the fixed text between them too. A body such as
        `[^/]+/` trades only whole repetitions, so all its characters must fit the other."""
        common = self.last & chars
        return (
            bool(common)
            and self.between <= common
            and (not self.whole or self.last <= chars)
            and (not whole or chars <= self.last)
        )


@dataclass
class _Degree:
    """The longest chain ending each way through a sequence, and the best one seen."""

    chains: list[_Chain] = field(default_factory=list)
    best: int = 0

    def settle(self, chains: list[_Chain]) -> None:
        self.best = max([self.best, *(c.length - (not c.failable) for c in chains)])


def _chars(op: Any, arg: Any) -> frozenset[str]:
    """The probe characters an item can consume anywhere, not only first."""
    if op is _c.SUBPATTERN:
        return frozenset().union(*(_chars(o, a) for o, a in arg[-1]))
    if op is _ATOMIC:
        return frozenset().union(*(_chars(o, a) for o, a in arg))
    if op is _c.BRANCH:
        return frozenset().union(*(_chars(o, a) for b in arg[1] for o, a in b))
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        return frozenset().union(*(_chars(o, a) for o, a in arg[2]))
    return _first_of(op, arg)


_ATOMIC = getattr(_c, "ATOMIC_GROUP", None)
_ONE_CHAR = (_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY, _c.CATEGORY)


def _one_char(body: list[tuple[Any, Any]]) -> bool:
    """A repeated body of one character class: its text splits anywhere."""
    while len(body) == 1 and body[0][0] is _c.SUBPATTERN:
        body = list(body[0][1][-1])
    return len(body) == 1 and body[0][0] in _ONE_CHAR


def _unbounded(op: Any, arg: Any) -> bool:
    """A backtracking repetition with no upper bound (`*`, `+`, `{2,}`, lazy too)."""
    return op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and arg[1] is _c.MAXREPEAT


def _extend(chains: list[_Chain], op: Any, arg: Any) -> list[_Chain]:
    """The chains after one item that is not a backtracking repetition: an assertion or
    fixed text can fail after the chain; an item that may match "" can be passed by."""
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return [_Chain(c.last, c.length, c.between, True, c.whole) for c in chains]
    if _nullable(op, arg):
        return chains
    chars = _chars(op, arg)
    return [
        _Chain(c.last, c.length, c.between | chars, True, c.whole)
        for c in chains
        if (c.between | chars) <= c.last
    ]


def _sequence(items: list[tuple[Any, Any]], state: _Degree) -> None:
    """Walk one sequence, extending `state.chains` item by item."""
    for op, arg in items:
        if op is _c.SUBPATTERN:
            _sequence(list(arg[-1]), state)
        elif op is _c.BRANCH:
            before, after = state.chains, []
            for branch in arg[1]:
                state.chains = list(before)
                _sequence(list(branch), state)
                after += state.chains
            state.chains = _prune(after)
        elif _unbounded(op, arg):
            inner = _Degree()
            _sequence(list(arg[2]), inner)  # chains inside the repeated body
            state.settle(inner.chains)
            state.best = max(state.best, inner.best)
            chars, whole = _chars(op, arg), not _one_char(list(arg[2]))
            grown = [
                _Chain(chars, c.length + 1, whole=whole)
                for c in state.chains
                if c.takes(chars, whole)
            ]
            passed = state.chains if arg[0] == 0 else []
            state.settle(_failing(state.chains, arg[0] > 0))
            state.chains = _prune([*grown, *passed, _Chain(chars, 1, whole=whole)])
        else:
            can_fail = op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT) or not _nullable(op, arg)
            state.settle(_failing(state.chains, can_fail))
            state.chains = _prune(_extend(state.chains, op, arg))


def _failing(chains: list[_Chain], can_fail: bool) -> list[_Chain]:
    """The chains as they end before an item: one that can fail (`-` after `\\w+\\w+`)
    makes every split of the chain be tried."""
    if not can_fail:
        return chains
    return [_Chain(c.last, c.length, c.between, True, c.whole) for c in chains]


def _prune(chains: list[_Chain]) -> list[_Chain]:
    """One chain per (class, separator, failable, whole): the longest; the list stays
    small, so a pattern's analysis is linear in its length."""
    best: dict[tuple[frozenset[str], frozenset[str], bool, bool], _Chain] = {}
    for chain in chains:
        key = (chain.last, chain.between, chain.failable, chain.whole)
        if key not in best or best[key].length < chain.length:
            best[key] = chain
    return list(best.values())


def degree(pattern: str, *, search: bool = False) -> int:
    """The polynomial degree of `pattern`'s backtracking on a near-match: 1 for linear
    time, N for a chain of N repetitions that can split the same text. With `search`,
    as `re.search` runs it: from every start, as if it began with a lazy `.*?`.

    0 when the pattern does not parse."""
    try:
        with quietly():
            tree = _parser.parse(("(?s:.*?)" if search else "") + f"(?:{pattern})")
    except (re.error, ValueError, RecursionError, OverflowError):
        return 0
    _memo.clear()
    try:
        return _degree(list(tree))
    finally:
        _memo.clear()


def _degree(items: list[tuple[Any, Any]]) -> int:
    state = _Degree()
    _sequence(items, state)
    state.settle(state.chains)
    return max(state.best, 1)


_REPEATS = re.compile(r"[*+{]")


@cache
def risk(pattern: str) -> str | None:
    """Why `pattern` can backtrack catastrophically, or None; None too when it does not
    parse (the callers report invalid patterns on their own)."""
    if len(pattern) > MAX_LENGTH:
        return f"longer than {MAX_LENGTH} characters, too long to analyse"
    if not _REPEATS.search(pattern):
        return None  # only `?` repeats (at most once): nothing to nest or chain
    try:
        with quietly():
            tree = _parser.parse(pattern)
    except (re.error, ValueError, RecursionError, OverflowError):
        return None
    _memo.clear()
    try:
        found = _walk(list(tree))
        chain = 0 if found else _degree(list(tree))
    except RecursionError:
        return "nested too deeply to analyse"
    finally:
        _memo.clear()
    if found or chain <= MAX_DEGREE:
        return found
    return (
        f"{chain} adjacent repetitions that can match the same text "
        f"(polynomial backtracking of degree {chain})"
    )


@cache
def _compiled(pattern: str) -> Any:
    import regex  # the one engine with a timeout; loaded only when input patterns run

    try:
        with quietly():
            return regex.compile(pattern)
    except (regex.error, ValueError, OverflowError, RecursionError):
        return None


@dataclass
class Budget:
    """One run's matches of input regexes: the seconds left, each (pattern, subject,
    full) pair's answer, and how many matches were not decided."""

    seconds: float = REGEX_RUN_SECONDS
    answers: dict[tuple[str, str, bool], bool | None] = field(default_factory=dict)
    undecided: int = 0
    runs: int = 0  # matches that reached the engine: at most one per pair


_budget = Budget()  # the command's run's (limits.start_run starts a new one)
_budget_run = -1  # which run `_budget` belongs to


def current_budget() -> Budget:
    """The budget of this run: a new command line (limits.start_run, called by the CLI
    for each run, in-process ones included) starts with a fresh one."""
    global _budget, _budget_run
    if _budget_run != limits.run_id():
        _budget, _budget_run = Budget(), limits.run_id()
    return _budget


def undecided_note(count: int) -> str:
    """What a run says of the input-regex matches it could not decide in time."""
    return (
        f"not decided: {count} match{'es' if count > 1 else ''} of route or has patterns "
        f"ran out of time ({REGEX_MATCH_SECONDS:g} s each, {REGEX_RUN_SECONDS:g} s per run); "
        "findings that depend on them may be missing"
    )


def bounded_match(pattern: str, text: str, *, full: bool = False) -> bool | None:
    """`pattern` matched at the start of `text` (or all of it), within TIMEOUT seconds
    and what is left of the run's REGEX_RUN_SECONDS.

    None when the pattern is risky (it is never run), invalid, or runs out of time: the
    caller cannot know, and must not guess a match either way. A pair asked twice is
    answered from the first time, and a match not decided for lack of time is counted in
    the run's `undecided`, so that it is reported rather than passed.
    """
    run, key = current_budget(), (pattern, text, full)
    if key in run.answers:
        return run.answers[key]
    answer = _decide(run, pattern, text, full)
    run.answers[key] = answer
    return answer


def _decide(run: Budget, pattern: str, text: str, full: bool) -> bool | None:
    if risk(pattern):
        return None
    compiled = _compiled(pattern)
    if compiled is None:
        return None
    timeout = min(TIMEOUT, run.seconds)
    if timeout <= 0:
        run.undecided += 1
        return None
    run.runs += 1
    start = time.monotonic()
    try:
        found = (compiled.fullmatch if full else compiled.match)(text, timeout=timeout)
    except TimeoutError:
        run.undecided += 1
        return None
    finally:
        run.seconds -= time.monotonic() - start
    return found is not None

"""Bounded local work (issue 16, point 4): the dotenv parser and the key-shape scan are
linear, input regexes are matched once per pair under one budget per run, and lint stays
linear in the environment's size.

No timer: each test counts work. The regexes a scan runs are wrapped, and each call is
charged the characters it was given (from `pos` to the end of its match, or of the text
when it finds nothing). A call's own cost is linear in that only when the pattern cannot
backtrack polynomially the way it is called (VER010's analysis, `regexsafety.degree`, with
`search` for an unanchored search): so each test asserts both that every pattern a scan
runs has degree 1, and that the characters charged stay within a constant times the input.
The quadratic versions fail both, at once (`OverBudget`) rather than minutes later:
`(.*?)\\s*$`, `sk-[…]*T3BlbkFJ` searched from every `sk-`, a multi-line value re-matched
as it grows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from meterr_config import dotenv_parse, envfile, regexsafety, secretshapes
from tests.conftest import Runner, big_environment


class OverBudget(AssertionError):
    """A scan did more work than its budget allows: it stops there, not minutes later."""


@dataclass
class Ledger:
    """The patterns a scan ran (with how) and the characters they were given; over the
    `limit`, or on a pattern that backtracks polynomially, the scan is stopped."""

    limit: int = 10**12
    charged: int = 0
    calls: int = 0
    ran: set[tuple[str, bool]] = field(default_factory=set)

    def admit(self, pattern: str, search: bool) -> None:
        """Before a call: a pattern that is not linear the way it is called is refused."""
        if (pattern, search) not in self.ran:
            self.ran.add((pattern, search))
            if (found := regexsafety.degree(pattern, search=search)) > 1:
                raise OverBudget(f"{pattern!r} backtracks with degree {found}")

    def charge(self, characters: int) -> None:
        self.calls += 1
        self.charged += characters
        if self.charged > self.limit:
            raise OverBudget(f"{self.charged} characters examined, over {self.limit}")


class Counted:
    """A compiled pattern that charges each call to a ledger."""

    def __init__(self, pattern: re.Pattern[str], ledger: Ledger) -> None:
        self._pattern, self._ledger = pattern, ledger
        self.pattern, self.groups, self.flags = pattern.pattern, pattern.groups, pattern.flags

    def _charge(self, search: bool, text: str, pos: int, end: int | None) -> None:
        self._ledger.admit(self._pattern.pattern, search)
        self._ledger.charge((len(text) if end is None else end) - pos)

    def _one(self, how: str, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        self._ledger.admit(self._pattern.pattern, how == "search")
        found = getattr(self._pattern, how)(text, pos, len(text) if endpos is None else endpos)
        end = found.end() if found else len(text) if endpos is None else endpos
        self._ledger.charge(end - pos)
        return found

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._one("match", text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._one("fullmatch", text, pos, endpos)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._one("search", text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[Any]:
        self._charge(True, text, pos, endpos)
        return self._pattern.finditer(text, pos, len(text) if endpos is None else endpos)

    def sub(self, repl: Any, text: str, count: int = 0) -> str:
        self._charge(True, text, 0, None)
        return self._pattern.sub(repl, text, count)

    def split(self, text: str, maxsplit: int = 0) -> list[str]:
        self._charge(True, text, 0, None)
        return self._pattern.split(text, maxsplit)


def _count(module: ModuleType, monkeypatch: pytest.MonkeyPatch, limit: int) -> Ledger:
    """Wrap every compiled pattern of `module` (and in its dicts of patterns)."""
    ledger = Ledger(limit)
    for name, value in list(vars(module).items()):
        if isinstance(value, re.Pattern):
            monkeypatch.setattr(module, name, Counted(value, ledger))
        elif (
            isinstance(value, dict)
            and value
            and all(isinstance(v, re.Pattern) for v in value.values())
        ):
            monkeypatch.setattr(module, name, {k: Counted(v, ledger) for k, v in value.items()})
    return ledger


def _module_level_re(monkeypatch: pytest.MonkeyPatch, module: ModuleType, ledger: Ledger) -> None:
    """`re.split(pattern, …)` and `re.sub(pattern, …)` written inline, charged too."""

    class _Re:
        def __getattr__(self, name: str) -> Any:
            return getattr(re, name)

        def split(self, pattern: str, text: str, maxsplit: int = 0, flags: int = 0) -> Any:
            return Counted(re.compile(pattern, flags), ledger).split(text, maxsplit)

        def sub(self, pattern: str, repl: Any, text: str, count: int = 0, flags: int = 0) -> Any:
            return Counted(re.compile(pattern, flags), ledger).sub(repl, text, count)

    monkeypatch.setattr(module, "re", _Re())


SIZE = 200_000

DOTENV = {
    "a PEM-like value over 100,000 lines": 'KEY="' + "x\n" * (SIZE // 2) + '"\n',
    "a value with 200,000 spaces inside": "KEY=a" + " " * SIZE + "b\n",
    "an unquoted value then 200,000 spaces": "KEY=a" + " " * SIZE + "\n",
    "20,000 short lines": "".join(f"K{i}=v{i}\n" for i in range(SIZE // 10)),
    # dotenv's own LINE regex scans each of these unclosed quotes to the end of the file.
    "an unclosed quote on each of 20,000 lines": "".join(f"K{i}='v\n" for i in range(SIZE // 10)),
    "100,000 escaped quotes that never close": 'KEY="' + '\\"' * (SIZE // 2) + "\n",
    "100,000 line separators, each before a quote": "KEY=a" + "\u2028'" * (SIZE // 2) + "\n",
    "200,000 spaces, then no value": "KEY=" + " " * SIZE,
}


@pytest.mark.parametrize("text", DOTENV.values(), ids=DOTENV.keys())
def test_a_200_kb_dotenv_is_parsed_in_one_pass(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger = _count(dotenv_parse, monkeypatch, 4 * len(text))
    _module_level_re(monkeypatch, dotenv_parse, ledger)
    assert envfile.parse_dotenv(text, "big.env")  # it parsed, within the budget


# Values that cost time quadratic in their length in the landed scan.
ADVERSARIAL = {
    "sk-sk-sk-": "sk-" * (SIZE // 3),
    "a.a.a.": "a." * (SIZE // 2),
    "a-a-a-": "a-" * (SIZE // 2),
    "?a?a?a": "?a" * (SIZE // 2),
    "Bearer Bearer": "Bearer " * (SIZE // 7),
    "secret!!!!x": "secret" + "!" * SIZE + "x",
    "@@@@": "@" * SIZE,
    "lines of sk-": "sk-x\n" * (SIZE // 5),
}


@pytest.mark.parametrize("value", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_adversarial_key_shapes_are_scanned_in_one_pass(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = _count(secretshapes, monkeypatch, 6 * 12 * len(value))
    scans: dict[str, Callable[[], object]] = {
        "shape_of": lambda: secretshapes.shape_of(value),
        "secret_shaped": lambda: secretshapes.secret_shaped(value),
        "shapes_in": lambda: list(secretshapes.shapes_in(value)),
        "redact_shapes": lambda: secretshapes.redact_shapes(value) == value,
        "looks_secret": lambda: secretshapes.looks_secret("PLAIN", value),
        "is_placeholder": lambda: secretshapes.is_placeholder(value),
    }
    charged: dict[str, int] = {}
    for name, scan in scans.items():
        before = ledger.charged
        scan()
        charged[name] = (ledger.charged - before) // len(value)
    # Each pass over the value is charged its length once: a handful of passes per scan.
    assert {name: n for name, n in charged.items() if n > 12} == {}


def _engine_runs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The (pattern, subject) pairs the `regex` engine matched, one entry per match."""
    runs: list[tuple[str, str]] = []
    compiled = regexsafety._compiled

    class Engine:
        def __init__(self, pattern: str, inner: Any) -> None:
            self.pattern, self.inner = pattern, inner

        def match(self, text: str, **options: Any) -> Any:
            runs.append((self.pattern, text))
            return self.inner.match(text, **options)

        def fullmatch(self, text: str, **options: Any) -> Any:
            runs.append((self.pattern, text))
            return self.inner.fullmatch(text, **options)

    def counting(pattern: str) -> Any:
        inner = compiled(pattern)
        return None if inner is None else Engine(pattern, inner)

    monkeypatch.setattr(regexsafety, "_compiled", counting)
    return runs


def _vercel_json(directory: Path, slow: list[str], probes: int, length: int = 300) -> None:
    """`probes` header rules answering an Origin-gated origin, whose path almost matches
    each `slow` source, which send Vary: Origin: CORS007 matches every pair."""
    directory.mkdir()
    gate = [{"type": "header", "key": "origin", "value": r"https://app\.example"}]
    specific = [
        {
            "source": f"/{n}" + "a" * length + "(.*)",
            "has": gate,
            "headers": [{"key": "Access-Control-Allow-Origin", "value": "https://app.example"}],
        }
        for n in range(probes)
    ]
    varies = [
        {"source": f"/:p({body})y", "headers": [{"key": "Vary", "value": "Origin"}]}
        for body in slow
    ]
    (directory / "vercel.json").write_text(json.dumps({"headers": varies + specific}))


def test_a_13_kb_vercel_json_runs_no_flagged_pattern(
    cli: Runner, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _vercel_json(workdir / "legacy", [f"\\w{{{n},}}" + "\\w+" * 11 for n in range(1, 25)], 24)
    assert (workdir / "legacy" / "vercel.json").stat().st_size >= 12_000
    runs = _engine_runs(monkeypatch)
    result = cli("lint", "dir:legacy", "--format", "json")
    findings = json.loads(result.out)["findings"]
    assert sum(f["rule"] == "VER010" for f in findings) == 24
    assert [p for p, _ in runs if "\\w+\\w+" in p] == []  # 576 rule pairs, none run


def test_slow_unflagged_patterns_share_one_budget_and_are_noted(
    cli: Runner, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Bounded repetitions are not chained by the analysis: these run, and run out of time
    # on paths of 3,000 characters; 80 pairs would take 4 s, twice the run's 2 s.
    _vercel_json(workdir / "legacy", [f"\\w{{1,{3000 + n}}}" * 8 for n in range(10)], 8, 3000)
    runs = _engine_runs(monkeypatch)
    budgets: list[regexsafety.Budget] = []

    original = regexsafety.Budget

    def kept() -> regexsafety.Budget:
        budgets.append(original())
        return budgets[-1]

    monkeypatch.setattr(regexsafety, "Budget", kept)
    result = cli("lint", "dir:legacy", "--format", "json")
    findings = json.loads(result.out)["findings"]
    [budget] = budgets  # one for the whole run
    assert len(runs) == len(set(runs)) == budget.runs  # each pair at most once
    long_paths = [pair for pair in runs if len(pair[1]) > 3000]
    assert budget.seconds <= 0  # spent
    assert len(long_paths) < 10 * 8  # so the last pairs were never run
    assert budget.undecided >= 10 * 8 - len(long_paths)
    notes = [f["message"] for f in findings if f["rule"] == "NOTE"]
    assert notes == [
        f"not decided: {budget.undecided} matches of route or has patterns ran out of time "
        "(0.05 s each, 2 s per run); findings that depend on them may be missing"
    ]


def test_lint_at_1_mb_of_hostile_values_is_linear(
    cli: Runner, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    value = "{i:04d} = '" + "a." * 2400 + "sk-" * 1600 + "'\n"
    path = big_environment(workdir, "V_" + value, 100)
    _count(secretshapes, monkeypatch, 40 * len(path.read_text()))
    result = cli("lint", "production", "--format", "json")
    assert (result.code, result.err) == (1, "")  # an OverBudget would be an internal error

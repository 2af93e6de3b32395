"""Predict the MDN HTTP Observatory score and grade of an environment before deploy.

The scanner fetches `/`, so the headers are those of every rule whose source matches `/`
without a `has`/`missing` condition (later rules override earlier ones, vercel.json before
next.config). Those headers go through our port of the grader (`observatory.py`). What no
config file decides (cookies, subresource integrity, the http→https redirect, the HSTS
preload list, the answer to the scanner's Origin, `<meta>` tags, headers set by
middleware or route handlers) is listed with the points it can still add or take, so the
prediction is a score plus a stated range, never a silent guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from meterr_config.lint.helpers import served_at
from meterr_config.lint.observatory import (
    ALGORITHM_VERSION,
    TestResult,
    analyze,
    grade,
    hsts_preloaded,
    modifiers_of,
    total,
)
from meterr_config.snapshot import Snapshot

# Tests outside the headers a config sets, with the modifiers their results can carry
# (charts.js SCORE_TABLE): (name, why it is undecided, worst, best).
OUTSIDE = (
    ("cookies", "cookies are set by the app at run time", -40, 5),
    ("subresource-integrity", "depends on the served HTML's <script> tags", -50, 5),
    ("redirection", "the http→https redirect is the platform's (Vercel sends one)", -20, 0),
    ("cross-origin-resource-sharing", "the answer to the scanner's Origin request", -50, 0),
)
# Tests whose header a <meta http-equiv> tag or middleware can still set or change.
META_TESTS = ("content-security-policy", "referrer-policy", "cross-origin-resource-policy")


@dataclass(frozen=True)
class Undecided:
    """A test or a way of setting headers that no config file decides, and the points it
    can still add (best) or take (worst) relative to the prediction."""

    test: str
    reason: str
    worst: int
    best: int
    # "outside": no header decides it; "meta": a <meta> tag can; "middleware": code can.
    kind: str = "outside"


@dataclass(frozen=True)
class Score:
    """A predicted score and grade, the test results behind it, and what is undecided."""

    environment: str
    algorithm_version: int
    score: int
    grade: str
    modifiers: tuple[tuple[int, str], ...]
    tests: tuple[TestResult, ...]
    undecided: tuple[Undecided, ...]
    lowest: int
    highest: int


def _range(test: str, current: int) -> tuple[int, int]:
    values = modifiers_of(test)
    return min(values) - current, max(values) - current


def _undecided(tests: tuple[TestResult, ...], preloaded: bool) -> list[Undecided]:
    by_name = {t.name: t for t in tests}
    out = [Undecided(name, why, worst, best) for name, why, worst, best in OUTSIDE]
    hsts = by_name["strict-transport-security"]
    if not preloaded:
        why = "a host on the HSTS preload list scores hsts-preloaded (+5) whatever it sends"
        out.append(Undecided("strict-transport-security", why, 0, 5 - hsts.modifier))
    for name in META_TESTS:
        worst, best = _range(name, by_name[name].modifier)
        why = "a <meta http-equiv> tag in the page can set it"
        out.append(Undecided(name, why, worst, best, "meta"))
    ranges = [_range(t.name, t.modifier) for t in tests]
    worst, best = sum(w for w, _ in ranges), sum(b for _, b in ranges)
    why = "middleware or a route handler can set any header"
    out.append(Undecided("*", why, worst, best, "middleware"))
    return out


def predict(snap: Snapshot, preloaded: bool | None = None) -> Score:
    """The predicted Observatory result for what `/` is served, per algorithm 6. The host
    is preloaded when every host the model declares is (`hsts_preloaded`), unless told."""
    if preloaded is None:
        preloaded = hsts_preloaded(snap.hosts)
    served = {name: [value] for name, (value, _) in served_at(snap, "/").items()}
    tests = analyze(served, preloaded)
    modifiers = [t.modifier for t in tests]
    score = total(modifiers)
    undecided = _undecided(tests, preloaded)
    # The range holds the config's headers as served and lets every test outside them (and
    # the preload list) go either way; the score only grows with each modifier, so the
    # extremes are all-worst and all-best. The <meta> and middleware rows say by how much
    # each header test could still move; they widen no range, as they are not config.
    preload = [u.best for u in undecided if u.test == "strict-transport-security"]
    lowest = total(modifiers + [w for _, _, w, _ in OUTSIDE])
    highest = total(modifiers + [b for _, _, _, b in OUTSIDE] + preload)
    shown = tuple((t.modifier, t.result) for t in tests if t.modifier)
    return Score(
        snap.name,
        ALGORITHM_VERSION,
        score,
        grade(score),
        shown,
        tests,
        tuple(undecided),
        lowest,
        highest,
    )

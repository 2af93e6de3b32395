"""Input regexes: catastrophic backtracking found without running it, the rest bounded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meterr_config.pathpattern import is_catch_all, matches, source_regex
from meterr_config.regexsafety import bounded_match, risk
from tests.conftest import Runner

NESTED = "a repetition nested in another that can match the same text"
ALTERNATION = "a repeated alternation whose branches can match the same text"

RISKY = {
    r"(a+)+": NESTED,
    r"(a*)*": NESTED,
    r"(\w+\s?)+$": NESTED,  # the classic one
    r"(a|aa)+": NESTED,  # Python factors it to a(?:|a)+: an optional part, repeated
    r"(.*a){20}": NESTED,  # the inner .* can take the a that follows it
    r"^(([a-z])+.)+[A-Z]([a-z])+$": NESTED,  # OWASP's example
    r"(x+x+)+y": NESTED,
    r"(a{1,10})*": NESTED,
    r"(\s*,\s*)*": NESTED,
    r"([a-zA-Z0-9]+[-_.]?)+@": NESTED,  # the e-mail pattern behind many CVEs
    r"(?:foo|fo|o)+": ALTERNATION,
    r"(?:xy|\w\w)+": ALTERNATION,
}

SAFE = [
    r".*",
    r"[^/]+",
    r"(?:/[^/]+)*",  # each repetition starts with a "/" the inner part cannot match
    r"(\d+\.)+",  # the "." ends each repetition
    r"https://(?:[a-z0-9-]+\.)*meterr\.ai",
    r"(?:foo|bar|baz)+",  # branches that cannot match at the same place
    r"(a+){2}",  # twice is polynomial, not catastrophic
    r"(?!api/).*",
    r"https://([a-z]+\.)?meterr\.ai",
    r"(?:[^/]+/)*[^/]+\.js",
]


@pytest.mark.parametrize(("pattern", "why"), sorted(RISKY.items()))
def test_catastrophic_patterns_are_found(pattern: str, why: str) -> None:
    assert risk(pattern) == why


@pytest.mark.parametrize("pattern", SAFE)
def test_ordinary_patterns_are_not_flagged(pattern: str) -> None:
    assert risk(pattern) is None


@pytest.mark.parametrize(
    ("source", "risky"),
    [
        ("/(.*)", False),
        ("/:path*", False),  # path-to-regexp's own repetition: separated by "/"
        ("/api/:path+", False),
        ("/docs/:path([a-z]+(?:-[a-z]+)*)", False),
        ("/docs/:path((?:[a-z]+-?)+)", True),
        ("/(.*)*", True),  # a modifier repeating a group that can hold "/"
    ],
)
def test_sources_are_judged_as_the_router_runs_them(source: str, risky: bool) -> None:
    assert bool(risk(source_regex(source))) is risky


def test_a_risky_pattern_is_never_run() -> None:
    # On a near-match this takes longer than the age of the universe with re.
    assert bounded_match(r"(a+)+$", "a" * 64 + "!") is None
    assert matches("/:x((?:a+)+)", "/" + "a" * 64 + "!") is False
    assert is_catch_all("/(.*)*") is False


def test_a_slow_pattern_the_analysis_misses_runs_out_of_time() -> None:
    # Bounded repetitions are not chained (only `*`, `+` and `{n,}` are): eight free splits
    # of 3,000 characters, not flagged, so it runs, and runs out of time.
    pattern = r"(\w{1,3000})" * 8 + "x"
    assert risk(pattern) is None
    assert bounded_match(pattern, "x" + "y" * 3000) is None


def test_bounded_match_answers_ordinary_questions() -> None:
    assert bounded_match(r"https://(.+)\.meterr\.ai", "https://app.meterr.ai", full=True)
    assert bounded_match(r"https://(.+)\.meterr\.ai", "https://evil.ai", full=True) is False
    assert bounded_match(r"(unbalanced", "x") is None
    assert matches("/api/:path*", "/api/x/y") and not matches("/api/:path*", "/web")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab()[]*+?|{}\\.,^$-0123456789wsd:=!<>P", max_size=24))
def test_risk_never_crashes_on_any_pattern(pattern: str) -> None:
    why = risk(pattern)
    assert why is None or isinstance(why, str)
    if why is not None:
        assert bounded_match(pattern, "a" * 40) is None  # and it is never run


def test_lint_reports_each_risky_pattern_at_its_key(cli: Runner, workdir: Path) -> None:
    rules = """
[[vercel.headers]]
source = "/docs/:path((?:[a-z]+-?)+)"
has = [{ type = "header", key = "origin", value = "https://(\\\\w+\\\\s?)+\\\\.com" }]
headers = { "x-robots-tag" = "noindex" }

[[vercel.redirects]]
source = "/old/:p([[a]b])"
destination = "/new"
permanent = true
"""
    path = workdir / "environments" / "production.toml"
    path.write_text(path.read_text() + rules)
    result = cli("lint", "production", "--format", "json")
    assert result.err == ""  # not even Python's FutureWarning about "[[a]b]"
    found = [
        (f["rule"], f["key"], f["message"])
        for f in json.loads(result.out)["findings"]
        if f["rule"] == "VER010"
    ]
    assert found == [
        (
            "VER010",
            "headers[1].source",
            "headers source '/docs/:path((?:[a-z]+-?)+)': " + NESTED,
        ),
        (
            "VER010",
            "headers[1].has[0].value",
            "has value 'https://(\\\\w+\\\\s?)+\\\\.com': " + NESTED,
        ),
    ]
    assert result.code == 1


def test_each_run_has_its_own_budget() -> None:
    from meterr_config import limits
    from meterr_config.regexsafety import current_budget

    limits.start_run()
    spent = current_budget()
    spent.seconds = 0.0
    assert bounded_match(r"a+b", "aab") is None  # no time left in this run
    assert (spent.undecided, spent.runs) == (1, 0)
    assert bounded_match(r"a+b", "aab") is None  # asked twice, counted once
    assert spent.undecided == 1
    limits.start_run()  # the next command line
    assert bounded_match(r"a+b", "aab") is True
    assert current_budget() is not spent

"""Our Observatory port against the published analyzer, on generated header sets.

The oracle is @mdn/mdn-http-observatory 1.4.8 (algorithm 4), pinned in tooling/observatory;
we port `main` (algorithm 6), whose recorded answers `tests/lint/test_observatory.py` checks.
Here we compare, result id and pass flag, the tests whose logic is the same in both:
X-Content-Type-Options, Referrer-Policy, Strict-Transport-Security, X-Frame-Options (main
only raised the score of `frame-ancestors` from 0 to 5) and Cross-Origin-Resource-Policy
with one value (main joins a repeated header; 1.4.8 took the first). CSP, COOP and COEP
changed between the two, so only the recording covers them.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from meterr_config.lint.observatory import analyze
from meterr_config.realtools.tools import Tools
from tests.realtools.observatory_oracle import run_observatory

COMPARED = (
    "x-content-type-options",
    "referrer-policy",
    "strict-transport-security",
    "x-frame-options",
    "cross-origin-resource-policy",
)
# Printable ASCII with the separators the parsers split on, over-represented.
_TEXT = st.text(alphabet=st.sampled_from("abcdefgimnorstxy-=;, 0123456789+'\"*:/"), max_size=24)


def _values(*known: str) -> st.SearchStrategy[str]:
    """A header value: a known spelling (often re-cased or padded) or arbitrary text."""
    spelled = st.sampled_from(known).flatmap(
        lambda v: st.sampled_from([v, v.upper(), v.lower(), f" {v} ", f"{v};"])
    )
    return st.one_of(spelled, spelled, _TEXT)


_REFERRER_TOKENS = st.sampled_from(
    [
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
        "origin",
        "origin-when-cross-origin",
        "unsafe-url",
        "no-referrer-when-downgrade",
        "NO-REFERRER",
        " unsafe-url ",
        "bogus",
        "",
    ]
)
HEADERS: dict[str, st.SearchStrategy[list[str]]] = {
    "strict-transport-security": st.lists(
        _values(
            "max-age=63072000",
            "max-age=31536000; includeSubDomains; preload",
            "max-age=15552000",
            "max-age=15551999",
            "max-age=0",
            "max-age=-1",
            "max-age=+300",
            "max-age=12abc",
            "max-age=abc",
            "max-age= 300",
            "includeSubDomains",
            "preload; max-age=300",
        ),
        min_size=1,
        max_size=2,
    ),
    "x-content-type-options": st.lists(
        _values("nosniff", "sniff", "nosniff, nosniff"), min_size=1, max_size=2
    ),
    "referrer-policy": st.lists(
        st.lists(_REFERRER_TOKENS, min_size=1, max_size=3).map(", ".join), min_size=1, max_size=2
    ),
    "x-frame-options": st.lists(
        _values("DENY", "SAMEORIGIN", "ALLOW-FROM https://a.example", "ALLOWALL"),
        min_size=1,
        max_size=2,
    ),
    "cross-origin-resource-policy": st.lists(
        _values("same-origin", "same-site", "cross-origin", "same-origin; report-to=x"),
        min_size=1,
        max_size=1,
    ),
    # Only for X-Frame-Options: policies whose frame-ancestors both versions read alike.
    "content-security-policy": st.lists(
        st.sampled_from(
            [
                "frame-ancestors 'none'",
                "default-src 'self'",
                "default-src 'none'; frame-ancestors 'self'",
            ]
        ),
        min_size=1,
        max_size=1,
    ),
}


@st.composite
def header_sets(draw: st.DrawFn) -> tuple[dict[str, list[str]], bool]:
    """A response's headers (each present or not) and whether its host is HSTS-preloaded."""
    headers = {name: draw(values) for name, values in HEADERS.items() if draw(st.booleans())}
    return headers, draw(st.integers(0, 5)) == 0


def _ours(headers: dict[str, list[str]], preloaded: bool) -> dict[str, dict[str, Any]]:
    # As the analyzer sees them: one HTTP client joins a repeated header with ", ".
    joined = {name: [", ".join(values)] for name, values in headers.items()}
    return {
        t.name: {"result": t.result, "pass": t.passed}
        for t in analyze(joined, preloaded)
        if t.name in COMPARED
    }


def test_the_oracle_is_the_pinned_analyzer(observatory: Tools) -> None:
    version, (empty,) = run_observatory(observatory, [({}, False)])
    assert version == 4
    assert empty["scan"] == {"grade": "D", "score": 30, "testsPassed": 6, "testsFailed": 4}


# One node process per example of 200 cases. No shrinking: each step would start node,
# and the failing case is printed whole anyway.
@pytest.mark.filterwarnings("ignore:Generating overly large repr")
@settings(
    max_examples=5,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cases=st.lists(header_sets(), min_size=200, max_size=200))
def test_header_tests_agree_with_the_analyzer(
    observatory: Tools, cases: list[tuple[dict[str, list[str]], bool]]
) -> None:
    _, real = run_observatory(observatory, cases)
    for (headers, preloaded), theirs in zip(cases, real, strict=True):
        expected = {
            name: {"result": theirs["tests"][name]["result"], "pass": theirs["tests"][name]["pass"]}
            for name in COMPARED
        }
        assert _ours(headers, preloaded) == expected, f"headers={headers} preloaded={preloaded}"

"""The Observatory prediction on served headers: each expected (score, grade) below is what
mdn/mdn-http-observatory main (algorithm 6) computed for the same headers, via
bench/observatory/score.mjs, not a hand calculation."""

from __future__ import annotations

from dataclasses import replace

import pytest

from meterr_config.lint.score import predict
from tests.lint.snaps import SECURE, base, hdr


def score_of(headers: dict[str, str]) -> tuple[int, str]:
    snap = base(vercel={"headers": [hdr("/(.*)", headers)]})
    result = predict(snap)
    return result.score, result.grade


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, (30, "D")),
        (
            {**SECURE, "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'"},
            (120, "A+"),
        ),
        ({**SECURE, "Content-Security-Policy": "default-src 'self' 'unsafe-eval'"}, (100, "A+")),
        (
            {
                **SECURE,
                "Strict-Transport-Security": "max-age=600",
                "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
            },
            (105, "A+"),
        ),
        (
            {
                **SECURE,
                "Strict-Transport-Security": "max-age=600",
                "X-Content-Type-Options": "",
                "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
            },
            (85, "A-"),
        ),
        (
            {
                **SECURE,
                "Referrer-Policy": "unsafe-url",
                "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
            },
            (105, "A+"),
        ),
    ],
)
def test_scores(headers: dict[str, str], expected: tuple[int, str]) -> None:
    assert score_of(headers) == expected


def test_bonuses_only_count_from_90() -> None:
    low = {k: v for k, v in SECURE.items() if k != "Strict-Transport-Security"}
    low["Content-Security-Policy"] = "default-src 'none'"
    assert score_of(low) == (80, "B+")  # 100 - 20 HSTS; the +15 bonus does not apply


def test_headers_on_one_path_only_do_not_count() -> None:
    snap = base(vercel={"headers": [hdr("/admin", SECURE)]})
    assert predict(replace(snap)).grade == "D"


def test_rules_that_match_the_root_count_not_only_catch_alls() -> None:
    snap = base(vercel={"headers": [hdr("/", SECURE)]})
    assert predict(snap).score == score_of(SECURE)[0]


def test_the_prediction_states_what_config_cannot_decide() -> None:
    result = predict(base(vercel={"headers": [hdr("/(.*)", SECURE)]}))
    assert result.algorithm_version == 6
    names = [u.test for u in result.undecided]
    assert names[:4] == [
        "cookies",
        "subresource-integrity",
        "redirection",
        "cross-origin-resource-sharing",
    ]
    assert "strict-transport-security" in names  # the preload list
    assert result.lowest <= result.score <= result.highest
    preloaded = predict(base(vercel={"headers": [hdr("/(.*)", SECURE)]}), preloaded=True)
    assert "strict-transport-security" not in [u.test for u in preloaded.undecided]

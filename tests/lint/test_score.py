"""The Observatory prediction follows the published modifiers and the bonus rule."""

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
        ({}, (30, "D")),  # -25 CSP, -20 HSTS, -20 framing, -5 nosniff
        (
            {**SECURE, "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'"},
            (115, "A+"),
        ),  # 100 + 10 default-src none + 5 private referrer
        # -10 unsafe-eval leaves 90, so the private-referrer bonus (+5) applies
        ({**SECURE, "Content-Security-Policy": "default-src 'self' 'unsafe-eval'"}, (95, "A")),
        (
            {
                **SECURE,
                "Strict-Transport-Security": "max-age=600",
                "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
            },
            (95, "A"),
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
            (95, "A"),
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

"""The MDN HTTP Observatory's header tests and grader, ported from mdn/mdn-http-observatory
`main` (algorithm 6): `src/analyzer/tests/*.js`, `src/grader/charts.js` (SCORE_TABLE,
GRADE_CHART, MINIMUM_SCORE_FOR_EXTRA_CREDIT) and `src/scanner/index.js` (`analyzeScan`).

Input is what the scanner's response to `/` carries: {lower-case header name: [values]}.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from meterr_config.lint.observatory_csp import csp_test

ALGORITHM_VERSION = 6
MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90
SIX_MONTHS = 15552000
SCORE_TABLE = {
    "csp-implemented-with-no-unsafe-default-src-none": 10,
    "csp-implemented-with-no-unsafe": 5,
    "csp-implemented-with-unsafe-inline-in-style-src-only": 0,
    "csp-implemented-with-insecure-scheme-in-passive-content-only": -10,
    "csp-implemented-with-unsafe-eval": -10,
    "csp-implemented-with-unsafe-inline": -20,
    "csp-implemented-with-insecure-scheme": -20,
    "csp-header-invalid": -25,
    "csp-not-implemented": -25,
    "csp-not-implemented-but-reporting-enabled": -25,
    "csp-implemented-but-duplicate-directives": 0,
    "referrer-policy-private": 5,
    "referrer-policy-not-implemented": 0,
    "referrer-policy-unsafe": -5,
    "referrer-policy-header-invalid": -5,
    "hsts-preloaded": 5,
    "hsts-implemented-max-age-at-least-six-months": 0,
    "hsts-implemented-max-age-less-than-six-months": -10,
    "hsts-not-implemented": -20,
    "hsts-header-invalid": -20,
    "x-content-type-options-nosniff": 0,
    "x-content-type-options-not-implemented": -5,
    "x-content-type-options-header-invalid": -5,
    "x-frame-options-implemented-via-csp": 5,
    "x-frame-options-sameorigin-or-deny": 5,
    "x-frame-options-allow-from-origin": 0,
    "x-frame-options-not-implemented": -20,
    "x-frame-options-header-invalid": -20,
    "corp-header-invalid": -5,
    "corp-implemented-with-cross-origin": 0,
    "corp-implemented-with-same-origin": 10,
    "corp-implemented-with-same-site": 10,
    "corp-not-implemented": 0,
    "coep-implemented-with-require-corp": 10,
    "coep-implemented-with-credentialless": 10,
    "coep-implemented-with-unsafe-none": 0,
    "coep-not-implemented": 0,
    "coep-header-invalid": -5,
    "coop-implemented-with-same-origin": 10,
    "coop-implemented-with-same-origin-allow-popups": 10,
    "coop-implemented-with-noopener-allow-popups": 10,
    "coop-implemented-with-unsafe-none": 0,
    "coop-not-implemented": 0,
    "coop-header-invalid": -5,
}
# The tests a response's headers decide, in the scanner's order.
HEADER_TESTS = (
    "content-security-policy",
    "cross-origin-embedder-policy",
    "cross-origin-opener-policy",
    "cross-origin-resource-policy",
    "referrer-policy",
    "strict-transport-security",
    "x-content-type-options",
    "x-frame-options",
)
# Each test's result ids start with its prefix in SCORE_TABLE.
PREFIX = {
    "content-security-policy": "csp-",
    "cross-origin-embedder-policy": "coep-",
    "cross-origin-opener-policy": "coop-",
    "cross-origin-resource-policy": "corp-",
    "referrer-policy": "referrer-policy-",
    "strict-transport-security": "hsts-",
    "x-content-type-options": "x-content-type-options-",
    "x-frame-options": "x-frame-options-",
}
GRADE_CHART = {
    100: "A+", 95: "A", 90: "A", 85: "A-", 80: "B+", 75: "B", 70: "B", 65: "B-", 60: "C+",
    55: "C", 50: "C", 45: "C-", 40: "D+", 35: "D", 30: "D", 25: "D-",
}  # fmt: skip
GOOD_REFERRERS = ("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin")
BAD_REFERRERS = ("origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade")
# RFC 8941 sf-token, optionally with parameters: what `parseItem` accepts as a Token.
_KEY = r"[a-z*][a-z0-9_.*-]*"
_BARE = r'(?:[A-Za-z*][!#$%&\'*+\-.^_`|~0-9A-Za-z:/]*|-?[0-9]+(?:\.[0-9]+)?|"[^"\\]*"|\?[01])'
_TOKEN = re.compile(rf"([A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*)(?:;\s*{_KEY}(?:={_BARE})?)*")

Headers = dict[str, list[str]]


@dataclass(frozen=True)
class TestResult:
    """One analyzer test's outcome: its result id, score modifier and pass flag."""

    name: str
    result: str
    modifier: int
    passed: bool


def sf_token(value: str) -> str | None:
    """The token of a structured-field item (`same-origin; report-to="x"`), else None."""
    match = _TOKEN.fullmatch(value.strip(" "))
    return match.group(1) if match else None


def _first(headers: Headers, name: str) -> str | None:
    values = headers.get(name) or []
    return values[0] if values else None


def hsts_max_age(value: str) -> float | None:
    """The `max-age` the grader reads from a Strict-Transport-Security value, or None for
    a header it calls invalid (no `max-age`, or a comma: the header was sent twice). NaN
    when `max-age=` has no leading digits (Number.parseInt), which the grader takes as
    at least six months, since NaN < x is false."""
    data = value[:1024]
    max_age: float | None = None
    for parameter in (p.strip().lower() for p in data.split(";")):
        if parameter.startswith("max-age="):
            digits = re.match(r"\s*[+-]?\d+", parameter[8:128])
            max_age = int(digits.group()) if digits else float("nan")
    return None if "," in data else max_age


def _hsts(headers: Headers, preloaded: bool) -> tuple[str, bool]:
    result = "hsts-not-implemented"
    value = _first(headers, "strict-transport-security")
    if value is not None:
        result = "hsts-header-invalid"
        max_age = hsts_max_age(value)
        if max_age is not None:
            less = max_age < SIX_MONTHS
            result = f"hsts-implemented-max-age-{'less-than' if less else 'at-least'}-six-months"
    if preloaded:
        result = "hsts-preloaded"
    return result, result in ("hsts-implemented-max-age-at-least-six-months", "hsts-preloaded")


def _xfo(headers: Headers, frame_ancestors: bool) -> tuple[str, bool]:
    value = _first(headers, "x-frame-options")
    if value:
        xfo = value[:1024].strip().lower()
        if xfo in ("deny", "sameorigin"):
            result = "x-frame-options-sameorigin-or-deny"
        elif xfo.startswith("allow-from"):
            result = "x-frame-options-allow-from-origin"
        else:
            result = "x-frame-options-header-invalid"
    else:
        result = "x-frame-options-not-implemented"
    if frame_ancestors:
        result = "x-frame-options-implemented-via-csp"
    return result, not result.endswith(("not-implemented", "header-invalid"))


def _nosniff(headers: Headers) -> tuple[str, bool]:
    value = _first(headers, "x-content-type-options")
    if not value:
        return "x-content-type-options-not-implemented", False
    if value[:256].strip().lower() == "nosniff":
        return "x-content-type-options-nosniff", True
    return "x-content-type-options-header-invalid", False


def _referrer(headers: Headers) -> tuple[str, bool]:
    values = headers.get("referrer-policy") or []
    if not values:
        return "referrer-policy-not-implemented", True
    valid = [t.strip().lower() for t in ", ".join(values).split(",")]
    known = [t for t in valid if t in GOOD_REFERRERS + BAD_REFERRERS]
    policy = known[-1] if known else ""
    if policy in GOOD_REFERRERS:
        return "referrer-policy-private", True
    if policy in BAD_REFERRERS:
        return "referrer-policy-unsafe", False
    return "referrer-policy-header-invalid", False


def _corp(headers: Headers) -> tuple[str, bool]:
    joined = ", ".join(headers.get("cross-origin-resource-policy") or [])
    if not joined:
        return "corp-not-implemented", True
    value = joined[:256].strip().lower()
    if value in ("same-site", "same-origin", "cross-origin"):
        return f"corp-implemented-with-{value}", True
    return "corp-header-invalid", False


def _policy(headers: Headers, name: str, prefix: str, known: tuple[str, ...]) -> tuple[str, bool]:
    values = headers.get(name) or []
    if len(values) > 1:
        return f"{prefix}-header-invalid", False
    if not values or not values[0]:
        return f"{prefix}-not-implemented", True
    token = sf_token(values[0][:1024].strip())
    if token in known:
        return f"{prefix}-implemented-with-{token}", True
    return f"{prefix}-header-invalid", False


def analyze(headers: Headers, preloaded: bool = False) -> tuple[TestResult, ...]:
    """Every header test of the scanner on one response's headers (lower-case names).

    Values are taken as a client receives them: without leading or trailing spaces and
    tabs (RFC 9110 section 5.5; the analyzer's axios trims them too)."""
    headers = {name: [v.strip(" \t") for v in values] for name, values in headers.items()}
    csp = csp_test(
        headers.get("content-security-policy") or [],
        report_only=bool(_first(headers, "content-security-policy-report-only")),
    )
    outcomes = {
        "content-security-policy": (csp.result, csp.passed),
        "cross-origin-embedder-policy": _policy(
            headers,
            "cross-origin-embedder-policy",
            "coep",
            ("require-corp", "credentialless", "unsafe-none"),
        ),
        "cross-origin-opener-policy": _policy(
            headers,
            "cross-origin-opener-policy",
            "coop",
            ("same-origin", "same-origin-allow-popups", "noopener-allow-popups", "unsafe-none"),
        ),
        "cross-origin-resource-policy": _corp(headers),
        "referrer-policy": _referrer(headers),
        "strict-transport-security": _hsts(headers, preloaded),
        "x-content-type-options": _nosniff(headers),
        "x-frame-options": _xfo(headers, bool(csp.directives.get("frame-ancestors"))),
    }
    return tuple(
        TestResult(name, result, SCORE_TABLE[result], passed)
        for name, (result, passed) in outcomes.items()
    )


# Top-level domains on the HSTS preload list browsers ship, subdomains included (Chromium's
# net/http/transport_security_state_static.json; hstspreload.org): Google's gTLDs. Every
# *.vercel.app deployment is under `.app` (Vercel's encryption page: "Support for HSTS").
PRELOADED_TLDS = frozenset({"app", "dev", "page"})


def hsts_preloaded(hosts: tuple[str, ...]) -> bool:
    """Whether every one of these hosts is HSTS-preloaded (known offline: only by its TLD)."""
    return bool(hosts) and all(h.rsplit(".", 1)[-1] in PRELOADED_TLDS for h in hosts)


def modifiers_of(test: str) -> tuple[int, ...]:
    """The modifiers a header test's results can carry (the preload list aside: no header
    puts a host on it)."""
    return tuple(
        m for r, m in SCORE_TABLE.items() if r.startswith(PREFIX[test]) and r != "hsts-preloaded"
    )


def grade(score: int) -> str:
    """`getGradeForScore`: round down to a multiple of 5, cap at 100."""
    key = min(max(score, 0) - max(score, 0) % 5, 100)
    return GRADE_CHART.get(key, "F")


def total(modifiers: list[int]) -> int:
    """`analyzeScan`'s score: bonuses count only when the score without them is >= 90."""
    uncurved = 100 + sum(m for m in modifiers if m < 0)
    with_credit = 100 + sum(modifiers)
    return max(with_credit if uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT else uncurved, 0)

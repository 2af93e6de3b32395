"""Predict the MDN HTTP Observatory score and grade from the headers every path is served.

Covers the header tests (CSP, HSTS, framing, nosniff, Referrer-Policy) with Observatory's
modifiers; tests that need a live site (redirects, cookies, SRI, HSTS preload) are not
predicted. Bonuses count only when the score without them is at least 90.
"""

from __future__ import annotations

from dataclasses import dataclass

from meterr_config.lint.helpers import served_everywhere
from meterr_config.snapshot import Snapshot

GRADES = (
    (100, "A+"),
    (90, "A"),
    (85, "A-"),
    (80, "B+"),
    (70, "B"),
    (65, "B-"),
    (60, "C+"),
    (50, "C"),
    (45, "C-"),
    (40, "D+"),
    (30, "D"),
    (25, "D-"),
    (0, "F"),
)
PRIVATE_REFERRERS = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
UNSAFE_REFERRERS = {"unsafe-url", "no-referrer-when-downgrade"}
HALF_YEAR = 15552000


@dataclass(frozen=True)
class Score:
    """A predicted score, its grade and the modifiers that made it."""

    environment: str
    score: int
    grade: str
    modifiers: tuple[tuple[int, str], ...]


def csp_directives(value: str) -> dict[str, str]:
    """{directive: its sources} of a CSP header value."""
    out: dict[str, str] = {}
    for part in value.split(";"):
        name, _, sources = part.strip().partition(" ")
        if name:
            out.setdefault(name.lower(), sources.strip().lower())
    return out


def _csp(value: str | None) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    if value is None:
        return [(-25, "Content-Security-Policy missing")], []
    directives = csp_directives(value)
    scripts = directives.get("script-src", directives.get("default-src"))
    penalties: list[tuple[int, str]] = []
    if scripts is None or "'unsafe-inline'" in scripts:
        penalties.append(
            (-20, "CSP allows inline scripts (no script-src/default-src, or 'unsafe-inline')")
        )
    elif "'unsafe-eval'" in scripts:
        penalties.append((-10, "CSP allows 'unsafe-eval'"))
    bonus = [(10, "CSP default-src 'none'")] if directives.get("default-src") == "'none'" else []
    return penalties, bonus


def _hsts(value: str | None) -> list[tuple[int, str]]:
    if value is None:
        return [(-20, "Strict-Transport-Security missing")]
    digits = "".join(c for c in value.lower().split("max-age=")[-1].split(";")[0] if c.isdigit())
    if not digits or int(digits) < HALF_YEAR:
        return [(-10, "HSTS max-age under six months")]
    return []


def predict(snap: Snapshot) -> Score:
    """The predicted Observatory result for the headers served on every path."""
    served = {name: value for name, (value, _) in served_everywhere(snap).items()}
    penalties, bonuses = _csp(served.get("content-security-policy"))
    penalties += _hsts(served.get("strict-transport-security"))
    csp = csp_directives(served.get("content-security-policy", ""))
    if "frame-ancestors" not in csp and served.get("x-frame-options", "").upper() not in (
        "DENY",
        "SAMEORIGIN",
    ):
        penalties.append((-20, "no X-Frame-Options or CSP frame-ancestors"))
    if served.get("x-content-type-options", "").lower() != "nosniff":
        penalties.append((-5, "X-Content-Type-Options: nosniff missing"))
    referrer = served.get("referrer-policy", "").split(",")[-1].strip().lower()
    if referrer in UNSAFE_REFERRERS:
        penalties.append((-5, f"Referrer-Policy {referrer} is unsafe"))
    elif referrer in PRIVATE_REFERRERS:
        bonuses.append((5, f"Referrer-Policy {referrer} is private"))
    score = max(0, 100 + sum(delta for delta, _ in penalties))
    if score >= 90:
        score += sum(delta for delta, _ in bonuses)
    else:
        bonuses = []
    grade = next(letter for floor, letter in GRADES if score >= floor)
    return Score(snap.name, score, grade, tuple(penalties + bonuses))

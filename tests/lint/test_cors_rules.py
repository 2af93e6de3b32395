"""The CORS rules case by case, per the Fetch standard's CORS protocol and the severity
policy of docs/rules.md."""

from __future__ import annotations

import pytest

from meterr_config.lint.engine import BY_ID, lint
from meterr_config.snapshot import Snapshot
from tests.lint.snaps import base, hdr

CORS = tuple(rule for rule_id, rule in BY_ID.items() if rule_id.startswith("CORS"))
GATE = [{"type": "header", "key": "origin", "value": r"https://app\.meterr\.ai"}]


def with_rules(*rules: dict[str, object]) -> Snapshot:
    return base(next_routes={"headers": list(rules)})


def findings(snap: Snapshot) -> list[tuple[str, str]]:
    return [(f.rule, f.severity) for f in lint([snap], rules=CORS)]


@pytest.mark.parametrize(
    ("source", "severity"),
    [
        ("/api/(.*)", "error"),
        ("/(.*)", "error"),  # a catch-all answers the API too
        ("/fonts/(.*)", "warning"),
        ("/_next/static/(.*)", "warning"),
        ("/:all*(svg|jpg|png)", "warning"),
        ("/(.*).woff2", "warning"),
        ("/embed/(.*)", "error"),
    ],
)
def test_wildcard_origin_is_a_warning_on_static_files_only(source: str, severity: str) -> None:
    snap = with_rules(hdr(source, {"Access-Control-Allow-Origin": "*"}))
    assert findings(snap) == [("CORS001", severity)]
    (finding,) = lint([snap], rules=CORS)
    assert ("usual for public static files" in finding.message) == (
        source not in ("/api/(.*)", "/(.*)", "/embed/(.*)")
    )


def test_a_static_origin_on_every_response_needs_no_vary() -> None:
    snap = with_rules(hdr("/api/(.*)", {"Access-Control-Allow-Origin": "https://app.meterr.ai"}))
    assert findings(snap) == []


def test_an_origin_that_depends_on_the_request_needs_vary() -> None:
    gated = hdr("/api/(.*)", {"Access-Control-Allow-Origin": "https://app.meterr.ai"}, GATE)
    assert findings(with_rules(gated)) == [("CORS007", "error")]
    assert findings(with_rules(hdr("/api/(.*)", {"Vary": "Origin"}), gated)) == []
    # Two origins for one path (one gated rule each, or a plain one beside a gated one).
    other = hdr("/api/(.*)", {"Access-Control-Allow-Origin": "https://staging.meterr.ai"})
    assert [r for r, _ in findings(with_rules(other, gated))] == ["CORS007", "CORS007"]
    # Two unconditional rules: the last one wins, the same for every request.
    plain = hdr("/api/:path*", {"Access-Control-Allow-Origin": "https://app.meterr.ai"})
    assert findings(with_rules(other, plain)) == []


def test_credentials_make_wildcards_literal() -> None:
    snap = with_rules(
        hdr(
            "/api/(.*)",
            {
                "Access-Control-Allow-Origin": "https://app.meterr.ai",
                "Access-Control-Allow-Credentials": "true",
                "Access-Control-Allow-Methods": "*",
            },
        )
    )
    (finding,) = lint([snap], rules=CORS)
    assert (finding.rule, finding.severity) == ("CORS004", "warning")
    assert "literally" in finding.message
    star = with_rules(
        hdr(
            "/api/(.*)",
            {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Credentials": "true"},
        )
    )
    assert ("CORS004", "error") in findings(star)


def test_a_non_ascii_origin_never_matches() -> None:
    snap = with_rules(hdr("/api/(.*)", {"Access-Control-Allow-Origin": "https://bücher.example"}))
    (finding,) = lint([snap], rules=CORS)
    assert finding.rule == "CORS006"
    assert "xn--bcher-kva.example" in finding.message


def test_a_long_preflight_cache_is_info() -> None:
    snap = with_rules(
        hdr(
            "/api/(.*)",
            {
                "Access-Control-Allow-Origin": "https://app.meterr.ai",
                "Access-Control-Max-Age": "600000",
            },
        )
    )
    assert findings(snap) == [("CORS009", "info")]

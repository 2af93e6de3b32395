"""What Next.js prints when it refuses a config, made one line without the config's values;
and the status a run reports when a check could not run."""

from __future__ import annotations

from meterr_config.findings import Finding, Severity, status
from meterr_config.realtools.nextcheck import invalid_routes

# What loadCustomRoutes printed (console.error) before process.exit(1), Next.js 16.4.6.
HEADER_SOURCE = (
    "\nError parsing `/*` https://nextjs.org/docs/messages/invalid-route-source\n"
    "Reason: Unexpected MODIFIER at 1, expected END\n\n  /*\n   ^\n\n"
    '`source` parse failed for route {"source":"/*","headers":[{"key":"Authorization",'
    '"value":"Bearer sk-live-do-not-print"}]}\nError: Invalid header found'
)
VALUE_MISSING = (
    '`value` in header item must be string for route {"source":"/:path*","headers":'
    '[{"key":"Access-Control-Allow-Origin"}]}\n\n\nError: Invalid header found'
)


def test_a_refused_route_is_named_by_its_source_never_its_headers() -> None:
    line = invalid_routes(HEADER_SOURCE)
    assert line == (
        "Invalid header found: `source` parse failed for route '/*' "
        "(Unexpected MODIFIER at 1, expected END)"
    )
    assert "sk-live" not in line and "Authorization" not in line


def test_each_refused_route_is_listed() -> None:
    assert invalid_routes(f"{VALUE_MISSING}\n{VALUE_MISSING}") == (
        "Invalid header found: `value` in header item must be string for route '/:path*'; "
        "`value` in header item must be string for route '/:path*'"
    )
    assert invalid_routes("Error: Invalid rewrite found") == "Invalid rewrite found"


def _finding(rule: str, severity: Severity) -> Finding:
    return Finding(rule, severity, "m")


def test_a_check_that_could_not_run_is_incomplete_never_pass() -> None:
    assert status([]) == "pass"
    assert status([_finding("HDR001", Severity.WARNING)]) == "pass"
    assert status([_finding("NEXT007", Severity.WARNING)]) == "incomplete"
    assert status([_finding("NEXT007", Severity.WARNING), _finding("X", Severity.ERROR)]) == "fail"


def test_next_s_value_warnings_are_read_with_their_key_paths() -> None:
    from meterr_config.realtools.nextcheck import config_warnings

    messages = [
        "⚠ Invalid next.config.ts options detected: ",
        '⚠     Expected object, received boolean at "experimental.serverActions"',
        "⚠     Unrecognized key(s) in object: 'eslint'",
        "⚠     Unrecognized key(s) in object: 'images' at \"experimental\"",
        "⚠ See more info here: https://nextjs.org/docs/messages/invalid-next-config",
        '⚠ something else at "x"',
    ]
    doc = {"messages": [{"level": "warn", "text": text} for text in messages]}
    assert config_warnings(doc) == (
        (("experimental", "serverActions"), "Expected object, received boolean"),
    )

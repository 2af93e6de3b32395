"""The HDR rules' severities and messages, case by case (docs/rules.md, severity policy).

A missing header is a warning, one that turns a protection off an error, and what the
platform or middleware may still provide is info; a config that sets no security header
at all gets one HDR008 note instead of a finding per header.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from meterr_config.lint.engine import BY_ID, lint
from meterr_config.lint.score import predict
from meterr_config.snapshot import Snapshot
from tests.lint.snaps import SECURE, base, hdr, with_vercel

B = base()
HDR = tuple(BY_ID[r] for r in ("HDR001", "HDR002", "HDR003", "HDR004", "HDR005", "HDR008"))


def findings(snap: Snapshot) -> list[tuple[str, str]]:
    return [(f.rule, f.severity) for f in lint([snap], rules=HDR)]


def served(**headers: str | None) -> Snapshot:
    """The base snapshot with SECURE's headers changed (None drops one)."""
    values = {**SECURE, **headers}
    return with_vercel(B, headers=[hdr("/(.*)", {k: v for k, v in values.items() if v})])


def test_a_config_without_security_headers_gets_one_note() -> None:
    crons_only = with_vercel(B, headers=[])
    assert findings(crons_only) == [("HDR008", "info")]
    (note,) = lint([crons_only], rules=HDR)
    assert "middleware" in note.message


def test_a_missing_header_is_a_warning_once_some_are_set() -> None:
    assert findings(served(**{"X-Content-Type-Options": None})) == [("HDR001", "warning")]
    assert findings(
        served(**{"X-Frame-Options": None, "Content-Security-Policy": "default-src 'self'"})
    ) == [("HDR002", "warning")]


def test_headers_of_an_i18n_config_apply_to_every_path() -> None:
    # Next.js resolves `/:path*` with i18n to a locale-prefixed source; `/` is `/en`.
    source = r"/:nextInternalLocale(en|fr\-CA)/:path*"
    localised = base(vercel={"headers": []}, next_routes={"headers": [hdr(source, SECURE)]})
    assert findings(localised) == []


def test_a_missing_header_is_placed_beside_the_headers_the_config_sets() -> None:
    """A vercel.json with only crons and a next.config with the headers: the finding
    points at next.config's headers, not at a vercel.json key that does not exist."""
    partial = {k: v for k, v in SECURE.items() if k != "X-Content-Type-Options"}
    snap = base(vercel={"crons": []}, next_routes={"headers": [hdr("/(.*)", partial)]})
    (finding,) = lint([snap], rules=HDR)
    assert (finding.rule, finding.artifact) == ("HDR001", snap.next_file)
    both = base(
        vercel={"headers": [hdr("/a", {"X-Frame-Options": "DENY"})]},
        next_routes={"headers": [hdr("/(.*)", partial)]},
    )
    assert [f.artifact for f in lint([both], rules=HDR)] == ["vercel.json"]


def test_a_next_config_that_could_not_load_hides_no_missing_header() -> None:
    partial = replace(
        served(**{"X-Content-Type-Options": None, "X-Frame-Options": None}),
        unreadable=frozenset({"next.config"}),
    )
    assert findings(partial) == []  # what next.config adds is unknown (a NOTE says so)
    assert (
        findings(replace(with_vercel(B, headers=[]), unreadable=frozenset({"next.config"}))) == []
    )


def test_a_missing_referrer_policy_is_info() -> None:
    (finding,) = lint([served(**{"Referrer-Policy": None})], rules=HDR)
    assert (finding.rule, finding.severity) == ("HDR003", "info")
    assert "strict-origin-when-cross-origin" in finding.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("origin", [("HDR003", "warning")]),  # the grader: referrer-policy-unsafe
        ("unsafe-url, no-referrer", []),  # the last policy a browser knows counts
        ("no-referrer, unsafe-url", [("HDR003", "warning")]),
        ("no-referrer, bogus", []),
        ("bogus", [("HDR003", "warning")]),  # ignored by browsers: the grader's invalid
    ],
)
def test_referrer_policy_is_read_as_the_grader_reads_it(
    value: str, expected: list[tuple[str, str]]
) -> None:
    assert findings(served(**{"Referrer-Policy": value})) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("max-age=63072000; includeSubDomains; preload", []),
        ("max-age=31536000", []),
        ("max-age=15552000", [("HDR004", "warning")]),  # six months: under one year
        ("max-age=600", [("HDR004", "error")]),  # shortened below the grader's six months
        ("max-age=0", [("HDR004", "error")]),  # turns HSTS off
        ("includeSubDomains", [("HDR004", "error")]),  # no max-age: ignored
        ("max-age=63072000, max-age=63072000", [("HDR004", "error")]),  # sent twice
        ("max-age=abc", [("HDR004", "error")]),
    ],
)
def test_hsts_errors_only_where_the_config_turns_it_off_or_shortens_it(
    value: str, expected: list[tuple[str, str]]
) -> None:
    assert findings(served(**{"Strict-Transport-Security": value})) == expected


def test_missing_hsts_is_info_and_nothing_on_vercel_app_hosts() -> None:
    missing = served(**{"Strict-Transport-Security": None})
    (finding,) = lint([missing], rules=HDR)
    assert (finding.rule, finding.severity) == ("HDR004", "info")
    assert "max-age=63072000" in finding.message
    assert findings(replace(missing, hosts=("meterr-staging.vercel.app",))) == []
    # A custom domain outside a preloaded TLD still cannot be decided here.
    assert findings(replace(missing, hosts=("x.vercel.app", "app.meterr.ai"))) == [
        ("HDR004", "info")
    ]


def test_the_score_takes_vercel_app_hosts_as_preloaded() -> None:
    missing = served(**{"Strict-Transport-Security": None})
    assert "strict-transport-security" in [u.test for u in predict(missing).undecided]
    on_vercel = predict(replace(missing, hosts=("meterr-staging.vercel.app",)))
    hsts = {t.name: t for t in on_vercel.tests}["strict-transport-security"]
    assert (hsts.result, hsts.modifier) == ("hsts-preloaded", 5)
    assert "strict-transport-security" not in [u.test for u in on_vercel.undecided]


def test_a_conflict_is_one_warning_per_vercel_json_entry_and_value() -> None:
    vercel = [hdr("/(.*)", {**SECURE, "Cache-Control": "public, max-age=31536000"})]
    nexts = [hdr(s, {"Cache-Control": "public, max-age=3600"}) for s in ("/a", "/b", "/c")]
    snap = base(vercel={"headers": vercel}, next_routes={"headers": nexts})
    found = lint([snap], rules=(BY_ID["HDR006"],))
    assert [(f.rule, f.severity) for f in found] == [("HDR006", "warning")]

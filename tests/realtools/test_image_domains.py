"""`import` carries `images.domains` as `remotePatterns`: for generated domain lists and
image URLs, Next.js 16.4.6's own `hasRemoteMatch` (next/dist/shared/lib/
match-remote-pattern.js) allows exactly the same URLs with the imported patterns as with
the domains. 200 generated lists per run, judged by one Node process."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meterr_config.importer.next_config import import_next
from meterr_config.importer.notes import Notes
from meterr_config.realtools.tools import Tools
from tests.realtools.judge import judge

pytestmark = pytest.mark.realtool

JUDGE = """
const { hasRemoteMatch } = require(
  process.argv[1] + '/node_modules/next/dist/shared/lib/match-remote-pattern.js');
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const parsed = (url) => { try { return new URL(url); } catch { return null; } };
process.stdout.write(JSON.stringify(cases.map(({ domains, patterns, urls }) =>
  urls.map(parsed).map((url) => url === null ? [false, false] :
    [hasRemoteMatch(domains, [], url), hasRemoteMatch([], patterns, url)]))));
"""
LABEL = st.text("abc0-", min_size=1, max_size=3)
HOST = st.lists(LABEL, min_size=1, max_size=3).map(".".join)
URL = st.tuples(
    st.sampled_from(["https", "http"]),
    HOST,
    st.sampled_from(["", ":8080"]),
    st.text("/ab.", max_size=4),
).map(lambda p: f"{p[0]}://{p[1]}{p[2]}/{p[3]}")


def _imported(domains: list[str]) -> list[dict[str, Any]] | None:
    notes = Notes("next.config.js")
    tables = import_next({"userConfig": {"images": {"domains": domains}}}, notes, False, (16, 4))
    images = tables["nextjs"].get("images")
    return None if images is None else list(images["remote_patterns"])


def test_imported_remote_patterns_allow_what_the_domains_allowed(tools: Tools) -> None:
    cases: list[dict[str, Any]] = []

    @settings(max_examples=200, database=None, deadline=None)
    @given(st.lists(HOST, min_size=1, max_size=3), st.lists(URL, min_size=1, max_size=4))
    def collect(domains: list[str], urls: list[str]) -> None:
        patterns = _imported(domains)
        if patterns is not None:  # a host name the URL parser would rewrite is left out
            cases.append({"domains": domains, "patterns": patterns, "urls": urls})
            cases.append(
                {"domains": domains, "patterns": patterns, "urls": [f"https://{domains[0]}/a.png"]}
            )

    collect()
    assert len(cases) >= 100
    answers = judge(tools, JUDGE, str(tools.root), cases)
    differ = [
        (case["domains"], url, pair)
        for case, pairs in zip(cases, answers, strict=True)
        for url, pair in zip(case["urls"], pairs, strict=True)
        if pair[0] != pair[1]
    ]
    assert differ == []
    assert any(pair[0] for pairs in answers for pair in pairs)  # some URLs are allowed

"""The legacy URL parser against Node.js's own `url.parse(text, true)`: for generated
destinations, the hostname, pathname, query and hash are Node's (500 per run), so VER006
reads a destination's parameters from the parts Vercel's routing utilities read."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meterr_config.legacyurl import UrlError, parse, query_values
from meterr_config.realtools.tools import Tools
from tests.realtools.judge import judge

pytestmark = pytest.mark.realtool

JUDGE = """
const url = require('url');
process.emitWarning = () => {};
const inputs = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(inputs.map((text) => {
  try {
    const p = url.parse(text, true);
    const query = {};
    for (const [k, v] of Object.entries(p.query)) query[k] = Array.isArray(v) ? v : [v];
    return { hostname: p.hostname, pathname: p.pathname, query, hash: p.hash,
             values: Object.values(p.query).map((v) => Array.isArray(v) ? v[0] : v) };
  } catch (e) { return { error: true }; }
})));
"""
PIECES = st.sampled_from(
    [
        "https://",
        "http://",
        "HTTPS://",
        "//",
        "x:",
        "mailto:",
        "/",
        "a",
        "B",
        "b.c",
        ":id",
        ":1x",
        "@",
        "u:p@",
        "%",
        "%41",
        "%zz",
        "?",
        "&",
        "=",
        "#",
        "\\\\",
        " ",
        "{",
        "}",
        "[::1]",
        ":8080",
        "(",
        ")",
        "+",
        ";",
        "'",
        "é",
        "0",
        "1",
        "..",
    ]
)
URLS = st.lists(PIECES, max_size=8).map("".join)


def test_parse_splits_urls_as_node_does(tools: Tools) -> None:
    inputs: list[str] = []

    @settings(max_examples=500, database=None, deadline=None)
    @given(URLS)
    def collect(text: str) -> None:
        inputs.append(text)

    collect()
    inputs += ["https://:sub.example.com/x", "https://a.b:sub.c/x", "/x?1=a&b=c&0=d#h"]
    differ = []
    for text, theirs in zip(inputs, judge(tools, JUDGE, str(tools.root), inputs), strict=True):
        try:
            mine = dataclasses.asdict(parse(text))
            mine["values"] = query_values(parse(text).query)
        except UrlError:
            mine = {"error": True}
        if mine != theirs:
            differ.append((text, mine, theirs))
    assert differ[:5] == []

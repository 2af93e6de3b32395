"""VER005 and route matching against path-to-regexp 6.1.0 itself, the version the Vercel
CLI bundles and compiles every source with (routing-utils `sourceToRegex`: `strict`,
`sensitive`, delimiter "/"). For generated sources, our port refuses exactly what the
package refuses, with its message, and builds the same regex (600 sources per run)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meterr_config.pathpattern import PatternError, check_source, js_to_python, source_regex
from meterr_config.realtools.tools import Tools
from tests.realtools.judge import judge

pytestmark = pytest.mark.realtool

# The copy @vercel/node depends on: the same release the CLI's bundle inlines.
PACKAGE = "node_modules/@vercel/node/node_modules/path-to-regexp"
JUDGE = """
const p2r = require(process.argv[1]);
const sources = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(sources.map((s) => {
  try {
    const r = p2r.pathToRegexp(s, [], { strict: true, sensitive: true, delimiter: '/' });
    return { ok: true, src: r.source };
  } catch (e) { return { ok: false, error: e.message }; }
})));
"""
PIECES = [
    "/",
    "a",
    "b-c",
    ".",
    ":id",
    ":id?",
    ":id*",
    ":id+",
    "(.*)",
    "(\\d+)",
    "([a-z]+)",
    "([a-z]/)",
    "\\d",
    "(?:a|b)",
    "(?<n>x)",
    "*",
    "+",
    "?",
    "{",
    "}",
    "{/:x}",
    "{-:y}?",
    "(",
    ")",
    "\\\\",
    "\\\\.",
    ":",
    "%20",
    "é",
    "#",
    "'",
    "^",
    "$",
    "[",
    "]",
]
SOURCES = st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map(lambda p: "/" + "".join(p))


def _judged(tools: Tools, sources: list[str]) -> list[dict[str, Any]]:
    version = json.loads((tools.root / PACKAGE / "package.json").read_text())["version"]
    assert version == "6.1.0"
    return judge(tools, JUDGE, str(tools.root / PACKAGE), sources)


def _ours(source: str) -> dict[str, Any]:
    try:
        check_source(source)
    except PatternError as exc:
        return {"ok": False, "error": str(exc)}
    try:
        return {"ok": True, "src": source_regex(source)}
    except PatternError as exc:  # a body Python's re refuses as JavaScript's does
        return {"ok": False, "error": str(exc)}


def _same(ours: dict[str, Any], theirs: dict[str, Any]) -> bool:
    if ours["ok"] != theirs["ok"]:
        return False
    if not ours["ok"]:  # a RegExp error is worded by each engine; the parser's are equal
        return bool(
            theirs["error"].startswith("Invalid regular expression")
            or ours["error"] == theirs["error"]
        )
    # RegExp.source escapes every "/", which means the same in a Python pattern
    return bool(ours["src"].replace("\\/", "/") == js_to_python(theirs["src"]).replace("\\/", "/"))


def test_ver005_refuses_and_matches_as_path_to_regexp_does(tools: Tools) -> None:
    sources: list[str] = []

    @settings(max_examples=600, database=None, deadline=None)
    @given(SOURCES)
    def collect(source: str) -> None:
        sources.append(source)

    collect()
    sources += ["/old/*", "/a/{b", "/a/b}", "/:path*", "/(.*)", "/blog/:slug{/:page}?"]
    theirs = _judged(tools, sources)
    differ = [
        (s, _ours(s), t) for s, t in zip(sources, theirs, strict=True) if not _same(_ours(s), t)
    ]
    assert differ == []

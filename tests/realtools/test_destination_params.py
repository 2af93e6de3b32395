"""VER006 against the platforms' own checks: for generated next.config redirects, Next.js
16.4.6's `checkCustomRoutes` refuses ("`destination` has segments not in `source` or
`has`") exactly the routes VER006 reports as errors (3 configs of 60 routes per run); for
400 generated vercel.json redirects per run, `vercel build`'s `getTransformedRoutes`
refuses exactly the ones VER006 errs on, naming a parameter it names."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from meterr_config.lint.engine import BY_ID, lint
from meterr_config.realtools.nextcheck import probe
from meterr_config.realtools.tools import Tools
from tests.lint.snaps import base
from tests.realtools.judge import judge

pytestmark = pytest.mark.realtool

SOURCES = ["/a/:slug", "/b/:id/:slug", "/c/(.*)", "/d/:path*", "/e"]
DESTINATIONS = ["/x/:slug", "/x/:id", "/x/:host", "/x/:tenant", "/x?q=:id", "/x#:slug", "/x"]
HAS = [
    [],
    [{"type": "host", "value": "(?<tenant>[a-z]+)\\.example\\.com"}],
    [{"type": "header", "key": "id"}],
    [{"type": "host", "value": "example.com"}],
]


def _routes(seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    routes = []
    for n in range(60):  # the number makes each source unique, to tell the routes apart
        route = {
            "source": f"/r{n}{rng.choice(SOURCES)}",
            "destination": rng.choice(DESTINATIONS),
            "permanent": True,
        }
        if has := rng.choice(HAS):
            route["has"] = has
        routes.append(route)
    return routes


@pytest.mark.parametrize("seed", [17, 3, 99])
def test_ver006_errors_are_next_s_refusals(tools: Tools, tmp_path: Path, seed: int) -> None:
    routes = _routes(seed)
    (tmp_path / "next.config.js").write_text(
        f"module.exports = {{ async redirects() {{ return {json.dumps(routes)}; }} }};\n"
    )
    doc = probe(tools, tmp_path)
    assert not doc["ok"]
    refused = {r["source"] for r in routes if f"for route '{r['source']}'" in doc["error"]}
    assert refused  # the generator still makes some
    snap = base(next_routes={"redirects": routes}, next_file="next.config.js")
    ours = {
        routes[int(f.key.split("[")[1].split("]")[0])]["source"]
        for f in lint([snap], rules=(BY_ID["VER006"],))
        if f.severity == "error" and f.key
    }
    assert ours == refused


# vercel build's own route check: getTransformedRoutes of the routing utilities the CLI
# bundles (the chunk that holds routing-utils/dist/superstatic.js exports it).
VERCEL_JUDGE = """
(async () => {
  const fs = require('fs'), path = require('path');
  const dir = path.join(process.argv[1], 'node_modules/vercel/dist/chunks');
  const marker = '"../routing-utils/dist/superstatic.js"';
  const chunk = fs.readdirSync(dir).find((name) =>
    fs.readFileSync(path.join(dir, name), 'utf8').includes(marker));
  const routing = (await import(path.join(dir, chunk))).require_dist2();
  process.emitWarning = () => {};
  const routes = JSON.parse(fs.readFileSync(0, 'utf8'));
  process.stdout.write(JSON.stringify(routes.map((route) => {
    const { error } = routing.getTransformedRoutes({ redirects: [route] });
    return error ? error.message : null;
  })));
})();
"""
HOSTS = [
    "",
    "https://x.com",
    "https://:sub.example.com",
    "https://a.b:id.c",
    "https://u:p@h.com",
    "https://(x).com",
]
PATHS = ["/x/:slug", "/:id", "/y", "/:1x", "/y/\\:id", "/x/(.*)", "/:id(\\d+)", "/{:slug}?"]
QUERIES = ["", "?q=:id", "?q=:slug&r=:tenant", "?q=%3Aid", "?a=1&a=:id", "?1=:host&b=(", "?q=\\:id"]
HASHES = ["", "#:id", "#top"]
VERCEL_HAS = [
    *HAS,
    [{"type": "query", "key": "tenant"}],
    [{"type": "header", "key": "id", "value": "x"}],
    [{"type": "cookie", "key": "sub"}],
]


def _vercel_routes(count: int) -> list[dict[str, Any]]:
    rng = random.Random(count)
    routes = []
    for _ in range(count):
        destination = "".join(rng.choice(part) for part in (HOSTS, PATHS, QUERIES, HASHES))
        route = {"source": rng.choice(SOURCES), "destination": destination, "permanent": True}
        if has := rng.choice(VERCEL_HAS):
            route["has"] = has
        routes.append(route)
    return routes


def test_ver006_errors_in_vercel_json_are_vercel_build_s_refusals(tools: Tools) -> None:
    """For 400 generated vercel.json redirects, VER006 errs exactly where vercel build's
    getTransformedRoutes refuses, on the parameter it names; what it passes gets at most
    a warning (a parameter in the hash, which Vercel leaves as written)."""
    routes = _vercel_routes(400)
    theirs = judge(tools, VERCEL_JUDGE, str(tools.root), routes)
    assert sum(t is not None for t in theirs) > 50  # the generator makes both kinds
    differ = []
    for route, refusal in zip(routes, theirs, strict=True):
        snap = base(vercel={"redirects": [route]})
        found = lint([snap], rules=(BY_ID["VER006"],))
        errors = {
            f.message.split(",")[0].removeprefix("destination uses :")
            for f in found
            if f.severity == "error"
        }
        named = refusal.split('segment ":')[1].split('"')[0] if refusal else None
        if (named is None) != (not errors) or (named is not None and named not in errors):
            differ.append(
                (route["source"], route["destination"], route.get("has"), refusal, errors)
            )
    assert differ == []

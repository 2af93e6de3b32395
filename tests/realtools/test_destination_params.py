"""VER006 against Next.js 16.4.6 itself: for generated next.config redirects, Next's
`checkCustomRoutes` refuses ("`destination` has segments not in `source` or `has`")
exactly the routes VER006 reports as errors: 3 configs of 60 routes per run."""

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

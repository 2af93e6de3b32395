"""Run the pinned MDN HTTP Observatory analyzer (tooling/observatory) on header sets.

The oracle of the differential tests: `tooling/observatory/probe.mjs` grades each case with
the package's own tests, grader and `test/helpers.js` requests, in one node process.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from meterr_config.realtools.tools import Tools
from tests.conftest import ROOT

PROBE = ROOT / "tooling" / "observatory" / "probe.mjs"
PACKAGE = Path("node_modules") / "@mdn" / "mdn-http-observatory"


def run_observatory(
    tools: Tools, cases: list[tuple[dict[str, list[str]], bool]]
) -> tuple[int, list[dict[str, Any]]]:
    """The analyzer's algorithm version and, per (headers, preloaded) case, its tests and scan."""
    with tempfile.TemporaryDirectory(prefix="observatory-") as folder:
        path = Path(folder) / "cases.json"
        path.write_text(json.dumps([{"headers": h, "preloaded": p} for h, p in cases]))
        args = [tools.node, str(PROBE), str(tools.root / PACKAGE), str(path)]
        done = tools.run(args, cwd=Path(folder), timeout=120)
    if done.returncode != 0:
        raise AssertionError(f"observatory probe failed: {done.stderr[-2000:]}")
    out = json.loads(done.stdout)
    return out["algorithmVersion"], out["cases"]

#!/usr/bin/env python3
"""Benchmark: what deepdiff costs where meterr-config uses it, the detail of changed lists.

Measures, medians over several alternating runs:
- the keyed diff of 2,000 header rules and 2,000 redirects (bench/diff_large.py's state),
  whose changes are all plain values: no detail is computed and deepdiff is not imported;
- a diff whose changes are lists (50 functions' `regions`, a legacy `routes` array of 500
  rules with 5 edited), with the detail and with it turned off;
- importing deepdiff, in a fresh interpreter, against an empty one.

Usage: python bench/diff_detail.py [RUNS]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from copy import deepcopy
from pathlib import Path
from typing import Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

from diff_large import changed, state

from meterr_config.diff import engine
from meterr_config.snapshot import Snapshot

KNOWS = frozenset({"vercel.json"})


def lists() -> tuple[dict[str, Any], dict[str, Any]]:
    """Two vercel.json documents whose differences are all inside lists."""
    left = {
        "functions": {f"api/f{i}.js": {"regions": ["iad1", "sfo1", "fra1"]} for i in range(50)},
        "routes": [{"src": f"/r/{i}", "dest": f"/d/{i}"} for i in range(500)],
    }
    right = deepcopy(left)
    for config in right["functions"].values():
        config["regions"] = ["iad1", "fra1", "cdg1"]
    for i in (3, 100, 250, 400, 499):
        right["routes"][i]["dest"] = f"/moved/{i}"
    return left, right


def seconds(action: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def startup(code: str, runs: int) -> float:
    return seconds(lambda: subprocess.run([sys.executable, "-c", code], check=True), runs)


def main(runs: int) -> int:
    big_left, big_right = state(), None
    big_right = changed(big_left)
    big = (
        Snapshot(name="l", source="dir", vercel=big_left, knows=KNOWS),
        Snapshot(name="r", source="dir", vercel=big_right, knows=KNOWS),
    )
    left_doc, right_doc = lists()
    small = (
        Snapshot(name="l", source="dir", vercel=left_doc, knows=KNOWS),
        Snapshot(name="r", source="dir", vercel=right_doc, knows=KNOWS),
    )
    sys.modules.pop("deepdiff", None)
    plain = seconds(lambda: engine.diff(*big), runs)
    print(
        f"plain values, 2,000 + 2,000 rules:   {plain * 1000:8.1f} ms  (deepdiff imported: "
        f"{'yes' if 'deepdiff' in sys.modules else 'no'})"
    )
    with_detail = seconds(lambda: engine.diff(*small), runs)
    with mock.patch.object(engine, "detail", lambda old, new: ()):
        without = seconds(lambda: engine.diff(*small), runs)
    found = engine.diff(*small)
    lines = sum(len(c.detail) for c in found)
    print(
        f"51 changed lists, with the detail:   {with_detail * 1000:8.1f} ms  ({lines} detail lines)"
    )
    print(f"51 changed lists, without it:        {without * 1000:8.1f} ms")
    print(
        "cost of the detail per changed list: "
        f"{(with_detail - without) / len(found) * 1000:8.2f} ms"
    )
    empty = startup("pass", runs)
    loaded = startup("import deepdiff", runs)
    print(
        f"importing deepdiff:                  {(loaded - empty) * 1000:8.1f} ms "
        "(paid only when a list or table changed)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 7))

#!/usr/bin/env python3
"""Benchmark: diff two states of 2,000 header rules and 2,000 redirects with 10 changes.

Prints wall time and peak memory (tracemalloc) for meterr-config's keyed diff and for a
plain DeepDiff(ignore_order=True) on the same two vercel.json documents, and the ratios.
Medians over several alternating runs. Usage: python bench/diff_large.py [RUNS]
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from copy import deepcopy
from typing import Any

from deepdiff import DeepDiff

from meterr_config.diff.engine import diff
from meterr_config.snapshot import Snapshot

RULES = 2000


def state() -> dict[str, Any]:
    headers = [
        {
            "source": f"/section/{i}/(.*)",
            "headers": [
                {"key": "Cache-Control", "value": f"max-age={i}"},
                {"key": "X-Section", "value": str(i)},
            ],
        }
        for i in range(RULES)
    ]
    redirects = [
        {"source": f"/old/{i}", "destination": f"/new/{i}", "permanent": i % 2 == 0}
        for i in range(RULES)
    ]
    return {"framework": "nextjs", "headers": headers, "redirects": redirects}


def changed(doc: dict[str, Any]) -> dict[str, Any]:
    """Ten changes: 4 header values, 3 redirect destinations, 1 removal, 1 addition, 1 move."""
    doc = deepcopy(doc)
    for i in (10, 500, 1200, 1999):
        doc["headers"][i]["headers"][0]["value"] = "no-store"
    for i in (3, 700, 1500):
        doc["redirects"][i]["destination"] = f"/moved/{i}"
    del doc["redirects"][42]
    doc["redirects"].append({"source": "/brand-new", "destination": "/x", "permanent": True})
    doc["headers"].insert(0, doc["headers"].pop(1000))  # moved: not a change when keyed
    doc["framework"] = "other"
    return doc


def measure(action: Callable[[], Any]) -> tuple[float, float, Any]:
    tracemalloc.start()
    start = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return elapsed, peak, result


def main(runs: int) -> int:
    left_doc = state()
    right_doc = changed(left_doc)
    left = Snapshot(name="left", source="dir", vercel=left_doc, knows=frozenset({"vercel.json"}))
    right = Snapshot(name="right", source="dir", vercel=right_doc, knows=frozenset({"vercel.json"}))
    ours: list[tuple[float, float]] = []
    peer: list[tuple[float, float]] = []
    changes: Any = None
    for _ in range(runs):  # alternate, so both see the same machine state
        elapsed, peak, changes = measure(lambda: diff(left, right))
        ours.append((elapsed, peak))
        elapsed, peak, _ = measure(lambda: DeepDiff(left_doc, right_doc, ignore_order=True))
        peer.append((elapsed, peak))
    our_time = statistics.median(t for t, _ in ours)
    peer_time = statistics.median(t for t, _ in peer)
    our_mem = statistics.median(m for _, m in ours)
    peer_mem = statistics.median(m for _, m in peer)
    verdict = "pass" if len(changes) == 10 else "FAIL"
    print(f"changes reported: {len(changes)} of the 10 made: {verdict}")
    for change in changes:
        print(f"  {change.kind:8} {' > '.join(change.path)}")
    print(f"meterr-config diff : {our_time * 1000:8.1f} ms  peak {our_mem:7.1f} MiB")
    print(f"DeepDiff ignore_order: {peer_time * 1000:8.1f} ms  peak {peer_mem:7.1f} MiB")
    print(
        f"ratio (ours / DeepDiff): time {our_time / peer_time:.3f}  memory {our_mem / peer_mem:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))

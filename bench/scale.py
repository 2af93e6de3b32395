#!/usr/bin/env python3
"""Scale: `render`, `check` and `lint` on 200 and 400 synthetic environments (bench/synth.py:
300 variables, 200 header rules, 100 redirects, 20 crons and 10 function globs each).

Targets: each command under 10 s on 200 environments; the time for 400 between 1.7 and
2.3 times the time for 200 (linear); peak memory under 300 MB. Sizes alternate within
each run; medians are printed. Then one environment of 1 MB (the most meterr-config reads),
bulked up two ways (bench/bounded.py): `lint` and `check` each under 15 s.
Usage: python bench/scale.py [RUNS]   (default 5)
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from bounded import HEADERS, ROOT, TABLES
from measure import run, target
from synth import generate

SIZES = (200, 400)
COMMANDS = {
    "render": ["render", "--out", "generated"],
    "check": ["check", "--out", "generated"],
    "lint": ["lint", "--format", "json"],
}


def main(runs: int) -> bool:
    exe = str(Path(sys.executable).parent / "meterr-config")
    with tempfile.TemporaryDirectory(prefix="meterr-scale-") as scratch:
        roots = {size: Path(scratch) / str(size) for size in SIZES}
        for size, root in roots.items():
            generate(root, size)
        times: dict[tuple[str, int], list[float]] = {}
        peaks: dict[tuple[str, int], float] = {}
        for _ in range(runs):
            for name, args in COMMANDS.items():
                for size, root in roots.items():
                    if name == "render":  # every render writes all the files afresh
                        shutil.rmtree(root / "generated", ignore_errors=True)
                    seconds, peak = run([exe, *args], root)
                    times.setdefault((name, size), []).append(seconds)
                    peaks[(name, size)] = max(peaks.get((name, size), 0.0), peak)
    ok = True
    for name in COMMANDS:
        small, large = (statistics.median(times[(name, size)]) for size in SIZES)
        ok &= target(f"{name}: 200 environments < 10 s", f"{small:.2f} s", small < 10)
        ratio = large / small
        ok &= target(
            f"{name}: time(400) / time(200) in 1.7-2.3",
            f"{ratio:.2f} ({large:.2f} s / {small:.2f} s)",
            1.7 <= ratio <= 2.3,
        )
        peak = max(peaks[(name, size)] for size in SIZES)
        ok &= target(f"{name}: peak memory < 300 MB", f"{peak:.0f} MB", peak < 300)
    return ok & megabyte(runs)


def megabyte(runs: int) -> bool:
    """`lint` and `check` on one 1 MB environment: 18,000 [env.X] tables, 9,000 header rules."""
    exe = str(Path(sys.executable).parent / "meterr-config")
    ok = True
    for what, make in (("[env.X] tables", TABLES), ("header rules", HEADERS)):
        with tempfile.TemporaryDirectory(prefix="meterr-scale-mb-") as scratch:
            root = Path(scratch)
            shutil.copytree(ROOT / "environments", root / "environments")
            make(root)
            run([exe, "render", "--out", "generated"], root)
            for name, args in (("lint", COMMANDS["lint"]), ("check", COMMANDS["check"])):
                measured = [run([exe, *args], root) for _ in range(runs)]
                seconds = statistics.median(s for s, _ in measured)
                peak = max(p for _, p in measured)
                figures = f"{seconds:.2f} s, {peak:.0f} MB"
                ok &= target(f"{name}: 1 MB of {what} < 15 s", figures, seconds < 15)
    return ok


if __name__ == "__main__":
    sys.exit(0 if main(int(sys.argv[1]) if len(sys.argv) > 1 else 5) else 1)

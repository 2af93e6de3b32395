#!/usr/bin/env python3
"""Bounded local work (issue 16): the inputs the adversarial round made slow, timed.

Each case is a real project folder (the bundled environments plus one hostile file) and
one command, run as a child process: a 200 KB .env four ways, 200 KB key-shaped values,
a 13 KB vercel.json whose rule pairs each cost a regex timeout, and 1 MB environments
(18,000 `[env.X]` tables; 9,000 header rules; 10,000 redirects; 100 values of 10 KB that
look almost like keys). Target: each under 10 s, peak memory under 300 MB.
Usage: python bench/bounded.py [RUNS]   (default 3; medians are printed)
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from measure import run, target

ROOT = Path(__file__).resolve().parent.parent
SIZE = 200_000


def _env_file(text: str) -> Callable[[Path], list[str]]:
    def make(root: Path) -> list[str]:
        (root / "big.env").write_text(text)
        return ["lint", "dotenv:big.env", "--format", "json"]  # parsed, then each value scanned

    return make


def _vercel_json(root: Path) -> list[str]:
    """24 rules with a specific origin whose path almost matches 24 sources of twelve
    adjacent `\\w+`, which send Vary: Origin: CORS007 matches each of the 576 pairs."""
    rules: list[dict[str, object]] = []
    for n in range(24):
        vary = [{"key": "Vary", "value": "Origin"}]
        rules.insert(0, {"source": f"/:p{n}(" + "\\w+" * 12 + ")y", "headers": vary})
        rules.append(
            {
                "source": f"/{n}" + "a" * 300 + "(.*)",
                "headers": [{"key": "Access-Control-Allow-Origin", "value": "https://a.example"}],
            }
        )
    (root / "legacy").mkdir()
    (root / "legacy" / "vercel.json").write_text(json.dumps({"headers": rules}))
    return ["lint", "dir:legacy", "--format", "json"]


def _megabyte(entry: Callable[[int], str], file: str = "production") -> Callable[[Path], None]:
    """Fill one environment file with `entry(i)` up to just under 1 MB."""

    def make(root: Path) -> None:
        path = root / "environments" / f"{file}.toml"
        parts, size, index = [path.read_text(), "\n"], 0, 0
        size = sum(len(p) for p in parts)
        while size + len(entry(index)) < 990_000:
            parts.append(entry(index))
            size += len(entry(index))
            index += 1
        path.write_text("".join(parts))

    return make


TABLES = _megabyte(
    lambda i: f"[env.SECRET_{i:05d}_TOKEN]\nsecret = true\nmin_length = 32\n", "base"
)
HEADERS = _megabyte(
    lambda i: (
        f'[[vercel.headers]]\nsource = "/p/{i}/(.*)"\n'
        f'headers = {{ "X-A-{i}" = "v{i}", "Cache-Control" = "max-age=60" }}\n'
    )
)
REDIRECTS = _megabyte(
    lambda i: (
        f'[[vercel.redirects]]\nsource = "/old/{i}/:slug*"\n'
        f'destination = "/new/{i}/:slug*"\npermanent = true\n'
    )
)
# production.toml ends with its [env] table: these go in it.
VALUES = _megabyte(lambda i: f'V_{i:03d} = "' + ("a." * 5000 if i % 2 else "sk-" * 3300) + '"\n')


def _lint(make: Callable[[Path], None]) -> Callable[[Path], list[str]]:
    def case(root: Path) -> list[str]:
        make(root)
        return ["lint", "--format", "json"]

    return case


def _check(make: Callable[[Path], None]) -> Callable[[Path], list[str]]:
    def case(root: Path) -> list[str]:
        make(root)
        # Rendered first (not timed), so that `check` compares every file.
        exe = Path(sys.executable).parent / "meterr-config"
        subprocess.run([exe, "render", "--out", "generated"], cwd=root, capture_output=True)
        return ["check", "--out", "generated"]

    return case


CASES: dict[str, Callable[[Path], list[str]]] = {
    ".env: a 200 KB multi-line value": _env_file('X="' + "x\n" * (SIZE // 2) + '"\n'),
    ".env: 200 KB of spaces in a value": _env_file("X=a" + " " * SIZE + "b\n"),
    ".env: 20,000 lines": _env_file("".join(f"K{i}=v{i}\n" for i in range(SIZE // 10))),
    ".env: a 200 KB sk-sk-sk- value": _env_file("X=" + "sk-" * (SIZE // 3) + "\n"),
    ".env: a 200 KB a.a.a. value": _env_file("X=" + "a." * (SIZE // 2) + "\n"),
    ".env: a 200 KB ?a?a?a value": _env_file("X=" + "?a" * (SIZE // 2) + "\n"),
    "vercel.json: 13 KB, 576 slow rule pairs": _vercel_json,
    "lint: 1 MB of [env.X] tables (base)": _lint(TABLES),
    "check: 1 MB of [env.X] tables (base)": _check(TABLES),
    "lint: 1 MB of header rules": _lint(HEADERS),
    "lint: 1 MB of redirects": _lint(REDIRECTS),
    "check: 1 MB of redirects": _check(REDIRECTS),
    "lint: 1 MB of near-key values": _lint(VALUES),
}


def main(runs: int) -> bool:
    exe = str(Path(sys.executable).parent / "meterr-config")
    ok = True
    with tempfile.TemporaryDirectory(prefix="meterr-bounded-") as scratch:
        for name, case in CASES.items():
            root = Path(scratch) / str(len(name))
            shutil.rmtree(root, ignore_errors=True)
            shutil.copytree(ROOT / "environments", root / "environments")
            args = case(root)
            measured = [run([exe, *args], root) for _ in range(runs)]
            seconds = statistics.median(s for s, _ in measured)
            peak = max(p for _, p in measured)
            ok &= target(f"{name} < 10 s", f"{seconds:.2f} s, {peak:.0f} MB", seconds < 10)
            shutil.rmtree(root)
    return ok


if __name__ == "__main__":
    sys.exit(0 if main(int(sys.argv[1]) if len(sys.argv) > 1 else 3) else 1)

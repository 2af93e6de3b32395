#!/usr/bin/env python3
"""Regenerate the README's example session from the real commands.

Runs render, check, lint --score production, lint staging (after introducing a wildcard
CORS origin, so there is a finding) and diff staging production in a scratch copy of the
bundled environments, and writes their output between the README's session markers.
`--check` exits 1 instead of writing when the README is stale (a test runs it).
Usage: python docs/session.py [--check]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- session:start -->", "<!-- session:end -->"
# (what the reader sees, the command run); None runs Python to make the edit it describes.
STEPS: list[tuple[str, list[str] | None]] = [
    ("meterr-config render", ["render"]),
    ("meterr-config check", ["check"]),
    ("meterr-config lint --score production", ["lint", "--score", "production"]),
    ("# staging allows any origin, as the guide's `|| '*'` fallback did", None),
    ("meterr-config lint staging", ["lint", "staging"]),
    ("meterr-config diff staging production", ["diff", "staging", "production"]),
]


def _wildcard_origin(folder: Path) -> None:
    staging = folder / "environments" / "staging.toml"
    text = staging.read_text()
    staging.write_text(text.replace('["https://staging.meterr.ai"]', '["*"]'))


def transcript() -> str:
    """The session as it would appear in a terminal without colour."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="meterr-session-") as scratch:
        folder = Path(scratch)
        for name in ("environments", "schemas"):
            shutil.copytree(ROOT / name, folder / name)
        for shown, args in STEPS:
            lines.append(f"$ {shown}" if args is not None else shown)
            if args is None:
                _wildcard_origin(folder)
                continue
            result = subprocess.run(
                [sys.executable, "-m", "meterr_config", *args],
                cwd=folder,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            lines += (result.stdout + result.stderr).rstrip("\n").split("\n")
            lines.append(f"(exit {result.returncode})")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def updated(readme: str, session: str) -> str:
    """The README with `session` between the markers."""
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n```console\n{session}```\n{END}{tail}"


def main(check: bool) -> int:
    readme = README.read_text()
    new = updated(readme, transcript())
    if new == readme:
        return 0
    if check:
        print("README.md's session is stale: run python docs/session.py", file=sys.stderr)
        return 1
    README.write_text(new)
    print("README.md session updated")
    return 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))

#!/usr/bin/env python3
"""Install the pinned real tools into a cache folder outside the repository.

Usage: python3 tooling/install.py                 Next.js, the Vercel CLI, TypeScript
       python3 tooling/install.py --observatory   the MDN HTTP Observatory analyzer
       python3 tooling/install.py --knex          knex and node-postgres
Each prints the folder holding node_modules.

The folder is `$XDG_CACHE_HOME/meterr-config/<set>-<sha256 of its package-lock.json>`
(default `~/.cache/...`). It is installed with `npm ci` only when it does not exist yet,
so a changed lock file gets a fresh install and an unchanged one costs nothing. Set
METERR_CONFIG_CACHE to use another cache root.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Pinned:
    """One set of pinned npm packages: its folder in tooling/ and a package it must hold."""

    name: str
    folder: Path
    marker: str

    def files(self) -> list[Path]:
        """The files `npm ci` reads (`.npmrc` turns off install scripts where present)."""
        names = ("package.json", "package-lock.json", ".npmrc")
        return [self.folder / n for n in names if (self.folder / n).is_file()]


TOOLS = Pinned("tooling", HERE, "next")
# Only its analyzer is used; `.npmrc` sets ignore-scripts, so pg-native is never compiled.
OBSERVATORY = Pinned("observatory", HERE / "observatory", "@mdn/mdn-http-observatory")
# Runs the migrations `flags schema emit --knex` prints (tests/pg/test_flags_schema.py).
KNEX = Pinned("knex", HERE / "knex", "knex")


def cache_root() -> Path:
    """Where tool installs live."""
    if explicit := os.environ.get("METERR_CONFIG_CACHE"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "meterr-config"


def target(pinned: Pinned) -> Path:
    """The install folder for the set's current lock file."""
    lock = (pinned.folder / "package-lock.json").read_bytes()
    return cache_root() / f"{pinned.name}-{hashlib.sha256(lock).hexdigest()[:16]}"


def install(pinned: Pinned) -> Path:
    """Install into a temporary sibling folder, then rename it into place (atomic)."""
    final = target(pinned)
    if (final / "node_modules" / pinned.marker / "package.json").is_file():
        return final
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise SystemExit("tooling/install.py: node and npm are needed (install Node.js >= 20.9)")
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".install-", dir=final.parent))
    for path in pinned.files():
        shutil.copyfile(path, staging / path.name)
    command = [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    result = subprocess.run(command, cwd=staging, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise SystemExit(f"tooling/install.py: npm ci failed:\n{result.stderr[-2000:]}")
    try:
        staging.rename(final)
    except OSError:  # another process won the race: keep its install
        shutil.rmtree(staging, ignore_errors=True)
    return final


if __name__ == "__main__":
    flags = sys.argv[1:]
    print(
        install(OBSERVATORY if "--observatory" in flags else KNEX if "--knex" in flags else TOOLS)
    )
    sys.exit(0)

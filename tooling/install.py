#!/usr/bin/env python3
"""Install the pinned real tools (Next.js, the Vercel CLI, TypeScript) into a cache folder.

Usage: python3 tooling/install.py        prints the folder holding node_modules

The folder is `$XDG_CACHE_HOME/meterr-config/tooling-<sha256 of package-lock.json>`
(default `~/.cache/...`), outside the repository. It is installed with `npm ci` only when
it does not exist yet, so a changed lock file gets a fresh install and an unchanged one
costs nothing. Set METERR_CONFIG_CACHE to use another cache root.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = ("package.json", "package-lock.json")


def cache_root() -> Path:
    """Where tool installs live."""
    if explicit := os.environ.get("METERR_CONFIG_CACHE"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "meterr-config"


def target() -> Path:
    """The install folder for the current lock file."""
    digest = hashlib.sha256((HERE / "package-lock.json").read_bytes()).hexdigest()[:16]
    return cache_root() / f"tooling-{digest}"


def install() -> Path:
    """Install into a temporary sibling folder, then rename it into place (atomic)."""
    final = target()
    if (final / "node_modules" / "next" / "package.json").is_file():
        return final
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise SystemExit("tooling/install.py: node and npm are needed (install Node.js >= 20.9)")
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".install-", dir=final.parent))
    for name in FILES:
        shutil.copyfile(HERE / name, staging / name)
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
    print(install())
    sys.exit(0)

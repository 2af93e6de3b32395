"""Real-tool fixtures: the pinned npm tools, installed once into a cache outside the repo.

Without node or npm these tests skip, except under CI=true, where a real-tool test that
cannot run is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from meterr_config.realtools.tools import Tools
from tests.conftest import ROOT


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"real-tool test cannot run under CI=true: {reason}")
    pytest.skip(reason)


def _install(*flags: str) -> Tools:
    """Run tooling/install.py (which installs once into the cache) and return its folder."""
    node = shutil.which("node")
    if node is None or shutil.which("npm") is None:
        _unavailable("node and npm are not installed")
        raise AssertionError("unreachable")
    install = [sys.executable, str(ROOT / "tooling" / "install.py"), *flags]
    result = subprocess.run(install, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        _unavailable(f"tooling/install.py {' '.join(flags)} failed: {result.stdout}{result.stderr}")
    return Tools(Path(result.stdout.strip()), node)


@pytest.fixture(scope="session")
def tools() -> Tools:
    """The pinned Next.js, Vercel CLI and TypeScript."""
    return _install()


@pytest.fixture(scope="session")
def observatory() -> Tools:
    """The pinned MDN HTTP Observatory analyzer (tooling/observatory)."""
    return _install("--observatory")


@pytest.fixture
def tools_env(tools: Tools, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Environment for CLI subprocesses, pointing --with-next/--with-vercel at the tools."""
    return {**os.environ, "METERR_CONFIG_TOOLS": str(tools.root)}

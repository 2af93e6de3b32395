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


@pytest.fixture(scope="session")
def tools() -> Tools:
    """Install (or reuse) the pinned tools and return them."""
    node = shutil.which("node")
    if node is None or shutil.which("npm") is None:
        _unavailable("node and npm are not installed")
        raise AssertionError("unreachable")
    result = subprocess.run(
        [sys.executable, str(ROOT / "tooling" / "install.py")],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        _unavailable(f"tooling/install.py failed: {result.stdout}{result.stderr}")
    return Tools(Path(result.stdout.strip()), node)


@pytest.fixture
def tools_env(tools: Tools, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Environment for CLI subprocesses, pointing --with-next/--with-vercel at the tools."""
    return {**os.environ, "METERR_CONFIG_TOOLS": str(tools.root)}

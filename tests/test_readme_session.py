"""The README's session is the real output of the commands it shows."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_the_readme_session_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "session.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr

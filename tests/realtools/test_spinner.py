"""While Next.js loads a config, a terminal sees a spinner; a log or pipe sees nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.test_colour import _on_a_terminal

MESSAGE = "Next.js is loading next.config"


def test_a_spinner_on_a_terminal_only(workdir: Path, tools_env: dict[str, str]) -> None:
    env = {**tools_env, "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    shown = _on_a_terminal(["validate", "--with-next", "--env", "production"], workdir, env)
    assert MESSAGE in shown
    piped = subprocess.run(
        [sys.executable, "-m", "meterr_config", "validate", "--with-next", "--env", "production"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert piped.returncode == 0
    assert MESSAGE not in piped.stdout + piped.stderr
    quiet = _on_a_terminal(["-q", "validate", "--with-next", "--env", "production"], workdir, env)
    assert MESSAGE not in quiet

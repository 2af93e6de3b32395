"""Colour only on a terminal, and never with NO_COLOR set (https://no-color.org)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_cli

ANSI = "\x1b["


def _on_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run with stdout and stderr on a pseudo-terminal; what it printed."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "meterr_config", *args],
        cwd=cwd,
        env=env,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process is done
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode(errors="replace")


def test_colour_on_a_terminal_unless_no_color(workdir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["TERM"] = "xterm-256color"
    assert ANSI in _on_a_terminal(["lint"], workdir, env)
    assert ANSI not in _on_a_terminal(["lint"], workdir, {**env, "NO_COLOR": "1"})


def test_no_colour_in_a_pipe(workdir: Path) -> None:
    """Off a terminal (the in-process runner's streams are pipes to it) no escape codes."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    result = run_cli("lint", cwd=workdir, env=env)
    assert result.code == 0
    assert ANSI not in result.out + result.err

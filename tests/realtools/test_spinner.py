"""While Next.js loads a config, a terminal sees a spinner; a log or pipe sees nothing.

The terminal needs a real process on a pseudo-terminal; the pipe is the in-process
runner's, whose streams are not terminals."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli
from tests.test_colour import _on_a_terminal

MESSAGE = "Next.js is loading next.config"


def test_a_spinner_on_a_terminal_only(workdir: Path, tools_env: dict[str, str]) -> None:
    env = {**tools_env, "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    shown = _on_a_terminal(["validate", "--with-next", "--env", "production"], workdir, env)
    assert MESSAGE in shown
    piped = run_cli("validate", "--with-next", "--env", "production", cwd=workdir, env=env)
    assert piped.code == 0
    assert MESSAGE not in piped.out + piped.err
    quiet = _on_a_terminal(["-q", "validate", "--with-next", "--env", "production"], workdir, env)
    assert MESSAGE not in quiet

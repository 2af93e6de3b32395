"""`apply ENV` at a terminal: it shows the plan and asks; only the word it asks for goes
on (a real pseudo-terminal, so stdin and stderr are ttys as a person's are)."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ENVIRONMENTS
from tests.live.plan_support import values_file
from tests.live.vercel_server import FakeVercel


def _at_terminal(root: Path, api: FakeVercel, args: list[str], answer: str) -> tuple[int, str]:
    """Run the CLI on a pseudo-terminal, type `answer` once it asks, return (exit, screen)."""
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERCEL")}
    env.update(VERCEL_TOKEN=api.token, VERCEL_API_URL=api.url, NO_COLOR="1")
    child = subprocess.Popen(
        [sys.executable, "-m", "meterr_config", *args],
        cwd=root,
        env=env,
        stdin=follower,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    screen = b""
    deadline = time.monotonic() + 60
    while b"to go on: " not in screen and time.monotonic() < deadline:
        screen += os.read(leader, 4096)
    os.write(leader, answer.encode() + b"\n")
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        screen += chunk
    os.close(leader)
    return child.wait(60), screen.decode(errors="replace")


@pytest.mark.parametrize(("answer", "code"), [("no", 2), ("yes", 0)])
def test_apply_asks_at_a_terminal(tmp_path: Path, answer: str, code: int) -> None:
    shutil.copytree(ENVIRONMENTS, tmp_path / "environments")
    values = f"dotenv:{values_file(tmp_path, 'development')}"
    with FakeVercel() as api:
        status, screen = _at_terminal(
            tmp_path, api, ["apply", "development", "--values", values], answer
        )
        writes = [r for r in api.requests if r.method != "GET"]
    assert "~ NODE_ENV (development): update" in screen  # the plan, shown first
    assert "Apply this plan? Type 'yes' to go on: " in screen
    assert status == code, screen
    assert bool(writes) == (answer == "yes")
    if answer == "no":
        assert "not confirmed: nothing was written" in screen


@pytest.mark.parametrize(("answer", "code"), [("yes", 2), ("production", 0)])
def test_production_at_a_terminal_takes_the_word_production(
    tmp_path: Path, answer: str, code: int
) -> None:
    shutil.copytree(ENVIRONMENTS, tmp_path / "environments")
    values = f"dotenv:{values_file(tmp_path, 'production')}"
    args = ["apply", "production", "--values", values, "--allow-replace"]
    with FakeVercel() as api:
        status, screen = _at_terminal(tmp_path, api, args, answer)
    assert "Apply this plan? Type 'production' to go on: " in screen
    assert status == code, screen

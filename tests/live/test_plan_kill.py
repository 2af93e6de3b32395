"""An apply killed with a real SIGKILL between two writes: the journal holds every
request that ended (each line synced as it ends), the lock dies with the process, and
running apply again converges (the next plan is empty)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ENVIRONMENTS, run_cli
from tests.live.plan_support import values_file
from tests.live.vercel_server import FakeVercel

WRITE_WAIT = 0.25  # each write: time enough to land the kill between two of them


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("meterr_config.plan.fingerprint.COST", 2**4)


def _journal_lines(root: Path) -> list[str]:
    folder = root / ".meterr-config" / "journal"
    files = list(folder.iterdir()) if folder.exists() else []
    return files[0].read_text().splitlines() if files else []


def test_a_killed_apply_leaves_its_journal_and_converges_when_run_again(tmp_path: Path) -> None:
    shutil.copytree(ENVIRONMENTS, tmp_path / "environments")
    values = f"dotenv:{values_file(tmp_path, 'development')}"
    args = ["apply", "development", "--values", values, "--yes"]
    with FakeVercel(write_wait=WRITE_WAIT) as api:
        env = {k: v for k, v in os.environ.items() if not k.startswith("VERCEL")}
        env.update(VERCEL_TOKEN=api.token, VERCEL_API_URL=api.url)
        child = subprocess.Popen(
            [sys.executable, "-m", "meterr_config", *args],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while len(_journal_lines(tmp_path)) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        child.send_signal(signal.SIGKILL)
        assert child.wait(30) == -signal.SIGKILL
        done = _journal_lines(tmp_path)
        assert len(done) >= 3
        assert all(json.loads(line)["result"] == "applied" for line in done)
        api.write_wait = 0.0
        again = run_cli(*args, cwd=tmp_path, env=env)  # the dead process's lock is gone
        assert again.code == 0, again.out + again.err
        rest = run_cli("plan", "development", "--values", values, cwd=tmp_path, env=env)
    assert rest.code == 0, rest.out
    assert re.search(r"Applied [1-9][0-9]* operation", again.out)  # the kill left work

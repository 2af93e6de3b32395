"""What every benchmark here shares: run a command as a child process, time it, and read
its peak memory from the kernel (`wait4`), and print one line per target."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path


def run(command: list[str], cwd: Path) -> tuple[float, float]:
    """Run `command` in `cwd`; its wall time in seconds and peak memory in MB."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {proc.returncode}: {err.strip()}")
    return seconds, usage.ru_maxrss / 1024  # ru_maxrss is in KB on Linux


def target(name: str, measured: str, ok: bool) -> bool:
    """Print `target | measured | pass/fail` and return whether it passed."""
    print(f"{name:<48} {measured:<44} {'pass' if ok else 'FAIL'}", flush=True)
    return ok

"""`render` killed with SIGKILL at random moments: every file in generated/ is, each time,
entirely the old version or entirely the new one, never truncated (issue 10). Files are
renamed into place one by one, so a kill during the renames leaves some files new."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.conftest import run_cli

KILLS = 50


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not p.name.endswith(".tmp")
    }


def test_render_killed_at_random_moments_leaves_old_or_new_files(
    workdir: Path, record_property: Callable[[str, object], None]
) -> None:
    assert run_cli("render", cwd=workdir).code == 0
    old = _files(workdir / "generated")
    base = workdir / "environments" / "base.toml"
    base.write_text(base.read_text().replace('"DENY"', '"SAMEORIGIN"'))
    assert run_cli("render", "--out", "new", cwd=workdir).code == 0
    new = _files(workdir / "new")
    assert old.keys() == new.keys() and any(old[k] != new[k] for k in old)

    start = time.perf_counter()
    run_cli("render", "--out", "timing", cwd=workdir)
    duration = time.perf_counter() - start
    rng = random.Random(20261125)
    outcomes = {"old": 0, "new": 0, "mixed": 0}
    for _ in range(KILLS):
        shutil.rmtree(workdir / "generated")
        shutil.copytree(workdir / "new", workdir / "generated")  # same names as old
        for name, data in old.items():
            (workdir / "generated" / name).write_bytes(data)
        proc = subprocess.Popen(
            [sys.executable, "-m", "meterr_config", "render"],
            cwd=workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Most of a run is start-up; aim the kills at the end, where files are written.
        time.sleep(rng.uniform(0.5, 1.5) * duration)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = _files(workdir / "generated")
        assert now.keys() == old.keys()
        states = set()
        for name, data in now.items():
            assert data in (old[name], new[name]), f"{name} is neither version"
            if old[name] != new[name]:  # only the files the change touches tell
                states.add("old" if data == old[name] else "new")
        outcomes["mixed" if len(states) == 2 else states.pop()] += 1
    assert outcomes["old"] + outcomes["new"] + outcomes["mixed"] == KILLS
    record_property("cases", KILLS)  # for docs/reliability.md
    # Kills landed both before the files were replaced and after: both cases were seen.
    assert outcomes["old"] and outcomes["new"], outcomes
    # The next render clears the staging files the kills left, so check passes.
    assert run_cli("render", cwd=workdir).code == 0
    assert not list((workdir / "generated").rglob("*.tmp"))
    assert run_cli("check", cwd=workdir).code == 0

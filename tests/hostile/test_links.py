"""Issue 16, point 2: no read through a link out of the folder, and no special file, in
init, import, dir: and dotenv:.

A repository is input: a committed `.env.example -> /proc/self/environ` made `init` write
the whole process environment (VERCEL_TOKEN included) into three files and exit 0, and
`dotenv:` on a FIFO waited forever. Each case is refused with one line naming the file,
exit 2, and nothing written.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from meterr_config import paths
from meterr_config.sources import folder as folder_source
from tests.conftest import Result, Runner, run_cli

PREFIX = "meterr-config: error: "
CANARY = "h16-canary-VERCEL-TOKEN-0123456789abcdef"
SECRET = "h16-outside-secret-9876543210"
HANG_GUARD = 120.0  # seconds: far past any run, only so that a hang fails instead of waiting


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project, holding files with a secret in them."""
    folder = tmp_path.parent / f"{tmp_path.name}-outside"
    folder.mkdir()
    (folder / "secrets.env").write_text(f"STOLEN={SECRET}\n")
    (folder / "secrets.json").write_text(f'{{"name": "{SECRET}"}}\n')
    return folder


def _refusal(result: Result) -> str:
    """The one error line of an exit-2 run, without its prefix."""
    assert result.code == 2, (result.out, result.err)
    assert "Traceback" not in result.err
    assert SECRET not in result.out + result.err and CANARY not in result.out + result.err
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(PREFIX), result.err
    return lines[0].removeprefix(PREFIX)


def _files(root: Path) -> dict[str, bytes]:
    """Every regular file under `root`, not following links."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and not p.is_symlink()
    }


def _guarded(run: Callable[[], Result], fifo: Path) -> Result:
    """`run()`, with a watchdog: should it still wait on the FIFO after HANG_GUARD seconds,
    the watchdog opens the FIFO's other end, which lets the waiting open return, and the
    test fails."""
    hung = threading.Event()

    def release() -> None:
        hung.set()
        with contextlib.suppress(OSError):  # ENXIO: nobody waits on it, nothing to release
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    watchdog = threading.Timer(HANG_GUARD, release)
    watchdog.start()
    try:
        result = run()
    finally:
        watchdog.cancel()
    assert not hung.is_set(), f"still waiting on the FIFO {fifo} after {HANG_GUARD:.0f} s"
    return result


# --- init ----------------------------------------------------------------------------------


def test_init_refuses_an_env_example_linked_to_proc_self_environ(tmp_path: Path) -> None:
    """The worst case: a real process, so /proc/self/environ holds the canary token."""
    (tmp_path / ".env.example").symlink_to("/proc/self/environ")
    env = {**os.environ, "VERCEL_TOKEN": CANARY, "H16_CANARY": CANARY}
    proc = subprocess.run(
        [sys.executable, "-m", "meterr_config", "init"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
    )
    line = _refusal(Result(proc.returncode, proc.stdout, proc.stderr))
    assert line.startswith(".env.example: leads outside the current folder (to /proc/")
    assert line.endswith("through a symlink or '..'): refused")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".env.example"]  # nothing written
    every = [p for p in tmp_path.rglob("*") if p.is_file() and not p.is_symlink()]
    assert all(CANARY.encode() not in p.read_bytes() for p in every)


def test_init_refuses_a_schemas_folder_linked_outside(tmp_path: Path, outside: Path) -> None:
    (tmp_path / "schemas").symlink_to(outside, target_is_directory=True)
    line = _refusal(run_cli("init", cwd=tmp_path))
    assert line == "schemas: is a symlink: init writes through no link; remove it: refused"
    assert sorted(p.name for p in outside.iterdir()) == ["secrets.env", "secrets.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["schemas"]


def test_init_refuses_a_fifo_env_example(tmp_path: Path) -> None:
    fifo = tmp_path / ".env.example"
    os.mkfifo(fifo)
    line = _refusal(_guarded(lambda: run_cli("init", cwd=tmp_path), fifo))
    assert line == ".env.example: is a FIFO, not a regular file: refused"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".env.example"]


# --- import --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "target"), [("vercel.json", "secrets.json"), (".env", "secrets.env")]
)
def test_import_refuses_an_input_linked_outside(
    cli: Runner, workdir: Path, outside: Path, name: str, target: str
) -> None:
    (workdir / name).symlink_to(outside / target)
    before = _files(workdir)
    line = _refusal(cli("import", name, "--env", "copy"))
    assert line.startswith(f"{name}: leads outside the current folder (to {outside / target}")
    assert _files(workdir) == before


def test_import_refuses_a_fifo(cli: Runner, workdir: Path) -> None:
    fifo = workdir / ".env"
    os.mkfifo(fifo)
    line = _refusal(_guarded(lambda: cli("import", ".env", "--env", "copy"), fifo))
    assert line == ".env: is a FIFO, not a regular file: refused"
    assert not (workdir / "environments" / "copy.toml").exists()


def test_import_refuses_a_next_config_linked_outside(
    cli: Runner, workdir: Path, outside: Path
) -> None:
    (outside / "next.config.js").write_text(f"module.exports = {{ env: {{ A: '{SECRET}' }} }}\n")
    (workdir / "next.config.js").symlink_to(outside / "next.config.js")
    line = _refusal(cli("import", "next.config.js", "--env", "copy"))
    assert line.startswith("next.config.js: leads outside the current folder (to ")


# --- dir: ----------------------------------------------------------------------------------


def test_dir_refuses_a_link_swapped_in_after_the_check(
    cli: Runner, workdir: Path, outside: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check and the read are one: a `.env` replaced by a link out of the folder right
    after it was checked is refused when opened, not followed."""
    site = workdir / "site"
    site.mkdir()
    (site / "vercel.json").write_text("{}\n")
    (site / ".env").write_text("PLAIN=1\n")
    checked = paths.confined

    def check_then_swap(path: Path, root: Path, what: str) -> Path:
        real = checked(path, root, what)
        if path.name == ".env" and not path.is_symlink():
            path.unlink()
            path.symlink_to(outside / "secrets.env")
        return real

    monkeypatch.setattr(folder_source, "confined", check_then_swap)
    line = _refusal(cli("lint", "dir:site", "--format", "json"))
    assert line.startswith("site/.env: leads outside the folder site (to ")


def test_dir_refuses_a_fifo_env_file(cli: Runner, workdir: Path) -> None:
    site = workdir / "site"
    site.mkdir()
    (site / "vercel.json").write_text("{}\n")
    os.mkfifo(site / ".env.local")
    line = _refusal(_guarded(lambda: cli("lint", "dir:site"), site / ".env.local"))
    assert line == "site/.env.local: is a FIFO, not a regular file: refused"


def test_dir_refuses_a_fifo_vercel_json(cli: Runner, workdir: Path) -> None:
    site = workdir / "site"
    site.mkdir()
    (site / ".env").write_text("PLAIN=1\n")
    os.mkfifo(site / "vercel.json")
    line = _refusal(_guarded(lambda: cli("lint", "dir:site"), site / "vercel.json"))
    assert line == "site/vercel.json: is a FIFO, not a regular file: refused"


# --- dotenv: -------------------------------------------------------------------------------


def test_dotenv_refuses_a_file_linked_outside(cli: Runner, workdir: Path, outside: Path) -> None:
    (workdir / "values.env").symlink_to(outside / "secrets.env")
    for args in (
        ("diff", "env:production", "dotenv:values.env", "--show-secrets"),
        ("lint", "--values", "dotenv:values.env"),
    ):
        line = _refusal(cli(*args))
        assert line.startswith("values.env: leads outside the current folder (to ")


def test_dotenv_on_a_fifo_returns_at_once(cli: Runner, workdir: Path) -> None:
    fifo = workdir / "values.env"
    os.mkfifo(fifo)
    result = _guarded(lambda: cli("diff", "env:production", "dotenv:values.env"), fifo)
    assert _refusal(result) == "values.env: is a FIFO, not a regular file: refused"


def test_dotenv_refuses_a_character_device(cli: Runner) -> None:
    line = _refusal(cli("diff", "env:production", "dotenv:/dev/zero"))
    assert line == "/dev/zero: is a character device, not a regular file: refused"


def test_dotenv_refuses_a_kernel_file(cli: Runner) -> None:
    line = _refusal(cli("diff", "env:production", "dotenv:/proc/self/environ"))
    assert (
        line
        == "/proc/self/environ: is a kernel file (under /proc or /sys), not a config file: refused"
    )

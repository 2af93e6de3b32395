"""Find Node.js and a node_modules folder that holds the real tools."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

from meterr_config.errors import InputError
from meterr_config.redact import scrub
from meterr_config.secretshapes import SECRET_NAME

TOOLS_ENV = "METERR_CONFIG_TOOLS"
# Keep the tools quiet and offline: no telemetry, no update checks, no prompts.
QUIET_ENV = {
    "NEXT_TELEMETRY_DISABLED": "1",
    "VERCEL_TELEMETRY_DISABLED": "1",
    "NO_UPDATE_NOTIFIER": "1",
    "NO_COLOR": "1",
    "FORCE_COLOR": "0",
    "CI": "1",
}


@dataclass(frozen=True)
class Tools:
    """A folder whose node_modules holds the packages we run, and the node binary."""

    root: Path
    node: str

    def bin(self, name: str) -> Path:
        """An installed command, e.g. `next` or `vercel`."""
        return self.root / "node_modules" / ".bin" / name

    def run(
        self, args: list[str], cwd: Path, timeout: float, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run a tool quietly in its own process group; stop the whole group on a timeout,
        Ctrl-C or SIGTERM, so no `next build` outlives us. `env` replaces our environment,
        which by default is passed on without credentials (`tool_environment`)."""
        env = {**(tool_environment() if env is None else env), **QUIET_ENV}
        proc = subprocess.Popen(
            args,
            cwd=cwd,
            env=env,
            text=True,
            start_new_session=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(proc)
            name = Path(args[0]).name
            raise InputError(f"{name} did not finish within {timeout:.0f} s") from None
        except BaseException:
            _stop(proc)
            raise
        return subprocess.CompletedProcess(args, proc.returncode, out, err)


def tool_environment() -> dict[str, str]:
    """Our environment without a credential: no variable named like a secret
    (VERCEL_TOKEN, *_SECRET, *_API_KEY, DATABASE_URL…) and none whose value this run
    holds as a secret (a `--values process` value). A next.config is code from the
    repository under check: what it can read, it can print."""
    return {
        name: value
        for name, value in os.environ.items()
        if not SECRET_NAME.search(name) and scrub(value) == value
    }


def _stop(proc: subprocess.Popen[str]) -> None:
    """Kill a tool's process group (next build forks workers) and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _has(folder: Path, packages: tuple[str, ...]) -> bool:
    return all((folder / "node_modules" / p / "package.json").is_file() for p in packages)


def find_tools(explicit: Path | None, packages: tuple[str, ...]) -> Tools:
    """Node plus the first folder providing `packages`: --tools, $METERR_CONFIG_TOOLS, or cwd up."""
    node = shutil.which("node")
    if node is None:
        raise InputError(
            "node not found: running Next.js or the Vercel CLI needs Node.js 20.9 or later"
        )
    if explicit is None and os.environ.get(TOOLS_ENV):
        explicit = Path(os.environ[TOOLS_ENV])
    candidates = [explicit] if explicit else [Path.cwd(), *Path.cwd().parents]
    for folder in candidates:
        if _has(folder, packages):
            return Tools(folder.resolve(), node)
    where = str(explicit) if explicit else "the current folder and its parents"
    raise InputError(
        f"{', '.join(packages)} not found in node_modules of {where}: run `npm install` in your "
        f"app, or pass --tools DIR (`python3 tooling/install.py` prints one)"
    )

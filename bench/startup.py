#!/usr/bin/env python3
"""Start-up: `meterr-config check` and `--help` against check-jsonschema, the peer a team
would otherwise run in CI on every push.

The peer validates one file, generated/production/vercel.json, against the vendored
Vercel schema; `check` renders and compares all three bundled environments. The three
commands alternate, so drift in the machine's load hits them alike; medians are printed.
The package is byte-compiled first, as installing a wheel does (the peer's is): with
PYTHONDONTWRITEBYTECODE set, an editable install would otherwise recompile every module
on every run.
Usage (from the repository root): python bench/startup.py [RUNS]   (default 7)
"""

from __future__ import annotations

import compileall
import shutil
import statistics
import sys
from pathlib import Path

from measure import run, target

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = "schemas/vendor/vercel-cli-58.10.0.vercelConfigSchema.json"


def main(runs: int) -> bool:
    bin_dir = Path(sys.executable).parent
    peer_exe = shutil.which("check-jsonschema", path=str(bin_dir)) or shutil.which(
        "check-jsonschema"
    )
    if peer_exe is None:
        raise SystemExit("check-jsonschema is not installed: pip install -e '.[bench]'")
    ours = str(bin_dir / "meterr-config")
    compileall.compile_dir(ROOT / "meterr_config", quiet=1)
    commands = {
        "peer": [peer_exe, "--schemafile", SCHEMA, "generated/production/vercel.json"],
        "check": [ours, "check"],
        "help": [ours, "--help"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(run(command, ROOT)[0])
    median = {name: statistics.median(values) for name, values in times.items()}
    print(
        f"medians over {runs} alternating runs: "
        + ", ".join(f"{name} {value:.3f} s" for name, value in median.items())
    )
    check_ratio = median["check"] / median["peer"]
    help_ratio = median["help"] / median["peer"]
    ok = target(
        "check (bundled environments) <= 0.3 x peer",
        f"{check_ratio:.2f} x ({median['check']:.2f} s / {median['peer']:.2f} s)",
        check_ratio <= 0.3,
    )
    return (
        target(
            "--help <= 0.1 x peer",
            f"{help_ratio:.2f} x ({median['help']:.2f} s / {median['peer']:.2f} s)",
            help_ratio <= 0.1,
        )
        and ok
    )


if __name__ == "__main__":
    sys.exit(0 if main(int(sys.argv[1]) if len(sys.argv) > 1 else 7) else 1)

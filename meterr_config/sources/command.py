"""`--values exec:COMMAND`: values from a secret manager's command line, such as
`doppler secrets download --no-file --format env` or `op inject -i .env.tpl`.

The command is split as a shell would split it (no shell runs it), gets no input and
this process's environment, and must print `.env` lines (read as Next.js reads a .env
file) or one JSON object of strings. Its output is values: it is never logged, and
neither is its stderr, which a failing secret manager may fill with what it read. A
failure is reported by its exit status alone.
"""

from __future__ import annotations

import json
import shlex
import subprocess

from meterr_config import limits, redact
from meterr_config.envfile import read_dotenv
from meterr_config.errors import InputError
from meterr_config.sources.registry import Values

# How long a secret manager may take (it may call its own API), and how much it may print.
EXEC_SECONDS = 60.0


def values(arg: str, names: set[str]) -> Values:
    """Every value the command prints; each is remembered for the output scrubber."""
    argv = _argv(arg)
    try:
        done = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=EXEC_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        raise InputError(f"--values exec:{argv[0]}: no such command") from None
    except PermissionError:
        raise InputError(f"--values exec:{argv[0]}: cannot be run (permission denied)") from None
    except subprocess.TimeoutExpired:
        raise InputError(
            f"--values exec:{argv[0]}: gave no answer within {EXEC_SECONDS:g} s (EXEC_SECONDS)"
        ) from None
    if done.returncode != 0:
        raise InputError(
            f"--values exec:{argv[0]}: exited with status {done.returncode} "
            "(its output is not shown: it may hold secrets)"
        )
    found = _parsed(argv[0], done.stdout)
    for value in found.values():
        redact.remember(value)
    return dict(found)


def _argv(arg: str) -> list[str]:
    try:
        argv = shlex.split(arg)
    except ValueError:
        raise InputError("--values exec:COMMAND: the command's quotes do not close") from None
    if not argv:
        raise InputError("--values exec:COMMAND: name a command")
    return argv


def _parsed(program: str, output: bytes) -> dict[str, str]:
    """`.env` lines, or a JSON object whose members are strings."""
    if len(output) > limits.MAX_BYTES:
        raise InputError(
            f"--values exec:{program}: printed more than {limits.MAX_BYTES} bytes (MAX_BYTES)"
        )
    try:
        text = output.decode()
    except UnicodeDecodeError:
        raise InputError(f"--values exec:{program}: printed text that is not UTF-8") from None
    if text.lstrip().startswith("{"):
        return _json_object(program, text)
    read = read_dotenv(text, f"exec:{program}")
    return {name: entry.value for name, entry in read.entries.items() if entry.value is not None}


def _json_object(program: str, text: str) -> dict[str, str]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise InputError(f"--values exec:{program}: printed malformed JSON") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise InputError(f"--values exec:{program}: printed JSON that is not an object of strings")
    return data

"""The process around a command, without typer: streams, signals, errors, exit codes.

`cli.py` builds the typer app on top of this. `__main__.py` also uses it directly for the
command CI runs on every push, `check`, when its arguments are plain options: importing
typer and building its command tree is about a third of `check`'s start-up
(`bench/startup.py`), and `check` needs neither. `check_arguments` takes only what it
can read exactly as typer would and leaves everything else (help, completion, a short
option glued to its value, an unknown option, a bad `--format`) to typer, so both paths
print the same bytes and exit with the same code (`tests/test_console.py`).
"""

from __future__ import annotations

import gc
import json
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from meterr_config import limits
from meterr_config.errors import InputError, printable
from meterr_config.formats import EXIT_BAD_INPUT, FORMATS
from meterr_config.redact import Scrubbed, remember_environment


def serve(run: Callable[[], int]) -> NoReturn:
    """Run a whole command line and exit with its code.

    Everything written to stdout and stderr passes `redact.scrub` (the output boundary):
    no secret this run has read, and no credential in a known place, is ever printed.
    """
    signal.signal(signal.SIGTERM, _terminate)
    remember_environment(os.environ)
    limits.start_run()
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = Scrubbed(sys.stdout), Scrubbed(sys.stderr)
    try:
        code = guard(run)
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BrokenPipeError:  # `meterr-config rules | head`: the reader left
                os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
            except (OSError, ValueError):  # a closed stream: nothing more to say
                pass
        sys.stdout, sys.stderr = streams
    # The process ends here. Frozen objects are left out of the collections the
    # interpreter runs while shutting down, which walk everything pydantic built (about
    # 50 ms, a quarter of `check`): the operating system frees the memory anyway.
    gc.freeze()
    sys.exit(code)


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C, so temporary folders and child tools are cleaned up."""
    raise KeyboardInterrupt


def guard(run: Callable[[], int]) -> int:
    """The exit code of `run`, with every way out of it turned into one."""
    try:
        return run()
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's final flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug: still one line, never a traceback (which may hold values)
        if os.environ.get("METERR_CONFIG_DEBUG"):
            raise
        print(
            f"meterr-config: internal error: {type(exc).__name__} "
            "(a bug: please report it; METERR_CONFIG_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT


def finish(command: Callable[[], int], fmt: str = "text") -> int:
    """Run a command, turning bad input into one line on stderr and exit 2.

    Machine formats also get the error on stdout (a JSON document with status "error",
    or a workflow annotation), so CI sees why the step failed.
    """
    try:
        return command()
    except InputError as exc:
        print(f"meterr-config: error: {exc.one_line()}", file=sys.stderr)
        _machine_error(exc, fmt)
    except BrokenPipeError:  # `meterr-config rules | head`: the reader left, not an error
        raise
    except OSError as exc:  # unreadable input, a full disk…
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"meterr-config: error: {printable(where)}{exc.strerror or exc}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _machine_error(exc: InputError, fmt: str) -> None:
    where = exc.location
    if fmt == "json":
        error = {
            "message": exc.message,
            "key": exc.key,
            "file": where.file if where else None,
            "line": where.line if where else None,
        }
        print(json.dumps({"version": 1, "status": "error", "error": error}, indent=2))
    elif fmt == "sarif":
        from meterr_config.reporters.sarif import input_error_log

        print(input_error_log(exc))
    elif fmt == "github":
        from meterr_config.reporters.github import escape_data, escape_property

        props = f" file={escape_property(where.file)}" if where else ""
        props += f",line={where.line}" if where and where.line else ""
        print(f"::error{props}::{escape_data(exc.one_line())}")


@dataclass
class CheckArguments:
    """`check`'s options, as typer would pass them (see `cli.check`)."""

    env: list[str] = field(default_factory=list)
    environments: Path = Path("environments")
    out: Path = Path("generated")
    fmt: str = "text"

    def run(self) -> int:
        """Run `check` with these options."""
        from meterr_config.commands import check

        return finish(
            lambda: check.run(self.environments, self.env or None, self.out, self.fmt), self.fmt
        )


# Option spellings `check_arguments` reads, each taking one value.
_CHECK_OPTIONS = {
    "--env": "env",
    "-e": "env",
    "--environments": "environments",
    "--out": "out",
    "--format": "fmt",
    "-f": "fmt",
}


def check_arguments(argv: list[str]) -> CheckArguments | None:
    """`check`'s options when typer would read `argv` the same way, else None."""
    if not argv or argv[0] != "check":
        return None
    parsed = CheckArguments()
    rest = iter(argv[1:])
    for word in rest:
        name, equals, value = word.partition("=") if word.startswith("--") else (word, "", "")
        if name not in _CHECK_OPTIONS:
            return None
        if not equals:
            value = next(rest, "")
        if not value or value.startswith("-") or not _take(parsed, _CHECK_OPTIONS[name], value):
            return None  # a missing value, a value like an option, a bad format: typer says
    return parsed


def _take(parsed: CheckArguments, name: str, value: str) -> bool:
    if name == "env":
        parsed.env.append(value)
    elif name == "fmt":
        parsed.fmt = value
        return value in FORMATS
    else:
        setattr(parsed, name, Path(value))
    return True

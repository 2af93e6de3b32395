"""The entry point: `meterr-config` and `python -m meterr_config`.

Three things happen before the CLI is imported, all for start-up time, which is most of a
CI step's time (`bench/startup.py`):

- `meterr-config --help`, on an 80-column or wider terminal (or none), prints the help
  typer would print, from `help.txt`, without importing typer (about 40 ms).
  `tests/test_cli.py` fails when the file differs from typer's output.
- pydantic's plugin discovery is turned off unless PYDANTIC_DISABLE_PLUGINS says
  otherwise: it scans every installed package's entry points at the first model build,
  and meterr-config uses no pydantic plugin. Even turned off, pydantic imports its
  loader, and with it `importlib.metadata` (about 15 ms), only to return no plugins; so
  while the variable is `__all__` the loader is a stub that returns none.
  `tests/test_entry.py` fails when pydantic's loader would answer differently.
- `meterr-config check` with plain options (`--env`, `--environments`, `--out`,
  `--format`) runs without typer, through `console` (about a third of its start-up);
  any other command line, `check --help` included, goes to typer.
"""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

HELP = Path(__file__).with_name("help.txt")
HELP_OPTIONS = ("--help", "-h")
# click wraps help text at the terminal's width, up to 80 columns; from 80 on it is fixed.
HELP_WIDTH = 80


def _columns() -> int:
    """The terminal's width as click reads it: COLUMNS, else stdout's terminal, else 80."""
    try:
        if (columns := int(os.environ["COLUMNS"])) > 0:  # as shutil reads it
            return columns
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return HELP_WIDTH


def fast_help(argv: list[str]) -> bool:
    """Print the top-level help without typer when that gives the same bytes."""
    if len(argv) != 1 or argv[0] not in HELP_OPTIONS or _columns() < HELP_WIDTH:
        return False
    sys.stdout.write(HELP.read_text(encoding="utf-8"))
    sys.stdout.flush()
    return True


PLUGIN_LOADER = "pydantic.plugin._loader"


def no_pydantic_plugins() -> None:
    """Stand in for pydantic's plugin loader: with every plugin disabled it returns none."""
    stub = types.ModuleType(PLUGIN_LOADER, "meterr-config: PYDANTIC_DISABLE_PLUGINS=__all__")
    stub.get_plugins = tuple  # type: ignore[attr-defined]  # get_plugins() == ()
    sys.modules.setdefault(PLUGIN_LOADER, stub)


def main() -> None:
    """Console-script entry point."""
    if fast_help(sys.argv[1:]):
        sys.exit(0)
    if os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__") == "__all__":
        no_pydantic_plugins()
    from meterr_config import console

    if (check := console.check_arguments(sys.argv[1:])) is not None:
        console.serve(check.run)
    from meterr_config.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()

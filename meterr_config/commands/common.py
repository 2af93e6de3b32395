"""What several commands share: loading the selected environments and picking a reporter."""

from __future__ import annotations

import sys
from pathlib import Path

from meterr_config.load import LoadedEnvironment, Loader
from meterr_config.reporters import reporter_class
from meterr_config.reporters.base import Reporter


def load(environments: Path, names: list[str] | None) -> list[LoadedEnvironment]:
    """The named environments, or every concrete one in the folder."""
    return Loader(environments).load_many(names)


def reporter(fmt: str) -> Reporter:
    """A reporter for `fmt` writing to stdout."""
    return reporter_class(fmt)(sys.stdout)

"""`--values process`: the declared variables' values from this process's environment,
as a CI job that has its secrets in the environment supplies them."""

from __future__ import annotations

import os

from meterr_config.sources.registry import Values


def values(arg: str, names: set[str]) -> Values:
    """The values of `names` that are set; nothing else is read from the environment."""
    return {name: os.environ[name] for name in sorted(names) if name in os.environ}

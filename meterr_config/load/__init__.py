"""Load environment files: parse the TOML, follow `extends`, merge, validate, locate.

The first stage of the pipeline: everything after it works on a `LoadedEnvironment`.
"""

from meterr_config.load.loader import NAME_RE, LoadedEnvironment, Loader
from meterr_config.load.merge import deep_merge, normalise_shorthands
from meterr_config.load.source import SourceFile, locate

__all__ = [
    "NAME_RE",
    "LoadedEnvironment",
    "Loader",
    "SourceFile",
    "deep_merge",
    "locate",
    "normalise_shorthands",
]

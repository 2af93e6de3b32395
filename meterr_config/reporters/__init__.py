"""Reporter registry: one class per format, and the CLI's --format choices.

Rows name the module and class instead of importing them, so a command loads only the
reporter it prints with (`check` never loads SARIF's or GitHub's).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from meterr_config.formats import FORMATS, FormatName

if TYPE_CHECKING:
    from meterr_config.reporters.base import Reporter

# format -> (module under meterr_config.reporters, class)
REPORTERS: dict[str, tuple[str, str]] = {
    "text": ("text", "TextReporter"),
    "json": ("json_report", "JsonReporter"),
    "sarif": ("sarif", "SarifReporter"),
    "github": ("github", "GithubReporter"),
    "markdown": ("markdown", "MarkdownReporter"),
}


def reporter_class(fmt: str) -> type[Reporter]:
    """The Reporter subclass for `fmt`, imported now."""
    module, name = REPORTERS[fmt]
    found: type[Reporter] = getattr(
        importlib.import_module(f"meterr_config.reporters.{module}"), name
    )
    return found


__all__ = ["FORMATS", "REPORTERS", "FormatName", "reporter_class"]

"""Reporter registry: one class per format, and the CLI's --format choices."""

from __future__ import annotations

from typing import Literal, get_args

from meterr_config.reporters.base import Reporter
from meterr_config.reporters.github import GithubReporter
from meterr_config.reporters.json_report import JsonReporter
from meterr_config.reporters.markdown import MarkdownReporter
from meterr_config.reporters.sarif import SarifReporter
from meterr_config.reporters.text import TextReporter

# The --format choices; a test keeps this and REPORTERS in step.
FormatName = Literal["text", "json", "sarif", "github", "markdown"]

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "sarif": SarifReporter,
    "github": GithubReporter,
    "markdown": MarkdownReporter,
}

FORMATS = get_args(FormatName)

__all__ = ["FORMATS", "REPORTERS", "FormatName", "Reporter"]

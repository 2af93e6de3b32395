"""Reporter registry: one class per format, and the CLI's --format choices."""

from __future__ import annotations

from meterr_config.formats import FORMATS, FormatName
from meterr_config.reporters.base import Reporter
from meterr_config.reporters.github import GithubReporter
from meterr_config.reporters.json_report import JsonReporter
from meterr_config.reporters.markdown import MarkdownReporter
from meterr_config.reporters.sarif import SarifReporter
from meterr_config.reporters.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "sarif": SarifReporter,
    "github": GithubReporter,
    "markdown": MarkdownReporter,
}


__all__ = ["FORMATS", "REPORTERS", "FormatName", "Reporter"]

"""The --format names and exit codes, kept import-free so `--help` starts fast."""

from __future__ import annotations

from typing import Literal, get_args

# The --format choices; a test keeps this and the reporter registry in step.
FormatName = Literal["text", "json", "sarif", "github", "markdown"]
FORMATS = get_args(FormatName)

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2

#!/usr/bin/env python3
"""Rewrite docs/rules.md: the generated rule reference, then the hand-written part after
MARKER (the false-positive study), kept as it is.

Usage: python docs/rules.py [--check]    --check exits 1 when the file is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from meterr_config.lint.docs import markdown

PATH = Path(__file__).with_name("rules.md")
MARKER = "<!-- Hand-written below this line: kept by docs/rules.py. -->\n"


def current() -> str:
    """What docs/rules.md should hold."""
    text = PATH.read_text() if PATH.exists() else ""
    appendix = text.split(MARKER, 1)[1] if MARKER in text else ""
    return markdown() + "\n" + MARKER + appendix


if __name__ == "__main__":
    wanted = current()
    if "--check" in sys.argv[1:]:
        sys.exit(0 if PATH.read_text() == wanted else 1)
    PATH.write_text(wanted)

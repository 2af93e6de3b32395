"""NEXT001's table against Next.js 16.4.6's own: every key its config loader moves out of
`experimental` (`warnOptionHasBeenMovedOutOfExperimental`) or deprecates for a named
replacement (`checkDeprecations`) is in RENAMED, with the same new place."""

from __future__ import annotations

import re

import pytest

from meterr_config.realtools.tools import Tools
from meterr_config.validate.nextjs import RENAMED

pytestmark = pytest.mark.realtool

MOVED = re.compile(r"warnOptionHasBeenMovedOutOfExperimental\(result, '([\w.]+)', '([\w.]+)'")
DEPRECATED = re.compile(
    r"warnOptionHasBeenDeprecated\(userConfig, '([\w.]+)', `\\`[\w.]+\\` "
    r"(?:is deprecated\. Please use|has been moved to) \\`([\w.]+)\\`"
)


def _next_table(tools: Tools) -> dict[tuple[str, ...], str]:
    source = (tools.root / "node_modules/next/dist/server/config.js").read_text()
    table: dict[tuple[str, ...], str] = {
        ("experimental", old): new for old, new in MOVED.findall(source)
    }
    table |= {tuple(old.split(".")): new for old, new in DEPRECATED.findall(source)}
    return table


def test_next001_knows_every_key_next_moves(tools: Tools) -> None:
    theirs = _next_table(tools)
    assert len(theirs) >= 20  # the pattern still reads the file
    ours = {path: new for path, (new, _) in RENAMED.items()}
    assert {path: new for path, new in theirs.items() if ours.get(path) != new} == {}

"""Ask a pinned npm package for its verdicts: a short Node script reads a JSON list on
stdin and prints one JSON answer per item, so a whole generated batch costs one process."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from meterr_config.realtools.tools import Tools


def judge(
    tools: Tools, script: str, argument: str, items: list[Any], flags: tuple[str, ...] = ()
) -> list[Any]:
    """Run `script` (`node [flags] -e`) with `argument` as its process.argv[1] on `items`."""
    proc = subprocess.run(
        [tools.node, *flags, "-e", script, argument],
        input=json.dumps(items),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    answers = json.loads(proc.stdout)
    assert isinstance(answers, list) and len(answers) == len(items)
    return answers

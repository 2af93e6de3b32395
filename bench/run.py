#!/usr/bin/env python3
"""Every performance target of the project, one line each: start-up against the peer
(bench/startup.py) and scale (bench/scale.py). Exits 1 if any target fails.
Usage (from the repository root, after `pip install -e '.[bench]'`): python bench/run.py
"""

from __future__ import annotations

import sys

import scale
import startup

if __name__ == "__main__":
    ok = startup.main(7)
    ok = scale.main(5) and ok
    sys.exit(0 if ok else 1)

"""NEXT004 against Next.js itself: for generated `env` keys, Next's own check
(`getNextConfigEnv` in next/dist/lib/static-env.js, 16.4.6) refuses exactly the keys
NEXT004 reports. 300 generated keys per run, judged by one Node process."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meterr_config.realtools.tools import Tools
from meterr_config.validate.nextjs import next_problems
from tests.realtools.judge import judge

pytestmark = pytest.mark.realtool

JUDGE = """
const { getNextConfigEnv } = require(process.argv[1] + '/node_modules/next/dist/lib/static-env.js');
const keys = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(keys.map((key) => {
  try { getNextConfigEnv({ env: { [key]: 'x' }, configFileName: 'next.config.js' }); return false; }
  catch (error) { return true; }
})));
"""
PIECES = st.sampled_from(["NODE_", "node_", "Node_", "__", "_", "NEXT_RUNTIME", "NEXT_", "A", "x"])
KEYS = st.lists(st.text(st.sampled_from("AZaz_09-"), max_size=4) | PIECES, min_size=1, max_size=3)


def _refused_by_next(tools: Tools, keys: list[str]) -> list[bool]:
    return [bool(answer) for answer in judge(tools, JUDGE, str(tools.root), keys)]


def _refused_by_us(key: str) -> bool:
    return any(p[0] == "NEXT004" for p in next_problems({"env": {key: "x"}}, {}, "16.4", "x"))


def test_next004_refuses_the_env_keys_next_refuses(tools: Tools) -> None:
    keys: list[str] = []

    @settings(max_examples=300, database=None, deadline=None)
    @given(st.builds("".join, KEYS))
    def collect(key: str) -> None:
        keys.append(key)

    collect()
    keys += ["NODE_", "NODE_OPTIONS", "node_env", "__", "__x", "NEXT_RUNTIME", "next_runtime"]
    theirs = _refused_by_next(tools, keys)
    differ = [(k, t) for k, t in zip(keys, theirs, strict=True) if _refused_by_us(k) != t]
    assert differ == []

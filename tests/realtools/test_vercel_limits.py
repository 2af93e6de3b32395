"""VER003's bound against @vercel/build-utils itself (the package the CLI validates
`functions` with): the CLI refuses a maxDuration above getMaxDurationLimit()."""

from __future__ import annotations

import pytest

from meterr_config.lint.rules.vercel import MAX_DURATION
from meterr_config.realtools.tools import Tools
from tests.realtools.judge import judge

pytestmark = pytest.mark.realtool

JUDGE = """
const utils = require(process.argv[1] + '/node_modules/@vercel/build-utils');
JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify([utils.getMaxDurationLimit()]));
"""


def test_the_pro_and_enterprise_bound_is_the_cli_s(tools: Tools) -> None:
    (limit,) = judge(tools, JUDGE, str(tools.root), [None])
    assert MAX_DURATION["pro"] == MAX_DURATION["enterprise"] == limit

"""Our port of the Observatory grader against what the grader itself said.

`tests/data/observatory_algorithm6.json` was recorded from mdn/mdn-http-observatory `main`
(algorithm 6, its `analyzeScan` on requests built by its own `test/helpers.js`) by
`bench/observatory/record.py`; no expectation here is written by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from meterr_config.lint.observatory import ALGORITHM_VERSION, HEADER_TESTS, analyze, grade, total
from meterr_config.lint.observatory_csp import csp_problems

RECORDED = json.loads(
    (Path(__file__).parent.parent / "data/observatory_algorithm6.json").read_text()
)
CASES: list[dict[str, Any]] = RECORDED["cases"]


def test_the_recording_is_of_the_algorithm_we_port() -> None:
    assert RECORDED["algorithm_version"] == ALGORITHM_VERSION == 6
    assert len(CASES) > 300


@pytest.mark.parametrize("case", CASES, ids=[str(i) for i in range(len(CASES))])
def test_each_header_test_and_the_score_match_the_grader(case: dict[str, Any]) -> None:
    ours = analyze({name.lower(): [value] for name, value in case["headers"].items()})
    assert {t.name: [t.result, t.modifier] for t in ours} == {
        name: case["tests"][name] for name in HEADER_TESTS
    }
    # The recorded scan has no cookies, no scripts, an https redirect and no CORS: all 0.
    assert (total([t.modifier for t in ours]), grade(total([t.modifier for t in ours]))) == (
        case["score"],
        case["grade"],
    )


def test_hdr005_follows_the_same_analysis() -> None:
    assert csp_problems("script-src 'nonce-abc' 'unsafe-inline'; object-src 'none'") == []
    assert csp_problems("default-src 'self'") == []
    assert csp_problems("script-src 'self'") == [
        "the CSP sets neither object-src nor default-src, so plugins load from anywhere"
    ]
    assert csp_problems("default-src 'self'; script-src https:") == [
        "the CSP lets any inline or broad script run (https: in script-src)"
    ]
    assert csp_problems("script-src 'strict-dynamic'; object-src 'none'")[0].startswith(
        "the Observatory grader rejects this CSP"
    )

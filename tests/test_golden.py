"""Golden files: every artifact of every bundled environment and of the kitchen-sink fixture.

Set UPDATE_GOLDEN=1 to rewrite them after an intended change, then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from meterr_config.load import Loader
from meterr_config.render import ARTIFACTS, render
from tests.conftest import ENVIRONMENTS, FIXTURES

GOLDEN = Path(__file__).resolve().parent / "golden"
# (environments folder, environment, golden folder)
CASES = [
    *[(ENVIRONMENTS, name, name) for name in ("development", "staging", "production")],
    (FIXTURES / "kitchen", "prod", "kitchen"),
]


@pytest.mark.parametrize(("directory", "name", "folder"), CASES, ids=[c[2] for c in CASES])
@pytest.mark.parametrize("artifact", ARTIFACTS)
def test_artifact_matches_golden(directory: Path, name: str, folder: str, artifact: str) -> None:
    rendered = render(Loader(directory).load(name))[artifact]
    golden = GOLDEN / folder / artifact
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(rendered)
    assert rendered == golden.read_bytes()


def test_committed_generated_folder_is_the_golden_output() -> None:
    for name in ("development", "staging", "production"):
        for artifact in ARTIFACTS:
            committed = ENVIRONMENTS.parent / "generated" / name / artifact
            assert committed.read_bytes() == (GOLDEN / name / artifact).read_bytes()

"""`git_branch` accepts exactly the names `git check-ref-format --branch` accepts.

git is the oracle: each drawn name is given to git itself (run outside any repository,
so `@{-1}`-style shorthands are not expanded) and to the model.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from meterr_config.models.envvars import EnvVar

# The characters and pieces git's rules are about, and ordinary ones.
PIECES = st.sampled_from(
    ["a", "Z", "9", "-", "_", ".", "/", "@", "{", "}", "..", ".lock", "~", "^", ":",
     "?", "*", "[", "\\", " ", "\t", "\x7f", "é", "HEAD", "feature"]
)  # fmt: skip
NAMES = st.lists(PIECES, min_size=1, max_size=8).map("".join)


def _git_accepts(name: str, cwd: str) -> bool:
    git = shutil.which("git")
    if git is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("real-tool test cannot run under CI=true: git is not installed")
        pytest.skip("git is not installed")
    result = subprocess.run(
        [git, "check-ref-format", "--branch", name], cwd=cwd, capture_output=True, timeout=10
    )
    return result.returncode == 0


def _we_accept(name: str) -> bool:
    try:
        EnvVar(value="1", targets=["preview"], git_branch=name)
    except ValidationError:
        return False
    return True


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=NAMES)
@example(name="feature/new-dashboard")
@example(name="HEAD")
@example(name="a/.b")
@example(name="x.lock/y")
def test_git_branch_names_are_gits(name: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    cwd = str(tmp_path_factory.getbasetemp())
    assert _we_accept(name) == _git_accepts(name, cwd), name

"""Issue 16: `diff` and `lint` against hostile servers (tests/fuzzing/servers.py) keep the
CLI contract: exit 0, 1 or 2; no traceback; one `error:` line on exit 2; and the token
in no output.

The hostile behaviours are drawn by hypothesis: one field of one answer of the fake
Vercel API replaced by any JSON value, cursors in any order, odd statuses (redirects,
1xx, 204, 4xx, 5xx), and bodies that drip, never end, inflate (a gzip bomb) or are not the
gzip they claim. The bounds are patched down so a slow server costs a fraction of a
second, and retries do not sleep. METERR_FUZZ_EXAMPLES sets the number of examples.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meterr_config import limits
from tests.conftest import ENVIRONMENTS
from tests.fuzzing.harness import Outcome
from tests.fuzzing.servers import Twist, hostile_api, hostile_twists
from tests.inprocess import run_main

TOKEN = "tok_fuzz_7Kq2Xm9Lr4Vb8Zt3"
EXAMPLES = int(os.environ.get("METERR_FUZZ_EXAMPLES", "40"))
FORMATS = ("text", "json", "sarif", "github", "markdown")
COMMANDS = st.sampled_from(
    [("diff", "env:production", "vercel:meterr@production"), ("lint", "vercel:meterr@staging")]
)


@contextlib.contextmanager
def _small_bounds() -> Iterator[None]:
    """Bounds a fuzz example can afford, and retries without their waits."""
    with contextlib.ExitStack() as stack:
        for name, value in (
            ("REQUEST_SECONDS", 0.3),
            ("READ_SECONDS", 0.3),
            ("MAX_BODY_BYTES", 100_000),
            ("MAX_PAGES", 5),
            ("MAX_REQUESTS", 30),
        ):
            stack.enter_context(mock.patch.object(limits, name, value))
        stack.enter_context(mock.patch.object(time, "sleep", lambda seconds: None))
        yield


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch project with the bundled environments (the commands only read it)."""
    root = tmp_path_factory.mktemp("hostile-servers")
    shutil.copytree(ENVIRONMENTS, root / "environments")
    return root


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(twist=hostile_twists, command=COMMANDS, fmt=st.sampled_from(FORMATS))
def test_hostile_servers_keep_the_cli_contract(
    project: Path, twist: Twist, command: tuple[str, ...], fmt: str
) -> None:
    argv = (*command, "-f", fmt)
    with hostile_api(twist, TOKEN) as server, _small_bounds():
        env = {
            **os.environ,
            "METERR_CONFIG_DEBUG": "1",  # a bug escapes main() with its traceback
            "VERCEL_TOKEN": TOKEN,
            "VERCEL_API_URL": server.url,
        }
        env.pop("VERCEL_TEAM_ID", None)
        env.pop("GITHUB_STEP_SUMMARY", None)
        run = run_main(argv, project, env, timeout=30)
    kind = None if run.error is None else type(run.error).__name__
    error = None if run.error is None else f"{kind}: {run.error}"
    outcome = Outcome(argv, run.code, run.out, run.err, error, run.seconds, kind, "main()")
    assert outcome.problems() == [], (outcome.err, error)
    assert TOKEN not in run.out + run.err
    assert len(server.requests) <= 30 + 1  # MAX_REQUESTS, and one the deadline cut short

"""Fuzzing (issues 10 and 16): random TOML documents, mutated environments, random
vercel.json and dotenv files, and links and special files (FIFOs, sockets, devices)
planted where commands read and write, through every command that reads them. Every run
must exit 0, 1 or 2, print no traceback, say why on one line when it exits 2, never
hang, and change no file (a successful `render` changes only generated/).

CI runs a small profile, METERR_FUZZ_EXAMPLES examples per input class (default 40, about
ten seconds in all); `bench/fuzz.py` runs the same strategies 10,000 times.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meterr_config import verbosity
from meterr_config.commands import rules
from tests.conftest import run_process
from tests.fuzzing.harness import ContractError, Outcome, Project, run_cli
from tests.fuzzing.strategies import CLASSES, Case

EXAMPLES = int(os.environ.get("METERR_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # a render takes tens of milliseconds, and more on a busy CI machine
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.filter_too_much,
    ],
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The bundled environments, rendered once; each example runs in a fresh copy."""
    return Project(tmp_path_factory.mktemp("fuzz"))


@pytest.mark.parametrize("kind", list(CLASSES))
@FUZZ
@given(data=st.data())
def test_every_command_keeps_the_cli_contract(
    project: Project, kind: str, data: st.DataObject
) -> None:
    project.run(data.draw(CLASSES[kind], label=kind))


# --- the harness itself: faithful to the script, and failing when it should -----------------


def test_an_in_process_run_matches_the_script(project: Project) -> None:
    argv = ["diff", "staging", "production", "--format", "json"]
    with project.copy() as root:
        inside = run_cli(argv, root)
        script = run_process(*argv, cwd=root)
    assert (inside.code, inside.out, inside.err) == (script.code, script.out, script.err)


def test_a_run_leaves_no_global_state_behind(project: Project) -> None:
    def state() -> tuple[object, ...]:
        return (
            Path.cwd(),
            sys.argv,
            sys.getrecursionlimit(),
            signal.getsignal(signal.SIGTERM),
            dict(os.environ),
        )

    before = state()
    with project.copy() as root:
        outcome = run_cli(["-q", "lint", "staging"], root)
    assert outcome.problems() == []
    after = state()
    assert after == before
    assert not verbosity.quiet()


def test_an_exception_escaping_main_is_a_failure(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(rule_id: str | None, fmt: str) -> int:
        raise ValueError("a bug")

    monkeypatch.setattr(rules, "run", broken)
    with project.copy() as root:
        outcome = run_cli(["rules"], root)
    assert outcome.kind == "ValueError"
    assert outcome.problems()[0].startswith("ValueError escaped main() at meterr_config/cli.py:")


def test_a_hang_is_a_failure(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """The deadline stops the command where it hangs: the sleep never finishes."""
    finished: list[bool] = []

    def hanging(rule_id: str | None, fmt: str) -> int:
        time.sleep(5)
        finished.append(True)
        return 0

    monkeypatch.setattr(rules, "run", hanging)
    with project.copy() as root:
        outcome = run_cli(["rules"], root, timeout=0.2)
    assert outcome.kind == "Hang"
    assert outcome.problems()[0].startswith("Hang escaped main() at meterr_config/cli.py:")
    assert finished == []


@pytest.mark.parametrize(
    ("code", "err", "problem"),
    [
        (0, "", None),
        (2, "meterr-config: error: environments/x.toml:3: bad\n", None),
        (3, "", "exit 3, not 0, 1 or 2"),
        (2, "meterr-config: error: one\ntwo\n", "exit 2 with 2 lines on stderr"),
        (2, "", "exit 2 with 0 lines on stderr"),
        (1, "Traceback (most recent call last):\n", "a traceback in the output"),
    ],
)
def test_the_contract(code: int, err: str, problem: str | None) -> None:
    problems = Outcome(("x",), code, "", err, None, 0.0).problems()
    assert len(problems) == (problem is not None)
    assert all(p.startswith(str(problem)) for p in problems)


def test_a_file_written_is_a_failure(project: Project) -> None:
    case = Case((("values.env", b"A=1\n"),), ("import", "values.env", "--env", "y"))
    with pytest.raises(ContractError, match=r"files changed: environments/y\.toml"):
        project.run(case)


def test_a_failed_render_is_checked_to_write_nothing(project: Project) -> None:
    case = Case((("environments/production.toml", b"[cors]\nallowed = 1\n"),), ("render",))
    assert project.run(case).code == 2

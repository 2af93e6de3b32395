"""The fuzzing harness with planted links and special files (tests/fuzzing/files.py):
each kind is made as drawn, nothing is followed when the project is compared before and
after, a run that waits on a FIFO is stopped as a hang, and a run that reads or changes
what an outward link points at is a failure."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from meterr_config.commands import rules
from tests.fuzzing.files import OUTSIDE, Planted
from tests.fuzzing.harness import ContractError, Project, run_cli
from tests.fuzzing.strategies import Case


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return Project(tmp_path_factory.mktemp("fuzz-files"))


def test_every_planted_kind_is_made_and_refused_in_one_line(project: Project) -> None:
    """A FIFO, a socket, an outward link, a loop and a link to /dev/zero, as `.env` files
    of a dir: folder: the run refuses one of them in one line, and the harness passes it."""
    files: tuple[tuple[str, bytes | Planted | None], ...] = (
        ("site/vercel.json", b"{}\n"),
        ("site/.env", Planted("fifo")),
        ("site/.env.a", Planted("socket")),
        ("site/.env.b", Planted("link", f"@{OUTSIDE}/secret.env")),
        ("site/.env.c", Planted("link", "@self")),
        ("site/.env.d", Planted("link", "/dev/zero")),
    )
    outcome = project.run(Case(files, ("lint", "dir:site")))
    assert outcome.code == 2  # the link out of the folder is checked first
    assert outcome.err == (
        "meterr-config: error: site/.env.d: leads outside the folder site "
        "(to /dev/zero, through a symlink or '..'): refused\n"
    )


def test_each_kind_is_planted_as_drawn(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, int] = {}

    def look(rule_id: str | None, fmt: str) -> int:
        for name in ("fifo", "socket", "loop", "out"):
            seen[name] = Path(name).lstat().st_mode
        assert Path("out").resolve().parent.name == OUTSIDE
        return 0

    monkeypatch.setattr(rules, "run", look)
    files: tuple[tuple[str, bytes | Planted | None], ...] = (
        ("fifo", Planted("fifo")),
        ("socket", Planted("socket")),
        ("loop", Planted("link", "@self")),
        ("out", Planted("link", f"@{OUTSIDE}/secret.env")),
    )
    assert project.run(Case(files, ("rules",))).code == 0
    assert stat.S_ISFIFO(seen["fifo"]) and stat.S_ISSOCK(seen["socket"])
    assert stat.S_ISLNK(seen["loop"]) and stat.S_ISLNK(seen["out"])


def test_a_run_waiting_on_a_fifo_is_stopped_as_a_hang(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a FIFO did to `dotenv:` before issue 16: the deadline stops the blocked open."""

    def wait(rule_id: str | None, fmt: str) -> int:
        with Path("values.env").open("rb") as handle:  # blocks until a writer comes
            handle.read()
        return 0

    monkeypatch.setattr(rules, "run", wait)
    with project.copy() as root:
        os.mkfifo(root / "values.env")
        outcome = run_cli(["rules"], root, timeout=0.5)
    assert outcome.kind == "Hang"
    assert not root.exists()  # the scratch copy, FIFO and all, is removed


def test_printing_what_an_outward_link_points_at_is_a_failure(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    def leak(rule_id: str | None, fmt: str) -> int:
        print(Path("out").read_text())  # holds files.OUTSIDE_SECRET
        return 0

    monkeypatch.setattr(rules, "run", leak)
    case = Case((("out", Planted("link", f"@{OUTSIDE}/secret.env")),), ("rules",))
    with pytest.raises(ContractError, match="printed a file outside the project"):
        project.run(case)


def test_writing_through_an_outward_link_is_a_failure(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    def write(rule_id: str | None, fmt: str) -> int:
        Path("out").write_text("overwritten\n")
        return 0

    monkeypatch.setattr(rules, "run", write)
    case = Case((("out", Planted("link", f"@{OUTSIDE}/secret.env")),), ("rules",))
    with pytest.raises(ContractError, match="a file outside the project changed"):
        project.run(case)

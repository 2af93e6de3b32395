"""Golden files per output format: what `check`, `validate`, `lint`, `lint --score` and
`diff` print for the bundled environments, in each `--format`, compared exactly.

The files are tests/golden/formats/<case>.<extension of the format>, such as lint.sarif or
lint.github.txt; each case's exit code is
pinned here, and stderr must be empty. The only thing normalised is the package's own
version in SARIF's `tool.driver.version` (exactly one per run, asserted to be
`__version__`), so that a release does not rewrite every SARIF file; paths are relative
to the project already, and nothing else varies between machines or runs.

`check` runs on a rendered project where one file was hand-edited, one deleted and one
added, so that every format shows a drift of each kind.

After an intended change, rewrite them and review the diff:

    UPDATE_GOLDEN=1 python -m pytest tests/test_formats_golden.py

Without it, a golden file that differs from the output, or one no case writes, fails.
Under CI=true the variable is refused, so CI can never rewrite a stale file into a pass.
"""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from meterr_config import __version__
from meterr_config.reporters import FORMATS
from tests.conftest import Runner

FORMATS_GOLDEN = Path(__file__).resolve().parent / "golden" / "formats"
# The file's extension for each format (github's workflow commands are text, as text is).
EXTENSIONS = {
    "text": "txt",
    "json": "json",
    "sarif": "sarif",
    "github": "github.txt",
    "markdown": "md",
}
VERSION_PLACEHOLDER = "<meterr-config version>"


@dataclass(frozen=True)
class Case:
    """A command line, the state it runs on and the exit code it must end with."""

    name: str
    args: tuple[str, ...]
    code: int
    drifted: bool = False  # render first, then edit, delete and add a generated file

    def __str__(self) -> str:
        return self.name


CASES = [
    Case("check-drifted", ("check",), 1, drifted=True),
    Case("validate", ("validate",), 0),
    Case("lint", ("lint",), 0),
    Case("lint-score-production", ("lint", "--score", "production"), 0),
    Case("diff-staging-production", ("diff", "staging", "production"), 0),
]


def golden_path(case: Case, fmt: str) -> Path:
    return FORMATS_GOLDEN / f"{case.name}.{EXTENSIONS[fmt]}"


def _updating() -> bool:
    if not os.environ.get("UPDATE_GOLDEN"):
        return False
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("UPDATE_GOLDEN is refused under CI=true: golden files must match")
    return True


def _drift(cli: Runner, workdir: Path) -> None:
    """A rendered project with a changed, a missing and an extra generated file."""
    assert cli("render").code == 0
    generated = workdir / "generated"
    vercel = generated / "production" / "vercel.json"
    vercel.write_text(vercel.read_text().replace('"DENY"', '"SAMEORIGIN"'))
    (generated / "staging" / ".env.example").unlink()
    (generated / "development" / "notes.txt").write_text("hand-written\n")


def normalise(fmt: str, out: str) -> str:
    """The output with the package version in SARIF replaced by a placeholder."""
    if fmt != "sarif":
        return out
    runs = json.loads(out)["runs"]
    assert [run["tool"]["driver"]["version"] for run in runs] == [__version__] * len(runs)
    field = f'"version": "{__version__}"'
    assert out.count(field) == len(runs)  # the driver's, and no other field holds it
    return out.replace(field, f'"version": "{VERSION_PLACEHOLDER}"')


def compare(golden: Path, produced: str, update: bool) -> None:
    """Assert `produced` is exactly the golden file; with `update`, rewrite it instead."""
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        if not golden.is_file() or golden.read_text(encoding="utf-8") != produced:
            golden.write_text(produced, encoding="utf-8")
        return
    assert golden.is_file(), f"{golden.name} is missing: run with UPDATE_GOLDEN=1"
    expected = golden.read_text(encoding="utf-8")
    if produced != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            produced.splitlines(keepends=True),
            f"golden/formats/{golden.name}",
            "output",
        )
        pytest.fail(
            f"{golden.name} is stale (rewrite with UPDATE_GOLDEN=1 after an intended "
            "change):\n" + "".join(diff),
            pytrace=False,
        )


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", CASES, ids=str)
def test_output_matches_golden(cli: Runner, workdir: Path, case: Case, fmt: str) -> None:
    update = _updating()
    if case.drifted:
        _drift(cli, workdir)
    # GitHub's job summary would be appended to when the variable is set (as in Actions).
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    result = cli(*case.args, "--format", fmt, env=env)
    assert (result.code, result.err) == (case.code, "")
    compare(golden_path(case, fmt), normalise(fmt, result.out), update)


def test_every_golden_file_belongs_to_a_case() -> None:
    """A file no case writes any more is stale too (removed under UPDATE_GOLDEN)."""
    expected = {golden_path(case, fmt) for case in CASES for fmt in FORMATS}
    orphans = sorted(set(FORMATS_GOLDEN.glob("*")) - expected)
    if _updating():
        for orphan in orphans:
            orphan.unlink()
        return
    assert orphans == [], [p.name for p in orphans]


def test_a_stale_golden_file_fails(tmp_path: Path) -> None:
    """The comparison is exact: one character changed is a failure, naming the file."""
    golden = tmp_path / "lint.txt"
    golden.write_text("1 warning in 1 environment.\n", encoding="utf-8")
    compare(golden, "1 warning in 1 environment.\n", update=False)
    with pytest.raises(pytest.fail.Exception, match=r"lint\.txt is stale"):
        compare(golden, "2 warning in 1 environment.\n", update=False)
    with pytest.raises(pytest.fail.Exception, match=r"lint\.txt is stale"):
        compare(golden, "1 warning in 1 environment.", update=False)  # the newline
    with pytest.raises(AssertionError, match="missing"):
        compare(tmp_path / "absent.txt", "", update=False)


def test_only_the_sarif_version_is_normalised() -> None:
    log = {"version": "2.1.0", "runs": [{"tool": {"driver": {"version": __version__}}}]}
    text = json.dumps(log, indent=2)
    assert normalise("sarif", text) == text.replace(
        f'"version": "{__version__}"', f'"version": "{VERSION_PLACEHOLDER}"'
    )
    assert '"version": "2.1.0"' in normalise("sarif", text)
    assert normalise("json", text) == text
    other = json.dumps({"runs": [{"tool": {"driver": {"version": "9.9"}}}]})
    with pytest.raises(AssertionError):
        normalise("sarif", other)

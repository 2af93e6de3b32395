"""Bad input, end to end: the real CLI exits 2 with one located line on stderr, and writes nothing.

Each case copies `environments/` into a fresh folder, breaks one thing, and runs
`meterr-config <command>` there (in-process, through the console script's entry point).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ENVIRONMENTS, Result, run_cli

PREFIX = "meterr-config: error: "
COMMANDS = ("render", "check", "validate")


@dataclass(frozen=True)
class Edit:
    """Replace `old` by `new` in one environment file (append `new` when `old` is None)."""

    file: str
    old: bytes | None
    new: bytes


@dataclass(frozen=True)
class Case:
    """One bad input and the error line it must produce."""

    id: str
    edits: tuple[Edit, ...]
    # The error line must start with PREFIX + `starts`; `exact` pins the whole line.
    starts: str
    exact: bool = False
    contains: tuple[str, ...] = ()
    args: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.id


def replace(file: str, old: str | bytes, new: str | bytes) -> Edit:
    return Edit(file, _bytes(old), _bytes(new))


def append(file: str, text: str) -> Edit:
    return Edit(file, None, _bytes(text))


def _bytes(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode()


PRODUCTION_ORIGINS = 'allowed_origins = ["https://app.meterr.ai"]'

CASES = [
    Case(
        "toml-missing-comma-mid-file",
        (replace("base", '"POST", "PUT"', '"POST" "PUT"'),),
        starts="environments/base.toml:46:",
        contains=("invalid TOML",),
    ),
    Case(
        "toml-unterminated-array-at-eof",
        (append("production", '\n[vercel]\nregions = [\n    "iad1",\n'),),
        starts="environments/production.toml:15: invalid TOML: ",
        contains=("end of file",),
    ),
    Case(
        "wrong-type",
        (replace("production", PRODUCTION_ORIGINS, f'{PRODUCTION_ORIGINS}\nmax_age = "ten"'),),
        starts="environments/production.toml:8: cors.max_age: ",
        contains=("integer",),
    ),
    Case(
        "unknown-key",
        (replace("staging", "allowed_origins =", "allowed_origin ="),),
        starts="environments/staging.toml:8: cors.allowed_origin: "
        "unknown key (did you mean 'allowed_origins'?)",
        exact=True,
    ),
    Case(
        "key-in-the-wrong-table",
        (replace("staging", "[cors]\n", ""),),
        starts="environments/staging.toml:7: allowed_origins: "
        "unknown key here ('allowed_origins' belongs in [cors])",
        exact=True,
    ),
    Case(
        "extends-cycle",
        (replace("production", 'extends = "base"', 'extends = "staging"'),),
        starts="environments/staging.toml:3: extends: "
        "extends cycle: production -> staging -> production",
        exact=True,
    ),
    Case(
        "missing-parent",
        (replace("production", 'extends = "base"', 'extends = "basis"'),),
        starts="environments/production.toml:2: extends: "
        "parent environment 'basis' not found (environments/basis.toml)",
        exact=True,
    ),
    Case(
        "unknown-env",
        (),
        args=("--env", "prod"),
        starts="environments: unknown environment 'prod' "
        "(known: base, development, production, staging)",
        exact=True,
    ),
    Case(
        "missing-environments-folder",
        (),
        args=("--environments", "nowhere"),
        starts="nowhere: environments folder not found",
        exact=True,
    ),
    Case(
        "secret-with-value",
        (replace("development", "[flags]", 'OPENAI_API_KEY = "sk-test"\n\n[flags]'),),
        starts="environments/development.toml:16: env.OPENAI_API_KEY: "
        "a secret cannot have a value in an environment file",
    ),
    Case(
        "public-false-on-next-public-name",
        (
            replace(
                "base",
                'inlined into the browser bundle at build time."',
                'inlined into the browser bundle at build time."\npublic = false',
            ),
        ),
        starts="environments/base.toml:78: env.NEXT_PUBLIC_API_URL.public: public = false ",
        contains=("NEXT_PUBLIC_",),
    ),
    Case(
        "non-utf8",
        (replace("staging", b"mirrors", b"mirr\xffors"),),
        starts="environments/staging.toml",
        contains=("UTF-8",),
    ),
    Case(
        "extends-not-a-string",
        (replace("production", 'extends = "base"', "extends = 5"),),
        starts="environments/production.toml:2: extends: must be the name of another environment",
        exact=True,
    ),
    Case(
        "bad-enum-value",
        (append("production", '\n[project]\nplan = "free"\n'),),
        starts="environments/production.toml:14: project.plan: "
        "Input should be 'hobby', 'pro' or 'enterprise'",
        exact=True,
    ),
    Case(
        "wrong-type-in-array-of-tables",
        (
            append(
                "production",
                '\n[[vercel.crons]]\npath = "/api/cron/a"\nschedule = "0 * * * *"\n'
                '\n[[vercel.crons]]\npath = 5\nschedule = "0 3 * * *"\n',
            ),
        ),
        starts="environments/production.toml:18: vercel.crons[1].path: "
        "Input should be a valid string",
        exact=True,
    ),
]

# More inputs of a kind already covered above: `validate` is enough for these.
VARIANTS = [
    Case(
        "toml-unterminated-string-mid-file",
        (replace("base", 'plan = "enterprise"', 'plan = "enterprise'),),
        starts="environments/base.toml:9:",
        contains=("invalid TOML",),
    ),
    Case(
        "toml-unterminated-array-at-eof-no-newline",
        (append("production", "\nextra = [1, 2"),),
        starts="environments/production.toml:13: invalid TOML: ",
        contains=("end of file",),
    ),
]

# Regressions for bugs found and fixed: each runs with `validate` only.
REGRESSION_CASES = [
    pytest.param(
        Case(
            "non-utf8-names-the-line",
            (replace("staging", b"mirrors", b"mirr\xffors"),),
            starts="environments/staging.toml:2:",
            contains=("UTF-8",),
        ),
        id="non-utf8-names-the-line",
    ),
    pytest.param(
        Case(
            "missing-key-in-child-array-of-tables",
            (append("production", '\n[[vercel.crons]]\nschedule = "0 3 * * *"\n'),),
            starts="environments/production.toml:13: vercel.crons[0].path: Field required",
            exact=True,
        ),
        id="missing-key-in-child-array-of-tables",
    ),
    pytest.param(
        Case(
            "line-separator-in-a-string",
            (
                replace("production", "meterr.ai production", "meterr.ai\u2028production"),
                replace("production", PRODUCTION_ORIGINS, f'{PRODUCTION_ORIGINS}\nmax_age = "ten"'),
            ),
            starts="environments/production.toml:8: cors.max_age: ",
        ),
        id="line-separator-in-a-string",
    ),
    pytest.param(
        Case(
            "numeric-string-for-an-integer",
            (replace("production", PRODUCTION_ORIGINS, f'{PRODUCTION_ORIGINS}\nmax_age = "600"'),),
            starts="environments/production.toml:8: cors.max_age: ",
        ),
        id="numeric-string-for-an-integer",
    ),
]


def _prepare(folder: Path, case: Case) -> None:
    shutil.copytree(ENVIRONMENTS, folder / "environments")
    for edit in case.edits:
        path = folder / "environments" / f"{edit.file}.toml"
        data = path.read_bytes()
        if edit.old is None:
            data += edit.new
        else:
            assert edit.old in data, f"{case.id}: {edit.old!r} not in {edit.file}.toml"
            data = data.replace(edit.old, edit.new, 1)
        path.write_bytes(data)


def _run(folder: Path, case: Case, command: str) -> Result:
    """Break a fresh copy of the environments in `folder` as `case` says; run `command`."""
    _prepare(folder, case)
    return run_cli(command, *case.args, cwd=folder)


def _assert_bad_input(folder: Path, result: Result, case: Case, command: str) -> None:
    shown = f"exit {result.code}\nstdout: {result.out!r}\nstderr: {result.err!r}"
    assert "Traceback" not in result.out + result.err, shown
    assert result.code == 2, shown
    assert result.err.endswith("\n"), shown
    assert result.err.count("\n") == 1, shown
    line = result.err[:-1]
    assert "\r" not in line, shown
    assert line.startswith(PREFIX), shown
    message = line.removeprefix(PREFIX)
    if case.exact:
        assert message == case.starts, shown
    else:
        assert message.startswith(case.starts), shown
    for part in case.contains:
        assert part in message, shown
    assert result.out == "", shown
    # Nothing written: the folder holds only the environments it started with.
    assert not (folder / "generated").exists(), f"{command} wrote generated/"
    assert sorted(p.name for p in folder.iterdir()) == ["environments"], shown


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input(case: Case, command: str, tmp_path: Path) -> None:
    _assert_bad_input(tmp_path, _run(tmp_path, case, command), case, command)


@pytest.mark.parametrize("command", ["validate"])
@pytest.mark.parametrize("case", VARIANTS, ids=str)
def test_bad_input_variants(case: Case, command: str, tmp_path: Path) -> None:
    _assert_bad_input(tmp_path, _run(tmp_path, case, command), case, command)


@pytest.mark.parametrize("command", ["validate"])
@pytest.mark.parametrize("case", REGRESSION_CASES)
def test_bad_input_regressions(case: Case, command: str, tmp_path: Path) -> None:
    _assert_bad_input(tmp_path, _run(tmp_path, case, command), case, command)


@pytest.mark.parametrize("command", ["validate"])
@pytest.mark.parametrize("case", [Case("unbroken", (), starts="")], ids=str)
def test_the_unbroken_copy_is_valid(case: Case, command: str, tmp_path: Path) -> None:
    """The baseline every case breaks: the copied environments validate cleanly."""
    result = _run(tmp_path, case, command)
    assert result.code == 0, result
    assert result.err == ""

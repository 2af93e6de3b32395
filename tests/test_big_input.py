"""Big input: a 20 MB file, 1,000-deep nesting and a 500-long extends chain are either
handled within bounded memory or refused in one line, before any parser recurses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from meterr_config.limits import MAX_BYTES
from tests.conftest import Result, Runner, big_environment, run_cli

PREFIX = "meterr-config: error: "
TOO_BIG = "is larger than 1 MB, the most meterr-config reads (a real config is a few kilobytes)"
TOO_DEEP = "nested more than 32 levels deep; no config is"


def _refused(result: Result, expected: str) -> None:
    assert result.code == 2, result.err
    assert result.out == "" and result.err == f"{PREFIX}{expected}\n"


def _twenty_megabytes(path: Path, line: str) -> None:
    path.write_text(line * (20 * 2**20 // len(line) + 1))


@pytest.fixture
def production(workdir: Path) -> Path:
    return workdir / "environments" / "production.toml"


def test_a_20_mb_environment_file_is_refused_unread(cli: Runner, production: Path) -> None:
    text = production.read_text() + "\n[flags]\n"
    production.write_text(text)
    with production.open("a") as handle:
        handle.writelines(f"FEATURE_{i:08d} = false\n" for i in range(20 * 2**20 // 24))
    for command in ("check", "render", "lint", "validate"):
        _refused(cli(command), f"environments/production.toml: {TOO_BIG}")
    _refused(cli("diff", "staging", "production"), f"environments/production.toml: {TOO_BIG}")
    assert not (production.parent.parent / "generated").exists()


def test_a_file_of_exactly_the_limit_is_read(cli: Runner, production: Path) -> None:
    text = production.read_text() + "\n"
    padding = MAX_BYTES - len(text.encode())
    production.write_text(text + "#" * (padding - 1) + "\n")
    assert production.stat().st_size == MAX_BYTES
    assert cli("render").code == 0


def test_20_mb_dotenv_and_vercel_json_are_refused(cli: Runner, workdir: Path) -> None:
    _twenty_megabytes(workdir / "pulled.env", "FEATURE_X=false\n")
    legacy = workdir / "legacy"
    legacy.mkdir()
    (legacy / "vercel.json").write_text('{"regions": [' + '"iad1", ' * (3 * 2**20) + '"iad1"]}')
    _refused(cli("lint", "--values", "dotenv:pulled.env"), f"pulled.env: {TOO_BIG}")
    _refused(cli("diff", "env:production", "dotenv:pulled.env"), f"pulled.env: {TOO_BIG}")
    _refused(cli("lint", "dir:legacy"), f"legacy/vercel.json: {TOO_BIG}")
    _refused(
        cli("import", "legacy/vercel.json", "--env", "x", "--out", "-"),
        f"legacy/vercel.json: {TOO_BIG}",
    )
    assert not (workdir / "environments" / "x.toml").exists()


@pytest.mark.parametrize(
    ("extra", "marker"),
    [
        ("[vercel.passthrough.{}]\nx = 1\n".format(".".join(f"k{i}" for i in range(1000))), "["),
        ("[nextjs.passthrough]\nx = " + "[" * 1000 + "]" * 1000 + "\n", "x"),
        ("[nextjs.passthrough]\nx = " + "{a = " * 40 + "1" + "}" * 40 + "\n", "x"),
    ],
    ids=["dotted-tables", "arrays", "inline-tables"],
)
def test_1000_deep_tables_are_refused_at_their_line(
    cli: Runner, production: Path, extra: str, marker: str
) -> None:
    before = production.read_text() + "\n"
    production.write_text(before + extra)
    line = len(before.splitlines()) + 1 + (marker == "x")  # the deep header, or the x = line
    message = f"environments/production.toml:{line}: tables or arrays {TOO_DEEP}"
    for command in ("check", "lint"):
        _refused(cli(command), message)


@pytest.mark.parametrize("depth", [40, 1000, 100_000])
def test_deep_vercel_json_is_refused(cli: Runner, workdir: Path, depth: int) -> None:
    legacy = workdir / "legacy"
    legacy.mkdir()
    (legacy / "vercel.json").write_text('{"x": ' + "[" * depth + "]" * depth + "}")
    result = cli("lint", "dir:legacy")
    assert result.code == 2 and len(result.err.splitlines()) == 1
    assert result.err.startswith(f"{PREFIX}legacy/vercel.json")
    assert "nested" in result.err


def test_an_extends_chain_500_long_loads_in_bounded_memory(workdir: Path) -> None:
    environments = workdir / "environments"
    parent = "production"
    for index in range(500):
        (environments / f"c{index:03d}.toml").write_text(f'extends = "{parent}"\n')
        parent = f"c{index:03d}"
    (environments / "c499.toml").write_text(
        'extends = "c498"\n\n[env.NEXT_PUBLIC_API_URL]\nvalue = "https://api.c499.meterr.ai"\n'
    )
    code = (
        "import sys\n"
        "from meterr_config.cli import main\n"
        "sys.argv = ['meterr-config', 'diff', 'production', 'c499', '-f', 'json']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the process that forked
        # this one (a test worker that may itself be past 300 MB) across the exec.
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0]\n"
        "print(hwm.split()[1], file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    result = run_cli_code(code, workdir)
    changes = json.loads(result.out)["changes"]
    assert [c["path"] for c in changes] == [["env", "NEXT_PUBLIC_API_URL", "value"]]
    assert int(result.err.split()[-1]) < 300 * 1024  # kilobytes: flat, not per ancestor
    assert run_cli("check", "-e", "c499", cwd=workdir).code == 1  # loads; only its files missing


def run_cli_code(code: str, cwd: Path) -> Result:
    """Run Python `code` in `cwd`: for measuring the CLI's own peak memory."""
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=600
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def test_check_on_18000_env_tables_scans_each_file_once(
    cli: Runner, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big_environment(workdir, "[env.S_{i:05d}_TOKEN]\nsecret = true\nmin_length = 32\n", 18_000)
    from meterr_config.load import toml_lines

    scans: list[int] = []
    key_lines = toml_lines.key_lines

    def counted(text: str) -> dict[tuple[str | int, ...], int]:
        scans.append(len(text))
        return key_lines(text)

    monkeypatch.setattr(toml_lines, "key_lines", counted)
    cli("render", "--out", "generated")
    result = cli("check", "--out", "generated")
    assert (result.code, result.err) == (0, "")
    assert len(scans) <= 4  # at most one scan per environment file

"""Hostile paths: symlinks and names that would lead a read or a write out of its folder.

The threat is a pull request that commits a symlink: `generated/production/vercel.json`
pointing at a file holding the CI's secrets would be printed by `check`'s diff, and one
pointing at a file the CI user owns would be overwritten by `render`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.conftest import Runner

SECRET = "hOsTiLe-secret-0123456789"
PREFIX = "meterr-config: error: "


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project, holding a file with a secret in it."""
    folder = tmp_path.parent / f"{tmp_path.name}-outside"
    folder.mkdir()
    (folder / "secrets.txt").write_text(f'{{"token": "{SECRET}"}}\n')
    return folder


def _one_line_refusal(code: int, out: str, err: str) -> str:
    assert code == 2, (out, err)
    assert "Traceback" not in err and SECRET not in out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(PREFIX) and "refused" in lines[0]
    return lines[0].removeprefix(PREFIX)


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_render_refuses_an_environment_folder_linked_outside(
    cli: Runner, workdir: Path, outside: Path
) -> None:
    assert cli("render").code == 0
    before = _tree(workdir / "generated")
    production = workdir / "generated" / "production"
    for path in production.iterdir():
        path.unlink()
    production.rmdir()
    production.symlink_to(outside, target_is_directory=True)
    result = cli("render")
    line = _one_line_refusal(result.code, result.out, result.err)
    assert line == (
        "generated/production: is a symlink: generated files are written in real folders; "
        "remove the link: refused"
    )
    assert sorted(p.name for p in outside.iterdir()) == ["secrets.txt"]  # nothing written there
    production.unlink()
    assert not (workdir / "generated" / "production").exists()
    after = _tree(workdir / "generated")  # all or nothing: the other environments as they were
    assert after == {k: v for k, v in before.items() if not k.startswith("production/")}


def test_render_refuses_a_file_linked_outside_and_leaves_its_target(
    cli: Runner, workdir: Path, outside: Path
) -> None:
    assert cli("render").code == 0
    target = workdir / "generated" / "staging" / "vercel.json"
    target.unlink()
    target.symlink_to(outside / "secrets.txt")
    _one_line_refusal(*_run(cli, "render"))
    assert (outside / "secrets.txt").read_text() == f'{{"token": "{SECRET}"}}\n'
    assert target.is_symlink()


def test_render_refuses_a_link_inside_the_output_folder(cli: Runner, workdir: Path) -> None:
    """A link between two environments' files would let one render overwrite the other."""
    assert cli("render").code == 0
    link = workdir / "generated" / "staging" / "vercel.json"
    production = workdir / "generated" / "production" / "vercel.json"
    before = production.read_bytes()
    link.unlink()
    link.symlink_to(production)
    line = _one_line_refusal(*_run(cli, "render"))
    assert line == (
        "generated/staging/vercel.json: is a symlink: generated files are regular files; "
        "remove the link: refused"
    )
    assert production.read_bytes() == before


def test_an_output_folder_that_is_a_symlink_is_refused(
    cli: Runner, workdir: Path, outside: Path
) -> None:
    """A committed `generated -> /somewhere` would make every path inside it look inside."""
    (workdir / "generated").symlink_to(outside, target_is_directory=True)
    for command in ("render", "check"):
        line = _one_line_refusal(*_run(cli, command))
        assert line.startswith("generated: is a symlink: refused; give the output folder it points")
    assert sorted(p.name for p in outside.iterdir()) == ["secrets.txt"]


def test_check_never_prints_a_file_linked_outside(
    cli: Runner, workdir: Path, outside: Path
) -> None:
    assert cli("render").code == 0
    target = workdir / "generated" / "production" / "vercel.json"
    target.unlink()
    target.symlink_to(outside / "secrets.txt")
    for fmt in ("text", "json", "markdown"):
        line = _one_line_refusal(*_run(cli, "check", "--format", fmt))
        assert line.startswith("generated/production/vercel.json: leads outside the output folder")


def test_an_environment_file_linked_outside_is_refused(
    cli: Runner, workdir: Path, outside: Path
) -> None:
    (workdir / "environments" / "evil.toml").symlink_to(outside / "secrets.txt")
    for command in ("check", "lint", "render"):
        line = _one_line_refusal(*_run(cli, command))
        assert line.startswith("environments/evil.toml: leads outside the environments folder")


def test_a_dir_source_with_a_file_linked_outside_is_refused(
    cli: Runner, workdir: Path, outside: Path
) -> None:
    folder = workdir / "legacy"
    folder.mkdir()
    (folder / "vercel.json").write_text("{}\n")
    (folder / ".env").symlink_to(outside / "secrets.txt")
    for args in (("lint", "dir:legacy"), ("diff", "env:production", "dir:legacy")):
        line = _one_line_refusal(*_run(cli, *args))
        assert line.startswith("legacy/.env: leads outside the folder legacy")


@pytest.mark.parametrize("name", ["../escape", "/tmp/escape", "a/b", "..", "Prod", ""])
def test_import_refuses_an_environment_name_that_is_a_path(
    cli: Runner, workdir: Path, name: str
) -> None:
    (workdir / "vercel.json").write_text('{"framework": "nextjs"}\n')
    result = cli("import", "vercel.json", "--env", name)
    assert result.code == 2 and "is not an environment name" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not (workdir.parent / "escape.toml").exists()
    assert not Path("/tmp/escape.toml").exists()


def test_import_refuses_a_target_file_linked_outside(
    cli: Runner, workdir: Path, outside: Path
) -> None:
    (workdir / "vercel.json").write_text('{"framework": "nextjs"}\n')
    (workdir / "environments" / "copy.toml").symlink_to(outside / "secrets.txt")
    result = cli("import", "vercel.json", "--env", "copy", "--force")
    _one_line_refusal(result.code, result.out, result.err)
    assert SECRET in (outside / "secrets.txt").read_text()


def test_an_extends_that_is_a_path_is_refused(cli: Runner, workdir: Path) -> None:
    path = workdir / "environments" / "staging.toml"
    path.write_text(path.read_text().replace('extends = "production"', 'extends = "../production"'))
    result = cli("check")
    assert result.code == 2
    assert result.err.startswith(f"{PREFIX}environments/staging.toml:")
    assert "extends" in result.err and len(result.err.strip().splitlines()) == 1


def _run(cli: Runner, *args: str) -> tuple[int, str, str]:
    result = cli(*args)
    return result.code, result.out, result.err


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(
    ("umask", "file_mode", "dir_mode"),
    [(0o022, 0o644, 0o755), (0o077, 0o600, 0o700), (0o000, 0o644, 0o755)],
)
def test_new_files_follow_the_umask_and_are_never_writable_by_others(
    cli: Runner, workdir: Path, umask: int, file_mode: int, dir_mode: int
) -> None:
    previous = os.umask(umask)  # the process's, as a shell's `umask` sets it for the script
    try:
        result = cli("render")
    finally:
        os.umask(previous)
    assert result.code == 0, result.err
    generated = workdir / "generated"
    assert {_mode(p) for p in generated.rglob("*") if p.is_file()} == {file_mode}
    assert {_mode(p) for p in generated.rglob("*") if p.is_dir()} | {_mode(generated)} == {dir_mode}


def test_a_replaced_file_keeps_its_mode_less_group_and_world_write(
    cli: Runner, workdir: Path
) -> None:
    assert cli("render").code == 0
    private = workdir / "generated" / "production" / "vercel.json"
    shared = workdir / "generated" / "staging" / "vercel.json"
    for path, mode in ((private, 0o600), (shared, 0o666)):
        path.write_text("{}\n")
        path.chmod(mode)
    assert cli("render").code == 0
    assert (_mode(private), _mode(shared)) == (0o600, 0o644)


def test_check_refuses_a_link_that_render_would_refuse(cli: Runner, workdir: Path) -> None:
    """The CI gate must not pass a tree that render cannot write."""
    assert cli("render").code == 0
    link = workdir / "generated" / "production" / "vercel.json"
    staging = workdir / "generated" / "staging" / "vercel.json"
    link.unlink()
    link.symlink_to(staging)
    line = _one_line_refusal(*_run(cli, "check"))
    assert line.startswith("generated/production/vercel.json: is a symlink")


def test_a_link_inside_its_folder_is_still_read(cli: Runner, workdir: Path) -> None:
    """Confinement, not a ban on links: a dotenv: link to a file beside it reads that file."""
    (workdir / "shared.env").write_text("API_URL=https://api.meterr.ai\n")
    (workdir / "values.env").symlink_to("shared.env")
    result = cli("diff", "dotenv:values.env", "dotenv:shared.env")
    assert (result.code, result.err) == (0, "")


def test_a_loop_of_links_is_refused_in_one_line(cli: Runner, workdir: Path) -> None:
    """Resolving a loop raises RuntimeError in Python 3.11 (the fuzzer's links found it)."""
    (workdir / "values.env").symlink_to("values.env")
    line = _one_line_refusal(*_run(cli, "diff", "env:production", "dotenv:values.env"))
    assert line == "values.env: is a loop of symlinks: refused"

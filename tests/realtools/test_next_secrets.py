"""Issue 16, point 1, through the real Next.js: a next.config is code from the repository
under check, so what it holds or can read must not come back in our output. On c4eba5f a
config that failed to compile printed Next's code frame (the key on its line), and one
that read `process.env.VERCEL_TOKEN` ran with our whole environment and printed it."""

from __future__ import annotations

from pathlib import Path

import pytest

from meterr_config.reporters import FORMATS
from tests.conftest import Runner, run_process

pytestmark = pytest.mark.realtool

STRIPE = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
TOKEN = "vcp_" + "Tq9xL2mK8pR4vN7wZ1yB5cD3fG6hJ0sA"


def _outputs(cli: Runner, env: dict[str, str], *args: str) -> str:
    """stdout and stderr of the command in every --format."""
    text = []
    for fmt in FORMATS:
        result = cli(*args, "--format", fmt, env=env)
        text.append(result.out + result.err)
    return "\n".join(text)


def test_a_config_that_does_not_compile_is_reported_without_its_code(
    cli: Runner, workdir: Path, tools_env: dict[str, str]
) -> None:
    app = workdir / "app"
    app.mkdir()
    (app / "next.config.ts").write_text(
        f'const key = "{STRIPE}";\nconst nextConfig = {{\n  headers: async () => [ oops oops ],\n'
        "};\nexport default nextConfig;\n"
    )
    output = _outputs(cli, tools_env, "lint", "dir:app")
    assert STRIPE not in output
    assert "next.config.ts:3:1: Expected ',', got 'ident'" in output
    imported = cli("import", "app/next.config.ts", "--env", "x", "--out", "-", env=tools_env)
    assert imported.code == 2
    assert STRIPE not in imported.out + imported.err
    assert "next.config.ts:3:1: Expected ',', got 'ident'" in imported.err


@pytest.mark.parametrize(
    "config",
    [
        "throw new Error('token is ' + process.env.VERCEL_TOKEN);\n",
        "module.exports = { async headers() { return [{ source: '/(.*)', headers: "
        "[{ key: 'X-Build', value: String(process.env.VERCEL_TOKEN) }] }]; } };\n",
    ],
    ids=["in-an-error", "in-a-header"],
)
def test_a_config_never_reads_our_token(
    cli: Runner, workdir: Path, tools_env: dict[str, str], config: str
) -> None:
    app = workdir / "app"
    app.mkdir()
    (app / "next.config.js").write_text(config)
    env = {**tools_env, "VERCEL_TOKEN": TOKEN}
    output = _outputs(cli, env, "lint", "dir:app")
    compared = _outputs(cli, env, "diff", "production", "dir:app")
    output += compared
    assert TOKEN not in output
    assert "undefined" in output  # the config ran, and found no token


def test_init_writes_no_secret_a_config_reads_from_our_process(
    workdir: Path, tools_env: dict[str, str]
) -> None:
    """A config is code: it can read the parent's /proc/PID/environ, which stripping our
    child's environment does not change. Whatever it returns that this run holds as a
    secret is not written (a process of its own: /proc shows its starting environment)."""
    app = workdir / "fresh"
    app.mkdir()
    (app / "next.config.ts").write_text(
        'import fs from "node:fs";\n'
        "const raw = fs.readFileSync(`/proc/${process.ppid}/environ`, 'utf8');\n"
        "const tok = (raw.split('\\0').find((l) => l.startsWith('VERCEL_TOKEN=')) || '')"
        ".slice(13);\n"
        "export default { async headers() { return [{ source: '/(.*)', headers: "
        "[{ key: 'X-Leak', value: tok }] }]; } };\n"
    )
    result = run_process("init", cwd=app, env={**tools_env, "VERCEL_TOKEN": TOKEN})
    assert result.code in (0, 1), result.err
    assert TOKEN not in result.out + result.err
    written = [p for p in app.rglob("*") if p.is_file() and p.name != "next.config.ts"]
    assert written and not [p for p in written if TOKEN in p.read_text(errors="replace")]
    assert "X-Leak" in (app / "environments" / "production.toml").read_text()

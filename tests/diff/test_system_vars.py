"""The variables Vercel provides itself are never differences: a pulled file holds them
and no model does. Under -v each is named as provided by Vercel, without its value."""

from __future__ import annotations

from pathlib import Path

from meterr_config.realtools.nextcheck import vercel_build_variables
from meterr_config.systemvars import provided
from tests.conftest import Runner

OIDC = "eyJhbGciOiJSUzI1NiJ9.cAnArYoidc0000000000000000.c2lnbmF0dXJlX2NhbmFyeQ"
PULLED_EXTRA = (
    "VERCEL=1\nVERCEL_ENV=production\nVERCEL_TARGET_ENV=production\n"
    "VERCEL_URL=meterr-abc123.vercel.app\nVERCEL_GIT_COMMIT_SHA=0123456789abcdef\n"
    "VERCEL_GIT_PROVIDER=github\nTURBO_CACHE=remote:rw\nNX_DAEMON=false\n"
    f'VERCEL_OIDC_TOKEN="{OIDC}"\nNEXT_PUBLIC_VERCEL_URL=meterr-abc123.vercel.app\n'
)


def test_a_pulled_file_s_system_variables_are_not_differences(cli: Runner, workdir: Path) -> None:
    (workdir / "mine.env").write_text("API_URL=https://api.meterr.ai\n")
    pulled = '# Created by Vercel CLI\nAPI_URL="https://api.meterr.ai"\n' + PULLED_EXTRA
    (workdir / "pulled.env").write_text(pulled)
    quiet = cli("diff", "dotenv:mine.env", "dotenv:pulled.env")
    assert (quiet.code, quiet.out, quiet.err) == (0, "No differences.\n", "")
    verbose = cli("-v", "diff", "dotenv:mine.env", "dotenv:pulled.env")
    assert verbose.code == 0
    named = [line for line in verbose.err.splitlines() if "provided by Vercel" in line]
    assert len(named) == 10
    assert (
        "meterr-config: VERCEL_OIDC_TOKEN: provided by Vercel (a short-lived OIDC token for "
        "the deployment); not compared" in named
    )
    assert "cAnArY" not in verbose.out + verbose.err


def test_a_project_variable_is_still_compared(cli: Runner, workdir: Path) -> None:
    (workdir / "a.env").write_text("VERCEL_PROJECT_REGION=iad1\n")
    (workdir / "b.env").write_text("VERCEL_PROJECT_REGION=fra1\n")
    assert cli("diff", "dotenv:a.env", "dotenv:b.env").code == 1


def test_every_variable_a_vercel_build_sets_for_next_is_known_as_provided() -> None:
    """`dir:` loads next.config with Vercel's build variables: one list of them."""
    for target in ("production", "preview"):
        assert [n for n in vercel_build_variables(target) if provided(n) is None] == []

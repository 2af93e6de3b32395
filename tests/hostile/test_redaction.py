"""Issue 16, point 1: no secret in any output. Each case is one the adversarial round
broke on c4eba5f: a hand edit that put a key into a generated file, a key-shaped value
in a lint message, a credential in a diff key, a secret read in this run quoted back.
The secrets are assembled at run time, so no key shape sits in this file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from meterr_config.reporters import FORMATS
from tests.conftest import Runner

STRIPE = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
GITHUB = "ghp_" + "x7Kq2mN9pL4rT8vW1yZ3bC6dF0gH5jS2aE1u"
OPENAI = "sk-proj-" + "Zq81T3BlbkFJ" + "r2k9XwVbN4m7L0pQs5d"
RANDOM = "Q8f2Kp9Lm3Xv7Rt1Wz5Nc4Bh6Jd0Gs2Y"  # 32 random letters and digits
PEM = (
    "-----BEGIN " + "PRIVATE KEY-----",
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
    "-----END PRIVATE KEY-----",
)


def _all_output(cli: Runner, *args: str, env: dict[str, str] | None = None) -> str:
    """stdout and stderr of the command in every --format."""
    out = []
    for fmt in FORMATS:
        result = cli(*args, "--format", fmt, env=env)
        out.append(result.out + result.err)
    return "\n".join(out)


@pytest.fixture
def rendered(cli: Runner, workdir: Path) -> Path:
    assert cli("render").code == 0
    return workdir / "generated" / "production"


def test_check_never_echoes_a_key_added_to_env_example(
    cli: Runner, rendered: Path, workdir: Path
) -> None:
    example = rendered / ".env.example"
    example.write_text(example.read_text() + f"STRIPE_SECRET_KEY={STRIPE}\nNOTE={OPENAI}\n")
    summary = workdir / "summary.md"
    output = _all_output(cli, "check", env={"GITHUB_STEP_SUMMARY": str(summary), "PATH": ""})
    assert "STRIPE_SECRET_KEY=<redacted: 32 chars" in output
    assert STRIPE not in output and OPENAI not in output
    assert STRIPE not in summary.read_text()


def test_check_never_echoes_a_private_key_block(cli: Runner, rendered: Path) -> None:
    example = rendered / ".env.example"
    example.write_text(example.read_text() + 'TLS_CERT="' + "\n".join(PEM) + '"\n')
    output = _all_output(cli, "check")
    assert cli("check").code == 1
    assert PEM[1] not in output


def test_check_never_echoes_a_token_in_vercel_json_or_next_config(
    cli: Runner, rendered: Path
) -> None:
    vercel = rendered / "vercel.json"
    doc = json.loads(vercel.read_text())
    doc["headers"].append(
        {"source": "/x", "headers": [{"key": "X-Debug", "value": f"Bearer {RANDOM}"}]}
    )
    vercel.write_text(json.dumps(doc, indent=2))
    config = rendered / "next.config.ts"
    config.write_text(config.read_text() + f'\nconst leaked = "{GITHUB}";\n')
    output = _all_output(cli, "check")
    assert RANDOM not in output and GITHUB not in output
    assert "X-Debug" in output  # the drift is still shown


def test_diff_never_prints_a_token_in_a_cron_path(cli: Runner, workdir: Path) -> None:
    staging = workdir / "environments" / "staging.toml"  # staging extends production
    staging.write_text(
        staging.read_text()
        + f'\n[[vercel.crons]]\npath = "/api/cron/sync?token={GITHUB}"\nschedule = "0 5 * * *"\n'
    )
    output = _all_output(cli, "diff", "staging", "production")
    assert "/api/cron/sync?token=<redacted" in output
    assert GITHUB not in output


@pytest.mark.parametrize(
    ("table", "rule"),
    [
        ('[[vercel.crons]]\npath = "/api/cron/x"\nschedule = "{key} * * * *"\n', "CRON001"),
        ('[cors]\nallowed_origins = ["http://{key}.example.com"]\n', "CORS005"),
    ],
)
def test_lint_messages_never_quote_a_key_shaped_value(
    cli: Runner, workdir: Path, table: str, rule: str
) -> None:
    (workdir / "environments" / "qa.toml").write_text(
        'extends = "production"\ndescription = "QA."\ntarget = "preview"\n\n'
        + table.format(key=GITHUB)
    )
    output = _all_output(cli, "lint", "qa")
    assert rule in output
    assert GITHUB not in output


def test_a_supplied_secret_is_never_printed_whatever_quotes_it(cli: Runner, workdir: Path) -> None:
    # NODE_ENV is not a secret by name; a values file supplies a token-shaped value that
    # ENV002 used to quote back in full.
    pulled = workdir / ".env.production.local"
    pulled.write_text(f"NODE_ENV={RANDOM}\nJWT_SECRET={RANDOM}x\n")
    output = _all_output(cli, "lint", "production", "--values", "dotenv:.env.production.local")
    assert "ENV002" in output
    assert RANDOM not in output

"""diff end to end: parity policy, hand edits, redaction, formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from meterr_config.reporters import FORMATS
from tests.conftest import Runner

CANARY_A = "cAnArY-" + "Zq8vX2mP9kL4nR7tW1yB6cD3fH5jK0sA8gE2uI4oQ7xV"
CANARY_B = "cAnArY-" + "Wk3LmN8pQr5StUv2XyZa9BcDe4FgHi7JkLm1NoPqRs6T"


def _changes(out: str) -> list[dict[str, Any]]:
    return list(json.loads(out)["changes"])


def test_staging_vs_production_lists_every_real_difference(cli: Runner) -> None:
    result = cli("diff", "staging", "production", "--format", "json")
    assert result.code == 0
    doc = json.loads(result.out)
    assert (doc["version"], doc["status"]) == (1, "expected")
    paths = [(c["kind"], " > ".join(c["path"])) for c in doc["changes"]]
    assert paths == [
        ("changed", "env > FEATURE_NEW_DASHBOARD > value"),
        ("changed", "env > FEATURE_SMART_ROUTING_V2 > value"),
        ("changed", "env > NEXT_PUBLIC_API_URL > value"),
        ("changed", "flags > NEW_DASHBOARD"),
        ("changed", "flags > SMART_ROUTING_V2"),
        ("added", r"next.config > headers > /api/(.*) [has header:origin=https://app\.meterr\.ai]"),
        (
            "removed",
            r"next.config > headers > /api/(.*) [has header:origin=https://staging\.meterr\.ai]",
        ),
        ("changed", "project > target"),
        ("changed", "runtime_flags > COST_FORECAST > enabled"),
    ]
    assert all(c["expected"] for c in doc["changes"])
    strict = cli("diff", "staging", "production", "--strict")
    assert strict.code == 1
    assert strict.out.splitlines()[-1] == (
        "9 differences (0 unexpected; --strict fails on any) between staging and production."
    )


def test_a_security_header_removed_from_production_only_is_unexpected(
    cli: Runner, workdir: Path
) -> None:
    base = workdir / "environments" / "base.toml"
    base.write_text(base.read_text().replace('"X-Frame-Options" = "DENY"\n', ""))
    staging = workdir / "environments" / "staging.toml"
    staging.write_text(staging.read_text() + '\n[security.headers]\n"X-Frame-Options" = "DENY"\n')
    result = cli("diff", "staging", "production", "--format", "json")
    assert result.code == 1
    unexpected = [c for c in _changes(result.out) if not c["expected"]]
    assert [(c["kind"], c["path"], c["old"]) for c in unexpected] == [
        ("removed", ["next.config", "headers", "/(.*)", "X-Frame-Options"], "DENY"),
        ("removed", ["vercel.json", "headers", "/(.*)", "X-Frame-Options"], "DENY"),
    ]
    assert "(unexpected)" in cli("diff", "staging", "production").out


def test_models_against_a_hand_edited_committed_file(cli: Runner, workdir: Path) -> None:
    cli("render")
    assert cli("diff", "env:production", "dir:generated/production").code == 0
    path = workdir / "generated" / "production" / "vercel.json"
    path.write_text(path.read_text().replace('"DENY"', '"SAMEORIGIN"'))
    result = cli("diff", "env:production", "dir:generated/production", "--format", "json")
    assert result.code == 1
    (change,) = _changes(result.out)
    assert change["path"] == ["vercel.json", "headers", "/(.*)", "X-Frame-Options"]
    assert (change["kind"], change["old"], change["new"]) == ("changed", "DENY", "SAMEORIGIN")


def test_no_differences(cli: Runner) -> None:
    result = cli("diff", "production", "production")
    assert (result.code, result.out.strip()) == (0, "No differences.")


def test_secrets_in_dotenv_files_are_redacted_in_every_format(cli: Runner, workdir: Path) -> None:
    (workdir / "a.env").write_text(
        f'JWT_SECRET="{CANARY_A}"\nAPI_URL=https://a.example\nSAME={CANARY_B}\n'
    )
    (workdir / "b.env").write_text(
        f'JWT_SECRET="{CANARY_B}"\nAPI_URL=https://b.example\nSAME={CANARY_B}\n'
    )
    for fmt in FORMATS:
        for extra in ((), ("--show-secrets",), ("--side-by-side",)):
            result = cli("diff", "dotenv:a.env", "dotenv:b.env", "--format", fmt, *extra)
            assert result.code == 1
            assert "cAnArY" not in result.out + result.err, (fmt, extra)
    (change, url) = _changes(cli("diff", "dotenv:a.env", "dotenv:b.env", "-f", "json").out)
    assert change["path"] == ["env", "API_URL", "value"] or url["path"] == [
        "env",
        "API_URL",
        "value",
    ]
    secret = change if change["path"][1] == "JWT_SECRET" else url
    assert str(secret["old"]).startswith(f"<redacted: {len(CANARY_A)} chars, sha256:")


def test_declared_secrets_stay_redacted_with_show_secrets(cli: Runner, workdir: Path) -> None:
    (workdir / "pulled.env").write_text(f'JWT_SECRET="{CANARY_A}"\n')
    result = cli("diff", "env:production", "dotenv:pulled.env", "--show-secrets")
    assert "cAnArY" not in result.out
    assert "JWT_SECRET" not in result.out  # its model value is unknown: nothing to compare


def test_markdown_and_side_by_side(cli: Runner) -> None:
    markdown = cli("diff", "staging", "production", "--format", "markdown").out
    assert markdown.startswith(
        "### meterr-config diff staging → production\n\n**9 differences (0 unexpected)"
    )
    table = cli("diff", "staging", "production", "--side-by-side").out
    assert "https://api.staging.meterr.ai" in table and "https://api.meterr.ai" in table
    assert r"[has header:origin=https://app\.meterr\.ai]" in table  # not eaten as markup


def test_bad_sources_are_bad_input(cli: Runner) -> None:
    assert cli("diff", "nope", "production").code == 2
    result = cli("diff", "ftp:meterr", "production")
    assert result.code == 2
    assert result.err.startswith("meterr-config: error: unknown source kind 'ftp'")


def test_show_secrets_reveals_only_name_based_guesses(cli: Runner, workdir: Path) -> None:
    (workdir / "a.env").write_text(f"DATABASE_URL=postgresql://localhost/a\nTOKEN={CANARY_A}\n")
    (workdir / "b.env").write_text(f"DATABASE_URL=postgresql://localhost/b\nTOKEN={CANARY_B}\n")
    hidden = cli("diff", "dotenv:a.env", "dotenv:b.env").out
    shown = cli("diff", "dotenv:a.env", "dotenv:b.env", "--show-secrets").out
    assert "localhost" not in hidden and "postgresql://localhost/a" in shown
    assert "cAnArY" not in hidden + shown


def test_parity_does_not_excuse_drift_from_an_environments_own_state(
    cli: Runner, workdir: Path
) -> None:
    (workdir / "prod.env").write_text("NEXT_PUBLIC_API_URL=http://evil.example.com\n")
    result = cli("diff", "env:production", "dotenv:prod.env", "-f", "json")
    assert result.code == 1
    changes = {tuple(c["path"]): c for c in json.loads(result.out)["changes"]}
    change = changes[("env", "NEXT_PUBLIC_API_URL", "value")]
    assert (change["new"], change["expected"]) == ("http://evil.example.com", False)
    assert not any(c["expected"] for c in changes.values())


def test_a_branch_variable_one_environment_has_is_a_difference(cli: Runner, workdir: Path) -> None:
    """A variable for one preview branch is in no target's variables, but two
    environments' models still differ by it (a newcomer found it silently dropped)."""
    with (workdir / "environments" / "staging.toml").open("a") as file:
        file.write('\n[env.PREVIEW_BANNER]\nvalue = "x"\ntargets = ["preview"]\n')
        file.write('git_branch = "feature/x"\n')
    result = cli("diff", "staging", "production", "--format", "json")
    assert result.code == 1
    (change,) = [c for c in _changes(result.out) if c["path"][0] == "branch_env"]
    assert change["path"] == ["branch_env", "PREVIEW_BANNER"]
    assert change["kind"] == "removed" and change["expected"] is False
    assert change["old"]["targets"] == ["preview:feature/x"]

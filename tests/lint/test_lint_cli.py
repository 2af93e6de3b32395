"""lint end to end: configuration in environment files, values sources, formats, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft4Validator

from meterr_config.lint.docs import doc, markdown
from meterr_config.lint.rule import SECTIONS
from meterr_config.lint.rules import RULES
from tests.conftest import ROOT, Runner
from tests.lint.snaps import RANDOM

RULES_MARKER = "<!-- Hand-written below this line: kept by docs/rules.py. -->\n"
CANARY = "canary-" + RANDOM  # random-looking, so only our redaction can hide it


def _append(workdir: Path, name: str, text: str) -> None:
    path = workdir / "environments" / f"{name}.toml"
    path.write_text(path.read_text() + text)


def _wildcard(workdir: Path) -> None:
    path = workdir / "environments" / "production.toml"
    path.write_text(path.read_text().replace('["https://app.meterr.ai"]', '["*"]'))


def _findings(out: str) -> list[dict[str, object]]:
    return list(json.loads(out)["findings"])


def test_bundled_environments_have_no_errors(cli: Runner) -> None:
    result = cli("lint", "--format", "json")
    assert result.code == 0
    findings = _findings(result.out)
    assert "error" not in {f["severity"] for f in findings}
    # The one known weakness: a Next.js app without nonces cannot restrict scripts by CSP.
    warnings = [(f["rule"], f["environment"]) for f in findings if f["severity"] == "warning"]
    assert warnings == [("HDR005", "production"), ("HDR005", "staging")]


def test_values_from_dotenv_are_checked_and_never_shown(cli: Runner, workdir: Path) -> None:
    (workdir / "prod.env").write_text(
        f'# Created by Vercel CLI\nJWT_SECRET="{CANARY[:20]}"\nENCRYPTION_KEY="{CANARY}"\n'
        'OPENAI_API_KEY="[SENSITIVE]"\n'
    )
    for fmt in ("text", "json", "sarif", "github", "markdown"):
        result = cli("lint", "production", "--values", "dotenv:prod.env", "--format", fmt)
        assert result.code == 1
        assert CANARY[:12] not in result.out + result.err
    found = {
        (f["rule"], f["key"])
        for f in _findings(
            cli("lint", "production", "--values", "dotenv:prod.env", "-f", "json").out
        )
    }
    assert ("SEC001", "JWT_SECRET") in found
    assert ("SEC002", "ENCRYPTION_KEY") in found
    assert ("SEC008", "DATABASE_URL") in found
    assert ("SEC008", "OPENAI_API_KEY") not in found  # [SENSITIVE]: present, value unknown


def test_a_secret_a_pull_left_empty_is_unknown_and_noted(cli: Runner, workdir: Path) -> None:
    pulled = '# Created by Vercel CLI\nJWT_SECRET=""\nPLAIN=""\n'
    (workdir / "pulled.env").write_text(pulled)
    (workdir / "stored.env").write_text(f"JWT_SECRET={RANDOM}\nPLAIN=\n")
    (workdir / "site").mkdir()
    (workdir / "site" / ".env.production.local").write_text(pulled)
    why = "read as unknown, not empty: a Vercel CLI older than 56.3.0 writes a sensitive value"
    for source, path in (
        ("dotenv:pulled.env", "pulled.env"),
        ("dir:site", "site/.env.production.local"),
    ):
        result = cli("lint", source, "-f", "json")
        notes = [f["message"] for f in _findings(result.out) if f["rule"] == "NOTE"]
        assert (result.code, notes) == (0, [f'{path}: JWT_SECRET {why} it cannot read as ""'])
    # Unknown is not different: diff compares what both sides know, PLAIN only.
    assert cli("diff", "dotenv:pulled.env", "dotenv:stored.env").code == 0


def test_values_from_the_process(cli: Runner) -> None:
    import os

    env = {**os.environ, "JWT_SECRET": "changeme"}
    result = cli("lint", "production", "--values", "process", "-f", "json", env=env)
    found = {(f["rule"], f["key"]) for f in _findings(result.out)}
    assert ("SEC004", "JWT_SECRET") in found
    assert "changeme" not in result.out


def test_reuse_across_environments(cli: Runner, workdir: Path) -> None:
    (workdir / "a.env").write_text(f"JWT_SECRET={RANDOM}\n")
    result = cli("lint", "staging", "production", "--values", "dotenv:a.env", "-f", "json")
    reuse = [f for f in _findings(result.out) if f["rule"] == "SEC005"]
    assert [f["environment"] for f in reuse] == ["production"]  # the second user
    assert RANDOM not in result.out


def test_ignore_and_options_live_in_environment_files(cli: Runner, workdir: Path) -> None:
    _append(workdir, "production", "\n[nextjs]\npowered_by_header = true\n")
    assert "HDR007" in {f["rule"] for f in _findings(cli("lint", "production", "-f", "json").out)}
    _append(
        workdir,
        "production",
        '\n[lint]\nignore = ["HDR007"]\n[lint.rules.HDR004]\nmin_max_age = 99999999\n',
    )
    found = {f["rule"] for f in _findings(cli("lint", "production", "-f", "json").out)}
    assert "HDR007" not in found
    assert "HDR004" in found  # the stricter option now fails the two-year max-age


def test_unknown_rule_id_in_lint_config_is_bad_input(cli: Runner, workdir: Path) -> None:
    _append(workdir, "production", '\n[lint]\nignore = ["ZZZ999"]\n')
    result = cli("lint", "production")
    assert result.code == 2
    assert result.err.startswith("meterr-config: error: environments/production.toml:")
    assert "unknown rule id 'ZZZ999'" in result.err


def test_bad_rule_option_is_bad_input(cli: Runner, workdir: Path) -> None:
    _append(workdir, "production", '\n[lint.rules.SEC003]\nmin_bits_per_char = "high"\n')
    result = cli("lint", "production")
    assert result.code == 2
    assert "lint.rules.SEC003.min_bits_per_char" in result.err


def test_secret_literal_committed_in_an_environment_file(cli: Runner, workdir: Path) -> None:
    _append(workdir, "production", '\n[env.GH]\nvalue = "ghp_' + "a1B2c3D4e5" * 4 + '"\n')
    result = cli("lint", "production", "-f", "json")
    (finding,) = [f for f in _findings(result.out) if f["rule"] == "SEC007"]
    assert (finding["file"], finding["line"]) == ("environments/production.toml", 14)
    assert result.code == 1


def test_fail_on_levels(cli: Runner, workdir: Path) -> None:
    _append(workdir, "production", "\n[nextjs]\npowered_by_header = true\n")  # a warning
    assert cli("lint", "production").code == 0
    assert cli("lint", "production", "--fail-on", "warning").code == 1
    _wildcard(workdir)  # an error
    assert cli("lint", "production").code == 1
    assert cli("lint", "production", "--fail-on", "never").code == 0


def test_sarif_validates_and_points_at_environment_lines(cli: Runner, workdir: Path) -> None:
    _wildcard(workdir)
    log = json.loads(cli("lint", "production", "--format", "sarif").out)
    schema = json.loads((ROOT / "tests" / "data" / "sarif-2.1.0-rtm.5.json").read_text())
    assert list(Draft4Validator(schema).iter_errors(log)) == []
    (result,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "CORS001"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "environments/production.toml"
    assert location["region"]["startLine"] == 7  # allowed_origins
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[result["ruleIndex"]]["id"] == "CORS001"
    assert "## Why is this bad?" in rules[result["ruleIndex"]]["help"]["markdown"]


def test_header_and_cors_rules_cite_their_sources() -> None:
    for rule in RULES:
        if rule.id.startswith(("HDR", "CORS")):
            sources = doc(rule).split("## Sources\n", 1)
            assert len(sources) == 2 and "- " in sources[1], f"{rule.id} cites no source"


def test_every_rule_docstring_has_every_section() -> None:
    for rule in RULES:
        for section in SECTIONS:
            assert f"## {section}\n" in doc(rule) + "\n", f"{rule.id} lacks '{section}'"


def test_registry_docs_and_rules_command_agree(cli: Runner) -> None:
    generated, _ = (ROOT / "docs" / "rules.md").read_text().split(RULES_MARKER, 1)
    assert generated == markdown() + "\n", "run: python docs/rules.py"
    listed = [line.split()[0] for line in cli("rules").out.splitlines()]
    assert listed == [rule.id for rule in RULES]
    assert len({rule.id for rule in RULES}) == len(RULES)
    assert len({rule.name for rule in RULES}) == len(RULES)
    for rule in RULES:
        assert f"## {rule.id} {rule.name}" in markdown()


def test_rules_command_prints_one_rule(cli: Runner) -> None:
    result = cli("rules", "cors001")
    assert result.code == 0
    assert result.out.startswith("CORS001 wildcard-origin (default severity: error)")
    assert cli("rules", "NOPE001").code == 2


def test_score_predicts_the_observatory_grade(cli: Runner) -> None:
    doc = json.loads(cli("lint", "production", "--score", "-f", "json").out)
    (score,) = doc["scores"]
    assert (score["score"], score["grade"]) == (80, "B+")
    # The bonuses are shown but do not count: the score without them is under 90.
    assert score["modifiers"] == [
        [-20, "csp-implemented-with-unsafe-inline"],
        [5, "referrer-policy-private"],
        [5, "x-frame-options-implemented-via-csp"],
    ]
    assert score["algorithm_version"] == 6
    assert {u["test"] for u in score["undecided"]} >= {"cookies", "subresource-integrity"}
    assert score["lowest"] <= 80 <= score["highest"]
    text = cli("lint", "production", "--score").out
    assert "Observatory (predicted) production: 80 (B+), algorithm 6," in text
    assert "  not decided by config: cookies -40..+5," in text

"""lint dir: on the guide's own hand-written files, through the real Next.js loader."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, Result, Runner

pytestmark = pytest.mark.realtool
GUIDE = FIXTURES / "guide"


def test_guide_reports_wildcard_cors_and_renamed_key(
    cli: Runner, tools_env: dict[str, str]
) -> None:
    result = cli("lint", f"dir:{GUIDE}", "--plan", "pro", "--format", "json", env=tools_env)
    assert result.code == 1
    found = {(f["rule"], f["file"], f["line"]) for f in json.loads(result.out)["findings"]}
    config = str(GUIDE / "next.config.ts")
    assert ("CORS001", config, 22) in found  # key: 'Access-Control-Allow-Origin' (… || '*')
    assert ("NEXT001", config, 5) in found  # experimental.serverComponentsExternalPackages
    assert ("VER002", str(GUIDE / "vercel.json"), 3) in found  # two regions on Pro
    assert ("HDR004", str(GUIDE / "vercel.json"), 22) in found  # no HSTS


def test_without_node_the_next_config_is_reported_as_not_checked(cli: Runner) -> None:
    bare = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    result = cli("lint", f"dir:{GUIDE}", "--plan", "pro", "--format", "json", env=bare)
    doc = json.loads(result.out)
    findings = doc["findings"]
    unrun = [(f["severity"], f["message"]) for f in findings if f["rule"] == "NEXT007"]
    assert unrun == [
        (
            "warning",
            "not evaluated here, so no Next.js rule ran and what it sets is unknown: node not "
            "found: running Next.js or the Vercel CLI needs Node.js 20.9 or later",
        )
    ]
    assert doc["status"] == "fail"  # VER002 is an error; without it, "incomplete"
    assert "VER002" in {f["rule"] for f in findings}  # vercel.json is still linted
    # next.config could set any header: a missing one is not a finding while it is unread
    assert "HDR004" not in {f["rule"] for f in findings}


def test_a_next_config_importing_its_own_modules_is_loaded(
    cli: Runner, workdir: Path, tools_env: dict[str, str]
) -> None:
    """dir: loads next.config where it is, as import does, so `./headers` resolves."""
    app = workdir / "app"
    app.mkdir()
    (app / "headers.js").write_text(
        "module.exports = [{ source: '/(.*)', headers: [{ key: 'X-Frame-Options', "
        "value: 'DENY' }] }];\n"
    )
    (app / "next.config.js").write_text(
        "const rules = require('./headers');\n"
        "module.exports = { async headers() { return rules; } };\n"
    )
    result = cli("lint", "dir:app", "--format", "json", env=tools_env)
    doc = json.loads(result.out)
    notes = [f["message"] for f in doc["findings"] if f["rule"] == "NOTE"]
    assert notes == []
    assert not any(f["rule"] == "HDR002" for f in doc["findings"])  # DENY was read


def test_a_config_is_read_as_next_build_reads_it(
    cli: Runner, workdir: Path, tools_env: dict[str, str]
) -> None:
    """`next build` defaults NODE_ENV to production before loading the config, so headers
    set only in production are what the deployment sends."""
    app = workdir / "app"
    app.mkdir()
    (app / "next.config.js").write_text(
        "const prod = process.env.NODE_ENV === 'production';\n"
        "module.exports = { poweredByHeader: false, async headers() { return prod ? [{\n"
        "  source: '/(.*)', headers: [{ key: 'X-Frame-Options', value: 'DENY' }] }] : []; } };\n"
    )
    env = {k: v for k, v in tools_env.items() if k != "NODE_ENV"}
    doc = json.loads(cli("lint", "dir:app", "--format", "json", env=env).out)
    rules = {f["rule"] for f in doc["findings"]}
    assert "HDR002" not in rules and "HDR008" not in rules  # DENY was read
    assert "HDR001" in rules  # and nosniff is still missing


def test_of_two_configs_the_one_next_loads_is_linted(
    cli: Runner, workdir: Path, tools_env: dict[str, str]
) -> None:
    """Next looks for next.config.js, then .mjs, then .ts (CONFIG_FILES): the first wins."""
    app = workdir / "app"
    app.mkdir()
    (app / "next.config.js").write_text("module.exports = { poweredByHeader: false };\n")
    (app / "next.config.mjs").write_text("export default {};\n")
    (app / "next.config.ts").write_text("export default {};\n")
    doc = json.loads(cli("lint", "dir:app", "--format", "json", env=tools_env).out)
    found = {(f["rule"], Path(f["file"]).name) for f in doc["findings"]}
    assert found == {("HDR008", "next.config.js")}  # X-Powered-By is off there


def _lint_config(
    cli: Runner, workdir: Path, tools_env: dict[str, str], config: str
) -> tuple[Result, dict[str, Any]]:
    """`lint dir:app --format json` on an app holding only this next.config.js."""
    app = workdir / "app"
    app.mkdir()
    (app / "next.config.js").write_text(config)
    result = cli("lint", "dir:app", "--format", "json", env=tools_env)
    return result, json.loads(result.out)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            "module.exports = { target: 'serverless' };\n",
            'next build fails: next.config.js: The "target" property is no longer supported '
            "in next.config.js.",
        ),
        (
            "module.exports = { headers: ( };\n",
            "next build fails: next.config.js: Unexpected token '}'",
        ),
        (
            "module.exports = { async headers() { return [{ source: '/*', headers: "
            "[{ key: 'X-Frame-Options', value: 'DENY' }] }]; } };\n",
            "next build fails: next.config.js: Invalid header found: `source` parse failed "
            "for route '/*' (Unexpected MODIFIER at 1, expected END)",
        ),
        (
            "module.exports = { async redirects() { return [{ source: '/a', destination: "
            "'/b' }]; } };\n",
            "next build fails: next.config.js: Invalid redirect found: `permanent` is not set "
            "to `true` or `false` for route '/a'",
        ),
    ],
)
def test_a_config_next_refuses_is_an_error_quoting_next(
    cli: Runner, workdir: Path, tools_env: dict[str, str], config: str, message: str
) -> None:
    result, doc = _lint_config(cli, workdir, tools_env, config)
    (refused,) = [f for f in doc["findings"] if f["rule"] == "NEXT006"]
    assert (result.code, doc["status"], refused["severity"]) == (1, "fail", "error")
    assert refused["message"].startswith(message)
    assert refused["file"] == str(Path("app") / "next.config.js")


@pytest.mark.parametrize(
    ("config", "why"),
    [
        (
            "require('@sentry/nextjs');\nmodule.exports = {};\n",
            "Cannot find module '@sentry/nextjs'",
        ),
        ("throw new Error('DATABASE_HOST is not set');\n", "DATABASE_HOST is not set"),
    ],
)
def test_a_config_that_cannot_run_here_is_incomplete_never_pass(
    cli: Runner, workdir: Path, tools_env: dict[str, str], config: str, why: str
) -> None:
    result, doc = _lint_config(cli, workdir, tools_env, config)
    assert (result.code, doc["status"]) == (0, "incomplete")
    assert [(f["rule"], f["severity"]) for f in doc["findings"]] == [("NEXT007", "warning")]
    assert doc["findings"][0]["message"].endswith(f"next.config.js: {why}")
    text = cli("lint", "dir:app", env=tools_env).out
    assert text.rstrip().endswith("Incomplete: NEXT007 says what could not be checked.")


def test_a_config_reading_vercel_s_system_variables_loads_as_on_vercel(
    cli: Runner, workdir: Path, tools_env: dict[str, str]
) -> None:
    """Vercel's build sets VERCEL_URL, VERCEL_ENV… (system environment variables); without
    them Next refuses a header whose value is undefined, which the deployment never sees."""
    app = workdir / "app"
    app.mkdir()
    (app / "next.config.js").write_text(
        "module.exports = { poweredByHeader: false, async headers() { return [{\n"
        "  source: '/api/(.*)', headers: [\n"
        "    { key: 'Access-Control-Allow-Origin', value: process.env.VERCEL_URL },\n"
        "    { key: 'X-Env', value: process.env.VERCEL_ENV }] }]; } };\n"
    )
    env = {k: v for k, v in tools_env.items() if not k.startswith("VERCEL")}
    doc = json.loads(cli("lint", "dir:app", "--format", "json", env=env).out)
    rules = {f["rule"]: f["message"] for f in doc["findings"]}
    assert "NEXT006" not in rules
    # VERCEL_URL has no scheme, so this origin never matches: a true finding
    assert rules["CORS006"] == "origin 'deployment.vercel.app' is not scheme://host[:port]"


def test_a_value_next_warns_of_is_a_finding_quoting_next(
    cli: Runner, workdir: Path, tools_env: dict[str, str]
) -> None:
    _, doc = _lint_config(
        cli, workdir, tools_env, "module.exports = { experimental: { serverActions: true } };\n"
    )
    found = [(f["rule"], f["severity"], f["key"], f["message"]) for f in doc["findings"]]
    assert (
        "NEXT008",
        "warning",
        "experimental.serverActions",
        "Next.js warns: Expected object, received boolean",
    ) in found


def test_a_removed_key_next_accepts_is_a_warning_not_a_refusal(
    cli: Runner, workdir: Path, tools_env: dict[str, str]
) -> None:
    """The real Next 16.4 loads `swcMinify` and `eslint` with a warning and builds on."""
    _, doc = _lint_config(
        cli, workdir, tools_env, "module.exports = { swcMinify: true, eslint: {} };\n"
    )
    found = {(f["rule"], f["key"], f["severity"]) for f in doc["findings"]}
    assert {("NEXT002", "swcMinify", "warning"), ("NEXT002", "eslint", "warning")} <= found
    assert not any(f["rule"] in ("NEXT006", "NEXT007") for f in doc["findings"])
    assert doc["status"] == "pass"

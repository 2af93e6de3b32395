"""Our validate and the real tools agree: on the bundled environments and on broken ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from meterr_config.load import Loader
from meterr_config.realtools.nextcheck import check_next
from meterr_config.realtools.tools import Tools
from meterr_config.realtools.vercelbuild import check_vercel
from meterr_config.render import render
from meterr_config.render.next_config import config_object, route_functions
from meterr_config.validate.nextjs import next_problems
from meterr_config.validate.vercel import vercel_problems
from tests.conftest import ENVIRONMENTS, FIXTURES, Runner

pytestmark = pytest.mark.realtool


def _rules(result_out: str) -> set[str]:
    return {f["rule"] for f in json.loads(result_out)["findings"]}


def _append(workdir: Path, name: str, text: str) -> None:
    path = workdir / "environments" / f"{name}.toml"
    path.write_text(path.read_text() + text)


def test_real_next_accepts_every_bundled_environment(
    cli: Runner, tools_env: dict[str, str]
) -> None:
    result = cli("validate", "--with-next", env=tools_env)
    assert (result.code, result.out.strip()) == (0, "No problems in 3 environments."), result


def test_real_vercel_builds_production_with_the_modelled_crons(
    cli: Runner, tools_env: dict[str, str]
) -> None:
    result = cli("validate", "--with-vercel", "--with-next", "--env", "production", env=tools_env)
    assert (result.code, result.out.strip()) == (0, "No problems in 1 environment."), result


def test_real_next_resolves_every_route_as_modelled(tools: Tools) -> None:
    loaded = Loader(FIXTURES / "kitchen").load("prod")  # basePath, rewrites, has/missing
    artifacts = render(loaded)
    assert check_next(loaded, artifacts, tools) == []
    tampered = artifacts["next.config.ts"].replace(b'"no-store"', b'"no-cache"')
    (finding,) = check_next(loaded, {**artifacts, "next.config.ts": tampered}, tools)
    assert (finding.rule, finding.key) == ("NEXT103", "headers[6]")  # after 6 CORS rules


def test_renamed_key_on_next_16(cli: Runner, workdir: Path, tools_env: dict[str, str]) -> None:
    _append(
        workdir,
        "production",
        '\n[nextjs.experimental]\nserverComponentsExternalPackages = ["pg"]\n',
    )
    result = cli(
        "validate", "--env", "production", "--with-next", "--format", "json", env=tools_env
    )
    assert result.code == 1
    findings = json.loads(result.out)["findings"]
    ours = [f for f in findings if f["rule"] == "NEXT001"]
    nexts = [f for f in findings if f["rule"] == "NEXT102"]
    assert ours[0]["key"] == "experimental.serverComponentsExternalPackages"
    assert "renamed to 'serverExternalPackages'" in ours[0]["message"]
    assert any("has been moved to `serverExternalPackages`" in f["message"] for f in nexts)
    assert {f["line"] for f in ours + nexts} == {14}


def test_cron_path_without_leading_slash(
    cli: Runner, workdir: Path, tools_env: dict[str, str]
) -> None:
    path = workdir / "environments" / "base.toml"
    path.write_text(
        path.read_text().replace('path = "/api/cron/cleanup"', 'path = "api/cron/cleanup"')
    )
    result = cli(
        "validate", "--env", "production", "--with-vercel", "--format", "json", env=tools_env
    )
    assert result.code == 1
    findings = {f["rule"]: f for f in json.loads(result.out)["findings"]}
    assert set(findings) == {"VAL001", "VER101"}
    assert findings["VAL001"]["key"] == "crons[0].path"
    assert "`crons[0].path` should match pattern" in findings["VER101"]["message"]
    assert findings["VER101"]["key"] == "crons[0].path"
    assert (findings["VER101"]["file"], findings["VER101"]["line"]) == (
        findings["VAL001"]["file"],
        findings["VAL001"]["line"],
    )


def _production() -> tuple[Any, dict[str, bytes]]:
    loaded = Loader(ENVIRONMENTS).load("production")
    return loaded, render(loaded)


def test_redirect_with_permanent_and_status_code(cli: Runner, workdir: Path, tools: Tools) -> None:
    # In an environment file the model refuses it, naming the line.
    _append(
        workdir,
        "production",
        '\n[[vercel.redirects]]\nsource = "/a"\ndestination = "/b"\n'
        "permanent = true\nstatus_code = 301\n",
    )
    result = cli("validate", "--env", "production")
    assert result.code == 2
    assert result.err.startswith("meterr-config: error: environments/production.toml:13: ")
    assert "give exactly one of `permanent` and `status_code`" in result.err
    # In a vercel.json, our validator and the real Vercel CLI both reject it.
    loaded, artifacts = _production()
    doc = json.loads(artifacts["vercel.json"])
    doc["redirects"][0]["statusCode"] = 301
    assert ("VAL005", ("redirects", 0)) in [(p[0], p[2]) for p in vercel_problems(doc)]
    broken = {**artifacts, "vercel.json": json.dumps(doc).encode()}
    (finding,) = check_vercel(loaded, broken, tools)
    assert finding.rule == "VER101"
    assert "cannot define both `permanent` and `statusCode`" in finding.message


def test_header_without_a_value(tools: Tools) -> None:
    loaded, artifacts = _production()
    # vercel.json: our validator (the CLI's schema) and the real Vercel CLI reject it.
    doc = json.loads(artifacts["vercel.json"])
    del doc["headers"][0]["headers"][0]["value"]
    assert [(p[0], p[2]) for p in vercel_problems(doc)] == [
        ("VAL001", ("headers", 0, "headers", 0))
    ]
    (finding,) = check_vercel(loaded, {**artifacts, "vercel.json": json.dumps(doc).encode()}, tools)
    assert finding.rule == "VER101"
    assert "headers" in finding.message
    # next.config.ts: our validator and the real Next.js reject it.
    routes = route_functions(loaded.model)
    del routes["headers"][0]["headers"][0]["value"]
    problems = next_problems(config_object(loaded.model), routes, "16.4", "next.config.ts")
    assert [(p[0], p[2]) for p in problems] == [("NEXT005", ("headers", 0, "headers", 0, "value"))]
    text = artifacts["next.config.ts"].replace(
        b"value: \"frame-ancestors 'none'; object-src 'none'; base-uri 'self'\",\n", b""
    )
    findings = check_next(loaded, {**artifacts, "next.config.ts": text}, tools)
    assert [f.rule for f in findings] == ["NEXT101"]
    assert "`value` in header item must be string" in findings[0].message

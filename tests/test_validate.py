"""validate: deliberately broken inputs give exact rule ids, locations and exit codes."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from meterr_config.validate.nextjs import next_problems
from meterr_config.validate.vercel import vercel_problems
from tests.conftest import Runner


def append(workdir: Path, name: str, text: str) -> None:
    path = workdir / "environments" / f"{name}.toml"
    path.write_text(path.read_text() + text)


def rules(problems: list[tuple[str, str, tuple[str | int, ...], str]]) -> list[str]:
    return [p[0] for p in problems]


def test_bundled_environments_are_valid(cli: Runner) -> None:
    result = cli("validate")
    assert (result.code, result.out.strip()) == (0, "No problems in 3 environments.")


def test_cron_path_without_slash_is_reported_at_its_line(cli: Runner, workdir: Path) -> None:
    append(workdir, "staging", '\n[[vercel.crons]]\npath = "api/x"\nschedule = "0 3 * * *"\n')
    result = cli("validate", "--format", "json")
    assert result.code == 1
    (finding,) = json.loads(result.out)["findings"]
    assert finding["rule"] == "VAL001"
    assert finding["key"] == "crons[0].path"
    assert (finding["file"], finding["line"]) == ("environments/staging.toml", 21)
    assert finding["environment"] == "staging"


def test_render_refuses_to_write_invalid_config(cli: Runner, workdir: Path) -> None:
    append(workdir, "staging", '\n[[vercel.crons]]\npath = "api/x"\nschedule = "0 3 * * *"\n')
    result = cli("render")
    assert result.code == 1
    assert "VAL001" in result.out
    assert not (workdir / "generated").exists()


def test_renamed_next_key_names_its_replacement(cli: Runner, workdir: Path) -> None:
    append(
        workdir,
        "production",
        '\n[nextjs.experimental]\nserverComponentsExternalPackages = ["pg"]\n',
    )
    result = cli("validate", "--env", "production")
    assert result.code == 0  # a warning: Next copies the value to its new place
    assert result.out.startswith("environments/production.toml\n")
    assert (
        "    14  NEXT001  warning  "
        "'experimental.serverComponentsExternalPackages' was renamed to "
        "'serverExternalPackages' (by Next.js 15.0): Next reads it there" in result.out
    )


def test_renamed_key_is_fine_before_the_rename() -> None:
    config = {"experimental": {"serverComponentsExternalPackages": ["pg"]}}
    assert next_problems(config, {}, "14.2", "next.config.js") == []


def test_unknown_experimental_key(cli: Runner, workdir: Path) -> None:
    append(workdir, "production", "\n[nextjs.experimental]\nnotAThing = true\n")
    result = cli("validate", "--env", "production")
    assert result.code == 1
    assert (
        "NEXT002  error    'experimental.notAThing' is not a Next.js 16.4 config key" in result.out
    )


def test_old_next_version_rejects_ts_config_and_new_keys(cli: Runner, workdir: Path) -> None:
    path = workdir / "environments" / "base.toml"
    path.write_text(path.read_text().replace('next_version = "16.4"', 'next_version = "14.2"'))
    result = cli("validate", "--env", "production", "--format", "json")
    found = {(f["rule"], f["key"]) for f in json.loads(result.out)["findings"]}
    assert result.code == 1
    assert ("NEXT003", None) in found
    assert ("NEXT002", "serverExternalPackages") in found
    assert "(added in 15.0)" in result.out


@pytest.mark.parametrize(
    ("key", "rule"),
    [("amp", "NEXT002"), ("eslint", "NEXT002"), ("swcMinify", "NEXT002")],
)
def test_removed_top_level_keys(key: str, rule: str) -> None:
    problems = next_problems({key: {}}, {}, "16.4", "next.config.ts")
    assert rules(problems) == [rule]
    assert "removed in Next.js" in problems[0][3]


def test_forbidden_env_keys() -> None:
    problems = next_problems(
        {"env": {"NODE_OPTIONS": "x", "__X": "y", "OK": "z"}}, {}, "16.4", "x.ts"
    )
    assert [(p[0], p[2]) for p in problems] == [
        ("NEXT004", ("env", "NODE_OPTIONS")),
        ("NEXT004", ("env", "__X")),
    ]


def test_next_route_rules() -> None:
    routes: dict[str, list[Any]] = {
        "redirects": [{"source": "api", "destination": "health", "permanent": False}],
        "headers": [{"source": "/x", "headers": []}],
    }
    problems = next_problems({}, routes, "16.4", "next.config.ts")
    assert [(p[0], p[2]) for p in problems] == [
        ("NEXT005", ("redirects", 0, "source")),
        ("NEXT005", ("redirects", 0, "destination")),
        ("NEXT005", ("headers", 0, "headers")),
    ]


def test_vercel_unknown_top_level_key_is_a_server_error() -> None:
    problems = vercel_problems({"framework": "nextjs", "public": True})
    assert [(p[0], p[2]) for p in problems] == [("VAL002", ("public",))]


def test_vercel_header_without_value() -> None:
    doc = {"headers": [{"source": "/(.*)", "headers": [{"key": "X-Frame-Options"}]}]}
    problems = vercel_problems(doc)
    assert [(p[0], p[2]) for p in problems] == [("VAL001", ("headers", 0, "headers", 0))]
    assert "'value' is a required property" in problems[0][3]


def test_vercel_redirect_with_permanent_and_status_code() -> None:
    doc = {
        "redirects": [{"source": "/a", "destination": "/b", "permanent": True, "statusCode": 301}]
    }
    assert ("VAL005", ("redirects", 0)) in [(p[0], p[2]) for p in vercel_problems(doc)]


def test_vercel_routes_mixed_with_headers() -> None:
    doc = {"routes": [{"src": "/a", "dest": "/b"}], "headers": [], "cleanUrls": True}
    found = [(p[0], p[2]) for p in vercel_problems(doc)]
    assert ("VAL004", ("headers",)) in found
    assert ("VAL004", ("cleanUrls",)) in found


def test_vercel_deprecated_and_private_keys_warn() -> None:
    problems = vercel_problems({"version": 2, "env": {"A": "b"}})
    assert sorted((p[0], p[1], p[2]) for p in problems) == [
        ("VAL003", "warning", ("env",)),
        ("VAL003", "warning", ("version",)),
    ]


def test_vercel_function_limits_from_the_schema() -> None:
    doc = {"functions": {"api/*.ts": {"memory": 99999, "maxDuration": 0}}}
    found = {p[2] for p in vercel_problems(doc)}
    assert ("functions", "api/*.ts", "memory") in found
    assert any(path[:3] == ("functions", "api/*.ts", "maxDuration") for path in found)


def test_schema_and_top_level_key_are_reported_in_every_format(cli: Runner, workdir: Path) -> None:
    append(workdir, "staging", '\n[[vercel.crons]]\npath = "x"\nschedule = "0 3 * * *"\n')
    github = cli("validate", "--format", "github").out.splitlines()
    assert github[0] == (
        "::error file=environments/staging.toml,line=21,title=VAL001 (staging)::must match '^/.*'"
    )
    markdown = cli("validate", "--format", "markdown").out
    assert "| VAL001 | error | staging | environments/staging.toml:21 |" in markdown


def test_validate_needs_neither_node_nor_npm(cli: Runner) -> None:
    bare = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    assert cli("validate", env=bare).code == 0
    result = cli("validate", "--with-next", env=bare)
    assert result.code == 2
    assert result.err == (
        "meterr-config: error: node not found: running Next.js or the Vercel CLI needs "
        "Node.js 20.9 or later\n"
    )

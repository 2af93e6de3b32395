"""What the fuzzer found, each kept as an exact regression test: input that once escaped
as an exception now ends in exit 1 with findings or exit 2 with one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Runner

PREFIX = "meterr-config: error: "


@pytest.mark.parametrize(
    ("doc", "error"),
    [
        (
            '{"headers": [{"source": "/(.*)", "headers": true}]}',
            "site/vercel.json:1: headers[0].headers: must be of type 'array' (the Vercel schema)",
        ),
        (
            '{"redirects": [{"source": "/(.*)", "destination": "/", "statusCode": 301, "has": 1}]}',
            "site/vercel.json:1: redirects[0].has: must be of type 'array' (the Vercel schema)",
        ),
        (
            '{"alias": "\\ud800"}',
            "site/vercel.json: holds a lone UTF-16 surrogate escape (such as \\ud800), "
            "which is not text",
        ),
        (
            '{"version": 1' + "1" * 4300 + "}",
            "site/vercel.json: invalid JSON: Exceeds the limit (4300 digits) for integer "
            "string conversion: value has 4301 digits",
        ),
    ],
    ids=["headers-not-a-list", "has-not-a-list", "lone-surrogate", "4301-digits"],
)
def test_a_vercel_json_of_the_wrong_shape_is_bad_input_or_a_finding(
    cli: Runner, workdir: Path, doc: str, error: str
) -> None:
    (workdir / "site").mkdir()
    (workdir / "site" / "vercel.json").write_text(doc)
    result = cli("diff", "env:production", "dir:site")
    assert (result.code, result.out, result.err) == (2, "", f"{PREFIX}{error}\n")
    result = cli("lint", "dir:site")
    if "(the Vercel schema)" in error:  # lint reports it, and lints the rest
        assert result.code == 1
        _, key, message = error.split(": ", 2)
        message = message.removesuffix(" (the Vercel schema)")
        assert f"VER011   error    {message}  [dir:site vercel.json {key}]" in result.out
    else:
        assert (result.code, result.out, result.err) == (2, "", f"{PREFIX}{error}\n")


def test_a_region_that_is_not_a_string_is_an_unknown_region(cli: Runner, workdir: Path) -> None:
    (workdir / "site").mkdir()
    (workdir / "site" / "vercel.json").write_text('{"regions": [[]]}')
    result = cli("lint", "dir:site")
    assert result.code == 1
    assert "  VER001   error    unknown region []  [dir:site vercel.json regions[0]]" in result.out


def test_an_integer_of_4301_digits_in_toml(cli: Runner, workdir: Path) -> None:
    (workdir / "environments" / "fuzz.toml").write_text("a = " + "1" * 4301 + "\n")
    result = cli("render")
    message = "environments/fuzz.toml:1: invalid TOML: an integer longer than 4,300 digits"
    assert (result.code, result.err) == (2, f"{PREFIX}{message}\n")


def test_a_key_holding_a_newline_stays_on_one_line(cli: Runner, workdir: Path) -> None:
    path = workdir / "environments" / "production.toml"
    path.write_text('extends = "base"\ntarget = "production"\n"a\\nb\\u2028c" = false\n')
    result = cli("render")
    expected = 'environments/production.toml:3: "a\\nb\\u2028c": unknown key'
    assert (result.code, result.err) == (2, f"{PREFIX}{expected}\n")


def test_lint_reports_every_refusal_and_lints_the_rest(cli: Runner, workdir: Path) -> None:
    """lint dir: reports what Vercel refuses, all of it, at its key path, and the other
    rules still run on the keys whose shape is intact (issue 18: report, do not refuse)."""
    (workdir / "site").mkdir()
    doc = {
        "crons": [{"schedule": "0 2 * * *"}],
        "functions": {"api/index.js": {"maxDuration": 30}},
        "builds": [{"src": "api/index.js", "use": "@vercel/node"}],
        "redirects": [{"source": "/a", "destination": "/b", "permanent": True}] * 2049,
        "regions": ["mars1"],
    }
    (workdir / "site" / "vercel.json").write_text(json.dumps(doc, indent=2))
    result = cli("lint", "dir:site", "--plan", "pro", "--format", "json")
    found = {(f["rule"], f["key"]) for f in json.loads(result.out)["findings"]}
    assert result.code == 1
    assert {
        ("VER011", "crons[0]"),  # no path
        ("VER011", "functions"),  # functions and builds together
        ("VER009", "redirects"),  # 2,049 redirects: VER009, not the schema's maxItems again
        ("VER001", "regions[0]"),  # an unknown region: the rest is still linted
    } <= found
    assert ("VER011", "redirects") not in found


@pytest.mark.parametrize(
    ("function", "key", "code"),
    [
        (
            {"api/index.js": {"runtime": "nodejs20.x"}},
            'functions."api/index.js".runtime',
            "invalid_function_runtime",
        ),
        (
            {"api/index.js": {"runtime": "@vercel/node"}},
            'functions."api/index.js".runtime',
            "invalid_function_runtime",
        ),
        (
            {"/api/index.js": {"maxDuration": 10}},
            'functions."/api/index.js"',
            "invalid_function_source",
        ),
        ({"api/index.js": {}}, 'functions."api/index.js"', "invalid_function"),
    ],
)
def test_what_the_cli_refuses_in_functions_is_a_finding(
    cli: Runner, workdir: Path, function: dict[str, object], key: str, code: str
) -> None:
    """fs-detectors' validateFunctions, which `vercel build` runs before building."""
    (workdir / "site").mkdir()
    (workdir / "site" / "vercel.json").write_text(json.dumps({"functions": function}))
    doc = json.loads(cli("lint", "dir:site", "--format", "json").out)
    found = [(f["key"], f["message"]) for f in doc["findings"] if f["rule"] == "VER011"]
    assert len(found) == 1 and found[0][0] == key and found[0][1].endswith(f"CLI: {code})")


def test_a_runtime_with_a_version_passes() -> None:
    from meterr_config.validate.vercel import vercel_problems

    for runtime in ("vercel-php@0.7.4", "@vercel/node@5.1.0", "now-php@1.0.0-canary.2"):
        assert vercel_problems({"functions": {"api/x.php": {"runtime": runtime}}}) == []

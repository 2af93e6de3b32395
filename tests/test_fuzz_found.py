"""What the fuzzer found, each kept as an exact regression test: input that once escaped
as an exception now ends in exit 1 with findings or exit 2 with one line."""

from __future__ import annotations

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
def test_a_vercel_json_of_the_wrong_shape_is_bad_input(
    cli: Runner, workdir: Path, doc: str, error: str
) -> None:
    (workdir / "site").mkdir()
    (workdir / "site" / "vercel.json").write_text(doc)
    for args in (("lint", "dir:site"), ("diff", "env:production", "dir:site")):
        result = cli(*args)
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

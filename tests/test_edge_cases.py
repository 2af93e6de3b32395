"""Edge cases a code review found, each held here so it stays fixed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from meterr_config.envfile import parse_dotenv
from meterr_config.findings import Finding, Severity
from meterr_config.load import SourceFile
from meterr_config.load.toml_lines import key_lines
from meterr_config.pathpattern import PatternError, check_source
from meterr_config.reporters.github import GithubReporter
from meterr_config.secretshapes import looks_secret
from tests.conftest import Runner, run_cli


def test_authorization_names_a_secret_and_author_does_not() -> None:
    assert looks_secret("API_AUTHORIZATION", "Bearer x")
    assert looks_secret("BASIC_AUTHORIZATION", "Basic x")
    assert not looks_secret("AUTHOR", "Jane")
    assert not looks_secret("NEXT_PUBLIC_AUTHOR", "Jane")


@pytest.mark.parametrize(
    "text",
    [
        'a = ["""x""""]\nb = 1\n',
        "h = { c = '''frame-ancestors 'self'''' }\nb = 1\n",
        'a = [\n  """x""""",\n]\nb = 1\n',
    ],
)
def test_a_multi_line_string_may_end_in_extra_quotes(text: str) -> None:
    assert key_lines(text)[("b",)] == text.split("\n").index("b = 1") + 1


def test_the_top_level_fast_path_is_not_fooled_by_strings_or_quoted_keys() -> None:
    cases = {
        'description = """\n[lint] settings\n"""\n[lint]\nignore = []\n': ("lint", 4),
        '"vercel".framework = "nextjs"\n[vercel.crons]\n': ("vercel", 1),
        'regions = [\n  ["a"],\n]\n[vercel]\n': ("regions", 1),
    }
    for text, (key, line) in cases.items():
        source = SourceFile("x", Path("x.toml"), text, {})
        assert source.line_of((key,)) == line == key_lines(text)[(key,)], text


def test_toml_1_1_syntax_is_refused_as_tomllib_and_taplo_refuse_it(
    cli: Runner, workdir: Path
) -> None:
    staging = workdir / "environments" / "staging.toml"
    staging.write_text(staging.read_text() + '\n[security]\nheaders = {\n  "X-A" = "1",\n}\n')
    result = cli("validate")
    assert result.code == 2
    assert result.err.startswith("meterr-config: error: environments/staging.toml:")


def test_github_lines_past_the_annotation_limit_are_escaped() -> None:
    stream = io.StringIO()
    evil = "x\n::warning file=evil::injected"
    findings = [Finding("CORS001", Severity.ERROR, f"{evil} {i}", "e") for i in range(12)]
    GithubReporter(stream).findings("lint", findings, ["e"])
    assert not any(line.startswith("::warning file=evil") for line in stream.getvalue().split("\n"))


def test_dotenv_quotes_read_as_the_dotenv_packages_read_them() -> None:
    entries = parse_dotenv('A=\'it\'s\'\nB="say "hi""\nC="x\\"\nD=1\n', ".env")
    assert {n: e.value for n, e in entries.items()} == {
        "A": "it's",
        "B": 'say "hi"',
        "C": "x\\",
        "D": "1",
    }


@pytest.mark.parametrize("source", ["/:a((?i)x)", "/((?x) a)"])
def test_inline_flags_inside_a_group_are_invalid(source: str) -> None:
    with pytest.raises(PatternError):
        check_source(source)


def test_init_points_the_schema_line_at_the_schema_it_wrote(tmp_path: Path) -> None:
    assert run_cli("-q", "init", "--environments", "config/envs", cwd=tmp_path).code == 0
    first = (tmp_path / "config" / "envs" / "base.toml").read_text().split("\n", 1)[0]
    assert first == "#:schema ../../schemas/environment.schema.json"
    assert (tmp_path / "config" / "envs" / first.split()[1]).resolve().is_file()

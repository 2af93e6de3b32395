"""Issue 16: what a review of the first fixes still broke, one test each (each fails on
the commit before its fix, 6271fb2): a secret split by print, shown through a markdown
cell or cut short by a message; a secret-named variable in a hand-edited next.config.ts;
a source name that forges a workflow command; a committed link to a folder elsewhere; C1
controls from a hostile value; a quadratic scheme search in the output scrubber."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from meterr_config import redact, regexsafety
from tests.conftest import Runner


@pytest.fixture(autouse=True)
def _fresh() -> None:
    redact.forget_all()


def test_a_multi_line_secret_printed_with_print_is_scrubbed() -> None:
    redact.remember("first-half-abcdef\nsecond-half-ghijkl")
    below = io.StringIO()
    stream = redact.Scrubbed(below)
    print("value: first-half-abcdef\nsecond-half-ghijkl", file=stream)
    stream.flush()
    assert "first-half" not in below.getvalue()


def test_c1_controls_and_line_separators_are_escaped_at_the_boundary() -> None:
    below = io.StringIO()
    stream = redact.Scrubbed(below)
    stream.write("DE\x85NY \x9b31m \u2028x\n")
    stream.flush()
    assert below.getvalue() == "DE\\x85NY \\x9b31m \\u2028x\n"


def test_a_secret_with_a_pipe_is_scrubbed_in_a_markdown_cell() -> None:
    redact.remember("abc|def12345xyz")
    assert "def12345" not in redact.scrub("| abc\\|def12345xyz | other |")


def test_a_quoted_value_holding_a_remembered_secret_is_not_cut_open() -> None:
    secret = "correct horse battery staple / shared ops passphrase, rotate quarterly please"
    redact.remember(secret)
    assert redact.quoted(secret + ", thanks").startswith("<redacted:")


def test_the_scheme_search_is_linear() -> None:
    # On c4eba5f..6271fb2, `a.a.a…` started a scheme at every letter: degree 2.
    assert regexsafety.degree(redact._USERINFO.pattern, search=True) == 1


def test_check_redacts_a_secret_named_variable_in_next_config(cli: Runner, workdir: Path) -> None:
    assert cli("render").code == 0
    config = workdir / "generated" / "production" / "next.config.ts"
    config.write_text(config.read_text() + 'const dbPassword = "Tr0ub4dor&3-correct-horse";\n')
    result = cli("check", "--env", "production")
    assert result.code == 1
    assert "Tr0ub4dor" not in result.out
    assert 'const dbPassword = "<redacted: 25 chars' in result.out


def test_a_source_name_cannot_forge_a_workflow_command(cli: Runner, workdir: Path) -> None:
    folder = workdir / "app\n::error file=x::pwned"
    folder.mkdir()
    (folder / ".env").write_text("A=1\n")
    (workdir / "b.env").write_text("B=1\n")
    for fmt in ("text", "markdown", "github"):
        result = cli("diff", f"dir:{folder.name}", "dotenv:b.env", "--format", fmt)
        assert not [line for line in result.out.splitlines() if line.startswith("::error file=x")]


def test_dotenv_refuses_a_committed_link_to_a_folder_elsewhere(
    cli: Runner, workdir: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / ".env").write_text("HOME_DIR=/home/alice/private\n")
    (workdir / "config").symlink_to(outside)
    (workdir / "b.env").write_text("B=1\n")
    result = cli("diff", "dotenv:config/.env", "dotenv:b.env")
    assert result.code == 2
    assert "leads outside the current folder" in result.err
    assert "alice" not in result.out + result.err

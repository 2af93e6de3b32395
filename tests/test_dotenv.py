"""The dotenv reader: `vercel env pull` output and ordinary .env files."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meterr_config.envfile import parse_dotenv
from meterr_config.errors import InputError

PULLED = """# Created by Vercel CLI
API_URL="https://api.meterr.ai"
JWT_SECRET="[SENSITIVE]"
MULTI="line one\\nline two\\r"
QUOTE="say \\"hi\\""
"""


def test_vercel_env_pull_format() -> None:
    entries = parse_dotenv(PULLED, ".env.production.local")
    assert {k: (e.value, e.line) for k, e in entries.items()} == {
        "API_URL": ("https://api.meterr.ai", 2),
        "JWT_SECRET": (None, 3),  # [SENSITIVE]: present, value unknown
        "MULTI": ("line one\nline two\r", 4),
        "QUOTE": ('say "hi"', 5),
    }


def test_ordinary_dotenv_forms() -> None:
    text = (
        "export A=1\nB = two # a comment\nC='lit\\eral # not a comment'\n\n# skipped\nD=\nB=last\n"
    )
    entries = parse_dotenv(text, ".env")
    assert {k: e.value for k, e in entries.items()} == {
        "A": "1",
        "B": "last",
        "C": "lit\\eral # not a comment",
        "D": "",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A=1\nnot a line\n", ".env:2: not a NAME=value line"),
        ('A="open\n', ".env:1: unterminated double-quoted value"),
        ("A='open\n", ".env:1: unterminated single-quoted value"),
    ],
)
def test_malformed_lines_name_the_line(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_dotenv(text, ".env")
    assert caught.value.one_line() == message


@given(
    st.dictionaries(
        st.from_regex(r"[A-Z_][A-Z0-9_]{0,10}", fullmatch=True),
        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
    )
)
def test_pulled_values_round_trip(values: dict[str, str]) -> None:
    """What `vercel env pull` writes (quoted, \\n and \\r escaped) reads back unchanged."""
    lines = ["# Created by Vercel CLI"]
    for key, value in sorted(values.items()):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        lines.append(f'{key}="{escaped}"')
    entries = parse_dotenv("\n".join(lines) + "\n", ".env")
    assert {k: e.value for k, e in entries.items()} == {
        k: (None if v == "[SENSITIVE]" else v) for k, v in values.items()
    }


def test_the_forms_the_dotenv_packages_accept() -> None:
    text = (
        "\ufeffA=\"quoted\" # comment\nB='single' # c\nJUSTNAME\n"
        'KEY="-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----"\nC=plain # c\n'
    )
    entries = parse_dotenv(text, ".env")
    assert {n: (e.value, e.line) for n, e in entries.items()} == {
        "A": ("quoted", 1),
        "B": ("single", 2),
        "KEY": ("-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----", 4),
        "C": ("plain", 7),
    }

"""The dotenv reader: .env files as Next.js (@next/env 16.4.6) reads them, and what
`vercel env pull` writes. tests/realtools/test_next_dotenv.py checks the same against the
real package on generated files; these cases name each behaviour."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meterr_config.envfile import Misreading, parse_dotenv, read_dotenv
from meterr_config.errors import InputError
from meterr_config.limits import EXPANSION_CHARACTERS, MAX_EXPANSIONS

PULLED = """# Created by Vercel CLI
API_URL="https://api.meterr.ai"
JWT_SECRET="[SENSITIVE]"
MULTI="line one\\nline two\\r"
QUOTE="say "hi""
PASSWORD="pa$$w0rd"
CRON_SECRET=""
PLAIN=""
"""


def _values(text: str) -> dict[str, str | None]:
    return {name: entry.value for name, entry in parse_dotenv(text, ".env").items()}


def test_vercel_env_pull_format() -> None:
    pulled = read_dotenv(PULLED, ".env.production.local")
    assert {k: (e.value, e.line) for k, e in pulled.entries.items()} == {
        "API_URL": ("https://api.meterr.ai", 2),
        "JWT_SECRET": (None, 3),  # [SENSITIVE]: present, value unknown
        "MULTI": ("line one\nline two\r", 4),
        "QUOTE": ('say "hi"', 5),
        "PASSWORD": ("pa$$w0rd", 6),  # the value Vercel stores: never expanded
        "CRON_SECRET": (None, 7),  # "" under a secret's name: a CLI before 56.3.0's
        "PLAIN": ("", 8),
    }
    assert pulled.blanked == ("CRON_SECRET",)
    assert all(e.misread == () for e in pulled.entries.values())


def test_ordinary_dotenv_forms() -> None:
    text = (
        "export A=1\nB = two # a comment\nC='lit\\eral # not a comment'\n\n# skipped\nD=\nB=last\n"
    )
    entries = parse_dotenv(text, ".env")
    assert {k: (e.value, e.line) for k, e in entries.items()} == {
        "A": ("1", 1),
        "B": ("last", 7),  # the last definition wins
        "C": ("lit\\eral # not a comment", 3),
        "D": ("", 6),
    }


@pytest.mark.parametrize(
    ("text", "value", "misread"),
    [
        ("A=abc#def", "abc", (Misreading.CUT_AT_HASH,)),
        ("A=#abc", "", (Misreading.CUT_AT_HASH,)),
        ("A=abc #def", "abc", ()),
        ('A="a\\tb\\\\c\\"d"', 'a\\tb\\\\c\\"d', (Misreading.ESCAPE_KEPT,)),
        ('A="a\\nb\\r"', "a\nb\r", ()),
        ("A='a\\nb'", "a\\nb", ()),
        ("A=pa$$w0rd", "pa$", (Misreading.EXPANDED,)),
        ("A=${UNSET:-dflt}", "dflt", ()),
        ("A=\\$HOME", "$HOME", ()),
        ("A='\\$HOME'", "$HOME", (Misreading.ESCAPE_DROPPED,)),
        ("A='$HOME'", "", (Misreading.EXPANDED,)),  # single quotes do not stop it
        ("A=${B}$", "${B}$", ()),  # the rightmost `$` starts no reference: nothing expands
        ('A="open', '"open', (Misreading.QUOTE_KEPT,)),
        ('A="x" y', '"x" y', (Misreading.QUOTE_KEPT,)),
        ("A='it's'", "it's", ()),
        ("A: v", "v", ()),
        ("A:\tv # c", "v", ()),
    ],
)
def test_a_value_as_next_reads_it(text: str, value: str, misread: tuple[Misreading, ...]) -> None:
    entry = parse_dotenv(text + "\n", ".env")["A"]
    assert (entry.value, entry.misread) == (value, misread)


def test_references_to_the_files_own_variables_are_meant() -> None:
    entries = parse_dotenv(
        "TWITTER_USER=nextjs\nURL=https://x.com/$TWITTER_USER\nEARLY=${LATE}!\nLATE=1\n"
        "PORT_URL=http://localhost:${PORT:-3000}\nPORT=8080\nDEFAULTED=${PORT:-80}\n",
        ".env",
    )
    assert {n: (e.value, e.misread) for n, e in entries.items()} == {
        "TWITTER_USER": ("nextjs", ()),
        "URL": ("https://x.com/nextjs", ()),
        "EARLY": ("1!", ()),  # a later name's value, as the file wrote it
        "LATE": ("1", ()),
        # The default wins over the file's own PORT: only the process environment's beats it.
        "PORT_URL": ("http://localhost:3000", (Misreading.EXPANDED,)),
        "PORT": ("8080", ()),
        "DEFAULTED": ("80", (Misreading.EXPANDED,)),
    }


def test_quotes_of_every_kind_span_lines_and_line_ends_are_normalised() -> None:
    text = "A='one\r\ntwo'\rB=`x\ny`\r\nC=\"p\nq\"\nexport D = 4\n"
    assert _values(text) == {"A": "one\ntwo", "B": "x\ny", "C": "p\nq", "D": "4"}


def test_lines_next_skips_are_kept_not_refused() -> None:
    text = 'A=1\nnot a line\nJWT_SECRET sk-live\n{"B": 2}\n# comment\nJUSTNAME\n__proto__=x\n'
    read = read_dotenv(text, ".env")
    assert _values(text) == {"A": "1"}
    assert read.skipped == (2, 3, 4, 6)


def test_a_name_object_prototypes_hold_is_read_as_javascript_reads_it() -> None:
    assert _values("A=$toString|$isPrototypeOf|$__proto__\n") == {
        "A": "[object Undefined]|false|[object Object]"
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "B=1\nA=x$A\n",
            f".env:2: A: expanding it takes more than {MAX_EXPANSIONS:,} references",
        ),
        ("A=$B\nB=$A\n", f".env:1: A: expanding it takes more than {MAX_EXPANSIONS:,}"),
        ("A=1\nB=$valueOf\n", ".env:2: B: it refers to a name every JavaScript object inherits"),
        ("A=$A\n", f".env:1: A: expanding it takes more than {MAX_EXPANSIONS:,} references"),
        (
            "A=" + "$B" * MAX_EXPANSIONS + "\n",
            f".env:1: A: expanding the file's values reads more than {EXPANSION_CHARACTERS:,}",
        ),
    ],
)
def test_what_makes_next_load_nothing_is_bad_input(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_dotenv(text, ".env")
    assert caught.value.one_line().startswith(message)


@given(
    st.dictionaries(
        st.from_regex(r"[A-Z_][A-Z0-9_]{0,10}", fullmatch=True),
        st.text(
            alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters='"\\'),
            max_size=30,
        ),
    )
)
def test_pulled_values_round_trip(values: dict[str, str]) -> None:
    """What `vercel env pull` writes (quoted, only \\n and \\r escaped: `escapeValue`)
    reads back unchanged, but for a secret's empty value (unknown); a value with a `"`
    or a backslash need not (`a" # b` reads as `a`, `a\\nb` as a line break)."""
    lines = ["# Created by Vercel CLI"]
    for key, value in sorted(values.items()):
        escaped = value.replace("\n", "\\n").replace("\r", "\\r")
        lines.append(f'{key}="{escaped}"')
    read = read_dotenv("\n".join(lines) + "\n", ".env")
    assert {k: e.value for k, e in read.entries.items()} == {
        k: None if v == "[SENSITIVE]" or k in read.blanked else v for k, v in values.items()
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

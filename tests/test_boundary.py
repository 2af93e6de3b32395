"""The output boundary (redact.remember/scrub/Scrubbed), as properties: a remembered
secret never survives scrubbing in any printed form, however the text around it is cut
into writes, and text that holds no secret passes unchanged."""

from __future__ import annotations

import io
import itertools
import json
import string
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meterr_config import redact

SECRETS = st.text(string.ascii_letters + string.digits + '+/=-_!"\\%\n', min_size=8, max_size=40)
TEXT = st.text(string.ascii_letters + " .,:\n", max_size=60)


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    redact.forget_all()
    yield
    redact.forget_all()


def _forms(value: str) -> list[str]:
    return [
        value,
        json.dumps(value)[1:-1],
        value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"),
    ]


@given(
    secret=SECRETS.filter(lambda v: v.strip() == v), before=TEXT, after=TEXT, form=st.integers(0, 2)
)
def test_a_remembered_secret_never_survives(
    secret: str, before: str, after: str, form: int
) -> None:
    redact.forget_all()
    redact.remember(secret)
    shown = _forms(secret)[form]
    assert shown not in redact.scrub(f"{before}{shown}{after}")


@given(text=TEXT)
def test_text_without_a_secret_passes_unchanged(text: str) -> None:
    redact.remember("Zq8vX2mP9kL4nR7t")
    assert redact.scrub(text) == text


@given(
    secret=st.text(string.ascii_letters + string.digits, min_size=8, max_size=30),
    before=TEXT,
    after=TEXT,
    cuts=st.lists(st.integers(0, 200), max_size=8),
)
def test_a_secret_written_in_pieces_is_still_scrubbed(
    secret: str, before: str, after: str, cuts: list[int]
) -> None:
    """`print(a, b)` and rich write a line in pieces: the stream scrubs whole lines."""
    redact.forget_all()
    redact.remember(secret)
    text = f"{before}{secret}{after}\n"
    below = io.StringIO()
    stream = redact.Scrubbed(below)
    points = sorted({0, len(text), *(c % (len(text) + 1) for c in cuts)})
    for start, end in itertools.pairwise(points):
        stream.write(text[start:end])
    stream.flush()
    assert secret not in below.getvalue()
    assert below.getvalue() == redact.scrub(text)


def test_short_values_are_not_remembered() -> None:
    redact.remember("true")
    redact.remember("  prod  ")
    assert redact.scrub("true prod") == "true prod"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("https://bob:hunter22x@h.example/p", "https://bob:<redacted: 9 chars"),
        ("https://h.example/p?x-vercel-protection-bypass=abcdef123", "bypass=<redacted: 9 chars"),
        ("/api/cron?token=abc12345&page=2", "token=<redacted: 8 chars"),
        ("redis://default:…@cache.example.com:6379", "redis://default:…@cache"),  # documented
        ("?page=2&sort=name", "?page=2&sort=name"),
    ],
)
def test_credentials_in_known_places(text: str, shown: str) -> None:
    assert shown in redact.scrub(text)
    assert "&page=2" in redact.scrub(text) or "&page=2" not in text


def test_quoted_shows_settings_and_hides_credentials() -> None:
    assert redact.quoted("DENY") == "'DENY'"
    assert redact.quoted("Zq8vX2mP9kL4nR7tW1yB6cD3").startswith("<redacted: 24 chars")
    assert redact.quoted("x" * 81) == repr("x" * 79 + "…")
    assert redact.quoted(3) == "3"

"""`.env` templates in a `dir:` folder: scanned for live keys committed by mistake
(SEC007), never read as the folder's values, and enough on their own to lint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from meterr_config.secretshapes import shape_of
from tests.conftest import Runner

STRIPE = "sk_live_51Hx8kQ2eZvKYlo2C0aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcdEFGH"


@pytest.mark.parametrize("name", [".env.example", ".env.sample", ".env.production.example"])
def test_a_live_key_in_a_template_is_a_committed_secret(
    cli: Runner, workdir: Path, name: str
) -> None:
    (workdir / "app").mkdir()
    (workdir / "app" / name).write_text(f"OPENAI_API_KEY=sk-your-key-here\nSTRIPE_KEY={STRIPE}\n")
    result = cli("lint", "dir:app", "--format", "json")
    doc = json.loads(result.out)
    found = [(f["rule"], f["file"], f["line"]) for f in doc["findings"] if f["rule"] != "NOTE"]
    assert (result.code, found) == (1, [("SEC007", str(Path("app") / name), 2)])
    assert STRIPE not in result.out


def test_a_template_is_not_the_folder_s_values(cli: Runner, workdir: Path) -> None:
    """Its placeholders are no value: the value rules say 'not checked', not 'too short'."""
    (workdir / "app").mkdir()
    (workdir / "app" / ".env.example").write_text("JWT_SECRET=changeme\n")
    doc = json.loads(cli("lint", "dir:app", "--format", "json").out)
    assert doc["status"] == "pass"
    assert not any(f["rule"].startswith("SEC") for f in doc["findings"])


@pytest.mark.parametrize(
    ("value", "shape"),
    [
        ("postgresql://user:password@db.example.com:5432/app", None),  # a placeholder
        ("postgres://postgres:postgres@localhost:5432/app", None),  # this machine's
        ("postgres://app:Xq8vR2mT9pLw4zKd@db.example.com/app", "url-with-password"),
        (f"x postgresql://u:password@h/db {STRIPE}", "stripe-key"),
    ],
)
def test_a_url_password_that_guards_nothing_is_no_secret(value: str, shape: str | None) -> None:
    assert shape_of(value) == shape

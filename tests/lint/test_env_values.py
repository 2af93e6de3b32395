"""Environment values read from files: `.env` templates in a `dir:` folder (scanned for live
keys committed by mistake, SEC007, never read as values, and enough on their own to lint),
the format a value implies, and which names mean a credential."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from meterr_config.secretshapes import infer_format, names_a_secret, shape_of
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
        ("http://user:pass@host:port", None),  # a template: host and port are their names
        ("redis://default:Xq8vR2mT9pLw4zKd@your-redis-host:6379", None),
        ("redis://default:Xq8vR2mT9pLw4zKd@cache.internal:6379", "url-with-password"),
        ("postgres://app:Xq8vR2mT9pLw4zKd@db.example.com/app", "url-with-password"),
        (f"x postgresql://u:password@h/db {STRIPE}", "stripe-key"),
    ],
)
def test_a_url_password_that_guards_nothing_is_no_secret(value: str, shape: str | None) -> None:
    assert shape_of(value) == shape


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("ENCRYPTION_KEY=" + "a" * 63, [("SEC002", "ENCRYPTION_KEY")]),  # hex, one short
        ("ENCRYPTION_KEY=" + "ab" * 32, []),
        ("ENCRYPTION_KEY=bm90LWhleC1idXQtYmFzZTY0LW9mLTMyLWJ5dGVzIQ==", []),  # not hex
        ("DATABASE_URL=mysql://app:Xq8vR2mT9pLw4zKd@db.example.com/app", []),  # the scheme says
        ("DATABASE_URL=postgres://app:Xq8vR2mT9pLw4zKd@/app", [("SEC002", "DATABASE_URL")]),
        ("OPENAI_API_KEY=sk-short", [("SEC002", "OPENAI_API_KEY")]),
    ],
)
def test_a_folder_s_secrets_are_held_to_the_shape_their_value_implies(
    cli: Runner, workdir: Path, line: str, found: list[tuple[str, str]]
) -> None:
    (workdir / "app").mkdir()
    (workdir / "app" / ".env.local").write_text(line + "\n")
    doc = json.loads(cli("lint", "dir:app", "--format", "json").out)
    assert [(f["rule"], f["key"]) for f in doc["findings"] if f["rule"] == "SEC002"] == found


@pytest.mark.parametrize(
    ("value", "fmt"),
    [
        ("mysql://app:Xq8vR2mT9pLw4zKd@db.example.com/app", "dsn"),
        ("mongodb+srv://app:Xq8vR2mT9pLw4zKd@cluster0.example.net/app", "dsn"),
        ("postgresql://app:Xq8vR2mT9pLw4zKd@db.example.com/app", "postgres-url"),
        ("<your database url>", "postgres-url"),  # a placeholder: the name decides
    ],
)
def test_import_takes_a_database_url_s_format_from_its_scheme(value: str, fmt: str) -> None:
    assert infer_format("DATABASE_URL", value) == fmt


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("JWT_SECRET", True),
        ("STRIPE_SECRET_KEY", True),
        ("DATABASE_URL", True),
        ("AWS_ACCESS_KEY_ID", True),
        ("NEXT_PRIVATE_API_KEY", True),  # what follows Next's prefix decides
        ("NEXT_PRIVATE_DISPLAY_NAME", False),
        ("NEXT_PRIVATE_STANDALONE", False),
        ("STRIPE_PUBLISHABLE_KEY", False),
        ("RECAPTCHA_SITE_KEY", False),
        ("AUTH0_CLIENT_ID", False),
        ("AUTH0_DOMAIN", False),
        ("NEXTAUTH_URL", False),
        ("PRIVATE_BUCKET_NAME", False),
        ("DATABASE_HOST", False),
        # from the real-file study: a public key, an anon key, an issuer URL, a file path
        ("VAPID_PUBLIC_KEY", False),
        ("VAPID_PRIVATE_KEY", True),
        ("SUPABASE_ANON_KEY", False),
        ("SUPABASE_SERVICE_ROLE_KEY", True),
        ("AUTH0_ISSUER", False),
        ("BETTER_AUTH_DB_PATH", False),
    ],
)
def test_a_name_means_a_credential_only_when_it_says_so(name: str, secret: bool) -> None:
    assert names_a_secret(name) is secret


def test_import_keeps_the_values_of_public_names(cli: Runner, workdir: Path) -> None:
    (workdir / ".env.production").write_text(
        "NEXT_PRIVATE_DISPLAY_NAME=Acme\nAUTH0_CLIENT_ID=q8vR2mT9pLw4\n"
        "S3_PRIVATE_BUCKET_NAME=acme-uploads\nJWT_SECRET=x\n"
    )
    args = ("--project", "x", "--plan", "pro", "--next-version", "16.4")
    result = cli("import", ".env.production", "--env", "x", "--out", "-", *args)
    assert 'NEXT_PRIVATE_DISPLAY_NAME = "Acme"' in result.out
    assert 'S3_PRIVATE_BUCKET_NAME = "acme-uploads"' in result.out
    assert "[env.JWT_SECRET]\nsecret = true" in result.out


def test_a_folder_s_env_files_are_combined_in_next_s_order(cli: Runner, workdir: Path) -> None:
    """The first of .env.production.local, .env.local, .env.production, .env to set a
    name gives it, a reference to an earlier file's variable is no misreading (ENV008),
    and a file Next does not load (.env.staging) gives no value and is named."""
    app = workdir / "app"
    app.mkdir()
    (app / ".env.local").write_text("API_URL=https://api.local.meterr.ai\n")
    (app / ".env").write_text("API_URL=https://api.meterr.ai\nHEALTH_URL=$API_URL/health\n")
    (app / ".env.staging").write_text("STAGING_ONLY=1\n")
    doc = json.loads(cli("lint", "dir:app", "--format", "json").out)
    assert not [f for f in doc["findings"] if f["rule"] == "ENV008"]
    diff = cli("diff", "dir:app", "dotenv:app/.env.local", "-f", "json")
    changes = {tuple(c["path"]): c for c in json.loads(diff.out)["changes"]}
    assert ("env", "API_URL", "value") not in changes  # .env.local's value, not .env's
    assert changes[("env", "HEALTH_URL")]["old"]["value"] == "https://api.local.meterr.ai/health"
    assert "STAGING_ONLY" not in diff.out
    assert (
        "not read by Next.js, which loads .env.production.local, .env.local, "
        ".env.production, .env: .env.staging"
    ) in diff.err


def test_a_pulled_empty_secret_as_values_is_unknown_and_noted(cli: Runner, workdir: Path) -> None:
    (workdir / "pulled.env").write_text('# Created by Vercel CLI\nJWT_SECRET=""\n')
    result = cli("lint", "production", "--values", "dotenv:pulled.env", "--format", "json")
    found = [f for f in json.loads(result.out)["findings"] if f.get("key") == "JWT_SECRET"]
    assert found == []  # neither a 0-character secret (SEC001) nor a missing one (SEC008)
    assert (
        "meterr-config: note: pulled.env: JWT_SECRET read as unknown, not empty: a Vercel CLI "
        'older than 56.3.0 writes a sensitive value it cannot read as ""\n'
    ) in result.err

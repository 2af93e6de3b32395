"""meterr.ai's environments carry every setting of the deployment guide, with its fixes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from meterr_config.resources import load_json
from meterr_config.validate.vercel import SCHEMA_FILE
from tests.conftest import ROOT

GENERATED = ROOT / "generated"
ENVS = ("development", "staging", "production")


def test_production_vercel_json_has_every_guide_setting() -> None:
    doc = json.loads((GENERATED / "production" / "vercel.json").read_text())
    assert doc["framework"] == "nextjs"
    assert doc["regions"] == ["iad1", "sfo1"]
    assert doc["functions"] == {"app/api/**/*.ts": {"maxDuration": 30}}
    assert doc["crons"] == [{"path": "/api/cron/cleanup", "schedule": "0 2 * * *"}]
    assert doc["redirects"] == [
        {"source": "/docs", "destination": "https://docs.meterr.ai", "permanent": False}
    ]
    (security,) = [rule for rule in doc["headers"] if rule["source"] == "/(.*)"]
    headers = {h["key"]: h["value"] for h in security["headers"]}
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert list(Draft7Validator(load_json(SCHEMA_FILE)).iter_errors(doc)) == []


@pytest.mark.parametrize("env", ENVS)
def test_next_config_has_every_guide_setting(env: str) -> None:
    text = (GENERATED / env / "next.config.ts").read_text()
    assert 'import type { NextConfig } from "next";' in text
    assert 'output: "standalone",' in text
    assert re.search(r'serverExternalPackages: \[\s+"pg",\s+"redis",\s+\]', text)
    assert "serverComponentsExternalPackages" not in text
    assert "CUSTOM_KEY: process.env.CUSTOM_KEY," in text
    assert re.search(r'source: "/api",\s+destination: "/api/health",\s+permanent: false,', text)
    assert 'source: "/api/(.*)",' in text
    assert (
        'key: "Access-Control-Allow-Methods",\n            value: "GET, POST, PUT, DELETE, OPTIONS"'
        in text
    )
    assert "poweredByHeader: false," in text


@pytest.mark.parametrize("env", ENVS)
def test_cors_never_falls_back_to_a_wildcard(env: str) -> None:
    for name in ("vercel.json", "next.config.ts"):
        text = (GENERATED / env / name).read_text()
        assert not re.search(r'"Access-Control-Allow-Origin",\s+value: "\*"', text)
        assert "ALLOWED_ORIGINS" not in text


def test_each_environment_allows_only_its_own_origin() -> None:
    expected = {
        "production": "https://app.meterr.ai",
        "staging": "https://staging.meterr.ai",
        "development": "http://localhost:3000",
    }
    for env, origin in expected.items():
        text = (GENERATED / env / "next.config.ts").read_text()
        origins = re.findall(r'key: "Access-Control-Allow-Origin",\s+value: "([^"]+)"', text)
        assert origins == [origin]


@pytest.mark.parametrize("env", ENVS)
def test_env_files_never_hold_secret_values(env: str) -> None:
    manifest = json.loads((GENERATED / env / "env.manifest.json").read_text())
    for name, var in manifest["variables"].items():
        if var["secret"]:
            assert "value" not in var, name
    example = (GENERATED / env / ".env.example").read_text()
    for name, var in manifest["variables"].items():
        if var["secret"]:
            assert f"\n{name}=\n" in example


def test_guide_variables_and_flags_are_declared() -> None:
    manifest = json.loads((GENERATED / "production" / "env.manifest.json").read_text())
    guide = {
        "NODE_ENV",
        "NEXT_PUBLIC_API_URL",
        "DATABASE_URL",
        "REDIS_URL",
        "JWT_SECRET",
        "ENCRYPTION_KEY",
        "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY",
        "CUSTOM_KEY",
        "FEATURE_NEW_DASHBOARD",
        "FEATURE_SMART_ROUTING_V2",
        "MAINTENANCE_MODE",
    }
    assert guide <= set(manifest["variables"])
    assert set(manifest["flags"]) >= {
        "NEW_DASHBOARD",
        "SMART_ROUTING_V2",
        "BETA_FEATURES",
        "MAINTENANCE_MODE",
    }
    assert manifest["variables"]["NEXT_PUBLIC_API_URL"]["value"] == "https://api.meterr.ai"
    assert manifest["variables"]["JWT_SECRET"]["min_length"] == 32
    assert manifest["variables"]["ENCRYPTION_KEY"]["format"] == "hex32"


def test_development_uses_local_services() -> None:
    manifest = json.loads((GENERATED / "development" / "env.manifest.json").read_text())
    variables = manifest["variables"]
    assert variables["DATABASE_URL"]["value"] == "postgresql://localhost:5432/meterr_dev"
    assert variables["REDIS_URL"]["value"] == "redis://localhost:6379"
    assert variables["NODE_ENV"]["value"] == "development"
    assert manifest["flags"]["BETA_FEATURES"] is True


def test_generated_folder_is_committed() -> None:
    assert Path(GENERATED / "production" / ".env.example").is_file()

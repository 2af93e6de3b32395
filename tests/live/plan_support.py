"""Values and helpers for the plan/apply tests against the fake Vercel API."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.live.vercel_server import SECRET_KEYS, FakeVercel

CANARY = "Canary7f3e"  # in every secret value: it must never appear in any output or file


def secret(name: str, environment: str, generation: int = 0) -> str:
    """A value of the shape `name` declares, holding CANARY, different per environment."""
    seed = hashlib.sha256(f"{name}|{environment}|{generation}".encode()).hexdigest()
    shapes = {
        "DATABASE_URL": f"postgresql://app:{CANARY}{seed[:20]}@db.internal:5432/meterr",
        "REDIS_URL": f"redis://:{CANARY}{seed[:20]}@cache.internal:6379",
        "ENCRYPTION_KEY": seed,  # 64 hex characters: no room for the canary, checked by digest
        "OPENAI_API_KEY": f"sk-{CANARY}{seed[:30]}",
        "ANTHROPIC_API_KEY": "sk-ant-api03-" + (CANARY + seed * 2)[:93] + "AA",
    }
    return shapes.get(name, f"{CANARY}{seed[:40]}")


SECRETS = SECRET_KEYS  # the seven secrets the models declare


def values_file(folder: Path, environment: str, generation: int = 0) -> Path:
    """A .env file with every secret of `environment`."""
    path = folder / f"{environment}.env"
    lines = [f"{name}={secret(name, environment, generation)}" for name in SECRETS]
    path.write_text("\n".join(lines) + "\n")
    return path


def all_secret_values(
    environments: tuple[str, ...] = ("production", "staging"), generations: int = 3
) -> list[str]:
    return [secret(n, e, g) for n in SECRETS for e in environments for g in range(generations)]


def point_at(monkeypatch: object, api: FakeVercel) -> None:
    """VERCEL_TOKEN and VERCEL_API_URL for the fake."""
    monkeypatch.setenv("VERCEL_TOKEN", api.token)  # type: ignore[attr-defined]
    monkeypatch.setenv("VERCEL_API_URL", api.url)  # type: ignore[attr-defined]
    monkeypatch.delenv("VERCEL_TEAM_ID", raising=False)  # type: ignore[attr-defined]
    monkeypatch.delenv("VERCEL_ORG_ID", raising=False)  # type: ignore[attr-defined]

"""Builders for small, safe snapshots that a test then breaks in one place."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from meterr_config.snapshot import EnvEntry, Snapshot

SECURE = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; object-src 'none'",
}
HEX = "0f" * 32
RANDOM = "Zq8vX2mP9kL4nR7tW1yB6cD3fH5jK0sA8gE2uI4oQ7xV"
OPENAI = "sk-proj-" + "Ab3dE5fG7h" * 3 + "T3BlbkFJ" + "Xy9Zw8Vu7T" * 2
ANTHROPIC = "sk-ant-api03-" + ("a1B2c3D4e5" * 10)[:93] + "AA"


def hdr(
    source: str, headers: dict[str, str], has: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A header rule in vercel.json/next.config shape."""
    rule: dict[str, Any] = {"source": source}
    if has:
        rule["has"] = has
    rule["headers"] = [{"key": k, "value": v} for k, v in headers.items()]
    return rule


def secret(name: str, value: str | None, **kw: Any) -> EnvEntry:
    return EnvEntry(
        name=name, secret=True, public=name.startswith("NEXT_PUBLIC_"), value=value, **kw
    )


def plain(name: str, value: str | None) -> EnvEntry:
    return EnvEntry(name=name, secret=False, public=name.startswith("NEXT_PUBLIC_"), value=value)


def base(**changes: Any) -> Snapshot:
    """A production snapshot every rule passes."""
    snap = Snapshot(
        name="production",
        source="env",
        target="production",
        plan="pro",
        next_version="16.4",
        vercel={
            "regions": ["iad1"],
            "headers": [hdr("/(.*)", SECURE)],
            "crons": [{"path": "/api/cron/a", "schedule": "0 2 * * *"}],
        },
        next_config={"poweredByHeader": False, "output": "standalone"},
        next_routes={},
        env={
            "CRON_SECRET": secret("CRON_SECRET", RANDOM),
            "JWT_SECRET": secret("JWT_SECRET", RANDOM + "x", min_length=32),
            "NODE_ENV": plain("NODE_ENV", "production"),
        },
        flags={"MAINTENANCE_MODE": False},
        values_supplied=True,
    )
    return replace(snap, **changes)


def with_env(snap: Snapshot, *entries: EnvEntry) -> Snapshot:
    return replace(snap, env={**snap.env, **{e.name: e for e in entries}})


def with_vercel(snap: Snapshot, **keys: Any) -> Snapshot:
    return replace(snap, vercel={**(snap.vercel or {}), **keys})


def cors(origin: str, *extra: tuple[str, str], vary: bool = True, has: Any = None) -> Snapshot:
    """The base snapshot plus one CORS rule on /api/(.*) in next.config."""
    rules = [hdr("/api/(.*)", {"Vary": "Origin"})] if vary else []
    rules.append(hdr("/api/(.*)", {"Access-Control-Allow-Origin": origin, **dict(extra)}, has))
    return base(next_routes={"headers": rules})

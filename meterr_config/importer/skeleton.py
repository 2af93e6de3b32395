"""The environment files `meterr-config init` writes for a new project.

Safe defaults that lint clean: security headers on every path (HSTS, framing, sniffing,
referrer, permissions), CORS declared with no origin yet (so nothing is sent until one is
listed), no X-Powered-By, and secrets declared, never given a value. Staging extends
production, so the two differ only where staging says so.
"""

from __future__ import annotations

from typing import Any

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
    "Content-Security-Policy": "frame-ancestors 'none'; object-src 'none'; base-uri 'self'",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def skeleton(project: str, plan: str, next_version: str) -> dict[str, dict[str, Any]]:
    """{environment name: its file's tables}, for base, development, staging and production."""
    base: dict[str, Any] = {
        "abstract": True,
        "description": "What every environment shares. A parent only; never rendered.",
        "project": {"name": project, "plan": plan, "next_version": next_version},
        "vercel": {"framework": "nextjs"},
        "security": {"source": "/(.*)", "layer": "both", "headers": SECURITY_HEADERS},
        "cors": {"paths": ["/api/(.*)"], "layer": "next"},
        "nextjs": {"powered_by_header": False, "react_strict_mode": True},
        "parity": {"expected": ["target", "cors.allowed_origins", "env.NEXT_PUBLIC_*"]},
        "env": {
            "NODE_ENV": {"description": "Node.js mode."},
            "DATABASE_URL": {
                "description": "Database connection string (supply it with --values).",
                "secret": True,
                "format": "url",
                "required": False,
            },
        },
    }
    return {
        "base": base,
        "development": {
            "extends": "base",
            "description": "Local development (`next dev`).",
            "target": "development",
            "env": {"NODE_ENV": {"value": "development"}},
        },
        "production": {
            "extends": "base",
            "description": "Production. List its origins in cors.allowed_origins.",
            "target": "production",
            "env": {"NODE_ENV": {"value": "production"}},
        },
        "staging": {
            "extends": "production",
            "description": "Staging: production, except where this file says otherwise.",
            "target": "preview",
        },
    }

"""Hypothesis strategies for valid vercel.json documents within what the model holds."""

from __future__ import annotations

import string
from typing import Any

from hypothesis import strategies as st

SOURCES = st.sampled_from(
    ["/(.*)", "/api/(.*)", "/blog/:slug*", "/:path((?!api).*)", "/docs", "/old/:id", "/"]
)
DESTINATIONS = st.sampled_from(
    ["/", "/new/:id", "https://example.com/:path*", "/api/v2/:path*", "/blog/:slug*"]
)
HEADER_NAMES = st.sampled_from(
    [
        "Cache-Control",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Content-Security-Policy",
        "X-Robots-Tag",
        "Vary",
        "Access-Control-Allow-Methods",
    ]
)
VALUES = st.text(
    alphabet=string.ascii_letters + string.digits + " =;,/-_.:'()*\t", min_size=0, max_size=30
)
REGIONS = st.sampled_from(["iad1", "sfo1", "fra1", "cdg1", "hnd1", "syd1", "gru1", "lhr1"])


@st.composite
def _condition(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["header", "cookie", "query", "host"]))
    if kind == "host":
        return {"type": "host", "value": draw(st.sampled_from(["example\\.com", "(.*)\\.io"]))}
    out: dict[str, Any] = {"type": kind, "key": draw(st.sampled_from(["x-id", "session", "v"]))}
    if draw(st.booleans()):
        out["value"] = draw(st.sampled_from(["1", "(?<v>.*)", "yes|no"]))
    return out


@st.composite
def _matchers(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {"source": draw(SOURCES)}
    for name in ("has", "missing"):
        if draw(st.booleans()):
            out[name] = draw(st.lists(_condition(), min_size=1, max_size=2))
    return out


@st.composite
def _redirect(draw: st.DrawFn) -> dict[str, Any]:
    out = {**draw(_matchers()), "destination": draw(DESTINATIONS)}
    status = draw(st.sampled_from(["permanent", "status", "neither"]))
    if status == "permanent":
        out["permanent"] = draw(st.booleans())
    elif status == "status":
        out["statusCode"] = draw(st.sampled_from([301, 302, 303, 307, 308]))
    return out


@st.composite
def _header_rule(draw: st.DrawFn) -> dict[str, Any]:
    headers = draw(st.dictionaries(HEADER_NAMES, VALUES, min_size=1, max_size=4))
    return {**draw(_matchers()), "headers": [{"key": k, "value": v} for k, v in headers.items()]}


_FUNCTION = st.fixed_dictionaries(
    {},
    optional={
        "maxDuration": st.one_of(st.integers(1, 800), st.just("max")),
        "memory": st.integers(128, 3009),
        "regions": st.lists(REGIONS, min_size=1, max_size=2, unique=True),
        "architecture": st.sampled_from(["x86_64", "arm64"]),
        "includeFiles": st.sampled_from(["data/**", "prisma/*.prisma"]),
        "excludeFiles": st.sampled_from(["**/*.test.ts"]),
    },
)
_IMAGES = st.fixed_dictionaries(
    {"sizes": st.lists(st.integers(16, 4096), min_size=1, max_size=5)},
    optional={
        "remotePatterns": st.lists(
            st.fixed_dictionaries(
                {"hostname": st.sampled_from(["cdn.example.com", "**.img.io"])},
                optional={
                    "protocol": st.sampled_from(["http", "https"]),
                    "pathname": st.just("/i/**"),
                },
            ),
            max_size=2,
        ),
        "minimumCacheTTL": st.integers(1, 86400),
        "formats": st.just(["image/avif", "image/webp"]),
        "dangerouslyAllowSVG": st.booleans(),
        "contentDispositionType": st.sampled_from(["inline", "attachment"]),
    },
)

vercel_json = st.fixed_dictionaries(
    {},
    optional={
        "$schema": st.just("https://openapi.vercel.sh/vercel.json"),
        "framework": st.just("nextjs"),
        "buildCommand": st.sampled_from(["next build", "pnpm build"]),
        "installCommand": st.sampled_from(["pnpm install", "npm ci"]),
        "outputDirectory": st.just(".next"),
        "regions": st.lists(REGIONS, min_size=1, max_size=3, unique=True),
        "functions": st.dictionaries(
            st.sampled_from(["app/api/**/*.ts", "api/*.js", "pages/api/x.ts"]),
            _FUNCTION,
            max_size=3,
        ),
        "crons": st.lists(
            st.fixed_dictionaries(
                {
                    "path": st.sampled_from(["/api/cron/a", "/api/cron/b?x=1"]),
                    "schedule": st.sampled_from(["0 2 * * *", "*/5 * * * *", "0 0 1 * *"]),
                }
            ),
            max_size=3,
        ),
        "cleanUrls": st.booleans(),
        "trailingSlash": st.booleans(),
        "redirects": st.lists(_redirect(), max_size=4),
        "rewrites": st.lists(
            st.builds(lambda m, d: {**m, "destination": d}, _matchers(), DESTINATIONS), max_size=4
        ),
        "headers": st.lists(_header_rule(), max_size=4),
        "images": _IMAGES,
    },
)

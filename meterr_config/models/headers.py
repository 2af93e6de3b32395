"""Security headers and the CORS policy: the two header sets the guide hand-writes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from meterr_config.models.base import HeaderName, HeaderValue, StrictModel

# Where a header set is rendered. vercel.json headers apply on Vercel only; next.config
# headers also apply to `next start` and standalone self-hosting.
Layer = Literal["vercel", "next", "both"]


class SecurityHeaders(StrictModel):
    """Headers sent on every matching response, e.g. X-Frame-Options."""

    source: str = Field(default="/(.*)", description="Path pattern the headers apply to.")
    layer: Layer = Field(
        default="both",
        description="Render into vercel.json, next.config.ts or both (covers `next start`).",
    )
    headers: dict[HeaderName, HeaderValue] = Field(default={}, description="Header name to value.")


class Cors(StrictModel):
    """Cross-origin policy. Each allowed origin gets its own Origin-gated header rule."""

    paths: list[str] = Field(default=[], description="Path patterns CORS applies to.")
    allowed_origins: list[str] = Field(
        default=[],
        description="Exact origins (scheme://host[:port]) allowed to call the paths.",
    )
    allowed_methods: list[str] = Field(
        default_factory=lambda: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
        description="Access-Control-Allow-Methods.",
    )
    allowed_headers: list[str] = Field(
        default_factory=lambda: ["Content-Type", "Authorization"],
        description="Access-Control-Allow-Headers.",
    )
    expose_headers: list[str] = Field(default=[], description="Access-Control-Expose-Headers.")
    allow_credentials: bool = Field(
        default=False, description="Send Access-Control-Allow-Credentials: true."
    )
    max_age: int | None = Field(
        default=600, ge=0, description="Access-Control-Max-Age in seconds; omit to leave unset."
    )
    layer: Layer = Field(
        default="next", description="Render into vercel.json, next.config.ts or both."
    )

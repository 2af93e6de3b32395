"""Next.js settings, rendered into a typed next.config.ts."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, JsonValue, model_validator

from meterr_config.models.artifact import names
from meterr_config.models.base import EnvName, StrictModel
from meterr_config.models.routing import HeaderRule, Redirect, Rewrite
from meterr_config.models.vercel import check_passthrough


class FromEnv(StrictModel):
    """A next.config `env` entry read from the build environment: process.env[from_env]."""

    from_env: EnvName = Field(description="Build-time environment variable to read.")


class RemotePattern(StrictModel):
    """An allowed remote image source for next/image."""

    protocol: Literal["http", "https"] | None = Field(
        serialization_alias="protocol", default=None, description="URL scheme."
    )
    hostname: str = Field(
        serialization_alias="hostname", description="Host name; '*' and '**' wildcards allowed."
    )
    port: str | None = Field(
        serialization_alias="port", default=None, description="Port, or empty for the default."
    )
    pathname: str | None = Field(
        serialization_alias="pathname", default=None, description="Path glob."
    )
    search: str | None = Field(
        serialization_alias="search", default=None, description="Exact query string."
    )


class Images(StrictModel):
    """next/image settings."""

    remote_patterns: list[RemotePattern] = Field(
        serialization_alias="remotePatterns",
        default=[],
        description="Remote image sources.",
    )
    formats: list[Literal["image/avif", "image/webp"]] | None = Field(
        serialization_alias="formats", default=None, description="Output formats."
    )
    unoptimized: bool | None = Field(
        serialization_alias="unoptimized", default=None, description="Serve images as they are."
    )
    minimum_cache_ttl: int | None = Field(
        serialization_alias="minimumCacheTTL",
        default=None,
        ge=0,
        description="Minimum cache TTL in seconds.",
    )


class NextSettings(StrictModel):
    """The next.config keys meterr-config models; others go in `experimental` or not at all."""

    output: Literal["standalone", "export"] | None = Field(
        serialization_alias="output", default=None, description="Build output mode."
    )
    base_path: str | None = Field(
        serialization_alias="basePath", default=None, description="Mount the app under a path."
    )
    trailing_slash: bool | None = Field(
        serialization_alias="trailingSlash", default=None, description="Trailing slash on URLs."
    )
    powered_by_header: bool | None = Field(
        serialization_alias="poweredByHeader",
        default=None,
        description="false removes the X-Powered-By header.",
    )
    react_strict_mode: bool | None = Field(
        serialization_alias="reactStrictMode", default=None, description="React Strict Mode."
    )
    compress: bool | None = Field(
        serialization_alias="compress",
        default=None,
        description="gzip responses from `next start`.",
    )
    typed_routes: bool | None = Field(
        serialization_alias="typedRoutes", default=None, description="Typed links (Next 15.5+)."
    )
    server_external_packages: list[str] = Field(
        serialization_alias="serverExternalPackages",
        default=[],
        description="Packages left out of the server bundle (was experimental."
        "serverComponentsExternalPackages before Next 15).",
    )
    transpile_packages: list[str] = Field(
        serialization_alias="transpilePackages",
        default=[],
        description="Dependencies Next should transpile.",
    )
    env: dict[EnvName, str | FromEnv] = Field(
        serialization_alias="env",
        default={},
        description="Values inlined into the JavaScript bundle at build time. Never secrets.",
    )
    images: Images | None = Field(
        serialization_alias="images", default=None, description="next/image settings."
    )
    experimental: dict[str, Any] = Field(
        serialization_alias="experimental",
        default={},
        description="Experimental keys, checked against the target Next version's key list.",
    )
    redirects: list[Redirect] = Field(
        serialization_alias="redirects", default=[], description="Redirects, in order."
    )
    rewrites: list[Rewrite] = Field(
        serialization_alias="rewrites", default=[], description="Rewrites, in order."
    )
    headers: list[HeaderRule] = Field(
        serialization_alias="headers",
        default=[],
        description="Extra header rules, after the security and CORS ones.",
    )
    passthrough: dict[str, JsonValue] = Field(
        default={},
        description="next.config keys meterr-config does not model (`logging`, `i18n`…), kept "
        "verbatim by `import --passthrough` and rendered as they are, after the modelled keys.",
    )

    @model_validator(mode="after")
    def _passthrough_is_unmodelled(self) -> NextSettings:
        check_passthrough(self.passthrough, RENDERED_KEYS, "nextjs")
        return self


# The next.config keys the model renders; `passthrough` may not repeat them.
RENDERED_KEYS = frozenset(names(NextSettings).values())

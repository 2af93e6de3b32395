"""Vercel project settings, rendered into vercel.json."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, JsonValue, StringConstraints, model_validator

from meterr_config.models.artifact import names
from meterr_config.models.base import KeyedError, StrictModel
from meterr_config.models.routing import HeaderRule, Redirect, Rewrite

# Vercel's CLI accepts any string as a region; the lint rules check the known codes.
Region = Annotated[str, StringConstraints(pattern=r"^[a-z]{3}[0-9]$")]


class FunctionConfig(StrictModel):
    """Settings for the functions a glob matches. Ranges are checked by the Vercel schema."""

    architecture: Literal["x86_64", "arm64"] | None = Field(
        serialization_alias="architecture", default=None, description="CPU architecture."
    )
    memory: int | None = Field(
        serialization_alias="memory", default=None, description="Memory in MB (128-10240)."
    )
    max_duration: int | Literal["max"] | None = Field(
        serialization_alias="maxDuration",
        default=None,
        description="Maximum run time in seconds, or 'max' for the plan's limit.",
    )
    regions: list[Region] | None = Field(
        serialization_alias="regions",
        default=None,
        description="Regions for these functions (more than one: Enterprise).",
    )
    runtime: str | None = Field(
        serialization_alias="runtime",
        default=None,
        description="Community runtime as package@version; omit for Node.js.",
    )
    include_files: str | None = Field(
        serialization_alias="includeFiles",
        default=None,
        description="Glob of extra files to bundle.",
    )
    exclude_files: str | None = Field(
        serialization_alias="excludeFiles", default=None, description="Glob of files to leave out."
    )


class Cron(StrictModel):
    """A Vercel cron job: Vercel calls `path` with GET on `schedule` (UTC, production only)."""

    path: str = Field(
        serialization_alias="path", description="Path Vercel requests; starts with '/'."
    )
    schedule: str = Field(
        serialization_alias="schedule", description="Five-field cron expression, evaluated in UTC."
    )


class ImagePattern(StrictModel):
    """A remote or local image source Vercel's image optimisation may serve."""

    protocol: Literal["http", "https"] | None = Field(
        serialization_alias="protocol", default=None, description="URL scheme."
    )
    hostname: str | None = Field(
        serialization_alias="hostname",
        default=None,
        description="Host name (remote patterns only); '*' and '**' wildcards.",
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


class VercelImages(StrictModel):
    """vercel.json `images`: Vercel's image optimisation for frameworks without their own."""

    sizes: list[int] = Field(
        serialization_alias="sizes",
        description="Allowed image widths in pixels (required by Vercel).",
    )
    remote_patterns: list[ImagePattern] = Field(
        serialization_alias="remotePatterns",
        default=[],
        description="Remote image sources (need `hostname`).",
    )
    local_patterns: list[ImagePattern] = Field(
        serialization_alias="localPatterns",
        default=[],
        description="Local image paths (pathname and search only).",
    )
    domains: list[str] = Field(
        serialization_alias="domains",
        default=[],
        description="Allowed remote hosts (legacy).",
    )
    formats: list[Literal["image/avif", "image/webp", "image/jpeg", "image/png"]] | None = Field(
        serialization_alias="formats", default=None, description="Output formats."
    )
    qualities: list[int] | None = Field(
        serialization_alias="qualities", default=None, description="Allowed quality values."
    )
    minimum_cache_ttl: int | None = Field(
        serialization_alias="minimumCacheTTL",
        default=None,
        ge=1,
        description="Minimum cache TTL in seconds.",
    )
    dangerously_allow_svg: bool | None = Field(
        serialization_alias="dangerouslyAllowSVG",
        default=None,
        description="Optimise SVG images too (needs a strict CSP).",
    )
    content_security_policy: str | None = Field(
        serialization_alias="contentSecurityPolicy",
        default=None,
        description="Content-Security-Policy sent with optimised images.",
    )
    content_disposition_type: Literal["inline", "attachment"] | None = Field(
        serialization_alias="contentDispositionType",
        default=None,
        description="Content-Disposition type of optimised images.",
    )


def check_passthrough(
    passthrough: dict[str, JsonValue], rendered: frozenset[str], section: str
) -> None:
    """A passthrough key must not be one the model renders itself: which would win?"""
    for name in sorted(passthrough):
        if name in rendered:
            raise KeyedError(
                ("passthrough", name),
                f"'{name}' is modelled: set it in [{section}], not in passthrough",
            )


class VercelSettings(StrictModel):
    """Everything that goes into vercel.json apart from the CORS and security headers."""

    framework: Literal["nextjs"] | None = Field(
        serialization_alias="framework",
        default=None,
        description="Framework preset; meterr-config targets Next.js.",
    )
    build_command: str | None = Field(
        serialization_alias="buildCommand", default=None, description="Override the build command."
    )
    install_command: str | None = Field(
        serialization_alias="installCommand",
        default=None,
        description="Override the install command.",
    )
    output_directory: str | None = Field(
        serialization_alias="outputDirectory",
        default=None,
        description="Override the output folder.",
    )
    regions: list[Region] = Field(
        serialization_alias="regions",
        default=[],
        description="Default regions for functions, e.g. ['iad1'].",
    )
    functions: dict[str, FunctionConfig] = Field(
        serialization_alias="functions",
        default={},
        description="Function settings keyed by a glob of source files.",
    )
    crons: list[Cron] = Field(serialization_alias="crons", default=[], description="Cron jobs.")
    clean_urls: bool | None = Field(
        serialization_alias="cleanUrls", default=None, description="Drop .html extensions."
    )
    trailing_slash: bool | None = Field(
        serialization_alias="trailingSlash",
        default=None,
        description="Redirect to paths with (true) or without (false) a slash.",
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
    images: VercelImages | None = Field(
        serialization_alias="images", default=None, description="Image optimisation."
    )
    passthrough: dict[str, JsonValue] = Field(
        default={},
        description="vercel.json keys meterr-config does not model (legacy `routes`, `builds`, "
        "`git`…), kept verbatim by `import --passthrough` and rendered as they are, after "
        "the modelled keys.",
    )

    @model_validator(mode="after")
    def _passthrough_is_unmodelled(self) -> VercelSettings:
        check_passthrough(self.passthrough, RENDERED_KEYS, "vercel")
        return self


# The vercel.json keys the model renders; `passthrough` may not repeat them.
RENDERED_KEYS = frozenset({"$schema", *names(VercelSettings).values()})

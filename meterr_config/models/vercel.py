"""Vercel project settings, rendered into vercel.json."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from meterr_config.models.base import StrictModel
from meterr_config.models.routing import HeaderRule, Redirect, Rewrite

# Vercel's CLI accepts any string as a region; the lint rules check the known codes.
Region = Annotated[str, StringConstraints(pattern=r"^[a-z]{3}[0-9]$")]


class FunctionConfig(StrictModel):
    """Settings for the functions a glob matches. Ranges are checked by the Vercel schema."""

    max_duration: int | Literal["max"] | None = Field(
        default=None, description="Maximum run time in seconds, or 'max' for the plan's limit."
    )
    memory: int | None = Field(default=None, description="Memory in MB (128-10240).")
    runtime: str | None = Field(
        default=None, description="Community runtime as package@version; omit for Node.js."
    )
    regions: list[Region] | None = Field(
        default=None, description="Regions for these functions (more than one: Enterprise)."
    )
    architecture: Literal["x86_64", "arm64"] | None = Field(
        default=None, description="CPU architecture."
    )
    include_files: str | None = Field(default=None, description="Glob of extra files to bundle.")
    exclude_files: str | None = Field(default=None, description="Glob of files to leave out.")


class Cron(StrictModel):
    """A Vercel cron job: Vercel calls `path` with GET on `schedule` (UTC, production only)."""

    path: str = Field(description="Path Vercel requests; starts with '/'.")
    schedule: str = Field(description="Five-field cron expression, evaluated in UTC.")


class VercelSettings(StrictModel):
    """Everything that goes into vercel.json apart from the CORS and security headers."""

    framework: Literal["nextjs"] | None = Field(
        default=None, description="Framework preset; meterr-config targets Next.js."
    )
    regions: list[Region] = Field(
        default_factory=list, description="Default regions for functions, e.g. ['iad1']."
    )
    functions: dict[str, FunctionConfig] = Field(
        default_factory=dict, description="Function settings keyed by a glob of source files."
    )
    crons: list[Cron] = Field(default_factory=list, description="Cron jobs.")
    redirects: list[Redirect] = Field(default_factory=list, description="Redirects, in order.")
    rewrites: list[Rewrite] = Field(default_factory=list, description="Rewrites, in order.")
    headers: list[HeaderRule] = Field(
        default_factory=list, description="Extra header rules, after the security and CORS ones."
    )
    clean_urls: bool | None = Field(default=None, description="Drop .html extensions.")
    trailing_slash: bool | None = Field(
        default=None, description="Redirect to paths with (true) or without (false) a slash."
    )
    build_command: str | None = Field(default=None, description="Override the build command.")
    install_command: str | None = Field(default=None, description="Override the install command.")
    output_directory: str | None = Field(default=None, description="Override the output folder.")

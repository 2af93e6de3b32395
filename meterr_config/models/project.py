"""The project: its name, its Vercel plan and the Next.js version it targets."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from meterr_config.models.base import StrictModel

Plan = Literal["hobby", "pro", "enterprise"]


class Project(StrictModel):
    """Facts about the project that drive rendering and the plan and version rules."""

    name: Annotated[str, StringConstraints(pattern=r"^[a-z0-9._-]{1,100}$")] = Field(
        description="Vercel project name (lowercase letters, digits, '.', '_' and '-')."
    )
    plan: Plan = Field(description="Vercel plan: drives limits on crons, durations and regions.")
    next_version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+(\.\d+)?$")] = Field(
        description="Target Next.js version, e.g. '16.4': drives renamed and removed keys."
    )
    function_default_timeout: int | None = Field(
        default=None,
        ge=1,
        description="Default function timeout in seconds, a project setting outside "
        "vercel.json; compared with the live project.",
    )
    domains: list[
        Annotated[
            str, StringConstraints(max_length=253, pattern=r"^([a-z0-9-]{1,63}\.)+[a-z]{2,63}$")
        ]
    ] = Field(
        default=[],
        description="Hosts this environment is served on, e.g. 'app.meterr.ai' or "
        "'meterr-staging.vercel.app': a *.vercel.app host is on the HSTS preload list and "
        "gets Vercel's own HSTS, which lint --score and HDR004 take into account.",
    )
    node_version: Literal["20.x", "22.x", "24.x"] | None = Field(
        default=None,
        description="Node.js version of the Vercel project, compared with the live project.",
    )

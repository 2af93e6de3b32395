"""The Environment: one fully merged environment file, the single source of truth."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from meterr_config.models.base import EnvName, KeyedError, StrictModel
from meterr_config.models.envvars import EnvVar, Flag, Target, is_public
from meterr_config.models.headers import Cors, SecurityHeaders
from meterr_config.models.nextjs import NextSettings
from meterr_config.models.project import Project
from meterr_config.models.runtime_flags import RuntimeFlag
from meterr_config.models.vercel import VercelSettings

FlagName = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$")]
RuleId = Annotated[str, StringConstraints(pattern=r"^[A-Z]+[0-9]{3}$")]


class Parity(StrictModel):
    """Which differences between environments are expected (`diff staging production`)."""

    expected: list[str] = Field(
        default=[],
        description="Model keys that may differ, as dotted patterns: 'cors.allowed_origins', "
        "'env.NEXT_PUBLIC_API_URL', 'env.*', 'flags.*'. A change is expected when its key "
        "matches one of them, or sits below one.",
    )


class LintSettings(StrictModel):
    """Lint configuration: rules to ignore here, and per-rule options."""

    ignore: list[RuleId] = Field(
        default=[], description="Rule ids not to report for this environment."
    )
    rules: dict[RuleId, dict[str, Any]] = Field(
        default={},
        description="Options by rule id, e.g. SEC003 = { min_bits_per_char = 4.0 }.",
    )


class Environment(StrictModel):
    """A deployable environment after `extends` chains are merged."""

    abstract: bool = Field(
        default=False, description="A parent only: never rendered. Not inherited."
    )
    description: str | None = Field(default=None, description="What this environment is for.")
    target: Target = Field(
        default="preview",
        description="Vercel target: production, preview, development or a custom environment.",
    )
    project: Project = Field(description="Project name, Vercel plan and Next.js version.")
    vercel: VercelSettings = Field(default_factory=VercelSettings, description="vercel.json.")
    security: SecurityHeaders = Field(
        default_factory=SecurityHeaders, description="Security headers."
    )
    cors: Cors = Field(default_factory=Cors, description="CORS policy.")
    nextjs: NextSettings = Field(default_factory=NextSettings, description="next.config.ts.")
    env: dict[EnvName, EnvVar] = Field(default={}, description="Environment variables by name.")
    flags: dict[FlagName, Flag] = Field(default={}, description="Feature flags.")
    runtime_flags: dict[FlagName, RuntimeFlag] = Field(
        default={},
        description="Runtime feature flags: rows of the app's feature_flags table "
        "(flags plan / flags apply), read per request, changed without a deployment.",
    )
    lint: LintSettings = Field(default_factory=LintSettings, description="Lint settings.")
    parity: Parity = Field(default_factory=Parity, description="Expected differences.")

    @model_validator(mode="after")
    def _consistent_variables(self) -> Environment:
        for name, var in self.env.items():
            if var.public is not None and var.public != is_public(name):
                prefix = "" if is_public(name) else "out"
                raise KeyedError(
                    ("env", name, "public"),
                    f"public = {str(var.public).lower()} but the name is with{prefix} the "
                    "NEXT_PUBLIC_ prefix, which is what Next.js goes by",
                )
            if var.git_branch is not None and self.targets_of(var) != ["preview"]:
                raise KeyedError(
                    ("env", name, "git_branch"),
                    f"git_branch goes with the preview target only, but the variable is on "
                    f'{", ".join(self.targets_of(var))}; set targets = ["preview"] '
                    "(Vercel: gitBranch must have target=preview)",
                )
        for flag_name, flag in self.flags.items():
            if flag.env_name(flag_name) in self.env:
                raise KeyedError(
                    ("flags", flag_name),
                    f"its variable {flag.env_name(flag_name)} is also declared under [env]; "
                    "declare it in one place",
                )
        return self

    def targets_of(self, var: EnvVar) -> list[str]:
        """The Vercel targets a variable is set for."""
        return sorted(var.targets) if var.targets is not None else [self.target]

    def vercel_type(self, var: EnvVar) -> str:
        """Vercel's variable type; sensitive is not allowed on the development target."""
        if var.type is not None:
            return var.type
        if var.secret and "development" not in self.targets_of(var):
            return "sensitive"
        return "encrypted"


__all__ = ["EnvName", "Environment"]

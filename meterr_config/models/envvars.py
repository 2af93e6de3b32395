"""Environment variables and feature flags.

A variable is either a plain value or a secret declaration. A secret's value never lives in
an environment file: the file says what the secret must look like, and the value comes from
a values source (a dotenv file, the process, the Vercel API) when lint or diff runs.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from meterr_config.models.base import EnvName, StrictModel

PUBLIC_PREFIX = "NEXT_PUBLIC_"

# Vercel's own targets; any other is a custom environment, named by its slug.
BUILTIN_TARGETS = ("production", "preview", "development")
# Vercel's built-in targets, or the slug of a custom environment such as "staging".
Target = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")]


def _branch_name(name: str) -> str:
    """A Git branch name as `git check-ref-format --branch` accepts one: no control
    character, space, ~ ^ : ? * [ or backslash; no "..", "@{", "//", leading "-", a part
    starting with "." or ending with ".lock", trailing "/" or "."; not "HEAD". Tested against
    git itself (tests/realtools/test_git_branch.py)."""
    parts = name.split("/")
    bad = (
        name.startswith("-")
        or name == "HEAD"
        or ".." in name
        or "@{" in name
        or name.endswith(".")
        or any(not part or part.startswith(".") or part.endswith(".lock") for part in parts)
        or any(c in "~^:?*[\\" or ord(c) <= 0x20 or ord(c) == 0x7F for c in name)
    )
    if bad:
        raise ValueError(f"{name!r} is not a Git branch name")
    return name


# At most 250 characters: the REST API's maxLength for gitBranch.
GitBranch = Annotated[
    str, StringConstraints(min_length=1, max_length=250), AfterValidator(_branch_name)
]

SecretFormat = Literal[
    "hex32",
    "base64-32",
    "openai-key",
    "anthropic-key",
    "postgres-url",
    "redis-url",
    "url",
    "dsn",
    "random",
]


class EnvVar(StrictModel):
    """One environment variable: a plain `value`, or `secret = true` with its constraints."""

    value: str | None = Field(
        default=None, description="Plain value. Not allowed on a secret: secrets never live here."
    )
    secret: bool = Field(default=False, description="The value is a credential.")
    targets: list[Target] | None = Field(
        default=None,
        description="Vercel targets (production, preview, development or a custom "
        "environment); defaults to the environment's own target.",
    )
    git_branch: GitBranch | None = Field(
        default=None,
        description="Only for the preview deployments of this Git branch (Vercel's "
        'gitBranch); needs targets = ["preview"].',
    )
    type: Literal["plain", "encrypted", "sensitive"] | None = Field(
        default=None,
        description="Vercel variable type; defaults to sensitive for secrets outside "
        "development, encrypted otherwise.",
    )
    public: bool | None = Field(
        default=None,
        description="Inlined into browser JavaScript. Must agree with the NEXT_PUBLIC_ prefix.",
    )
    format: SecretFormat | None = Field(default=None, description="Shape the value must have.")
    min_length: int | None = Field(default=None, ge=1, description="Minimum length of the value.")
    required: bool = Field(default=True, description="The app fails without it.")
    description: str | None = Field(default=None, description="What the variable is for.")

    @model_validator(mode="after")
    def _secret_has_no_value(self) -> EnvVar:
        if self.secret and self.value is not None:
            raise ValueError(
                "a secret cannot have a value in an environment file; "
                "declare it and supply the value with --values"
            )
        return self


class Flag(StrictModel):
    """A feature flag, delivered to the app as an environment variable 'true' or 'false'."""

    value: bool = Field(description="Whether the flag is on in this environment.")
    env: EnvName | None = Field(
        default=None, description="Variable that carries the flag; defaults to FEATURE_<NAME>."
    )
    description: str | None = Field(default=None, description="What the flag switches.")

    def env_name(self, flag: str) -> str:
        """The variable name the app reads this flag from."""
        return self.env or f"FEATURE_{flag}"


def is_public(name: str) -> bool:
    """Next.js inlines NEXT_PUBLIC_* variables into the browser bundle."""
    return name.startswith(PUBLIC_PREFIX)

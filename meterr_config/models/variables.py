"""Every variable an environment sets: its declared ones plus one per feature flag."""

from __future__ import annotations

from dataclasses import dataclass

from meterr_config.models import Environment
from meterr_config.models.envvars import is_public


@dataclass(frozen=True)
class Variable:
    """One variable as the deployment sees it. `value` is None for secrets and unknowns."""

    name: str
    targets: tuple[str, ...]
    type: str
    secret: bool
    public: bool
    required: bool
    value: str | None = None
    format: str | None = None
    min_length: int | None = None
    description: str | None = None
    flag: str | None = None
    branch: str | None = None  # only the preview deployments of this Git branch


def variables(env: Environment) -> list[Variable]:
    """Declared variables and flag variables, sorted by name."""
    out = [
        Variable(
            name=name,
            targets=tuple(env.targets_of(var)),
            type=env.vercel_type(var),
            secret=var.secret,
            public=is_public(name),
            required=var.required,
            value=var.value,
            format=var.format,
            min_length=var.min_length,
            description=var.description,
            branch=var.git_branch,
        )
        for name, var in env.env.items()
    ]
    for flag_name, flag in env.flags.items():
        name = flag.env_name(flag_name)
        out.append(
            Variable(
                name=name,
                targets=(env.target,),
                type="plain" if is_public(name) else "encrypted",
                secret=False,
                public=is_public(name),
                required=True,
                value="true" if flag.value else "false",
                description=flag.description,
                flag=flag_name,
            )
        )
    return sorted(out, key=lambda v: v.name)

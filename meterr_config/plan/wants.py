"""What the models want on Vercel: one `Want` per variable and target, values included,
each refused here, before anything is written, when it could not be right."""

from __future__ import annotations

from dataclasses import dataclass

from meterr_config import redact, systemvars
from meterr_config.errors import InputError
from meterr_config.load import LoadedEnvironment
from meterr_config.models.variables import Variable, variables
from meterr_config.plan.model import Want, branch_of, place, target_of
from meterr_config.plan.refuse import shape_refusal, type_refusal, value_refusal
from meterr_config.sources.registry import Values
from meterr_config.sources.values import ValueSources

# Vercel's limit on a variable's comment (the REST API reference: maxLength 500).
COMMENT_LIMIT = 500


@dataclass(frozen=True)
class Wanted:
    """Every Want of the named environments of one project, and the targets they manage."""

    project: str
    environments: tuple[str, ...]
    wants: tuple[Want, ...]
    managed: frozenset[str]  # the targets (and branch places) the plan is about
    declared: frozenset[str]  # names declared without a value to write (never pruned)

    def manages(self, target: str) -> bool:
        """Whether the plan is about a place: a target an environment is on or a model
        names, or a branch's place, when a model names it or preview is managed."""
        return target in self.managed or (
            branch_of(target) is not None and "preview" in self.managed
        )


def wanted(loaded: list[LoadedEnvironment], values: ValueSources) -> list[Wanted]:
    """Per project (the environments' `project.name`, in order of first mention)."""
    by_project: dict[str, list[LoadedEnvironment]] = {}
    for env in loaded:
        by_project.setdefault(env.model.project.name, []).append(env)
    return [_project(name, envs, values) for name, envs in by_project.items()]


def _project(name: str, envs: list[LoadedEnvironment], values: ValueSources) -> Wanted:
    wants: dict[tuple[str, str], Want] = {}
    managed: set[str] = set()
    declared: set[str] = set()
    for env in envs:
        managed.add(env.model.target)
        variables_ = variables(env.model)
        supplied = values.values_for(env.name, {v.name for v in variables_})
        for var in variables_:
            value = _value(env, var, supplied)
            if value is None:
                declared.add(var.name)
                continue
            for target in (place(t, var.branch) for t in var.targets):
                managed.add(target)
                want = _want(env, var, target, value)
                _add(wants, want)
    return Wanted(
        project=name,
        environments=tuple(env.name for env in envs),
        wants=tuple(sorted(wants.values(), key=lambda w: (w.key, w.target))),
        managed=frozenset(managed),
        declared=frozenset(declared),
    )


def _fail(env: LoadedEnvironment, var: Variable, why: str) -> InputError:
    section = "flags" if var.flag else "env"
    key = var.flag or var.name
    return InputError(f"{var.name} {why}", env.locate((section, key)), f"{section}.{key}")


def _value(env: LoadedEnvironment, var: Variable, supplied: Values) -> str | None:
    """The value to write: the model's, or the one supplied; None for a variable that
    is declared without one and not required (left alone)."""
    if systemvars.provided(var.name):
        raise _fail(env, var, "is a system variable: Vercel sets it on every deployment")
    if var.value is not None and not var.secret:
        return var.value
    if var.name in supplied and supplied[var.name] is None:
        raise _fail(env, var, "is supplied as [SENSITIVE] or blank: Vercel's placeholder")
    value = supplied.get(var.name)
    if value is None:
        if var.secret or var.required:
            source = "--values" if var.secret else "a value in the model or --values"
            raise _fail(env, var, f"has no value to write: supply one with {source}")
        return None
    if var.secret:
        redact.remember(value)
    return value


def _want(env: LoadedEnvironment, var: Variable, target: str, value: str) -> Want:
    why = value_refusal(value)
    if why is None and var.secret:
        why = shape_refusal(var.format, var.min_length, value)
    if why is not None:
        raise _fail(env, var, f"on {target}: the value {why}")
    if why := type_refusal(var.name, var.type, target_of(target)):
        raise _fail(env, var, why)
    comment = var.description or ""
    if len(comment) > COMMENT_LIMIT:
        raise _fail(
            env,
            var,
            f"has a description of {len(comment)} characters; Vercel keeps at most "
            f"{COMMENT_LIMIT} as a comment",
        )
    return Want(
        key=var.name,
        target=target,
        type=var.type,
        secret=var.secret or var.type == "sensitive",
        comment=comment,
        environment=env.name,
        value=value,
    )


def _add(wants: dict[tuple[str, str], Want], want: Want) -> None:
    """Two environments may want the same variable on one target only alike."""
    other = wants.get((want.key, want.target))
    if other is not None and not other.same_as(want):
        raise InputError(
            f"{want.key} on {want.target}: environments {other.environment} and "
            f"{want.environment} want it differently; give it one value there"
        )
    wants.setdefault((want.key, want.target), want)

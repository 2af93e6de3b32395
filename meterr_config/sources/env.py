"""`env:NAME`: the snapshot of what the models render for one environment."""

from __future__ import annotations

from meterr_config.errors import Location
from meterr_config.keypath import KeyPath
from meterr_config.load import LoadedEnvironment, SourceFile
from meterr_config.load import locate as locate_in
from meterr_config.models import Environment
from meterr_config.models.variables import variables
from meterr_config.redact import Sealed
from meterr_config.render.next_config import config_object, route_functions
from meterr_config.render.origin import model_path
from meterr_config.render.vercel_json import vercel_document
from meterr_config.snapshot import (
    EnvEntry,
    Locator,
    Origin,
    RuntimeFlagEntry,
    Snapshot,
    SourceText,
)
from meterr_config.sources.registry import Context

_SECTIONS = {"vercel.json": "vercel", "next.config": "nextjs", "next.config.ts": "nextjs"}


def _origin(loaded: LoadedEnvironment) -> Origin:
    """The model key behind an artifact path: what diff's parity policy and locations use."""
    variable_origin = _variable_origin(loaded)

    def origin(artifact: str, path: KeyPath) -> KeyPath | None:
        if artifact in _SECTIONS:
            return model_path(loaded, _SECTIONS[artifact], path)
        return variable_origin(artifact, path)

    return origin


def _variable_origin(loaded: LoadedEnvironment) -> Origin:
    """The model key behind a variable, flag or lint path; needs only the flag names."""
    flag_of = {f.env_name(name): name for name, f in loaded.model.flags.items()}

    def origin(artifact: str, path: KeyPath) -> KeyPath | None:
        if artifact == "env":
            name = str(path[0]) if path else None
            return ("flags", flag_of[name]) if name in flag_of else ("env", *path[:1])
        if artifact in ("flags", "lint", "runtime_flags"):
            return (artifact, *path)
        return path if artifact == "model" else None

    return origin


def _cross_locator(loaded: LoadedEnvironment) -> Locator:
    """A locator for variables and flags that keeps only the files' text, not the models."""
    origin = _variable_origin(loaded)
    light = tuple(SourceFile(s.name, s.path, s.text, {}) for s in loaded.chain)

    def locate(artifact: str, path: KeyPath) -> Location | None:
        key = origin(artifact, path)
        return locate_in(light, key) if key is not None else None

    return locate


def _locator(loaded: LoadedEnvironment, origin: Origin) -> Locator:
    """Findings point at the line that sets the model key; text scans at their own line."""

    def locate(artifact: str, path: KeyPath) -> Location | None:
        key = origin(artifact, path)
        if key is not None:
            return loaded.locate(key)
        return Location(artifact, int(path[0])) if path and isinstance(path[0], int) else None

    return locate


def runtime_flag_entries(model: Environment) -> dict[str, RuntimeFlagEntry]:
    """The model's runtime flags as a snapshot holds them (descriptions sealed)."""
    return {
        name: RuntimeFlagEntry(
            enabled=flag.enabled,
            user_overrides=flag.user_overrides,
            description=Sealed(flag.description) if flag.description else None,
        )
        for name, flag in sorted(model.runtime_flags.items())
    }


def env_snapshot(loaded: LoadedEnvironment) -> Snapshot:
    """Everything lint needs about one environment, from its models and rendered files."""
    model = loaded.model
    origin = _origin(loaded)
    entries = {
        v.name: EnvEntry(
            name=v.name,
            secret=v.secret,
            public=v.public,
            value=v.value,
            format=v.format,
            min_length=v.min_length,
            targets=v.targets if v.branch is None else (f"preview:{v.branch}",),
            type=v.type,
            flag=v.flag,
            required=v.required,
        )
        for v in variables(model)
    }
    branches = {v.name for v in variables(model) if v.branch}
    env = {name: entry for name, entry in entries.items() if name not in branches}
    # A preview branch's own variable reaches none of the environment's deployments but
    # that branch's: the vercel: source likewise keeps it out of a target's variables.
    elsewhere: dict[str, tuple[str, ...]] = {
        v.name: (f"preview:{v.branch}",) for v in variables(model) if v.branch
    }
    # The environment files are what a person commits; the rendered files derive from them.
    texts = [SourceText(str(s.path), s.text) for s in loaded.chain]
    return Snapshot(
        name=loaded.name,
        source="env",
        target=model.target,
        plan=model.project.plan,
        next_version=model.project.next_version,
        node_version=model.project.node_version,
        function_default_timeout=model.project.function_default_timeout,
        hosts=tuple(model.project.domains),
        vercel=vercel_document(model),
        next_config=config_object(model),
        next_routes=route_functions(model),
        env=env,
        flags={name: flag.value for name, flag in model.flags.items()},
        branch_env={name: entries[name] for name in sorted(branches)},
        runtime_flags=runtime_flag_entries(model),
        texts=tuple(texts),
        ignore=frozenset(model.lint.ignore),
        options=dict(model.lint.rules),
        locator=_locator(loaded, origin),
        cross_locator=_cross_locator(loaded),
        origin=origin,
        expected_differences=tuple(model.parity.expected),
        elsewhere=elsewhere,
    )


def read(arg: str, context: Context) -> Snapshot:
    """`env:NAME`: the environment loaded from the context's folder."""
    return env_snapshot(context.loader.load(arg))

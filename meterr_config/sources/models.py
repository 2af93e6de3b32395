"""`env:NAME`: the snapshot of what the models render for one environment."""

from __future__ import annotations

from meterr_config.errors import Location
from meterr_config.keypath import KeyPath
from meterr_config.loading import LoadedEnvironment
from meterr_config.render.next_config import config_object, route_functions
from meterr_config.render.vercel_json import vercel_document
from meterr_config.snapshot import EnvEntry, Locator, Origin, Snapshot, SourceText
from meterr_config.validate import model_path
from meterr_config.variables import variables

_SECTIONS = {"vercel.json": "vercel", "next.config.ts": "nextjs"}


def _locator(loaded: LoadedEnvironment) -> Locator:
    flag_of = {f.env_name(name): name for name, f in loaded.model.flags.items()}

    def locate(artifact: str, path: KeyPath) -> Location | None:
        if artifact in _SECTIONS:
            return loaded.locate(model_path(loaded, _SECTIONS[artifact], path))
        if artifact == "env" and path and path[0] in flag_of:
            return loaded.locate(("flags", flag_of[str(path[0])]))
        if artifact in ("env", "flags", "lint"):
            return loaded.locate((artifact, *path))
        if artifact == "model":
            return loaded.locate(path)
        return Location(artifact, int(path[0])) if path and isinstance(path[0], int) else None

    return locate


def _origin(loaded: LoadedEnvironment) -> Origin:
    flag_of = {f.env_name(name): name for name, f in loaded.model.flags.items()}
    sections = {"vercel.json": "vercel", "next.config": "nextjs", "next.config.ts": "nextjs"}

    def origin(artifact: str, path: KeyPath) -> KeyPath | None:
        if artifact in sections:
            return model_path(loaded, sections[artifact], path)
        if artifact == "env" and path:
            name = str(path[0])
            return ("flags", flag_of[name]) if name in flag_of else ("env", name)
        if artifact == "flags":
            return ("flags", *path)
        return path if artifact == "model" else None

    return origin


def env_snapshot(loaded: LoadedEnvironment) -> Snapshot:
    """Everything lint needs about one environment, from its models and rendered files."""
    model = loaded.model
    env = {
        v.name: EnvEntry(
            name=v.name,
            secret=v.secret,
            public=v.public,
            value=v.value,
            format=v.format,
            min_length=v.min_length,
            targets=v.targets,
            type=v.type,
            flag=v.flag,
            required=v.required,
        )
        for v in variables(model)
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
        vercel=vercel_document(model),
        next_config=config_object(model),
        next_routes=route_functions(model),
        env=env,
        flags={name: flag.value for name, flag in model.flags.items()},
        texts=tuple(texts),
        ignore=frozenset(model.lint.ignore),
        options=dict(model.lint.rules),
        locator=_locator(loaded),
        origin=_origin(loaded),
        expected_differences=tuple(model.parity.expected),
    )

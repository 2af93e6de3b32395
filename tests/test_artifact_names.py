"""Each artifact key is named once, on its model field; render, import and finding
locations derive from it.

The fixture sets every field that renders, so the tests below cover every aliased key.
A location test of this kind would have caught `minimumCacheTTL`, which a second
camel-to-snake conversion turned into `minimum_cache_t_t_l`, pointing findings on it at
the table header instead of the key's line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from meterr_config.keypath import KeyPath
from meterr_config.load import LoadedEnvironment, Loader
from meterr_config.models import artifact
from meterr_config.models.nextjs import NextSettings
from meterr_config.models.vercel import VercelSettings
from meterr_config.render.next_config import config_object, route_functions
from meterr_config.render.origin import model_path
from meterr_config.render.vercel_json import vercel_document
from tests.conftest import FIXTURES

SECTIONS: dict[str, type[BaseModel]] = {"vercel": VercelSettings, "nextjs": NextSettings}


def _models(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """`model` and every model its fields hold, once each."""
    seen: list[type[BaseModel]] = []
    stack = [model]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.append(current)
        for info in current.model_fields.values():
            stack.extend(_inner(info.annotation))
    yield from seen


def _inner(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _inner(arg)]


def _aliased() -> set[tuple[str, str]]:
    """(model, field) for every field that renders, below vercel.json and next.config."""
    return {
        (model.__name__, field)
        for section in SECTIONS.values()
        for model in _models(section)
        for field in artifact.names(model)
    }


@pytest.fixture(scope="module")
def every() -> LoadedEnvironment:
    return Loader(FIXTURES / "every_key").load("every")


def _paths(value: Any, prefix: KeyPath = ()) -> Iterator[KeyPath]:
    """Every key path in a rendered document."""
    items: list[tuple[str | int, Any]] = []
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    for part, item in items:
        yield (*prefix, part)
        yield from _paths(item, (*prefix, part))


def _documents(loaded: LoadedEnvironment) -> list[tuple[str, dict[str, Any]]]:
    env = loaded.model
    return [
        ("vercel", vercel_document(env)),
        ("nextjs", {**config_object(env), **route_functions(env)}),
    ]


def _owner(root: Any, path: KeyPath) -> Any:
    """The object holding the last key of a model path."""
    for part in path[:-1]:
        root = (
            root[part] if isinstance(part, int) or isinstance(root, dict) else getattr(root, part)
        )
    return root


def _located(loaded: LoadedEnvironment) -> Iterator[tuple[str, str, KeyPath, str]]:
    """(model, field, artifact path, the line a finding there points at) for every
    rendered key that is a field's artifact name."""
    lines = loaded.file.text.split("\n")
    for section, doc in _documents(loaded):
        for path in _paths(doc):
            if not isinstance(path[-1], str) or path[:1] == ("$schema",):
                continue
            key = model_path(loaded, section, path)
            owner = _owner(loaded.model, key)
            if not isinstance(owner, BaseModel) or key[-1] not in artifact.names(type(owner)):
                continue  # a name the user chose (a glob, a header name) or free-form JSON
            assert artifact.names(type(owner))[str(key[-1])] == path[-1]
            line = loaded.locate(key).line
            assert line is not None, path
            yield type(owner).__name__, str(key[-1]), path, lines[line - 1]


def test_every_aliased_key_points_at_its_own_line(every: LoadedEnvironment) -> None:
    covered = set()
    for model, field, path, line in _located(every):
        # A table header naming the field (`[vercel.images]`, `[vercel.functions."x"]`).
        header = re.fullmatch(rf"\[\[?(?:[^\]]*\.)?{field}(?:\.[^\]]*)?\]\]?", line.strip())
        assert f"{field} = " in line or header, f"{'.'.join(map(str, path))} -> {line!r}"
        covered.add((model, field))
    assert covered == _aliased()


def test_minimum_cache_ttl_is_found_at_its_line(every: LoadedEnvironment) -> None:
    for section in ("vercel", "nextjs"):
        key = model_path(every, section, ("images", "minimumCacheTTL"))
        assert key == (section, "images", "minimum_cache_ttl")
        line = every.locate(key).line
        assert line is not None
        assert every.file.text.split("\n")[line - 1] == "minimum_cache_ttl = 60"


def test_render_uses_the_declared_names_and_nothing_else(every: LoadedEnvironment) -> None:
    """Every key of the model's own objects in the rendered files is a declared alias."""
    declared = {
        alias
        for section in SECTIONS.values()
        for m in _models(section)
        for alias in artifact.names(m).values()
    }
    for section, doc in _documents(every):
        for path in _paths(doc):
            key = model_path(every, section, path)
            owner = _owner(every.model, key)
            if isinstance(owner, BaseModel) and isinstance(path[-1], str):
                assert path[-1] in declared | {"$schema"}, path


def test_import_reads_what_render_writes(every: LoadedEnvironment) -> None:
    """`artifact.load` is the inverse of `artifact.dump` for every model that renders."""
    vercel = every.model.vercel
    for model_value in (
        *vercel.functions.values(),
        *vercel.crons,
        *vercel.redirects,
        *vercel.rewrites,
        vercel.images,
        every.model.nextjs.images,
    ):
        assert isinstance(model_value, BaseModel)
        model = type(model_value)
        table = artifact.load(model, artifact.dump(model_value))
        assert model.model_validate(table) == model_value


def test_unknown_keys_are_kept_as_written_for_validation_to_name() -> None:
    from meterr_config.models.vercel import FunctionConfig

    assert artifact.load(FunctionConfig, {"maxDuration": 10, "maxDurationX": 1}) == {
        "max_duration": 10,
        "maxDurationX": 1,
    }

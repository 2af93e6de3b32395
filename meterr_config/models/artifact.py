"""Artifact names: the key each model field is written as in vercel.json or next.config.

A field that renders declares its key once, as its pydantic `serialization_alias`
(`max_duration: … = Field(serialization_alias="maxDuration")`); a field without one is
not an artifact key (`passthrough`, which renders its own keys). Rendering (`dump`),
import (`load`), validation messages and finding locations (`model_path`) all derive
from that one declaration, so a key cannot be spelt two ways.

Conventions the renderers follow, and these functions assume:
- fields render in their declaration order;
- a value equal to the field's default (None, or an empty list that defaults to one) is
  left out;
- a table of names rendered as a list (a header rule's `headers`) is sorted by name.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel

from meterr_config.keypath import KeyPath


@cache
def names(model: type[BaseModel]) -> dict[str, str]:
    """Field name -> artifact key, for the fields of `model` that render, in order."""
    return {
        name: info.serialization_alias
        for name, info in model.model_fields.items()
        if info.serialization_alias is not None
    }


@cache
def fields(model: type[BaseModel]) -> dict[str, str]:
    """Artifact key -> field name: the inverse of `names`."""
    return {key: name for name, key in names(model).items()}


def _default(model: type[BaseModel], name: str) -> Any:
    info = model.model_fields[name]
    if info.is_required():
        return _REQUIRED
    return info.get_default(call_default_factory=True)


class _Required:
    """Stands for "no default": a required field is always written."""


_REQUIRED: Any = _Required()


def dump(instance: BaseModel) -> dict[str, Any]:
    """The fields of `instance` that render, under their artifact names, in field order;
    values equal to their default are left out."""
    model = type(instance)
    out: dict[str, Any] = {}
    for name, key in names(model).items():
        value = getattr(instance, name)
        if value is not None and value != _default(model, name):
            out[key] = dumped(value)
    return out


def dumped(value: Any) -> Any:
    """A field's value as an artifact holds it: models by their artifact names."""
    if isinstance(value, BaseModel):
        return dump(value)
    if isinstance(value, list):
        return [dumped(item) for item in value]
    if isinstance(value, dict):
        return {key: dumped(item) for key, item in value.items()}
    return value


def model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside an annotation such as `X | None` or `list[X]`, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        if (found := model_in(arg)) is not None:
            return found
    return None


def load(model: type[BaseModel], raw: Any) -> Any:
    """An artifact's object as `model`'s table: keys renamed to field names, recursively.
    Keys the model does not render are kept as they are, so validation names them as the
    input wrote them."""
    if isinstance(raw, list):
        return [load(model, item) for item in raw]
    if not isinstance(raw, dict):
        return raw
    out: dict[str, Any] = {}
    for key, value in raw.items():
        name = fields(model).get(key)
        if name is None:
            out[key] = value
            continue
        inner = model_in(model.model_fields[name].annotation)
        out[name] = load(inner, value) if inner is not None else value
    return out


def model_path(value: Any, path: KeyPath) -> KeyPath:
    """The model key path behind artifact `path`, walking down from `value` (a model).

    Stops at the deepest key the model has: a key it does not render (`$schema`) maps to
    its table. Below a model, dict keys and list indexes are the same in both; inside
    free-form JSON (`experimental`, `passthrough`) the rest of the path is kept as is.
    """
    out: list[str | int] = []
    for depth, part in enumerate(path):
        if isinstance(value, BaseModel):
            name = fields(type(value)).get(part) if isinstance(part, str) else None
            passthrough = getattr(value, "passthrough", None)
            if name is None and isinstance(passthrough, dict) and part in passthrough:
                return (*out, "passthrough", *path[depth:])
            if name is None:
                break
            out.append(name)
            value = getattr(value, name)
        elif isinstance(value, dict) and isinstance(part, int):
            ordered = sorted(value)  # a table of names written as a sorted list
            if part < len(ordered):
                out.append(ordered[part])
            break
        elif isinstance(value, dict):
            out.append(part)
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int):
            out.append(part)
            value = value[part] if part < len(value) else None
        else:
            out.extend(path[depth:])
            break
    return tuple(out)

"""The imported file's key order: the model's own, whatever order the inputs used.

Two files that differ only in key order import to the same bytes. Tables keyed by the
user (variables, flags, function globs) keep the inputs' order, except function globs,
which are sorted as the renderer sorts them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from meterr_config.models import Environment
from meterr_config.models.artifact import model_in

# Tables whose keys are names the user chose, not model fields.
_USER_KEYED = {"env", "flags", "headers", "passthrough", "experimental", "rules"}


def _ordered(value: Any, model: type[BaseModel] | None, name: str = "") -> Any:
    if isinstance(value, list):
        return [_ordered(item, model) for item in value]
    if not isinstance(value, dict):
        return value
    if name == "functions":
        return {glob: _ordered(value[glob], model_in(model)) for glob in sorted(value)}
    if name in _USER_KEYED or model is None:
        return {
            key: _ordered(item, model if name == "env" else None) for key, item in value.items()
        }
    fields = list(model.model_fields)
    keys = sorted(value, key=lambda k: fields.index(k) if k in fields else len(fields))
    out = {}
    for key in keys:
        field = model.model_fields.get(key)
        inner = model_in(field.annotation) if field is not None else None
        out[key] = _ordered(value[key], inner, key)
    return out


def canonical(document: dict[str, Any]) -> dict[str, Any]:
    """`document` (an environment file's tables) with its keys in the model's order."""
    head = {k: document[k] for k in ("extends",) if k in document}
    rest = _ordered({k: v for k, v in document.items() if k != "extends"}, Environment)
    return {**head, **{k: v for k, v in rest.items() if v not in (None, {})}}

"""Walk the models' own structure: which model each table of an environment file holds.

Used for error messages (the table a misplaced key belongs in) and, with the fields'
artifact names, to map rendered keys back to model keys.
"""

from __future__ import annotations

from typing import Any

from meterr_config.models.environment import Environment


def _models_in(annotation: Any) -> list[Any]:
    """The pydantic models an annotation holds: `Cors`, `Cors | None`, `dict[str, EnvVar]`."""
    found: list[Any] = []
    for arg in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(arg, type) and hasattr(arg, "model_fields"):
            found.append(arg)
        for inner in getattr(arg, "__args__", ()):
            if isinstance(inner, type) and hasattr(inner, "model_fields"):
                found.append(inner)
    return found


def _container(annotation: Any) -> str | None:
    """For a dict or list of models, the path part standing for a name or an index."""
    for arg in (annotation, *getattr(annotation, "__args__", ())):
        origin = getattr(arg, "__origin__", None)
        if origin is dict:
            return "NAME"
        if origin in (list, tuple):
            return "[n]"
    return None


def tables() -> dict[tuple[str | int, ...], Any]:
    """Every table of an environment file and its model: () for the top level, ("cors",),
    ("env", "NAME") for each variable, ("vercel", "redirects", "[n]") for each redirect."""
    out: dict[tuple[str | int, ...], Any] = {(): Environment}
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), Environment)]
    while stack:
        prefix, model = stack.pop()
        for name, info in model.model_fields.items():
            for inner in _models_in(info.annotation):
                part = _container(info.annotation)
                path = (*prefix, name, part) if part else (*prefix, name)
                if path not in out:
                    out[path] = inner
                    stack.append((path, inner))
    return out

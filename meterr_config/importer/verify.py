"""The render check: render the imported environment and compare it with the inputs.

The comparison is semantic, as Vercel and Next.js read the files: object key order does
not matter, nor does the order of headers within one rule, an empty list is the same as
none, and a vercel.json redirect without `permanent` or `statusCode` is permanent. Lists
of rules are aligned, so one rule left out is one difference, not a shifted tail.
"""

from __future__ import annotations

import json
from difflib import SequenceMatcher
from typing import Any

from meterr_config.importer.values import env_mark
from meterr_config.keypath import KeyPath, format_path
from meterr_config.models import Environment
from meterr_config.render.next_config import config_object, route_functions
from meterr_config.render.ts_literal import Expr
from meterr_config.render.vercel_json import vercel_document

Difference = tuple[str, str]  # (key path in the input's terms, what differs)


def normalise(value: Any, *, vercel: bool = False) -> Any:
    """A config in the form two equivalent configs share (see the module docstring)."""
    if isinstance(value, dict):
        out = {
            k: normalise(v, vercel=vercel)
            for k, v in value.items()
            if k != "$schema" and v != [] and v != {}
        }
        if isinstance(out.get("headers"), list) and all(
            isinstance(h, dict) and "key" in h for h in out["headers"]
        ):
            out["headers"] = sorted(out["headers"], key=lambda h: str(h["key"]).lower())
        if vercel and "destination" in out and "permanent" not in out and "statusCode" not in out:
            out["permanent"] = True
        return out
    if isinstance(value, list):
        return [normalise(item, vercel=vercel) for item in value]
    return value


def differences(want: Any, got: Any, path: KeyPath = ()) -> list[Difference]:
    """Where `got` (the render) differs from `want` (the input)."""
    if isinstance(want, dict) and isinstance(got, dict):
        out: list[Difference] = []
        for key in sorted(set(want) | set(got)):
            here = (*path, key)
            if key in want and key in got:
                out.extend(differences(want[key], got[key], here))
            elif isinstance(present := want.get(key, got.get(key)), dict | list):
                empty: Any = {} if isinstance(present, dict) else []  # name the items
                out.extend(differences(want.get(key, empty), got.get(key, empty), here))
            else:
                what = "missing from the render" if key in want else "added by the render"
                out.append((format_path(here), what))
        return out
    if isinstance(want, list) and isinstance(got, list):
        return _list_differences(want, got, path)
    return [] if want == got else [(format_path(path), "renders differently")]


def _list_differences(want: list[Any], got: list[Any], path: KeyPath) -> list[Difference]:
    def keyed(items: list[Any]) -> list[str]:
        return [json.dumps(item, sort_keys=True) for item in items]

    out: list[Difference] = []
    matcher = SequenceMatcher(a=keyed(want), b=keyed(got), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1:
            for offset in range(i2 - i1):
                out.extend(differences(want[i1 + offset], got[j1 + offset], (*path, i1 + offset)))
        elif tag != "equal":
            out += [(format_path((*path, i)), "missing from the render") for i in range(i1, i2)]
            if j2 > j1:
                out.append((format_path((*path, i1)), f"{j2 - j1} added by the render"))
    return out


def vercel_differences(model: Environment, doc: dict[str, Any]) -> list[Difference]:
    """How the environment's vercel.json differs from the imported one."""
    return differences(normalise(doc, vercel=True), normalise(vercel_document(model), vercel=True))


def _unexpr(value: Any) -> Any:
    if isinstance(value, Expr):
        return env_mark(str(value).removeprefix("process.env."))
    if isinstance(value, dict):
        return {k: _unexpr(v) for k, v in value.items()}
    return value


def next_differences(
    model: Environment, user: dict[str, Any], routes: dict[str, list[Any]]
) -> list[Difference]:
    """How the environment's next.config differs from what Next.js loaded."""
    want = {k: v for k, v in user.items() if k not in routes} | routes
    got = _unexpr(config_object(model)) | route_functions(model)
    return differences(normalise(want), normalise(got))

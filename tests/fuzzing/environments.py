"""Strategies for environment files: random TOML documents (any shape, shaped by the
environment schema, or raw lines that are often not TOML at all) and mutations of the
bundled `environments/*.toml`, structural and textual.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import UTC
from functools import cache
from typing import Any

import tomli_w
from hypothesis import strategies as st

from tests.fuzzing.vocabulary import (
    BUNDLED,
    CHARS,
    DESTINATIONS,
    ENV_NAMES,
    ENV_VAR_NAMES,
    HEADER_NAMES,
    HEADER_VALUES,
    HEADER_WORDS,
    NEWLINES,
    ORIGIN_WORDS,
    PARSED,
    REGIONS,
    ROUTE_SOURCES,
    RULE_IDS,
    SCHEDULES,
    SCHEMA,
    SCHEMA_KEYS,
    STRINGS,
    TEXT,
    TOP_KEYS,
    VARIABLES,
    byte_damage,
    mostly,
)

FUZZ_ENV = "fuzz"  # the new environment file the TOML cases add beside the bundled ones
PARENTS = [*ENV_NAMES, FUZZ_ENV]

TOML_SCALARS = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.sampled_from([0, -1, 1, 31, 60, 800, 3009, 2**63, -(2**64), 10**30]),
    st.floats(),
    STRINGS,
    st.datetimes(timezones=st.none() | st.just(UTC)),
    st.dates(),
    st.times(),
)
TOML_KEYS = st.one_of(st.sampled_from(SCHEMA_KEYS), ENV_VAR_NAMES, st.text(CHARS, max_size=8))
TOML_VALUES = st.recursive(
    TOML_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TOML_KEYS, inner, max_size=4),
    max_leaves=12,
)


_INTEGER_VALUE = re.compile(r"(?m)= (-?\d+)$")
TOO_LONG = "1" * 4301  # digits: past what int() reads by default, so tomli_w cannot write it


def _dumps(draw: st.DrawFn, doc: dict[str, Any]) -> str:
    """`doc` as TOML; one time in twenty with an integer value made too long to read."""
    text = tomli_w.dumps(doc, multiline_strings=draw(st.booleans()))
    numbers = list(_INTEGER_VALUE.finditer(text))
    if numbers and draw(st.integers(0, 19)) == 19:
        number = draw(st.sampled_from(numbers))
        text = text[: number.start(1)] + TOO_LONG + text[number.end(1) :]
    return text


@st.composite
def toml_documents(draw: st.DrawFn) -> bytes:
    """A well-formed TOML document of any shape, keyed mostly by the schema's words."""
    doc = draw(st.dictionaries(st.sampled_from(TOP_KEYS) | TOML_KEYS, TOML_VALUES, max_size=6))
    if draw(st.booleans()):
        doc["extends"] = draw(mostly(st.sampled_from([*PARENTS, "nope"]), TOML_VALUES))
    return _dumps(draw, doc).encode()


# Strings by the name of the property that holds them: a `schedule` gets cron expressions.
_HINTS: dict[str, st.SearchStrategy[str]] = {
    "source": ROUTE_SOURCES,
    "paths": ROUTE_SOURCES,
    "path": ROUTE_SOURCES,
    "destination": DESTINATIONS,
    "schedule": SCHEDULES,
    "regions": REGIONS,
    "allowed_origins": st.sampled_from(ORIGIN_WORDS) | STRINGS,
    "allowed_methods": st.sampled_from(["GET", "POST", "OPTIONS", "*", "get", "TRACE"]) | STRINGS,
    "allowed_headers": HEADER_NAMES,
    "expose_headers": HEADER_NAMES,
    "headers": HEADER_VALUES,
    "extends": st.sampled_from(PARENTS) | STRINGS,
    "expected": st.sampled_from(["target", "env.*", "flags.*", "cors.allowed_origins", "*"]),
    "key": st.sampled_from(["origin", "x-id", "session"]) | ROUTE_SOURCES,
    "value": ROUTE_SOURCES | STRINGS,
}
_DEFS: dict[str, Any] = SCHEMA["$defs"]


@cache
def _from_schema_ref(ref: str, hint: str) -> st.SearchStrategy[Any]:
    return st.deferred(lambda: from_schema(_DEFS[ref.rsplit("/", 1)[-1]], hint))


def from_schema(node: dict[str, Any], hint: str = "") -> st.SearchStrategy[Any]:
    """Values of a JSON Schema node: types, enums, patterns, properties and minimums as
    the schema says, strings by `hint` (the property's name). Cross-field rules are left to
    chance: the models check those, which is what the fuzzer is after."""
    if "$ref" in node:
        return _from_schema_ref(node["$ref"], hint)
    if "anyOf" in node:
        return st.one_of([from_schema(n, hint) for n in node["anyOf"] if n.get("type") != "null"])
    if "enum" in node or "const" in node:
        return st.sampled_from([v for v in node.get("enum", [node.get("const")]) if v is not None])
    kind = node.get("type")
    if kind == "string":
        pattern = node.get("pattern")
        usual = st.from_regex(pattern, fullmatch=True) if pattern else _HINTS.get(hint, STRINGS)
        return mostly(usual, _HINTS.get(hint, STRINGS))
    if kind == "integer":
        low = node.get("minimum", -10)
        return mostly(st.integers(low, low + 1000), st.integers())
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return st.lists(from_schema(node.get("items", {}), hint), max_size=3)
    if kind == "object":
        return _object(node, hint)
    return TOML_VALUES  # no type (JsonValue): anything


def _object(node: dict[str, Any], hint: str) -> st.SearchStrategy[dict[str, Any]]:
    """An object: its properties (each may be left out), pattern-keyed entries, and,
    where additional properties are allowed, more keys."""
    properties = {k: from_schema(v, k) for k, v in node.get("properties", {}).items()}
    required = {k: properties.pop(k) for k in node.get("required", []) if k in properties}
    parts = [st.fixed_dictionaries(required, optional=properties)]
    for pattern, sub in node.get("patternProperties", {}).items():
        words = [w for w in (*VARIABLES, *HEADER_WORDS, *RULE_IDS) if re.search(pattern, w)]
        keys = st.from_regex(pattern, fullmatch=True)
        keys = keys | st.sampled_from(words) if words else keys
        parts.append(st.dictionaries(keys, from_schema(sub, hint), max_size=3))
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        parts.append(st.dictionaries(ROUTE_SOURCES | STRINGS, from_schema(extra, hint), max_size=2))
    return st.tuples(*parts).map(lambda dicts: {k: v for d in dicts for k, v in d.items()})


SCHEMA_DOCUMENTS = from_schema(SCHEMA)


@st.composite
def schema_documents(draw: st.DrawFn) -> bytes:
    """A document shaped by the environment schema: it passes the schema's own checks
    often, and the models' cross-field rules sometimes."""
    return _dumps(draw, draw(SCHEMA_DOCUMENTS)).encode()


_TOML_FRAGMENTS = [
    "[project]",
    "[vercel]",
    "[[vercel.crons]]",
    "[[vercel.redirects]]",
    "[security.headers]",
    "[cors]",
    "[nextjs]",
    "[env]",
    "[env.JWT_SECRET]",
    "[flags.X]",
    "[parity]",
    'extends = "base"',
    'extends = "production"',
    'extends = "fuzz"',
    "abstract = true",
    'target = "production"',
    'plan = "hobby"',
    'name = "meterr"',
    'regions = ["iad1", "sfo1"]',
    'schedule = "0 2 * * *"',
    'path = "/api/cron/x"',
    'source = "/(.*)"',
    "secret = true",
    "value = 1",
    'allowed_origins = ["*"]',
    'expected = ["*"]',
    "[",
    "]",
    "[[",
    "a = ",
    "= 1",
    '"""',
    "'''",
    "a.b.c = 1",
    "a = {",
    "a = [1,",
    'x = "\\u0000"',
    'x = "\\uD800"',
    "#:schema ../schemas/environment.schema.json",
    "a = 1979-05-27T07:32:00Z",
    "a = 1_000",
    "a = 0x_1",
    "a = nan",
    'key = "unterminated',
    "\ufeff",
    "\t",
    "a = " + TOO_LONG,
]
TOML_LINES = st.one_of(
    st.sampled_from(_TOML_FRAGMENTS),
    st.builds("{} = {}".format, st.sampled_from(SCHEMA_KEYS), st.sampled_from(_TOML_FRAGMENTS)),
    st.builds("{} = {}".format, st.from_regex(r"[A-Za-z0-9_.-]{1,12}", fullmatch=True), TEXT),
    TEXT,
)


@st.composite
def raw_toml(draw: st.DrawFn) -> bytes:
    """Random lines that look like TOML: often invalid, sometimes not even UTF-8."""
    text = draw(NEWLINES).join(draw(st.lists(TOML_LINES, max_size=12)))
    return draw(byte_damage(text.encode("utf-8")))


# --- mutations of the bundled environments --------------------------------------------------

KeyPath = tuple[str | int, ...]
Mutation = Callable[[st.DrawFn, dict[str, Any], str], None]


def _paths(node: Any, prefix: KeyPath = ()) -> list[KeyPath]:
    """Every key path below `node`, tables and arrays alike, in document order."""
    out: list[KeyPath] = []
    items: Any = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        out.append((*prefix, key))
        if isinstance(value, dict | list):
            out += _paths(value, (*prefix, key))
    return out


def _get(data: Any, path: KeyPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _tables(data: dict[str, Any]) -> list[KeyPath]:
    return [(), *(p for p in _paths(data) if isinstance(_get(data, p), dict))]


def _like(value: Any) -> st.SearchStrategy[Any]:
    """Another value of the same type: the document stays well typed, its meaning changes."""
    if isinstance(value, bool):
        return st.just(not value)
    if isinstance(value, int):
        return st.integers(-1, 4000) | st.sampled_from([0, 2**63 - 1])
    if isinstance(value, str):
        return STRINGS
    if isinstance(value, list):
        items = st.sampled_from(value) if value else TOML_SCALARS
        return st.lists(items, max_size=len(value) + 2)
    return TOML_VALUES


_OTHER_TYPE: dict[type, st.SearchStrategy[Any]] = {
    bool: st.integers(0, 1) | STRINGS,
    int: STRINGS | st.floats() | st.booleans(),
    str: st.integers() | st.booleans() | st.lists(STRINGS, max_size=2),
    list: STRINGS | st.dictionaries(TOML_KEYS, TOML_SCALARS, max_size=2),
    dict: STRINGS | st.integers() | st.lists(TOML_SCALARS, max_size=2),
}


def _tweak(draw: st.DrawFn, data: dict[str, Any], name: str) -> None:
    """Set a value to another of its type."""
    if paths := [p for p in _paths(data) if not isinstance(_get(data, p), dict)]:
        path = draw(st.sampled_from(paths))
        _get(data, path[:-1])[path[-1]] = draw(_like(_get(data, path)))


def _retype(draw: st.DrawFn, data: dict[str, Any], name: str) -> None:
    """Set a value, table or array to one of another type."""
    if paths := _paths(data):
        path = draw(st.sampled_from(paths))
        old = type(_get(data, path))
        _get(data, path[:-1])[path[-1]] = draw(_OTHER_TYPE.get(old, STRINGS))


def _delete(draw: st.DrawFn, data: dict[str, Any], name: str) -> None:
    if paths := _paths(data):
        path = draw(st.sampled_from(paths))
        del _get(data, path[:-1])[path[-1]]


def _set(draw: st.DrawFn, data: dict[str, Any], name: str) -> None:
    """Set a random value at a new or existing key of some table."""
    table = _get(data, draw(st.sampled_from(_tables(data))))
    key = draw(st.sampled_from(sorted(table)) | TOML_KEYS if table else TOML_KEYS)
    table[key] = draw(TOML_VALUES)


def _typo(key: str) -> st.SearchStrategy[str]:
    """Near misses of a key, as a person mistypes it."""
    variants = {key + "s", key[:-1], key.upper(), key.replace("_", "-"), key + "_"}
    variants |= {key[:i] + key[i + 1] + key[i] + key[i + 2 :] for i in range(len(key) - 1)}
    return st.sampled_from(sorted(v for v in variants if v and v != key))


def _unknown_key(draw: st.DrawFn, data: dict[str, Any], name: str) -> None:
    """Add a mistyped copy of a key, or a random one."""
    table = _get(data, draw(st.sampled_from(_tables(data))))
    known = sorted(k for k in table if k)
    mistype = draw(st.booleans())
    if known and mistype:
        original = draw(st.sampled_from(known))
        table[draw(_typo(original))] = copy.deepcopy(table[original])
    else:
        table[draw(TOML_KEYS)] = draw(TOML_VALUES)


def _extends(draw: st.DrawFn, data: dict[str, Any], name: str) -> None:
    """Point `extends` at another environment (often a cycle), itself, a missing or
    malformed name, or a non-string; or remove it."""
    malformed = st.sampled_from(["missing", "", "Base", "../base", "base.toml", None])
    choice = draw(mostly(st.sampled_from(ENV_NAMES), malformed | TOML_VALUES))
    if choice is None:
        data.pop("extends", None)
    else:
        data["extends"] = choice


# Repeated to weight them: a well-typed change reaches the rules more often.
STRUCTURAL: list[Mutation] = [
    _tweak,
    _tweak,
    _tweak,
    _retype,
    _delete,
    _set,
    _unknown_key,
    _extends,
]


def _text_mutation(draw: st.DrawFn, text: str) -> str:
    """Delete, duplicate, swap or insert a line, flip a character, or truncate."""
    lines = text.split("\n")
    kind = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "flip", "truncate"]))
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "swap":
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "insert":
        lines.insert(i, draw(TOML_LINES))
    else:
        at = draw(st.integers(0, len(text)))
        if kind == "truncate":
            return text[:at]
        char = draw(st.sampled_from("\"'[]{}=#.,\\\n 0aZ") | CHARS)
        return text[:at] + char + text[at + 1 :]
    return "\n".join(lines)


@st.composite
def mutated_file(draw: st.DrawFn, name: str) -> bytes | None:
    """A bundled environment file after one to three mutations: structural ones on the
    parsed document (then written out with tomli_w, dropping the comments) or textual
    ones on its lines. None (one time in twenty) deletes the file."""
    if draw(st.integers(0, 19)) == 0:
        return None
    textual = draw(st.integers(0, 3)) == 0
    count = draw(st.integers(1, 3))
    if textual:
        text = BUNDLED[name]
        for _ in range(count):
            text = _text_mutation(draw, text)
    else:
        data = copy.deepcopy(PARSED[name])
        for _ in range(count):
            draw(st.sampled_from(STRUCTURAL))(draw, data, name)
        text = _dumps(draw, data)
    return draw(byte_damage(text.encode("utf-8")))

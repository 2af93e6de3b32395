"""Strategies for the hand-written files a `dir:` folder, `dotenv:` source, `--values` and
`import` read: random vercel.json (any JSON, or shaped like the real thing with random
values) and random dotenv files.
"""

from __future__ import annotations

import json

from hypothesis import strategies as st

from tests.fuzzing.vocabulary import (
    DESTINATIONS,
    ENV_VAR_NAMES,
    HEADER_NAMES,
    HEADER_VALUES,
    LINE_CHARS,
    REGIONS,
    ROUTE_SOURCES,
    SCHEDULES,
    SECRET_WORDS,
    STRINGS,
    VERCEL_KEYS,
    WORDS,
    byte_damage,
    mostly,
)

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),  # NaN and Infinity: json.dumps writes them, json.loads reads them back
    mostly(STRINGS, st.sampled_from(["\ud800", "a\udfffb"]), one_in=20),  # lone surrogates
)
ANY_JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(VERCEL_KEYS) | STRINGS, inner, max_size=4)
    ),
    max_leaves=12,
)


def _shaped(usual: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """Usually `usual`, sometimes any JSON value in its place."""
    return mostly(usual, ANY_JSON)


CONDITIONS = st.lists(
    st.fixed_dictionaries(
        {"type": st.sampled_from(["header", "cookie", "query", "host"]) | STRINGS},
        optional={
            "key": st.sampled_from(["origin", "x-id", "session"]) | ROUTE_SOURCES,
            "value": ROUTE_SOURCES
            | st.fixed_dictionaries({}, optional={"eq": STRINGS, "re": ROUTE_SOURCES}),
        },
    ),
    max_size=3,
)
_MATCHERS = {"has": _shaped(CONDITIONS), "missing": _shaped(CONDITIONS)}
HEADER_RULES = st.fixed_dictionaries(
    {
        "source": _shaped(ROUTE_SOURCES),
        "headers": _shaped(
            st.lists(
                st.fixed_dictionaries({"key": HEADER_NAMES, "value": HEADER_VALUES}), max_size=4
            )
        ),
    },
    optional=_MATCHERS,
)
ROUTES = st.fixed_dictionaries(
    {"source": _shaped(ROUTE_SOURCES), "destination": _shaped(DESTINATIONS)},
    optional={
        **_MATCHERS,
        "permanent": st.booleans() | ANY_JSON,
        "statusCode": st.sampled_from([301, 302, 303, 307, 308, 200, 999, -1]) | ANY_JSON,
    },
)
FUNCTIONS = st.dictionaries(
    st.sampled_from(["api/**/*.ts", "app/api/**/*.ts", "**", "[", "pages/api/x.js"]) | STRINGS,
    st.fixed_dictionaries(
        {},
        optional={
            "maxDuration": st.integers(-1, 1000) | st.just("max") | ANY_JSON,
            "memory": st.integers(0, 4000) | ANY_JSON,
            "runtime": st.sampled_from(["nodejs22.x", "edge", "vercel-php@0.7.0"]) | STRINGS,
            "regions": st.lists(REGIONS, max_size=3),
            "architecture": st.sampled_from(["x86_64", "arm64"]) | STRINGS,
            "includeFiles": STRINGS,
            "excludeFiles": STRINGS,
        },
    )
    | ANY_JSON,
    max_size=3,
)
IMAGES = st.fixed_dictionaries(
    {},
    optional={
        "sizes": st.lists(st.integers(-1, 5000), max_size=3),
        "domains": st.lists(STRINGS, max_size=2),
        "minimumCacheTTL": st.integers(-1, 10**6),
        "formats": st.lists(st.sampled_from(["image/avif", "image/webp"]) | STRINGS, max_size=2),
    },
)
VERCEL_SHAPED = st.fixed_dictionaries(
    {},
    optional={
        "$schema": STRINGS,
        "framework": _shaped(st.sampled_from(["nextjs", "astro"]) | st.none()),
        "regions": _shaped(st.lists(REGIONS, max_size=4)),
        "functionFailoverRegions": _shaped(st.lists(REGIONS, max_size=3)),
        "headers": _shaped(st.lists(HEADER_RULES, max_size=4)),
        "redirects": _shaped(st.lists(ROUTES, max_size=4)),
        "rewrites": _shaped(st.lists(ROUTES, max_size=4)),
        "crons": _shaped(
            st.lists(
                st.fixed_dictionaries({"path": _shaped(ROUTE_SOURCES), "schedule": SCHEDULES}),
                max_size=4,
            )
        ),
        "functions": _shaped(FUNCTIONS),
        "cleanUrls": st.booleans() | ANY_JSON,
        "trailingSlash": st.booleans() | ANY_JSON,
        "images": _shaped(IMAGES),
        "buildCommand": STRINGS,
        "installCommand": STRINGS,
        "outputDirectory": STRINGS,
        "routes": _shaped(
            st.lists(
                st.fixed_dictionaries({"src": ROUTE_SOURCES, "dest": DESTINATIONS}), max_size=3
            )
        ),
        "env": _shaped(st.dictionaries(ENV_VAR_NAMES, STRINGS, max_size=3)),
        "version": st.sampled_from([1, 2, 3]) | ANY_JSON,
    },
)


@st.composite
def vercel_json(draw: st.DrawFn) -> bytes:
    """A vercel.json: usually shaped like the real thing, sometimes any JSON value, nested
    too deeply to read or to walk, a number too long to read, or damaged text."""
    kind = draw(st.sampled_from(["shaped", "shaped", "shaped", "any", "deep", "big", "damaged"]))
    if kind == "big":  # past int()'s digit limit
        digits = draw(st.sampled_from([4300, 4301]))
        return b'{"regions": [], "version": ' + b"1" * digits + b"}"
    if kind == "deep":
        depth = draw(st.sampled_from([100, 900, 990, 2000, 100_000]))
        key = draw(st.sampled_from(["headers", "redirects", "functions", "images", "x"]))
        return (f'{{"{key}": ' + "[" * depth + "]" * depth + "}").encode()
    doc = draw(VERCEL_SHAPED if kind != "any" else ANY_JSON)
    indent = draw(st.sampled_from([None, 2, "\t"]))
    text = json.dumps(doc, indent=indent, ensure_ascii=draw(st.booleans()))
    if kind == "damaged":
        text = draw(st.sampled_from(["\ufeff", "", "// c\n"])) + text
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(["", ",", "}", '"a": 1,', "\n", "]"])) + text[at:]
    return draw(byte_damage(text.encode("utf-8", "surrogatepass")))


# --- dotenv ----------------------------------------------------------------------------------

_VALUE_TEXT = st.text(LINE_CHARS, max_size=20)
DOTENV_VALUES = st.one_of(
    st.sampled_from(SECRET_WORDS),
    WORDS.filter(lambda word: "\n" not in word),
    _VALUE_TEXT,
    _VALUE_TEXT.map(lambda v: '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    _VALUE_TEXT.map(lambda v: "'" + v + "'"),
    st.lists(_VALUE_TEXT, min_size=2, max_size=4).map(lambda lines: '"' + "\n".join(lines) + '"'),
    st.sampled_from(
        ['"open', "'open", '"a\\"', "'it's'", '"[SENSITIVE]"', '"x" # c', "a # c", '"\\n\\r\\q"']
    ),
)


@st.composite
def dotenv_lines(draw: st.DrawFn) -> str:
    """One line (or a multi-line quoted value) of a .env file, valid or not."""
    usual = st.sampled_from(["set", "set", "set", "comment", "blank", "bare"])
    kind = draw(mostly(usual, st.just("garbage"), one_in=15))
    if kind == "set":
        export = draw(st.sampled_from(["", "", "export ", "export\t"]))
        space = draw(st.sampled_from(["", "", " ", "\t"]))
        name = draw(mostly(ENV_VAR_NAMES, st.text(LINE_CHARS, max_size=8), one_in=10))
        return f"{export}{name}{space}={space}{draw(DOTENV_VALUES)}"
    if kind == "comment":
        return "#" + draw(_VALUE_TEXT)
    if kind == "blank":
        return draw(st.sampled_from(["", " ", "\t"]))
    if kind == "bare":
        return draw(ENV_VAR_NAMES | st.just("export"))
    garbage = st.sampled_from(["=value", "export", "A B=1", "# Created by Vercel CLI"])
    return draw(garbage | _VALUE_TEXT)


@st.composite
def dotenv_file(draw: st.DrawFn) -> bytes:
    """A .env file: random lines, LF or CRLF, sometimes a BOM, sometimes not UTF-8."""
    lines = draw(st.lists(dotenv_lines(), max_size=10))
    text = draw(st.sampled_from(["\n", "\r\n"])).join(lines)
    text = draw(st.sampled_from(["", "", "\ufeff"])) + text + draw(st.sampled_from(["\n", ""]))
    return draw(byte_damage(text.encode("utf-8")))


# --- .env files as Next.js reads them (tests/realtools/test_next_dotenv.py) --------------------

_NEXT_NAMES = st.sampled_from(["A", "A", "B", "B", "C", "a.b", "x-y", "1", "10", "_", "export"]) | (
    st.sampled_from(["__proto__", "toString", "constructor", "__NEXT_PROCESSED_ENV"])
)
_NEXT_VALUE_BITS = st.sampled_from(
    [
        *("a", "b", "é", " ", "\t", "\u00a0", "\ufeff", "\n", "\u2028", "#", " #", "=", ":-"),
        *("$", "$$", "$A", "$B", "${A}", "${C}", "${A:-x}", "${B:-}", "$A:-y", "${", "}", "$&"),
        *("\\$", "\\", "\\n", "\\r", "\\t", "\\\\", '\\"', "\\'", "\\`", '"', "'", "`"),
        *("$toString", "$valueOf", "$__NEXT_PROCESSED_ENV", "$1", "$<"),
    ]
)
_NEXT_UNQUOTED = st.lists(_NEXT_VALUE_BITS, max_size=6).map("".join)
# String.replace's `$'` and `` $` `` in a filling copy the rest of the value: with a cycle
# that doubles it at each step, past any heap. They are tried here, without cycles.
NEXT_DOTENV_FIXED = [
    "A=$'x\nB=a${A}b\n",
    "A='$`'\nB=pre$A\n",
    "A='$$1$<n>$&'\nB=$A\nC=$B$\n",
    "A='$&!'\nB=$A\n",
    "PASSWORD=pa$$w0rd\nA=1\nB=${A:-x}\nC=\\$HOME\nD=${D:-d}\n",
    "B=$toString$isPrototypeOf$constructor$__proto__\nC=$valueOf\n",
]

_NEXT_QUOTES = st.sampled_from(
    [("", ""), ("", ""), *((q, c) for q in "'\"`" for c in (q, q, q, "")), ('"', '"')]
)
_NEXT_HEADS = st.tuples(
    st.sampled_from(["", "", " ", "\t", "export ", "export\t", " export  "]),
    _NEXT_NAMES,
    st.sampled_from(["=", "=", "=", " = ", "= ", " =", ": ", ":\t", ":", "=\t"]),
).map("".join)
_NEXT_BLANKS_AND_COMMENTS = ["", "  ", "\t", "# a comment", "  #x=1", "#"]
_NEXT_GARBAGE = ["not a line", "JUSTNAME", '{"A": 1}', "=x", "'", "A :x"]
_NEXT_OTHER_LINES = st.sampled_from(_NEXT_BLANKS_AND_COMMENTS + _NEXT_GARBAGE)
_NEXT_TAILS = st.sampled_from(["", "", "", " # comment", "#c", "  ", " x", "\t#"])
# A definition (its value bare, or quoted with a closing quote or without one), ended by
# LF, CR LF or a lone CR; or, one time in three, a blank, comment or garbage line.
_NEXT_DEFINITIONS = st.tuples(_NEXT_HEADS, _NEXT_QUOTES, _NEXT_UNQUOTED, _NEXT_TAILS).map(
    lambda p: f"{p[0]}{p[1][0]}{p[2]}{p[1][1]}{p[3]}"
)
_NEXT_LINES = st.tuples(
    st.one_of(_NEXT_DEFINITIONS, _NEXT_DEFINITIONS, _NEXT_OTHER_LINES),
    st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"]),
).map("".join)


def next_dotenv_text() -> st.SearchStrategy[str]:
    """A .env file's text: up to eight lines, perhaps after a BOM."""
    return st.tuples(
        st.sampled_from(["", "", "", "\ufeff"]), st.lists(_NEXT_LINES, max_size=8)
    ).map(lambda p: p[0] + "".join(p[1]))

"""The words the fuzzer's strategies are made of: the project's own vocabulary (the
environment schema's keys and enums, the bundled environments and their variables,
Vercel's top-level keys, the lint rule ids) and values the models, renderers and rules
give a meaning to (route sources, cron schedules, regions, origins), with near misses.

Random input built from these gets past the parsers often enough to reach the models,
the renderers, the validators and the rules; pure noise would stop at the parser.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from meterr_config.lint.rules import RULES

ROOT = Path(__file__).resolve().parents[2]
ENVIRONMENTS = ROOT / "environments"
BUNDLED = {p.stem: p.read_text(encoding="utf-8") for p in sorted(ENVIRONMENTS.glob("*.toml"))}
PARSED = {name: tomllib.loads(text) for name, text in BUNDLED.items()}
ENV_NAMES = sorted(BUNDLED)
SCHEMA = json.loads((ROOT / "schemas" / "environment.schema.json").read_text("utf-8"))
VERCEL_KEYS: list[str] = json.loads(
    (ROOT / "schemas" / "vendor" / "vercel-toplevel-keys.json").read_text("utf-8")
)["keys"]
RULE_IDS = sorted(rule.id for rule in RULES)


def _schema_vocabulary() -> tuple[list[str], list[str], list[str]]:
    """(top-level keys, every property name, every string enum or const) of the schema."""
    keys: set[str] = set()
    words: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                keys.update(node["properties"])
            words.update(v for v in node.get("enum", []) if isinstance(v, str))
            if isinstance(node.get("const"), str):
                words.add(node["const"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(SCHEMA)
    top = SCHEMA["$defs"][SCHEMA["$ref"].rsplit("/", 1)[-1]]["properties"]
    return sorted(top), sorted(keys), sorted(words)


TOP_KEYS, SCHEMA_KEYS, SCHEMA_WORDS = _schema_vocabulary()
VARIABLES = sorted(
    {name for data in PARSED.values() for name in data.get("env", {})}
    | {"FEATURE_NEW_DASHBOARD", "MAINTENANCE_MODE", "NEXT_PUBLIC_X", "VERCEL_URL"}
)
SOURCE_WORDS = ["/(.*)", "/api/(.*)", "/:path*", "/docs", "/", "/api/cron/cleanup"]
SCHEDULE_WORDS = ["0 2 * * *", "*/5 * * * *", "* * * * *", "61 25 * * *", "@daily", "0 0 31 2 *"]
REGION_WORDS = ["iad1", "sfo1", "fra1", "cdg1", "hnd1", "all", "nope1"]
ORIGIN_WORDS = [
    "https://app.meterr.ai",
    "http://localhost:3000",
    "https://*.meterr.ai",
    "*",
    "null",
    "https://app.meterr.ai/",
]
SECRET_WORDS = [
    "sk-" + "a1" * 24,
    "sk-ant-api03-" + "x" * 90,
    "postgresql://user:hunter2@db.meterr.ai:5432/meterr",
    "redis://default:pw@cache:6379",
    "0123456789abcdef" * 4,
    "changeme",
    "[SENSITIVE]",
]
INTERESTING = [
    *SOURCE_WORDS,
    *SCHEDULE_WORDS,
    *REGION_WORDS,
    *ORIGIN_WORDS,
    *SECRET_WORDS,
    *ENV_NAMES,
    "",
    " ",
    "max",
    "16.4",
    "15",
    "99.9.9",
    "v16",
    "22.x",
    "preview",
    "${SECRET}",
    "process.env.SECRET",
    "'",
    '"',
    "\\",
    "\n",
    "\u0000",
    "é",
    "x" * 300,
]

CHARS = st.characters(codec="utf-8")
LINE_CHARS = st.characters(codec="utf-8", exclude_characters="\n\r")
TEXT = st.text(CHARS, max_size=20)
WORDS = st.sampled_from(sorted(set(INTERESTING) | set(SCHEMA_WORDS)))
STRINGS = st.one_of(WORDS, TEXT)
ENV_VAR_NAMES = st.one_of(
    st.sampled_from(VARIABLES), st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,12}", fullmatch=True)
)
# path-to-regexp sources: parameters, groups, modifiers, and broken or exotic regexes.
ROUTE_SOURCES = st.one_of(
    st.sampled_from(
        [
            *SOURCE_WORDS,
            "/:path((?!api).*)",
            "/blog/:slug",
            "/blog/:slug+",
            "/:a/:a",
            "/(?<n>x)/(?<n>y)",
            "/(?i)x",
            "/((?i)x)",
            "/(a+)+$",
            "/(.*",
            "/[",
            "/{a}",
            "/{a",
            "/\\",
            "/(?P<x>.*)",
            "/(?=x)",
            "/(\\1)",
            "/:",
            "/*",
            "",
            "no-slash",
        ]
    ),
    st.text(alphabet="/:()[]{}*+?.\\|^$-_<>=!#aZ09", max_size=24),
    st.lists(
        st.sampled_from(["/x", "/:p", "/:p*", "/:p?", "/(.*)", "/(\\d+)", "{/:q}"]), max_size=5
    ).map("".join),
)
DESTINATIONS = st.one_of(
    st.sampled_from(["/", "/new/:slug", "https://example.com/:path*", "/:nope"]), STRINGS
)
CRON_FIELDS = st.sampled_from(["*", "0", "2", "*/5", "1-5", "MON-FRI", "60", "32", "?", "L", "x"])
SCHEDULES = st.one_of(
    st.sampled_from(SCHEDULE_WORDS),
    st.lists(CRON_FIELDS, min_size=4, max_size=7).map(" ".join),
    TEXT,
)
REGIONS = st.one_of(st.sampled_from(REGION_WORDS), STRINGS)
HEADER_WORDS = [
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Credentials",
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Cache-Control",
    "Set-Cookie",
    "X-Powered-By",
    "Vary",
]
HEADER_NAMES = st.one_of(st.sampled_from(HEADER_WORDS), TEXT)
HEADER_VALUES = st.one_of(
    st.sampled_from(
        ["*", "true", "DENY", "nosniff", "max-age=0", "default-src *", "script-src 'unsafe-inline'"]
    ),
    STRINGS,
)
NEWLINES = st.sampled_from(["\n", "\n", "\r\n", "\r"])


@st.composite
def mostly(
    draw: st.DrawFn, usual: st.SearchStrategy[Any], other: st.SearchStrategy[Any], one_in: int = 4
) -> Any:
    """`other` (a wrong type, say) one time in `one_in`, else `usual`. Not one_of: it
    drops repeated branches, so repeating one cannot weight it. Hypothesis draws 0, the
    simplest choice, more often than the others, so 0 picks `usual`."""
    return draw(other) if draw(st.integers(0, one_in - 1)) == one_in - 1 else draw(usual)


@st.composite
def byte_damage(draw: st.DrawFn, data: bytes) -> bytes:
    """Nine times in ten `data` as it is, else with a few random bytes (often not UTF-8)
    spliced in: every reader must reject such a file with one line."""
    if draw(st.integers(0, 9)) < 9:  # as in mostly(): 0 keeps the data as it is
        return data
    at = draw(st.integers(0, len(data)))
    junk = draw(
        st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"]) | st.binary(max_size=4)
    )
    return data[:at] + junk + data[at + draw(st.integers(0, 2)) :]

"""VER010 finds polynomial backtracking: adjacent unbounded repetitions that can trade the
same text, reported with the degree of the chain (issue 16, point 8).

Each flagged pattern is also shown to be slow, with the `regex` engine's timeout as the
oracle: a crafted path of 5,000 characters (20,000 at degree 2) makes one match run out of
50 ms, far beyond what any engine needs for a linear pattern (a property of the pattern,
not a measured time of ours; these oracle tests pass on any build). The real route
patterns of the bundled environments and the test fixtures are not flagged.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import regex

from meterr_config import regexsafety
from meterr_config.pathpattern import PatternError, js_to_python, source_regex
from meterr_config.redact import redact
from meterr_config.regexsafety import risk
from tests.conftest import ROOT, Runner


def _why(degree: int) -> str:
    return (
        f"{degree} adjacent repetitions that can match the same text "
        f"(polynomial backtracking of degree {degree})"
    )


# Route source, its degree, and the character that the chain's repetitions all match and a
# tail that makes the whole match fail after them.
POLYNOMIAL = [
    ("/:p(" + r"\w+" * 8 + ")", 8, "a", "!"),  # the eight adjacent \w+
    (r"/:p(\d+\w+)", 2, "1", "!"),
    ("/:p(.*.*)", 2, "a", "\n!"),
    (r"/:p(\s*\w*\s*\w*\s*)", 3, " ", "!"),
    ("/:a-:b", 2, "-", "/x"),  # path-to-regexp's own CVE-2024-45296 shape
    ("/(.*)x(.*)x(.*)", 3, "x", "\n!"),
]

NOT_FLAGGED = [
    "/:p([a-z]+-[0-9]+)",  # disjoint neighbours, separated by a literal not in both
    "/:a/:b",  # "/" is in neither segment
    "/:path*",
    "/docs/:path([a-z]+(?:-[a-z]+)*)",
    "/:p(\\d+\\.\\d+)",
    "/assets/(.*)",
]


@pytest.mark.parametrize(("source", "degree", "char", "tail"), POLYNOMIAL)
def test_polynomial_sources_are_flagged_with_their_degree(
    source: str, degree: int, char: str, tail: str
) -> None:
    assert risk(source_regex(source)) == _why(degree)


@pytest.mark.parametrize(("source", "degree", "char", "tail"), POLYNOMIAL)
def test_each_flagged_source_times_out_on_a_crafted_path(
    source: str, degree: int, char: str, tail: str
) -> None:
    # 5,000 characters give 25 million splits at degree 2 and 10**11 at degree 3: far more
    # than 50 ms of any engine; degree 2 gets 20,000 to stay far from the edge.
    compiled = regex.compile(source_regex(source))
    with pytest.raises(TimeoutError):
        compiled.match("/" + char * (5000 if degree > 2 else 20_000) + tail, timeout=0.05)


@pytest.mark.parametrize("source", NOT_FLAGGED)
def test_disjoint_neighbours_are_not_flagged(source: str) -> None:
    assert risk(source_regex(source)) is None


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"^\w+\w+-", 2),  # the `-` after the chain fails on every split
        (r"^\w+\w+-+", 2),
        (r"^\w+\w+", 1),  # the last repetition just takes the rest: nothing to retry
        (r"[a-z]+-[0-9]+", 1),
        (r"(?:[^/]+/)*[^/]+\.js", 1),  # whole repetitions end in "/", which [^/] cannot take
        (r"https://(?:[a-z0-9-]+\.)*meterr\.ai", 1),
        (r"\s*\w*\s*\w*\s*x", 3),  # the empty \w* between lets the \s* chain
    ],
)
def test_the_degree_of_plain_patterns(pattern: str, expected: int) -> None:
    assert regexsafety.degree(pattern) == expected


def test_a_search_starts_everywhere() -> None:
    # `sk-[…]*T3BlbkFJ` is linear at one start, quadratic when searched from each `sk-`.
    openai = r"sk-[A-Za-z0-9_-]*T3BlbkFJ[A-Za-z0-9_-]+"
    degree = regexsafety.degree
    assert (degree(openai), degree(openai, search=True)) == (1, 2)
    assert degree(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b", search=True) == 1  # "_" ends the chain


def _patterns(data: Any, out: set[tuple[str, str]]) -> None:
    """Every route source and has/missing value in a parsed document."""
    if isinstance(data, dict):
        if isinstance(data.get("source"), str):
            out.add(("source", data["source"]))
        for field in ("has", "missing"):
            for cond in data.get(field) or [] if isinstance(data.get(field), list) else []:
                if isinstance(cond, dict) and isinstance(cond.get("value"), str):
                    out.add(("value", cond["value"]))
        for value in data.values():
            _patterns(value, out)
    elif isinstance(data, list):
        for value in data:
            _patterns(value, out)


def _corpus() -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for path in [*(ROOT / "environments").rglob("*.toml"), *(ROOT / "tests").rglob("*.toml")]:
        try:
            _patterns(tomllib.loads(path.read_text()), out)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue  # the bad-input fixtures
    for path in (ROOT / "tests").rglob("*.json"):
        try:
            _patterns(json.loads(path.read_text()), out)
        except (ValueError, UnicodeDecodeError):
            continue
    for path in (ROOT / "tests").rglob("*.ts"):
        out |= {("source", s) for s in re.findall(r'source:\s*"([^"\\]*)"', path.read_text())}
    return out


def test_real_route_patterns_are_not_flagged() -> None:
    corpus = _corpus()
    assert len(corpus) >= 60  # the bundled environments, fixtures and golden files
    flagged = []
    for kind, pattern in sorted(corpus):
        try:
            text = source_regex(pattern) if kind == "source" else js_to_python(pattern)
        except PatternError:
            continue
        if risk(text):
            flagged.append(pattern)
    assert flagged == []


def test_lint_reports_the_degree_at_the_key(cli: Runner, workdir: Path) -> None:
    source = "/:p(" + "\\\\w+" * 8 + ")"
    path = workdir / "environments" / "production.toml"
    path.write_text(
        path.read_text()
        + f'\n[[vercel.headers]]\nsource = "{source}"\nheaders = {{ "x-robots-tag" = "noindex" }}\n'
    )
    result = cli("lint", "production", "--format", "json")
    found = [
        (f["key"], f["message"])
        for f in json.loads(result.out)["findings"]
        if f["rule"] == "VER010"
    ]
    shown = "/:p(" + "\\\\w+" * 8 + ")"
    assert found == [("headers[1].source", f"headers source '{shown}': {_why(8)}")]
    assert result.code == 1


GITHUB = "ghp_" + "A1b2C3d4" * 5  # a GitHub token's shape, 44 characters
STRIPE = "sk_live_" + "a1B2" * 6  # a Stripe key's shape, 32 characters


def _shape(value: str) -> str:
    """How a message shows a key-shaped value (the digest is keyed per process, and an
    in-process run is this process)."""
    return redact(value)


def test_vercel_messages_never_quote_a_key_shaped_value(cli: Runner, workdir: Path) -> None:
    legacy = workdir / "legacy"
    legacy.mkdir()
    looping = f"/x/{GITHUB}"
    slow = f"/{GITHUB}/:p(\\d+\\w+)"
    broken = f"/{GITHUB}/(.*"
    has = STRIPE + "(\\d+\\w+)y"
    config = {
        "regions": [GITHUB],
        "redirects": [{"source": looping, "destination": looping, "permanent": False}],
        "headers": [
            {"source": slow, "headers": [{"key": "x-a", "value": "1"}]},
            {"source": broken, "headers": [{"key": "x-b", "value": "1"}]},
            {
                "source": "/a",
                "has": [{"type": "header", "key": "x-k", "value": has}],
                "headers": [{"key": "x-c", "value": "1"}],
            },
        ],
    }
    (legacy / "vercel.json").write_text(json.dumps(config))
    result = cli("lint", "dir:legacy", "--format", "json")
    found = sorted(
        (f["rule"], f["key"], f["message"])
        for f in json.loads(result.out)["findings"]
        if f["rule"] in ("VER001", "VER005", "VER008", "VER010")
    )
    assert found == [
        ("VER001", "regions[0]", f"unknown region {_shape(GITHUB)}"),
        (
            "VER005",
            "headers[1].source",
            f"headers source {_shape(broken)}: Unbalanced pattern at {len(GITHUB) + 2}",
        ),
        (
            "VER008",
            "redirects[0]",
            f"redirect from {_shape(looping)} leads back to {_shape(looping)}",
        ),
        ("VER010", "headers[0].source", f"headers source {_shape(slow)}: {_why(2)}"),
        ("VER010", "headers[2].has[0].value", f"has value {_shape(has)}: {_why(2)}"),
    ]
    for secret in (GITHUB, STRIPE):
        assert secret not in result.out and secret not in result.err

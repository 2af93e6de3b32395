"""Vercel and Next.js route `source` patterns (path-to-regexp 6), checked and matched.

The lexer follows path-to-regexp 6.2's, so it raises the same errors the Vercel server
reports ("Capturing groups are not allowed", "Unbalanced pattern"…). Matching converts a
pattern to a Python regex close enough to answer "does this rule apply to /", and runs it
under a time bound (`regexsafety`): the pattern comes from input.
"""

from __future__ import annotations

import re
from functools import cache

from meterr_config.regexsafety import bounded_match, quietly

_NAME = re.compile(r"[0-9A-Za-z_]")
DEFAULT_SEGMENT = r"[^/#?]+?"


class PatternError(ValueError):
    """A pattern path-to-regexp would reject."""


def _group(text: str, start: int) -> tuple[str, int]:
    """Read a `( … )` group starting at `start`; return its body and the index after it."""
    depth, j, body = 1, start + 1, ""
    if j < len(text) and text[j] == "?":
        raise PatternError(f'Pattern cannot start with "?" at {j}')
    while j < len(text):
        char = text[j]
        if char == "\\":
            body += text[j : j + 2]
            j += 2
            continue
        if char == ")":
            depth -= 1
            if depth == 0:
                j += 1
                break
        elif char == "(":
            depth += 1
            if j + 1 >= len(text) or text[j + 1] != "?":
                raise PatternError(f"Capturing groups are not allowed at {j}")
        body += char
        j += 1
    if depth:
        raise PatternError(f"Unbalanced pattern at {start}")
    if not body:
        raise PatternError(f"Missing pattern at {start}")
    return body, j


def js_to_python(pattern: str) -> str:
    """A JavaScript RegExp's named groups and lookbehinds in Python's spelling."""
    return pattern.replace("(?<", "(?P<").replace("(?P<=", "(?<=").replace("(?P<!", "(?<!")


def _translate(source: str) -> tuple[str, list[str]]:
    """A source as Python regex text, and the regex bodies of its groups."""
    out, i, bodies = "", 0, []
    while i < len(source):
        char = source[i]
        if char == "\\" and i + 1 < len(source):
            out += re.escape(source[i + 1])
            i += 2
            continue
        if char == ":":
            j = i + 1
            while j < len(source) and _NAME.match(source[j]):
                j += 1
            if j == i + 1:
                raise PatternError(f"Missing parameter name at {i}")
            body = DEFAULT_SEGMENT
            if j < len(source) and source[j] == "(":
                body, j = _group(source, j)
                bodies.append(js_to_python(body))
            out, i = _with_modifier(out, f"(?:{js_to_python(body)})", source, j)
            continue
        if char == "(":
            body, j = _group(source, i)
            bodies.append(js_to_python(body))
            out, i = _with_modifier(out, f"(?:{js_to_python(body)})", source, j)
            continue
        out += "" if char in "{}" else re.escape(char)
        i += 1
    return out, bodies


_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux-]+[:)]")


@cache
def _compile_body(body: str) -> None:
    try:
        with quietly():
            re.compile(body)
    except re.error as exc:
        raise PatternError(f"invalid regular expression: {exc}") from None


@cache
def check_source(source: str) -> None:
    """Raise PatternError as path-to-regexp would; cheaper than `compile_source`.

    Each group's regex is compiled on its own, and cached: real configs repeat a handful
    of groups (`(.*)`, `[^/]+`) over thousands of sources."""
    _, bodies = _translate(source)
    names: list[str] = []
    for body in bodies:
        _compile_body(body)
        if _INLINE_FLAGS.search(body):  # valid alone, not inside the whole: compile it all
            compile_source(source)
        names += re.findall(r"\(\?P<([A-Za-z_]\w*)>", body)
    if len(names) != len(set(names)):
        raise PatternError("invalid regular expression: a group name is defined twice")


@cache
def source_regex(source: str) -> str:
    """The Python regex text a source matches; PatternError as path-to-regexp would."""
    out, _ = _translate(source)
    return f"^{out}/?$"


@cache
def compile_source(source: str) -> re.Pattern[str]:
    """The regex a source matches, compiled (never run); PatternError when invalid."""
    try:
        with quietly():
            return re.compile(source_regex(source))
    except re.error as exc:
        raise PatternError(f"invalid regular expression: {exc}") from None


def _with_modifier(out: str, part: str, source: str, j: int) -> tuple[str, int]:
    modifier = source[j] if j < len(source) and source[j] in "?*+" else ""
    prefix = "/" if out.endswith("/") else ""
    if prefix:
        out = out[:-1]
    if modifier == "?":
        return f"{out}(?:{prefix}{part})?", j + 1
    if modifier == "*":
        return f"{out}(?:{prefix}{part}(?:/{part})*)?", j + 1
    if modifier == "+":
        return f"{out}{prefix}{part}(?:/{part})*", j + 1
    return f"{out}{prefix}{part}", j


def param_names(source: str) -> set[str]:
    """Named parameters (`:slug`) and named groups a source defines."""
    return set(re.findall(r":([0-9A-Za-z_]+)", source)) | set(
        re.findall(r"\(\?<([A-Za-z_]\w*)>", source)
    )


# With `i18n`, Next.js resolves a header source to `/:nextInternalLocale(en|fr)/…` and
# matches it against the path with the locale added (the default one when the request
# has none: `/` is matched as `/en`), so the rule applies to every locale's path.
_LOCALE_PREFIX = re.compile(r"^/:nextInternalLocale\([^)]*\)")


def unlocalised(source: str) -> str:
    """The source as it applies to a request path, without Next.js' locale prefix."""
    rest = _LOCALE_PREFIX.sub("", source, count=1)
    return rest if rest.startswith("/") else "/" + rest


def matches(source: str, path: str) -> bool:
    """Whether a rule with this source applies to `path`; False for a broken pattern, for
    one that may backtrack catastrophically (VER010 reports it), and for one that runs out
    of time."""
    source = unlocalised(source)
    try:
        compile_source(source)
    except PatternError:
        return False
    return bool(bounded_match(source_regex(source), path))


@cache
def is_catch_all(source: str) -> bool:
    """Applies to every path, as `/(.*)` and `/:path*` do."""
    source = unlocalised(source)
    literal = re.split(r"[:(\\{]", source, maxsplit=1)[0]
    if literal not in ("", "/"):  # `/assets/(.*)` cannot match `/`: no need to compile it
        return False
    return all(matches(source, p) for p in ("/", "/a", "/a/b.c", "/api/x"))

"""Vercel and Next.js route `source` patterns (path-to-regexp 6), checked and matched.

A port of path-to-regexp 6.1.0, the version the Vercel CLI bundles and compiles every
source with (routing-utils `sourceToRegex`: `strict`, `sensitive`, delimiter "/"): its
lexer, parser and `tokensToRegexp`, so a source is refused with the same error ("Unexpected
MODIFIER at 5, expected END", "Unbalanced pattern at 1"…) and matches what Vercel's regex
matches. `tests/realtools/test_route_patterns.py` holds the port to the package itself on
generated sources. Matching runs under a time bound (`regexsafety`): patterns are input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from meterr_config.regexsafety import bounded_match, quietly

DEFAULT_SEGMENT = r"[^\/]+?"  # path-to-regexp's default with delimiter "/"
_ESCAPE = re.compile(r"([.+*?=^!:${}()\[\]|/\\])")
_NAME_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")


class PatternError(ValueError):
    """A pattern path-to-regexp would reject."""


@dataclass(frozen=True)
class Key:
    """A parameter token of path-to-regexp's `parse`: `:name`, `(pattern)` or `{…}`."""

    name: str | int
    prefix: str
    suffix: str
    pattern: str
    modifier: str


Token = tuple[str, int, str]  # (type, index, value), as path-to-regexp's lexer makes them


def _lex_group(text: str, i: int) -> tuple[str, int]:
    """path-to-regexp's PATTERN token: the body of the `( … )` at `i`, and where it ends."""
    count, j, body = 1, i + 1, ""
    if j < len(text) and text[j] == "?":
        raise PatternError(f'Pattern cannot start with "?" at {j}')
    while j < len(text):
        if text[j] == "\\":
            body += text[j : j + 2]
            j += 2
            continue
        if text[j] == ")":
            count -= 1
            if count == 0:
                j += 1
                break
        elif text[j] == "(":
            count += 1
            if text[j + 1 : j + 2] != "?":
                raise PatternError(f"Capturing groups are not allowed at {j}")
        body += text[j]
        j += 1
    if count:
        raise PatternError(f"Unbalanced pattern at {i}")
    if not body:
        raise PatternError(f"Missing pattern at {i}")
    return body, j


def _lex(text: str) -> list[Token]:
    """path-to-regexp 6.1.0's `lexer`, token for token."""
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in "*+?":
            tokens.append(("MODIFIER", i, char))
            i += 1
        elif char == "\\":
            tokens.append(("ESCAPED_CHAR", i, text[i + 1 : i + 2]))
            i += 2
        elif char in "{}":
            tokens.append(("OPEN" if char == "{" else "CLOSE", i, char))
            i += 1
        elif char == ":":
            j = i + 1
            while j < len(text) and text[j] in _NAME_CHARS:
                j += 1
            if j == i + 1:
                raise PatternError(f"Missing parameter name at {i}")
            tokens.append(("NAME", i, text[i + 1 : j]))
            i = j
        elif char == "(":
            body, i2 = _lex_group(text, i)
            tokens.append(("PATTERN", i, body))
            i = i2
        else:
            tokens.append(("CHAR", i, char))
            i += 1
    tokens.append(("END", i, ""))
    return tokens


class _Parser:
    """path-to-regexp 6.1.0's `parse`, with Vercel's options (delimiter "/", prefixes "./")."""

    def __init__(self, text: str) -> None:
        self.tokens, self.i, self.key = _lex(text), 0, 0

    def take(self, kind: str) -> str | None:
        if self.i < len(self.tokens) and self.tokens[self.i][0] == kind:
            self.i += 1
            return self.tokens[self.i - 1][2]
        return None

    def must(self, kind: str) -> None:
        if self.take(kind) is None:
            found, index, _ = self.tokens[self.i]
            raise PatternError(f"Unexpected {found} at {index}, expected {kind}")

    def text(self) -> str:
        out = ""
        while value := self.take("CHAR") or self.take("ESCAPED_CHAR"):
            out += value
        return out

    def next_key(self) -> int:
        self.key += 1
        return self.key - 1

    def parse(self) -> list[str | Key]:
        result: list[str | Key] = []
        path = ""
        while self.i < len(self.tokens):
            char, name, pattern = self.take("CHAR"), self.take("NAME"), self.take("PATTERN")
            if name or pattern:
                prefix = char or ""
                if prefix not in "./":  # only "." and "/" are prefixes ("" stays "")
                    path, prefix = path + prefix, ""
                if path:
                    result.append(path)
                    path = ""
                modifier = self.take("MODIFIER") or ""
                key = name or self.next_key()
                result.append(Key(key, prefix, "", pattern or DEFAULT_SEGMENT, modifier))
                continue
            value = char or self.take("ESCAPED_CHAR")
            if value:
                path += value
                continue
            if path:
                result.append(path)
                path = ""
            if self.take("OPEN") is not None:
                prefix = self.text()
                name_1, pattern_1 = self.take("NAME") or "", self.take("PATTERN") or ""
                suffix = self.text()
                self.must("CLOSE")
                key_1: str | int = name_1 or (self.next_key() if pattern_1 else "")
                body = DEFAULT_SEGMENT if name_1 and not pattern_1 else pattern_1
                result.append(Key(key_1, prefix, suffix, body, self.take("MODIFIER") or ""))
                continue
            self.must("END")
        return result


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


@cache
def parse_source(source: str) -> tuple[str | Key, ...]:
    """A source's tokens, as path-to-regexp 6.1.0 parses it; PatternError as it throws."""
    return tuple(_Parser(source).parse())


def _js_regex(tokens: tuple[str | Key, ...]) -> str:
    """path-to-regexp's `tokensToRegexp` with Vercel's options (`strict`, `sensitive`,
    delimiter "/"): the RegExp source routing-utils' `sourceToRegex` produces."""
    route = "^"
    for token in tokens:
        if isinstance(token, str):
            route += _escape(token)
            continue
        prefix, suffix = _escape(token.prefix), _escape(token.suffix)
        if not token.pattern:
            route += f"(?:{prefix}{suffix}){token.modifier}"
        elif not (prefix or suffix):
            route += f"({token.pattern}){token.modifier}"
        elif token.modifier in ("+", "*"):
            mod = "?" if token.modifier == "*" else ""
            body = f"(?:{token.pattern})(?:{suffix}{prefix}(?:{token.pattern}))*"
            route += f"(?:{prefix}({body}){suffix}){mod}"
        else:
            route += f"(?:{prefix}({token.pattern}){suffix}){token.modifier}"
    return route + "$"


def js_to_python(pattern: str) -> str:
    """A JavaScript RegExp's named groups and lookbehinds in Python's spelling."""
    return pattern.replace("(?<", "(?P<").replace("(?P<=", "(?<=").replace("(?P<!", "(?<!")


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
    names: list[str] = []
    for token in parse_source(source):
        if isinstance(token, Key) and token.pattern:
            body = js_to_python(token.pattern)
            _compile_body(body)
            if _INLINE_FLAGS.search(body):  # valid alone, not inside the whole: compile it all
                compile_source(source)
            names += re.findall(r"\(\?P<([A-Za-z_]\w*)>", body)
    if len(names) != len(set(names)):
        raise PatternError("invalid regular expression: a group name is defined twice")


@cache
def source_regex(source: str) -> str:
    """The Python regex text a source matches; PatternError as path-to-regexp would."""
    return js_to_python(_js_regex(parse_source(source)))


@cache
def compile_source(source: str) -> re.Pattern[str]:
    """The regex a source matches, compiled (never run); PatternError when invalid."""
    try:
        with quietly():
            return re.compile(source_regex(source))
    except re.error as exc:
        raise PatternError(f"invalid regular expression: {exc}") from None


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
    # Vercel's router also tries the path without its leading slash, so the strict
    # `^(?:\/(…))?$` of `/:path*` matches `/` (cli src/util/dev/router.ts); Next.js
    # makes a trailing slash optional instead (lib/redirect-status.js modifyRouteRegex).
    regex = source_regex(source)
    return bool(bounded_match(regex, path)) or bool(bounded_match(regex, path[1:]))


@cache
def is_catch_all(source: str) -> bool:
    """Applies to every path, as `/(.*)` and `/:path*` do."""
    source = unlocalised(source)
    literal = re.split(r"[:(\\{]", source, maxsplit=1)[0]
    if literal not in ("", "/"):  # `/assets/(.*)` cannot match `/`: no need to compile it
        return False
    return all(matches(source, p) for p in ("/", "/a", "/a/b.c", "/api/x"))

"""The linear dotenv parser and key-shape scan give the answers of quadratic versions on
ordinary input: the key-shape scan the landed code's, copied here; the dotenv parser
dotenv's own LINE regex's, translated here as it stands. (Their cost is tested in
tests/hostile/test_bounds.py; the dotenv parser's answers against the real @next/env in
tests/realtools/test_next_dotenv.py.)"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from meterr_config import envfile, secretshapes
from meterr_config.dotenv_expand import ExpansionError, expand
from meterr_config.dotenv_parse import SPACES
from meterr_config.errors import InputError
from tests.fuzzing.configs import next_dotenv_text

# --- The landed key-shape scan (c4eba5f), verbatim but for names. ---------------------
_OLD_ANY_SHAPE = re.compile("|".join(f"(?:{p.pattern})" for p in secretshapes.KEY_SHAPES.values()))
_OLD_ANCHORS = re.compile(r"sk-|AKIA|ASIA|gh[pousr]_|xox[abprs]-|k_live_|PRIVATE KEY|@")
_OLD_TOKEN_PLACES = re.compile(
    r"[?&#;][^=&#;\s]*=([^&#;\s]+)"
    r"|\b(?:Bearer|Basic|Token|Bot)\s+(\S+)"
    r"|://[^/@\s:]*:([^/@\s]+)@",
    re.I,
)
_OLD_PLACEHOLDER = re.compile(
    secretshapes.PLACEHOLDER.pattern.replace(r"[\W_]*+\d*+[\W_]*+", r"[\W_]*\d*[\W_]*"), re.I
)


def old_shape_of(value: str) -> str | None:
    if not _OLD_ANY_SHAPE.search(value):
        return None
    return next(n for n, p in secretshapes.KEY_SHAPES.items() if p.search(value))


def old_shapes_in(text: str) -> Iterator[tuple[int, str]]:
    last_end = -1
    for match in _OLD_ANCHORS.finditer(text):
        if match.start() < last_end:
            continue
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start())
        last_end = end if end >= 0 else len(text)
        if shape := old_shape_of(text[start:last_end]):
            yield text.count("\n", 0, start) + 1, shape


def old_secret_shaped(value: str) -> bool:
    if old_shape_of(value) is not None:
        return True
    for match in _OLD_TOKEN_PLACES.finditer(value):
        token = next(group for group in match.groups() if group)
        if secretshapes._NOT_TOKENS.fullmatch(token):
            continue
        if secretshapes.looks_random(token, 24) and any(c.isdigit() for c in token):
            return True
    return False


def old_tokens(value: str) -> list[str]:
    return [next(g for g in m.groups() if g) for m in _OLD_TOKEN_PLACES.finditer(value)]


PIECES = [
    "sk-", "T3BlbkFJ", "proj-", "sk-ant-api03-", "AKIA", "ASIA", "ghp_", "gho_", "xoxb-",
    "sk_live_", "rk_live_", "-----BEGIN ", "RSA ", "PRIVATE KEY-----", "://", "https", "@",
    ":", "/", "?", "=", "&", "#", ";", "Bearer ", "token ", "Bot", "a", "Z", "0", "_", "-",
    ".", "+", " ", "\t", "\n", "é", "ABCDEFGHIJKLMNOP", "a1B2c3D4e5F6g7H8i9J0k1L2", "changeme",
    "secret", "!", "1", "${X}", "<x>",
]  # fmt: skip
values = st.lists(st.sampled_from(PIECES), max_size=24).map("".join)


@settings(max_examples=3000, deadline=None)
@given(values)
def test_the_key_shape_scan_answers_as_before(value: str) -> None:
    assert secretshapes.shape_of(value) == old_shape_of(value)
    assert secretshapes.secret_shaped(value) == old_secret_shaped(value)
    assert list(secretshapes.shapes_in(value)) == list(old_shapes_in(value))
    assert secretshapes.redact_shapes(value) == _OLD_ANY_SHAPE.sub("<redacted>", value)
    assert list(secretshapes._token_places(value)) == old_tokens(value)
    assert bool(secretshapes.PLACEHOLDER.match(value.strip())) == bool(
        _OLD_PLACEHOLDER.match(value.strip())
    )


# --- dotenv's LINE regex (dotenv 16.3.1, as @next/env 16.4.6 bundles it). ----------------
# Translated as it stands: JavaScript's `\s`, and `^`, `$` and `.` with the m flag, which
# U+2028 and U+2029 end lines for too (the CRs are gone by then).
_S = f"[{SPACES}]"
_AT_LINE_START = "(?<![^\n\u2028\u2029])"
_AT_LINE_END = "(?![^\n\u2028\u2029])"
_LINE = re.compile(
    f"{_AT_LINE_START}{_S}*(?:export{_S}+)?([A-Za-z0-9_.-]+)(?:{_S}*={_S}*?|:{_S}+?)"
    f"({_S}*'(?:\\\\'|[^'])*'|{_S}*\"(?:\\\\\"|[^\"])*\"|{_S}*`(?:\\\\`|[^`])*`|[^#\r\n]+)?"
    f"{_S}*(?:#[^\n\r\u2028\u2029]*)?{_AT_LINE_END}"
)
_QUOTED = re.compile(f"{_AT_LINE_START}(['\"`])([\\s\\S]*)\\1{_AT_LINE_END}")


def regex_parse(text: str) -> dict[str, str]:
    """dotenv's `parse`, with its regexes run as they are (backtracking, quadratic)."""
    values = {}
    for match in _LINE.finditer(re.sub(r"\r\n?", "\n", text)):
        value = (match.group(2) or "").strip(SPACES)
        quote, value = value[:1], _QUOTED.sub(r"\2", value)
        if quote == '"':
            value = value.replace("\\n", "\n").replace("\\r", "\r")
        if match.group(1) != "__proto__":
            values[match.group(1)] = value
    return values


def _values(read: Callable[[], dict[str, str | None]]) -> dict[str, str | None] | None:
    try:
        return read()
    except (InputError, ExpansionError):
        return None


@settings(max_examples=1000, deadline=None)
@given(next_dotenv_text())
def test_the_dotenv_scan_finds_what_the_line_regex_matches(text: str) -> None:
    ours = _values(lambda: {n: e.value for n, e in envfile.parse_dotenv(text, ".env").items()})
    theirs = _values(lambda: {n: e.value for n, e in expand(regex_parse(text)).items()})
    assert ours == theirs

"""The linear dotenv parser and key-shape scan give the landed (quadratic) versions'
answers on ordinary input: a differential test against copies of the old code, which live
only here. (Their cost is tested in tests/hostile/test_bounds.py.)"""

from __future__ import annotations

import re
from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from meterr_config import envfile, secretshapes
from meterr_config.errors import InputError

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


# --- The landed dotenv parser (c4eba5f). ------------------------------------------------
_OLD_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$")


def _old_value(raw: str, where: object) -> str:
    if raw[:1] in ('"', "'"):
        quote = raw[0]
        closed = envfile._QUOTED[quote].match(raw)
        if closed is not None:
            body = closed.group(1)
        elif len(raw) > 1 and raw.endswith(quote):
            body = raw[1:-1]
        else:
            raise InputError("unterminated", None)
        return envfile._unescape(body) if quote == '"' else body
    return re.split(r"\s+#", raw, maxsplit=1)[0]


def _old_closes(raw: str) -> bool:
    return envfile._QUOTED['"'].match(raw) is not None or (
        len(raw.rstrip()) > 1 and raw.rstrip().endswith('"')
    )


def old_parse(text: str) -> dict[str, tuple[str | None, int]] | str:
    entries: dict[str, tuple[str | None, int]] = {}
    lines = text.removeprefix("\ufeff").split("\n")
    index = 0
    try:
        while index < len(lines):
            number, line = index + 1, lines[index].removesuffix("\r")
            index += 1
            stripped = line.strip()
            if not stripped or stripped.startswith("#") or envfile._BARE_NAME.match(stripped):
                continue
            match = _OLD_LINE.match(line)
            if match is None:
                return f"bad line {number}"
            raw = match.group(2)
            while raw[:1] == '"' and not _old_closes(raw) and index < len(lines):
                raw += "\n" + lines[index].removesuffix("\r")
                index += 1
            value: str | None = _old_value(raw.rstrip(), number)
            entries[match.group(1)] = (None if value == envfile.SENSITIVE else value, number)
    except InputError:
        return f"unterminated at {number}"
    return entries


def new_parse(text: str) -> dict[str, tuple[str | None, int]] | str:
    try:
        parsed = envfile.parse_dotenv(text, "x.env")
    except InputError as exc:
        line = exc.location.line if exc.location else None
        return f"bad line {line}" if "NAME=value" in str(exc) else f"unterminated at {line}"
    return {name: (entry.value, entry.line) for name, entry in parsed.items()}


_BIT = st.text(alphabet=st.sampled_from(list("ab \"'#\\ \t=\u00a0é")), max_size=8)
_LINES = st.one_of(
    _BIT,
    st.tuples(
        st.sampled_from(["K", "export K", " B.c", "X", "#"]),
        st.sampled_from(["=", " = ", "="]),
        st.sampled_from(['"', "'", "", '"\\']),
        _BIT,
    ).map("".join),
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_LINES, max_size=6).map("\n".join))
def test_the_dotenv_parser_answers_as_before(text: str) -> None:
    assert new_parse(text) == old_parse(text)

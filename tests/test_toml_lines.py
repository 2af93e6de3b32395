"""`key_lines`: every key path of a TOML document mapped to the line that defines it."""

from __future__ import annotations

import re
import string
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from meterr_config.keypath import KeyPath
from meterr_config.load.toml_lines import key_lines


def _paths(data: Any, prefix: KeyPath = ()) -> tuple[set[KeyPath], set[KeyPath]]:
    """(every path, leaf paths) of a parsed document; empty tables and arrays are leaves."""
    every: set[KeyPath] = set()
    leaves: set[KeyPath] = set()
    if isinstance(data, dict):
        items: list[tuple[str | int, Any]] = list(data.items())
    elif isinstance(data, list):
        items = list(enumerate(data))
    else:
        items = []
    if prefix:
        every.add(prefix)
        if not items:
            leaves.add(prefix)
    for key, value in items:
        sub_every, sub_leaves = _paths(value, (*prefix, key))
        every |= sub_every
        leaves |= sub_leaves
    return every, leaves


def _assert_covers(text: str) -> dict[KeyPath, int]:
    """Every key path `tomllib` finds in `text` has a line, and no line is out of range."""
    lines = key_lines(text)
    every, _ = _paths(tomllib.loads(text))
    missing = every - lines.keys()
    assert not missing, f"no line for {sorted(map(str, missing))}"
    count = len(text.split("\n"))
    assert all(1 <= line <= count for line in lines.values())
    return lines


# --- table headers -----------------------------------------------------------------------


def test_table_headers_and_their_keys() -> None:
    text = """\
title = "root"

[server]
host = "example.com"
port = 8080

[server.tls]
cert = "a.pem"

[client]
"""
    assert _assert_covers(text) == {
        ("title",): 1,
        ("server",): 3,
        ("server", "host"): 4,
        ("server", "port"): 5,
        ("server", "tls"): 7,
        ("server", "tls", "cert"): 8,
        ("client",): 10,
    }


def test_headers_with_whitespace_indentation_and_trailing_comments() -> None:
    text = """\
  [ a . b ]   # a comment with = and [brackets]
    x = 1
[c]# no space before the comment
\ty = 2
"""
    assert _assert_covers(text) == {
        ("a",): 1,
        ("a", "b"): 1,
        ("a", "b", "x"): 2,
        ("c",): 3,
        ("c", "y"): 4,
    }


def test_subtable_declared_before_its_parent_keeps_the_first_line_for_the_parent() -> None:
    text = """\
[a.b]
x = 1
[a]
y = 2
"""
    lines = _assert_covers(text)
    assert lines[("a", "b")] == 1
    assert lines[("a", "b", "x")] == 2
    assert lines[("a", "y")] == 4


# --- dotted and quoted keys --------------------------------------------------------------


def test_dotted_keys_record_every_prefix_on_their_line() -> None:
    text = """\
a.b.c = 1
a.b.d = 2

[t]
x . y = 3
"""
    assert _assert_covers(text) == {
        ("a",): 1,
        ("a", "b"): 1,
        ("a", "b", "c"): 1,
        ("a", "b", "d"): 2,
        ("t",): 4,
        ("t", "x"): 5,
        ("t", "x", "y"): 5,
    }


def test_quoted_keys_with_dots_equals_and_brackets_inside() -> None:
    text = """\
"a.b" = 1
'c.d'.e = 2
"k = v" = 3
"[not.a.table]" = 4
site."google.com".enabled = true
"" = 5
"""
    lines = _assert_covers(text)
    assert lines[("a.b",)] == 1
    assert ("a", "b") not in lines
    assert lines[("c.d",)] == 2
    assert lines[("c.d", "e")] == 2
    assert lines[("k = v",)] == 3
    assert lines[("[not.a.table]",)] == 4
    assert lines[("site", "google.com", "enabled")] == 5
    assert lines[("",)] == 6


def test_quoted_keys_with_escapes() -> None:
    text = r"""
"quo\"te" = 1
"back\\slash" = 2
"tab\tkey" = 3
"caf\u00e9" = 4
'literal\no.escape' = 5
"ends with backslash \\".x = 6
"""
    lines = _assert_covers(text)
    assert lines[('quo"te',)] == 2
    assert lines[("back\\slash",)] == 3
    assert lines[("tab\tkey",)] == 4
    assert lines[("café",)] == 5
    assert lines[("literal\\no.escape",)] == 6
    assert lines[("ends with backslash \\", "x")] == 7


def test_quoted_table_headers() -> None:
    text = """\
["x.y".'z w']
a = 1

[[ "arr.ay" ]]
b = 2

[env."NEXT_PUBLIC_A"]
value = "v"
"""
    lines = _assert_covers(text)
    assert lines[("x.y", "z w")] == 1
    assert lines[("x.y", "z w", "a")] == 2
    assert lines[("arr.ay", 0)] == 4
    assert lines[("arr.ay", 0, "b")] == 5
    assert lines[("env", "NEXT_PUBLIC_A", "value")] == 8


# --- inline tables -----------------------------------------------------------------------


def test_inline_tables_map_every_nested_key_to_their_line() -> None:
    text = """\
point = { x = 1, y = { z = 2 }, "a.b" = 3 }
[t]
p = {}
q = { list = [1, { deep = true }] }
after = 1
"""
    assert _assert_covers(text) == {
        ("point",): 1,
        ("point", "x"): 1,
        ("point", "y"): 1,
        ("point", "y", "z"): 1,
        ("point", "a.b"): 1,
        ("t",): 2,
        ("t", "p"): 3,
        ("t", "q"): 4,
        ("t", "q", "list"): 4,
        ("t", "q", "list", 0): 4,
        ("t", "q", "list", 1): 4,
        ("t", "q", "list", 1, "deep"): 4,
        ("t", "after"): 5,
    }


def test_inline_table_holding_a_multiline_string() -> None:
    text = '''\
a = { s = """
[inside]
k = 1
""" }
b = 2
'''
    lines = _assert_covers(text)
    assert lines == {("a",): 1, ("a", "s"): 1, ("b",): 5}


# --- multi-line arrays -------------------------------------------------------------------


def test_multiline_array_does_not_shift_later_lines() -> None:
    text = """\
a = [
  1,
  [2,
   3],  # a comment with ] and = inside
  "[not.a.table]",
  "x = 1",
]
b = 2
[t]
c = [
]
d = 3
"""
    lines = _assert_covers(text)
    assert lines[("a",)] == 1
    assert lines[("b",)] == 8
    assert lines[("t",)] == 9
    assert lines[("t", "c")] == 10
    assert lines[("t", "d")] == 12
    assert ("not",) not in lines
    assert ("x",) not in lines
    assert ("t", "x") not in lines


def test_multiline_array_elements_map_to_their_own_line() -> None:
    text = """\
crons = [
  { path = "/a", schedule = "0 * * * *" },
  { path = 5, schedule = "0 3 * * *" },
]
"""
    lines = key_lines(text)
    assert lines[("crons", 1)] == 3
    assert lines[("crons", 1, "path")] == 3


# --- multi-line strings ------------------------------------------------------------------


def test_multiline_basic_string_with_key_and_table_lookalikes() -> None:
    text = '''\
[t]
s = """
key = value
[table]
[[aot]]
  # not a comment
"""
after = 1
'''
    assert _assert_covers(text) == {("t",): 1, ("t", "s"): 2, ("t", "after"): 8}


def test_multiline_literal_string_with_key_and_table_lookalikes() -> None:
    text = """\
s = '''
key = value
[table]
"quoted" = 1
'''
[next]
after = 1
"""
    assert _assert_covers(text) == {
        ("s",): 1,
        ("next",): 6,
        ("next", "after"): 7,
    }


def test_multiline_strings_with_escaped_quotes_and_line_continuations() -> None:
    text = '''\
a = """one \\""" still inside
[still.inside]
x = 1"""
b = """joined \\
  c = 2 \\
  """
d = \'\'\'it's '' still inside
[t]\'\'\'
e = """""quotes at the end"""""
f = 3
'''
    lines = _assert_covers(text)
    assert lines == {("a",): 1, ("b",): 4, ("d",): 7, ("e",): 9, ("f",): 10}


def test_a_key_that_starts_a_multiline_string_on_the_same_line() -> None:
    text = '''\
a = """first line
b = 1
"""
c = 2
'''
    assert _assert_covers(text) == {("a",): 1, ("c",): 4}


# --- arrays of tables --------------------------------------------------------------------


def test_arrays_of_tables_count_their_elements() -> None:
    text = """\
[[vercel.crons]]
path = "/a"

[[vercel.crons]]
path = "/b"
schedule = "x"

[vercel]
framework = "nextjs"
"""
    lines = _assert_covers(text)
    assert lines[("vercel",)] == 1
    assert lines[("vercel", "crons")] == 1
    assert lines[("vercel", "crons", 0)] == 1
    assert lines[("vercel", "crons", 0, "path")] == 2
    assert lines[("vercel", "crons", 1)] == 4
    assert lines[("vercel", "crons", 1, "path")] == 5
    assert lines[("vercel", "crons", 1, "schedule")] == 6
    assert lines[("vercel", "framework")] == 9


def test_nested_arrays_of_tables_restart_under_each_parent_element() -> None:
    text = """\
[[a]]
x = 1
[[a.b]]
y = 2
[[a]]
[[a.b]]
[[a.b]]
z = 3
[a.c]
w = 4
[[a.c.d]]
v = 5
"""
    assert _assert_covers(text) == {
        ("a",): 1,
        ("a", 0): 1,
        ("a", 0, "x"): 2,
        ("a", 0, "b"): 3,
        ("a", 0, "b", 0): 3,
        ("a", 0, "b", 0, "y"): 4,
        ("a", 1): 5,
        ("a", 1, "b"): 6,
        ("a", 1, "b", 0): 6,
        ("a", 1, "b", 1): 7,
        ("a", 1, "b", 1, "z"): 8,
        ("a", 1, "c"): 9,
        ("a", 1, "c", "w"): 10,
        ("a", 1, "c", "d"): 11,
        ("a", 1, "c", "d", 0): 11,
        ("a", 1, "c", "d", 0, "v"): 12,
    }


def test_subtable_of_the_last_nested_array_element() -> None:
    text = """\
[[a]]
[[a.b]]
[[a.b]]
[a.b.c]
k = 1
"""
    lines = _assert_covers(text)
    assert lines[("a", 0, "b", 1, "c")] == 4
    assert lines[("a", 0, "b", 1, "c", "k")] == 5


# --- comments, blank lines, line endings -------------------------------------------------


def test_comments_are_ignored() -> None:
    text = """\
# [commented.table]
# key = 1
   # indented = 2

a = 1 # trailing [comment] b = 2
[t] # [[x]]
#c = 3
d = "# not a comment" # e = 4
"""
    assert _assert_covers(text) == {("a",): 5, ("t",): 6, ("t", "d"): 8}


def test_crlf_line_endings() -> None:
    text = '[t]\r\na = 1\r\ns = """\r\n[x]\r\n"""\r\nb = 2\r\n'
    assert _assert_covers(text) == {("t",): 1, ("t", "a"): 2, ("t", "s"): 3, ("t", "b"): 6}


def test_empty_document() -> None:
    assert key_lines("") == {}
    assert key_lines("# only a comment\n\n") == {}


@pytest.mark.parametrize("name", ["base", "development", "production", "staging"])
def test_the_shipped_environment_files(name: str) -> None:
    """The real files: every key has a line, and that line mentions the key."""
    folder = Path(__file__).resolve().parents[1] / "environments"
    text = (folder / f"{name}.toml").read_text(encoding="utf-8")
    lines = _assert_covers(text)
    text_lines = text.split("\n")
    for path in _paths(tomllib.loads(text))[1]:
        last_key = next(part for part in reversed(path) if isinstance(part, str))
        assert last_key in text_lines[lines[path] - 1], path


# --- Unicode line separators -------------------------------------------------------------

# TOML ends lines with LF (or CRLF) only; these are ordinary characters in strings and
# comments, but `str.splitlines()` also splits on them.
_SEPARATORS = [
    pytest.param("\u2028", id="U+2028"),
    pytest.param("\u2029", id="U+2029"),
    pytest.param("\x85", id="U+0085"),
]


@pytest.mark.parametrize("separator", _SEPARATORS)
def test_line_separator_inside_a_string(separator: str) -> None:
    text = f'a = "x{separator}y"\nb = 1\n[t]\nc = 2\n'
    assert tomllib.loads(text)["a"] == f"x{separator}y"
    assert key_lines(text) == {("a",): 1, ("b",): 2, ("t",): 3, ("t", "c"): 4}


@pytest.mark.parametrize("separator", _SEPARATORS)
def test_line_separator_inside_a_comment(separator: str) -> None:
    text = f"# one{separator}two\nb = 1\n"
    assert tomllib.loads(text) == {"b": 1}
    assert key_lines(text) == {("b",): 2}


# --- property: tomli_w documents ---------------------------------------------------------

_KEY_CHARS = string.ascii_letters + string.digits + "_-. "
_TEXT_CHARS = string.ascii_letters + string.digits + " \t\n=[]{}.,#'\"\\"
_BARE = re.compile(r"^[A-Za-z0-9_-]+$")

_keys = st.text(alphabet=_KEY_CHARS, min_size=1, max_size=6)
_scalars = st.one_of(
    st.integers(),
    st.booleans(),
    st.floats(allow_nan=False),
    st.text(alphabet=_TEXT_CHARS, max_size=20),
    # Text that looks like keys and headers. With multiline_strings it spans lines, which
    # (like a nested array) makes tomli_w write arrays of tables instead of inline tables.
    st.sampled_from(['k = "v"\n[t]\n', "\n[[a.b]]\nx.y = 1\n# c", "'''\n[t]", '"""\n']),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(st.dictionaries(_keys, inner, max_size=3), min_size=1, max_size=3),
        st.dictionaries(_keys, inner, max_size=4),
    ),
    max_leaves=8,
)
_documents = st.dictionaries(_keys, _values, max_size=3)


def _toml_key(key: str) -> str:
    return key if _BARE.match(key) else f'"{key}"'


def _defines(line: str, key: str) -> bool:
    """Whether `line` as tomli_w writes it defines `key`: `key = ...` or a header ending in it."""
    part = _toml_key(key)
    stripped = line.strip()
    if stripped.startswith(f"{part} = "):
        return True
    return stripped.startswith("[") and stripped.endswith(
        (f"[{part}]", f".{part}]", f"[[{part}]]", f".{part}]]")
    )


@settings(max_examples=200, deadline=None)
@given(document=_documents, multiline_strings=st.booleans())
def test_every_leaf_of_a_tomli_w_document_has_its_line(
    document: dict[str, Any], multiline_strings: bool
) -> None:
    text = tomli_w.dumps(document, multiline_strings=multiline_strings)
    parsed = tomllib.loads(text)
    every, leaves = _paths(parsed)
    lines = key_lines(text)
    text_lines = text.split("\n")
    assert every <= lines.keys(), text
    for path in leaves:
        line = text_lines[lines[path] - 1]
        # A dict key is defined on its own line, unless it sits inside an inline array
        # (arrays of inline tables included): then it maps to the array's key line, or,
        # when the array spans lines, to the line its element starts on.
        anchors: list[str | int] = [path[-1]] if isinstance(path[-1], str) else []
        anchors += [path[i - 1] for i, part in enumerate(path) if isinstance(part, int)]
        first = next((i for i, part in enumerate(path) if isinstance(part, int)), None)
        in_array_span = first is not None and lines[path] >= lines[path[:first]]
        assert in_array_span or any(_defines(line, str(key)) for key in anchors), (path, text)
        if not any(isinstance(part, int) for part in path):
            assert _defines(line, str(path[-1])), (path, line, text)


def test_the_top_level_fast_path_agrees_with_the_full_scan() -> None:
    """`line_of` finds a top-level key by regex, without scanning the whole file."""
    from meterr_config.load import SourceFile
    from tests.conftest import ENVIRONMENTS, FIXTURES

    files = [*ENVIRONMENTS.glob("*.toml"), *FIXTURES.rglob("*.toml")]
    checked = 0
    for path in files:
        text = path.read_text()
        try:
            full = key_lines(text)
        except Exception:
            continue
        for key in {p[0] for p in full if len(p) == 1}:
            fresh = SourceFile(path.stem, path, text, {})
            assert fresh.line_of((key,)) == full[(key,)], (path, key)
            checked += 1
    assert checked > 20

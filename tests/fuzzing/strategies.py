"""The fuzzer's input classes, each a strategy of `Case`: the files to write into a
scratch project and one command line that reads them.

- `toml`: a random TOML document (any shape, shaped by the environment schema, or raw
  lines) as a new environment, or in place of a bundled one;
- `mutation`: one or two bundled environments, mutated or deleted;
- `vercel.json`: a random vercel.json in a `dir:` folder, linted, diffed and imported;
- `dotenv`: a random dotenv file as a `dotenv:` source, as `--values`, in a `dir:` folder,
  and imported;
- `links`: symlinks (out of the project, into it, dangling, loops, to /dev/zero or
  /proc/self/environ) planted where a command reads or writes (tests/fuzzing/files.py);
- `special files`: FIFOs, sockets and links to devices and kernel files, planted there.

A Case is plain data, so Hypothesis shrinks it and `Case.reproducer()` prints it.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from hypothesis import strategies as st

from tests.fuzzing.configs import dotenv_file, vercel_json
from tests.fuzzing.environments import (
    FUZZ_ENV,
    mutated_file,
    raw_toml,
    schema_documents,
    toml_documents,
)
from tests.fuzzing.files import FRESH, SPECIALS, Planted, links, planted
from tests.fuzzing.vocabulary import ENV_NAMES, RULE_IDS, TEXT, mostly

SITE = "site"  # the dir: folder of the vercel.json and dotenv cases
VALUES_FILE = "values.env"  # the dotenv: file and --values source of the dotenv cases


@dataclass(frozen=True)
class Case:
    """One example: files to write (path relative to the project, bytes; None deletes the
    file; a Planted entry is a link, FIFO or socket made in its place) and the command
    line to run in the project."""

    files: tuple[tuple[str, bytes | Planted | None], ...]
    argv: tuple[str, ...]

    def reproducer(self) -> str:
        """The files and the command, as a person would recreate them."""
        parts = []
        for path, data in self.files:
            if data is None:
                parts.append(f"--- {path}: deleted")
            elif isinstance(data, Planted):
                parts.append(f"--- {path}: {data.describe()}")
            elif _printable(data):
                parts.append(f"--- {path}\n{_clip(data.decode())}")
            else:
                parts.append(f"--- {path}, as Python bytes:\n{_clip(repr(data))}")
        parts.append("$ meterr-config " + shlex.join(self.argv))
        return "\n".join(parts)


def _printable(data: bytes) -> bool:
    """UTF-8 text whose characters show as themselves (a tab and a newline included)."""
    try:
        text = data.decode()
    except UnicodeDecodeError:
        return False
    return all(c.isprintable() or c in "\t\n" for c in text)


def _clip(text: str, limit: int = 4000) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters in all)"


# --- command lines --------------------------------------------------------------------------

FORMATS = st.sampled_from(["text", "text", "json", "json", "sarif", "github", "markdown"])
_FORMAT_OPTION = FORMATS.map(lambda fmt: () if fmt == "text" else ("--format", fmt))


def _with_format(*argv: str) -> st.SearchStrategy[tuple[str, ...]]:
    return _FORMAT_OPTION.map(lambda option: (*argv, *option))


_LINT_OPTIONS = st.lists(
    st.sampled_from(
        [
            ("--fail-on", "warning"),
            ("--fail-on", "never"),
            ("--score",),
            ("--plan", "hobby"),
            ("--target", "development"),
            ("--next-version", "14.2"),
            ("--next-version", "abc"),
        ]
    ),
    max_size=2,
    unique=True,
).map(lambda options: tuple(arg for option in options for arg in option))


def _lint(*argv: str) -> st.SearchStrategy[tuple[str, ...]]:
    return st.builds(lambda options, fmt: (*argv, *options, *fmt), _LINT_OPTIONS, _FORMAT_OPTION)


@st.composite
def _global(draw: st.DrawFn, command: st.SearchStrategy[tuple[str, ...]]) -> tuple[str, ...]:
    """A command, one time in three under the global --quiet."""
    return (*draw(st.sampled_from([(), (), ("-q",)])), *draw(command))


@st.composite
def _static_commands(draw: st.DrawFn) -> tuple[str, ...]:
    """`schema` and `rules` read no input: one branch between them, not three."""
    kind = draw(st.sampled_from(["schema", "rules", "rule"]))
    if kind == "schema":
        return ("schema", "--out", "-")
    return ("rules",) if kind == "rules" else ("rules", draw(st.sampled_from(RULE_IDS) | TEXT))


def environment_commands(names: list[str]) -> st.SearchStrategy[tuple[str, ...]]:
    """Every command that reads the environment files, on environments `names` (and,
    one time in four, on a name that is not there)."""
    known = mostly(st.sampled_from(names), st.sampled_from(["nope", "BASE", "../x"]))
    sources = st.tuples(st.sampled_from(["", "env:"]), known).map("".join)
    return _global(
        st.one_of(
            st.just(("render",)),
            known.map(lambda name: ("render", "--env", name)),
            _with_format("check"),
            known.flatmap(lambda name: _with_format("check", "--env", name)),
            _with_format("validate"),
            known.flatmap(lambda name: _with_format("validate", "--env", name)),
            _lint("lint"),
            sources.flatmap(lambda source: _lint("lint", source)),
            _with_format("diff", "staging", "production"),
            st.tuples(sources, sources).flatmap(lambda pair: _with_format("diff", *pair)),
            st.just(("diff", "--strict", "--side-by-side", "production", names[-1])),
            _static_commands(),
        )
    )


_SITE = f"dir:{SITE}"
_IMPORT_OPTIONS = st.lists(
    st.sampled_from([("--passthrough",), ("--extends", "production"), ("--plan", "hobby")]),
    max_size=2,
    unique=True,
).map(lambda options: tuple(arg for option in options for arg in option))
VERCEL_JSON_COMMANDS = _global(
    st.one_of(
        _lint("lint", _SITE),
        _with_format("diff", "env:production", _SITE),
        _with_format("diff", _SITE, "staging"),
        st.just(("diff", "--side-by-side", _SITE, _SITE)),
        _IMPORT_OPTIONS.map(
            lambda options: ("import", f"{SITE}/vercel.json", "--env", "x", "--out", "-", *options)
        ),
    )
)
_DOTENV = f"dotenv:{VALUES_FILE}"
DOTENV_COMMANDS = _global(
    st.one_of(
        _with_format("diff", "env:production", _DOTENV),
        _with_format("diff", _DOTENV, "env:development"),
        st.just(("diff", "--show-secrets", "--side-by-side", _DOTENV, _DOTENV)),
        _lint("lint", "--values", _DOTENV),
        _lint("lint", "production", "--values", f"production={_DOTENV}"),
        _lint("lint", _SITE),
        _with_format("diff", "env:production", _SITE),
        _IMPORT_OPTIONS.map(
            lambda options: ("import", VALUES_FILE, "--env", "x", "--out", "-", *options)
        ),
    )
)


# --- the four classes ------------------------------------------------------------------------


_WITH_FUZZ_ENV = environment_commands([*ENV_NAMES, FUZZ_ENV])
_BUNDLED_ONLY = environment_commands(ENV_NAMES)


@st.composite
def toml_cases(draw: st.DrawFn) -> Case:
    """A random TOML document as a new environment (half the time), or a bundled one."""
    document = draw(st.one_of(schema_documents(), toml_documents(), raw_toml()))
    name = draw(st.sampled_from([FUZZ_ENV] * len(ENV_NAMES) + ENV_NAMES))
    return Case(((f"environments/{name}.toml", document),), draw(_WITH_FUZZ_ENV))


@st.composite
def mutation_cases(draw: st.DrawFn) -> Case:
    """One or two bundled environments, mutated."""
    names = draw(st.lists(st.sampled_from(ENV_NAMES), min_size=1, max_size=2, unique=True))
    files = tuple((f"environments/{name}.toml", draw(mutated_file(name))) for name in names)
    return Case(files, draw(_BUNDLED_ONLY))


_DOTENV_BESIDE = b"API_URL=https://api.meterr.ai\nJWT_SECRET=short\n"


@st.composite
def vercel_json_cases(draw: st.DrawFn) -> Case:
    """A vercel.json in a dir: folder, half the time beside a small .env file."""
    files = [(f"{SITE}/vercel.json", draw(vercel_json()))]
    if draw(st.booleans()):
        files.append((f"{SITE}/.env.production", _DOTENV_BESIDE))
    return Case(tuple(files), draw(VERCEL_JSON_COMMANDS))


@st.composite
def dotenv_cases(draw: st.DrawFn) -> Case:
    """A dotenv file, as a dotenv: source and --values, and as the .env of a dir: folder."""
    data = draw(dotenv_file())
    return Case(((VALUES_FILE, data), (f"{SITE}/.env", data)), draw(DOTENV_COMMANDS))


INIT_COMMANDS = _global(
    st.one_of(
        st.just(("init",)),
        st.sampled_from([(), ("--plan", "hobby")]).map(
            lambda plan: ("init", "--environments", FRESH[0], "--out", FRESH[1], *plan)
        ),
        st.sampled_from([".env.example", "vercel.json"]).map(
            lambda name: ("import", name, "--env", "x", "--out", "-")
        ),
    )
)
_EXAMPLE = b"API_URL=https://api.meterr.ai\nJWT_SECRET=\n"
# Per group of planted paths: the plain files beside them, and the commands that read them.
_PLANTED: dict[str, tuple[tuple[tuple[str, bytes], ...], st.SearchStrategy[tuple[str, ...]]]] = {
    "environments": ((), _WITH_FUZZ_ENV),
    "generated": ((), _BUNDLED_ONLY),
    "site": (
        ((f"{SITE}/vercel.json", b"{}\n"), (f"{SITE}/.env", _DOTENV_BESIDE)),
        VERCEL_JSON_COMMANDS,
    ),
    "dotenv": (((VALUES_FILE, _DOTENV_BESIDE), (f"{SITE}/.env", _DOTENV_BESIDE)), DOTENV_COMMANDS),
    "init": (((".env.example", _EXAMPLE),), INIT_COMMANDS),
}


@st.composite
def planted_cases(draw: st.DrawFn, specials: bool) -> Case:
    """Links (or, with `specials`, FIFOs, sockets and device links) planted among the
    paths one group of commands reads, beside that group's plain files."""
    group = draw(st.sampled_from(sorted(_PLANTED)))
    plain, commands = _PLANTED[group]
    entries = draw(planted(group, SPECIALS if specials else links(group)))
    files: tuple[tuple[str, bytes | Planted | None], ...] = (*plain, *entries)
    return Case(files, draw(commands))


CLASSES: dict[str, st.SearchStrategy[Case]] = {
    "toml": toml_cases(),
    "mutation": mutation_cases(),
    "vercel.json": vercel_json_cases(),
    "dotenv": dotenv_cases(),
    "links": planted_cases(specials=False),
    "special files": planted_cases(specials=True),
}

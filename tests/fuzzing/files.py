"""Strategies for what a hostile repository commits instead of a file: symlinks (into the
project, out of it, dangling, in a loop, to /dev/zero or /proc/self/environ), FIFOs and
sockets, planted at the paths the commands read and write: environment files and their
folder, generated files and folders, a `dir:` folder's vercel.json, next.config and .env
files, a `dotenv:` file, and what `init` reads and writes at the project's top.

A planted entry is plain data (`Planted`), so Hypothesis shrinks it and a reproducer
names it; the harness (tests/fuzzing/harness.py) makes it in the scratch project. Every
command must refuse what leads out of its folder or is not a regular file, in one line,
without waiting on a FIFO (the harness's deadline turns a wait into a failure), without
printing what an outward link points at (OUTSIDE_SECRET) and without changing a file
outside the project.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from hypothesis import strategies as st

from tests.fuzzing.environments import FUZZ_ENV
from tests.fuzzing.vocabulary import ENV_NAMES

# The folder beside the scratch project that outward links point into, and what it holds.
OUTSIDE = "outside"
OUTSIDE_SECRET = "fuzz-outside-secret-7f3e9a1c5b"
OUTSIDE_FILES = {
    "secret.env": f"STOLEN_TOKEN={OUTSIDE_SECRET}\n".encode(),
    "secret.json": f'{{"name": "{OUTSIDE_SECRET}"}}\n'.encode(),
    "secret.toml": f'[project]\nname = "{OUTSIDE_SECRET}"\n'.encode(),
}
FRESH = ("fresh", "fresh-generated")  # the folders the fuzzed `init` writes into


@dataclass(frozen=True)
class Planted:
    """A symlink (`kind` "link", pointing at `target`), a FIFO or a socket.

    A link's target is symbolic, resolved by the harness in the scratch project:
    `@outside/NAME` (a file of OUTSIDE_FILES) or `@outside` (that folder), `@inside/PATH`
    (a path in the project, there or not), `@self` (the link itself: a loop), or an
    absolute path such as /dev/zero."""

    kind: Literal["link", "fifo", "socket"]
    target: str = ""

    def describe(self) -> str:
        """How a reproducer names it."""
        return f"a symlink to {self.target}" if self.kind == "link" else f"a {self.kind}"


_GENERATED_FILES = ("vercel.json", "next.config.ts", ".env.example", "env.manifest.json")
_SITE = "site"

# The paths each group of commands reads or writes, where a link or a FIFO is planted.
PLACES: dict[str, tuple[str, ...]] = {
    "environments": (
        *(f"environments/{name}.toml" for name in [*ENV_NAMES, FUZZ_ENV]),
        "environments",
    ),
    "generated": (
        *(f"generated/{env}/{name}" for env in ENV_NAMES for name in _GENERATED_FILES),
        *(f"generated/{env}" for env in ENV_NAMES),
        "generated",
    ),
    "site": (
        *(f"{_SITE}/{name}" for name in ("vercel.json", ".env", ".env.local", "next.config.js")),
        _SITE,
    ),
    "dotenv": ("values.env",),
    "init": (
        ".env.example",
        "vercel.json",
        "next.config.js",
        "schemas",
        "schemas/environment.schema.json",
        *FRESH,
    ),
}

_KERNEL = ("/dev/zero", "/dev/null", "/proc/self/environ", "/proc/self/status")


def _inside(group: str) -> st.SearchStrategy[str]:
    """A link target in the project: a path of the same group (there or not), or a
    bundled environment file."""
    paths = [*PLACES[group], "environments/production.toml", "nowhere/missing"]
    return st.sampled_from(paths).map(lambda path: f"@inside/{path}")


def links(group: str) -> st.SearchStrategy[Planted]:
    """A symlink planted among `group`'s paths: out of the project (to a file holding
    OUTSIDE_SECRET, or the folder), into it, dangling, a loop, or a kernel file."""
    targets = st.one_of(
        st.sampled_from([f"@{OUTSIDE}/{name}" for name in OUTSIDE_FILES] + [f"@{OUTSIDE}"]),
        _inside(group),
        st.just("@self"),
        st.sampled_from(_KERNEL),
    )
    return targets.map(lambda target: Planted("link", target))


SPECIALS = st.one_of(
    st.sampled_from([Planted("fifo"), Planted("socket")]),
    st.sampled_from(_KERNEL).map(lambda target: Planted("link", target)),
)


@st.composite
def planted(
    draw: st.DrawFn, group: str, kinds: st.SearchStrategy[Planted] | None = None
) -> tuple[tuple[str, Planted], ...]:
    """One or two of `group`'s paths, each replaced by a planted entry of `kinds` (by
    default, links for that group)."""
    paths = draw(st.lists(st.sampled_from(PLACES[group]), min_size=1, max_size=2, unique=True))
    entries = links(group) if kinds is None else kinds
    return tuple((path, draw(entries)) for path in sorted(paths, key=len, reverse=True))

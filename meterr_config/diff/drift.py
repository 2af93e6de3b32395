"""The drift gate: compare what the models render with the files on disk."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from meterr_config.errors import InputError, Location, printable
from meterr_config.limits import MAX_BYTES, MAX_DEPTH, MAX_DIFF_LINES, too_deep
from meterr_config.load import LoadedEnvironment
from meterr_config.paths import present, read_inside, unlinked
from meterr_config.redact import redact, redact_places
from meterr_config.secretshapes import (
    SECRET_NAME,
    is_placeholder,
    looks_random,
    looks_secret,
    secret_shaped,
)

if TYPE_CHECKING:  # the diff engine is imported only when a vercel.json has drifted
    from meterr_config.diff.engine import Change

DriftKind = Literal["changed", "missing", "extra"]


@dataclass(frozen=True)
class FileDrift:
    """One file that differs: changed on disk, missing from disk, or on disk but not rendered.

    `changes` holds the same keyed, redacted records as `diff` for vercel.json; `diff` the
    unified text diff of any changed file.
    """

    path: str
    kind: DriftKind
    environment: str | None
    diff: tuple[str, ...] = ()
    changes: tuple[Change, ...] = ()

    def __post_init__(self) -> None:
        # A committed file's name may hold a newline or `::error`: it is shown, not obeyed.
        object.__setattr__(self, "path", printable(self.path))


def _changes(name: str, on_disk: bytes, rendered: bytes) -> tuple[Change, ...]:
    """vercel.json drift as diff-engine changes (on disk -> rendered), when it still parses."""
    if name != "vercel.json":
        return ()
    try:
        disk = json.loads(on_disk)
    except ValueError:
        return ()
    if not isinstance(disk, dict):
        return ()
    from meterr_config.diff.engine import diff
    from meterr_config.snapshot import Snapshot

    known = frozenset({"vercel.json"})
    left = Snapshot(name="on disk", source="dir", vercel=disk, knows=known)
    right = Snapshot(name="rendered", source="env", vercel=json.loads(rendered), knows=known)
    return tuple(diff(left, right))


def _text(data: bytes) -> list[str]:
    return data.decode("utf-8", errors="replace").splitlines()


def _unified(path: str, on_disk: bytes, rendered: bytes, secrets: frozenset[str]) -> list[str]:
    lines = difflib.unified_diff(
        _text(on_disk),
        _text(rendered),
        f"{path} (on disk)",
        f"{path} (rendered)",
        lineterm="",
    )
    out = list(_redacted(list(lines), secrets, Path(path).name.startswith(".env")))
    if not out:  # the lines are equal: only line endings or the final newline differ
        out = [f"(whitespace only: {_whitespace_difference(on_disk, rendered)})"]
    if len(out) > MAX_DIFF_LINES:
        out = [*out[:MAX_DIFF_LINES], f"… {len(out) - MAX_DIFF_LINES} more lines not shown"]
    return out


_PEM = re.compile(r"-----(BEGIN|END) [A-Z ]*PRIVATE KEY-----")
_QUOTED = re.compile(r"""(["'`])((?:(?!\1)[^\\]|\\.)*)\1""")


def _redacted(lines: list[str], secrets: frozenset[str], dotenv: bool) -> Iterator[str]:
    """The diff's lines with every secret value replaced: a hand edit may have put a
    real key into a generated file (a new `STRIPE_SECRET_KEY=sk_live_…` line in
    .env.example, a PEM block, a token in vercel.json), and the gate must not echo it
    into a CI log. Variables named or shaped like secrets, quoted strings shaped like
    credentials, and every line inside a private key block are redacted."""
    in_key = False
    for line in lines:
        sign, body = line[:1], line[1:]
        if line.startswith(("--- ", "+++ ", "@@ ")):
            yield line
            continue
        marker = _PEM.search(body)
        if in_key or marker:
            if marker:  # the block goes on after BEGIN, and ends with END
                in_key = marker.group(1) == "BEGIN"
            yield f"{sign}{redact(body)}" if body.strip() else line
            continue
        if dotenv:
            body = _dotenv_line(body, secrets)
        body = _NAMED.sub(_named, body)
        yield sign + redact_places(_QUOTED.sub(_quoted, body))


# A `NAME=value` line of a generated .env.example, as a hand edit may leave it.
_DOTENV_LINE = re.compile(r"^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)(.*)$")


def _dotenv_line(body: str, secrets: frozenset[str]) -> str:
    match = _DOTENV_LINE.match(body)
    if match is None or not match.group(4):
        return body
    name, value = match.group(2), match.group(4)
    if name in secrets or looks_secret(name, value) or secret_shaped(value):
        return f"{match.group(1)}{name}{match.group(3)}{redact(value)}"
    return body


# `const dbPassword = "…"`, `"apiKey": "…"`, `token: '…'`: a string given to a name
# that says secret, in next.config.ts or vercel.json.
_NAMED = re.compile(r"""([A-Za-z_$][\w$-]*)(["']?\s*[:=]\s*)(["'`])((?:(?!\3)[^\\]|\\.)*+)\3""")


# The fields of a header, `has` or `missing` entry: "key" names a header, not a secret.
_ENTRY_FIELDS = frozenset({"key", "value", "type"})


def _named(match: re.Match[str]) -> str:
    name, value = match.group(1), match.group(4)
    generic = name.lower() in _ENTRY_FIELDS  # {"key": "X-Frame-Options", "value": …}
    if generic or not value or not SECRET_NAME.search(name) or is_placeholder(value):
        return match.group()
    quote = match.group(3)
    return f"{name}{match.group(2)}{quote}{redact(value)}{quote}"


def _quoted(match: re.Match[str]) -> str:
    text = match.group(2)
    if secret_shaped(text) or looks_random(text, 32):
        return f"{match.group(1)}{redact(text)}{match.group(1)}"
    return match.group()


def _whitespace_difference(on_disk: bytes, rendered: bytes) -> str:
    if b"\r\n" in on_disk and b"\r\n" not in rendered:
        return "the file on disk has CRLF line endings; the rendered file uses LF"
    if on_disk.rstrip(b"\n") == rendered.rstrip(b"\n"):
        return "the final newline differs"
    return "line endings or trailing whitespace differ"


def _read(path: Path, root: Path, limit: int) -> bytes:
    """A generated file as environment files are read: a regular file opened without
    following links (a link or FIFO swapped in after the check is refused), at most
    `limit` bytes (MAX_BYTES, or twice what was rendered, for a big environment's
    manifest), and a JSON file no deeper than MAX_DEPTH (the keyed diff recurses), or
    one line and exit 2."""
    data = read_inside(path, root, "output folder", limit)
    if path.suffix == ".json":
        try:
            deep = too_deep(json.loads(data))
        except RecursionError:
            deep = True
        except ValueError:  # not JSON: drift, shown line by line
            deep = False
        if deep:
            raise InputError(
                f"tables or arrays nested more than {MAX_DEPTH} levels deep; no config is",
                Location(str(path)),
            )
    return data


def _secret_names(loaded: LoadedEnvironment) -> frozenset[str]:
    return frozenset(name for name, var in loaded.model.env.items() if var.secret)


def environment_drift(
    loaded: LoadedEnvironment, rendered: dict[str, bytes], root: Path
) -> list[FileDrift]:
    """Drift of one environment's folder under the output root against its artifacts.

    A committed file that a symlink leads outside the root is refused, never read: its
    diff would print whatever it points at.
    """
    out: list[FileDrift] = []
    secrets = _secret_names(loaded)
    folder = root / loaded.name
    for name, data in rendered.items():
        path = folder / name
        if not present(path):
            out.append(FileDrift(str(path), "missing", loaded.name))
            continue
        unlinked(path, root)  # render would refuse it: the gate must not pass it
        on_disk = _read(path, root, max(MAX_BYTES, 2 * len(data)))
        if on_disk != data:
            lines = tuple(_unified(str(path), on_disk, data, secrets))
            changes = _changes(name, on_disk, data)
            out.append(FileDrift(str(path), "changed", loaded.name, lines, changes))
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.name not in rendered:
                out.append(FileDrift(str(path), "extra", loaded.name))
    return out


def extra_environments(out_dir: Path, names: set[str]) -> list[FileDrift]:
    """Folders under the output root that no environment renders to."""
    if not out_dir.is_dir():
        return []
    return [
        FileDrift(str(path), "extra", None)
        for path in sorted(out_dir.iterdir())
        if path.name not in names
    ]

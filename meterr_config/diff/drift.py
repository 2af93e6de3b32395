"""The drift gate: compare what the models render with the files on disk."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from meterr_config.load import LoadedEnvironment
from meterr_config.paths import unlinked
from meterr_config.redact import redact_dotenv_line

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
    out = list(lines)
    if Path(path).name.startswith(".env"):
        # A hand-edited .env.example may hold a real secret: never echo it back.
        out = [line[0] + redact_dotenv_line(line[1:], secrets) for line in out]
    if not out:  # the lines are equal: only line endings or the final newline differ
        out = [f"(whitespace only: {_whitespace_difference(on_disk, rendered)})"]
    return out


def _whitespace_difference(on_disk: bytes, rendered: bytes) -> str:
    if b"\r\n" in on_disk and b"\r\n" not in rendered:
        return "the file on disk has CRLF line endings; the rendered file uses LF"
    if on_disk.rstrip(b"\n") == rendered.rstrip(b"\n"):
        return "the final newline differs"
    return "line endings or trailing whitespace differ"


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
        if not path.is_file():
            out.append(FileDrift(str(path), "missing", loaded.name))
            continue
        unlinked(path, root)  # render would refuse it: the gate must not pass it
        on_disk = path.read_bytes()
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

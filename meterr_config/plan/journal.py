"""The journal of one apply: a JSON line per request, appended and synced as each one
ends, so a process killed mid-apply leaves what it did. No value is ever written: the
operation, the key and targets, the record id, the result, the HTTP status and
Vercel's request id (`x-vercel-id`, what Vercel's support asks for)."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from meterr_config.errors import InputError, Location


class Journal:
    """`<state>/journal/<UTC time>-<project>.jsonl`, opened for appending."""

    def __init__(self, folder: Path, project: str) -> None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in project)
        self.path = folder / "journal" / f"{stamp}-{safe}.jsonl"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        except OSError as exc:
            raise InputError(
                f"cannot write the journal ({exc.strerror})", Location(str(self.path))
            ) from None

    def write(self, **entry: Any) -> None:
        """One line, synced before the next request goes out."""
        entry = {"time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"), **entry}
        os.write(self._fd, (json.dumps(entry, sort_keys=True) + "\n").encode())
        os.fsync(self._fd)

    def close(self) -> None:
        os.close(self._fd)

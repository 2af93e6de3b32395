"""State sources: `env:NAME`, `dir:PATH` and `dotenv:PATH`, each producing Snapshots or values."""

from __future__ import annotations

from meterr_config.errors import InputError

KINDS = ("env", "dir", "dotenv", "vercel", "url", "process")


def parse_source(text: str) -> tuple[str, str]:
    """`KIND:ARG` -> (kind, arg); a bare NAME means `env:NAME`."""
    kind, sep, arg = text.partition(":")
    if not sep:
        return "env", text
    if kind not in KINDS:
        raise InputError(f"unknown source kind '{kind}' in '{text}' (known: {', '.join(KINDS)})")
    if not arg and kind != "process":
        raise InputError(f"source '{text}' needs a value after '{kind}:'")
    return kind, arg

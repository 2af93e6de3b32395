"""What import does with next.config keys the target Next.js ignores: it leaves them out
(Next ignores them), where carrying them would make the rendered, typed next.config.ts
fail `next build`'s type check: an experimental one as a fix, a top-level one as not
carried over, since a plugin (whose wrapper the import cannot carry) may read it."""

from __future__ import annotations

from meterr_config.importer.next_config import import_next
from meterr_config.importer.notes import Notes


def _import(user: dict[str, object]) -> tuple[dict[str, object], list[str]]:
    notes = Notes("next.config.js")
    tables = import_next({"userConfig": user}, notes, True, (16, 4))
    return tables["nextjs"], [note.line() for note in notes.items]


def test_keys_next_does_not_have_are_left_out_as_fixes() -> None:
    nextjs, lines = _import({"experimental": {"images": {"unoptimized": True}}, "pwa": {}})
    assert nextjs == {}
    assert lines == [
        "next.config.js: experimental.images: fixed: not a Next.js 16.4 key, so Next "
        "ignores it; left out",
        "next.config.js: pwa: not carried over: not a Next.js 16.4 key: Next ignores it, but a "
        "plugin may read it (the rendered config has none); left out",
    ]


def test_a_key_of_the_version_is_still_kept_verbatim_with_passthrough() -> None:
    nextjs, lines = _import({"productionBrowserSourceMaps": True})
    assert nextjs == {"passthrough": {"productionBrowserSourceMaps": True}}
    assert lines == ["next.config.js: productionBrowserSourceMaps: kept verbatim: not modelled"]

"""Vendored schemas: checksums match, and the derived key list matches its source."""

from __future__ import annotations

import importlib.util
import json
from types import ModuleType

from tests.conftest import ROOT

VENDOR = ROOT / "schemas" / "vendor"


def _refresh_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("refresh", ROOT / "schemas" / "refresh.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sha256sums_match_the_files() -> None:
    assert (VENDOR / "SHA256SUMS").read_text() == _refresh_module().checksums(VENDOR)


def test_toplevel_keys_are_derived_from_the_types_file() -> None:
    refresh = _refresh_module()
    types_source = (VENDOR / "vercel-config-0.7.2.types.d.ts").read_text()
    derived = json.loads((VENDOR / "vercel-toplevel-keys.json").read_text())["keys"]
    assert derived == refresh.toplevel_keys(types_source)
    assert {"crons", "functions", "headers", "regions", "framework"} <= set(derived)
    assert "public" not in derived


def test_every_vendored_file_has_a_licence_entry() -> None:
    readme = (VENDOR / "README.md").read_text()
    for path in VENDOR.iterdir():
        if path.is_file() and path.name not in ("README.md", "SHA256SUMS"):
            assert f"`{path.name}`" in readme, path.name
    assert "`nextjs/schema-<version>.json`" in readme

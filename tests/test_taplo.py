"""The environment files' `#:schema` line works in taplo, the TOML language server's CLI
(from PyPI): the bundled files pass, and a misspelt key or a wrong type is caught."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

TAPLO = Path(sys.executable).parent / "taplo"


def _check(folder: Path) -> subprocess.CompletedProcess[str]:
    files = sorted(str(p) for p in (folder / "environments").glob("*.toml"))
    return subprocess.run(
        [str(TAPLO), "check", *files], cwd=folder, capture_output=True, text=True, timeout=120
    )


def test_taplo_accepts_the_bundled_environments() -> None:
    result = _check(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_taplo_reports_what_the_schema_forbids(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "environments", tmp_path / "environments")
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    production = tmp_path / "environments" / "production.toml"
    text = production.read_text().replace("allowed_origins = ", "alowed_origins = ")
    production.write_text(text.replace('target = "production"', "target = 7"))
    result = _check(tmp_path)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "'alowed_origins' was unexpected" in output
    assert '7 is not of type "string"' in output

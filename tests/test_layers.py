"""The layering contract: import-linter keeps it, fails on a violating import, and
ARCHITECTURE.md describes the same layers and leaves as pyproject.toml checks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGE = ROOT / "meterr_config"


def _contracts() -> dict[str, Any]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return {contract["id"]: contract for contract in config["contracts"]}


def _layers() -> list[list[str]]:
    return [
        [part.strip() for part in layer.split("|")] for layer in _contracts()["layers"]["layers"]
    ]


def _leaves() -> list[str]:
    return [m.removeprefix("meterr_config.") for m in _contracts()["leaves"]["source_modules"]]


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports with the project's contracts, on the package copy under `root`."""
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    shutil.copytree(
        PACKAGE, tmp_path / "meterr_config", ignore=shutil.ignore_patterns("__pycache__")
    )
    return tmp_path


def test_the_package_keeps_both_contracts(package_copy: Path) -> None:
    result = _lint_imports(package_copy)
    assert result.returncode == 0, result.stdout
    assert "Contracts: 2 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "imported", "contract"),
    [
        # The one exception the old layout had: a reporter reaching into commands.
        ("reporters/sarif.py", "meterr_config.commands.rules", "Layers"),
        # A stage importing the stage above it.
        ("render/__init__.py", "meterr_config.lint.engine", "Layers"),
        # Independent siblings: lint and diff may not import each other.
        ("diff/engine.py", "meterr_config.lint.score", "Layers"),
        # A shared leaf importing a subpackage.
        ("snapshot.py", "meterr_config.models", "Shared leaves"),
    ],
)
def test_a_violating_import_breaks_the_contract(
    package_copy: Path, module: str, imported: str, contract: str
) -> None:
    path = package_copy / "meterr_config" / module
    text = path.read_text()
    head, sep, rest = text.partition("from __future__ import annotations\n")
    path.write_text(f"{head}{sep}\nimport {imported}  # noqa: F401\n{rest}")
    result = _lint_imports(package_copy)
    assert result.returncode == 1
    assert "Contracts: 1 kept, 1 broken." in result.stdout
    assert re.search(rf"^{contract}[^\n]* BROKEN$", result.stdout, re.M)
    importer = "meterr_config." + module.removesuffix(".py").removesuffix("/__init__").replace(
        "/", "."
    )
    assert f"{importer} -> {imported}" in result.stdout


def test_every_top_level_module_is_a_layer_or_a_declared_leaf() -> None:
    """A new loose module must be placed: in a stage folder, or declared a shared leaf
    (which the forbidden contract then keeps from importing any subpackage)."""
    layered = {name for layer in _layers() for name in layer}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    entry = {"cli", "console"}  # the two top layers are modules, not packages
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"} - entry
    assert packages == layered - entry
    assert modules == set(_leaves())


def _architecture_section(title: str) -> str:
    text = (ROOT / "ARCHITECTURE.md").read_text()
    match = re.search(rf"^## {title}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"ARCHITECTURE.md has no '## {title}' section"
    return match.group(1)


def test_architecture_md_lists_the_layers_of_the_contract() -> None:
    rows = re.findall(r"^\| (\d+) \| ([^|]+) \|", _architecture_section("Layers"), re.M)
    documented = [[name.strip(" `") for name in names.split(",")] for _, names in rows]
    assert documented == _layers()


def import_table() -> str:
    """The package-to-package direct imports as a Markdown table, layers in order, the
    shared leaves as one column."""
    import grimp

    graph = grimp.build_graph("meterr_config")
    packages = [name for layer in _layers() for name in layer]

    def imports(importer: str, imported: list[str]) -> bool:
        return any(
            graph.direct_import_exists(
                importer=f"meterr_config.{importer}",
                imported=f"meterr_config.{name}",
                as_packages=True,
            )
            for name in imported
            if name != importer
        )

    columns = [*packages, "leaves"]
    lines = [
        "| imports → | " + " | ".join(columns) + " |",
        "| --- |" + " :-: |" * len(columns),
    ]
    for row in packages:
        cells = [imports(row, [column]) for column in packages] + [imports(row, _leaves())]
        lines.append(f"| {row} | " + " | ".join("●" if cell else "" for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def test_architecture_md_shows_the_imports_the_code_has() -> None:
    """Regenerate with `python -m tests.test_layers` after a change of layering."""
    text = (ROOT / "ARCHITECTURE.md").read_text()
    shown = text.split("<!-- imports:start -->\n", 1)[1].split("<!-- imports:end -->", 1)[0]
    assert shown == import_table()


def test_architecture_md_lists_the_shared_leaves() -> None:
    listed = re.findall(r"^- `(\w+)`", _architecture_section("Shared leaves"), re.M)
    assert sorted(listed) == sorted(_leaves())


if __name__ == "__main__":  # rewrite the import table in ARCHITECTURE.md
    path = ROOT / "ARCHITECTURE.md"
    head, rest = path.read_text().split("<!-- imports:start -->\n", 1)
    tail = rest.split("<!-- imports:end -->", 1)[1]
    path.write_text(f"{head}<!-- imports:start -->\n{import_table()}<!-- imports:end -->{tail}")

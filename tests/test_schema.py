"""The exported environment schema: committed copy current, and it accepts the bundled files."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from meterr_config.commands.schema import environment_schema, schema_bytes
from tests.conftest import ENVIRONMENTS, FIXTURES, ROOT, Runner

COMMITTED = ROOT / "schemas" / "environment.schema.json"
FILES = sorted(ENVIRONMENTS.glob("*.toml")) + sorted((FIXTURES / "kitchen").glob("*.toml"))


def test_committed_schema_is_current() -> None:
    assert COMMITTED.read_bytes() == schema_bytes(), "run `meterr-config schema` and commit"


def test_schema_is_a_valid_json_schema() -> None:
    Draft202012Validator.check_schema(environment_schema())


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_environment_files_validate_against_the_schema(path: Path) -> None:
    validator = Draft202012Validator(environment_schema())
    errors = list(validator.iter_errors(tomllib.loads(path.read_text())))
    assert errors == []


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_environment_files_start_with_a_schema_line(path: Path) -> None:
    first = path.read_text().splitlines()[0]
    assert first.startswith("#:schema ")
    target = (path.parent / first.removeprefix("#:schema ")).resolve()
    assert target == COMMITTED


def test_schema_rejects_typos_and_describes_every_key() -> None:
    schema = environment_schema()
    validator = Draft202012Validator(schema)
    assert list(validator.iter_errors({"cors": {"alowed_origins": []}}))
    for name, definition in schema["$defs"].items():
        for key, prop in definition.get("properties", {}).items():
            assert prop.get("description"), f"{name}.{key} has no description"


def test_schema_command_writes_and_prints(cli: Runner, workdir: Path) -> None:
    result = cli("schema", "--out", "out/env.schema.json")
    assert result.code == 0
    assert (workdir / "out" / "env.schema.json").read_bytes() == schema_bytes()
    assert cli("schema", "--out", "-").out.encode() == schema_bytes()


def test_every_key_has_a_description_and_every_enum_its_values() -> None:
    """Editors (taplo, Even Better TOML) show these while environment files are written."""
    import json

    schema = json.loads((ROOT / "schemas" / "environment.schema.json").read_text())
    defs = schema["$defs"]
    undocumented, enums = [], 0

    def walk(node: object, where: str) -> None:
        nonlocal enums
        if isinstance(node, dict):
            for name, prop in (node.get("properties") or {}).items():
                ref = prop.get("$ref", "").rsplit("/", 1)[-1]
                if "description" not in prop and "description" not in defs.get(ref, {}):
                    undocumented.append(f"{where}.{name}")
            if "enum" in node:
                enums += 1
                assert node["enum"], where
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    walk(schema, "")
    assert undocumented == []
    assert enums >= 10

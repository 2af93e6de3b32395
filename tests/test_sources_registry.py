"""The source registry: one row per kind, from which help, completion and errors derive."""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path

import pytest

from meterr_config.errors import InputError
from meterr_config.snapshot import EnvEntry, Snapshot
from meterr_config.sources import registry
from meterr_config.sources.registry import KINDS, Context, Kind
from meterr_config.sources.values import values_source
from tests.conftest import ROOT, Runner
from tests.fuzzing.harness import run_cli as in_process

SOURCES = ROOT / "meterr_config" / "sources"
# Modules under sources/ that are not a kind: the registry itself, the --values logic,
# the Vercel API client the vercel: source (and later apply) uses with its shape reader
# and deployment reader, and the bounded HTTP exchange both network sources share.
NOT_KINDS = {
    "__init__",
    "registry",
    "values",
    "vercel_api",
    "vercel_shape",
    "vercel_deploy",
    "http",
    "pg",
}


def test_every_module_under_sources_is_one_row() -> None:
    modules = {p.stem for p in SOURCES.glob("*.py")} - NOT_KINDS
    assert sorted(kind.module for kind in KINDS.values()) == sorted(modules)


@pytest.mark.parametrize("kind", list(KINDS.values()), ids=list(KINDS))
def test_each_row_names_the_readers_its_module_has(kind: Kind) -> None:
    module = importlib.import_module(f"meterr_config.sources.{kind.module}")
    expected = {
        "read": kind.state and not kind.guided,
        "read_guided": kind.guided,
        "values": kind.values,
    }
    assert {name: callable(getattr(module, name, None)) for name in expected} == expected


def test_the_help_lists_the_kinds_from_the_registry(cli: Runner) -> None:
    lint = cli("lint", "--help").out
    diff = cli("diff", "--help").out
    for kind in registry.state_kinds():
        assert kind.metavar in diff
        assert (kind.metavar in lint) == (not kind.guided)
        assert kind.help in " ".join(diff.split())
    assert "dotenv:PATH, process or exec:COMMAND" in " ".join(lint.split())


def test_unknown_kinds_name_the_known_ones(cli: Runner) -> None:
    result = cli("diff", "ftp:x", "production")
    known = ", ".join(kind.name for kind in registry.state_kinds())
    assert result.code == 2
    assert (
        result.err
        == f"meterr-config: error: unknown source kind 'ftp' in 'ftp:x' (known: {known})\n"
    )
    assert "did you mean url:https://x.example?" in cli("diff", "https://x.example", "staging").err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("dir:", "source 'dir:' needs a value after 'dir:' (dir:PATH)"),
        ("url:http://127.0.0.1:9", "needs one to compare with: diff env:NAME url:URL"),
        ("process:", "unknown source kind 'process'"),
    ],
)
def test_what_lint_cannot_read_is_one_line(cli: Runner, text: str, message: str) -> None:
    result = cli("lint", text)
    assert result.code == 2
    assert message in result.err
    assert result.err.count("\n") == 1


def test_a_bare_name_is_always_an_environment() -> None:
    assert registry.parse_state("process") == (KINDS["env"], "process")
    assert registry.parse_state("staging") == (KINDS["env"], "staging")


@pytest.mark.parametrize(
    ("spec", "ok"),
    [
        ("process", True),
        ("dotenv:.env", True),
        ("process:x", False),
        ("dotenv", False),
        ("dotenv:", False),
        ("env:production", False),
        ("sk-live-secret", False),
    ],
)
def test_values_sources_come_from_the_registry(spec: str, ok: bool) -> None:
    if ok:
        kind, _ = values_source(spec)
        assert kind.values
        return
    with pytest.raises(InputError) as raised:
        values_source(spec)
    assert raised.value.message == (  # the same words whatever was given: never echoed
        f"--values takes {registry.values_help()} "
        "(what was given is not repeated: it may be a secret)"
    )


def test_completion_of_each_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "environments").mkdir()
    for name in ("base", "production", "staging"):
        (tmp_path / "environments" / f"{name}.toml").write_text("")
    (tmp_path / "generated" / "production").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".env.local").write_text("")
    monkeypatch.chdir(tmp_path)
    folder = Path("environments")
    prefixes = [f"{kind.name}:" for kind in registry.state_kinds()]
    assert registry.complete("", folder) == ["base", "production", "staging", *prefixes]
    assert registry.complete("st", folder) == ["staging"]
    assert registry.complete("env:p", folder) == ["env:production"]
    assert registry.complete("d", folder) == ["dir:", "dotenv:", "db:"]
    assert registry.complete("db:s", folder) == ["db:staging"]
    assert registry.complete("dir:", folder) == ["dir:environments/", "dir:generated/"]
    assert registry.complete("dir:generated/", folder) == ["dir:generated/production/"]
    assert registry.complete("dir:.", folder) == ["dir:.git/"]
    assert registry.complete("dotenv:", folder) == [
        "dotenv:.env.local",
        "dotenv:environments/",
        "dotenv:generated/",
    ]
    assert registry.complete("vercel:", folder) == []


def test_completion_through_the_shell_protocol(cli: Runner) -> None:
    result = cli(
        env={
            "_METERR_CONFIG_COMPLETE": "complete_bash",
            "COMP_WORDS": "meterr-config diff env:pr",
            "COMP_CWORD": "2",
            "PATH": "/usr/bin:/bin",
        }
    )
    assert result.out.split() == ["env:production"]


def _fake_read(arg: str, context: Context) -> Snapshot:
    """A kind written for this test: one variable named by the argument."""
    entry = EnvEntry(name=arg, secret=False, public=False, value="1", declared=False)
    return Snapshot(name=f"fake:{arg}", source="fake", env={arg: entry}, knows=frozenset({"env"}))


def test_a_new_kind_is_a_module_and_a_row(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the next sources (db:, …) need: a module and a row, nothing else."""
    module = types.ModuleType("meterr_config.sources.fake")
    module.read = _fake_read  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "meterr_config.sources.fake", module)
    monkeypatch.setitem(KINDS, "fake", Kind("fake", "fake", "fake:NAME", "made up by a test"))
    result = in_process(["diff", "fake:ONE", "fake:TWO"], workdir)
    assert (result.code, result.err) == (1, "")
    assert result.out.splitlines()[:3] == [
        "env",
        '  - ONE: {"value": "1"}  (unexpected)',
        '  + TWO: {"value": "1"}  (unexpected)',
    ]

"""The entry point's fast `--help`: the same bytes typer prints, without importing typer.

`meterr_config/help.txt` is typer's top-level help at 80 columns; after a change to the
commands or the root options, regenerate it with
`UPDATE_GOLDEN=1 python -m pytest tests/test_entry.py`.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys

import pytest

from meterr_config import __main__ as entry
from meterr_config import cli
from tests.conftest import ROOT


def _typer_help(columns: int) -> str:
    """What typer prints for `meterr-config --help` at this width."""
    saved_argv, saved_columns = sys.argv, os.environ.get("COLUMNS")
    out = io.StringIO()
    sys.argv = ["meterr-config", "--help"]
    os.environ["COLUMNS"] = str(columns)
    try:
        with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exited:
            cli.main()
        assert exited.value.code == 0
    finally:
        sys.argv = saved_argv
        if saved_columns is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = saved_columns
    return out.getvalue()


def test_help_txt_is_what_typer_prints() -> None:
    typer = _typer_help(entry.HELP_WIDTH)
    if os.environ.get("UPDATE_GOLDEN"):
        entry.HELP.write_text(typer, encoding="utf-8")
    assert entry.HELP.read_text(encoding="utf-8") == typer
    assert _typer_help(200) == typer  # click stops widening at 80 columns


def _script(*args: str, columns: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = columns
    probe = (
        "import sys; from meterr_config.__main__ import main\n"
        "try:\n    main()\nfinally:\n"
        "    print('typer' in sys.modules, file=sys.stderr)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", probe, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("option", ["--help", "-h"])
def test_the_script_prints_it_without_typer(option: str) -> None:
    result = _script(option, columns="120")
    assert (result.returncode, result.stderr) == (0, "False\n")
    assert result.stdout == entry.HELP.read_text(encoding="utf-8")


def test_a_narrow_terminal_gets_typer_wrapping_it() -> None:
    result = _script("--help", columns="60")
    assert (result.returncode, result.stderr) == (0, "True\n")
    assert result.stdout == _typer_help(60)
    assert result.stdout != entry.HELP.read_text(encoding="utf-8")


def test_anything_else_goes_to_typer() -> None:
    result = _script("--version", columns=None)
    assert result.returncode == 0
    assert result.stderr == "True\n"
    assert result.stdout.startswith("meterr-config ")


def test_pydantic_plugins_are_off_unless_asked_for() -> None:
    probe = (
        "import os, sys; sys.argv = ['meterr-config', '--version']\n"
        "from meterr_config.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(os.environ.get('PYDANTIC_DISABLE_PLUGINS'), file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    off = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert off.stderr == "__all__\n"
    env["PYDANTIC_DISABLE_PLUGINS"] = "logfire"
    kept = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert kept.stderr == "logfire\n"


def test_the_stub_plugin_loader_answers_as_pydantic_s_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """With PYDANTIC_DISABLE_PLUGINS=__all__ pydantic's loader returns no plugins, and
    `get_plugins` is all pydantic takes from it: the stub can stand in for it."""
    import importlib.util
    import inspect

    from pydantic.plugin import _loader, _schema_validator

    assert _loader.__name__ == entry.PLUGIN_LOADER
    assert importlib.util.find_spec(entry.PLUGIN_LOADER) is not None
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "__all__")
    assert list(_loader.get_plugins()) == []
    source = inspect.getsource(_schema_validator)
    assert source.count("_loader") == 1
    assert "from ._loader import get_plugins\n" in source
    monkeypatch.delitem(sys.modules, entry.PLUGIN_LOADER)
    entry.no_pydantic_plugins()
    assert sys.modules[entry.PLUGIN_LOADER].get_plugins() == ()

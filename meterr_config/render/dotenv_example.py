"""`.env.example`: every variable with a comment saying what it is; secrets left empty."""

from __future__ import annotations

import re

from meterr_config.load import LoadedEnvironment
from meterr_config.models.variables import Variable, variables

_SAFE = re.compile(r"^[A-Za-z0-9_./:@,+=-]*$")


def quote(value: str) -> str:
    """Quote a value for dotenv parsers when it holds anything beyond safe characters."""
    if _SAFE.match(value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _describe(var: Variable) -> str:
    notes = [var.description.rstrip(".")] if var.description else []
    if var.secret:
        rule = "secret"
        if var.format:
            rule += f", format {var.format}"
        if var.min_length:
            rule += f", at least {var.min_length} characters"
        notes.append(rule)
    if var.flag:
        notes.append(f"feature flag {var.flag}")
    if not var.required:
        notes.append("optional")
    return "# " + "; ".join(notes) + "." if notes else ""


def render_env_example(loaded: LoadedEnvironment, header: list[str]) -> bytes:
    """Header comment, then one commented `NAME=value` block per variable, sorted."""
    lines = [f"# {line}" for line in header]
    lines.append(
        "# Secrets are left empty: fill them from your secret store and never commit them."
    )
    for var in variables(loaded.model):
        lines.append("")
        if comment := _describe(var):
            lines.append(comment)
        value = "" if var.secret or var.value is None else quote(var.value)
        lines.append(f"{var.name}={value}")
    return ("\n".join(lines) + "\n").encode()

"""The rules' documentation, from their docstrings: `rules ID`, docs/rules.md and SARIF help."""

from __future__ import annotations

import inspect

from meterr_config.lint.rule import Rule
from meterr_config.lint.rules import RULES


def doc(rule: Rule) -> str:
    """The rule's docstring, dedented."""
    return inspect.cleandoc(type(rule).__doc__ or "")


def summary(rule: Rule) -> str:
    """The first sentence of "What it does", whole: a rule list or SARIF's short
    description must not stop mid-phrase where the docstring's first line wraps."""
    paragraph = doc(rule).split("\n\n")[0].split("\n", 1)[-1]
    text = " ".join(paragraph.split())
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def markdown() -> str:
    """docs/rules.md: every rule's documentation, generated from the docstrings."""
    lines = [
        "# meterr-config lint rules",
        "",
        "Generated from the rule docstrings by `meterr-config rules --format markdown`.",
        "Severities are the defaults; development downgrades errors to warnings.",
        "",
        "| id | name | severity |",
        "| --- | --- | --- |",
    ]
    lines += [f"| [{r.id}](#{r.id.lower()}-{r.name}) | {r.name} | {r.severity} |" for r in RULES]
    for rule in RULES:
        body = doc(rule).replace("## ", "### ")
        lines += ["", f"## {rule.id} {rule.name}", "", body]
    return "\n".join(lines) + "\n"

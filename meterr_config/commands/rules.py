"""`meterr-config rules [ID]`: the rule list, or one rule's documentation."""

from __future__ import annotations

import inspect

from meterr_config.errors import InputError
from meterr_config.formats import EXIT_CLEAN
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


def run(rule_id: str | None, fmt: str) -> int:
    """Print the list, one rule, or the whole reference as Markdown."""
    if fmt == "markdown" and rule_id is None:
        print(markdown(), end="")
        return EXIT_CLEAN
    if rule_id is None:
        for rule in RULES:
            print(f"{rule.id:8} {rule.name:36} {rule.severity:8} {summary(rule)}")
        return EXIT_CLEAN
    by_id = {rule.id: rule for rule in RULES}
    found = by_id.get(rule_id.upper())
    if found is None:
        raise InputError(f"unknown rule '{rule_id}' (see `meterr-config rules`)")
    print(f"{found.id} {found.name} (default severity: {found.severity})\n")
    print(doc(found))
    return EXIT_CLEAN

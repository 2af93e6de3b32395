"""The rules' documentation, from their docstrings: `rules ID`, docs/rules.md and SARIF help."""

from __future__ import annotations

import inspect

from meterr_config.lint.rule import Rule
from meterr_config.lint.rules import RULES

POLICY = (
    "## Severity policy",
    "",
    "- **error**: the deployment fails (Vercel or Next.js refuses the config, or browsers",
    "  refuse what it configures on every request, such as CORS with credentials and `*`),",
    "  or a credential or private data is exposed (a committed secret, any origin allowed",
    "  to read an API, a header that turns HSTS off).",
    "- **warning**: weaker than recommended (a missing security header, an HSTS `max-age`",
    "  under a year, `*` on public static files).",
    "- **info**: it cannot be decided from here (what Vercel sends itself, headers",
    "  middleware may set, a check that had no values to run on: `not checked`, never a",
    "  pass).",
    "",
    "The table gives each rule's default; a rule that judges cases of different weight",
    "(HDR003, HDR004, CORS001, CORS004) says which is which. Development downgrades errors",
    "to warnings, except where Vercel refuses the deployment. Header and CORS rules list",
    "their sources (the platform's code, the standard, the vendor's page) under Sources.",
)


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
        "Generated from the rule docstrings by `meterr-config rules --format markdown`",
        "(`python docs/rules.py` rewrites this file and keeps its hand-written end).",
        "",
        *POLICY,
        "",
        "| id | name | severity |",
        "| --- | --- | --- |",
    ]
    lines += [f"| [{r.id}](#{r.id.lower()}-{r.name}) | {r.name} | {r.severity} |" for r in RULES]
    for rule in RULES:
        body = doc(rule).replace("## ", "### ")
        lines += ["", f"## {rule.id} {rule.name}", "", body]
    return "\n".join(lines) + "\n"

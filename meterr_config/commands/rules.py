"""`meterr-config rules [ID]`: the rule list, or one rule's documentation."""

from __future__ import annotations

from meterr_config.errors import InputError
from meterr_config.formats import EXIT_CLEAN
from meterr_config.lint.docs import doc, markdown, summary
from meterr_config.lint.rules import RULES


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

"""The rule registry: every rule, in id order. Explicit imports, no discovery by side effect."""

from __future__ import annotations

from meterr_config.lint.rule import Rule
from meterr_config.lint.rules import (
    cors,
    crons,
    environment,
    flags,
    headers,
    nextjs,
    secrets,
    vercel,
)

RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            *secrets.RULES,
            *cors.RULES,
            *headers.RULES,
            *crons.RULES,
            *vercel.RULES,
            *nextjs.RULES,
            *environment.RULES,
            *flags.RULES,
        ),
        key=lambda rule: rule.id,
    )
)

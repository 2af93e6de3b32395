"""plan's value and type refusals against the pinned Vercel CLI's own checks.

`vercel env add` checks a value with `getEnvValueWarnings` and a type with
`getDevelopmentSecretVisibilityError` and `getPublicPrefixSecretVisibilityError`
(src/util/env/validate-env.ts and src/commands/env/add.ts, bundled into
dist/commands/env/index.js). They are not exported, so the judge below takes their
source text from the bundle, as it is, and runs it with the framework list the bundle
itself loads (`require_frameworks`, from the chunk the env command imports it from).
"""

from __future__ import annotations

import random

import pytest

from meterr_config.plan.refuse import PUBLIC_PREFIXES, type_refusal, value_refusal
from meterr_config.realtools.tools import Tools
from tests.realtools.judge import judge

pytestmark = pytest.mark.realtool

CLI_CHECKS = r"""
(async () => {
  const fs = require('fs'), path = require('path');
  const dist = path.join(process.argv[1], 'node_modules/vercel/dist');
  const file = path.join(dist, 'commands/env/index.js');
  const source = fs.readFileSync(file, 'utf8');
  const from = source.match(/require_frameworks,[^}]*\}\s*from\s*"([^"]+)"/)[1];
  const frameworks = (await import(path.join(path.dirname(file), from))).require_frameworks();
  const cut = (start, end) => {
    const at = source.indexOf(start);
    if (at < 0) throw new Error('not in the bundle: ' + start);
    return source.slice(at, source.indexOf(end, at) + end.length);
  };
  const names = ['getEnvValueWarnings', 'getPublicPrefix', 'hasNonDevelopmentTarget',
    'getPublicPrefixSecretVisibilityError', 'getDevelopmentSecretVisibilityError'];
  const code = cut('var PUBLIC_PREFIXES', '];') + '\n' +
    names.map((name) => cut(`function ${name}(`, '\n}\n')).join('\n') +
    `\nreturn { PUBLIC_PREFIXES, ${names.join(', ')} };`;
  const cli = new Function('import_frameworks', code)(frameworks);
  const items = JSON.parse(fs.readFileSync(0, 'utf8'));
  process.stdout.write(JSON.stringify(items.map((item) => {
    if (item.prefixes) return cli.PUBLIC_PREFIXES;
    if (item.value !== undefined) return cli.getEnvValueWarnings(item.value).map((w) => w.message);
    const targets = [item.target];
    return [
      cli.getDevelopmentSecretVisibilityError(
        targets, { type: item.type, configSecretUiEnabled: false }),
      cli.getPublicPrefixSecretVisibilityError(item.key, { type: item.type, envTargets: targets }),
    ].filter((error) => error !== null);
  })));
})();
"""

# Our reason -> the CLI warning it is (None: a refusal of ours the CLI does not make).
SAME = {
    "is empty": "is empty",
    "holds a NUL": "contains null characters",
    "holds a newline": "contains newlines",
    "has leading or trailing whitespace": ("starts with whitespace", "ends with whitespace"),
    "is wrapped in quotes": "includes surrounding quotes (these will be stored literally)",
}
PIECES = ["a", "x9", " ", "\t", "\n", "\r", "\x00", '"', "'", "`", "\u00a0", "\x0b", "é", "="]


def _values(count: int) -> list[str]:
    rng = random.Random(count)
    values = ["", "[SENSITIVE]", '""', "''", '"a"', "a\n", "\n", " ", "\u00a0a\u00a0"]
    while len(values) < count:
        values.append("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6))))
    return values


def _one_trailing_newline(value: str) -> bool:
    """The CLI strips one trailing newline before its checks; plan refuses it."""
    return value.endswith("\n") and "\n" not in value[:-1] and "\r" not in value


def test_the_public_prefixes_are_the_cli_s(tools: Tools) -> None:
    (theirs,) = judge(tools, CLI_CHECKS, str(tools.root), [{"prefixes": True}])
    assert tuple(theirs) == PUBLIC_PREFIXES


def test_every_value_the_cli_warns_of_is_refused_for_the_same_reason(tools: Tools) -> None:
    """For 600 generated values: refused here exactly when the CLI warns, for one of its
    reasons; beyond it only [SENSITIVE] and a value ending in a single newline (the CLI
    strips that newline before storing; plan never changes a value)."""
    values = _values(600)
    theirs = judge(tools, CLI_CHECKS, str(tools.root), [{"value": v} for v in values])
    assert sum(bool(t) for t in theirs) > 200 and sum(not t for t in theirs) > 50
    for value, warnings in zip(values, theirs, strict=True):
        ours = value_refusal(value)
        if ours is None:
            assert warnings == [], repr(value)
            continue
        reason = next((same for key, same in SAME.items() if ours.startswith(key)), None)
        if reason is None:
            assert value == "[SENSITIVE]", repr(value)
            continue
        reasons = reason if isinstance(reason, tuple) else (reason,)
        if not set(reasons) & set(warnings):  # only where our one difference decides
            assert ours == "holds a newline" and _one_trailing_newline(value), (
                repr(value),
                ours,
                warnings,
            )


def test_types_the_cli_refuses_are_refused(tools: Tools) -> None:
    """Every name, type and target below: refused here exactly when the CLI refuses."""
    (prefixes,) = judge(tools, CLI_CHECKS, str(tools.root), [{"prefixes": True}])
    keys = ["API_URL", *(p + "API_URL" for p in prefixes), "next_public_x", "PUBLICX"]
    items = [
        {"key": key, "type": kind, "target": target}
        for key in keys
        for kind in ("plain", "encrypted", "sensitive")
        for target in ("production", "preview", "development", "staging")
    ]
    theirs = judge(tools, CLI_CHECKS, str(tools.root), items)
    assert any(theirs) and not all(theirs)
    for item, errors in zip(items, theirs, strict=True):
        ours = type_refusal(item["key"], item["type"], item["target"])
        assert (ours is not None) == bool(errors), (item, ours, errors)

"""NEXT001, NEXT002 and NEXT006 against Next.js 16.4.6's own config loader.

Every key that `next/dist/server/config.js` moves out of `experimental`, deprecates,
refuses or refuses in pairs (the tables are read from that file, not copied), and every
key of our REMOVED table, is loaded with the real Next (`loadConfig`,
`PHASE_PRODUCTION_BUILD`, one Node process for the whole table). What Next does with it
(refuses it, copies it to its new place, ignores it with a warning, reads it with a
deprecation warning, or accepts it) must be what our rules say it does.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest

from meterr_config.keypath import KeyPath
from meterr_config.realtools.tools import Tools
from meterr_config.validate.nextjs import DEPRECATED as READ_DEPRECATED
from meterr_config.validate.nextjs import REMOVED, next_problems
from tests.realtools.judge import judge

pytestmark = pytest.mark.realtool

# Loads each {config, new} item in its own folder; answers what Next did with it.
JUDGE = """
(async () => {
  const fs = require('fs'), os = require('os'), path = require('path');
  const root = process.argv[1];
  const { default: loadConfig } = require(root + '/node_modules/next/dist/server/config');
  const { PHASE_PRODUCTION_BUILD } = require(root + '/node_modules/next/constants');
  const items = JSON.parse(fs.readFileSync(0, 'utf8'));
  const out = [];
  let said = [];
  for (const level of ['warn', 'error', 'log', 'info'])
    console[level] = (...a) => said.push(a.map(String).join(' '));
  process.exit = (code) => { throw new Error('exit ' + code); };
  process.env.NODE_ENV = 'production';
  for (const { config, place } of items) {
    said = [];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'next-tables-'));
    const file = path.join(dir, 'next.config.js');
    fs.writeFileSync(file, 'module.exports = ' + JSON.stringify(config));
    fs.writeFileSync(path.join(os.tmpdir(), 'next-tables-adapter.js'), 'module.exports = {};');
    try {
      const result = await loadConfig(PHASE_PRODUCTION_BUILD, dir, { silent: false });
      let at = result;
      for (const part of place || []) at = at == null ? undefined : at[part];
      out.push({ ok: true, at: at === undefined ? null : at, said });
    } catch (error) {
      out.push({ ok: false, said: [String(error && error.message)] });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(out));
})();
"""

MOVED = re.compile(r"warnOptionHasBeenMovedOutOfExperimental\(result, '(\w+)', '([\w.]+)'")
DEPRECATED = re.compile(r"warnOptionHasBeenDeprecated\(userConfig, '([\w.]+)', `(?:\\`|[^`])*")
NEW_PLACE = re.compile(r"(?:Please use|has been moved to) \\`([\w.]+)\\`")
FATAL_UNKNOWN = re.compile(r"message\.includes\('(\w+)'\)")
HARD = re.compile(r"HardDeprecatedConfigError\(`\\`([\w.]+)\\`")
THROWN = re.compile(
    r"if \(\(\(_userConfig_experimental\d* = userConfig\.experimental\) == null \? void 0 : "
    r"_userConfig_experimental\d*\.(\w+)\) !== undefined\) \{\s+throw"
)
TARGET = "userConfig.target && userConfig.target !== 'server'"
PAIRS = re.compile(r"Config options `([\w.]+)` and `([\w.]+)` cannot be set")

# A value each key takes (true where that is one), so that Next gets past its schema.
VALUES: dict[str, Any] = {
    "serverComponentsExternalPackages": ["pg"],
    "relay": {"src": "./src"},
    "swrDelta": 60,
    "outputFileTracingRoot": "/",
    "outputFileTracingIncludes": {"/api": ["./data/**"]},
    "outputFileTracingExcludes": {"/api": ["./cache/**"]},
    "cacheLife": {"hourly": {"revalidate": 3600}},
    "cacheHandlers": {},
    "adapterPath": str(
        Path(tempfile.gettempdir()) / "next-tables-adapter.js"
    ),  # the judge writes it
    "transpilePackages": ["ui"],
    "middlewarePrefetch": "strict",
    "proxyPrefetch": "strict",
    "middlewareClientMaxBodySize": 2097152,
    "proxyClientMaxBodySize": 2097152,
    "eslint": {"ignoreDuringBuilds": True},
    "domains": ["example.com"],
    "i18n": {"locales": ["en"], "defaultLocale": "en"},
    "target": "serverless",
    "analyticsId": "abc",
    "amp": {"canonicalBase": ""},
    "publicRuntimeConfig": {"a": "b"},
    "serverRuntimeConfig": {"a": "b"},
}


def _config(path: KeyPath, value: Any, into: dict[str, Any] | None = None) -> dict[str, Any]:
    """`into` (or a new config) with `value` set at `path`."""
    config = {} if into is None else into
    current = config
    for part in path[:-1]:
        current = current.setdefault(str(part), {})
    current[str(path[-1])] = value
    return config


def _path(dotted: str) -> KeyPath:
    return tuple(dotted.split("."))


# name -> (config, the place Next copies the old key's value to, that value)
Cases = dict[str, tuple[dict[str, Any], KeyPath, Any]]


def _tables(source: str) -> Cases:
    """Each key Next handles, with the config that sets it and the place Next copies it."""
    cases: Cases = {}

    def add(path: KeyPath, new: KeyPath = ()) -> None:
        value = VALUES.get(str(path[-1]), True)
        cases[".".join(map(str, path))] = (_config(path, value), new, value)

    for old, new in MOVED.findall(source):
        add(("experimental", old), _path(new))
    for match in DEPRECATED.finditer(source):
        place = NEW_PLACE.search(match.group(0))
        add(_path(match.group(1)), _path(place.group(1)) if place else ())
    for key in [*FATAL_UNKNOWN.findall(source), *THROWN.findall(source)]:
        add(("experimental", key))
    for dotted in HARD.findall(source):
        add(_path(dotted))
    assert TARGET in source
    add(("target",))
    for new, old in PAIRS.findall(source):
        config = _config(_path(old), VALUES.get(old.split(".")[-1], True))
        config = _config(_path(new), VALUES.get(new.split(".")[-1], True), config)
        cases[f"{old} with {new}"] = (config, (), None)
    for path in REMOVED:
        add(path)
    return cases


def _within(value: Any, got: Any) -> bool:
    """`value` is at the new place: equal, or (for a table Next merges with its defaults)
    every entry of it is."""
    if isinstance(value, dict) and isinstance(got, dict) and value:
        return all(got.get(k) == v for k, v in value.items())
    return bool(value == got)


def _what_next_did(answer: dict[str, Any], name: str, value: Any) -> str:
    if not answer["ok"]:
        return "refused"
    if answer.get("at") is not None and _within(value, answer["at"]):
        return "copied"
    said = " ".join(answer["said"])
    key = re.escape(name.split(".")[-1])
    if re.search(rf"{key}\b.*(no longer|Unrecognized)|Unrecognized key.*'{key}'", said):
        return "ignored"
    if re.search(rf"{key}\b.*deprecated", said):
        return "read, deprecated"
    return "accepted"


VERDICT = {"NEXT006": "refused", "NEXT001": "copied", "NEXT002": "ignored"}


def _what_we_say(config: dict[str, Any]) -> str:
    problems = next_problems(config, {}, "16.4.6", "next.config.js")
    if any(rule == "NEXT001" and path in READ_DEPRECATED for rule, _, path, _ in problems):
        return "read, deprecated"
    found = {problem[0] for problem in problems}
    verdicts = [VERDICT[rule] for rule in ("NEXT006", "NEXT001", "NEXT002") if rule in found]
    return verdicts[0] if verdicts else "accepted"


def test_next_rules_say_what_next_does_with_each_key_of_its_tables(tools: Tools) -> None:
    source = (tools.root / "node_modules/next/dist/server/config.js").read_text()
    cases = _tables(source)
    assert len(cases) >= 45  # the patterns still read the file
    items = [{"config": config, "place": list(new)} for config, new, _ in cases.values()]
    answers = judge(tools, JUDGE, str(tools.root), items)
    theirs = {
        name: _what_next_did(answer, name, value)
        for (name, (_, _, value)), answer in zip(cases.items(), answers, strict=True)
    }
    ours = {name: _what_we_say(config) for name, (config, _, _) in cases.items()}
    assert {p: (ours[p], theirs[p]) for p in cases if ours[p] != theirs[p]} == {}
    # Each kind of outcome occurs, so no pattern silently stopped matching.
    assert {"refused", "copied", "ignored", "read, deprecated"} <= set(theirs.values())
    assert sum(" with " in name for name in cases) == 4

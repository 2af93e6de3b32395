""".env files against Next.js itself: for 500 generated files per run (and a few fixed
ones), `read_dotenv` gives exactly the names and values that `@next/env` 16.4.6 loads,
and refuses (exit 2) exactly the files it fails to load.

Each file is written alone as `.env` into a folder of its own, and one Node process runs
`loadEnvConfig(folder, false, log, true)` on each in turn, as `next build` does, after
emptying `process.env` (so the expansion sees only what Next.js itself sets). What it
loaded is `loadedEnvFiles[0].env`, the file's parsed and expanded values, which
`processEnv` also writes into `process.env`; what it failed on, `log.error` receives.
Node runs with `--stack-size=100` (KB, against a default of 984): a self-reference then
runs out of stack after a few hundred expansions instead of thousands, each holding a
longer value (seconds per file); a generated file that is no cycle needs a few dozen.

The files (`next_dotenv_text` in tests/fuzzing/configs.py) mix quotes of all three kinds,
closed or not and over several lines, escapes, `#` in and out of quotes, `$NAME`,
`${NAME}`, `${NAME:-x}`, `\\$` and self-references, CR LF and lone CRs, U+2028, a BOM,
`export`, `NAME: value`, spaces around `=`, names defined twice, names JavaScript objects
inherit, and blank, comment and garbage lines.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings

from meterr_config.envfile import read_dotenv
from meterr_config.errors import InputError
from meterr_config.realtools.tools import Tools
from tests.fuzzing.configs import NEXT_DOTENV_FIXED, next_dotenv_text
from tests.realtools.judge import judge

pytestmark = pytest.mark.realtool

FILES_PER_RUN = 500

JUDGE = """
const { loadEnvConfig } = require(process.argv[1] + '/node_modules/@next/env');
const folders = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(folders.map((folder) => {
  for (const name of Object.keys(process.env)) delete process.env[name];
  const errors = [];
  const log = { info() {}, error(message, error) { errors.push(String(error && error.message)); } };
  const { loadedEnvFiles } = loadEnvConfig(folder, false, log, true);
  return { env: loadedEnvFiles[0].env, errors };
})));
"""


def _ours(text: str) -> dict[str, str | None] | None:
    """What meterr-config reads; None when it refuses the file, as Next.js loads none."""
    try:
        return {name: entry.value for name, entry in read_dotenv(text, ".env").entries.items()}
    except InputError:
        return None


def _theirs(tools: Tools, texts: list[str]) -> list[dict[str, str] | None]:
    """What @next/env loads from each text; None when it fails to load the file."""
    with tempfile.TemporaryDirectory() as scratch:
        folders = []
        for number, text in enumerate(texts):
            folder = Path(scratch) / str(number)
            folder.mkdir()
            (folder / ".env").write_bytes(text.encode("utf-8"))
            folders.append(str(folder))
        answers = judge(tools, JUDGE, str(tools.root), folders, ("--stack-size=100",))
    return [None if answer["errors"] else answer["env"] for answer in answers]


def test_dotenv_files_read_as_next_loads_them(tools: Tools) -> None:
    texts: list[str] = []

    @settings(max_examples=FILES_PER_RUN, database=None, deadline=None)
    @given(next_dotenv_text())
    def collect(text: str) -> None:
        texts.append(text)

    collect()
    texts += NEXT_DOTENV_FIXED
    ours = [_ours(text) for text in texts]
    theirs = _theirs(tools, texts)
    differ = [case for case in zip(texts, ours, theirs, strict=True) if case[1] != case[2]]
    assert differ == []

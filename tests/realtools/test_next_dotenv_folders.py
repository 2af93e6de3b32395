"""A folder's .env files against Next.js itself: for 150 generated folders per run, the
variables `dir:` reads are exactly the `combinedEnv` of `@next/env` 16.4.6's
`loadEnvConfig`, in production mode (`next build`) and in development mode (`next dev`).

Next loads `.env.$MODE.local`, `.env.local`, `.env.$MODE` and `.env` in that order: the
first file to set a name gives its value, each file is expanded with what the earlier
ones set, and any other `.env.*` (`.env.staging`, the other mode's file) is not read. The
folders mix those files and others, with names set in several and references from one
file to another's variables."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meterr_config.realtools.tools import Tools
from meterr_config.sources.folder import dir_snapshot
from tests.realtools.judge import judge

pytestmark = pytest.mark.realtool

FOLDERS_PER_RUN = 150
FILES = (
    ".env",
    ".env.local",
    ".env.production",
    ".env.production.local",
    ".env.development",
    ".env.development.local",
    ".env.staging",
)
# Each name refers only to names after it, so that no file holds a cycle (which Next
# fails on; test_next_dotenv.py covers that).
NAMES = ("API", "URL", "KEY", "MODE")
REFERENCES = {"URL": "${URL}", "KEY": "${KEY:-dflt}", "MODE": "$MODE"}
TEXT = ("a", "b1", "https://x", "/v1", "")


def _line(name: str) -> st.SearchStrategy[str]:
    later = [REFERENCES[n] for n in NAMES[NAMES.index(name) + 1 :]]
    pieces = st.lists(st.sampled_from((*TEXT, *later)), max_size=3)
    return pieces.map(lambda parts: f"{name}={''.join(parts)}")


LINES = st.sampled_from(NAMES).flatmap(_line)
FOLDERS = st.dictionaries(
    st.sampled_from(FILES), st.lists(LINES, min_size=1, max_size=3), min_size=1, max_size=4
)

JUDGE = """
const { loadEnvConfig } = require(process.argv[1] + '/node_modules/@next/env');
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(cases.map(({ folder, dev }) => {
  for (const name of Object.keys(process.env)) delete process.env[name];
  const { combinedEnv } = loadEnvConfig(folder, dev, { info() {}, error() {} }, true);
  const loaded = { ...combinedEnv };  // combinedEnv is process.env itself: copy it now
  delete loaded.__NEXT_PROCESSED_ENV;
  return loaded;
})));
"""


def test_a_folder_s_env_files_are_read_as_next_loads_them(tools: Tools) -> None:
    folders: list[dict[str, list[str]]] = []

    @settings(max_examples=FOLDERS_PER_RUN, database=None, deadline=None)
    @given(FOLDERS)
    def collect(files: dict[str, list[str]]) -> None:
        folders.append(files)

    collect()
    with tempfile.TemporaryDirectory() as scratch:
        cases, ours = [], []
        for number, files in enumerate(folders):
            folder = Path(scratch) / str(number)
            folder.mkdir()
            for name, lines in files.items():
                (folder / name).write_text("\n".join(lines) + "\n")
            for target, dev in (("production", False), ("development", True)):
                snap = dir_snapshot(folder, target=target, plan=None, next_version=None)
                ours.append({name: entry.value for name, entry in snap.env.items()})
                cases.append({"folder": str(folder), "dev": dev})
        theirs = judge(tools, JUDGE, str(tools.root), cases)
    differ = [
        (folders[i // 2], c["dev"], o, t)
        for i, (c, o, t) in enumerate(zip(cases, ours, theirs, strict=True))
        if o != t
    ]
    assert differ[:3] == []

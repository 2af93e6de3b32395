"""Canary secrets: every command, in every format, never prints or writes a secret value.

Known canary values are supplied every way a value can arrive (a `vercel env pull` file,
the process environment, a hand-edited .env.example, a folder's .env, the Vercel API and
its token), then stdout, stderr and every file the commands wrote are searched for them,
at the default verbosity and under `-v`. Failing commands are searched too: an input
error names the file, line and key, never the value that sits there.

The matrix is some six hundred runs, far too many for a process each (half a second
apiece, mostly imports). So the runs go in batches: one child process per batch imports
the CLI once, then calls its console-script entry point (`meterr_config.cli.main`, what
`python -m meterr_config` runs) for each command in turn, with the command's own argv,
working folder and environment, and with file descriptors 1 and 2 pointed at fresh files,
so that whatever reaches them, from Python or from a child tool, is captured. A test
checks that a batch says what separate processes say.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from meterr_config.reporters import FORMATS
from tests.conftest import ENVIRONMENTS, Result, run_process
from tests.fuzzing.servers import Answerer, Behaviour, HostileServer, Request
from tests.live.vercel_server import STAGING_ID, FakeVercel, sample_envs

CANARIES = {
    "JWT_SECRET": "cAnArY1-Zq8vX2mP9kL4nR7tW1yB6cD3fH5jK0sA8gE2",
    "ENCRYPTION_KEY": "cAnArY2-e2uI4oQ7xVZq8vX2mP9kL4nR7tW1yB6cD3fH5",
    "DATABASE_URL": "postgresql://app:cAnArY3-Pw9kL4nR7tW1y@db.example.com/meterr",
    "OPENAI_API_KEY": "sk-proj-cAnArY4AbCdEfGhIjKlMnOpT3BlbkFJQrStUvWxYz",
    "CRON_SECRET": "cAnArY5-short",
}
FRAGMENTS = ["cAnArY"]  # every canary holds it; no part of a value may leak
TOKEN = "cAnArY6-vercel-tok-Q2w9E4r7T1y5U8i3"
# Undeclared variables on the live project whose values are secret by their shape alone
# (an OpenAI key, a URL with a password), so even --show-secrets must keep them hidden.
UNDECLARED = {
    "LEGACY_TOKEN": "sk-proj-cAnArY7xyzT3BlbkFJabcdefghij",
    "ANALYTICS_URL": "https://ingest:cAnArY8-pw@analytics.example.com/v1",
}

# Runs one batch of commands in one process; see the module docstring.
_DRIVER = r"""
import functools, json, os, sys, traceback

# `python -c` puts the working folder on the path; each command changes it.
sys.path[:] = [entry for entry in sys.path if entry not in ("", ".")]
import typer.main
from meterr_config import verbosity
from meterr_config.cli import main

# typer turns the app into a click command on every call (some 30 ms, the bulk of a
# failing command's time); the app never changes between calls, so build it once.
typer.main.get_command = functools.lru_cache(typer.main.get_command)

jobs_path, results_path, scratch = sys.argv[1:4]
with open(jobs_path, encoding="utf-8") as handle:
    jobs = json.load(handle)
results = []
for index, job in enumerate(jobs):
    os.chdir(job["cwd"])
    os.environ.clear()
    os.environ.update(job["env"])
    sys.argv = ["meterr-config", *job["args"]]
    verbosity.set_level(verbosity.NORMAL)  # as in a fresh process, should parsing fail
    paths = [os.path.join(scratch, f"{index}.{name}") for name in ("out", "err")]
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(paths[0], "wb") as out, open(paths[1], "wb") as err:
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            traceback.print_exc()
            code = -1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
    texts = []
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as handle:
            texts.append(handle.read())
    results.append([code, *texts])
with open(results_path, "w", encoding="utf-8") as handle:
    json.dump(results, handle)
"""


@dataclass(frozen=True)
class Call:
    """One command of a batch: its argv, where it runs, its environment, the exit codes it
    may end with, and what its error must say (so that a failure is the one intended, not
    a typo's usage error, which would hold no canary either)."""

    args: tuple[str, ...]
    cwd: Path
    env: dict[str, str]
    codes: frozenset[int] = frozenset({0, 1})
    says: str = ""


@dataclass
class Batch:
    """Commands queued to run in order in one process, then audited together.

    Every problem (an unexpected exit, a canary in the output) is collected rather than
    raised at once, so that one failing test names every leak in its matrix.
    """

    cwd: Path
    env: dict[str, str]
    calls: list[Call] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    ran: int = 0  # commands run so far, for the reliability report

    def add(
        self,
        *args: str,
        codes: Iterable[int] = (0, 1),
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        says: str = "",
    ) -> None:
        """Queue a command (see `Call`); it runs in the batch's folder and environment
        unless given its own."""
        call = Call(args, cwd or self.cwd, env or self.env, frozenset(codes), says)
        self.calls.append(call)

    def run(self) -> list[Result]:
        """Run the queued commands in order, audit each, and empty the queue."""
        calls, self.calls = self.calls, []
        results = run_batch(calls)
        self.ran += len(calls)
        for call, result in zip(calls, results, strict=True):
            self.problems += _audit(call, result)
        return results


def run_batch(calls: list[Call]) -> list[Result]:
    """Run `calls` in order in one child process (see the module docstring)."""
    if not calls:
        return []
    with tempfile.TemporaryDirectory(prefix="canary-batch-") as scratch:
        jobs = Path(scratch) / "jobs.json"
        results = Path(scratch) / "results.json"
        jobs.write_text(
            json.dumps([{"args": c.args, "cwd": str(c.cwd), "env": c.env} for c in calls])
        )
        proc = subprocess.run(
            [sys.executable, "-c", _DRIVER, str(jobs), str(results), scratch],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0 and results.is_file(), proc.stderr[-2000:]
        return [Result(code, out, err) for code, out, err in json.loads(results.read_text())]


def _leaks(text: str) -> list[str]:
    return [fragment for fragment in FRAGMENTS if fragment in text]


def _leaking_lines(text: str, width: int = 150) -> list[str]:
    """Each distinct line holding a canary, cut to `width` around it, for the report."""
    found: dict[str, None] = {}
    for line in text.splitlines():
        for fragment in _leaks(line):
            at = line.index(fragment)
            found[repr(line[max(0, at - width // 2) : at + width // 2].strip())] = None
    return list(found)


def _audit(call: Call, result: Result) -> list[str]:
    """What is wrong with one run: an unexpected exit, a traceback, or a canary shown."""
    shown = f"meterr-config {' '.join(call.args)}  (in {call.cwd.name})"
    problems = []
    if result.code not in call.codes:
        problems.append(f"{shown}: exit {result.code}, not {sorted(call.codes)}: {result.err}")
    if call.says not in result.err:
        problems.append(f"{shown}: stderr does not say {call.says!r}: {result.err}")
    if "Traceback" in result.err:
        problems.append(f"{shown}: a traceback on stderr")
    for stream, text in (("stdout", result.out), ("stderr", result.err)):
        for line in _leaking_lines(text):
            problems.append(f"LEAK {shown}: {stream}: {line}")
    return problems


def _written_leaks(root: Path, inputs: set[Path]) -> list[str]:
    """A problem for each file under `root`, other than `inputs`, that holds a canary."""
    problems = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and path not in inputs:
            for line in _leaking_lines(path.read_text(errors="replace")):
                problems.append(f"LEAK written file {path.relative_to(root)}: {line}")
    return problems


def _report(problems: list[str]) -> None:
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


@pytest.fixture
def canary_env(workdir: Path) -> dict[str, str]:
    """Canaries in a pulled file, a folder's .env, a legacy vercel.json and the process."""
    lines = ["# Created by Vercel CLI"] + [f'{k}="{v}"' for k, v in CANARIES.items()]
    (workdir / "pulled.env").write_text("\n".join(lines) + "\n")
    folder = workdir / "legacy"
    folder.mkdir()
    (folder / ".env").write_text("\n".join(f"{k}={v}" for k, v in CANARIES.items()) + "\n")
    (folder / "vercel.json").write_text('{"framework": "nextjs"}\n')
    # A vercel.json that carries secrets the legacy ways: `env`, and a passthrough key.
    doc = {
        "framework": "nextjs",
        "env": {"JWT_SECRET": CANARIES["JWT_SECRET"]},
        "build": {"env": {"CRON_SECRET": CANARIES["CRON_SECRET"]}},
        "github": {"token": CANARIES["CRON_SECRET"], "hook": CANARIES["ENCRYPTION_KEY"]},
        "alias": [CANARIES["DATABASE_URL"]],
    }
    (workdir / "vercel.legacy.json").write_text(json.dumps(doc))
    return {**os.environ, **CANARIES}


Recorder = Callable[[str, object], None]  # pytest's record_property
VERBOSITIES: tuple[tuple[str, ...], ...] = ((), ("-v",))


def test_no_command_leaks_a_canary(
    workdir: Path, canary_env: dict[str, str], record_property: Recorder
) -> None:
    """Every command, in every format, at the default verbosity and under -v, with the
    canaries in files and in the process environment: nothing shows or writes them."""
    batch = Batch(workdir, canary_env)
    batch.add("render")
    batch.run()
    _hand_edit_generated(workdir / "generated" / "production")
    for verbose in VERBOSITIES:
        for fmt in FORMATS:
            batch.add(*verbose, "check", "--format", fmt)  # -v is a root option: first
            batch.add(*verbose, "validate", "--format", fmt)
            batch.add(*verbose, "lint", "--values", "dotenv:pulled.env", "--format", fmt)
            batch.add(*verbose, "lint", "--values", "process", "--score", "--format", fmt)
            batch.add(
                *verbose,
                "lint",
                "staging",
                "production",
                "--values",
                "production=dotenv:pulled.env",
                "--values",
                "staging=dotenv:pulled.env",
                "--format",
                fmt,
            )
            batch.add(*verbose, "lint", "dir:legacy", "--format", fmt)
            batch.add(*verbose, "diff", "dotenv:pulled.env", "dir:legacy", "--format", fmt)
            batch.add(
                *verbose,
                "diff",
                "env:production",
                "dotenv:pulled.env",
                "--show-secrets",
                "--format",
                fmt,
            )
            batch.add(*verbose, "diff", "staging", "production", "--side-by-side", "--format", fmt)
    project = ("--project", "x", "--plan", "pro", "--next-version", "16.4")
    for verbose in VERBOSITIES:
        batch.add(*verbose, "render")  # the first restores the tampered file
        batch.add(*verbose, "import", "pulled.env", "--env", "from-pull", "--force", *project)
        batch.add(*verbose, "import", "legacy/.env", "--env", "from-dotenv", "--out", "-", *project)
        for keep in (("--passthrough",), ()):
            files = ("vercel.legacy.json", "legacy/.env")
            batch.add(*verbose, "import", *files, "--env", "from-json", "--force", *keep, *project)
        batch.add(*verbose, "lint", "from-pull", "from-json", "--values", "dotenv:pulled.env")
        batch.add(*verbose, "schema", "--out", "-")
        batch.add(*verbose, "rules")
    batch.run()
    committed = _queue_init(batch, workdir)
    batch.run()
    inputs = {workdir / "pulled.env", workdir / "legacy" / ".env", workdir / "vercel.legacy.json"}
    inputs |= committed
    record_property("cases", batch.ran)  # commands run, for docs/reliability.md
    _report(batch.problems + _written_leaks(workdir, inputs))


def _hand_edit_generated(folder: Path) -> None:
    """Secrets put into generated files by hand, every way the adversarial round did: a
    declared secret filled in, a new secret-named line and a private key block in
    .env.example, a token in a vercel.json header and a key in next.config.ts."""
    example = folder / ".env.example"
    text = example.read_text().replace("JWT_SECRET=\n", f"JWT_SECRET={CANARIES['JWT_SECRET']}\n")
    text += f"STRIPE_SECRET_KEY={CANARIES['ENCRYPTION_KEY']}\n"
    text += (
        'TLS_KEY="-----BEGIN ' + 'PRIVATE KEY-----\nMIIEcAnArYbody\n-----END PRIVATE KEY-----"\n'
    )
    example.write_text(text)
    vercel = folder / "vercel.json"
    doc = json.loads(vercel.read_text())
    doc["headers"].append(
        {"source": "/x", "headers": [{"key": "X-Debug", "value": CANARIES["ENCRYPTION_KEY"]}]}
    )
    vercel.write_text(json.dumps(doc, indent=2))
    config = folder / "next.config.ts"
    config.write_text(config.read_text() + f'\nconst key = "{CANARIES["OPENAI_API_KEY"]}";\n')


def _queue_init(batch: Batch, workdir: Path) -> set[Path]:
    """`init` in fresh projects whose committed .env.example, .env and vercel.json hold
    the canaries: it imports them, writes environments and renders, showing none. The
    committed files, which hold the canaries by design, are returned."""
    lines = "\n".join(f"{k}={v}" for k, v in CANARIES.items()) + "\n"
    committed: set[Path] = set()
    for index, verbose in enumerate(VERBOSITIES):
        fresh = workdir / f"fresh-{index}"
        fresh.mkdir()
        (fresh / ".env.example").write_text(lines)
        (fresh / ".env").write_text(lines)
        # A header value is configuration, imported as it is; `env` is where secrets hide.
        (fresh / "vercel.json").write_text(
            json.dumps({"env": {"JWT_SECRET": CANARIES["JWT_SECRET"]}})
        )
        committed |= {fresh / ".env.example", fresh / ".env", fresh / "vercel.json"}
        batch.add(*verbose, "init", cwd=fresh)
    return committed


def test_the_batch_runs_commands_as_the_command_line_does(
    workdir: Path, canary_env: dict[str, str]
) -> None:
    """The batch is only worth trusting if a command says the same there as in a process
    of its own: exit code, stdout and stderr, for a clean run, bad input, a usage error
    and -v (whose detail lines only show if the batch honours the root options)."""
    without_token = {k: v for k, v in canary_env.items() if k != "VERCEL_TOKEN"}
    cases = [
        ("rules",),
        ("check", "--format", "json"),
        ("diff", "production", "vercel:meterr"),
        ("lint", "--format", "yaml"),
        ("-v", "lint"),
    ]
    batch = run_batch([Call(args, workdir, without_token) for args in cases])
    alone = [run_process(*args, cwd=workdir, env=without_token) for args in cases]
    assert [r.code for r in batch] == [0, 1, 2, 2, 0]
    assert [(r.code, r.out) for r in batch] == [(r.code, r.out) for r in alone]
    # -v says how long each environment took: the numbers differ from run to run.
    assert [r.err for r in batch[:-1]] == [r.err for r in alone[:-1]]
    assert batch[-1].err.count("meterr-config: ") == alone[-1].err.count("meterr-config: ") > 0


def canary_envs() -> list[dict[str, Any]]:
    """The sample project's variables, with a canary for every secret the API would return.

    Vercel returns the value of "encrypted" and "plain" variables (never of "sensitive"
    ones), so the secrets of production and staging become encrypted or plain, in turn,
    with canary values (staging's end in "-stg", so the two targets differ); the two
    without a canary stay sensitive, with the API's "". Two undeclared variables hold
    values that are secret by their shape alone.
    """
    envs = sample_envs()
    seen = 0
    for item in envs:
        key = item["key"]
        if item["type"] != "sensitive" or key not in CANARIES:
            continue
        seen += 1
        staging = not item["target"]
        value = CANARIES[key] + ("-stg" if staging else "")
        item.update(type="encrypted" if seen % 2 else "plain", value=value)
        item.pop("decrypted", None)
    assert seen == 2 * len(CANARIES)
    for offset, (key, value) in enumerate(UNDECLARED.items()):
        envs.append(
            {
                "id": f"env_undeclared_{offset}",
                "key": key,
                "value": value,
                "type": ("plain", "encrypted")[offset % 2],
                "target": ["production"],
                "customEnvironmentIds": [STAGING_ID],
                "createdAt": 1 + offset,  # older than every sample variable
                "updatedAt": 1 + offset,
            }
        )
    return envs


def test_the_vercel_api_as_a_source_leaks_no_canary(
    workdir: Path, canary_env: dict[str, str], record_property: Recorder
) -> None:
    """The live project (the fake Vercel API on 127.0.0.1) returns canary values for its
    encrypted and plain secrets, and the token is a canary too: diff and lint against it,
    both ways round, with and without --show-secrets and --decrypt, in every format and
    under -v."""
    with FakeVercel(envs=canary_envs(), token=TOKEN) as api:
        env = {**canary_env, "VERCEL_TOKEN": TOKEN, "VERCEL_API_URL": api.url}
        batch = Batch(workdir, env)
        prod, staging = "vercel:meterr@production", "vercel:meterr@staging"
        for verbose in VERBOSITIES:
            for fmt in FORMATS:
                runs: list[tuple[str, ...]] = [
                    ("diff", "env:production", prod),
                    ("diff", prod, "env:production", "--show-secrets"),
                    ("diff", "staging", staging, "--show-secrets"),
                    ("diff", prod, staging),
                    ("diff", "dotenv:pulled.env", prod),
                    # encrypted canaries reach the process only when decrypted
                    ("diff", "env:production", prod, "--decrypt"),
                    ("diff", "dotenv:pulled.env", prod, "--decrypt", "--show-secrets"),
                    ("diff", "dir:legacy", staging),
                    ("lint", prod),
                    ("lint", prod, "--values", "dotenv:pulled.env", "--score"),
                    ("lint", prod, "--values", "process"),
                    ("lint", staging, "production", "--values", "production=dotenv:pulled.env"),
                ]
                if fmt == "text":
                    runs.append(("diff", "env:production", prod, "--side-by-side"))
                for args in runs:
                    batch.add(*verbose, *args, "--format", fmt)
        before = set(workdir.rglob("*"))
        batch.run()
        answered = {r.path for r in api.requests}
        assert {r.authorization for r in api.requests} == {f"Bearer {TOKEN}"}
    # Every endpoint was read, so the canaries were there to leak.
    assert "/v10/projects/meterr/env" in answered and "/v6/deployments" in answered
    record_property("cases", batch.ran)  # commands run, for docs/reliability.md
    _report(batch.problems + _written_leaks(workdir, before))


JWT, CRON, DB = CANARIES["JWT_SECRET"], CANARIES["CRON_SECRET"], CANARIES["DATABASE_URL"]
OPENAI, ENCRYPTION = CANARIES["OPENAI_API_KEY"], CANARIES["ENCRYPTION_KEY"]
# Environment files that fail to load with a canary where a secret could sit: (name, text
# appended to production.toml, or put in place of its `[env]` line when it starts so).
BAD_ENVIRONMENTS = [
    ("min-length-type", f'[env.JWT_SECRET]\nmin_length = "{JWT}"\n'),
    ("secret-type", f'[env.CRON_SECRET]\nsecret = "{CRON}"\n'),
    ("unknown-key", f'[env.JWT_SECRET]\ntoken = "{JWT}"\n'),
    ("secret-with-value", f'[env.JWT_SECRET]\nvalue = "{JWT}"\n'),
    ("shorthand-secret-value", f'[env]\nJWT_SECRET = "{JWT}"\n'),
    ("format-literal", f'[env.OPENAI_API_KEY]\nformat = "{OPENAI}"\n'),
    ("description-type", f'[env.DATABASE_URL]\ndescription = ["{DB}"]\n'),
    ("header-control-char", f'[security.headers]\n"X-Api-Key" = "{JWT}\\u0007"\n'),
    ("header-value-type", f'[security.headers]\n"X-Api-Key" = ["{JWT}"]\n'),
    ("cron-schedule-type", f'[[vercel.crons]]\npath = "/api/cron/{CRON}"\nschedule = ["{CRON}"]\n'),
    ("redirect-no-status", f'[[vercel.redirects]]\nsource = "/old"\ndestination = "{DB}"\n'),
    (
        "condition-type",
        "[[vercel.redirects]]\nsource = '/a'\ndestination = '/b'\npermanent = true\n"
        f'has = [{{ type = "{JWT}", value = "x" }}]\n',
    ),
    ("lint-option-type", f'[lint.rules.SEC003]\nmin_bits_per_char = "{JWT}"\n'),
    ("lint-option-unknown", f'[lint.rules.SEC003]\ntoken = "{JWT}"\n'),
    ("lint-ignore", f'[lint]\nignore = ["{JWT}"]\n'),
    ("passthrough-modelled", f'[vercel.passthrough]\nregions = ["{JWT}"]\n'),
    ("toml-bare-value", f"[env]\nJWT_SECRET = {JWT}\n"),
    ("toml-unterminated", f'[env]\nJWT_SECRET = "{JWT}\n'),
    ("toml-multiline-unterminated", f'[env]\nJWT_SECRET = """{JWT}\n'),
    ("toml-duplicate", f'[env]\nNODE_ENV = "{JWT}"\n'),
]
LINT_ONLY = {"lint-option-type", "lint-option-unknown"}
# dotenv files Next.js fails to load, an expansion that throws beside a canary: bad input.
BAD_DOTENV = {
    "self-reference": f"NODE_ENV=production\nJWT_SECRET={JWT}$JWT_SECRET\nCRON_SECRET=x\n",
    "inherited-name": f"CRON_SECRET='{CRON}$valueOf'\n",
}
# dotenv files Next.js reads otherwise than they say (ENV008), a canary in each: read, and
# reported, without it.
MISREAD_DOTENV = {
    "unterminated-double": f'NODE_ENV=production\nJWT_SECRET="{JWT}\nCRON_SECRET=x\n',
    "unterminated-single": f"CRON_SECRET='{CRON}\n",
    "no-equals": f"JWT_SECRET {JWT}\n",
    "yaml": f"JWT_SECRET: {JWT}\n",
    "json": f'{{"JWT_SECRET": "{JWT}"}}\n',
    "expanded": f'JWT_SECRET={JWT}$$x#y\nCRON_SECRET="{CRON}\\t"\n',
}
# vercel.json files that are not JSON, a canary in the middle of the damage.
NOT_JSON = {
    "truncated": f'{{"env": {{"JWT_SECRET": "{JWT}',
    "unquoted": f'{{"github": {{"token": {JWT}}}}}',
    "bad-escape": f'{{"env": {{"JWT_SECRET": "{JWT}\\q"}}}}',
    "control-char": f'{{"env": {{"JWT_SECRET": "{JWT}\n"}}}}',
    "trailing-comma": f'{{"env": {{"JWT_SECRET": "{JWT}",}}}}',
    "single-quotes": f"{{'env': {{'JWT_SECRET': '{JWT}'}}}}",
    "array": f'["{JWT}"]',
}
# vercel.json files with a wrong type, and a secret in the legacy `env` (which the dir:
# source reads as variables), or in the badly typed value itself: findings (exit 1) for
# lint and diff, or bad input (exit 2) where the Vercel schema rejects the file; "not
# carried over" for import.
LEGACY_ENV = {"env": {"JWT_SECRET": JWT}}
WRONG_TYPES = {
    "regions-type": {"regions": "iad1", **LEGACY_ENV},
    "framework-literal": {"framework": "gatsby", **LEGACY_ENV},
    "cron-schedule-type": {"crons": [{"path": "/api/cron", "schedule": 5}], **LEGACY_ENV},
    "redirect-status-type": {
        "redirects": [{"source": "/x", "destination": "/y", "statusCode": "307"}],
        **LEGACY_ENV,
    },
    "env-value-type": {"env": {"JWT_SECRET": [JWT], "OPENAI_API_KEY": {"value": OPENAI}}},
    "header-value-type": {
        "headers": [{"source": "/(.*)", "headers": [{"key": "X-Api-Key", "value": [OPENAI]}]}]
    },
}
SCHEMA_REJECTS = {"cron-schedule-type", "redirect-status-type", "header-value-type"}
# --values given a value (or NAME=value) where a source belongs: an easy slip.
VALUE_SPECS = (JWT, f"JWT_SECRET={JWT}", DB, f"production={OPENAI}")
PROJECT = ("--project", "x", "--plan", "pro", "--next-version", "16.4")


def _closed_port() -> int:
    """A port nothing listens on (bound, read and released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _bad_environment(root: Path, name: str, text: str) -> Path:
    """A project folder whose environments/production.toml carries `text`."""
    case = root / "toml" / name
    shutil.copytree(ENVIRONMENTS, case / "environments")
    production = case / "environments" / "production.toml"
    original = production.read_text()
    if text.startswith("[env]\n"):
        production.write_text(original.replace("[env]\n", text, 1))
    else:
        production.write_text(f"{original}\n{text}")
    return case


def _queue_bad_environments(batch: Batch, workdir: Path) -> None:
    """Each BAD_ENVIRONMENTS case in a project of its own, through every command that
    loads environment files: exit 2 naming production.toml (lint options only for lint)."""
    for name, text in BAD_ENVIRONMENTS:
        case = _bad_environment(workdir, name, text)
        fails = partial(batch.add, codes=[2], cwd=case, says="environments/production.toml:")
        for fmt in FORMATS:
            fails("-v", "lint", "--format", fmt)
        fails("-v", "lint", "production", "dir:../../legacy")
        fails("render")
        fails("-v", "validate", "--format", "github")
        if name in LINT_ONLY:  # check and diff never read lint options
            fails = partial(batch.add, cwd=case)
        fails("-v", "check", "--format", "json")
        fails("diff", "staging", "production", "--format", "sarif")


def _queue_bad_dotenv_files(batch: Batch, workdir: Path) -> None:
    """Each BAD_DOTENV file (exit 2, naming the file) and MISREAD_DOTENV file (exit 0 or
    1) as --values, a diff side, a dir: source's .env and an import."""
    cases = [(BAD_DOTENV, [2]), (MISREAD_DOTENV, [0, 1])]
    for name, text, codes in ((n, t, c) for files, c in cases for n, t in files.items()):
        folder = workdir / "dotenv" / name
        folder.mkdir(parents=True)
        (folder / ".env").write_text(text)
        bad = f"dotenv/{name}/.env"
        fails = partial(batch.add, codes=codes, says=f"{bad}:" if codes == [2] else "")
        for fmt in FORMATS:
            fails("-v", "lint", "--values", f"dotenv:{bad}", "--format", fmt)
        fails("lint", "production", "--values", f"production=dotenv:{bad}")
        fails("-v", "diff", "env:production", f"dotenv:{bad}", "-f", "json")
        fails("-v", "diff", f"dotenv:{bad}", "staging")
        for fmt in FORMATS:
            fails("-v", "lint", f"dir:dotenv/{name}", "--format", fmt)
        fails("-v", "import", bad, "--env", "x", "--out", "-", *PROJECT)


def _queue_bad_vercel_json(batch: Batch, workdir: Path) -> None:
    """Each vercel.json that is NOT_JSON (bad input everywhere) or has WRONG_TYPES
    (findings, or bad input where the schema rejects it) through lint, diff and import."""
    documents = {**NOT_JSON, **{k: json.dumps(v) for k, v in WRONG_TYPES.items()}}
    for name, text in documents.items():
        folder = workdir / "json" / name
        folder.mkdir(parents=True)
        (folder / "vercel.json").write_text(text)
        bad_input = partial(batch.add, codes=[2], says=f"json/{name}/vercel.json:")
        fails = bad_input if name in NOT_JSON else partial(batch.add, codes=[1])
        # lint reports what Vercel refuses (VER011); diff refuses to compare it
        for fmt in FORMATS:
            fails("-v", "lint", f"dir:json/{name}", "--format", fmt)
        compares = bad_input if name in SCHEMA_REJECTS else fails
        compares("-v", "diff", "env:production", f"dir:json/{name}")
        for keep in ((), ("--passthrough",)):
            files = (f"json/{name}/vercel.json", "--env", "x", "--out", "-", *keep)
            fails("-v", "import", *files, *PROJECT)


def _queue_values_where_sources_belong(batch: Batch) -> None:
    """--values given a value (VALUE_SPECS) instead of a source: a usage slip, exit 2."""
    for spec in VALUE_SPECS:
        for fmt in ("text", "json", "github"):
            batch.add("-v", "lint", "--values", spec, "--format", fmt, codes=[2])


def _queue_api_failures(
    batch: Batch, stack: contextlib.ExitStack, canary_env: dict[str, str]
) -> None:
    """The Vercel API refusing the canary token (403), answering 401 or malformed JSON,
    and not answering at all (a closed port, also behind credentials in the URL). The
    fake servers stay up, on `stack`, until the batch has run."""
    port = _closed_port()
    refusing = stack.enter_context(FakeVercel())  # its token is not the canary
    env = {**canary_env, "VERCEL_TOKEN": TOKEN, "VERCEL_API_URL": refusing.url}
    env["VERCEL_TEAM_ID"] = "team_cAnArY9"
    refused = partial(batch.add, codes=[2], env=env, says="(HTTP 403: Not authorized)")
    for fmt in FORMATS:
        refused("-v", "diff", "production", "vercel:meterr", "-f", fmt)
    refused("-v", "lint", "vercel:meterr@staging")
    refused("-v", "diff", "production", "vercel:nope")
    faults = {
        f"http://127.0.0.1:{port}": "cannot reach",
        f"http://ci:{JWT}@127.0.0.1:{port}": "cannot reach",
    }
    for mode, says in (("401", "HTTP 401"), ("malformed", "malformed JSON")):
        faults[stack.enter_context(FakeVercel(mode=mode, token=TOKEN)).url] = says
    for url, says in faults.items():
        env = {**canary_env, "VERCEL_TOKEN": TOKEN, "VERCEL_API_URL": url}
        faulty = partial(batch.add, codes=[2], env=env, says=says)
        faulty("-v", "diff", "production", "vercel:meterr", "-f", "json")
        faulty("-v", "lint", "vercel:meterr", "-f", "github")
    _queue_echoes(batch, stack, canary_env)


def _always(behaviour: Behaviour) -> Answerer:
    """A server's answer to every request."""

    def answer(request: Request) -> Behaviour:
        return behaviour

    return answer


def _queue_echoes(batch: Batch, stack: contextlib.ExitStack, canary_env: dict[str, str]) -> None:
    """An API whose every error quotes the token back (as some proxies' 400, 401 and
    403 pages do), in every format; and a url: source whose URL carries a canary
    password and bypass token, probed, then refused by the server."""
    for status in (400, 401, 403):
        body = json.dumps(
            {"error": {"code": "forbidden", "message": f"bad header Authorization: Bearer {TOKEN}"}}
        ).encode()
        server = stack.enter_context(HostileServer(_always(Behaviour(status, body=body))))
        env = {**canary_env, "VERCEL_TOKEN": TOKEN, "VERCEL_API_URL": server.url}
        for fmt in FORMATS:
            batch.add(
                "diff",
                "production",
                "vercel:meterr",
                "-f",
                fmt,
                codes=[2],
                env=env,
                says=f"HTTP {status}",
            )
    site = stack.enter_context(HostileServer(_always(Behaviour(500, body=b""))))
    host = site.url.removeprefix("http://")
    url = f"url:http://ci:{JWT}@{host}/?x-vercel-protection-bypass={ENCRYPTION}"
    for fmt in FORMATS:
        batch.add("diff", "production", url, "-f", fmt, codes=[0, 1, 2])


def test_failing_commands_never_echo_a_canary(
    workdir: Path, canary_env: dict[str, str], record_property: Recorder
) -> None:
    """Inputs that make commands fail with a canary in them: environment files with a
    wrong type, an unknown key or a TOML error where a secret sits; dotenv files Next.js
    fails to load, or reads otherwise than they say; vercel.json that is not JSON or has
    wrong types; --values given a value where a source belongs; and the Vercel API
    refusing, garbling or not answering a canary token. The one-line error, on stderr and
    in the machine formats' documents, names the file, line and key, never the value; and
    nothing that was written holds one."""
    batch = Batch(workdir, canary_env)
    _queue_bad_environments(batch, workdir)
    _queue_bad_dotenv_files(batch, workdir)
    _queue_bad_vercel_json(batch, workdir)
    _queue_values_where_sources_belong(batch)
    with contextlib.ExitStack() as stack:
        _queue_api_failures(batch, stack, canary_env)
        guess = ("diff", "production", "vercel:meterr", "--token", TOKEN)  # no such option
        batch.add(*guess, codes=[2], says="No such option: --token")
        before = set(workdir.rglob("*"))
        batch.run()
    record_property("cases", batch.ran)  # commands run, for docs/reliability.md
    _report(batch.problems + _written_leaks(workdir, before))


# A hand-written vercel.json with secrets in every place one turns up in legacy configs.
SECRETS_JSON = {
    "framework": "nextjs",
    "env": {"JWT_SECRET": JWT},  # read as the folder's variables: redacted
    "build": {"env": {"CRON_SECRET": CRON}},
    "github": {"token": CRON},
    "alias": [DB],  # a URL with a password
    "headers": [
        {
            "source": "/api/(.*)",
            "headers": [
                {"key": "X-Api-Key", "value": OPENAI},
                {"key": "Authorization", "value": f"Bearer {JWT}"},
            ],
        }
    ],
    "redirects": [{"source": "/db", "destination": DB, "permanent": False}],
    "rewrites": [
        {"source": "/ai/(.*)", "destination": f"https://ai.example.com/$1?key={ENCRYPTION}"}
    ],
}


def test_a_folder_whose_vercel_json_holds_secrets(
    workdir: Path, canary_env: dict[str, str], record_property: Recorder
) -> None:
    """A dir: source whose vercel.json carries secrets the legacy ways (`env`, `build.env`,
    a token key), as a URL with a password (an alias, a redirect destination), in
    credential headers and in a rewrite's query string: lint, diff and import show and
    write none of them, in every format and under -v."""
    folder = workdir / "secrets-json"
    folder.mkdir()
    (folder / "vercel.json").write_text(json.dumps(SECRETS_JSON, indent=2))
    batch = Batch(workdir, canary_env)
    for verbose in VERBOSITIES:
        for fmt in FORMATS:
            batch.add(*verbose, "lint", "dir:secrets-json", "--format", fmt)
            batch.add(*verbose, "diff", "env:production", "dir:secrets-json", "--format", fmt)
            batch.add(*verbose, "diff", "dir:secrets-json", "dir:legacy", "--format", fmt)
        for keep in ((), ("--passthrough",)):
            files = ("secrets-json/vercel.json", "--env", "x", "--out", "-", *keep)
            batch.add(*verbose, "import", *files, *PROJECT)
    before = set(workdir.rglob("*"))
    batch.add("import", "secrets-json/vercel.json", "--env", "from-json", *PROJECT)
    batch.run()
    record_property("cases", batch.ran)  # commands run, for docs/reliability.md
    _report(batch.problems + _written_leaks(workdir, before))

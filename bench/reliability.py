#!/usr/bin/env python3
"""Write docs/reliability.md from a real run: every input class and fault tried, how
many cases, and what happened.

It runs the hardening tests under pytest (each test that tries many cases records how
many through pytest's `record_property("cases", n)`, read back from the JUnit XML) and
the long fuzzing run of bench/fuzz.py, then writes the table. Nothing in the report is
typed by hand but the description of each row.

Usage (from the repository root, after `pip install -e '.[test]'`):
    python bench/reliability.py [--examples N] [--out docs/reliability.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# (test file, test name prefix or "" for the whole file) -> (input class, fault tried).
ROWS: list[tuple[str, str, str, str]] = [
    (
        "tests/test_fuzz.py",
        "",
        "Fuzzing, CI profile",
        "random TOML, mutated bundled environments, random vercel.json and dotenv files, "
        "through every command in-process: exit 0, 1 or 2 only, no traceback, one-line "
        "errors, nothing half-written",
    ),
    (
        "tests/test_canary.py",
        "test_no_command_leaks",
        "Canary secrets: dotenv and process",
        "every command in every format, default and -v, with canaries in a pulled .env, "
        "the process environment, a hand-edited .env.example and a folder's .env; stdout, "
        "stderr and every written file searched",
    ),
    (
        "tests/test_canary.py",
        "test_the_vercel_api",
        "Canary secrets: the Vercel API",
        "diff and lint against a real HTTP server in the Vercel API's shapes serving "
        "canary values and a canary token, every format, default and -v",
    ),
    (
        "tests/test_canary.py",
        "test_failing_commands",
        "Canary secrets: failing input",
        "wrong types, unknown keys, TOML and JSON syntax errors, bad --values, API "
        "errors (401, 403, bad JSON, unreachable, credentials in the URL), each holding "
        "a canary: exit 2, and the one-line error never shows it",
    ),
    (
        "tests/test_canary.py",
        "test_a_folder_whose",
        "Canary secrets: secrets in vercel.json",
        "a dir: source whose vercel.json holds secrets in env, build.env, github, alias, "
        "headers, a destination and a query string",
    ),
    (
        "tests/test_fuzz_found.py",
        "",
        "Fuzzing: what it found, kept",
        "each input the fuzzer once crashed on (wrong-shaped vercel.json, 4,301-digit "
        "numbers, lone surrogates, keys holding newlines), as an exact test",
    ),
    (
        "tests/test_secret_places.py",
        "",
        "Secrets inside longer values",
        "tokens in a query, after Bearer, in a URL's password, in a has value and in a "
        "legacy route, against slugs, commit hashes and UUIDs that only look random",
    ),
    (
        "tests/test_sigkill.py",
        "",
        "SIGKILL during render",
        "render killed at random moments; every generated file is then the old or the "
        "new version, never truncated, and the next render and check pass",
    ),
    (
        "tests/test_atomic.py",
        "",
        "Interrupted and failed writes",
        "staging files left by a killed run are cleared; a write that fails leaves "
        "every target as it was",
    ),
    (
        "tests/test_hostile_paths.py",
        "",
        "Hostile paths and permissions",
        "symlinks out of generated/, environments/ and dir: folders, environment names "
        "that are paths, two outputs joined by a link; file modes under three umasks",
    ),
    (
        "tests/test_regexsafety.py",
        "",
        "Hostile patterns (VER010)",
        "catastrophic-backtracking regexes in sources and has values found without "
        "running them; slow ones the analysis misses stopped by the timeout",
    ),
    (
        "tests/test_big_input.py",
        "",
        "Big input",
        "20 MB environment, dotenv and vercel.json files; tables and arrays 1,000 deep; "
        "JSON 100,000 deep; an extends chain 500 long",
    ),
    (
        "tests/hostile/test_redaction.py",
        "",
        "Hostile repository: secrets in output",
        "a key added by hand to .env.example, a private key block, tokens in a generated "
        "vercel.json and next.config.ts, a token in a cron path, key shapes in cron "
        "schedules and origins, a supplied secret quoted by a rule: never printed",
    ),
    (
        "tests/realtools/test_next_secrets.py",
        "",
        "Hostile next.config (real Next.js)",
        "a config that fails to compile with a key on its line, and one that reads "
        "process.env.VERCEL_TOKEN into an error or a header: no code frame, no token",
    ),
    (
        "tests/hostile/test_links.py",
        "",
        "Hostile repository: links and special files",
        ".env.example linked to /proc/self/environ for init, schemas/ linked out, FIFOs "
        "for init, import, dir: and dotenv:, /dev/zero, outward links for every reader, a "
        "link swapped in after the check: refused in one line, nothing read or written",
    ),
    (
        "tests/hostile/test_writes.py",
        "",
        "Writes: all or nothing, race-free",
        "a rename failing mid-commit (every file restored), generated/ and "
        "generated/production swapped for links after the check, two renders at once "
        "(25 runs), init stopping before writing",
    ),
    (
        "tests/test_fuzz_files.py",
        "",
        "Fuzzing: links and special files",
        "the harness's planted links (out, in, dangling, loops, to devices and /proc), "
        "FIFOs and sockets: made as drawn, a blocked open reported, an outside secret "
        "printed or an outside file changed counted as a failure",
    ),
    (
        "tests/hostile/test_network.py",
        "",
        "Hostile servers: bounded reads",
        "a cursor that never advances or goes forward, more than MAX_PAGES pages, dripping "
        "headers and bodies, endless bodies, a 40 MB gzip bomb, redirects, request counts; "
        "url: credentials and API error bodies echoing the token in every format",
    ),
    (
        "tests/hostile/test_api_shapes.py",
        "",
        "Hostile servers: malformed answers",
        "31 wrong shapes of Vercel API answers (regions as a string, an env without key, "
        "targets as numbers, a deployment uid that is a path…): one line naming the "
        "endpoint, field and expectation",
    ),
    (
        "tests/hostile/test_fuzz_servers.py",
        "",
        "Fuzzing: hostile servers",
        "hypothesis-drawn servers (malformed shapes, bad cursors, odd statuses, drips, "
        "endless, bombs, fake gzip) against diff and lint in every format: exit 0, 1 or "
        "2, one-line errors, never the token",
    ),
    (
        "tests/hostile/test_bounds.py",
        "",
        "Slow on small input: linear work",
        "200 KB .env files (one multi-line value, spaces, sk-sk-sk-…, a.a.a…), adversarial "
        "key shapes, a 13 KB vercel.json of 576 slow rule pairs, lint on 1 MB of hostile "
        "values: operation budgets, not timers; the regex budget shared and noted",
    ),
    (
        "tests/hostile/test_ver010.py",
        "",
        "Hostile patterns: polynomial backtracking (VER010)",
        "adjacent repetitions that trade the same text, with their degree, each timing out "
        "on a crafted path under the regex engine; disjoint neighbours and every route of "
        "the bundled environments and tests not flagged; no key-shaped value in messages",
    ),
    (
        "tests/test_linear_scans.py",
        "",
        "Linear scans answer as before",
        "the rewritten dotenv parser and key-shape scan against the old ones, on "
        "hypothesis-drawn ordinary input: the same answers",
    ),
    (
        "tests/hostile/test_review.py",
        "",
        "What a review of the fixes still broke",
        "a multi-line secret printed with print(), a secret in a markdown cell or cut by a "
        "message, a secret-named variable in next.config.ts, a source name forging a "
        "workflow command, a committed link to a folder elsewhere, C1 controls, a "
        "quadratic scheme search",
    ),
    (
        "tests/hostile/test_one_line.py",
        "",
        "Hostile names: one line",
        "newlines, CR, ESC, U+2028 and U+0085 in file names and paths, a committed file "
        "named like a workflow command: every error one line, no forged annotation",
    ),
    (
        "tests/test_bad_input.py",
        "",
        "Bad input",
        "malformed TOML, wrong types, unknown keys, extends cycles, missing files, "
        "unreadable folders: one line naming file and line or key, exit 2",
    ),
]


@dataclass
class Row:
    """One line of the report."""

    name: str
    fault: str
    tests: int = 0
    cases: int = 0
    failed: list[str] = field(default_factory=list)
    skipped: int = 0


def _run_pytest(xml: Path) -> None:
    files = sorted({file for file, *_ in ROWS})
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    subprocess.run([*command, f"--junitxml={xml}", *files], cwd=ROOT, check=False)


def _rows_from(xml: Path) -> list[Row]:
    rows = [Row(name, fault) for _, _, name, fault in ROWS]
    for case in ET.parse(xml).getroot().iter("testcase"):
        module = (case.get("classname") or "").replace(".", "/") + ".py"
        name = case.get("name") or ""
        index = next(
            (
                i
                for i, (file, prefix, *_) in enumerate(ROWS)
                if module == file and name.startswith(prefix)
            ),
            None,
        )
        if index is None:
            continue
        row = rows[index]
        row.tests += 1
        cases = [p.get("value") for p in case.iter("property") if p.get("name") == "cases"]
        row.cases += int(cases[0]) if cases and cases[0] else 1
        if case.find("failure") is not None or case.find("error") is not None:
            row.failed.append(name)
        elif case.find("skipped") is not None:
            row.skipped += 1
    return rows


def _run_fuzz(examples: int, out: Path) -> None:
    command = [sys.executable, "bench/fuzz.py", "--examples", str(examples)]
    subprocess.run([*command, "--json", str(out)], cwd=ROOT, check=False)


def _result(row: Row) -> str:
    if row.failed:
        return f"**{len(row.failed)} failed**: " + ", ".join(f"`{n}`" for n in row.failed)
    if not row.tests:
        return "**not run**"
    return "passed" + (f" ({row.skipped} skipped)" if row.skipped else "")


_FUZZ_CLASSES = {
    "toml": "random TOML documents as environment files",
    "mutation": "the bundled environments with keys deleted, retyped, misspelt, "
    "`extends` repointed (cycles, missing), lines and bytes damaged",
    "vercel.json": "random and Vercel-shaped vercel.json with wrong types, odd patterns, "
    "huge numbers, lone surrogates, as dir: input and imported",
    "dotenv": "random dotenv files (quotes, multi-line, export, CRLF, BOM, not UTF-8) as "
    "dotenv:, --values and dir: input, and imported",
    "links": "symlinks planted where commands read and write (out of the project, into "
    "it, dangling, loops, to /dev and /proc), an outside secret watched",
    "special files": "FIFOs, sockets and devices planted where commands read and write: "
    "refused, never waited on",
}


def _fuzz_rows(fuzz: dict[str, Any]) -> list[str]:
    lines = []
    for name, tally in fuzz.get("classes", {}).items():
        failures = tally["failures"]
        result = "passed" if not failures else f"**{failures} failed**"
        lines.append(
            f"| Fuzzing, long run (seed {fuzz['seed']}): {name} | {_FUZZ_CLASSES.get(name, name)}"
            f" | {tally['examples']:,} examples (exit 0: {tally['exit_0']:,}, 1: "
            f"{tally['exit_1']:,}, 2: {tally['exit_2']:,}) | {result} |"
        )
    return lines


def _commit() -> str:
    out = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True)
    return out.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def render(rows: list[Row], fuzz: dict[str, Any], seconds: float, n: int) -> str:
    """The report's markdown."""
    lines = [
        "# Reliability report",
        "",
        "Every input class and fault meterr-config is tried against, how many cases were",
        "tried, and the result. Generated by a real run; regenerate it with:",
        "",
        "```sh",
        f"python bench/reliability.py --examples {n}",
        "```",
        "",
        f"Run at commit {_commit()} on {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, in {seconds / 60:.1f} minutes. The tests it runs are in",
        "`.ci/run` too; there the fuzzing uses its smaller CI profile.",
        "",
        "| input class | what is tried | cases | result |",
        "| --- | --- | --- | --- |",
    ]
    for row in rows:
        tests = f"{row.tests} test{'s' if row.tests != 1 else ''}"
        cases = f"{row.cases:,} runs in {tests}" if row.cases != row.tests else tests
        lines.append(f"| {row.name} | {row.fault} | {cases} | {_result(row)} |")
    lines += _fuzz_rows(fuzz)
    for failure in fuzz.get("failures", []):
        lines += ["", f"Fuzzing failure ({failure['class']}): {failure['signature']}"]
    lines += _bounds()
    return "\n".join(lines) + "\n"


def _bounds() -> list[str]:
    """Every bound meterr-config enforces, from meterr_config/limits.py, with its value."""
    from meterr_config.limits import BOUNDS

    lines = [
        "",
        "## Bounds",
        "",
        "What meterr-config reads, waits for and runs at most, from",
        "`meterr_config/limits.py`. Past a bound, the run stops with one line naming it",
        "(exit 2); past a regex bound, the match is reported as not decided (never as a",
        "pass); `MAX_DIFF_LINES` only shortens what `check` shows.",
        "",
        "| bound | value | what |",
        "| --- | --- | --- |",
    ]
    for bound in BOUNDS:
        value = f"{bound.value:,}" if float(bound.value).is_integer() else f"{bound.value:g}"
        lines.append(f"| `{bound.name}` | {value.removesuffix('.0')} {bound.unit} | {bound.what} |")
    return lines


def main() -> int:
    """Run everything, write the report, exit 1 if anything failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "reliability.md")
    args = parser.parse_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        xml, fuzz_json = Path(scratch) / "junit.xml", Path(scratch) / "fuzz.json"
        _run_pytest(xml)
        _run_fuzz(args.examples, fuzz_json)
        rows = _rows_from(xml)
        fuzz = json.loads(fuzz_json.read_text()) if fuzz_json.exists() else {}
    report = render(rows, fuzz, time.perf_counter() - start, args.examples)
    args.out.write_text(report)
    print(report)
    failed = any(row.failed or not row.tests for row in rows) or not fuzz
    failed = failed or bool(fuzz.get("failures"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Fuzz every command (issues 10 and 16): N examples (default 10,000) spread evenly over
the input classes of tests/fuzzing (random TOML, mutated environments, vercel.json,
dotenv, links, special files), each example one command run in-process on a fresh copy
of the bundled project.

Prints, per class, the examples run, how many exited 0, 1 and 2, the failures (a broken
CLI contract: an exception, another exit code, a traceback, a multi-line exit-2 error, a
file changed) and the wall time. A failure does not stop the run; afterwards each
distinct failure is found again (same seed, same examples) and shrunk by Hypothesis to a
minimal reproducer, which is printed. `--json PATH` writes the counts (for
docs/reliability.md). Exits 1 if anything failed.

Usage (from the repository root, after `pip install -e '.[test]'`):
    python bench/fuzz.py [--examples N] [--seed S] [--json PATH] [--no-shrink] [--class NAME]...
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.fuzzing
from tests.fuzzing.harness import ContractError, Outcome, Project, command_name
from tests.fuzzing.strategies import CLASSES, Case

COLUMNS = ("examples", "exit 0", "exit 1", "exit 2", "failures", "seconds")


@dataclass
class Tally:
    """What one class's examples did."""

    examples: int = 0
    exits: Counter[int | str | None] = field(default_factory=Counter)
    commands: Counter[tuple[str, str]] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)  # by signature
    first: dict[str, str] = field(default_factory=dict)  # signature: the first such failure
    seconds: float = 0.0

    def add(self, outcome: Outcome) -> None:
        self.examples += 1
        self.exits[outcome.code] += 1
        self.commands[command_name(outcome.argv), f"exit_{outcome.code}"] += 1

    def fail(self, error: ContractError) -> None:
        self.examples += 1
        self.failures[error.signature] += 1
        self.first.setdefault(error.signature, str(error))
        self.commands[command_name(error.case.argv), "failures"] += 1

    def row(self) -> tuple[int, int, int, int, int, float]:
        e = self.exits
        return (self.examples, e[0], e[1], e[2], sum(self.failures.values()), self.seconds)

    def as_json(self) -> dict[str, Any]:
        by_command: dict[str, dict[str, int]] = {}
        for (command, result), count in sorted(self.commands.items()):
            by_command.setdefault(command, {})[result] = count
        keys = [column.replace(" ", "_") for column in COLUMNS]
        return {**dict(zip(keys, self.row(), strict=True)), "commands": by_command}


def _settings(examples: int, phases: list[Phase]) -> settings:
    """No database: the run is defined by its seed alone, so a failure can be found again."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=phases,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
    )


def explore(project: Project, strategy: st.SearchStrategy[Case], examples: int, at: int) -> Tally:
    """Run `examples` examples, recording each outcome and going on after a failure."""
    tally = Tally()

    @_settings(examples, [Phase.generate])
    @seed(at)
    @given(strategy)
    def one(case: Case) -> None:
        try:
            tally.add(project.run(case))
        except ContractError as error:
            tally.fail(error)

    start = time.perf_counter()
    one()
    tally.seconds = time.perf_counter() - start
    return tally


def minimal(
    project: Project, strategy: st.SearchStrategy[Case], examples: int, at: int, signature: str
) -> str | None:
    """The same run again, stopping at the first failure with `signature`, which
    Hypothesis then shrinks: the smallest case that fails that way, as a reproducer.
    None if the failure did not happen again."""

    @_settings(examples, [Phase.generate, Phase.shrink])
    @seed(at)
    @given(strategy)
    def one(case: Case) -> None:
        try:
            project.run(case)
        except ContractError as error:
            if error.signature == signature:
                raise

    try:
        one()
    except ContractError as error:
        return str(error)
    except Exception as error:  # e.g. Hypothesis's FlakyFailure: it failed once, not twice
        return f"(not shrunk: {type(error).__name__})\n{error}"
    return None


def table(rows: dict[str, Tally]) -> None:
    print(f"{'class':<12}" + "".join(f"{c:>10}" for c in COLUMNS))
    for name, tally in rows.items():
        *counts, seconds = tally.row()
        print(f"{name:<12}" + "".join(f"{n:>10}" for n in counts) + f"{seconds:>10.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=10_000, help="in all (default 10000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the counts here")
    parser.add_argument("--no-shrink", action="store_true", help="skip the minimal reproducers")
    parser.add_argument("--class", dest="classes", action="append", choices=list(CLASSES))
    args = parser.parse_args()
    classes = args.classes or list(CLASSES)
    share = {name: args.examples // len(classes) for name in classes}
    share[classes[0]] += args.examples % len(classes)

    print(f"fuzz: {args.examples} examples, seed {args.seed}")
    tallies: dict[str, Tally] = {}
    reproducers: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="meterr-fuzz-") as scratch:
        project = Project(Path(scratch))
        for name in classes:
            tallies[name] = explore(project, CLASSES[name], share[name], args.seed)
            print(f"  {name}: done in {tallies[name].seconds:.1f} s", flush=True)
        for name in classes:
            for signature, count in tallies[name].failures.items():
                found = None
                if not args.no_shrink:
                    found = minimal(project, CLASSES[name], share[name], args.seed, signature)
                if found is None:  # not shrunk, or not met again (it depends on timing?)
                    found = f"(not shrunk; the first one seen:)\n{tallies[name].first[signature]}"
                reproducers.append(
                    {"class": name, "signature": signature, "count": count, "minimal": found}
                )
    total = Tally()
    for tally in tallies.values():
        total.examples += tally.examples
        total.exits += tally.exits
        total.failures += tally.failures
        total.commands += tally.commands
        total.seconds += tally.seconds
    print()
    table({**tallies, "total": total})
    for failure in reproducers:
        print(
            f"\nFAILURE ({failure['class']}, {failure['count']} examples): {failure['signature']}"
        )
        print(failure["minimal"])
    if args.json:
        document = {
            "examples": args.examples,
            "seed": args.seed,
            "classes": {name: tally.as_json() for name, tally in tallies.items()},
            "total": total.as_json(),
            "failures": reproducers,
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return 1 if reproducers else 0


if __name__ == "__main__":
    sys.exit(main())

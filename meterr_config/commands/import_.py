"""`meterr-config import`: existing vercel.json, next.config and .env files into an
environment file, with one line for everything changed, declared secret, assumed or lost.

Exit 0 when everything was carried over (deliberate fixes included), 1 when something was
not (the file is still written, like `ruff --fix` with fixes left over), 2 on bad input,
with nothing written.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import replace
from pathlib import Path

from meterr_config import atomic
from meterr_config.errors import InputError, Location
from meterr_config.formats import EXIT_CLEAN, EXIT_FINDINGS
from meterr_config.importer.build import Options, build, read_inputs
from meterr_config.importer.notes import LABELS
from meterr_config.importer.toml_out import to_toml
from meterr_config.load import NAME_RE
from meterr_config.paths import confined, resolved
from meterr_config.redact import scrub_remembered
from meterr_config.verbosity import quiet, say

TARGET_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")

STDOUT = Path("-")


def _schema_line(out: Path) -> str:
    """Where `meterr-config schema` writes the schema, seen from the output's folder."""
    if out == STDOUT:
        return "../schemas/environment.schema.json"
    schema = Path.cwd() / "schemas" / "environment.schema.json"
    return Path(os.path.relpath(schema, out.resolve().parent)).as_posix()


def _check_output(target: Path, files: list[Path], force: bool, options: Options) -> None:
    """Never write over an input, a folder, or (without --force) an existing file; and an
    environment that extends another must sit in the same folder, or it cannot load."""
    where = Location(str(target))
    if target.is_dir():
        raise InputError("is a folder; give a file name such as NAME.toml", where)
    if any(resolved(target) == resolved(f) for f in files if f.exists()):
        raise InputError("is one of the files being imported", where)
    if target.exists() and not force:
        raise InputError("already exists; pass --force to replace it", where)
    beside = resolved(target).parent == options.environments.resolve()
    if options.extends is not None and not beside:
        raise InputError(
            f"must be in {options.environments}, beside the '{options.extends}' it extends",
            where,
        )


def run(
    files: list[Path], options: Options, out: Path | None, force: bool, tools: Path | None
) -> int:
    """Import `files` as environment `options.name`; see the module docstring for exits."""
    if not NAME_RE.match(options.name):
        raise InputError(
            f"'{options.name}' is not an environment name (lowercase letters, digits, '-', '_')"
        )
    if options.extends == options.name:
        raise InputError(f"'{options.name}' cannot extend itself")
    if options.target is not None and not TARGET_RE.match(options.target):
        raise InputError(
            f"--target {options.target!r}: lowercase letters, digits and '-', "
            "like production, preview, development or a custom environment's slug"
        )
    target = out or options.environments / f"{options.name}.toml"
    if out is None:  # a symlink in the environments folder must not lead the write out of it
        confined(target, options.environments, "environments folder")
    if target != STDOUT:
        _check_output(target, files, force, options)
    label = f"{options.name}.toml" if target == STDOUT else target.name
    result = build(read_inputs(files, tools), replace(options, file_name=label))
    data = to_toml(result.document, _schema_line(target), [path.name for path in files])
    # A next.config is code: whatever secret of this run it found (VERCEL_TOKEN read from
    # /proc, say) and returned as a setting is not written.
    data = scrub_remembered(data.decode()).encode()
    report = sys.stderr if target == STDOUT else sys.stdout
    for note in result.notes:
        if note.kind in ("dropped", "refused") or not quiet():
            print(note.line(), file=report)
    if target == STDOUT:
        sys.stdout.write(data.decode())
    else:
        atomic.write_all({target: data})
        say(f"wrote {target}", report)
    counts = {kind: sum(n.kind == kind for n in result.notes) for kind in LABELS}
    summary = ", ".join(
        f"{counts[kind]} {LABELS[kind] if kind != 'secret' else 'declared secret'}"
        for kind in ("fixed", "secret", "kept", "dropped", "refused")
        if counts[kind] or kind in ("fixed", "dropped")
    )
    say(f"{summary}.", report)
    lost = len(result.problems)
    return EXIT_FINDINGS if lost else EXIT_CLEAN

"""`meterr-config init`: set up a project, then render it, so `check` and `lint` pass.

With a vercel.json, next.config.* or .env.example in the folder, they are imported as the
production environment (through `import`, with its report); otherwise a base,
development, staging and production skeleton with safe defaults is written. Existing
files are never replaced: each one is named and left as it is.

A repository is input like any other: a committed `.env.example -> /proc/self/environ`,
a FIFO or a device among the files imported is refused (see `paths.read_inside`), and
init writes through no link, the environments, schemas and output folders included.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import tomli_w

from meterr_config import atomic
from meterr_config.commands import import_, render
from meterr_config.commands import schema as schema_command
from meterr_config.errors import InputError, Location
from meterr_config.formats import EXIT_CLEAN
from meterr_config.importer.build import Options
from meterr_config.importer.skeleton import skeleton
from meterr_config.paths import present
from meterr_config.realtools.nextcheck import NEXT_CONFIGS
from meterr_config.validate.nextjs import key_lists
from meterr_config.verbosity import say

_EXISTING = ("vercel.json", *NEXT_CONFIGS, ".env.example")


def _project_name(folder: Path) -> str:
    name = re.sub(r"[^a-z0-9._-]+", "-", folder.resolve().name.lower()).strip("-.")
    return name[:100] or "app"


def _refuse_unwritable(folders: tuple[Path, ...], files: tuple[Path, ...]) -> None:
    """Refuse before writing anything when a folder init writes into, or the schema
    file, is a link (the writes would land wherever it points) or something else than a
    folder (a file). The writes open every folder without following links too; this says
    so before the first file is written, so init does not stop halfway."""
    for path in (*folders, *files):
        # a path given whole (absolute) is the user's own: only its end is checked
        for part in (path,) if path.is_absolute() else (path, *path.parents):
            if part.is_symlink():
                raise InputError(
                    "is a symlink: init writes through no link; remove it: refused",
                    Location(str(part)),
                )
            if part.exists() and (part != path or path in folders) and not part.is_dir():
                raise InputError("is not a folder: refused", Location(str(part)))
        if path in files and path.exists() and not path.is_file():
            raise InputError("is not a regular file: refused", Location(str(path)))


def run(environments: Path, out: Path, plan: str | None, tools: Path | None) -> int:
    """Write the environment files that do not exist yet, the schema, and render."""
    folder = Path.cwd()
    if any(environments.glob("*.toml")):
        say(f"{environments} already holds environment files: nothing to do.")
        return EXIT_CLEAN
    _refuse_unwritable((environments, out), (schema_command.DEFAULT_OUT,))
    # Anything at those names is imported, and refused there unless it is a regular file.
    existing = [Path(name) for name in _EXISTING if present(folder / name)]
    code = EXIT_CLEAN
    if existing:
        say(f"importing {', '.join(p.name for p in existing)} as the production environment")
        options = Options(
            name="production", plan=plan, target="production", environments=environments
        )
        code = import_.run(existing, options, None, False, tools)
    else:
        _write_skeleton(environments, _project_name(folder), plan or "pro")
    if not schema_command.DEFAULT_OUT.exists():
        schema_command.run(schema_command.DEFAULT_OUT)
    taken = sorted(p.stem for p in environments.glob("*.toml") if (out / p.stem).exists())
    if taken:  # init never replaces a file: rendered files of another project stay
        say(
            f"{out} already holds {', '.join(taken)}: not rendered over; run `meterr-config "
            f"render --environments {environments} --out DIR` to render elsewhere"
        )
        return code
    return max(code, render.run(environments, None, out))


def _write_skeleton(environments: Path, project: str, plan: str) -> None:
    version = ".".join(str(part) for part in key_lists()[-1][0][:2])
    schema = os.path.relpath(schema_command.DEFAULT_OUT.resolve(), environments.resolve())
    line = f"#:schema {Path(schema).as_posix()}\n\n"
    files = {
        environments / f"{name}.toml": (line + tomli_w.dumps(tables)).encode()
        for name, tables in skeleton(project, plan, version).items()
    }
    for path in atomic.write_all(files, root=environments):
        say(f"wrote {path}")
    say(f"Project '{project}' on the {plan} plan, Next.js {version}: edit {environments}/.")

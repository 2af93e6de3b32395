"""Put the imported tables together into one environment, check it renders like the inputs.

Reading and converting each input is its own module's job; this one decides what the
environment file holds (project, target, layers, `extends`), validates the result as the
loader would, and turns every unexplained render difference into a note.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from meterr_config.envfile import DotenvEntry, parse_dotenv
from meterr_config.errors import InputError, Location
from meterr_config.findings import Severity
from meterr_config.importer.dotenv_file import import_dotenv
from meterr_config.importer.next_config import (
    import_next,
    key_lines,
    load_next,
    resolved_routes,
)
from meterr_config.importer.notes import Note, Notes
from meterr_config.importer.order import canonical
from meterr_config.importer.overlay import overlay
from meterr_config.importer.routes import Table
from meterr_config.importer.vercel_json import import_vercel
from meterr_config.importer.verify import next_differences, vercel_differences
from meterr_config.keypath import format_path
from meterr_config.limits import MAX_DEPTH, too_deep
from meterr_config.lint.deploy import deploy_findings
from meterr_config.load import (
    LoadedEnvironment,
    Loader,
    SourceFile,
    deep_merge,
    normalise_shorthands,
)
from meterr_config.models import Environment
from meterr_config.models.envvars import BUILTIN_TARGETS
from meterr_config.paths import own_folder, own_root, present, text_inside
from meterr_config.sources.folder import read_vercel_json
from meterr_config.validate.nextjs import key_lists, parse_version

_NEXT_NAME = re.compile(r"^next\.config(\.[\w-]+)*\.(ts|mts|mjs|js|cjs)$")
_DOTENV_NAME = re.compile(r"^\.env(\..+)?$|\.env$")


@dataclass
class Inputs:
    """The files to import, each parsed: at most one vercel.json and one next.config."""

    vercel: tuple[Path, dict[str, Any]] | None = None
    next: tuple[Path, dict[str, Any]] | None = None
    dotenv: list[tuple[Path, dict[str, DotenvEntry]]] = field(default_factory=list)
    vercel_lines: dict[str, int] = field(default_factory=dict)
    next_text: str = ""

    def first(self) -> Path | None:
        """The first input file: vercel.json, else next.config, else a dotenv file."""
        if self.vercel is not None:
            return self.vercel[0]
        if self.next is not None:
            return self.next[0]
        return self.dotenv[0][0] if self.dotenv else None


def read_inputs(files: list[Path], tools_dir: Path | None) -> Inputs:
    """Parse each file by what its name says it is; anything else is bad input.

    Each must be a regular file whose real place is in the folder it is named in: a
    committed `.env.example -> /proc/self/environ`, a FIFO or a device is refused."""
    inputs = Inputs()
    for path in files:
        if path.is_dir() and not path.is_symlink():
            raise InputError("is a folder; name the files to import", Location(str(path)))
        if not present(path):
            raise InputError("file not found", Location(str(path)))
        if path.suffix == ".json":
            if inputs.vercel is not None:
                raise InputError("import one vercel.json at a time", Location(str(path)))
            doc, lines, _ = read_vercel_json(path, own_root(path), own_folder(path))
            inputs.vercel = (path, doc or {})
            inputs.vercel_lines = {format_path(key): line for key, line in lines.items()}
        elif _NEXT_NAME.match(path.name):
            if inputs.next is not None:
                raise InputError("import one next.config at a time", Location(str(path)))
            inputs.next = (path, {})
            inputs.next_text = text_inside(path, own_root(path), own_folder(path))
        elif _DOTENV_NAME.search(path.name):
            text = text_inside(path, own_root(path), own_folder(path))
            inputs.dotenv.append((path, parse_dotenv(text, str(path))))
        else:
            raise InputError(
                "not a vercel.json (*.json), next.config.* or dotenv (.env, .env.*, *.env) file",
                Location(str(path)),
            )
    if inputs.next is not None:  # last: the slowest, and only once the rest parsed
        inputs.next = (inputs.next[0], load_next(inputs.next[0], tools_dir, inputs.next_text))
    if inputs.next is not None and too_deep(inputs.next[1]):  # read_vercel_json checks its own
        message = f"nested more than {MAX_DEPTH} levels deep; no config is"
        raise InputError(message, Location(str(inputs.next[0])))
    return inputs


@dataclass(frozen=True)
class Options:
    """What the command line says about the environment being imported."""

    name: str
    extends: str | None = None
    passthrough: bool = False
    project: str | None = None
    plan: str | None = None
    next_version: str | None = None
    target: str | None = None
    environments: Path = Path("environments")
    file_name: str = "environment file"


@dataclass
class Result:
    """The environment file's tables and the notes, in input order."""

    document: dict[str, Any]
    notes: list[Note]

    @property
    def problems(self) -> list[Note]:
        """Notes about what was not carried over, or what render would refuse."""
        return [n for n in self.notes if n.kind in ("dropped", "refused")]


def build(inputs: Inputs, options: Options) -> Result:
    """The environment file for `inputs`, and what the import changed or could not carry."""
    parent = _parent(options)
    setup = Notes(options.file_name)
    version = _next_version(options, inputs, parent, setup)
    tables: dict[str, dict[str, Table]] = {}
    notes: dict[str, Notes] = {}
    if inputs.vercel is not None:
        path, doc = inputs.vercel
        notes["vercel"] = Notes(path.name, inputs.vercel_lines)
        tables["vercel"] = import_vercel(doc, notes["vercel"], options.passthrough)
    if inputs.next is not None:
        path, doc = inputs.next
        notes["next"] = Notes(path.name, key_lines(inputs.next_text, doc))
        parsed = parse_version(version)
        tables["next"] = import_next(doc, notes["next"], options.passthrough, parsed)
    for path, entries in inputs.dotenv:
        notes[str(path)] = Notes(path.name, {name: e.line for name, e in entries.items()})
        tables[str(path)] = import_dotenv(entries, notes[str(path)], parent or {})
    imported = _assemble(tables, parent, options, inputs, setup, version)
    document = imported
    merged = imported
    if parent is not None:
        owned = {"vercel"} if inputs.vercel else set()
        owned |= {"nextjs"} if inputs.next else set()
        document = {"extends": options.extends, **overlay(imported, parent, owned)}
        merged = _merge(parent, document)
    model = _validate(merged, options)
    _render_check(model, inputs, notes, options)
    _deploy_check(model, options, setup)
    return Result(canonical(document), [n for g in (setup, *notes.values()) for n in g.items])


def _deploy_check(model: Environment, options: Options, setup: Notes) -> None:
    """What `render` would refuse (plan limits, bad patterns…) is said now, not later."""
    source = SourceFile(options.name, Path(options.file_name), "", {})
    for finding in deploy_findings(LoadedEnvironment(options.name, model, (source,))):
        if finding.severity == Severity.ERROR:
            setup.add(finding.key or "", "refused", f"{finding.rule} {finding.message}")


def _next_version(
    options: Options, inputs: Inputs, parent: dict[str, Any] | None, setup: Notes
) -> str:
    """The target Next.js version: given, inherited, the app's package.json, or assumed."""
    if options.next_version is not None:
        return options.next_version
    if parent is not None and (inherited := (parent.get("project") or {}).get("next_version")):
        return str(inherited)
    if (found := _package_next(inputs)) is not None:
        setup.add("project.next_version", "assumed", f"'{found}', from package.json")
        return found
    if inputs.next is not None and (loaded := str(inputs.next[1].get("version", ""))):
        version = ".".join(loaded.split(".")[:2])
        why = "the Next.js that loaded next.config"
    else:
        version = ".".join(str(part) for part in key_lists()[-1][0][:2])
        why = "the newest this release knows"
    setup.add("project.next_version", "assumed", f"'{version}', {why}; pass --next-version")
    return version


def _package_next(inputs: Inputs) -> str | None:
    """major.minor of the `next` dependency in the nearest package.json, if any."""
    first = inputs.first()
    if first is None:
        return None
    for folder in [first.resolve().parent, *first.resolve().parent.parents][:4]:
        package = folder / "package.json"
        if present(package):  # a FIFO or a link out of its folder is refused, not read
            try:
                data = json.loads(text_inside(package, folder, f"folder {folder}"))
            except ValueError:
                return None
            if not isinstance(data, dict):
                return None
            deps = {**(data.get("devDependencies") or {}), **(data.get("dependencies") or {})}
            match = re.search(r"(\d+)\.(\d+)", str(deps.get("next", "")))
            return f"{match.group(1)}.{match.group(2)}" if match else None
    return None


def _parent(options: Options) -> dict[str, Any] | None:
    if options.extends is None:
        return None
    loader = Loader(options.environments)
    return loader.merged(loader.chain(options.extends))


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """`child` over `parent` as the loader merges them (the parent is normalised already)."""
    return deep_merge(
        parent, normalise_shorthands({k: v for k, v in child.items() if k != "extends"})
    )


def _assemble(
    tables: dict[str, dict[str, Table]],
    parent: dict[str, Any] | None,
    options: Options,
    inputs: Inputs,
    setup: Notes,
    version: str,
) -> dict[str, Any]:
    out: dict[str, Any] = {"target": _target(options, setup)}
    if parent is None:
        out["project"] = _project(options, inputs, setup, version, tables)
    for section in ("vercel", "nextjs", "env", "flags"):
        for found in tables.values():
            if found.get(section):
                out.setdefault(section, {}).update(found[section])
    for section in ("security", "cors"):
        _layered(out, section, tables, parent, inputs)
    return out


def _layered(
    out: dict[str, Any],
    section: str,
    tables: dict[str, dict[str, Table]],
    parent: dict[str, Any] | None,
    inputs: Inputs,
) -> None:
    """Security headers or CORS found in vercel.json, next.config or both: one table."""
    found = {
        kind: tables[kind][section]
        for kind in ("vercel", "next")
        if section in tables.get(kind, {})
    }
    if not found:
        return
    tables_seen = list(found.values())
    first = {k: v for k, v in tables_seen[0].items() if k != "layer"}
    layers = {
        t["layer"] for t in tables_seen if {k: v for k, v in t.items() if k != "layer"} == first
    }
    differing = found.get("next")
    if section == "security" and differing is not None and "next" not in layers:
        # next.config sends other security headers than vercel.json: keep them as its
        # first header rule, where they were, rather than lose them.
        rule = {"source": differing["source"], "headers": differing["headers"]}
        out.setdefault("nextjs", {}).setdefault("headers", []).insert(0, rule)
    if section == "cors" and len(found) == 2:
        first["paths"] = list(dict.fromkeys([*found["vercel"]["paths"], *found["next"]["paths"]]))
        layers = {"vercel", "next"}
    if parent is not None:  # a layer whose file was not imported keeps the parent's setting
        parent_layer = (parent.get(section) or {}).get(
            "layer", "both" if section == "security" else "next"
        )
        unread = {"vercel"} if inputs.vercel is None else set()
        unread |= {"next"} if inputs.next is None else set()
        layers |= {"vercel", "next"} & unread if parent_layer == "both" else {parent_layer} & unread
    if section == "cors":
        first.setdefault("allowed_origins", [])
    first["layer"] = "both" if layers == {"vercel", "next"} else layers.pop()
    out[section] = first


def _target(options: Options, setup: Notes) -> str:
    if options.target is not None:
        return options.target
    if options.name in BUILTIN_TARGETS:
        return options.name
    setup.add(
        "target",
        "assumed",
        f"'preview'; pass --target {options.name} if it is a Vercel custom environment",
    )
    return "preview"


def _smallest_plan(tables: dict[str, dict[str, Table]]) -> tuple[str, str]:
    """The cheapest plan the imported config fits: several regions need Enterprise."""
    vercel = tables.get("vercel", {}).get("vercel", {})
    regions = [len(vercel.get("regions", []))]
    regions += [len(f.get("regions", [])) for f in vercel.get("functions", {}).values()]
    if max(regions) > 1:
        return "enterprise", f"{max(regions)} function regions need it"
    return "pro", "the plan drives the limit rules"


def _project(
    options: Options,
    inputs: Inputs,
    setup: Notes,
    version: str,
    tables: dict[str, dict[str, Table]],
) -> dict[str, Any]:
    name = options.project
    if name is None:
        first = inputs.first()
        folder = first.resolve().parent.name if first is not None else ""
        name = re.sub(r"[^a-z0-9._-]+", "-", folder.lower()).strip("-.")[:100] or "app"
        setup.add("project.name", "assumed", f"'{name}' (the folder's name); pass --project")
    plan = options.plan
    if plan is None:
        plan, why = _smallest_plan(tables)
        setup.add("project.plan", "assumed", f"'{plan}' ({why}); pass --plan")
    return {"name": name, "plan": plan, "next_version": version}


def _validate(merged: dict[str, Any], options: Options) -> Environment:
    try:
        return Environment.model_validate(normalise_shorthands(merged))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(
            f"the imported environment is not valid: {where}: {first['msg']}",
            Location(options.name),
        ) from None


def _render_check(
    model: Environment, inputs: Inputs, notes: dict[str, Notes], options: Options
) -> None:
    """Note every render difference that no earlier note explains."""
    checks = []
    if inputs.vercel is not None:
        checks.append((notes["vercel"], vercel_differences(model, inputs.vercel[1])))
    if inputs.next is not None:
        doc = inputs.next[1]
        diffs = next_differences(model, doc.get("userConfig") or {}, resolved_routes(doc))
        checks.append((notes["next"], diffs))
    inherited = (
        f"; it may come from '{options.extends}', which an overlay cannot undo"
        if options.extends
        else ""
    )
    for file_notes, diffs in checks:
        known = list(file_notes.items)
        for key, what in diffs:
            if not any(note.explains(file_notes.file, key) for note in known):
                file_notes.add(
                    key, "dropped", f"the imported environment's render: {what}{inherited}"
                )

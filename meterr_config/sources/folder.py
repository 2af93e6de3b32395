"""`dir:PATH`: hand-written config on disk — vercel.json, next.config.*, and .env files.

This is how a team lints its existing config before adopting the models. next.config is
code, so it is loaded with the real Next.js when Node.js and `next` are available; without
them the snapshot says so and the Next.js rules are not run on it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meterr_config.envfile import DotenvEntry, DotenvFile, Misread, read_dotenv
from meterr_config.errors import InputError, Location
from meterr_config.json_lines import json_lines
from meterr_config.keypath import KeyPath
from meterr_config.limits import MAX_DEPTH, too_deep
from meterr_config.paths import confined, present, real_folder, text_inside
from meterr_config.realtools.nextcheck import NEXT_CONFIGS, config_warnings, resolved_routes
from meterr_config.secretshapes import known_format
from meterr_config.snapshot import EnvEntry, Locator, Snapshot, SourceText
from meterr_config.sources.dotenv import blanked_note, file_entry
from meterr_config.sources.registry import Context

if TYPE_CHECKING:
    from meterr_config.validate.vercel import Problem


def read_vercel_json(
    path: Path, root: Path, what: str
) -> tuple[dict[str, Any] | None, dict[KeyPath, int], str | None]:
    """vercel.json parsed, with the line of each key and its text; Nones when absent.

    It must be a regular file whose real place is inside `root` (`what` names it)."""
    if not present(path):
        return None, {}, None
    text = text_inside(path, root, what)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON: {exc.msg}", Location(str(path), exc.lineno, exc.colno)
        ) from None
    except RecursionError:
        raise InputError("JSON nested too deeply to read", Location(str(path))) from None
    except ValueError as exc:  # a number past Python's 4,300-digit limit
        raise InputError(f"invalid JSON: {exc}".split(";")[0], Location(str(path))) from None
    if not isinstance(doc, dict):
        raise InputError("vercel.json must hold a JSON object", Location(str(path), 1))
    if too_deep(doc):
        raise InputError(
            f"nested more than {MAX_DEPTH} levels deep; no config is", Location(str(path))
        )
    if _SURROGATE.search(text) and not _is_text(doc):
        raise InputError(
            "holds a lone UTF-16 surrogate escape (such as \\ud800), which is not text",
            Location(str(path)),
        )
    return doc, json_lines(text), text


_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def _is_text(doc: Any) -> bool:
    """Every string in `doc` can be written as UTF-8 (JSON escapes can spell halves of a
    UTF-16 pair alone, which no output stream accepts)."""
    try:
        json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _checked(doc: dict[str, Any]) -> tuple[dict[str, Any], tuple[Problem, ...]]:
    """What the Vercel CLI's schema and the server refuse in `doc` (every problem, not
    the first), and `doc` without the top-level keys whose value is misshapen: the rules
    and the diff read shapes the schema guarantees, and the refusals are findings."""
    from meterr_config.validate.vercel import misshapen, vercel_problems

    problems = tuple(vercel_problems(doc))
    broken = {p[2][0] for p in problems if p[0] == "VAL001" and p[2] and misshapen(doc, p[2])}
    return {key: value for key, value in doc.items() if key not in broken}, problems


# Templates hold placeholders, not values: they are not read as the folder's variables.
_TEMPLATES = (".example", ".sample", ".template", ".dist")


def _dotenv_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """The .env files read as the folder's values, and its templates (.env.example,
    .env.production.sample…), scanned for live keys committed by mistake (SEC007) but
    never read as values. A FIFO or a dangling link is listed, to be refused when read."""
    files = sorted(p for p in folder.glob(".env*") if present(p))
    templates = [p for p in files if p.name.endswith(_TEMPLATES)]
    return [p for p in files if p not in templates], templates


def next_env_order(target: str) -> tuple[str, ...]:
    """The .env files Next.js loads, most specific first (`@next/env` loadEnvConfig):
    `next build` in production mode, whatever the Vercel target, `next dev` in
    development mode. The first file to set a name gives its value."""
    mode = "development" if target == "development" else "production"
    return (f".env.{mode}.local", ".env.local", f".env.{mode}", ".env")


def _read_env(texts: list[SourceText], target: str) -> dict[str, DotenvFile]:
    """Next.js's .env files of the folder, in its order, each expanded with what the
    earlier ones set (as in `process.env` by then)."""
    by_name = {Path(t.path).name: t for t in texts}
    read: dict[str, DotenvFile] = {}
    earlier: dict[str, str] = {}
    for name in next_env_order(target):
        if (text := by_name.get(name)) is None:
            continue
        file = read_dotenv(text.text, text.path, earlier)
        read[text.path] = file
        for variable, entry in file.entries.items():
            if variable not in earlier and entry.value is not None:
                earlier[variable] = entry.value
    return read


def _unread_note(files: _Files, target: str) -> tuple[str, ...]:
    """The folder's .env files Next.js does not load for this target, said once: their
    variables are no values of it (their text is still scanned for committed keys)."""
    unread = sorted(p.name for p in files.env_files if str(p) not in files.env_read)
    if not unread:
        return ()
    loads = ", ".join(next_env_order(target))
    return (f"not read by Next.js, which loads {loads}: {', '.join(unread)}",)


def _entries(read: dict[str, DotenvFile]) -> dict[str, tuple[Path, DotenvEntry]]:
    out: dict[str, tuple[Path, DotenvEntry]] = {}
    for path, file in read.items():  # in Next's order: the first file to set a name wins
        for name, entry in file.entries.items():
            out.setdefault(name, (Path(path), entry))
    return out


def _next(
    config: Path, text: str, tools_dir: Path | None, target: str
) -> tuple[dict[str, Any] | None, str]:
    """(what the Next.js probe said of `config`, whose `text` was read, why it could not
    run). It runs with the variables Vercel's build sets, unless ours set them already."""
    from meterr_config.realtools.nextcheck import probe_file, vercel_build_variables
    from meterr_config.realtools.tools import find_tools, tool_environment

    try:
        tools = find_tools(tools_dir, ("next",))
    except InputError as exc:
        return None, exc.message
    env = vercel_build_variables(target) | tool_environment()
    return probe_file(tools, config, text, env), ""


def _route_words(routes: dict[str, list[Any]], path: KeyPath) -> KeyPath:
    """For a route path, the words that appear in the code: the header name or the source."""
    if len(path) >= 2 and path[0] in routes and isinstance(path[1], int):
        rules = routes[str(path[0])]
        rule = rules[path[1]] if path[1] < len(rules) else {}
        if len(path) >= 4 and path[2] == "headers" and isinstance(path[3], int):
            entries = rule.get("headers") or []
            if path[3] < len(entries):
                return (*path, str(entries[path[3]].get("key")))
        return (*path, str(rule.get("source", "")))
    return path


def _line_mentioning(text: str, path: KeyPath) -> int | None:
    """next.config is code, not data: point at the first line naming the deepest key."""
    for part in reversed([p for p in path if isinstance(p, str)]):
        for number, line in enumerate(text.split("\n"), start=1):
            if re.search(rf"(?<![\w-]){re.escape(part)}(?![\w-])", line):
                return number
    return None


@dataclass(frozen=True)
class _Files:
    """What a folder holds, read once: vercel.json, next.config.* and the .env files."""

    folder: Path
    vercel: dict[str, Any] | None  # without its misshapen top-level keys
    vercel_lines: dict[KeyPath, int]
    rejected: tuple[Problem, ...]  # what Vercel refuses in it
    pruned: frozenset[str]  # its top-level keys left out for their shape
    next_file: Path | None
    next_text: str
    probed: dict[str, Any] | None  # what the Next.js probe said, when it could run
    note: str  # why it could not run
    env_files: list[Path]
    env_read: dict[str, DotenvFile]  # each .env file as Next.js reads it, by path
    entries: dict[str, tuple[Path, DotenvEntry]]
    texts: tuple[SourceText, ...]


def _read_folder(folder: Path, tools_dir: Path | None, target: str) -> _Files:
    if not folder.is_dir():
        raise InputError("folder not found", Location(str(folder)))
    real_folder(folder, "folder")
    for name in ("vercel.json", *NEXT_CONFIGS, *(p.name for p in folder.glob(".env*"))):
        if (folder / name).exists():  # a symlink out of the folder is refused, never read
            confined(folder / name, folder, "folder")
    what = f"folder {folder}"
    vercel, vercel_lines, vercel_text = read_vercel_json(folder / "vercel.json", folder, what)
    rejected: tuple[Problem, ...] = ()
    pruned: frozenset[str] = frozenset()
    if vercel is not None:
        checked, rejected = _checked(vercel)
        pruned = frozenset(vercel.keys() - checked.keys())
        vercel = checked
    next_file = next((folder / n for n in NEXT_CONFIGS if present(folder / n)), None)
    env_files, templates = _dotenv_files(folder)
    if vercel is None and next_file is None and not env_files and not templates:
        raise InputError("no vercel.json, next.config.* or .env files here", Location(str(folder)))
    texts = [SourceText(str(p), text_inside(p, folder, what)) for p in env_files]
    env_read = _read_env(texts, target)
    texts += [SourceText(str(p), text_inside(p, folder, what)) for p in templates]
    if vercel_text is not None:
        texts.append(SourceText(str(folder / "vercel.json"), vercel_text))
    next_text, probed, note = "", None, ""
    if next_file is not None:  # read (and refused, if not a regular file) before Node runs it
        next_text = text_inside(next_file, folder, what)
        texts.append(SourceText(str(next_file), next_text))
        probed, note = _next(next_file, next_text, tools_dir, target)
    return _Files(
        folder,
        vercel,
        vercel_lines,
        rejected,
        pruned,
        next_file,
        next_text,
        probed,
        note,
        env_files,
        env_read,
        _entries(env_read),
        tuple(texts),
    )


def _locator(files: _Files, routes: dict[str, list[Any]]) -> Locator:
    """vercel.json keys at their line, next.config keys at the first line naming them,
    variables at their .env line, text scans at their own line."""
    text_paths = {source.path for source in files.texts}

    def locate(artifact: str, path: KeyPath) -> Location | None:
        if artifact == "vercel.json":
            prefixes = (path[:end] for end in range(len(path), 0, -1))
            line = next((files.vercel_lines[p] for p in prefixes if p in files.vercel_lines), None)
            return Location(str(files.folder / "vercel.json"), line)
        if artifact.startswith("next.config") and files.next_file is not None:
            line = _line_mentioning(files.next_text, _route_words(routes, path))
            return Location(str(files.next_file), line)
        if artifact in text_paths and path and isinstance(path[0], int):
            return Location(artifact, path[0])
        if artifact == "env" and path and str(path[0]) in files.entries:
            source, entry = files.entries[str(path[0])]
            return Location(str(source), entry.line)
        return None

    return locate


def _misread(files: _Files) -> tuple[Misread, ...]:
    """What Next.js reads otherwise in the folder's .env files: each variable's value in
    the file it is taken from, and every line skipped."""
    taken = {
        path: {n for n, (p, _) in files.entries.items() if str(p) == path}
        for path in files.env_read
    }
    return tuple(
        m for path, read in files.env_read.items() for m in read.misread(path, taken[path])
    )


def _variables(files: _Files) -> dict[str, EnvEntry]:
    """The folder's variables; each secret value is checked against the format its own
    shape implies (`known_format`), since nothing in a folder declares one."""
    out = {}
    for name, (_, entry) in files.entries.items():
        variable = file_entry(name, entry.value)
        if variable.secret and entry.value:
            variable = replace(variable, format=known_format(name, entry.value))
        out[name] = variable
    return out


def dir_snapshot(
    folder: Path,
    *,
    target: str,
    plan: str | None,
    next_version: str | None,
    tools_dir: Path | None = None,
) -> Snapshot:
    """Read the config files in `folder` into a snapshot."""
    files = _read_folder(folder, tools_dir, target)
    probed = files.probed
    next_config = None
    routes: dict[str, list[Any]] = {}
    failure = ("not evaluated", files.note) if files.note else None
    warned: tuple[tuple[KeyPath, str], ...] = ()
    if probed is not None and probed.get("ok"):
        user = probed.get("userConfig") or {}
        next_config = {
            k: v for k, v in user.items() if k not in ("headers", "redirects", "rewrites")
        }
        routes = {kind: rules for kind, rules in resolved_routes(probed).items() if rules}
        warned = config_warnings(probed)
        next_version = next_version or ".".join(str(probed["version"]).split(".")[:2])
    elif probed is not None:
        kind = "refused" if probed.get("refused") else "not evaluated"
        failure = (kind, str(probed.get("error") or "no message"))
    return Snapshot(
        name=f"dir:{folder}",
        source="dir",
        target=target,
        plan=plan,
        next_version=next_version,
        vercel=files.vercel,
        next_config=next_config,
        next_routes=routes,
        env=_variables(files),
        texts=files.texts,
        locator=_locator(files, routes),
        values_supplied=bool(files.entries),
        knows=frozenset(
            {"vercel.json"}
            | ({"next.config"} if next_config is not None else set())
            | ({"env"} if files.env_files else set())
        ),
        next_file=files.next_file.name if files.next_file else "next.config.ts",
        unreadable=frozenset(
            {"next.config"} if files.next_file and next_config is None else ()
        ).union(f"vercel.json/{key}" for key in files.pruned),
        next_failure=failure,
        vercel_rejected=files.rejected,
        next_warnings=warned,
        notes=(
            *(n for path, read in files.env_read.items() for n in blanked_note(path, read)),
            *_unread_note(files, target),
        ),
        dotenv_misread=_misread(files),
    )


def read(arg: str, context: Context) -> Snapshot:
    """`dir:PATH`, with the facts the folder does not state from the context."""
    return dir_snapshot(
        Path(arg),
        target=context.target,
        plan=context.plan,
        next_version=context.next_version,
        tools_dir=context.tools,
    )

"""`validate --with-next`: load next.config.ts with the real Next.js and compare its routes.

Next's loader and route resolver take about 0.2 s, against about 7 s for a `next build`,
and report the same config problems.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from meterr_config.findings import Finding, Severity
from meterr_config.keypath import KeyPath, format_path
from meterr_config.load import LoadedEnvironment
from meterr_config.realtools.tools import Tools
from meterr_config.redact import redact_places
from meterr_config.render.next_config import route_functions
from meterr_config.render.origin import model_path
from meterr_config.verbosity import working

PROBE = Path(__file__).resolve().parent / "next_probe.mjs"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Next's config warnings worth a finding; headers like "Invalid options detected:" are not.
_PROBLEM = re.compile(
    r"Unrecognized key|has been moved|renamed|deprecated|no longer|Invalid value", re.I
)
_KEY_AT = re.compile(r"key\(s\) in object: '([^']+)'(?: at \"([^\"]+)\")?")
_MOVED = re.compile(r"`([A-Za-z0-9_.]+)` has been")
_NEXT_ADDED = ("internal", "priority", "regex")


def clean(text: str) -> str:
    """One line without colours or Next's ⚠/✓ markers."""
    return " ".join(_ANSI.sub("", text).replace("⚠", "").replace("✓", "").split())


# What the probe puts in place of a function the config holds (e.g. `webpack`).
FUNCTION = "[function]"


# Next's compile errors come with a code frame (`,-[3:1]`, ` 3 | const key = …`): the
# lines of the file around the error, which may hold a key. Only the message and where
# it is are kept.
_FRAME_AT = re.compile(r",-\[(?:(?P<file>[^\]]*):)?(?P<line>\d+):(?P<column>\d+)\]")
_FRAME_LINE = re.compile(r"^\s*(?:,-\[|`-|\d*\s*\||:\s|>\s*\d+\s*\|)")
_MARKER = re.compile(r"^(?:[x\u00d7\u2a2f]\s+)")  # SWC and Next mark errors so


def reduced(text: str, file_name: str) -> str:
    """Next's error as `file:line:column: message`: the first line that is not part of a
    code frame or a backtrace, where the frame says it is, with credentials in known
    places redacted. Never a line of the config's code."""
    where = _FRAME_AT.search(text)
    message = ""
    for line in text.split("\n"):
        if line.startswith(("Stack backtrace:", "Caused by:")):
            break
        if line.strip() and not _FRAME_LINE.match(line):
            message = _MARKER.sub("", clean(line))
            break
    place = file_name
    if where:
        place = f"{Path(where['file']).name if where['file'] else file_name}:{where['line']}"
        place += f":{where['column']}"
    return redact_places(f"{place}: {message or 'no message'}")


# Next prints each route it refuses whole, header values included: only its source is kept.
_FOR_ROUTE = re.compile(r" for route (\{.*\})\s*$")


def invalid_routes(text: str) -> str:
    """What `loadCustomRoutes` printed before it exited, as one line: "Invalid header
    found: `source` parse failed for route '/*' (Unexpected MODIFIER at 1, expected END)"."""
    verdict, details, reason = "", [], ""
    for line in (clean(raw).strip() for raw in text.split("\n")):
        if line.startswith("Error: Invalid "):
            verdict = line.removeprefix("Error: ")
        elif line.startswith("Reason: "):
            reason = line.removeprefix("Reason: ")
        elif match := _FOR_ROUTE.search(line):
            try:
                source = json.loads(match.group(1)).get("source")
            except (json.JSONDecodeError, AttributeError, RecursionError):
                source = None
            where = f" for route {source!r}" if isinstance(source, str) else ""
            details.append(line[: match.start()] + where + (f" ({reason})" if reason else ""))
            reason = ""
    return f"{verdict}: {'; '.join(details)}" if details else verdict or "Next.js exited"


def probe(
    tools: Tools, app: Path, env: dict[str, str] | None = None, development: bool = False
) -> dict[str, Any]:
    """Run the probe script on an app folder and parse its JSON: the config as `next
    build` loads it, or as `next dev` does with `development`. An error is reduced to its
    message and place (`reduced`), so no caller can print the config's code."""
    args = [tools.node, str(PROBE), str(tools.root), str(app)]
    args += ["development"] if development else []
    with working("Next.js is loading next.config…"):
        result = tools.run(args, app, timeout=120, env=env)
    try:
        doc: dict[str, Any] = json.loads(result.stdout)
    except (json.JSONDecodeError, RecursionError):
        tail = redact_places(clean(result.stderr)[-300:]) or "no output"
        return {"ok": False, "error": f"the Next.js probe failed: {tail}", "messages": []}
    if not isinstance(doc, dict):
        return {"ok": False, "error": "the Next.js probe printed no JSON object", "messages": []}
    name = next((n for n in NEXT_CONFIGS if (app / n).is_file()), "next.config")
    if doc.get("error") and doc.get("refused") and "Error: Invalid " in str(doc["error"]):
        doc["error"] = redact_places(f"{name}: {invalid_routes(str(doc['error']))}")
    elif doc.get("error"):
        doc["error"] = reduced(str(doc["error"]), name)
    for message in doc.get("messages") or []:
        if isinstance(message, dict) and isinstance(message.get("text"), str):
            message["text"] = redact_places(message["text"])
    return doc


# What Vercel's build step sets for every deployment ("System environment variables",
# https://vercel.com/docs/environment-variables/system-environment-variables, and their
# NEXT_PUBLIC_ framework copies), so a next.config reading them is loaded as it is built
# there. The hosts are placeholders: the real ones are known only once deployed.
def vercel_build_variables(target: str) -> dict[str, str]:
    """Vercel's system variables for a build of `target` (production or preview)."""
    hosts = {
        "VERCEL_URL": "deployment.vercel.app",
        "VERCEL_BRANCH_URL": "branch.vercel.app",
        "VERCEL_PROJECT_PRODUCTION_URL": "project.vercel.app",
    }
    system = {"VERCEL": "1", "CI": "1", "VERCEL_ENV": target, "VERCEL_TARGET_ENV": target}
    system |= hosts
    return system | {f"NEXT_PUBLIC_{name}": system[name] for name in ("VERCEL_ENV", *hosts)}


_INVALID_AT = re.compile(r'^[^\w]*\s*(?P<what>.+?) at "(?P<path>[^"]+)"\s*$')


def config_warnings(doc: dict[str, Any]) -> tuple[tuple[KeyPath, str], ...]:
    """What Next's config schema warned of the values ("Invalid next.config.js options
    detected"), as (key path, message): the lines naming a key, but its unknown-key
    lines, which NEXT002 reports in its own words."""
    out: list[tuple[KeyPath, str]] = []
    inside = False
    for message in doc.get("messages") or []:
        text = str(message.get("text", "")) if isinstance(message, dict) else ""
        if "Invalid next.config" in text and "options detected" in text:
            inside = True
        elif inside and (match := _INVALID_AT.match(text)):
            if not match["what"].startswith("Unrecognized key"):
                path = tuple(match["path"].split("."))
                out.append((path, redact_places(clean(match["what"]))))
        elif "See more info" in text:
            inside = False
    return tuple(out)


# The names Next.js loads, in the order it looks for them: the first one found is the
# config (`CONFIG_FILES` in next/dist/shared/lib/constants.js; Next 16 also takes
# next.config.mts where Node strips types natively; no version loads next.config.cjs).
NEXT_CONFIGS = ("next.config.js", "next.config.mjs", "next.config.ts")


def probe_file(
    tools: Tools,
    path: Path,
    text: str,
    env: dict[str, str] | None = None,
    development: bool = False,
) -> dict[str, Any]:
    """Load one next.config file with Next.js, where it is, so that its own imports
    (`./site`, a plugin in the app's node_modules) resolve. A file with another name, or
    one that another config beside it would shadow, is loaded from a copy of `text`, what
    the caller read (and checked to be a regular file in its folder) already."""
    shadowed = path.name in NEXT_CONFIGS and any(
        (path.parent / n).is_file() for n in NEXT_CONFIGS[: NEXT_CONFIGS.index(path.name)]
    )
    if path.name in NEXT_CONFIGS and not shadowed:
        return probe(tools, path.resolve().parent, env, development)
    with tempfile.TemporaryDirectory(prefix="meterr-next-") as scratch:
        suffix = path.suffix if path.suffix in (".ts", ".mjs") else ".js"  # .cjs: CommonJS
        (Path(scratch) / f"next.config{suffix}").write_text(text, encoding="utf-8")
        return probe(tools, Path(scratch), env, development)


def _expected(loaded: LoadedEnvironment, base_path: str) -> dict[str, list[Any]]:
    routes = route_functions(loaded.model)
    for rules in routes.values():
        for rule in rules:
            rule["source"] = base_path + rule["source"] if base_path else rule["source"]
            if base_path and str(rule.get("destination", "")).startswith("/"):
                rule["destination"] = base_path + rule["destination"]
    return routes


def resolved_routes(doc: dict[str, Any]) -> dict[str, list[Any]]:
    """Next's resolved routes as flat lists, without its internal rules and added keys."""
    rewrites = doc.get("rewrites") or {}
    if isinstance(rewrites, dict):
        rewrites = [
            *rewrites.get("beforeFiles", []),
            *rewrites.get("afterFiles", []),
            *rewrites.get("fallback", []),
        ]
    out = {
        "redirects": doc.get("redirects", []),
        "rewrites": rewrites,
        "headers": doc.get("headers", []),
    }
    return {kind: user_rules(rules) for kind, rules in out.items()}


def user_rules(rules: list[Any]) -> list[dict[str, Any]]:
    """Next's resolved rules without its internal ones and the keys it adds."""
    return [
        {k: v for k, v in r.items() if k not in _NEXT_ADDED} for r in rules if not r.get("internal")
    ]


def _finding(loaded: LoadedEnvironment, rule: str, message: str, path: KeyPath) -> Finding:
    location = loaded.locate(model_path(loaded, "nextjs", path) if path else ("nextjs",))
    return Finding(
        rule,
        Severity.ERROR,
        message,
        loaded.name,
        "next.config.ts",
        format_path(path) or None,
        location,
    )


def _warning_path(text: str) -> KeyPath:
    if match := _KEY_AT.search(text):
        parent = tuple(match.group(2).split(".")) if match.group(2) else ()
        return (*parent, match.group(1))
    if match := _MOVED.search(text):
        return tuple(match.group(1).split("."))
    return ()


def _first_difference(got: list[Any], want: list[Any]) -> tuple[int | None, str]:
    for index, (a, b) in enumerate(zip(got, want, strict=False)):
        if a != b:
            return index, f"rule {index} (source '{b.get('source')}') resolves differently"
    return None, f"Next.js resolves {len(got)} rules where the model has {len(want)}"


def findings_from(loaded: LoadedEnvironment, doc: dict[str, Any]) -> list[Finding]:
    """Next's errors and config warnings, and any route Next resolved differently."""
    messages = doc.get("messages", [])
    # Next often warns twice about one key ("Unrecognized key", "has been moved"): one
    # finding per key, with Next's words joined.
    said: dict[KeyPath, list[str]] = {}
    for m in messages:
        if m["level"] == "warn" and _PROBLEM.search(m["text"]):
            said.setdefault(_warning_path(m["text"]), []).append(clean(m["text"]))
    out = [
        _finding(loaded, "NEXT102", "Next.js: " + "; ".join(texts), path)
        for path, texts in said.items()
    ]
    if not doc.get("ok"):
        errors = [clean(m["text"]) for m in messages if m["level"] == "error"]
        detail = "; ".join(e for e in errors if e) or doc.get("error", "")
        return [*out, _finding(loaded, "NEXT101", f"Next.js rejected the config: {detail}", ())]
    expected = _expected(loaded, doc.get("basePath") or "")
    for kind, rules in resolved_routes(doc).items():
        want = expected.get(kind, [])
        if rules != want:
            index, what = _first_difference(rules, want)
            path: KeyPath = (kind,) if index is None else (kind, index)
            out.append(_finding(loaded, "NEXT103", f"{what} from the model", path))
    return out


def check_next(
    loaded: LoadedEnvironment, artifacts: dict[str, bytes], tools: Tools
) -> list[Finding]:
    """Load this environment's next.config.ts with the real Next.js."""
    with tempfile.TemporaryDirectory(prefix="meterr-next-") as folder:
        app = Path(folder)
        (app / "next.config.ts").write_bytes(artifacts["next.config.ts"])
        return findings_from(loaded, probe(tools, app))

"""Validate a next.config object against the target Next.js version's own rules.

Next.js only warns about unknown and removed keys (NEXT002: an error only where `next
build` type-checks a .ts config), and copies a moved key to its new place with a warning
(NEXT001: a warning that names the replacement).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from meterr_config.keypath import KeyPath
from meterr_config.resources import load_json, schemas_dir

Version = tuple[int, ...]
Problem = tuple[str, str, KeyPath, str]

# (old path) -> (new path, version that renamed it). From FACTS.md, measured on Next.js.
RENAMED: dict[KeyPath, tuple[str, str]] = {
    ("experimental", "serverComponentsExternalPackages"): ("serverExternalPackages", "15.0"),
    ("experimental", "bundlePagesExternals"): ("bundlePagesRouterDependencies", "15.0"),
    ("experimental", "outputFileTracingRoot"): ("outputFileTracingRoot", "15.0"),
    ("experimental", "outputFileTracingIncludes"): ("outputFileTracingIncludes", "15.0"),
    ("experimental", "outputFileTracingExcludes"): ("outputFileTracingExcludes", "15.0"),
    ("experimental", "swrDelta"): ("expireTime", "15.0"),
    ("experimental", "turbo"): ("turbopack", "15.3"),
    ("experimental", "typedRoutes"): ("typedRoutes", "15.5"),
    ("experimental", "dynamicIO"): ("cacheComponents", "16.0"),
    ("experimental", "ppr"): ("cacheComponents", "16.0"),
    # Next.js 16.4.6 server/config.js: warnOptionHasBeenMovedOutOfExperimental and the
    # middleware -> proxy deprecations. The version is the first vendored key list that
    # has the new key (tests/realtools/test_next_moves.py reads the table from Next).
    ("experimental", "relay"): ("compiler.relay", "13.5"),
    ("experimental", "styledComponents"): ("compiler.styledComponents", "13.5"),
    ("experimental", "emotion"): ("compiler.emotion", "13.5"),
    ("experimental", "reactRemoveProperties"): ("compiler.reactRemoveProperties", "13.5"),
    ("experimental", "removeConsole"): ("compiler.removeConsole", "13.5"),
    ("experimental", "transpilePackages"): ("transpilePackages", "13.5"),
    ("experimental", "skipMiddlewareUrlNormalize"): ("skipMiddlewareUrlNormalize", "13.5"),
    ("experimental", "skipTrailingSlashRedirect"): ("skipTrailingSlashRedirect", "13.5"),
    ("experimental", "reactCompiler"): ("reactCompiler", "16.0"),
    ("experimental", "cacheComponents"): ("cacheComponents", "16.0"),
    ("experimental", "cacheLife"): ("cacheLife", "16.0"),
    ("experimental", "cacheHandlers"): ("cacheHandlers", "16.0"),
    ("experimental", "enablePrerenderSourceMaps"): ("enablePrerenderSourceMaps", "16.0"),
    ("experimental", "adapterPath"): ("adapterPath", "16.4"),
    ("experimental", "middlewarePrefetch"): ("experimental.proxyPrefetch", "16.0"),
    ("experimental", "middlewareClientMaxBodySize"): (
        "experimental.proxyClientMaxBodySize",
        "16.0",
    ),
    ("experimental", "externalMiddlewareRewritesResolve"): (
        "experimental.externalProxyRewritesResolve",
        "16.0",
    ),
    ("skipMiddlewareUrlNormalize",): ("skipProxyUrlNormalize", "16.0"),
    ("experimental", "browserDebugInfoInTerminal"): ("logging.browserToTerminal", "16.4"),
}
REMOVED: dict[KeyPath, str] = {
    ("experimental", "appDir"): "13.4",
    ("swcMinify",): "15.0",
    ("outputFileTracing",): "15.0",
    ("optimizeFonts",): "15.0",
    ("analyticsId",): "15.0",
    ("amp",): "16.0",
    ("publicRuntimeConfig",): "16.0",
    ("serverRuntimeConfig",): "16.0",
    ("eslint",): "16.0",
}
TS_CONFIG_SINCE = (15, 0)
# next/dist/lib/static-env.js, errorIfEnvConflicted (16.4.6): NODE_ and __ followed by
# something, in any case, and NEXT_RUNTIME exactly.
_PRIVATE_ENV = re.compile(r"^(?:NODE_.+)|^(?:__.+)$", re.IGNORECASE)


def parse_version(text: str) -> Version:
    """'16.4' -> (16, 4)."""
    return tuple(int(part) for part in text.split("."))


@cache
def key_lists() -> list[tuple[Version, dict[str, frozenset[str]]]]:
    """Each vendored Next.js version with its top-level and experimental keys, oldest first."""
    out = []
    for path in (schemas_dir() / "vendor" / "nextjs").glob("schema-*.json"):
        data = load_json(f"vendor/nextjs/{path.name}")
        lists = {"top": frozenset(data["top"]), "experimental": frozenset(data["experimental"])}
        out.append((parse_version(data["version"]), lists))
    return sorted(out)


def keys_for(version: Version) -> tuple[Version, dict[str, frozenset[str]]]:
    """The newest vendored key list whose major.minor is not after `version`."""
    lists = key_lists()
    chosen = lists[0]
    for candidate in lists:
        if candidate[0][:2] <= version[:2]:
            chosen = candidate
    return chosen


def _show(version: Version) -> str:
    return ".".join(map(str, version[:2]))


def _first_with(path: KeyPath) -> Version | None:
    section = "experimental" if len(path) == 2 else "top"
    for version, lists in key_lists():
        if path[-1] in lists[section]:
            return version
    return None


def _key_problem(path: KeyPath, version: Version, known: frozenset[str]) -> Problem | None:
    dotted = ".".join(map(str, path))
    if path in RENAMED and version[:2] >= parse_version(RENAMED[path][1]):
        new, since = RENAMED[path]
        message = f"'{dotted}' was renamed to '{new}' (by Next.js {since}): Next reads it there"
        return "NEXT001", "warning", path, message
    if path in REMOVED and version[:2] >= parse_version(REMOVED[path]):
        return "NEXT002", "error", path, f"'{dotted}' was removed in Next.js {REMOVED[path]}"
    if path[-1] in known:
        return None
    added = _first_with(path)
    hint = f" (added in {_show(added)})" if added and added > version else ""
    message = f"'{dotted}' is not a Next.js {_show(version)} config key{hint}"
    return "NEXT002", "error", path, message


def _keys(config: dict[str, Any], version: Version) -> Iterator[Problem]:
    _, lists = keys_for(version)
    for key in sorted(config):
        if problem := _key_problem((key,), version, lists["top"]):
            yield problem
    experimental = config.get("experimental")
    for key in sorted(experimental if isinstance(experimental, dict) else {}):
        if problem := _key_problem(("experimental", key), version, lists["experimental"]):
            yield problem


def _env_keys(config: dict[str, Any]) -> Iterator[Problem]:
    env = config.get("env")
    for key in sorted(env if isinstance(env, dict) else {}):
        if _PRIVATE_ENV.search(key) or key == "NEXT_RUNTIME":
            message = (
                f"env key '{key}' is reserved: `next build` fails on NODE_*, __* and NEXT_RUNTIME"
            )
            yield "NEXT004", "error", ("env", key), message


def _route_problems(kind: str, rules: list[Any]) -> Iterator[Problem]:
    for index, rule in enumerate(rules):
        path: KeyPath = (kind, index)
        source = rule.get("source", "")
        if not source.startswith("/"):
            yield "NEXT005", "error", (*path, "source"), f"{kind} source must start with '/'"
        destination = rule.get("destination")
        if destination is not None and not destination.startswith(("/", "http://", "https://")):
            message = f"{kind} destination must start with '/', 'http://' or 'https://'"
            yield "NEXT005", "error", (*path, "destination"), message
        if kind == "headers":
            yield from _header_entries(path, rule.get("headers"))


def _header_entries(path: KeyPath, entries: Any) -> Iterator[Problem]:
    if not entries:
        yield "NEXT005", "error", (*path, "headers"), "a header rule needs at least one header"
        return
    for index, entry in enumerate(entries):
        for field in ("key", "value"):
            if not isinstance(entry, dict) or not isinstance(entry.get(field), str):
                message = f"`{field}` in header item must be a string"
                yield "NEXT005", "error", (*path, "headers", index, field), message


def next_problems(
    config: dict[str, Any], routes: dict[str, list[Any]], version_text: str, file_name: str
) -> list[Problem]:
    """Every problem in a next.config object (`routes` holds what the route functions return)."""
    version = parse_version(version_text)
    problems: list[Problem] = []
    if file_name.endswith(".ts") and version[:2] < TS_CONFIG_SINCE:
        message = f"next.config.ts needs Next.js 15.0 or later; the target is {version_text}"
        problems.append(("NEXT003", "error", (), message))
    if version[:2] < key_lists()[0][0][:2]:
        oldest = _show(key_lists()[0][0])
        problems.append(("NEXT002", "error", (), f"Next.js {version_text} is older than {oldest}"))
    problems += _keys({**config, **dict.fromkeys(routes, True)}, version)
    problems += _env_keys(config)
    for kind, rules in routes.items():
        problems += _route_problems(kind, rules)
    return problems

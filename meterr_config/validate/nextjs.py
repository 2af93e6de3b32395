"""Validate a next.config object against the target Next.js version's own rules.

Next.js does one of three things with an old key, and each has its rule: it copies a
moved key to its new place with a warning (NEXT001: a warning that names the new place);
it ignores a removed, unknown or no-longer-needed key with a warning (NEXT002: an error
only where `next build` type-checks a .ts config and the type lacks the key); and it
refuses to load a few (NEXT006: `next build` fails).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from meterr_config.jsobject import is_array_index
from meterr_config.keypath import KeyPath, format_path
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
# Keys Next.js 16.4.6 refuses to load (`next build` fails), with the version that began
# to, and what Next says instead. server/config.js: normalizeNextConfigZodErrors (fatal
# unknown keys), HardDeprecatedConfigError (`ppr`), the turbopackChunkingHeuristics and
# `target` throws. `ppr` is refused only when on, `target` unless it is "server".
REFUSED: dict[KeyPath, tuple[str, str]] = {
    ("experimental", "ppr"): ("16.0", "has been merged into `cacheComponents`"),
    ("experimental", "dynamicIO"): ("16.0", "has been replaced by `cacheComponents`"),
    ("experimental", "turbopackPersistentCaching"): (
        "16.0",
        "was replaced: use `experimental.turbopackFileSystemCacheForDev`",
    ),
    ("experimental", "turbopackPersistentCachingForBuild"): (
        "16.0",
        "was replaced: use `experimental.turbopackFileSystemCacheForBuild`",
    ),
    ("experimental", "turbopackChunkingHeuristics"): (
        "16.4",
        "has been renamed to `experimental.turbopackChunking`",
    ),
    ("experimental", "turbopackGenerateComponentChunks"): (
        "16.4",
        "has been moved to `experimental.turbopackChunking.generateComponentChunks`",
    ),
    ("target",): ("13.0", "is no longer supported"),
}
# Old and new names that Next.js refuses together (16.4.6 server/config.js: "cannot be
# set at the same time"); either alone is copied to the other (NEXT001).
EXCLUSIVE: dict[KeyPath, KeyPath] = {
    ("experimental", "middlewarePrefetch"): ("experimental", "proxyPrefetch"),
    ("experimental", "middlewareClientMaxBodySize"): ("experimental", "proxyClientMaxBodySize"),
    ("experimental", "externalMiddlewareRewritesResolve"): (
        "experimental",
        "externalProxyRewritesResolve",
    ),
    ("skipMiddlewareUrlNormalize",): ("skipProxyUrlNormalize",),
}
# Keys Next.js still reads but deprecates for another, warning on every build (16.4.6
# checkDeprecations), with the version that deprecated them (the images docs).
DEPRECATED: dict[KeyPath, tuple[str, str]] = {
    ("images", "domains"): ("images.remotePatterns", "14.0"),
}
# Keys Next.js accepts but ignores, with the version that made the feature a default
# (16.4.6 server/config.js checkDeprecations: "is no longer needed"). rootParams: the
# first version whose loader we read says so.
NOT_NEEDED: dict[KeyPath, tuple[str, str]] = {
    ("experimental", "instrumentationHook"): ("15.0", "`instrumentation.js` is available"),
    ("experimental", "after"): ("15.1", "`after` is available"),
    ("experimental", "rootParams"): ("16.4", "`next/root-params` is available"),
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


def show_version(version: Version) -> str:
    """(16, 4, 6) -> '16.4': the precision the key lists and messages speak in."""
    return ".".join(map(str, version[:2]))


def _first_with(path: KeyPath) -> Version | None:
    section = "experimental" if len(path) == 2 else "top"
    for version, lists in key_lists():
        if path[-1] in lists[section]:
            return version
    return None


def _since(table: dict[KeyPath, tuple[str, str]], path: KeyPath, version: Version) -> bool:
    return path in table and version[:2] >= parse_version(table[path][0])


def _refused(path: KeyPath, value: Any, version: Version) -> bool:
    if not _since(REFUSED, path, version):
        return False
    if path == ("experimental", "ppr"):
        return bool(value)
    return path != ("target",) or value != "server"


def _key_problem(
    path: KeyPath, value: Any, version: Version, known: frozenset[str]
) -> Problem | None:
    dotted = ".".join(map(str, path))
    if _refused(path, value, version):
        since, said = REFUSED[path]
        message = f"next build fails: '{dotted}' {said} (refused since Next.js {since})"
        return "NEXT006", "error", path, message
    if _since(NOT_NEEDED, path, version):
        since, why = NOT_NEEDED[path]
        message = (
            f"'{dotted}' is no longer needed: {why} by default since Next.js {since}, "
            "and Next ignores the key"
        )
        return "NEXT002", "warning", path, message
    if path in RENAMED and version[:2] >= parse_version(RENAMED[path][1]):
        new, since = RENAMED[path]
        message = f"'{dotted}' was renamed to '{new}' (by Next.js {since}): Next reads it there"
        return "NEXT001", "warning", path, message
    if path in REMOVED and version[:2] >= parse_version(REMOVED[path]):
        message = f"'{dotted}' was removed in Next.js {REMOVED[path]}: Next ignores it"
        return "NEXT002", "error", path, message
    if path[-1] in known:
        return None
    added = _first_with(path)
    hint = f" (added in {show_version(added)})" if added and added > version else ""
    shown = show_version(version)
    message = f"'{dotted}' is not a Next.js {shown} config key{hint}: Next ignores it"
    return "NEXT002", "error", path, message


def _value(config: dict[str, Any], path: KeyPath) -> Any:
    """The value at `path`, or None where it is not set."""
    current: Any = config
    for part in path:
        current = current.get(part) if isinstance(current, dict) else None
    return current


def _keys(config: dict[str, Any], version: Version) -> Iterator[Problem]:
    _, lists = keys_for(version)
    experimental = config.get("experimental")
    # what spreading a string or an array into the config gives it: keys '0', '1', …
    spread = sorted((key for key in config if is_array_index(key)), key=int)
    if spread:
        message = (
            f"the config has {len(spread)} key(s) '{spread[0]}'…'{spread[-1]}': a string or "
            "array was spread into it (a plugin called with the wrong arguments?), and Next "
            "ignores them"
        )
        yield "NEXT002", "warning", (), message
    paths: list[KeyPath] = [(key,) for key in sorted(config) if key not in spread]
    if isinstance(experimental, dict):
        paths += [("experimental", key) for key in sorted(experimental)]
    for path in paths:
        known = lists["experimental" if len(path) == 2 else "top"]
        if problem := _key_problem(path, _value(config, path), version, known):
            yield problem
    for path, (instead, since) in DEPRECATED.items():
        if _value(config, path) is not None and version[:2] >= parse_version(since):
            message = (
                f"'{format_path(path)}' is deprecated for '{instead}' (since Next.js {since}): "
                "Next still reads it, and warns on every build"
            )
            yield "NEXT001", "warning", path, message
    for old, new in EXCLUSIVE.items():
        both = _value(config, old) is not None and _value(config, new) is not None
        if both and version[:2] >= parse_version(RENAMED[old][1]):
            message = (
                f"next build fails: '{format_path(old)}' and '{format_path(new)}' cannot be set at "
                "the same time; keep the new one"
            )
            yield "NEXT006", "error", old, message


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
        oldest = show_version(key_lists()[0][0])
        problems.append(("NEXT002", "error", (), f"Next.js {version_text} is older than {oldest}"))
    problems += _keys({**config, **dict.fromkeys(routes, True)}, version)
    problems += _env_keys(config)
    for kind, rules in routes.items():
        problems += _route_problems(kind, rules)
    return problems

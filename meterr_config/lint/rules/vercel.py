"""Vercel rules (VER): regions, plan limits and the routing checks the server makes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from meterr_config import legacyurl
from meterr_config.findings import Severity
from meterr_config.lint.rule import Problem, Rule
from meterr_config.pathpattern import (
    Key,
    PatternError,
    check_source,
    js_to_python,
    parse_source,
    source_regex,
)
from meterr_config.redact import quoted
from meterr_config.regexsafety import risk
from meterr_config.secretshapes import redact_shapes, secret_shaped
from meterr_config.snapshot import Snapshot
from meterr_config.validate.vercel import ROUTES_EXCLUSIVE

REGIONS = frozenset(
    {
        "arn1",
        "bom1",
        "cdg1",
        "cle1",
        "cpt1",
        "dub1",
        "fra1",
        "gru1",
        "hkg1",
        "hnd1",
        "iad1",
        "icn1",
        "kix1",
        "lhr1",
        "pdx1",
        "sfo1",
        "sin1",
        "syd1",
        "yul1",
    }
)
MAX_DURATION = {"hobby": 300, "pro": 1800, "enterprise": 1800}
# Above this a Pro or Enterprise function needs Fluid compute, in beta for Node.js and Python.
FLUID_BETA_ABOVE = 800
MAX_MEMORY = {"hobby": 2048, "pro": 4096, "enterprise": 4096}
MAX_RULES, MAX_HEADERS, MAX_CONDITIONS = 2048, 1024, 16
ROUTE_KINDS = ("redirects", "rewrites", "headers")


def _functions(snap: Snapshot) -> Iterator[tuple[str, dict[str, Any]]]:
    functions = (snap.vercel or {}).get("functions") or {}
    for glob, config in sorted(functions.items()) if isinstance(functions, dict) else []:
        if isinstance(config, dict):
            yield glob, config


def _region_lists(snap: Snapshot) -> Iterator[tuple[tuple[str | int, ...], list[Any]]]:
    regions = (snap.vercel or {}).get("regions")
    if isinstance(regions, list):
        yield ("regions",), regions
    for glob, config in _functions(snap):
        if isinstance(config.get("regions"), list):
            yield ("functions", glob, "regions"), config["regions"]


def _over_plan(snap: Snapshot, key: str, limits: dict[str, int], unit: str) -> Iterator[Problem]:
    """Function settings above the plan's limit."""
    limit = limits.get(snap.plan or "")
    for glob, config in _functions(snap):
        value = config.get(key)
        if limit and isinstance(value, int) and value > limit:
            message = f"{key} {value} {unit} is over the {snap.plan} limit of {limit} {unit}"
            yield Problem(message, "vercel.json", ("functions", glob, key))


def route_rules(snap: Snapshot) -> Iterator[tuple[str, str, int, dict[str, Any]]]:
    """(artifact, kind, index, rule) for the routes of both vercel.json and next.config."""
    for artifact, doc in (("vercel.json", snap.vercel or {}), (snap.next_file, snap.next_routes)):
        for kind in ROUTE_KINDS:
            rules = doc.get(kind) or []
            for index, rule in enumerate(rules if isinstance(rules, list) else []):
                if isinstance(rule, dict):
                    yield artifact, kind, index, rule


class UnknownRegion(Rule):
    """## What it does
    Flags region codes that are not Vercel regions (`iad1`, `sfo1`, `fra1`…), in
    `regions`, a function's `regions` and `functionFailoverRegions`.

    ## Why is this bad?
    The CLI accepts any string; the deployment then fails or runs somewhere unintended.

    ## Example
    ```toml
    [vercel]
    regions = ["us-east-1"]
    ```

    ## Use instead
    `regions = ["iad1"]` (Washington, D.C.), the default.

    ## Sources
    - The region enum of the Vercel REST API (`GET /v9/projects/{id}`, `sandbox` and
      function regions: 19 codes, yul1 the newest); https://vercel.com/docs/regions
    - The docs page counts 20 regions, but no 20th code is in the API's enum, the
      official SDKs' region enums or any stored copy of the page: the API, which is
      what refuses a deployment, wins
    """

    id = "VER001"
    blocks_deploy = True
    name = "unknown-region"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        failover = (snap.vercel or {}).get("functionFailoverRegions")
        lists = [*_region_lists(snap)]
        if isinstance(failover, list):
            lists.append((("functionFailoverRegions",), failover))
        for path, regions in lists:
            for index, region in enumerate(regions):
                if not isinstance(region, str) or region not in REGIONS:
                    yield Problem(f"unknown region {quoted(region)}", "vercel.json", (*path, index))


class MultiRegionNeedsEnterprise(Rule):
    """## What it does
    Flags functions deployed to more than one region on a Hobby or Pro plan.

    ## Why is this bad?
    Multiple function regions are an Enterprise feature; the deployment is refused.

    ## Example
    ```toml
    [project]
    plan = "pro"
    [vercel]
    regions = ["iad1", "sfo1"]
    ```

    ## Use instead
    One region, or the Enterprise plan.

    ## Sources
    - https://vercel.com/docs/functions/configuring-functions/region (multiple regions for
      functions); enforced by the Vercel server at deploy time, not by the CLI, so no
      pinned code can confirm it
    """

    id = "VER002"
    blocks_deploy = True
    name = "multi-region-needs-enterprise"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        if snap.plan in (None, "enterprise"):
            return
        for path, regions in _region_lists(snap):
            if len(regions) > 1:
                yield Problem(
                    f"{len(regions)} regions need the Enterprise plan (plan: {snap.plan})",
                    "vercel.json",
                    path,
                )


class MaxDurationOverPlan(Rule):
    """## What it does
    Flags a function `maxDuration` above the plan's limit: 300 s on Hobby, 1,800 s on
    Pro and Enterprise (with Fluid compute). Between 800 and 1,800 s it is a warning:
    that range is in beta, for Node.js and Python functions on Fluid compute only.

    ## Why is this bad?
    The deployment fails; in the beta range it fails without Fluid compute or on
    another runtime.

    ## Example
    ```toml
    [vercel.functions."app/api/**/*.ts"]
    max_duration = 2400
    ```

    ## Use instead
    A duration within the plan, or `"max"` for the plan's maximum.

    ## Sources
    - vercel/vercel `packages/build-utils/src/max-duration.ts` (the CLI's bound,
      `DEFAULT_MAX_DURATION_LIMIT = 1800`); Vercel changelog "Vercel Functions can now
      run up to 30 minutes" (above 800 s: beta, Node.js and Python, Fluid compute);
      https://vercel.com/docs/functions/limitations (Hobby 300 s)
    """

    id = "VER003"
    blocks_deploy = True
    name = "max-duration-over-plan"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        yield from _over_plan(snap, "maxDuration", MAX_DURATION, "s")
        limit = MAX_DURATION.get(snap.plan or "", 0)
        if limit > FLUID_BETA_ABOVE:  # the plans that reach into the beta range
            for glob, config in _functions(snap):
                value = config.get("maxDuration")
                if isinstance(value, int) and FLUID_BETA_ABOVE < value <= limit:
                    yield Problem(
                        f"maxDuration {value} s is above {FLUID_BETA_ABOVE} s: in beta, for "
                        "Node.js and Python functions on Fluid compute only",
                        "vercel.json",
                        ("functions", glob, "maxDuration"),
                        Severity.WARNING,
                    )


class MemoryOverPlan(Rule):
    """## What it does
    Flags function `memory` above the plan's limit: 2 GB on Hobby, 4 GB on Pro and
    Enterprise.

    ## Why is this bad?
    The deployment fails.

    ## Example
    ```toml
    [vercel.functions."app/api/**/*.ts"]
    memory = 8192
    ```

    ## Use instead
    `memory = 4096` (4 GB) or less on Pro and Enterprise, 2048 on Hobby.

    ## Sources
    - https://vercel.com/docs/functions/limitations (Hobby 2 GB, Pro and Enterprise 4 GB)
    """

    id = "VER004"
    blocks_deploy = True
    name = "memory-over-plan"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        return _over_plan(snap, "memory", MAX_MEMORY, "MB")


class InvalidSourcePattern(Rule):
    """## What it does
    Parses every route `source` as path-to-regexp 6.1.0 does (the version the Vercel CLI
    bundles, with `strict`, `sensitive` and delimiter "/"), with its error message: a
    bare `*` (`/old/*`), an unclosed or stray brace, a capturing group inside a group;
    and its regular expressions must compile.

    ## Why is this bad?
    Vercel refuses the deployment ("Redirect at index 0 has invalid `source` regular
    expression"); Next.js fails the build.

    ## Example
    ```toml
    [[vercel.redirects]]
    source = "/blog/(.*"
    destination = "/posts"
    permanent = true
    ```

    ## Use instead
    `source = "/blog/(.*)"`; for `/old/*`, `/old/:path*`.

    ## Sources
    - path-to-regexp 6.1.0 (`lexer`, `parse`, `tokensToRegexp`), as vercel@58.10.0's
      routing-utils `sourceToRegex` calls it; `tests/realtools/test_route_patterns.py`
      compares the port with the package on 600 generated sources per run
    """

    id = "VER005"
    blocks_deploy = True
    name = "invalid-source-pattern"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for artifact, kind, index, rule in route_rules(snap):
            source = str(rule.get("source", ""))
            if source.startswith(("http://", "https://")):
                continue
            try:
                check_source(source)
            except PatternError as exc:
                # The error may quote a piece of the pattern: no key shape goes with it.
                why = redact_shapes(str(exc))
                message = f"{kind} source {quoted(source, 10**6)}: {why}"
                yield Problem(message, artifact, (kind, index, "source"))


def _has_params(rule: dict[str, Any]) -> set[str]:
    """The parameters `has` defines, as routing-utils' collectHasSegments (and Next's
    checkCustomRoutes) collect them: the key of a condition without a value, the named
    groups of a value (a string, or `{"re": …}`), and `host` for a host condition with
    a value."""
    names: set[str] = set()
    for cond in rule.get("has") or []:
        if not isinstance(cond, dict):
            continue
        value = cond.get("value")
        if not value and "key" in cond:
            names.add(str(cond["key"]))
        if isinstance(value, dict) and isinstance(value.get("re"), str):
            value = value["re"]
        if isinstance(value, str) and value:
            names |= set(_NAMED_GROUP.findall(value))
            if cond.get("type") == "host":
                names.add("host")
    return names


_NAMED_GROUP = re.compile(r"\(\?<([a-zA-Z][a-zA-Z0-9_]*)>")
# routing-utils' name for a group without one (UN_NAMED_SEGMENT in superstatic.ts).
_UNNAMED = "__UN_NAMED_SEGMENT__"


def _segments(text: str) -> list[str]:
    """routing-utils `sourceToRegex(text).segments`: each parameter's name, or the
    unnamed marker; PatternError where path-to-regexp throws."""
    check_source(text)
    return [
        t.name if isinstance(t.name, str) else _UNNAMED
        for t in parse_source(text)
        if isinstance(t, Key)
    ]


def _source_params(source: str) -> set[str] | None:
    """The source's parameters, or None where path-to-regexp refuses it (VER005)."""
    try:
        return set(_segments(source))
    except PatternError:
        return None


def _vercel_destination(destination: str) -> tuple[list[str], list[str]]:
    """The parameters of a destination as Vercel's `checkPatternSyntax` collects them
    (the host, path and each query value's first item of Node's `url.parse`, up to the
    first part path-to-regexp refuses; nothing where url.parse throws), and those of its
    hash, which it does not check and `replaceSegments` leaves as written."""
    try:
        url = legacyurl.parse(destination)
    except legacyurl.UrlError:
        return [], []
    checked: list[str] = []
    try:
        for part in (url.hostname, url.pathname, *legacyurl.query_values(url.query)):
            checked += _segments(part or "")
    except PatternError:
        pass
    try:
        fragment = _segments(url.hash or "")
    except PatternError:
        fragment = []
    return checked, fragment


def _next_destination(destination: str) -> list[str]:
    """The parameters Next's checkCustomRoutes reads in a relative destination: its path
    and hash, not its query."""
    parts = urlsplit(destination)
    try:
        return _segments(parts.path + (f"#{parts.fragment}" if parts.fragment else ""))
    except PatternError:
        return []  # Next reports "`destination` parse failed"


class DestinationParamNotInSource(Rule):
    """## What it does
    Flags a `:param` in a redirect or rewrite `destination` that neither the `source`
    nor a `has` condition defines (a key without a value, a value's named group, or
    `host` for a host condition with a value). In vercel.json a parameter of the host,
    path or query is an error: `vercel build` refuses it. The parts are the ones Node's
    `url.parse` gives, as Vercel reads them: `https://:sub.example.com/x` has `:sub` in
    its path, and a backslash before the query is a slash. One only in the hash is a
    warning: Vercel does not check it and keeps `:param` there as written. In
    next.config a relative destination with one is an error (`next build` refuses it);
    an external one a warning.

    ## Why is this bad?
    The build fails (Vercel's or Next's); in a hash or an external next.config
    destination, visitors are sent to a URL that still says `:param`.

    ## Example
    ```toml
    [[vercel.redirects]]
    source = "/blog/:slug"
    destination = "/posts/:id"
    permanent = true
    ```

    ## Use instead
    `destination = "/posts/:slug"`.

    ## Sources
    - vercel@58.10.0 routing-utils `index.ts` (`getTransformedRoutes`,
      `checkPatternSyntax`: "Redirect at index 0 has segment ":id" in `destination`
      property but not in `source` or `has` property"), which `vercel build` throws;
      `tests/realtools/test_destination_params.py` compares VER006 with it on 400
      generated routes per run, and `tests/realtools/test_legacy_url.py` the URL parser
      with Node's `url.parse` on 500 generated URLs
    - Next.js 16.4.6 `next/dist/lib/load-custom-routes.js` (`checkCustomRoutes`:
      "`destination` has segments not in `source` or `has`", relative destinations only),
      compared on 180 generated routes per run
    """

    id = "VER006"
    blocks_deploy = True
    name = "destination-param-not-in-source"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for artifact, kind, index, rule in route_rules(snap):
            defined = _source_params(str(rule.get("source", "")))
            if defined is None:
                continue  # VER005: Vercel and Next refuse the source first
            defined |= _has_params(rule)
            where = (kind, index, "destination")
            for name, why, severity in _unknown(artifact, str(rule.get("destination", ""))):
                if name not in defined:
                    message = (
                        f"destination uses :{name}, which neither the source nor a has "
                        f"condition defines: {why}"
                    )
                    yield Problem(message, artifact, where, severity)


def _unknown(artifact: str, destination: str) -> Iterator[tuple[str, str, Severity]]:
    """Each parameter of a destination (once), with what happens when nothing defines
    it and how bad that is."""
    kept = "Vercel keeps it in the URL as written"
    if artifact != "vercel.json" and destination.startswith("/"):
        parts = [(_next_destination(destination), "next build refuses it", Severity.ERROR)]
    elif artifact == "vercel.json":
        checked, fragment = _vercel_destination(destination)
        refused = "Vercel refuses the deployment (vercel build: not in `source` or `has`)"
        parts = [(checked, refused, Severity.ERROR), (fragment, kept, Severity.WARNING)]
    else:  # an external next.config destination: Next does not check it
        checked, fragment = _vercel_destination(destination)
        parts = [([*checked, *fragment], kept, Severity.WARNING)]
    seen: set[str] = set()
    for names, why, severity in parts:
        for name in names:
            if name not in seen:
                seen.add(name)
                yield name, why, severity


class RoutesMixedWithHeaders(Rule):
    """## What it does
    Flags `routes` used together with `rewrites`, `redirects`, `headers`, `cleanUrls` or
    `trailingSlash`.

    ## Why is this bad?
    The Vercel server rejects the mix at deploy time, though `vercel build` accepts it.

    ## Example
    ```json
    { "routes": [{ "src": "/a", "dest": "/b" }], "headers": [] }
    ```

    ## Use instead
    Move `routes` to `redirects`, `rewrites` and `headers`.

    ## Sources
    - https://vercel.com/docs/project-configuration (legacy `routes`: "cannot be used with"
      rewrites, redirects, headers, cleanUrls, trailingSlash); the server refuses it, while
      vercel@58.10.0's `getTransformedRoutes` builds the mix (measured)
    """

    id = "VER007"
    name = "routes-mixed-with-headers"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        doc = snap.vercel or {}
        if "routes" in doc:
            for key in ROUTES_EXCLUSIVE:
                if key in doc:
                    yield Problem(
                        f"'routes' cannot be combined with '{key}'", "vercel.json", (key,)
                    )


class RedirectLoop(Rule):
    """## What it does
    Flags static redirects that lead back to where they started: a redirect to itself,
    or a chain `/a → /b → /a`.

    ## Why is this bad?
    Browsers stop with "too many redirects"; the page is unreachable.

    ## Example
    ```toml
    [[vercel.redirects]]
    source = "/docs"
    destination = "/docs"
    permanent = false
    ```

    ## Use instead
    Point the redirect at a different page.

    ## Sources
    - The Fetch standard's redirect limit
      (https://fetch.spec.whatwg.org/#http-redirect-fetch: more than 20 redirects is a
      network error), which browsers report as "too many redirects"
    """

    id = "VER008"
    name = "redirect-loop"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for artifact, doc in (
            ("vercel.json", snap.vercel or {}),
            (snap.next_file, snap.next_routes),
        ):
            redirects = [r for r in doc.get("redirects") or [] if isinstance(r, dict)]
            static = {
                str(r.get("source")): str(r.get("destination"))
                for r in redirects
                if not r.get("has")
                and not r.get("missing")
                and not re.search(r"[:(*]", str(r.get("source")))
            }
            for index, rule in enumerate(redirects):
                start = str(rule.get("source"))
                seen, current = {start}, static.get(start)
                while current is not None and current not in seen:
                    seen.add(current)
                    current = static.get(current)
                if current == start:
                    where = start if not secret_shaped(start) else quoted(start)
                    yield Problem(
                        f"redirect from {where} leads back to {where}",
                        artifact,
                        ("redirects", index),
                    )


class TooManyRules(Rule):
    """## What it does
    Flags more than 2048 headers, redirects or rewrites, more than 1024 headers in one
    rule, and more than 16 `has`/`missing` conditions.

    ## Why is this bad?
    Vercel refuses the deployment ("`redirects` should NOT have more than 2048 items").

    ## Example
    ```json
    { "redirects": ["…2,049 redirects…"] }
    ```

    ## Use instead
    Bulk redirects (`bulkRedirectsPath`) or patterns that cover many paths.

    ## Sources
    - The CLI's schema (`schemas/vendor/vercel-cli-58.10.0.vercelConfigSchema.json`:
      `maxItems` 2048 for redirects, rewrites and headers, 1024 for a rule's headers, 16
      for `has`/`missing`), which the Vercel server applies
    """

    id = "VER009"
    blocks_deploy = True
    name = "too-many-rules"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        doc = snap.vercel or {}
        for kind in ROUTE_KINDS:
            rules = doc.get(kind) or []
            if isinstance(rules, list) and len(rules) > MAX_RULES:
                yield Problem(
                    f"{len(rules)} {kind}; Vercel allows {MAX_RULES}", "vercel.json", (kind,)
                )
        for artifact, kind, index, rule in route_rules(snap):
            if kind == "headers" and len(rule.get("headers") or []) > MAX_HEADERS:
                yield Problem(
                    f"more than {MAX_HEADERS} headers in one rule",
                    artifact,
                    (kind, index, "headers"),
                )
            for field in ("has", "missing"):
                if len(rule.get(field) or []) > MAX_CONDITIONS:
                    yield Problem(
                        f"more than {MAX_CONDITIONS} {field} conditions",
                        artifact,
                        (kind, index, field),
                    )


class CatastrophicBacktracking(Rule):
    """## What it does
    Finds route `source` patterns and `has`/`missing` values whose regular expression can
    backtrack catastrophically: a repetition nested in another that can match the same
    text (`(a+)+`, `(\\w+\\s?)+`, `(.*a){20}`), a repeated alternation whose branches
    overlap, or adjacent repetitions that can trade the same text (`\\w+\\w+…`,
    `\\d+\\w+`, path-to-regexp's `/:a-:b`), whose time grows as the path's length to the
    power of their number. meterr-config never runs such a pattern itself; the rest it
    runs under a time bound, with one budget per run.

    ## Why is this bad?
    The router runs these regexes on every request. On a crafted path or header that
    almost matches, the time taken doubles with each character: one request can hold a
    CPU for minutes (ReDoS), and whoever controls the pull request controls the pattern.
    Adjacent repetitions are slower to bite (the time grows as a power of the length, not
    exponentially) but eight `\\w+` in a row on a 5,000-character path is as bad.

    ## Example
    ```toml
    [[vercel.redirects]]
    source = "/docs/:path((?:[a-z]+-?)+)"
    destination = "/guide/:path"
    permanent = true
    ```

    ## Use instead
    One repetition, with separators that cannot be confused with what they separate:
    `source = "/docs/:path([a-z]+(?:-[a-z]+)*)"`.

    ## Sources
    - https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS;
      the Vercel router evaluates each `source` regex (as path-to-regexp 6.1.0 compiles it)
      per request
    """

    id = "VER010"
    name = "catastrophic-backtracking"
    severity = Severity.ERROR

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for artifact, kind, index, rule in route_rules(snap):
            source = str(rule.get("source", ""))
            try:
                why = risk(source_regex(source))
            except PatternError:
                why = None  # VER005 reports it
            if why:
                message = f"{kind} source {quoted(source)}: {why}"
                yield Problem(message, artifact, (kind, index, "source"))
            for field in ("has", "missing"):
                conditions = rule.get(field)
                for number, cond in enumerate(conditions if isinstance(conditions, list) else []):
                    value = cond.get("value") if isinstance(cond, dict) else None
                    why = risk(js_to_python(value)) if isinstance(value, str) else None
                    if why and isinstance(value, str):
                        yield Problem(
                            f"{field} value {quoted(value)}: {why}",
                            artifact,
                            (kind, index, field, number, "value"),
                        )


class RejectedByVercel(Rule):
    """## What it does
    Reports everything the Vercel CLI's own config schema (`vercelConfigSchema` of
    vercel@58.10.0, vendored in `schemas/vendor/`) and the server's top-level checks refuse
    in a hand-written vercel.json, each at its key path: a value of the wrong type or
    shape, an unknown property, `functions` together with `builds`, a redirect with both
    `permanent` and `statusCode`; what the CLI's `validateFunctions` refuses before a
    build, each with its error code (a runtime without a version such as `nodejs20.x`:
    `invalid_function_runtime`; a glob starting with `/`: `invalid_function_source`; an
    empty function: `invalid_function`); and deprecated or private properties as
    warnings. A
    top-level key whose value is misshapen is left out of what the other rules read, so
    the rest of the file is still linted.

    ## Why is this bad?
    `vercel build` or the deployment stops with the same error.

    ## Example
    ```json
    { "crons": [{ "schedule": "0 2 * * *" }], "functions": {}, "builds": [] }
    ```

    ## Use instead
    What the message asks for: here a `path` for the cron, and `functions` or `builds`.

    ## Sources
    - vercel/vercel `packages/cli` 58.10.0: the config schema (`vercelConfigSchema`) and
      `validateConfig` (`FUNCTIONS_AND_BUILDS`); `packages/fs-detectors/src/
      detect-builders.ts` (`validateFunctions`); the top-level keys the server accepts
      (`schemas/vendor/vercel-toplevel-keys.json`)
    """

    id = "VER011"
    name = "rejected-by-vercel"
    blocks_deploy = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        if not snap.vercel_rejected:  # every rendered environment: nothing to re-check
            return
        reported = {
            p.path
            for rule in (RoutesMixedWithHeaders(), TooManyRules())
            for p in rule.check(snap, options)
        }
        for _, severity, path, message in snap.vercel_rejected:
            if path not in reported:  # VER007 and VER009 say it in their own words
                level = Severity.WARNING if severity == "warning" else None
                yield Problem(message, "vercel.json", path, level)


RULES = (
    UnknownRegion(),
    MultiRegionNeedsEnterprise(),
    MaxDurationOverPlan(),
    MemoryOverPlan(),
    InvalidSourcePattern(),
    DestinationParamNotInSource(),
    RoutesMixedWithHeaders(),
    RedirectLoop(),
    TooManyRules(),
    CatastrophicBacktracking(),
    RejectedByVercel(),
)

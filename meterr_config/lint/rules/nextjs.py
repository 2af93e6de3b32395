"""Next.js rules (NEXT): keys of the target version, renamed and removed keys, env keys,
and a next.config that Next.js refuses or that could not be evaluated."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from pydantic import BaseModel

from meterr_config.findings import Severity
from meterr_config.lint.rule import Problem, Rule
from meterr_config.snapshot import Snapshot
from meterr_config.validate.nextjs import next_problems


class _NextRule(Rule):
    """Runs the Next.js validator and keeps the problems with this rule's id, each with
    the severity the validator gave it."""

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        if snap.next_config is None or snap.next_version is None:
            return
        for rule_id, severity, path, message in next_problems(
            snap.next_config, snap.next_routes, snap.next_version, snap.next_file
        ):
            if rule_id == self.id:
                yield Problem(message, snap.next_file, path, Severity(severity))


class RenamedKey(_NextRule):
    """## What it does
    Flags next.config keys that Next.js has moved or renamed, naming the new place and
    the version: `experimental.serverComponentsExternalPackages` became
    `serverExternalPackages` in 15.0, `experimental.reactCompiler` became
    `reactCompiler` and the middleware options became proxy options in 16.0, and so on.

    ## Why is this bad?
    Next copies the value to its new place and warns on every build, so it still works
    for now: a warning. With both keys set the old value wins (measured on 16.4); the
    middleware/proxy pairs Next refuses together, and `experimental.ppr` and
    `experimental.dynamicIO` it refuses outright (both NEXT006).

    ## Example
    ```ts
    experimental: { serverComponentsExternalPackages: ["pg", "redis"] }
    ```

    ## Use instead
    ```ts
    serverExternalPackages: ["pg", "redis"]
    ```

    ## Sources
    - Next.js 16.4.6 `next/dist/server/config.js` (`warnOptionHasBeenMovedOutOfExperimental`,
      `checkDeprecations`); `tests/realtools/test_next_moves.py` reads the table from it,
      and `tests/realtools/test_next_tables.py` loads each key with the real Next
    """

    id = "NEXT001"
    severity = Severity.WARNING
    name = "renamed-key"


class RemovedOrUnknownKey(_NextRule):
    """## What it does
    Flags next.config keys that the target Next.js version ignores: removed keys
    (`swcMinify`, `amp`, `eslint`…), keys added in a later version, typos, and keys
    that are no longer needed (`experimental.after`, `experimental.instrumentationHook`,
    `experimental.rootParams`: the feature is on by default).

    ## Why is this bad?
    Next only warns ("Unrecognized key(s) in object") and ignores them, so the setting
    silently does nothing: a warning. In a `next.config.ts` it is an error: `next build`
    type-checks the project, and a key `NextConfig` does not have fails it (unless
    `typescript.ignoreBuildErrors` turns the check off). A key that is no longer needed
    is still in the type: always a warning.

    ## Example
    ```ts
    swcMinify: true   // removed in Next.js 15
    ```

    ## Use instead
    Delete the key, or set `project.next_version` to the version you run.

    ## Sources
    - Next.js 16.4.6 `next/dist/server/config.js` (the config schema's "Unrecognized
      key(s)" warnings and `checkDeprecations`' "no longer needed");
      `tests/realtools/test_next_tables.py` loads every removed and no-longer-needed key
      with the real Next and sees it ignored
    """

    id = "NEXT002"
    name = "removed-or-unknown-key"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        typescript = (snap.next_config or {}).get("typescript")
        unchecked = isinstance(typescript, dict) and typescript.get("ignoreBuildErrors") is True
        typed = snap.next_file.endswith((".ts", ".mts")) and not unchecked
        for problem in super().check(snap, options):
            yield problem if typed else replace(problem, severity=Severity.WARNING)


class TsConfigNeedsNext15(_NextRule):
    """## What it does
    Flags a `next.config.ts` when the target Next.js version is older than 15.0.

    ## Why is this bad?
    Next.js 14 and older cannot load a TypeScript config; the build fails at once.

    ## Example
    ```toml
    [project]
    next_version = "14.2"
    ```

    ## Use instead
    Upgrade to Next.js 15 or later.

    ## Sources
    - Next.js 15.0 added next.config.ts (https://nextjs.org/blog/next-15); `CONFIG_FILES`
      in `next/dist/shared/lib/constants.js` of 14.x has no .ts, and the vendored key lists
      (`schemas/vendor/nextjs/`) start the .ts loader at 15.0
    """

    id = "NEXT003"
    name = "ts-config-needs-next-15"


class ForbiddenEnvKey(_NextRule):
    """## What it does
    Flags next.config `env` keys that Next.js refuses: `NODE_` or `__` followed by
    anything, in any case (`node_options` too), and `NEXT_RUNTIME`.

    ## Why is this bad?
    `next build` fails ("The key … under "env" … is not allowed").

    ## Example
    ```toml
    [nextjs.env]
    NODE_OPTIONS = "--max-old-space-size=4096"
    ```

    ## Use instead
    Set such variables in the Vercel project, not in next.config `env`.

    ## Sources
    - Next.js 16.4.6 `next/dist/lib/static-env.js` (`errorIfEnvConflicted`:
      `/^(?:NODE_.+)|^(?:__.+)$/i`); `tests/realtools/test_next_env_keys.py` compares
      NEXT004 with it on generated keys
    """

    id = "NEXT004"
    name = "forbidden-env-key"


class InvalidRoute(_NextRule):
    """## What it does
    Checks next.config headers, redirects and rewrites as Next.js does: `source` starts
    with `/`, `destination` with `/`, `http://` or `https://`, and each header has a
    string key and value.

    ## Why is this bad?
    Next.js exits with "Invalid redirect found" (or header, or rewrite) at build and start.

    ## Example
    ```toml
    [[nextjs.redirects]]
    source = "api"
    destination = "/api/health"
    permanent = false
    ```

    ## Use instead
    `source = "/api"`.

    ## Sources
    - Next.js 16.4.6 `next/dist/lib/load-custom-routes.js` (`checkCustomRoutes`: "`source`
      must start with /", "`destination` does not start with /, http://, or https://",
      header `key`/`value` must be strings); `tests/realtools/test_lint_dir.py` checks
      `dir:` reports what the real loader refuses
    """

    id = "NEXT005"
    name = "invalid-route"


class ConfigRefused(_NextRule):
    """## What it does
    Reports a next.config that the real Next.js refuses to load. In `dir:`, quoting
    Next's message: a syntax error, or a header, redirect or rewrite that
    `loadCustomRoutes` refuses (an unparsable `source`, a value that is not a string, a
    redirect without `permanent`). In every source, the keys Next's loader refuses:
    `target` other than "server", `experimental.ppr: true` and `experimental.dynamicIO`
    (merged into `cacheComponents` in 16.0), `experimental.turbopackPersistentCaching*`
    and `experimental.turbopackChunkingHeuristics` (renamed), and a middleware option
    set together with its proxy name.

    ## Why is this bad?
    `next build` stops with the same error, so the deployment fails.

    ## Example
    ```js
    module.exports = { async headers() { return [{ source: "/*", headers: [...] }] } }
    ```

    ## Use instead
    What Next's message asks for: here `source: "/(.*)"` (path-to-regexp has no bare `*`).

    ## Sources
    - Next.js 16.4.6, `next/dist/server/config.js` (`loadConfig`,
      `normalizeNextConfigZodErrors`, `HardDeprecatedConfigError`, "cannot be set at the
      same time") and `next/dist/lib/load-custom-routes.js`, run by `dir:` exactly as
      `next build` runs them (`PHASE_PRODUCTION_BUILD`, NODE_ENV=production);
      `tests/realtools/test_next_tables.py` loads each refused key with the real Next
    """

    id = "NEXT006"
    name = "next-config-refused"
    blocks_deploy = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        if snap.next_failure is not None and snap.next_failure[0] == "refused":
            yield Problem(f"next build fails: {snap.next_failure[1]}", snap.next_file, ())
        else:
            yield from super().check(snap, options)


class ConfigNotEvaluated(Rule):
    """## What it does
    Reports a next.config that could not be evaluated here: a package it imports is not
    installed, Node.js or Next.js is missing, or its own code throws (a variable only the
    build has). No Next.js rule ran on it, and the headers, redirects and rewrites it
    sets are unknown, so `lint` reports its status as `incomplete`, never `pass`.

    ## Why is this bad?
    A gate that passes on a config it never read passes anything.

    ## Example
    `import { withSentryConfig } from "@sentry/nextjs"` in a folder without node_modules.

    ## Use instead
    Lint where the app's dependencies are installed (`npm ci`), or pass `--tools DIR`.

    ## Sources
    - Node.js resolution (`MODULE_NOT_FOUND`, `ERR_MODULE_NOT_FOUND`), as Next's loader
      meets it
    """

    id = "NEXT007"
    name = "next-config-not-evaluated"
    severity = Severity.WARNING

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        if snap.next_failure is not None and snap.next_failure[0] == "not evaluated":
            yield Problem(
                f"not evaluated here, so no Next.js rule ran and what it sets is unknown: "
                f"{snap.next_failure[1]}",
                snap.next_file,
                (),
            )


class InvalidValue(Rule):
    """## What it does
    Reports what Next.js itself warns of a next.config's values as it loads it: a value
    of the wrong type or shape at a key (`experimental.serverActions: true`: "Expected
    object, received boolean"), quoting Next.

    ## Why is this bad?
    Next only warns and goes on with a setting it cannot use, so the app runs without
    it (or fails later, where the setting mattered).

    ## Example
    ```js
    module.exports = { experimental: { serverActions: true } }
    ```

    ## Use instead
    What the key's documentation gives: `serverActions: { bodySizeLimit: "2mb" }`.

    ## Sources
    - Next.js 16.4.6 `next/dist/server/config.js` (its config schema's "Invalid
      next.config options detected" warnings), read from the real loader's output
    """

    id = "NEXT008"
    name = "next-config-invalid-value"
    severity = Severity.WARNING

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for path, message in snap.next_warnings:
            yield Problem(f"Next.js warns: {message}", snap.next_file, path)


RULES = (
    RenamedKey(),
    RemovedOrUnknownKey(),
    TsConfigNeedsNext15(),
    ForbiddenEnvKey(),
    InvalidRoute(),
    ConfigRefused(),
    ConfigNotEvaluated(),
    InvalidValue(),
)

"""Next.js rules (NEXT): keys of the target version, renamed and removed keys, env keys."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel

from meterr_config.lint.rule import Problem, Rule
from meterr_config.snapshot import Snapshot
from meterr_config.validate.nextjs import next_problems


class _NextRule(Rule):
    """Runs the Next.js validator and keeps the problems with this rule's id."""

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        if snap.next_config is None or snap.next_version is None:
            return
        for rule_id, _, path, message in next_problems(
            snap.next_config, snap.next_routes, snap.next_version, snap.next_file
        ):
            if rule_id == self.id:
                yield Problem(message, snap.next_file, path)


class RenamedKey(_NextRule):
    """## What it does
    Flags next.config keys that Next.js has renamed, naming the replacement and the
    version: `experimental.serverComponentsExternalPackages` became
    `serverExternalPackages` in 15.0, `experimental.turbo` became `turbopack`, and so on.

    ## Why is this bad?
    Next only warns and ignores the old key, so the setting silently stops working;
    `next build` fails the type check of a typed config. With both keys set, the old
    value wins (measured on 16.4).

    ## Example
    ```ts
    experimental: { serverComponentsExternalPackages: ["pg", "redis"] }
    ```

    ## Use instead
    ```ts
    serverExternalPackages: ["pg", "redis"]
    ```
    """

    id = "NEXT001"
    name = "renamed-key"


class RemovedOrUnknownKey(_NextRule):
    """## What it does
    Flags next.config keys that the target Next.js version does not have: removed keys
    (`swcMinify`, `amp`, `eslint`…), keys added in a later version, and typos.

    ## Why is this bad?
    Next only warns and ignores them; `next build` fails the type check of a typed config.

    ## Example
    ```ts
    swcMinify: true   // removed in Next.js 15
    ```

    ## Use instead
    Delete the key, or set `project.next_version` to the version you run.
    """

    id = "NEXT002"
    name = "removed-or-unknown-key"


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
    """

    id = "NEXT003"
    name = "ts-config-needs-next-15"


class ForbiddenEnvKey(_NextRule):
    """## What it does
    Flags next.config `env` keys that Next.js refuses: `NODE_*`, `__*` and `NEXT_RUNTIME`.

    ## Why is this bad?
    `next build` fails.

    ## Example
    ```toml
    [nextjs.env]
    NODE_OPTIONS = "--max-old-space-size=4096"
    ```

    ## Use instead
    Set such variables in the Vercel project, not in next.config `env`.
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
    """

    id = "NEXT005"
    name = "invalid-route"


RULES = (
    RenamedKey(),
    RemovedOrUnknownKey(),
    TsConfigNeedsNext15(),
    ForbiddenEnvKey(),
    InvalidRoute(),
)

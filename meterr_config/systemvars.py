"""The environment variables Vercel provides itself, in one place with their source.

Vercel sets them on every build and function ("System Environment Variables",
https://vercel.com/docs/environment-variables/system-environment-variables), and `vercel
env pull` writes them into the pulled file next to the project's own (the API's
`/v3/env/pull` answer, which the CLI writes as it is). They are no configuration: a
model never declares them, and a diff between a model and a pulled file or a running
deployment must not count them. Framework copies (`NEXT_PUBLIC_VERCEL_URL`) are set when
the project exposes system variables (`autoExposeSystemEnvs`).
"""

from __future__ import annotations

# name -> what it holds. Values are per deployment (a URL, a commit), or credentials.
SYSTEM: dict[str, str] = {
    "VERCEL": "1 on Vercel",
    "CI": "1 during a Vercel build",
    "VERCEL_ENV": "the environment: production, preview or development",
    "VERCEL_TARGET_ENV": "the target, a custom environment's name included",
    "VERCEL_URL": "the deployment's generated URL",
    "VERCEL_BRANCH_URL": "the branch's generated URL",
    "VERCEL_PROJECT_PRODUCTION_URL": "the project's production domain",
    "VERCEL_REGION": "the region a function runs in",
    "VERCEL_DEPLOYMENT_ID": "the deployment's id",
    "VERCEL_PROJECT_ID": "the project's id",
    "VERCEL_SKEW_PROTECTION_ENABLED": "1 when Skew Protection is on",
    "VERCEL_AUTOMATION_BYPASS_SECRET": "the Protection Bypass for Automation secret",
    "VERCEL_OIDC_TOKEN": "a short-lived OIDC token for the deployment",
    "NX_DAEMON": "false, set for Nx builds",
}
# Families of names, by prefix: the Git metadata of the deployment, and the Turborepo
# settings Vercel's build sets (TURBO_CACHE, TURBO_REMOTE_ONLY, TURBO_RUN_SUMMARY…).
PREFIXES: dict[str, str] = {
    "VERCEL_GIT_": "the deployment's Git metadata (provider, repository, commit, author)",
    "TURBO_": "Turborepo settings of Vercel's build",
}
# The prefixes frameworks read in the browser; Vercel adds one to each system variable.
FRAMEWORK_PREFIXES = ("NEXT_PUBLIC_",)
# Credentials among them: never shown, whatever the output.
CREDENTIALS = frozenset({"VERCEL_OIDC_TOKEN", "VERCEL_AUTOMATION_BYPASS_SECRET"})


def _own(name: str) -> str:
    for prefix in FRAMEWORK_PREFIXES:
        rest = name.removeprefix(prefix)
        if rest != name and (rest in SYSTEM or rest.startswith(tuple(PREFIXES))):
            return rest
    return name


def provided(name: str) -> str | None:
    """What Vercel provides under `name` (its description), or None when it is not a
    system variable."""
    own = _own(name)
    if own in SYSTEM:
        return SYSTEM[own]
    for prefix, what in PREFIXES.items():
        if own.startswith(prefix):
            return what
    return None

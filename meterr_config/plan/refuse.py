"""Values refused before any write, each with a one-line reason.

The value checks are the Vercel CLI's own (`getEnvValueWarnings`, src/util/env/
validate-env.ts: empty, a NUL, newlines, a space or tab at either end, surrounding `"`
or `'`), which `vercel env add` only warns of and then stores (an empty value took a
site down, vercel/vercel#16934); here each refuses. Two differ on purpose: a value is
never changed here, so one ending in a newline (the CLI strips one) is refused; and
Vercel's own `[SENSITIVE]` placeholder and a value over the API's limit are refused too.
The type checks are the CLI's as well (`getDevelopmentSecretVisibilityError`,
`getPublicPrefixSecretVisibilityError`), per target. tests/realtools/
test_vercel_env_checks.py runs the pinned CLI's functions on generated values, names
and targets and compares.
"""

from __future__ import annotations

from meterr_config.secretshapes import format_problem

SENSITIVE_PLACEHOLDER = "[SENSITIVE]"
# The API's limit on one value (its `env_value_invalid_length` error), in characters.
VALUE_LIMIT = 65_536
# Names Vercel reserves for its runtime (vercel.com/docs/environment-variables/
# reserved-environment-variables): a deployment that sets one fails.
RESERVED = frozenset(
    {
        "AWS_SECRET_KEY",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "NOW_REGION",
        "TZ",
        "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR",
    }
)
_QUOTES = ("'", '"')
_BLANKS = (" ", "\t")
# The public framework prefixes, the CLI's PUBLIC_PREFIXES: each framework's `envPrefix`
# in @vercel/frameworks, in its order (the test reads the pinned CLI's list).
PUBLIC_PREFIXES = (
    "NEXT_PUBLIC_",
    "GATSBY_",
    "PUBLIC_",
    "VITE_",
    "VUE_APP_",
    "REACT_APP_",
    "NUXT_ENV_",
    "REDWOOD_ENV_",
    "SANITY_STUDIO_",
)


def value_refusal(value: str) -> str | None:
    """Why a value cannot be what anyone meant to store, or None."""
    if value == "":
        return "is empty (Vercel would store an empty value and report success)"
    if len(value) > VALUE_LIMIT:
        return f"is {len(value)} characters; Vercel takes at most {VALUE_LIMIT}"
    if "\x00" in value:
        return "holds a NUL character"
    if value == SENSITIVE_PLACEHOLDER:
        return "is [SENSITIVE], the placeholder `vercel env pull` writes, not the value"
    if "\n" in value or "\r" in value:
        return "holds a newline"
    if value.startswith(_BLANKS) or value.endswith(_BLANKS):
        return "has leading or trailing whitespace"
    if len(value) > 2 and value[0] == value[-1] and value[0] in _QUOTES:
        return "is wrapped in quotes (they would be stored as part of the value)"
    return None


def type_refusal(key: str, kind: str, target: str) -> str | None:
    """Why Vercel refuses (or should not be given) `key` as `kind` on `target`, or None."""
    if key in RESERVED:
        return "is a name Vercel reserves for its runtime: a deployment that sets it fails"
    if kind == "sensitive" and target == "development":
        return "is sensitive on development, which Vercel refuses (use encrypted there)"
    prefix = public_prefix(key)
    if kind == "sensitive" and prefix and target != "development":
        return (
            f"is {prefix} and sensitive, which Vercel refuses on {target}: the framework "
            "inlines it into the browser bundle, so hiding it on Vercel hides nothing"
        )
    return None


def public_prefix(key: str) -> str | None:
    """The public framework prefix `key` starts with (in any case, as the CLI reads it)."""
    return next((p for p in PUBLIC_PREFIXES if key.upper().startswith(p)), None)


def shape_refusal(fmt: str | None, min_length: int | None, value: str) -> str | None:
    """Why a secret's value fails its declared format or minimum length (SEC001, SEC002)."""
    if min_length is not None and len(value) < min_length:
        return f"is {len(value)} characters, shorter than its min_length {min_length}"
    if fmt is not None and (problem := format_problem(fmt, value)):
        return f"{problem} (its format is {fmt})"
    return None

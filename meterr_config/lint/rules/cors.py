"""CORS rules: what browsers accept in Access-Control-Allow-Origin, and what attackers exploit."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from pydantic import BaseModel

from meterr_config.lint.helpers import allowed_origins, header_rules
from meterr_config.lint.rule import Problem, Rule
from meterr_config.pathpattern import matches
from meterr_config.redact import quoted
from meterr_config.snapshot import Snapshot

ACAO = "access-control-allow-origin"


class WildcardOrigin(Rule):
    """## What it does
    Flags `Access-Control-Allow-Origin: *` outside development.

    ## Why is this bad?
    Any website can then read the API's responses from a visitor's browser. The guide's
    `process.env.ALLOWED_ORIGINS || '*'` does this whenever the variable is unset.

    ## Example
    ```ts
    { key: "Access-Control-Allow-Origin", value: process.env.ALLOWED_ORIGINS || "*" }
    ```

    ## Use instead
    ```toml
    [cors]
    allowed_origins = ["https://app.meterr.ai"]
    ```
    """

    id = "CORS001"
    name = "wildcard-origin"
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for rule, origin in allowed_origins(snap):
            if origin.strip() == "*":
                yield Problem(
                    f"any origin may read responses from {rule.source}",
                    rule.artifact,
                    rule.header_path(ACAO),
                )


class MultipleOriginsInOneHeader(Rule):
    """## What it does
    Flags an Access-Control-Allow-Origin value holding more than one origin.

    ## Why is this bad?
    The header takes exactly one origin, `null` or `*`. Browsers reject a list, so every
    cross-origin call fails, though Next.js and Vercel accept the config without a word.

    ## Example
    ```ts
    { key: "Access-Control-Allow-Origin", value: "https://a.com,https://b.com" }
    ```

    ## Use instead
    List the origins in `cors.allowed_origins`: each gets its own Origin-gated rule.
    """

    id = "CORS002"
    name = "multiple-origins-in-one-header"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for rule, origin in allowed_origins(snap):
            if len(re.split(r"[\s,]+", origin.strip())) > 1:
                yield Problem(
                    "Access-Control-Allow-Origin holds several origins; browsers accept one",
                    rule.artifact,
                    rule.header_path(ACAO),
                )


class NullOrigin(Rule):
    """## What it does
    Flags `Access-Control-Allow-Origin: null`, and rules gated on an Origin of `null`.

    ## Why is this bad?
    Sandboxed iframes and `file:` pages send `Origin: null`, so any attacker can produce
    it (PortSwigger).

    ## Example
    ```toml
    [cors]
    allowed_origins = ["null"]
    ```

    ## Use instead
    Allow only real `https://` origins.
    """

    id = "CORS003"
    name = "null-origin"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for rule, origin in allowed_origins(snap):
            if origin.strip().lower() == "null":
                yield Problem("the null origin is allowed", rule.artifact, rule.header_path(ACAO))


class CredentialsWithWildcard(Rule):
    """## What it does
    Flags `Access-Control-Allow-Credentials: true` together with a wildcard origin,
    methods or headers.

    ## Why is this bad?
    With credentials, browsers treat `*` literally and fail the request; and configs that
    "fix" it by echoing the Origin expose every user's data to every site.

    ## Example
    ```toml
    [cors]
    allowed_origins = ["*"]
    allow_credentials = true
    ```

    ## Use instead
    Exact origins, methods and headers whenever credentials are allowed.
    """

    id = "CORS004"
    name = "credentials-with-wildcard"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for rule in header_rules(snap):
            if rule.headers.get("access-control-allow-credentials", "").strip().lower() != "true":
                continue
            for name in (
                ACAO,
                "access-control-allow-methods",
                "access-control-allow-headers",
                "access-control-expose-headers",
            ):
                if rule.headers.get(name, "").strip() == "*":
                    yield Problem(
                        f"{name} is '*' while credentials are allowed",
                        rule.artifact,
                        rule.header_path(name),
                    )


class InsecureOrigin(Rule):
    """## What it does
    Flags allowed origins that use `http://` or point at localhost, outside development.

    ## Why is this bad?
    An `http://` origin can be impersonated by anyone on the network path; a localhost
    origin lets any page a developer runs locally call production.

    ## Example
    ```toml
    [cors]
    allowed_origins = ["http://app.meterr.ai", "http://localhost:3000"]
    ```

    ## Use instead
    `https://` origins of deployed apps only; keep localhost to development.
    """

    id = "CORS005"
    name = "insecure-origin"
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for rule, origin in allowed_origins(snap):
            host = urlsplit(origin.strip()).hostname or ""
            if origin.startswith("http://") or host in ("localhost", "127.0.0.1", "[::1]"):
                yield Problem(
                    f"insecure origin {quoted(origin)} is allowed",
                    rule.artifact,
                    rule.header_path(ACAO),
                )


def normalisation_problem(origin: str) -> str | None:
    """Why an origin is not in the serialized form browsers send, or None."""
    text = origin.strip()
    if text in ("*", "null"):
        return None
    parts = urlsplit(text)
    if text != origin:
        return "has surrounding spaces"
    if not parts.scheme or not parts.netloc:
        return "is not scheme://host[:port]"
    if parts.path or parts.query or parts.fragment:
        return "has a path, query or trailing slash"
    if parts.netloc != parts.netloc.lower() or parts.scheme != parts.scheme.lower():
        return "is not lower case"
    if (parts.scheme, parts.port) in (("https", 443), ("http", 80)):
        return "names the default port"
    return None


class OriginNotNormalised(Rule):
    """## What it does
    Flags origins that are not in the exact form a browser sends: a trailing slash or
    path, upper case, the default port, surrounding spaces.

    ## Why is this bad?
    The browser compares the header byte for byte with its own origin, so
    `https://app.meterr.ai/` never matches and CORS silently fails.

    ## Example
    ```toml
    [cors]
    allowed_origins = ["https://App.meterr.ai/"]
    ```

    ## Use instead
    ```toml
    [cors]
    allowed_origins = ["https://app.meterr.ai"]
    ```
    """

    id = "CORS006"
    name = "origin-not-normalised"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for rule, origin in allowed_origins(snap):
            if len(re.split(r"[\s,]+", origin.strip())) == 1 and (
                why := normalisation_problem(origin)
            ):
                yield Problem(
                    f"origin {quoted(origin)} {why}", rule.artifact, rule.header_path(ACAO)
                )


class MissingVaryOrigin(Rule):
    """## What it does
    Flags a specific (non-`*`) Access-Control-Allow-Origin whose path does not also send
    `Vary: Origin`.

    ## Why is this bad?
    A shared cache may store the response for one origin and serve it to another, which
    then fails CORS, or succeeds where it should not.

    ## Example
    ```ts
    { source: "/api/(.*)",
      headers: [{ key: "Access-Control-Allow-Origin", value: "https://app.meterr.ai" }] }
    ```

    ## Use instead
    Add `{ key: "Vary", value: "Origin" }` on the same source (meterr-config renders it).
    """

    id = "CORS007"
    name = "missing-vary-origin"
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        rules = list(header_rules(snap))
        for rule, origin in allowed_origins(snap):
            if origin.strip() in ("*", ""):
                continue
            probe = rule.source.replace("(.*)", "x").replace(":path*", "x")
            varies = any(
                other.artifact == rule.artifact
                and "origin"
                in [v.strip().lower() for v in other.headers.get("vary", "").split(",")]
                and (other.source == rule.source or matches(other.source, probe))
                for other in rules
            )
            if not varies:
                yield Problem(
                    f"{rule.source} sends a specific origin without Vary: Origin",
                    rule.artifact,
                    rule.header_path(ACAO),
                )


class UnescapedOriginPattern(Rule):
    """## What it does
    Flags `has` conditions on the Origin header whose value is not a literal, escaped
    origin: an unescaped `.`, or wildcards such as `.*` that allow prefixes or suffixes.

    ## Why is this bad?
    The value is a regular expression. `https://app.meterr.ai` also matches
    `https://appXmeterr.ai`, which anyone can register (measured on Next.js 16).

    ## Example
    ```ts
    has: [{ type: "header", key: "origin", value: "https://app.meterr.ai" }]
    ```

    ## Use instead
    `value: "https://app\\.meterr\\.ai"`, as meterr-config renders it.
    """

    id = "CORS008"
    name = "unescaped-origin-pattern"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for rule in header_rules(snap):
            for index, cond in enumerate(rule.has):
                if str(cond.get("key", "")).lower() != "origin" or cond.get("type") != "header":
                    continue
                value = str(cond.get("value", ""))
                unescaped = re.search(r"(?<!\\)\.", value.replace("\\\\", ""))
                if unescaped or re.search(r"(?<!\\)[*+?]|\|", value):
                    yield Problem(
                        f"origin pattern {quoted(value)} matches more than the origin; escape it",
                        rule.artifact,
                        (*rule.path, "has", index, "value"),
                    )


RULES = (
    WildcardOrigin(),
    MultipleOriginsInOneHeader(),
    NullOrigin(),
    CredentialsWithWildcard(),
    InsecureOrigin(),
    OriginNotNormalised(),
    MissingVaryOrigin(),
    UnescapedOriginPattern(),
)

"""CORS rules: what browsers accept in Access-Control-Allow-Origin (the Fetch standard's
CORS protocol, fetch.spec.whatwg.org section 3.2), and what attackers exploit."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from pydantic import BaseModel

from meterr_config.findings import Severity
from meterr_config.lint.helpers import HeaderRuleView, allowed_origins, header_rules
from meterr_config.lint.rule import Problem, Rule
from meterr_config.pathpattern import matches
from meterr_config.redact import quoted
from meterr_config.snapshot import Snapshot

ACAO = "access-control-allow-origin"
# Sources that serve public static files, where `*` is the usual answer: fonts must be
# fetched in CORS mode from another origin (CSS Fonts 4, font fetching), and images and
# build assets carry nothing a visitor's cookies unlock.
_STATIC_DIR = re.compile(
    r"^/(?:_next/static|_next/image|static|assets|fonts?|images?|img|icons?|media)(?:/|$|\(|:)",
    re.I,
)
# A file-type ending: `.woff2`, `\.(png|jpg)`, `(svg|jpg|png)`, `.ico`.
_FILE_TYPES = re.compile(r"(?:\\?\.|\()\(?([a-z0-9]+(?:\|[a-z0-9]+)*)\)?\$?$", re.I)
STATIC_TYPES = frozenset(
    [
        "woff",
        "woff2",
        "ttf",
        "otf",
        "eot",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "webp",
        "avif",
        "svg",
        "ico",
        "css",
        "js",
        "map",
    ]
)


def is_static_source(source: str) -> bool:
    """Whether a rule's source names public static files (a folder such as `/fonts` or
    `/_next/static`, or file types such as `(svg|png)`) and cannot match an API route."""
    if matches(source, "/api/x"):
        return False
    ending = _FILE_TYPES.search(source)
    types = ending.group(1).lower().split("|") if ending else []
    return bool(_STATIC_DIR.match(source)) or (bool(types) and set(types) <= STATIC_TYPES)


class WildcardOrigin(Rule):
    """## What it does
    Flags `Access-Control-Allow-Origin: *` outside development: an error, except on
    public static files (a source under `/fonts`, `/images`, `/_next/static`… or ending in
    a font, image, CSS or script type, that cannot match `/api/`), where `*` is usual and
    the finding is a warning.

    ## Why is this bad?
    Any website can then read the API's responses from a visitor's browser (without
    cookies: the Fetch standard never sends credentials to `*`, but an API that trusts the
    network, an IP range or a header the page can set is open). The guide's
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

    ## Sources
    - Fetch standard, CORS protocol and credentials:
      https://fetch.spec.whatwg.org/#cors-protocol-and-credentials
    - CSS Fonts 4, font fetching requirements (fonts are fetched in CORS mode):
      https://www.w3.org/TR/css-fonts-4/#font-fetching-requirements
    """

    id = "CORS001"
    name = "wildcard-origin"
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for rule, origin in allowed_origins(snap):
            if origin.strip() != "*":
                continue
            if is_static_source(rule.source):
                message = (
                    f"any origin may read {rule.source}: usual for public static files "
                    "(fonts need it); make sure nothing private is served there"
                )
                severity = Severity.WARNING
            else:
                message = f"any origin may read responses from {rule.source}"
                severity = Severity.ERROR
            yield Problem(message, rule.artifact, rule.header_path(ACAO), severity)


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

    ## Sources
    - Fetch standard, HTTP responses (`Access-Control-Allow-Origin` holds one origin, `*` or
      `null`): https://fetch.spec.whatwg.org/#http-responses
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

    ## Sources
    - Fetch standard, `Origin: null`: https://fetch.spec.whatwg.org/#origin-header; PortSwigger,
      CORS: https://portswigger.net/web-security/cors
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
    With credentials, the Fetch standard does not treat `*` as a wildcard: browsers
    refuse `Access-Control-Allow-Origin: *` outright (an error: every credentialed request
    fails), and read `*` in Allow-Methods, Allow-Headers or Expose-Headers as a method or
    header literally named `*` (a warning: requests that need another one fail). Configs
    that "fix" it by echoing the Origin expose every user's data to every site.

    ## Example
    ```toml
    [cors]
    allowed_origins = ["*"]
    allow_credentials = true
    ```

    ## Use instead
    Exact origins, methods and headers whenever credentials are allowed.

    ## Sources
    - Fetch standard, CORS protocol and credentials (`*` is not a wildcard with credentials):
      https://fetch.spec.whatwg.org/#cors-protocol-and-credentials
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
                if rule.headers.get(name, "").strip() != "*":
                    continue
                if name == ACAO:
                    message = f"{name} is '*' while credentials are allowed: browsers refuse it"
                else:
                    message = (
                        f"{name} is '*' while credentials are allowed: browsers take it "
                        "literally, as a name '*', not as a wildcard"
                    )
                severity = Severity.ERROR if name == ACAO else Severity.WARNING
                yield Problem(message, rule.artifact, rule.header_path(name), severity)


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

    ## Sources
    - PortSwigger, CORS and trusted insecure protocols: https://portswigger.net/web-security/cors
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
    if not text.isascii():
        host = parts.hostname or ""
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return "has non-ASCII characters, which an origin never holds"
        return (
            "has non-ASCII characters: browsers send the host as punycode "
            f"({ascii_host}), so it never matches"
        )
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
    path, upper case, the default port, surrounding spaces, non-ASCII characters (an
    origin's host is serialised as punycode, `xn--…`).

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

    ## Sources
    - Fetch standard, CORS check (the value is compared with the serialised origin):
      https://fetch.spec.whatwg.org/#cors-check
    - HTML, serialisation of an origin (the host as ASCII):
      https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin
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


def _origin_gated(rule: HeaderRuleView) -> bool:
    return any(
        cond.get("type") == "header" and str(cond.get("key", "")).lower() == "origin"
        for cond in rule.has
    )


def _overlaps(left: HeaderRuleView, right: HeaderRuleView) -> bool:
    """Whether two rules can answer the same path: the same source, or either one
    matching a sample path of the other."""
    return left.source == right.source or any(
        matches(a.source, b.source.replace("(.*)", "x").replace(":path*", "x"))
        for a, b in ((left, right), (right, left))
    )


class MissingVaryOrigin(Rule):
    """## What it does
    Flags an Access-Control-Allow-Origin that depends on the request's Origin (its rule
    is gated by `has` on the Origin header, or an Origin-gated rule gives the same path
    another origin) when that path does not also send `Vary: Origin`. An origin sent on
    every response is not flagged, nor are two unconditional rules (the last one wins):
    the answer is the same for every request.

    ## Why is this bad?
    A shared cache may store the response for one origin and serve it to another, which
    then fails CORS, or succeeds where it should not (Fetch standard, "CORS protocol and
    HTTP caches").

    ## Example
    ```ts
    { source: "/api/(.*)",
      has: [{ type: "header", key: "origin", value: "https://app\\.meterr\\.ai" }],
      headers: [{ key: "Access-Control-Allow-Origin", value: "https://app.meterr.ai" }] }
    ```

    ## Use instead
    Add `{ key: "Vary", value: "Origin" }` on the same source (meterr-config renders it).

    ## Sources
    - Fetch standard, CORS protocol and HTTP caches:
      https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches
    """

    id = "CORS007"
    name = "missing-vary-origin"
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        rules = list(header_rules(snap))
        answers = [(r, o.strip()) for r, o in allowed_origins(snap) if o.strip() not in ("*", "")]
        for rule, origin in answers:
            varies_by_origin = _origin_gated(rule) or any(
                other.artifact == rule.artifact
                and _origin_gated(other)
                and value != origin
                and _overlaps(rule, other)
                for other, value in answers
            )
            if not varies_by_origin:
                continue
            sends_vary = any(
                other.artifact == rule.artifact
                and "origin"
                in [v.strip().lower() for v in other.headers.get("vary", "").split(",")]
                and _overlaps(rule, other)
                and (not other.has or other.has == rule.has)
                for other in rules
            )
            if not sends_vary:
                yield Problem(
                    f"{rule.source} answers with an origin that depends on the request's "
                    "Origin, without Vary: Origin",
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

    ## Sources
    - Vercel, `has` values are regular expressions:
      https://vercel.com/docs/project-configuration#header-object-definition; Next.js:
      https://nextjs.org/docs/app/api-reference/config/next-config-js/headers#header-cookie-and-query-matching
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


class PreflightMaxAgeCapped(Rule):
    """## What it does
    Notes an `Access-Control-Max-Age` above 7,200 s, the most Chromium caches a
    preflight for (Firefox: 86,400 s; MDN, Access-Control-Max-Age).

    ## Why is this bad?
    It is not harmful: browsers cap it silently, so preflights are repeated more often
    than the value suggests.

    ## Example
    ```ts
    { key: "Access-Control-Max-Age", value: "86400" }
    ```

    ## Use instead
    `7200`, or less.

    ## Sources
    - MDN, Access-Control-Max-Age (Chromium caps at 7200 s, Firefox at 86400 s):
      https://developer.mozilla.org/docs/Web/HTTP/Reference/Headers/Access-Control-Max-Age
    """

    id = "CORS009"
    name = "preflight-max-age-capped"
    severity = Severity.INFO

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for rule in header_rules(snap):
            value = rule.headers.get("access-control-max-age", "").strip()
            if value.isdigit() and int(value) > 7200:
                yield Problem(
                    f"Access-Control-Max-Age {value} s: Chromium caches a preflight for at "
                    "most 7200 s",
                    rule.artifact,
                    rule.header_path("access-control-max-age"),
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
    PreflightMaxAgeCapped(),
)

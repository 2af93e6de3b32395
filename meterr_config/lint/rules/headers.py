"""Security header rules (HDR), judged as MDN's HTTP Observatory grader and Vercel do.

Severity follows docs/rules.md: a header that is missing or weaker than recommended is a
warning; a header the config sets that turns a protection off is an error; what the
platform may send itself, or middleware may set, is info (it cannot be decided here).
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from meterr_config.findings import Severity
from meterr_config.lint.helpers import HeaderRuleView, has_layers, header_rules, served_everywhere
from meterr_config.lint.observatory import (
    BAD_REFERRERS,
    GOOD_REFERRERS,
    SIX_MONTHS,
    hsts_max_age,
    hsts_preloaded,
)
from meterr_config.lint.observatory_csp import csp_problems
from meterr_config.lint.rule import Problem, Rule
from meterr_config.pathpattern import is_catch_all
from meterr_config.redact import quoted
from meterr_config.snapshot import Snapshot

UNSAFE_REFERRERS = frozenset(BAD_REFERRERS)
REFERRERS = frozenset(GOOD_REFERRERS + BAD_REFERRERS)
LEAKS = {
    "unsafe-url": "the full URL to other sites, even from https to http",
    "no-referrer-when-downgrade": "the full URL to other sites",
    "origin": "the origin to other sites, even from https to http",
    "origin-when-cross-origin": "the origin to other sites, even from https to http",
}


def _artifact(snap: Snapshot) -> str:
    """Where a header missing everywhere should be added: beside the headers the config
    already sets (vercel.json when both files set some, or neither does)."""
    setting = {rule.artifact for rule in header_rules(snap)}
    if snap.vercel is None or setting == {snap.next_file}:
        return snap.next_file
    return "vercel.json"


def _served(snap: Snapshot, name: str) -> tuple[str, HeaderRuleView] | None:
    return served_everywhere(snap).get(name)


# The response headers the Observatory grades, and Permissions-Policy (OWASP).
SECURITY_HEADERS = frozenset(
    {
        "content-security-policy",
        "content-security-policy-report-only",
        "strict-transport-security",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
        "permissions-policy",
        "cross-origin-opener-policy",
        "cross-origin-embedder-policy",
        "cross-origin-resource-policy",
    }
)


def sets_security_headers(snap: Snapshot) -> bool:
    """Whether any header rule, on any path, sets a security header."""
    return any(SECURITY_HEADERS & set(rule.headers) for rule in header_rules(snap))


def _judged(snap: Snapshot) -> bool:
    """Whether a missing header is this rule's to report: the snapshot knows all its
    headers (no next.config it could not load) and sets some security header (HDR008
    reports a config that sets none, once)."""
    return _knows_all(snap) and sets_security_headers(snap)


def _knows_all(snap: Snapshot) -> bool:
    return has_layers(snap) and not snap.unreadable & {"next.config", "vercel.json/headers"}


class MissingNosniff(Rule):
    """## What it does
    Checks that every path is served `X-Content-Type-Options: nosniff`.

    ## Why is this bad?
    Without it browsers may guess a response's type and run an uploaded text file as
    script (Observatory: -5).

    ## Example
    ```toml
    [security.headers]   # no X-Content-Type-Options
    ```

    ## Use instead
    ```toml
    [security.headers]
    "X-Content-Type-Options" = "nosniff"
    ```

    ## Sources
    - mdn/mdn-http-observatory `main` (algorithm 6): `src/analyzer/tests/x-content-type-options.js`;
      `src/grader/charts.js` (`x-content-type-options-not-implemented`: -5)
    """

    id = "HDR001"
    name = "missing-nosniff"
    severity = Severity.WARNING
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        served = _served(snap, "x-content-type-options")
        if _judged(snap) and (served is None or served[0].strip().lower() != "nosniff"):
            yield Problem(
                "X-Content-Type-Options: nosniff is not sent on every path",
                _artifact(snap),
                ("headers",),
            )


class MissingFrameProtection(Rule):
    """## What it does
    Checks that every path forbids framing, with `X-Frame-Options` or CSP
    `frame-ancestors`.

    ## Why is this bad?
    A page that can be framed can be clickjacked (Observatory: -20).

    ## Example
    ```toml
    [security.headers]   # neither X-Frame-Options nor frame-ancestors
    ```

    ## Use instead
    ```toml
    [security.headers]
    "X-Frame-Options" = "DENY"
    ```

    ## Sources
    - mdn/mdn-http-observatory `main` (algorithm 6): `src/analyzer/tests/x-frame-options.js`;
      `src/grader/charts.js` (not implemented: -20; `frame-ancestors`: +5)
    """

    id = "HDR002"
    name = "missing-frame-protection"
    severity = Severity.WARNING
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        xfo = _served(snap, "x-frame-options")
        csp = _served(snap, "content-security-policy")
        framing = csp is not None and "frame-ancestors" in csp[0]
        good_xfo = xfo is not None and xfo[0].strip().upper() in ("DENY", "SAMEORIGIN")
        if _judged(snap) and not (framing or good_xfo):
            yield Problem(
                "no X-Frame-Options or CSP frame-ancestors on every path",
                _artifact(snap),
                ("headers",),
            )


class WeakReferrerPolicy(Rule):
    """## What it does
    Flags a Referrer-Policy whose policy (the last token the grader knows) sends the
    full URL or the origin to other sites: `unsafe-url`, `no-referrer-when-downgrade`,
    `origin`, `origin-when-cross-origin` (Observatory `referrer-policy-unsafe`, -5). A
    missing Referrer-Policy is info: browsers then apply `strict-origin-when-cross-origin`
    (Fetch / Referrer Policy default), which the grader does not penalise.

    ## Why is this bad?
    URLs carry tokens and identifiers; other sites should get at most the origin.

    ## Example
    ```toml
    [security.headers]
    "Referrer-Policy" = "unsafe-url"
    ```

    ## Use instead
    `no-referrer` or `strict-origin-when-cross-origin` (OWASP).

    ## Sources
    - mdn/mdn-http-observatory `main` (algorithm 6): `src/analyzer/tests/referrer-policy.js` (the
      last known token counts); `src/grader/charts.js` (unsafe or invalid: -5, private: +5)
    - Referrer Policy, default policy:
      https://w3c.github.io/webappsec-referrer-policy/#default-referrer-policy
    """

    id = "HDR003"
    name = "weak-referrer-policy"
    severity = Severity.WARNING
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        served = _served(snap, "referrer-policy")
        if not _judged(snap):
            return
        if served is None:
            yield Problem(
                "no Referrer-Policy on every path: browsers default to "
                "strict-origin-when-cross-origin, which sends other sites only the origin",
                _artifact(snap),
                ("headers",),
                Severity.INFO,
            )
            return
        known = [p for p in (t.strip().lower() for t in served[0].split(",")) if p in REFERRERS]
        rule = served[1]
        if not known:
            yield Problem(
                f"Referrer-Policy {quoted(served[0])} names no policy a browser knows: it "
                "is ignored",
                rule.artifact,
                rule.header_path("referrer-policy"),
            )
        elif known[-1] in UNSAFE_REFERRERS:
            yield Problem(
                f"Referrer-Policy {quoted(served[0])} sends {LEAKS[known[-1]]}",
                rule.artifact,
                rule.header_path("referrer-policy"),
            )


class HstsOptions(BaseModel):
    """HDR004 options."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    min_max_age: int = 31536000


class MissingOrShortHsts(Rule):
    """## What it does
    Checks the Strict-Transport-Security the config sends on every path, read as the
    grader reads it (`strict-transport-security.js`): an error when the header turns HSTS
    off (`max-age=0`, no `max-age`, a value without digits, or a comma, i.e. sent twice:
    browsers ignore it) or shortens it below six months (15,552,000 s, the grader's -10);
    a warning below `min_max_age` (one year by default, ASVS 5.0 V3.4.1). A missing header
    is info: Vercel sends `max-age=63072000` itself on `*.vercel.app` hosts, which are also
    preloaded, and documents that value as its default; declare `project.domains` so lint
    knows the hosts.

    ## Why is this bad?
    Without HSTS the first request of a visit can be downgraded to http and intercepted.

    ## Example
    ```toml
    [security.headers]
    "Strict-Transport-Security" = "max-age=3600"
    ```

    ## Use instead
    `max-age=63072000; includeSubDomains; preload` (OWASP). Option: `min_max_age`.

    ## Sources
    - mdn/mdn-http-observatory `main` (algorithm 6):
      `src/analyzer/tests/strict-transport-security.js` (SIX_MONTHS = 15552000; a comma or no
      `max-age` is invalid)
    - Vercel's default `strict-transport-security: max-age=63072000`:
      https://vercel.com/docs/headers/response-headers; HSTS on `.vercel.app`:
      https://vercel.com/docs/cdn-security
    - RFC 6797 section 6.1.1 (`max-age=0` ends HSTS); one year, the preload list's minimum:
      https://hstspreload.org/
    - Preloaded TLDs (`app`, `dev`, `page`): Chromium
      `net/http/transport_security_state_static.json`
    """

    id = "HDR004"
    name = "missing-or-short-hsts"
    Options = HstsOptions
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        assert isinstance(options, HstsOptions)
        if not _judged(snap):
            return
        served = _served(snap, "strict-transport-security")
        if served is None:
            if not hsts_preloaded(snap.hosts):
                yield Problem(
                    "no Strict-Transport-Security in the config: Vercel sends "
                    "max-age=63072000 on *.vercel.app; whether your other hosts get it is "
                    "not decided here",
                    _artifact(snap),
                    ("headers",),
                    Severity.INFO,
                )
            return
        value, rule = served
        path = rule.header_path("strict-transport-security")
        max_age = hsts_max_age(value)
        if max_age is None or max_age != max_age or max_age <= 0:
            why = "max-age=0" if max_age == 0 else "browsers ignore this value"
            yield Problem(
                f"Strict-Transport-Security {quoted(value)} turns HSTS off ({why})",
                rule.artifact,
                path,
                Severity.ERROR,
            )
        elif max_age < SIX_MONTHS:
            yield Problem(
                f"HSTS max-age={max_age:.0f} is under six months ({SIX_MONTHS} s), shorter "
                "than Vercel's own max-age=63072000",
                rule.artifact,
                path,
                Severity.ERROR,
            )
        elif max_age < options.min_max_age:
            yield Problem(
                f"HSTS max-age={max_age:.0f} is under {options.min_max_age} s",
                rule.artifact,
                path,
                Severity.WARNING,
            )


class MissingOrUnsafeCsp(Rule):
    """## What it does
    Flags a missing Content-Security-Policy, and judges a present one with the MDN HTTP
    Observatory's own CSP analysis (`src/analyzer/tests/csp.js` and `cspParser.js` of
    mdn/mdn-http-observatory, algorithm 6): a policy the grader rejects (a repeated
    directive, `'strict-dynamic'` without a nonce or hash); scripts not restricted at all;
    `'unsafe-inline'`, `data:`, `*`, `https:` or `http:` in `script-src` (a nonce or hash
    cancels `'unsafe-inline'`, and with `'strict-dynamic'` also `'self'` and schemes);
    `object-src` missing with no `default-src` (it then allows any host); `'unsafe-eval'`.

    ## Why is this bad?
    CSP is the main defence against injected script (Observatory: -25 missing or
    invalid, -20 unsafe inline or broad script sources, -10 `unsafe-eval`).

    ## Example
    ```toml
    [security.headers]
    "Content-Security-Policy" = "default-src 'self' 'unsafe-inline'"
    ```

    ## Use instead
    At least `frame-ancestors 'none'; object-src 'none'; base-uri 'self'`, and scripts by
    nonce (Next.js middleware) rather than `'unsafe-inline'`.

    ## Sources
    - mdn/mdn-http-observatory `main` (algorithm 6): `src/analyzer/tests/csp.js`,
      `src/analyzer/cspParser.js`; `src/grader/charts.js`
    """

    id = "HDR005"
    name = "missing-or-unsafe-csp"
    severity = Severity.WARNING
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        served = _served(snap, "content-security-policy")
        if not _judged(snap):
            return
        if served is None:
            yield Problem("no Content-Security-Policy on every path", _artifact(snap), ("headers",))
            return
        rule = served[1]
        path = rule.header_path("content-security-policy")
        for message in csp_problems(served[0]):
            yield Problem(message, rule.artifact, path)


class NoSecurityHeaders(Rule):
    """## What it does
    Notes, once, a vercel.json and next.config that set no security header on any path
    (a crons-only or rewrites-only vercel.json), instead of one finding per header.

    ## Why is this bad?
    It may not be: middleware, a route handler or the platform can set the headers, and
    lint cannot see those. Check what the deployment serves with
    `meterr-config diff env:NAME url:https://…`, or set them in the config.

    ## Example
    ```json
    {"crons": [{"path": "/api/cron", "schedule": "0 2 * * *"}]}
    ```

    ## Use instead
    The `security` table (rendered into both files), or headers set in middleware.

    ## Sources
    - mdn/mdn-http-observatory `main` (algorithm 6): `src/scanner/index.js` grades the headers the
      response carries, whoever set them
    - Next.js middleware (proxy) can set response headers:
      https://nextjs.org/docs/app/api-reference/file-conventions/middleware
    """

    id = "HDR008"
    name = "no-security-headers"
    severity = Severity.INFO
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        if _knows_all(snap) and not sets_security_headers(snap):
            yield Problem(
                "no security headers are set in the config (Content-Security-Policy, "
                "X-Frame-Options, X-Content-Type-Options…): middleware or route handlers "
                "may set them, which lint cannot see",
                _artifact(snap),
                ("headers",),
            )


class ConflictingHeader(Rule):
    """## What it does
    Flags the same header set to different values in vercel.json and next.config for
    overlapping paths.

    ## Why is this bad?
    Which value a browser gets then depends on where the app runs (Vercel or `next
    start`), so staging and production can behave differently without any diff.

    ## Example
    ```json
    // vercel.json: X-Frame-Options DENY; next.config.ts: X-Frame-Options SAMEORIGIN
    ```

    ## Use instead
    Set each security header once, in the `security` table (rendered into both files).

    ## Sources
    - Vercel headers: https://vercel.com/docs/project-configuration#headers; Next.js headers:
      https://nextjs.org/docs/app/api-reference/config/next-config-js/headers
    """

    id = "HDR006"
    name = "conflicting-header"
    severity = Severity.WARNING

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        vercel = [r for r in header_rules(snap) if r.artifact == "vercel.json"]
        nexts = [r for r in header_rules(snap) if r.artifact != "vercel.json"]
        seen: set[tuple[str, str, str]] = set()  # one finding per vercel.json entry and value
        for left in vercel:
            for right in nexts:
                overlap = left.source == right.source or (
                    is_catch_all(left.source) or is_catch_all(right.source)
                )
                if not overlap or left.has != right.has:
                    continue
                for name in sorted(set(left.headers) & set(right.headers)):
                    key = (str(left.path), name, right.headers[name])
                    if left.headers[name] != right.headers[name] and name != "vary":
                        if key in seen:
                            continue
                        seen.add(key)
                        yield Problem(
                            f"{name} is {quoted(left.headers[name])} in vercel.json but "
                            f"{quoted(right.headers[name])} in {right.artifact}",
                            left.artifact,
                            left.header_path(name),
                        )


class PoweredByHeader(Rule):
    """## What it does
    Flags a Next.js config that does not set `poweredByHeader: false`.

    ## Why is this bad?
    `X-Powered-By: Next.js` tells attackers what to try; OWASP recommends removing it.

    ## Example
    ```toml
    [nextjs]   # powered_by_header not set
    ```

    ## Use instead
    ```toml
    [nextjs]
    powered_by_header = false
    ```

    ## Sources
    - https://nextjs.org/docs/app/api-reference/config/next-config-js/poweredByHeader
    """

    id = "HDR007"
    name = "powered-by-header"
    severity = Severity.WARNING

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        if snap.next_config is not None and snap.next_config.get("poweredByHeader") is not False:
            yield Problem(
                "X-Powered-By is sent: set poweredByHeader to false",
                snap.next_file,
                ("poweredByHeader",),
            )


RULES = (
    MissingNosniff(),
    MissingFrameProtection(),
    WeakReferrerPolicy(),
    MissingOrShortHsts(),
    MissingOrUnsafeCsp(),
    ConflictingHeader(),
    PoweredByHeader(),
    NoSecurityHeaders(),
)

"""Security header rules (HDR), scored the way MDN's HTTP Observatory and OWASP do."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from meterr_config.findings import Severity
from meterr_config.lint.helpers import HeaderRuleView, has_layers, header_rules, served_everywhere
from meterr_config.lint.observatory_csp import csp_problems
from meterr_config.lint.rule import Problem, Rule
from meterr_config.pathpattern import is_catch_all
from meterr_config.redact import quoted
from meterr_config.snapshot import Snapshot

UNSAFE_REFERRERS = {
    "unsafe-url",
    "no-referrer-when-downgrade",
    "origin",
    "origin-when-cross-origin",
}


def _artifact(snap: Snapshot) -> str:
    """Where a header missing everywhere should be added."""
    return "vercel.json" if snap.vercel is not None else snap.next_file


def _served(snap: Snapshot, name: str) -> tuple[str, HeaderRuleView] | None:
    return served_everywhere(snap).get(name)


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
    """

    id = "HDR001"
    name = "missing-nosniff"
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        served = _served(snap, "x-content-type-options")
        if has_layers(snap) and (served is None or served[0].strip().lower() != "nosniff"):
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
    """

    id = "HDR002"
    name = "missing-frame-protection"
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        xfo = _served(snap, "x-frame-options")
        csp = _served(snap, "content-security-policy")
        framing = csp is not None and "frame-ancestors" in csp[0]
        good_xfo = xfo is not None and xfo[0].strip().upper() in ("DENY", "SAMEORIGIN")
        if has_layers(snap) and not (framing or good_xfo):
            yield Problem(
                "no X-Frame-Options or CSP frame-ancestors on every path",
                _artifact(snap),
                ("headers",),
            )


class WeakReferrerPolicy(Rule):
    """## What it does
    Flags a missing Referrer-Policy, or one that leaks full URLs to other sites
    (`unsafe-url`, `no-referrer-when-downgrade`, `origin-when-cross-origin`).

    ## Why is this bad?
    URLs carry tokens and identifiers; other sites should get at most the origin.

    ## Example
    ```toml
    [security.headers]
    "Referrer-Policy" = "unsafe-url"
    ```

    ## Use instead
    `no-referrer` or `strict-origin-when-cross-origin` (OWASP).
    """

    id = "HDR003"
    name = "weak-referrer-policy"
    severity = Severity.WARNING
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        served = _served(snap, "referrer-policy")
        if not has_layers(snap):
            return
        if served is None:
            yield Problem("no Referrer-Policy on every path", _artifact(snap), ("headers",))
            return
        policies = [p.strip().lower() for p in served[0].split(",")]
        if policies[-1] in UNSAFE_REFERRERS:
            rule = served[1]
            yield Problem(
                f"Referrer-Policy {quoted(served[0])} leaks URLs to other sites",
                rule.artifact,
                rule.header_path("referrer-policy"),
            )


class HstsOptions(BaseModel):
    """HDR004 options."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    min_max_age: int = 31536000


class MissingOrShortHsts(Rule):
    """## What it does
    Checks that every path sends Strict-Transport-Security with a `max-age` of at least
    one year (ASVS 5.0; Observatory takes 6 months, -10 below that, -20 when missing).

    ## Why is this bad?
    Without HSTS the first request of a visit can be downgraded to http and intercepted.

    ## Example
    ```toml
    [security.headers]
    "Strict-Transport-Security" = "max-age=3600"
    ```

    ## Use instead
    `max-age=63072000; includeSubDomains; preload` (OWASP). Option: `min_max_age`.
    """

    id = "HDR004"
    name = "missing-or-short-hsts"
    Options = HstsOptions
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        assert isinstance(options, HstsOptions)
        served = _served(snap, "strict-transport-security")
        if not has_layers(snap):
            return
        if served is None:
            yield Problem(
                "no Strict-Transport-Security on every path", _artifact(snap), ("headers",)
            )
            return
        age = re.search(r"max-age\s*=\s*\"?(\d+)", served[0], re.I)
        if age is None or int(age.group(1)) < options.min_max_age:
            rule = served[1]
            yield Problem(
                f"HSTS max-age is under {options.min_max_age} s",
                rule.artifact,
                rule.header_path("strict-transport-security"),
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
    """

    id = "HDR005"
    name = "missing-or-unsafe-csp"
    severity = Severity.WARNING
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        served = _served(snap, "content-security-policy")
        if not has_layers(snap):
            return
        if served is None:
            yield Problem("no Content-Security-Policy on every path", _artifact(snap), ("headers",))
            return
        rule = served[1]
        path = rule.header_path("content-security-policy")
        for message in csp_problems(served[0]):
            yield Problem(message, rule.artifact, path)


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
    """

    id = "HDR006"
    name = "conflicting-header"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        vercel = [r for r in header_rules(snap) if r.artifact == "vercel.json"]
        nexts = [r for r in header_rules(snap) if r.artifact != "vercel.json"]
        for left in vercel:
            for right in nexts:
                overlap = left.source == right.source or (
                    is_catch_all(left.source) or is_catch_all(right.source)
                )
                if not overlap or left.has != right.has:
                    continue
                for name in sorted(set(left.headers) & set(right.headers)):
                    if left.headers[name] != right.headers[name] and name != "vary":
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
)

"""The MDN HTTP Observatory's CSP test, ported from mdn/mdn-http-observatory `main`
(algorithm 6): `src/analyzer/cspParser.js` and `src/analyzer/tests/csp.js`.

Kept close to the original so that a change upstream maps to a change here;
tests/lint/test_observatory.py holds it to results recorded from upstream's own code.
The scanner fetches over https, so http: and ftp: sources always count as insecure.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote

SHORTEST_POLICY = len("img-src") - 1
ALLOWED_DUPLICATES = frozenset({"report-uri", "report-to"})
DANGEROUSLY_BROAD = frozenset(
    {"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"}
)
UNSAFE_INLINE = frozenset({"'unsafe-inline'", "data:"})
BROAD_OR_INLINE = DANGEROUSLY_BROAD | UNSAFE_INLINE
PASSIVE_DIRECTIVES = ("img-src", "media-src")
NONCES_HASHES = ("'sha256-", "'sha384-", "'sha512-", "'nonce-")


class InvalidPolicy(ValueError):
    """The grader's parser refuses the policy (too short, or a directive repeated)."""


@dataclass
class _Source:
    source: str
    index: int
    keep: bool


@dataclass(frozen=True)
class CspResult:
    """The CSP test's result id, whether it passed, the parsed directives, and the script
    and object sources in effect (after fallbacks, nonces and 'strict-dynamic')."""

    result: str
    passed: bool
    directives: dict[str, tuple[str, ...]] = field(default_factory=dict)
    script_src: frozenset[str] = frozenset()
    style_src: frozenset[str] = frozenset()
    object_src: frozenset[str] = frozenset()


def split_policies(values: list[str]) -> list[str]:
    """Header values split into policies: a comma separates policies (CSP3 §2.2)."""
    return [part.strip() for value in values for part in value.split(",")]


def _path_part_match(a: str, b: str) -> bool:
    if not a or (a == "/" and not b):
        return True
    exact = not a.endswith("/")
    parts_a, parts_b = a.split("/"), b.split("/")
    if len(parts_a) > len(parts_b) or (exact and len(parts_a) != len(parts_b)):
        return False
    if not exact:
        parts_a.pop()
    return all(unquote(x) == unquote(y) for x, y in zip(parts_a, parts_b, strict=False))


def _merge(
    csp: dict[str, list[_Source]], directive: str, sources: list[_Source], index: int
) -> None:
    """Keep a source only once per policy and, across policies, only where both allow it."""
    combined = sources if index == 0 else [*csp.get(directive, []), *sources]
    combined.sort(key=lambda s: s.source)
    for prev, source in itertools.pairwise(combined):
        if source.index == prev.index and source.source.startswith(prev.source):
            source.keep = False
        if source.index != prev.index and _path_part_match(prev.source, source.source):
            source.keep = True
    csp[directive] = [s for s in combined if s.keep]


def _directives(policy: str) -> Iterator[tuple[str, list[str]]]:
    for entry in policy.split(";"):
        name, *values = entry.strip().split() or [""]
        if name:
            yield name.lower(), values


def parse_csp(policies: list[str]) -> tuple[dict[str, set[str]], bool]:
    """{directive: sources} of one or more policies, and whether report-uri/report-to
    repeat; raises InvalidPolicy where `parseCsp` throws."""
    clean = [p.replace("\r", "").replace("\n", "").strip() for p in policies]
    if any(not policy or len(policy) < SHORTEST_POLICY for policy in clean):
        raise InvalidPolicy("policy too short")
    csp: dict[str, list[_Source]] = {}
    duplicates = False
    for index, policy in enumerate(clean):
        seen: set[str] = set()
        for directive, values in _directives(policy):
            if directive in seen:
                if directive not in ALLOWED_DUPLICATES:
                    raise InvalidPolicy(directive)
                duplicates = True
            seen.add(directive)
            keep = index == 0
            sources = [_Source(v.strip().lower(), index, keep) for v in values]
            if not values and directive.endswith("-src"):
                sources = [_Source("'none'", index, keep)]
            _merge(csp, directive, sources, index)
            if index == 0 and len(policies) > 1:
                for s in csp[directive]:
                    s.keep = False
    final = {d: ({s.source for s in srcs} or {"'none'"}) for d, srcs in csp.items()}
    return final, duplicates


def _nonce_or_hash(sources: set[str]) -> bool:
    return any(s.startswith(NONCES_HASHES) for s in sources)


def csp_test(values: list[str], report_only: bool = False) -> CspResult:
    """The result of `contentSecurityPolicyTest` for these Content-Security-Policy header
    values (no `<meta>` policy: a config file cannot set one)."""
    policies = split_policies(values)
    try:
        csp, duplicates = parse_csp(policies)
    except InvalidPolicy:
        return CspResult("csp-header-invalid", False)
    if not csp:
        if report_only:
            return CspResult("csp-not-implemented-but-reporting-enabled", False)
        return CspResult("csp-not-implemented", False)
    # The sets are shared with `csp`, as in JS: script-src may be default-src itself.
    object_src = csp.get("object-src") or csp.get("default-src") or {"*"}
    script_src = csp.get("script-src") or csp.get("default-src") or {"*"}
    style_src = csp.get("style-src") or csp.get("default-src") or {"*"}
    valid = _apply_nonces(script_src, style_src)
    result = _judge(csp, object_src, script_src, style_src) if valid else "csp-header-invalid"
    passed = result in (
        "csp-implemented-with-no-unsafe",
        "csp-implemented-with-no-unsafe-default-src-none",
        "csp-implemented-with-unsafe-inline-in-style-src-only",
        "csp-implemented-with-insecure-scheme-in-passive-content-only",
    )
    if passed and duplicates:
        result = "csp-implemented-but-duplicate-directives"
    directives = {d: tuple(sorted(s)) for d, s in csp.items()}
    return CspResult(
        result,
        passed,
        directives,
        frozenset(script_src),
        frozenset(style_src),
        frozenset(object_src),
    )


def _apply_nonces(script_src: set[str], style_src: set[str]) -> bool:
    """A nonce or hash cancels 'unsafe-inline'; with 'strict-dynamic' also 'self' and
    scheme sources. False when 'strict-dynamic' has no nonce or hash (invalid)."""
    for sources in (script_src, style_src):
        if _nonce_or_hash(sources):
            sources.discard("'unsafe-inline'")
    if "'strict-dynamic'" not in script_src:
        return True
    if not _nonce_or_hash(script_src):
        return False
    for source in list(script_src):
        broad = any(source.startswith(b) for b in DANGEROUSLY_BROAD)
        if broad or source in ("'self'", "'unsafe-inline'"):
            script_src.discard(source)
    return True


def _judge(
    csp: dict[str, set[str]], object_src: set[str], script_src: set[str], style_src: set[str]
) -> str:
    """The first failing check in `csp.js`'s order."""
    results: list[str] = []
    active = [
        s
        for d, srcs in csp.items()
        if d not in PASSIVE_DIRECTIVES and d != "script-src"
        for s in srcs
    ]
    active += list(script_src)
    passive = [s for d in PASSIVE_DIRECTIVES for s in (csp.get(d) or csp.get("default-src") or ())]
    if script_src & BROAD_OR_INLINE or object_src & DANGEROUSLY_BROAD:
        results.append("csp-implemented-with-unsafe-inline")
    if any(s.startswith(("http:", "ftp:")) for s in active):
        results.append("csp-implemented-with-insecure-scheme")
    if "'unsafe-eval'" in script_src | style_src:
        results.append("csp-implemented-with-unsafe-eval")
    if any(s.startswith(("http:", "ftp:")) for s in passive):
        results.append("csp-implemented-with-insecure-scheme-in-passive-content-only")
    if style_src & BROAD_OR_INLINE:
        results.append("csp-implemented-with-unsafe-inline-in-style-src-only")
    if csp.get("default-src") == {"'none'"}:
        results.append("csp-implemented-with-no-unsafe-default-src-none")
    results.append("csp-implemented-with-no-unsafe")
    return results[0]


def csp_problems(value: str) -> list[str]:
    """What the Observatory's CSP test holds against a policy, as HDR005's messages: the
    same analysis (a nonce or hash cancels 'unsafe-inline'; object-src falls back to `*`)."""
    result = csp_test([value])
    if result.result == "csp-header-invalid":
        return [
            "the Observatory grader rejects this CSP (a repeated directive, a policy"
            " too short, or 'strict-dynamic' without a nonce or hash)"
        ]
    problems = []
    csp = result.directives
    if "script-src" not in csp and "default-src" not in csp:
        problems.append("the CSP does not restrict scripts (no script-src or default-src)")
    elif result.script_src & BROAD_OR_INLINE:
        shown = ", ".join(sorted(result.script_src & BROAD_OR_INLINE))
        problems.append(f"the CSP lets any inline or broad script run ({shown} in script-src)")
    if "object-src" not in csp and "default-src" not in csp:
        problems.append(
            "the CSP sets neither object-src nor default-src, so plugins load from anywhere"
        )
    elif result.object_src & DANGEROUSLY_BROAD:
        problems.append("the CSP's object-src allows any host")
    if "'unsafe-eval'" in result.script_src | result.style_src:
        problems.append("the CSP allows 'unsafe-eval'")
    return problems

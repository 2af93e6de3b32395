"""`url:URL`: what a running deployment actually serves, against what the config promises.

Guided by the other side of the diff, it requests each path the config gives headers or
a redirect (one sample path per rule), the health endpoint, and a CORS preflight and GET
with an allowed and with a disallowed Origin. Requests are bounded in number (MAX_PROBES),
each is bounded in time like every request (http.exchange: CONNECT_SECONDS,
READ_SECONDS, REQUEST_SECONDS), only headers are read (never a body, so an endless or a
dripping one costs nothing), and redirects are recorded, never followed.

The URL may carry credentials: `user:password@` (sent as Basic auth) and query parameters
such as `x-vercel-protection-bypass` (sent with every request). They are remembered for
the output scrubber, and the URL is shown as scheme://host[:port]/path only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl, urlunsplit

import httpx

from meterr_config import limits
from meterr_config.errors import InputError
from meterr_config.pathpattern import js_to_python, matches
from meterr_config.regexsafety import bounded_match, current_budget, undecided_note
from meterr_config.snapshot import Snapshot
from meterr_config.sources.http import checked_url, exchange, remember_url_secrets, shown
from meterr_config.sources.registry import Context
from meterr_config.verbosity import working

# Requests one url: source sends: a sample path per header rule, the health endpoint, the
# CORS probes and the redirects; a config with more rules is sampled, not probed whole.
HEALTH = "/api/health"
DISALLOWED_ORIGIN = "https://meterr-config-probe.invalid"


def redirect_status(rule: dict[str, Any]) -> Any:
    """The status Vercel serves a redirect with, as routing-utils' convertRedirects
    decides it: a boolean `permanent` first (308, or 307), then `statusCode`, then 308."""
    permanent = rule.get("permanent")
    if isinstance(permanent, bool):
        return 308 if permanent else 307
    return rule.get("statusCode") or 308


@dataclass(frozen=True)
class Probe:
    """One request: method, path and the Origin it sends (if any)."""

    method: str
    path: str
    origin: str | None = None

    @property
    def label(self) -> str:
        origin = f" Origin: {self.origin}" if self.origin else ""
        return f"{self.method} {self.path}{origin}"


def sample_path(source: str) -> str | None:
    """A concrete path a rule source matches, e.g. /api/(.*) -> /api/health."""
    if matches(source, HEALTH):
        return HEALTH if source != "/(.*)" and not source.startswith("/:") else "/"
    path = re.sub(r"\(.*?\)[?*+]?|:[A-Za-z_]\w*(\(.*?\))?[?*+]?", "x", source)
    path = path.replace("{", "").replace("}", "")
    return path if matches(source, path) else None


def _layers(guide: Snapshot, served_by: str) -> list[tuple[str, dict[str, Any]]]:
    layers = [("next", guide.next_routes)]
    if served_by == "vercel":
        layers.insert(0, ("vercel", guide.vercel or {}))
    return layers


def _header_rules(guide: Snapshot, served_by: str) -> list[dict[str, Any]]:
    return [
        r
        for _, doc in _layers(guide, served_by)
        for r in doc.get("headers") or []
        if isinstance(r, dict)
    ]


def _origins(rules: list[dict[str, Any]]) -> list[str]:
    out = []
    for rule in rules:
        for entry in rule.get("headers") or []:
            if str(entry.get("key", "")).lower() == "access-control-allow-origin":
                out.append(str(entry.get("value")))
    return [o for o in out if o not in ("*", "null")]


def probes(guide: Snapshot, served_by: str) -> list[Probe]:
    """The requests that check what the config promises, bounded by MAX_PROBES."""
    rules = _header_rules(guide, served_by)
    paths = {sample_path(str(r.get("source", ""))) for r in rules} - {None}
    out = [Probe("GET", p) for p in sorted(p for p in paths if p)]
    out.append(Probe("GET", HEALTH))
    cors_paths = sorted(
        {
            sample_path(str(r.get("source", ""))) or ""
            for r in rules
            if any(c.get("key") == "origin" for c in r.get("has") or [])
        }
        - {""}
    )
    origins = _origins(rules)
    for path in cors_paths[:2]:
        for origin in ([origins[0]] if origins else []) + [DISALLOWED_ORIGIN]:
            out += [Probe("GET", path, origin), Probe("OPTIONS", path, origin)]
    for _, doc in _layers(guide, served_by):
        for rule in doc.get("redirects") or []:
            source = str(rule.get("source", ""))
            if not re.search(r"[:(*]", source) and not rule.get("has"):
                out.append(Probe("GET", source))
    unique = list(dict.fromkeys(out))
    return unique[: limits.MAX_PROBES]


def _has_ok(rule: dict[str, Any], probe: Probe) -> bool:
    for cond in rule.get("has") or []:
        if cond.get("type") != "header" or str(cond.get("key")).lower() != "origin":
            return False
        pattern = js_to_python(str(cond.get("value", ".*")))
        if probe.origin is None or not bounded_match(pattern, probe.origin, full=True):
            return False  # a risky or slow pattern is not run: the rule is not predicted
    return not rule.get("missing")


def expected(guide: Snapshot, probe: Probe, served_by: str) -> dict[str, Any]:
    """What the config promises for one request: headers (last rule wins) or a redirect."""
    for _, doc in _layers(guide, served_by):
        for rule in doc.get("redirects") or []:
            if probe.method == "GET" and not probe.origin and rule.get("source") == probe.path:
                return {"status": redirect_status(rule), "location": rule.get("destination")}
    out: dict[str, Any] = {}
    for rule in _header_rules(guide, served_by):
        if matches(str(rule.get("source", "")), probe.path) and _has_ok(rule, probe):
            for entry in rule.get("headers") or []:
                out[str(entry.get("key")).lower()] = entry.get("value")
    if probe.origin == DISALLOWED_ORIGIN:
        out.setdefault("access-control-allow-origin", None)
    return out


def _observed(response: _Served, promised: dict[str, Any]) -> dict[str, Any]:
    """The served values of the promised headers only (servers add many of their own)."""
    out: dict[str, Any] = {}
    for name, value in promised.items():
        if name == "status":
            out[name] = response.status_code
            continue
        got = response.headers.get(name)
        if name == "vary" and got is not None and isinstance(value, str):
            tokens = {t.strip().lower() for t in got.split(",")}
            wanted = {t.strip().lower() for t in value.split(",")}
            got = value if wanted <= tokens else got  # Next.js adds its own Vary tokens
        out[name] = got
    return out


@dataclass(frozen=True)
class Site:
    """A url: source's URL split for requests: the base (with its `user:password@`, which
    httpx sends as Basic auth), the query sent with every request, and what is shown."""

    base: str
    query: tuple[tuple[str, str], ...]
    shown: str

    @classmethod
    def parse(cls, url: str) -> Site:
        if not re.match(r"^https?://", url):
            raise InputError("url: give an http:// or https:// URL")
        remember_url_secrets(url)
        parts = checked_url(url, "url:")
        base = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
        query = tuple(parse_qsl(parts.query, keep_blank_values=True))
        return cls(base, query, shown(url).rstrip("/"))


@dataclass(frozen=True)
class _Served:
    """What one probe got back: the status and the headers."""

    status_code: int
    headers: httpx.Headers


def _ask(http: httpx.Client, site: Site, probe: Probe) -> _Served:
    """Send one probe: (its status, its headers), its body unread."""
    headers = {"Origin": probe.origin} if probe.origin else {}
    if probe.method == "OPTIONS":
        headers["Access-Control-Request-Method"] = "GET"
    limits.count_request("url")
    try:
        answer = exchange(
            http,
            probe.method,
            probe.path,
            source="url",
            params=httpx.QueryParams(site.query),
            headers=headers,
            read_body=False,
        )
    except httpx.ConnectTimeout:
        raise InputError(
            f"cannot reach {site.shown} (no connection within {limits.CONNECT_SECONDS:g} s, "
            "CONNECT_SECONDS)"
        ) from None
    except httpx.TimeoutException:
        raise InputError(
            f"url: {probe.method} {probe.path}: no answer within {limits.READ_SECONDS:g} s "
            "(READ_SECONDS)"
        ) from None
    except httpx.HTTPError as exc:
        raise InputError(f"cannot reach {site.shown} ({type(exc).__name__})") from None
    return _Served(answer.status, answer.headers)


def _undecided(count: int) -> tuple[str, ...]:
    return (undecided_note(count),) if count else ()


def url_snapshots(
    url: str, guide: Snapshot, served_by: str = "vercel"
) -> tuple[Snapshot, Snapshot]:
    """(the guide with what it promises, the deployment with what it serves)."""
    site = Site.parse(url)
    promised: dict[str, dict[str, Any]] = {}
    served: dict[str, dict[str, Any]] = {}
    client = httpx.Client(base_url=site.base, follow_redirects=False)
    before = current_budget().undecided
    with client as http, working(f"probing {site.shown}…"):
        for probe in probes(guide, served_by):
            response = _ask(http, site, probe)
            want = expected(guide, probe, served_by)
            if probe.path == HEALTH and not probe.origin:
                want.setdefault("status", 200)
            promised[probe.label] = want
            served[probe.label] = _observed(response, want)
    knows = frozenset({"served"})
    return (
        replace(guide, served=promised),
        Snapshot(
            name=f"url:{site.shown}",
            source="url",
            served=served,
            knows=knows,
            # A has pattern that ran out of time was taken as "no match": say so.
            notes=_undecided(current_budget().undecided - before),
        ),
    )


def read_guided(arg: str, guide: Snapshot, context: Context) -> tuple[Snapshot, Snapshot]:
    """`url:URL`, probed for what `guide` promises, as served by --served-by."""
    return url_snapshots(arg, guide, context.served_by)

"""`url:URL`: what a running deployment actually serves, against what the config promises.

Guided by the other side of the diff, it requests each path the config gives headers or
a redirect (one sample path per rule), the health endpoint, and a CORS preflight and GET
with an allowed and with a disallowed Origin. Requests are bounded in number, each has a
timeout, and redirects are recorded, never followed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import httpx

from meterr_config.errors import InputError
from meterr_config.pathpattern import js_to_python, matches
from meterr_config.regexsafety import bounded_match
from meterr_config.snapshot import Snapshot
from meterr_config.sources.registry import Context
from meterr_config.verbosity import working

MAX_REQUESTS = 40
TIMEOUT = 10.0
HEALTH = "/api/health"
DISALLOWED_ORIGIN = "https://meterr-config-probe.invalid"
_STATUS = {True: 308, False: 307}


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
    """The requests that check what the config promises, bounded by MAX_REQUESTS."""
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
    return unique[:MAX_REQUESTS]


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
                status = rule.get("statusCode") or _STATUS[bool(rule.get("permanent"))]
                return {"status": status, "location": rule.get("destination")}
    out: dict[str, Any] = {}
    for rule in _header_rules(guide, served_by):
        if matches(str(rule.get("source", "")), probe.path) and _has_ok(rule, probe):
            for entry in rule.get("headers") or []:
                out[str(entry.get("key")).lower()] = entry.get("value")
    if probe.origin == DISALLOWED_ORIGIN:
        out.setdefault("access-control-allow-origin", None)
    return out


def _observed(response: httpx.Response, promised: dict[str, Any]) -> dict[str, Any]:
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


def url_snapshots(
    url: str, guide: Snapshot, served_by: str = "vercel"
) -> tuple[Snapshot, Snapshot]:
    """(the guide with what it promises, the deployment with what it serves)."""
    if not re.match(r"^https?://", url):
        raise InputError(f"url:{url}: give an http:// or https:// URL")
    promised: dict[str, dict[str, Any]] = {}
    served: dict[str, dict[str, Any]] = {}
    client = httpx.Client(base_url=url.rstrip("/"), timeout=TIMEOUT, follow_redirects=False)
    with client as http, working(f"probing {url}…"):
        for probe in probes(guide, served_by):
            headers = {"Origin": probe.origin} if probe.origin else {}
            if probe.method == "OPTIONS":
                headers["Access-Control-Request-Method"] = "GET"
            try:
                response = http.request(probe.method, probe.path, headers=headers)
            except httpx.HTTPError as exc:
                raise InputError(f"cannot reach {url} ({type(exc).__name__})") from None
            want = expected(guide, probe, served_by)
            if probe.path == HEALTH and not probe.origin:
                want.setdefault("status", 200)
            promised[probe.label] = want
            served[probe.label] = _observed(response, want)
    knows = frozenset({"served"})
    return (
        replace(guide, served=promised),
        Snapshot(name=f"url:{url}", source="url", served=served, knows=knows),
    )


def read_guided(arg: str, guide: Snapshot, context: Context) -> tuple[Snapshot, Snapshot]:
    """`url:URL`, probed for what `guide` promises, as served by --served-by."""
    return url_snapshots(arg, guide, context.served_by)

"""Views of a snapshot that several rules share: header rules, served headers, origins."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from meterr_config.keypath import KeyPath
from meterr_config.pathpattern import is_catch_all, matches
from meterr_config.snapshot import Snapshot


@dataclass(frozen=True)
class HeaderRuleView:
    """One header rule in one artifact, with its headers by lower-case name."""

    artifact: str
    path: KeyPath
    source: str
    has: tuple[dict[str, Any], ...]
    headers: dict[str, str]
    positions: dict[str, int]

    def header_path(self, name: str) -> KeyPath:
        """Path of one header entry in the artifact."""
        return (*self.path, "headers", self.positions.get(name.lower(), 0))


def header_rules(snap: Snapshot) -> tuple[HeaderRuleView, ...]:
    """Every header rule of vercel.json and next.config, in order (built once per snapshot:
    most header and CORS rules ask for them)."""
    views = snap.derived.get("header_rules")
    if views is None:
        views = snap.derived["header_rules"] = tuple(_header_rules(snap))
    return views


def _header_rules(snap: Snapshot) -> Iterator[HeaderRuleView]:
    layers = [("vercel.json", (snap.vercel or {}).get("headers") or [])]
    layers.append((snap.next_file, snap.next_routes.get("headers") or []))
    for artifact, rules in layers:
        for index, rule in enumerate(rules if isinstance(rules, list) else []):
            if not isinstance(rule, dict):
                continue
            entries = [h for h in rule.get("headers") or [] if isinstance(h, dict)]
            headers = {str(h.get("key", "")).lower(): str(h.get("value", "")) for h in entries}
            positions = {str(h.get("key", "")).lower(): i for i, h in enumerate(entries)}
            has = tuple(c for c in rule.get("has") or [] if isinstance(c, dict))
            yield HeaderRuleView(
                artifact, ("headers", index), str(rule.get("source", "")), has, headers, positions
            )


def served_everywhere(
    snap: Snapshot, artifact: str | None = None
) -> dict[str, tuple[str, HeaderRuleView]]:
    """Headers every path gets, without conditions: {lower name: (value, rule)}; last wins."""
    out: dict[str, tuple[str, HeaderRuleView]] = {}
    for rule in header_rules(snap):
        if (
            (artifact is None or rule.artifact == artifact)
            and not rule.has
            and is_catch_all(rule.source)
        ):
            for name, value in rule.headers.items():
                out[name] = (value, rule)
    return out


def served_at(snap: Snapshot, path: str) -> dict[str, tuple[str, HeaderRuleView]]:
    """Headers a request for `path` gets without conditions: {lower name: (value, rule)};
    every matching rule applies and the last one wins (vercel.json before next.config)."""
    out: dict[str, tuple[str, HeaderRuleView]] = {}
    for rule in header_rules(snap):
        if not rule.has and matches(rule.source, path):
            for name, value in rule.headers.items():
                out[name] = (value, rule)
    return out


def has_layers(snap: Snapshot) -> bool:
    """Whether the snapshot knows the headers it serves (the Vercel API does not say)."""
    knows = snap.knows
    header_aware = "*" in knows or bool(
        knows & {"vercel.json", "vercel.json/headers", "next.config"}
    )
    configured = snap.vercel is not None or snap.next_config is not None or bool(snap.next_routes)
    return header_aware and configured


def allowed_origins(snap: Snapshot) -> Iterator[tuple[HeaderRuleView, str]]:
    """Every Access-Control-Allow-Origin value, with its rule."""
    for rule in header_rules(snap):
        if "access-control-allow-origin" in rule.headers:
            yield rule, rule.headers["access-control-allow-origin"]

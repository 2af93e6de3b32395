"""Turn a Snapshot into a flat {path: value} map, with lists keyed by their identity.

Header rules are keyed by `source` (plus their conditions), redirects and rewrites by
`source`, crons by `path`, functions by glob, variables by name. A moved rule is then not
a change, and comparing two maps is linear in their size.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from meterr_config.keypath import KeyPath
from meterr_config.models.envvars import BUILTIN_TARGETS
from meterr_config.redact import redact
from meterr_config.render.ts_literal import Expr
from meterr_config.secretshapes import SECRET_NAME, is_placeholder, looks_random, secret_shaped
from meterr_config.snapshot import Snapshot

Flat = dict[tuple[str, ...], Any]
ROUTE_KINDS = ("headers", "redirects", "rewrites")
ENV_FIELDS = ("value", "secret", "public", "type", "targets", "format", "min_length")


def _condition_value(cond: dict[str, Any]) -> str | None:
    """A condition's value as a rule's key shows it: a credential (an Authorization
    header's value, a key-shaped token) is redacted, as every diff value is."""
    value = cond.get("value")
    if value is None:
        return None
    text = str(value)
    named = SECRET_NAME.search(str(cond.get("key", ""))) and not is_placeholder(text)
    return redact(text) if named or secret_shaped(text) or looks_random(text, 32) else text


def _conditions(rule: dict[str, Any]) -> str:
    parts = []
    for field in ("has", "missing"):
        for cond in rule.get(field) or []:
            if isinstance(cond, dict):
                text = ":".join(str(cond.get(k)) for k in ("type", "key") if cond.get(k))
                shown = _condition_value(cond)
                value = f"={shown}" if shown is not None else ""
                parts.append(f"{field} {text}{value}")
    return f" [{'; '.join(parts)}]" if parts else ""


def rule_key(rule: dict[str, Any]) -> str:
    """A route rule's identity: its source and its conditions."""
    return f"{rule.get('source', '')}{_conditions(rule)}"


def _keyed(rules: Any) -> Iterator[tuple[str, int, dict[str, Any]]]:
    seen: dict[str, int] = {}
    for index, rule in enumerate(rules if isinstance(rules, list) else []):
        if isinstance(rule, dict):
            key = rule_key(rule)
            seen[key] = seen.get(key, 0) + 1
            yield (key if seen[key] == 1 else f"{key} #{seen[key]}"), index, rule


def _leaf(value: Any) -> Any:
    """Lists compare as a whole; other values as they are."""
    return json.dumps(value, sort_keys=True) if isinstance(value, dict) else value


class Flattener:
    """Collects leaves and, for model snapshots, the model key each leaf comes from."""

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self.flat: Flat = {}
        self.origins: dict[tuple[str, ...], KeyPath] = {}
        self.unknown: set[tuple[str, ...]] = set()  # e.g. a variable whose value is not known
        self.optional: set[tuple[str, ...]] = set()  # variables declared `required = false`

    def put(self, path: tuple[str, ...], value: Any, artifact: str, at: KeyPath) -> None:
        if isinstance(value, Expr):  # process.env.X: known only at build time
            return
        self.flat[path] = value
        if (origin := self.snap.origin(artifact, at)) is not None:
            self.origins[path] = origin

    def tree(self, prefix: tuple[str, ...], value: Any, artifact: str, at: KeyPath) -> None:
        if isinstance(value, dict):  # an empty table says nothing: same as absent
            for key in value:
                self.tree((*prefix, str(key)), value[key], artifact, (*at, key))
        else:
            self.put(prefix, _leaf(value), artifact, at)

    def routes(self, artifact: str, kind: str, rules: Any) -> None:
        for key, index, rule in _keyed(rules):
            base = (artifact, kind, key)
            if kind == "headers":
                for position, entry in enumerate(rule.get("headers") or []):
                    if isinstance(entry, dict):
                        self.put(
                            (*base, str(entry.get("key"))),
                            entry.get("value"),
                            artifact,
                            (kind, index, "headers", position),
                        )
                continue
            for field, value in rule.items():
                if field not in ("source", "has", "missing"):
                    self.put((*base, field), _leaf(value), artifact, (kind, index, field))

    def document(self, artifact: str, doc: dict[str, Any] | None, routes: dict[str, Any]) -> None:
        for key, value in (doc or {}).items():
            if key in ROUTE_KINDS:
                self.routes(artifact, key, value)
            elif key == "crons" and isinstance(value, list):
                for index, cron in enumerate(value):
                    if isinstance(cron, dict):
                        self.put(
                            (artifact, "crons", str(cron.get("path")), "schedule"),
                            cron.get("schedule"),
                            artifact,
                            ("crons", index, "schedule"),
                        )
            elif key != "$schema":
                self.tree((artifact, key), value, artifact, (key,))
        for kind, rules in routes.items():
            self.routes(artifact, kind, rules)

    def _targets(self, targets: tuple[str, ...]) -> list[str]:
        """Vercel's built-in targets only, and nothing when that is just the snapshot's own.

        A variable shared with a custom environment is still the same variable; a secret
        that also reaches preview is a real difference.
        """
        if self.snap.target not in BUILTIN_TARGETS:  # a custom environment: ids, not targets
            return []
        builtin = sorted(t for t in targets if t in BUILTIN_TARGETS)
        return [] if builtin in ([], [self.snap.target]) else builtin

    def environment(self) -> None:
        for name, entry in self.snap.env.items():
            if entry.declared and not entry.required:
                self.optional.add(("env", name))
            for field in ENV_FIELDS:
                value = getattr(entry, field)
                if field == "targets":
                    value = self._targets(value)
                if field == "value" and value is None and entry.sealed is not None:
                    self.put(("env", name, field), entry.sealed, "env", (name,))
                elif value not in (None, []):
                    self.put(("env", name, field), value, "env", (name,))
                elif field == "value":  # an unknown value cannot differ from anything
                    self.unknown.add(("env", name, field))
        self.flags()

    def flags(self) -> None:
        """Branch variables, environment flags and runtime flags."""
        for name, entry in self.snap.branch_env.items():
            for field in ENV_FIELDS:
                value = getattr(entry, field)
                if value not in (None, []):
                    self.put(("branch_env", name, field), _leaf(value), "env", (name,))
        for name, on in self.snap.flags.items():
            self.put(("flags", name), on, "flags", (name,))
        for name, flag in self.snap.runtime_flags.items():
            for field in ("enabled", "user_overrides", "description"):
                value = getattr(flag, field)
                if value is not None:  # a sealed description: shown redacted
                    self.put(("runtime_flags", name, field), value, "runtime_flags", (name, field))


def flatten(snap: Snapshot) -> Flattener:
    """The snapshot as `.flat` {path: value}, `.origins` {path: model key} where the models
    are known, and `.unknown`, the paths whose value the source cannot tell."""
    flattener = Flattener(snap)
    for field, model_key in (
        ("target", ("target",)),
        ("plan", ("project", "plan")),
        ("next_version", ("project", "next_version")),
        ("node_version", ("project", "node_version")),
        ("function_default_timeout", ("project", "function_default_timeout")),
    ):
        if getattr(snap, field) is not None:
            flattener.put(("project", field), getattr(snap, field), "model", model_key)
        else:  # not set, or not known to this source: nothing to compare
            flattener.unknown.add(("project", field))
    flattener.document("vercel.json", snap.vercel, {})
    flattener.document("next.config", snap.next_config, snap.next_routes)
    flattener.environment()
    for label, values in snap.served.items():
        for name, value in values.items():
            if value is not None:  # absent: the header is not sent (or must not be)
                flattener.put(("served", label, name), value, "served", (label, name))
    return flattener


def sections(path: tuple[str, ...]) -> tuple[str, ...]:
    """The sections a path belongs to, coarse to fine (see Snapshot.knows)."""
    if path[0] == "env":
        field = path[-1]
        return ("env",) if field == "value" else ("env-meta", f"env-meta/{field}")
    if path[0] == "runtime_flags":  # by field: a table may lack the description column
        return ("runtime_flags", f"runtime_flags/{path[-1]}")
    if len(path) > 1:
        return (path[0], f"{path[0]}/{path[1]}")
    return (path[0],)


def known_by(path: tuple[str, ...], knows: frozenset[str]) -> bool:
    """Whether a source with these sections can know the value at `path`."""
    return "*" in knows or any(section in knows for section in sections(path))


RECORDS = ("headers", "redirects", "rewrites", "crons", "functions")


def record(path: tuple[str, ...]) -> tuple[str, ...] | None:
    """The keyed item a path belongs to (a rule, a cron, a variable), or None."""
    if path[0] in ("vercel.json", "next.config") and len(path) > 3 and path[1] in RECORDS:
        return path[:3]
    if path[0] in ("env", "branch_env", "runtime_flags") and len(path) > 2:
        return path[:2]
    return None

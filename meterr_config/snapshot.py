"""Snapshots: the normalised, source-independent state that lint (and diff) consume.

Every source (the models, files on disk, later the Vercel API) produces one, so a rule
written once works on rendered, committed and live configuration alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from meterr_config.envfile import Misread
from meterr_config.errors import Location
from meterr_config.keypath import KeyPath
from meterr_config.redact import Sealed, remember
from meterr_config.secretshapes import looks_random, secret_shaped

# (artifact, path in it) -> where a person should look.
Locator = Callable[[str, KeyPath], Location | None]


@dataclass(frozen=True)
class EnvEntry:
    """One environment variable as a snapshot knows it. `value` is None when unknown."""

    name: str
    secret: bool
    public: bool
    value: str | None = None
    declared: bool = True
    format: str | None = None
    min_length: int | None = None
    targets: tuple[str, ...] = ()
    type: str | None = None
    flag: str | None = None
    required: bool = True
    supplied: bool = False  # named by a values source, even as [SENSITIVE]
    # A value known only by its digest (vercel: --decrypt), compared in place of `value`.
    sealed: Sealed | None = None


@dataclass(frozen=True)
class RuntimeFlagEntry:
    """One runtime flag (a row of `feature_flags`). The description is held sealed: a
    report shows only whether it differs."""

    enabled: bool
    user_overrides: bool = False
    description: Sealed | None = None


@dataclass(frozen=True)
class OverrideCounts:
    """What `user_feature_flags` holds, counted: the data is the app's users', never
    read row by row. `unknown` are rows for flags the table does not have; `ignored`
    rows for flags whose user_overrides is off (the service never reads them)."""

    rows: int
    users: int
    unknown: dict[str, int] = field(default_factory=dict)  # flag name -> rows
    ignored: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceText:
    """A file a snapshot was read or rendered from, for rules that scan text (SEC007)."""

    path: str
    text: str


# (artifact, path in it) -> the model key it was rendered from, for the parity policy.
Origin = Callable[[str, KeyPath], KeyPath | None]


def _no_location(artifact: str, path: KeyPath) -> Location | None:
    return None


def _no_origin(artifact: str, path: KeyPath) -> KeyPath | None:
    return None


@dataclass(frozen=True)
class Snapshot:
    """One environment's state. Fields are None when the source does not know them."""

    name: str
    source: str
    target: str | None = None
    plan: str | None = None
    next_version: str | None = None
    node_version: str | None = None
    function_default_timeout: int | None = None
    vercel: dict[str, Any] | None = None
    next_config: dict[str, Any] | None = None
    next_routes: dict[str, list[Any]] = field(default_factory=dict)
    env: dict[str, EnvEntry] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    # A model's variables for one preview branch's deployments only (git_branch): what
    # two environments' models compare, never a target's variables.
    branch_env: dict[str, EnvEntry] = field(default_factory=dict)
    runtime_flags: dict[str, RuntimeFlagEntry] = field(default_factory=dict)
    # db: only, what user_feature_flags holds (None where the source cannot know).
    overrides: OverrideCounts | None = None
    texts: tuple[SourceText, ...] = ()
    values_supplied: bool = False
    ignore: frozenset[str] = frozenset()
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    locator: Locator = _no_location
    notes: tuple[str, ...] = ()
    next_file: str = "next.config.ts"
    origin: Origin = _no_origin
    # What the source can know, by section ("env", "env-meta/type", "vercel.json/crons"…;
    # "*" for everything): diff compares only what both sides know.
    knows: frozenset[str] = frozenset({"*"})
    # Hosts the environment is served on, where its model says (project.domains).
    hosts: tuple[str, ...] = ()
    # Artifacts (or parts, "vercel.json/headers") that exist but could not be read: a
    # next.config Next.js failed to load, a vercel.json key of the wrong shape. What they
    # would add is unknown, so no rule may take their silence for absence.
    unreadable: frozenset[str] = frozenset()
    # Why next.config is unreadable: ("refused", Next's message) when Next.js rejects it,
    # so the build fails; ("not evaluated", why) when it could not run here (a package
    # that is not installed, no Node.js, the config's own code throwing).
    next_failure: tuple[str, str] | None = None
    # What the Vercel CLI's schema and the server refuse in a hand-written vercel.json, as
    # (check id, severity, key path, message). A top-level key with a misshapen value is
    # left out of `vercel`, so the other rules read only well-shaped parts.
    vercel_rejected: tuple[tuple[str, str, KeyPath, str], ...] = ()
    # What Next.js warned of the config's values as it loaded it ("Expected object,
    # received boolean" at a key path): (key path, Next's words).
    next_warnings: tuple[tuple[KeyPath, str], ...] = ()
    expected_differences: tuple[str, ...] = ()
    # A live source's variables that exist but not on this target: name -> the targets
    # they are on, so a diff can say "on preview, not production" rather than "missing".
    elsewhere: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # What Next.js reads otherwise than it is written in the .env files read (ENV008).
    dotenv_misread: tuple[Misread, ...] = ()
    # For url: comparisons: request label -> header (or status, location) -> value.
    served: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Locates what the cross-environment rules report (variables, flags) without holding
    # on to the models; `slim` keeps only this one.
    cross_locator: Locator | None = None
    # Views derived from the fields and shared by several rules, built on first use.
    # Not an init field, so `replace` gives each copy an empty one.
    derived: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    @property
    def development(self) -> bool:
        """Development gets relaxed severities and is exempt from some rules."""
        return self.target == "development"

    def locate(self, artifact: str, path: KeyPath) -> Location | None:
        """Where a finding about `path` in `artifact` should point."""
        return self.locator(artifact, path)

    def slim(self) -> Snapshot:
        """Only what the cross-environment rules read: variables, flags and settings."""
        return replace(
            self,
            vercel=None,
            next_config=None,
            next_routes={},
            texts=(),
            served={},
            dotenv_misread=(),
            locator=self.cross_locator or self.locator,
            origin=_no_origin,
        )

    def with_values(self, values: dict[str, str | None]) -> Snapshot:
        """The same snapshot with secret values filled in from a values source."""
        env = dict(self.env)
        for name, value in values.items():
            if name in env:
                known = value if value is not None else env[name].value
                env[name] = replace(env[name], value=known, supplied=True)
        return remembered(replace(self, env=env, values_supplied=True))


def remembered(snap: Snapshot) -> Snapshot:
    """`snap`, after the value of each of its secret variables is remembered for the
    output boundary (`redact.scrub`): whatever a message or a report quotes later, that
    value is never printed. A guess by name alone (DATABASE_URL=postgresql://localhost
    in a .env file) is not remembered: `diff --show-secrets` may show it, on request."""
    for entry in snap.env.values():
        value = entry.value
        if not value:
            continue
        if (entry.secret and (entry.declared or looks_random(value, 32))) or secret_shaped(value):
            remember(value)
    return snap

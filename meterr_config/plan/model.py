"""What a plan is made of: the variables the models want, and the operations on Vercel.

A value lives only in memory (`Want.value`, `Operation.value`): never in `repr`, never
compared, never saved. A saved plan holds its HMAC fingerprint instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Action = Literal["create", "update", "delete"]
# The order apply writes in: narrowing and in-place updates, then what a replacement
# deletes, then creations, then what --prune deletes.
PHASES = ("update", "replaced", "create", "delete")
# A branch's own record sits on the preview target with a gitBranch: the plan names that
# place `preview:BRANCH`, as `EnvItem.places` does (no Git branch name holds a colon).
BRANCH_PLACE = "preview:"


def place(target: str, branch: str | None) -> str:
    """Where a variable goes: its target, or `preview:BRANCH`."""
    return f"{BRANCH_PLACE}{branch}" if branch else target


def branch_of(target: str) -> str | None:
    """The Git branch a place is for, or None for a whole target."""
    return target[len(BRANCH_PLACE) :] if target.startswith(BRANCH_PLACE) else None


def target_of(target: str) -> str:
    """The Vercel target a place is on: `preview:BRANCH` is on preview."""
    return "preview" if branch_of(target) is not None else target


@dataclass(frozen=True)
class Want:
    """One variable as the models want it on one Vercel target."""

    key: str
    target: str
    type: str  # plain | encrypted | sensitive
    secret: bool
    comment: str
    environment: str  # the environment file that wants it
    value: str = field(default="", repr=False, compare=False)

    def same_as(self, other: Want) -> bool:
        """Equal in everything a record holds (the value included)."""
        return (self.type, self.comment, self.value) == (other.type, other.comment, other.value)


@dataclass(frozen=True)
class Operation:
    """One request's worth of change to one record.

    `targets` are the record's places after the operation (for a delete, before it):
    Vercel targets, or `preview:BRANCH` for a branch's own record; `before` what they
    were. `changes` names what an update changes, of "value", "type", "targets",
    "branch" and "comment". `replaces` is set on the parts of a replacement
    (a record narrowed or deleted, and the record created in its place): between the
    two requests the moved targets have no value, so it needs --allow-replace.
    """

    action: Action
    key: str
    targets: tuple[str, ...]
    type: str
    secret: bool
    record: str | None = None  # the live record's id (update, delete)
    before: tuple[str, ...] = ()
    before_type: str | None = None
    changes: tuple[str, ...] = ()
    comment: str = ""
    fingerprint: str = ""  # HMAC of the value written (create, or an update of it)
    replaces: str | None = None  # the id of the record a replacement moves targets off
    why: str = ""  # what the plan knows about it: "changed outside meterr-config, by …"
    updated_at: int | None = None  # the record's updatedAt when planned
    value: str | None = field(default=None, repr=False, compare=False)
    # The value's change as a report shows it ("false → true", redacted for a secret);
    # never saved in a plan file.
    shown: str = field(default="", repr=False, compare=False)

    @property
    def phase(self) -> str:
        """When apply sends it (see PHASES)."""
        if self.action == "delete":
            return "replaced" if self.replaces else "delete"
        return self.action

    @property
    def writes_value(self) -> bool:
        return self.action == "create" or "value" in self.changes or "type" in self.changes


@dataclass(frozen=True)
class Kept:
    """A variable on a managed target that the plan leaves as it is, and why."""

    key: str
    target: str
    why: str


@dataclass(frozen=True)
class Plan:
    """The operations for one project, and what it was planned against."""

    project: str
    project_id: str
    environments: tuple[str, ...]
    operations: tuple[Operation, ...]
    kept: tuple[Kept, ...]
    unchanged: int  # (key, target) pairs already as the models want them
    live_digest: str
    live_records: tuple[dict[str, object], ...]
    prune: bool = False

    @property
    def empty(self) -> bool:
        return not self.operations

    @property
    def replacements(self) -> tuple[Operation, ...]:
        return tuple(op for op in self.operations if op.replaces)


@dataclass(frozen=True)
class Result:
    """What became of one operation."""

    op: Operation
    ok: bool
    detail: str  # "applied", or why not


@dataclass
class Outcome:
    """Every operation's result, in the order they were sent."""

    results: list[Result] = field(default_factory=list)

    @property
    def applied(self) -> int:
        return sum(r.ok for r in self.results)

    @property
    def failed(self) -> int:
        return sum(not r.ok for r in self.results)

    def exit_code(self) -> int:
        """0 all applied, 3 some applied and some not, 2 none applied."""
        if not self.failed:
            return 0
        return 3 if self.applied else 2

"""Wants and live records → the operations that make Vercel match the models.

A Vercel record holds one key for one or more targets. Per key, each live record is
matched against what the managed targets want:

- everything it holds is wanted alike and already so: nothing to do;
- the managed part wants one thing and the record serves nothing else: update it in
  place (PATCH), unless the change is not one the API makes in place (a sensitive value
  made readable), which is a replacement;
- it also serves targets the plan does not manage (or keeps, without --prune), or its
  managed targets now want different things: the targets that change move to a new
  record (narrow this one, create the other). Between the two requests the moved targets
  have no value: a replacement, applied only with --allow-replace;
- a managed target it holds is wanted by no model: kept, or with --prune taken off the
  record (the record deleted when nothing is left).

Targets no record holds get new records, one per group of targets that want the same.

A branch's own record (preview with a gitBranch) is a place of its own, `preview:BRANCH`,
that never shares a record with another; a branch's record meterr-config wrote stays
managed when no model names the branch any more. With --prune, a record on preview or on a
branch that no model wants there moves (PATCH gitBranch) to a branch place the models
want and no record holds, rather than being deleted while another is created.

System and integration-owned records are never touched: a model that wants a variable
an integration owns is refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from meterr_config import redact
from meterr_config.errors import InputError
from meterr_config.plan import fingerprint
from meterr_config.plan.ledger import Ledger
from meterr_config.plan.live import LiveState
from meterr_config.plan.model import Kept, Operation, Plan, Want, branch_of, target_of
from meterr_config.plan.wants import Wanted
from meterr_config.sources.vercel import SECRET_TYPES, EnvItem
from meterr_config.sources.vercel_shape import utc_minute


def in_place(old: str, new: str) -> bool:
    """Whether PATCH can change a record's type from `old` to `new`: plain and encrypted
    into each other, yes; into or out of sensitive, no. A sensitive value cannot be made
    readable, and Vercel's docs say "to mark an existing environment variable as
    sensitive, remove and re-add it" (vercel.com/docs/environment-variables/
    sensitive-environment-variables; an edit keeps the old type, trigger.dev#3666;
    Terraform's `sensitive` attribute RequiresReplace)."""
    return old == new or (old not in SECRET_TYPES and new not in SECRET_TYPES)


def compute(wanted: Wanted, live: LiveState, ledger: Ledger, key: bytes, prune: bool) -> Plan:
    """The plan for one project; `key` is the plan's HMAC key for fingerprints."""
    by_key: dict[str, dict[str, Want]] = {}
    for want in wanted.wants:
        by_key.setdefault(want.key, {})[want.target] = want
    records: dict[str, list[EnvItem]] = {}
    for record in live.records:
        records.setdefault(record.key, []).append(record)
    ops: list[Operation] = []
    kept: list[Kept] = []
    unchanged = 0
    for name in sorted(set(by_key) | set(records)):
        planner = _KeyPlan(name, by_key.get(name, {}), wanted, live, ledger, key, prune)
        planner.run(sorted(records.get(name, []), key=lambda r: str(r.ident)))
        ops += planner.ops
        kept += planner.kept
        unchanged += planner.unchanged
    return Plan(
        project=wanted.project,
        project_id=live.project_id,
        environments=wanted.environments,
        operations=tuple(ops),
        kept=tuple(kept),
        unchanged=unchanged,
        live_digest=live.digest(),
        live_records=tuple(live.shape()),
        prune=prune,
    )


def when(millis: int | None) -> str:
    """`at 2026-12-04 09:30 UTC`, from the API's milliseconds since the epoch."""
    return "at an unknown time" if millis is None else f"at {utc_minute(millis)}"


class _KeyPlan:
    """The operations for one key."""

    def __init__(
        self,
        key: str,
        wants: dict[str, Want],
        wanted: Wanted,
        live: LiveState,
        ledger: Ledger,
        hmac_key: bytes,
        prune: bool,
    ) -> None:
        self.key = key
        self.wants = wants
        self.wanted = wanted
        self.live = live
        self.ledger = ledger
        self.hmac_key = hmac_key
        self.prune = prune and key not in wanted.declared
        self.ops: list[Operation] = []
        self.kept: list[Kept] = []
        self.unchanged = 0
        self.covered: set[str] = set()

    def run(self, records: list[EnvItem]) -> None:
        movable = []
        for record in records:
            if record.system or record.configuration_id or _odd_branch(record):
                self._untouchable(record)
            elif self._movable(record):
                movable.append(record)
            else:
                self._record(record)
        for record in movable:
            self._move_or_record(record)
        self._creates([t for t in sorted(self.wants) if t not in self.covered])

    def _untouchable(self, record: EnvItem) -> None:
        managed = [t for t in record.places if self._manages(t, record)]
        clash = [t for t in managed if t in self.wants]
        if record.system or record.configuration_id:
            if clash:
                owner = (
                    f"an integration (configurationId {record.configuration_id})"
                    if record.configuration_id
                    else "Vercel (a system variable)"
                )
                raise InputError(
                    f"{self.key} on {', '.join(clash)} is owned by {owner}: meterr-config "
                    "never changes it; take it out of the models or out of the integration"
                )
            return
        why = f"a branch's record on {', '.join(record.targets)}: Vercel keeps one on preview only"
        self.kept += [Kept(self.key, target, why) for target in managed]

    def _manages(self, where: str, record: EnvItem) -> bool:
        """Whether the plan is about a record's place: one the models manage, or a
        branch's place meterr-config wrote the record for (the ledger says so). A branch
        is renamed or merged and no model names it any more: its record is still ours."""
        return self.wanted.manages(where) or (
            branch_of(where) is not None
            and self.ledger.get(self.live.project_id, record.ident) is not None
        )

    def _movable(self, record: EnvItem) -> bool:
        """A record on preview or one branch, that no model wants there: --prune moves
        it to a branch place that needs one, if there is such a place."""
        if not self.prune or len(record.places) != 1:
            return False
        (where,) = record.places
        return (
            target_of(where) == "preview"
            and self._manages(where, record)
            and where not in self.wants
        )

    def _move_or_record(self, record: EnvItem) -> None:
        homeless = [
            t
            for t in sorted(self.wants)
            if t not in self.covered
            and branch_of(t) is not None
            and in_place(record.kind, self.wants[t].type)
        ]
        if not homeless:
            self._record(record)
            return
        want = self.wants[homeless[0]]
        self.covered.add(want.target)
        changes = self._differences(record, want)
        self._keep_or_update(record, [want], (want.target,), changes, replaced=False)

    def _record(self, record: EnvItem) -> None:
        managed = [t for t in record.places if self._manages(t, record)]
        if not managed:
            return  # serves only targets no named environment manages
        outside = [t for t in record.places if not self._manages(t, record)]
        second = [t for t in managed if t in self.covered]
        wanted = [t for t in managed if t in self.wants and t not in self.covered]
        absent = [t for t in managed if t not in wanted]
        self.covered |= set(wanted)
        for target in absent if not self.prune else ():
            if self.key in self.wanted.declared:
                why = "declared without a value to write"
            elif target in second:
                why = "a second record for this target (--prune deletes it)"
            else:
                why = "not in the models (--prune deletes it)"
            self.kept.append(Kept(self.key, target, why))
        remaining = outside + ([] if self.prune else absent)
        groups = _groups(self.wants[t] for t in wanted)
        if not groups:
            self._prune(record, remaining)
            return
        stay = _staying(groups, record, self._differences)
        moving = [g for g in groups if g is not stay]
        new_targets = tuple(sorted(remaining + [w.target for w in stay]))
        changes = self._differences(record, stay[0])
        if (changes and remaining) or not in_place(record.kind, stay[0].type):
            moving.append(stay)  # changing it in place would change what it also serves
            stay = []
            new_targets = tuple(sorted(remaining))
            changes = []
        self._keep_or_update(record, stay, new_targets, changes, replaced=bool(moving))
        for group in moving:
            self._create([w.target for w in group], group[0], replaces=str(record.ident))

    def _keep_or_update(
        self,
        record: EnvItem,
        stay: list[Want],
        new_targets: tuple[str, ...],
        changes: list[str],
        *,
        replaced: bool,
    ) -> None:
        changes = [*changes, *_place_changes(record.places, new_targets)]
        if not new_targets:
            self.ops.append(self._delete(record, replaces=str(record.ident) if replaced else None))
            return
        if not changes:
            self.unchanged += len(stay)
            return
        want = stay[0] if stay else None
        writes = want is not None and ("value" in changes or "type" in changes)
        self.ops.append(
            Operation(
                action="update",
                key=self.key,
                targets=new_targets,
                type=want.type if want else record.kind,
                secret=want.secret if want else record.kind in SECRET_TYPES,
                record=record.ident,
                before=record.places,
                before_type=record.kind,
                changes=tuple(changes),
                comment=want.comment if want else record.comment,
                fingerprint=fingerprint.keyed(self.hmac_key, want.value) if writes and want else "",
                replaces=str(record.ident) if replaced else None,
                why=self._why(record) if want and "value" in changes else "",
                updated_at=record.updated_at,
                value=want.value if writes and want else None,
                shown=self._shown_change(record, want) if want and "value" in changes else "",
            )
        )

    def _prune(self, record: EnvItem, remaining: list[str]) -> None:
        """A record no managed target wants: narrowed or deleted with --prune."""
        if not self.prune or tuple(sorted(remaining)) == record.places:
            return
        if remaining:
            self._keep_or_update(record, [], tuple(sorted(remaining)), [], replaced=False)
        else:
            self.ops.append(self._delete(record, replaces=None))

    def _delete(self, record: EnvItem, replaces: str | None) -> Operation:
        return Operation(
            action="delete",
            key=self.key,
            targets=record.places,
            type=record.kind,
            secret=record.kind in SECRET_TYPES,
            record=record.ident,
            before=record.places,
            before_type=record.kind,
            replaces=replaces,
            updated_at=record.updated_at,
        )

    def _creates(self, targets: list[str]) -> None:
        for group in _groups(self.wants[t] for t in targets):
            self._create([w.target for w in group], group[0], replaces=None)

    def _create(self, targets: list[str], want: Want, replaces: str | None) -> None:
        self.ops.append(
            Operation(
                action="create",
                key=self.key,
                targets=tuple(sorted(targets)),
                type=want.type,
                secret=want.secret,
                comment=want.comment,
                fingerprint=fingerprint.keyed(self.hmac_key, want.value),
                replaces=replaces,
                value=want.value,
                shown=shown(want.value, want.secret),
            )
        )

    def _differences(self, record: EnvItem, want: Want) -> list[str]:
        changes = []
        if not self._same_value(record, want):
            changes.append("value")
        if record.kind != want.type:
            changes.append("type")
        if record.comment != want.comment:
            changes.append("comment")
        return changes

    def _same_value(self, record: EnvItem, want: Want) -> bool:
        if record.value is not None:
            return record.value == want.value
        sealed = self.live.sealed.get(str(record.ident))
        if sealed is not None:
            return sealed == want.value
        entry = self.ledger.get(self.live.project_id, record.ident)
        return (
            entry is not None
            and entry.updated_at == record.updated_at
            and entry.digest is not None
            and fingerprint.verifies(want.value, entry.digest)
        )

    def _shown_change(self, record: EnvItem, want: Want) -> str:
        sealed = self.live.sealed.get(str(record.ident))
        if record.value is not None:
            old = shown(record.value, want.secret or record.kind in SECRET_TYPES)
        elif sealed is not None:
            old = str(sealed)
        else:
            old = "(unknown)"
        return f"{old} → {shown(want.value, want.secret)}"

    def _why(self, record: EnvItem) -> str:
        """What the plan knows of a value it cannot compare."""
        if record.value is not None or self.live.sealed.get(str(record.ident)) is not None:
            return ""
        entry = self.ledger.get(self.live.project_id, record.ident)
        if entry is None:
            return (
                f"{record.kind}: Vercel never gives it back, and meterr-config has no "
                "record of writing it"
            )
        if entry.updated_at != record.updated_at:
            return (
                f"changed outside meterr-config, by {record.updated_by or 'someone unknown'} "
                f"{when(record.updated_at)}"
            )
        return "the value supplied is not the one meterr-config last wrote"


def shown(value: str, secret: bool) -> str:
    """A value as a plan shows it: a secret's as `<redacted: N chars, sha256:…>`, any
    other as a quoted string."""
    return redact.redact(value) if secret else json.dumps(value, ensure_ascii=False)


def _odd_branch(record: EnvItem) -> bool:
    """A branch's record on more than preview, which the API does not make."""
    return bool(record.branch) and record.targets != ("preview",)


def _place_changes(old: tuple[str, ...], new: tuple[str, ...]) -> list[str]:
    """What moving a record from places `old` to `new` changes: its targets, its branch."""
    changes = []
    if {target_of(t) for t in old} != {target_of(t) for t in new}:
        changes.append("targets")
    if {branch_of(t) for t in old} != {branch_of(t) for t in new}:
        changes.append("branch")
    return changes


def _groups(wants: Iterable[Want]) -> list[list[Want]]:
    """Wants grouped by what a record would hold (type, comment, value), in order; a
    branch's place is a record of its own."""
    groups: list[list[Want]] = []
    for want in wants:
        alone = branch_of(want.target) is not None
        group = next(
            (
                g
                for g in groups
                if not alone and branch_of(g[0].target) is None and g[0].same_as(want)
            ),
            None,
        )
        if group is None:
            groups.append([want])
        else:
            group.append(want)
    return groups


def _staying(
    groups: list[list[Want]],
    record: EnvItem,
    differences: Callable[[EnvItem, Want], list[str]],
) -> list[Want]:
    """The group that keeps the record: one it already matches, else the largest (the
    first of those: production sorts before staging)."""
    for group in groups:
        if not differences(record, group[0]):
            return group
    return max(groups, key=len)

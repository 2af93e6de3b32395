"""A plan as reports show it: one line per key and target, in a stable order."""

from __future__ import annotations

from dataclasses import dataclass

from meterr_config.plan.model import Operation, Plan


@dataclass(frozen=True)
class Line:
    """One key on one target: what happens to it (`action`: create, update, replace,
    delete or kept), its sign as Terraform draws it, and the detail in words."""

    key: str
    target: str
    action: str
    detail: str

    @property
    def sign(self) -> str:
        return {"create": "+", "update": "~", "replace": "-/+", "delete": "-", "kept": "="}[
            self.action
        ]


def lines(plan: Plan) -> list[Line]:
    """Every operation's lines and every kept variable's, by key then target."""
    out = [line for op in plan.operations for line in _op_lines(op)]
    out += [Line(k.key, k.target, "kept", k.why) for k in plan.kept]
    order = {"replace": 0, "delete": 1, "update": 2, "create": 3, "kept": 4}
    return sorted(out, key=lambda line: (line.key, line.target, order[line.action]))


def _op_lines(op: Operation) -> list[Line]:
    why = f" ({op.why})" if op.why else ""
    if op.action == "create":
        action = "replace" if op.replaces else "create"
        moved = ", in a new record (the old one is narrowed or deleted first: --allow-replace)"
        detail = f"{op.type} {op.shown}" + (moved if op.replaces else "")
        return [Line(op.key, t, action, detail) for t in op.targets]
    if op.action == "delete":
        if op.replaces:
            return []  # the replacement's create lines say it
        return [Line(op.key, t, "delete", f"{op.type}, not in the models") for t in op.targets]
    return _update_lines(op, why)


def _update_lines(op: Operation, why: str) -> list[Line]:
    parts = []
    if "value" in op.changes:
        parts.append(f"value {op.shown}{why}")
    if "type" in op.changes:
        parts.append(f"type {op.before_type} → {op.type}")
    if "comment" in op.changes:
        parts.append("comment")
    if "branch" in op.changes:
        return _moved_lines(op, parts)
    out = []
    for target in sorted(set(op.targets) | set(op.before)):
        if target not in op.targets:
            if not op.replaces:  # a replacement's create line says where it goes
                out.append(Line(op.key, target, "delete", "taken off the record (--prune)"))
        elif target not in op.before:
            out.append(Line(op.key, target, "update", "added to the record"))
        elif parts:
            out.append(Line(op.key, target, "update", ", ".join(parts)))
    return out


def _moved_lines(op: Operation, parts: list[str]) -> list[Line]:
    """A record moved between preview and a branch (one place each): a line for each."""
    (old,), (new,) = op.before, op.targets
    moved = f"moved from {old} (gitBranch)"
    return [
        Line(op.key, old, "delete", f"moved to {new} (--prune)"),
        Line(op.key, new, "update", ", ".join([moved, *parts])),
    ]


def summary(plan: Plan, kinds: tuple[str, ...] = ("create", "update", "replace", "delete")) -> str:
    """`Plan for meterr: 2 to create, 1 to update, 0 to replace, 1 to delete; 30 unchanged,
    2 kept.` or `No changes for meterr: 30 unchanged, 2 kept.`; `kinds` are the actions
    counted (a flags plan has no replacements)."""
    count = dict.fromkeys(kinds, 0)
    for op in plan.operations:
        if op.replaces:
            count["replace"] += op.action == "create"
        else:
            count[op.action] += 1
    tail = f"{plan.unchanged} unchanged, {len(plan.kept)} kept."
    if plan.empty:
        return f"No changes for {plan.project}: {tail}"
    counts = ", ".join(f"{n} to {action}" for action, n in count.items())
    return f"Plan for {plan.project}: {counts}; {tail}"

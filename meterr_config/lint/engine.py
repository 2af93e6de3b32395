"""Run rules over snapshots: options, ignores, development relaxation, "not checked" notes."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pydantic import BaseModel, ValidationError

from meterr_config.errors import InputError
from meterr_config.findings import Finding, Severity
from meterr_config.keypath import format_path
from meterr_config.lint.rule import CrossRule, Problem, Rule
from meterr_config.lint.rules import RULES
from meterr_config.regexsafety import Budget, current_budget, undecided_note
from meterr_config.snapshot import Snapshot

BY_ID = {rule.id: rule for rule in RULES}


def _options(rule: Rule, snap: Snapshot) -> BaseModel:
    raw = snap.options.get(rule.id, {})
    try:
        return rule.Options.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = format_path(("lint", "rules", rule.id, *map(str, error["loc"])))
        raise InputError(
            error["msg"], snap.locate("model", ("lint", "rules", rule.id)), key
        ) from None


def _check_config(snap: Snapshot) -> None:
    """Unknown rule ids and bad options are bad input, whether or not the rule runs."""
    for rule_id in sorted(set(snap.ignore) | set(snap.options)):
        if rule_id not in BY_ID:
            where = snap.locate("model", ("lint",))
            raise InputError(
                f"unknown rule id '{rule_id}' (see `meterr-config rules`)", where, "lint"
            )
        if rule_id in snap.options:
            _options(BY_ID[rule_id], snap)


def _severity(rule: Rule, snap: Snapshot, problem: Problem) -> Severity:
    severity = problem.severity or rule.severity
    if snap.development and severity == Severity.ERROR and not rule.blocks_deploy:
        return Severity.WARNING
    return severity


def _finding(rule: Rule, snap: Snapshot, problem: Problem) -> Finding:
    return Finding(
        rule=rule.id,
        severity=_severity(rule, snap, problem),
        message=problem.message,
        environment=snap.name,
        artifact=problem.artifact,
        key=format_path(problem.path) or None,
        location=snap.locate(problem.artifact, problem.path),
    )


def _not_checked(rules: list[Rule], snap: Snapshot) -> Finding:
    """One note for the value rules that had no values to run on (never a pass)."""
    ids = ", ".join(rule.id for rule in rules)
    message = (
        f"{ids} not checked: no secret values supplied "
        "(use --values dotenv:FILE or --values process)"
    )
    where = snap.locate("env", ())
    return Finding("NOTE", Severity.INFO, message, snap.name, "env", None, where)


def _values_missing(snap: Snapshot) -> bool:
    """Secrets whose values no source supplied: the value rules cannot check them."""
    return not snap.values_supplied and any(e.secret and e.value is None for e in snap.env.values())


def _applies(rule: Rule, snap: Snapshot) -> bool:
    return rule.id not in snap.ignore and not (rule.skip_in_development and snap.development)


def _undecided(snap: Snapshot, budget: Budget, before: int) -> list[Finding]:
    """A note for the input-regex matches this snapshot's rules could not decide in time:
    the rules that asked treated them as "no match", which may be wrong."""
    count = budget.undecided - before
    if not count:
        return []
    message = undecided_note(count)
    return [Finding("NOTE", Severity.INFO, message, snap.name)]


def lint(
    snapshots: Iterable[Snapshot],
    rules: tuple[Rule, ...] = RULES,
    each: Callable[[Snapshot], None] | None = None,
) -> list[Finding]:
    """Every finding of every rule over every snapshot, sorted.

    Snapshots are linted as they come and only a slim copy (variables and flags) is kept
    for the cross-environment rules, so memory does not grow with each environment's
    rules and headers. `each` sees every full snapshot (for `--score`). Input regexes
    share one time budget over the whole run; matches it could not decide are noted.
    """
    findings: list[Finding] = []
    kept: list[Snapshot] = []
    budget = current_budget()  # one budget for every input regex this run matches
    for snap in snapshots:
        before = budget.undecided
        findings += _snapshot_findings(snap, rules)
        findings += _undecided(snap, budget, before)
        if each is not None:
            each(snap)
        kept.append(snap.slim())
    for rule in rules:
        if isinstance(rule, CrossRule) and kept:
            findings += _cross_findings(rule, kept)
    return sorted(findings, key=Finding.sort_key)


def _snapshot_findings(snap: Snapshot, rules: tuple[Rule, ...]) -> list[Finding]:
    """The notes and findings of one snapshot's own (not cross-environment) rules."""
    _check_config(snap)
    findings = [Finding("NOTE", Severity.INFO, note, snap.name) for note in snap.notes]
    unchecked = [r for r in rules if r.needs_values and _applies(r, snap)]
    if unchecked and _values_missing(snap):  # its own and the cross-environment rules
        findings.append(_not_checked(unchecked, snap))
    for rule in rules:
        if not _applies(rule, snap) or isinstance(rule, CrossRule):
            continue
        options = _options(rule, snap)
        findings += [_finding(rule, snap, p) for p in rule.check(snap, options)]
    return findings


def _cross_findings(rule: CrossRule, kept: list[Snapshot]) -> list[Finding]:
    """One cross-environment rule over the slim snapshots it applies to."""
    eligible = [s for s in kept if _applies(rule, s)]
    options = _options(rule, kept[0])
    return [_finding(rule, s, p) for s, p in rule.check_all(eligible, options)]

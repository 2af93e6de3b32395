"""Apply a plan: the writes, one request in flight, in PHASES order, each read back.

- update: `PATCH /v9/projects/{id}/env/{envId}` with only what changes
- a replacement's delete, then creations: `POST /v10/projects/{id}/env?upsert=true`,
  batched, each item's fate read from the 201's `created` and `failed[]`
- --prune's deletes last: `DELETE /v9/projects/{id}/env/{envId}`, a 404 counting as done

Every write is repeatable (an upsert, a PATCH to the same state, a delete of what is
gone), so the client's retries and a re-run after a kill converge. Each write is read
back (`GET /v1/projects/{id}/env/{envId}`): a readable value must be the one sent; a
sensitive one must have the sensitive type and a moved `updatedAt`. A write the API
acknowledged and did not store is a failure, not a success.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from meterr_config.errors import InputError
from meterr_config.models.envvars import BUILTIN_TARGETS
from meterr_config.plan import fingerprint
from meterr_config.plan.journal import Journal
from meterr_config.plan.ledger import Entry, Ledger
from meterr_config.plan.live import LiveState
from meterr_config.plan.model import (
    PHASES,
    Operation,
    Outcome,
    Plan,
    Result,
    branch_of,
    target_of,
)
from meterr_config.sources.vercel import SECRET_TYPES, EnvItem, env_item
from meterr_config.sources.vercel_api import VercelClient, Written, error_said
from meterr_config.sources.vercel_shape import ID, Field

# Items in one batched create (the CLI's own bulk add sends all at once; a bound keeps a
# failing batch small).
BATCH = 20


class Applier:
    """Writes one project's plan."""

    def __init__(
        self, client: VercelClient, live: LiveState, ledger: Ledger, journal: Journal
    ) -> None:
        self.client = client
        self.live = live
        self.ledger = ledger
        self.journal = journal
        self.project = quote(live.project_id, safe="")
        self.slugs = {ident: slug for slug, ident in live.custom_ids.items()}
        self.outcome = Outcome()

    def apply(self, plan: Plan) -> Outcome:
        """Send every operation; a replacement's create only after its delete worked."""
        failed_records: set[str] = set()
        for phase in PHASES:
            ops = [op for op in plan.operations if op.phase == phase]
            ops = [op for op in ops if not (op.replaces and op.replaces in failed_records)]
            if phase == "create":
                for start in range(0, len(ops), BATCH):
                    self._create(ops[start : start + BATCH])
            elif phase == "delete" and ops:
                self._delete_batch(ops)
            else:
                for op in ops:
                    done = self._update(op) if phase == "update" else self._delete(op)
                    if not done and op.replaces:
                        failed_records.add(op.replaces)
        skipped = [
            op for op in plan.operations if op.replaces in failed_records and op.action == "create"
        ]
        for op in skipped:
            self._result(op, False, "not sent: the record it replaces could not be changed")
        return self.outcome

    # --- requests ------------------------------------------------------------------------

    def _body(self, op: Operation, fields: tuple[str, ...]) -> dict[str, Any]:
        body: dict[str, Any] = {}
        targets = sorted({target_of(t) for t in op.targets})
        branch = next((b for t in op.targets if (b := branch_of(t))), None)
        if "targets" in fields:
            body["target"] = [t for t in targets if t in BUILTIN_TARGETS]
            body["customEnvironmentIds"] = [
                self.live.custom_ids[t] for t in targets if t not in BUILTIN_TARGETS
            ]
        if "branch" in fields or ("targets" in fields and branch):
            body["gitBranch"] = branch  # None takes a record off its branch
        if "value" in fields or "type" in fields:
            body["type"] = op.type
            body["value"] = op.value
        if "comment" in fields:
            body["comment"] = op.comment
        return body

    def _update(self, op: Operation) -> bool:
        if op.writes_value and op.value is None:
            raise InputError(f"{op.key}: the plan has no value to write (a bug)")
        path = f"/v9/projects/{self.project}/env/{_ident(op.record)}"
        written = self.client.write("PATCH", path, self._body(op, op.changes))
        if written.status // 100 != 2:
            return self._result(op, False, _refusal(written), written)
        return self._read_back(op, str(op.record), written)

    def _delete(self, op: Operation) -> bool:
        path = f"/v9/projects/{self.project}/env/{_ident(op.record)}"
        written = self.client.write("DELETE", path, None)
        if written.status // 100 != 2 and written.status != 404:
            return self._result(op, False, _refusal(written), written)
        self.ledger.forget(self.live.project_id, str(op.record))
        gone = "applied" if written.status != 404 else "applied (it was already gone)"
        return self._result(op, True, gone, written)

    def _delete_batch(self, ops: list[Operation]) -> None:
        """--prune's deletes in one request (`batchRemoveProjectEnv`: DELETE
        /v1/projects/{id}/env with `{"ids": [...]}`, at most 1,000), each then looked
        up: gone is done, whatever the answer said."""
        path = f"/v1/projects/{self.project}/env"
        written = self.client.write("DELETE", path, {"ids": [_ident(op.record) for op in ops]})
        for op in ops:
            single = f"/v1/projects/{self.project}/env/{_ident(op.record)}"
            if self.client.get(single, absent={}):
                self._result(
                    op,
                    False,
                    _refusal(written)
                    if written.status // 100 != 2
                    else "still there after the delete",
                    written,
                )
            else:
                self.ledger.forget(self.live.project_id, str(op.record))
                self._result(op, True, "applied", written)

    def _create(self, ops: list[Operation]) -> None:
        fields = ("targets", "value", "type", "comment")
        body = [{"key": op.key, **self._body(op, fields)} for op in ops]
        path = f"/v10/projects/{self.project}/env"
        written = self.client.write("POST", path, body, {"upsert": "true"})
        if written.status // 100 != 2:
            for op in ops:
                self._result(op, False, _refusal(written), written)
            return
        created, failed = self._created(written, path)
        for op in ops:
            match = created.get((op.key, op.targets))
            if match is not None and match.ident:
                self._read_back(op, match.ident, written)
            else:
                why = failed.get(op.key, "the API neither created it nor said why")
                self._result(op, False, why, written)

    def _created(
        self, written: Written, path: str
    ) -> tuple[dict[tuple[str, tuple[str, ...]], EnvItem], dict[str, str]]:
        """The records a 201 says it created, and why each failed one failed."""
        answer = Field(f"{path} (POST)", "", written.data)
        raw = answer.get("created").value
        items = raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else []
        created = {}
        for item in items:
            record = env_item(Field(f"{path} (POST)", "created", item), self.slugs)
            created[(record.key, record.places)] = record
        failed = {}
        for item in answer.get("failed").items():
            error = item.get("error")
            key = error.get("envVarKey").value or error.get("key").value
            token = self.client.config.token
            words = error_said(error.value, token) or "no reason given"
            code = error_said({"code": error.get("code").value}, token)  # an id's shape only
            if isinstance(key, str):
                failed[key] = f"refused: {words}" + (f" ({code})" if code not in words else "")
        return created, failed

    def _read_back(self, op: Operation, ident: str, written: Written) -> bool:
        """Whether Vercel holds what was written: read the record back by its id."""
        path = f"/v1/projects/{self.project}/env/{_ident(ident)}"
        body = self.client.get(path, absent={})
        if not body:
            return self._result(
                op, False, "acknowledged, but not stored (not found after)", written
            )
        field_ = Field(path, "", body)
        stored = env_item(field_, self.slugs)
        value = field_.get("value").string()
        problem = _stored_problem(op, stored, value, field_.get("decrypted").value is True)
        if problem:
            return self._result(op, False, f"acknowledged, but {problem}", written)
        digest = fingerprint.sealed(op.value) if op.value and op.type in SECRET_TYPES else None
        previous = self.ledger.get(self.live.project_id, ident)
        if (
            digest is None
            and previous is not None
            and "value" not in op.changes
            and op.action == "update"
        ):
            digest = previous.digest  # the value did not change: what it was still holds
        entry = Entry(op.key, stored.places, stored.updated_at, stored.updated_by, digest)
        self.ledger.record(self.live.project_id, ident, entry)
        return self._result(op, True, "applied", written, ident)

    def _result(
        self,
        op: Operation,
        ok: bool,
        detail: str,
        written: Written | None = None,
        ident: str | None = None,
    ) -> bool:
        self.journal.write(
            project=self.live.name,
            action=op.action,
            key=op.key,
            targets=list(op.targets),
            record=ident or op.record,
            replaces=op.replaces,
            result="applied" if ok else "failed",
            detail=detail,
            status=written.status if written else None,
            request_id=written.request_id if written else "",
        )
        self.outcome.results.append(Result(op, ok, detail))
        return ok


def _ident(ident: str | None) -> str:
    if ident is None or not ID.fullmatch(ident):
        raise InputError("vercel: an env id of an unexpected shape; refusing to write")
    return ident


def _refusal(written: Written) -> str:
    said = f": {written.said}" if written.said else ""
    return f"refused (HTTP {written.status}{said})"


def _stored_problem(op: Operation, stored: EnvItem, value: str | None, decrypted: bool) -> str:
    """What the read-back shows was not stored as sent, or ""."""
    if stored.places != op.targets:
        return f"it is on {', '.join(stored.places) or 'no target'}"
    if stored.kind != op.type:
        return f"its type is {stored.kind}"
    if op.type in SECRET_TYPES:
        if op.writes_value and op.updated_at is not None and stored.updated_at == op.updated_at:
            return "its updatedAt did not move"
        return ""
    readable = value if op.type == "plain" or decrypted else None
    if op.writes_value and readable != op.value:
        return "the value read back is not the one sent" if readable else "it is empty"
    return ""

"""Properties of plan and apply (hypothesis), against the fake Vercel API:

- from any live state drawn (records deleted, values and types changed, records shared
  with an unmanaged target, unmanaged variables added, a branch's record renamed or
  moved to another branch), with or without a model variable for one preview branch,
  apply then plan is empty;
- a process stopped between any two requests of an apply, then run again, converges;
- no canary value appears in any output, in any format, nor in a plan file, journal or
  ledger.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meterr_config.formats import FORMATS
from tests.conftest import ENVIRONMENTS, run_cli
from tests.live.plan_support import CANARY, values_file
from tests.live.vercel_server import FakeVercel, sample_envs

ENVS = ("production", "staging")
PROPERTY = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("meterr_config.plan.fingerprint.COST", 2**4)


class Stop(BaseException):
    """The process ends here (a BaseException: nothing in the package catches it)."""


def _project(root: Path) -> Path:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    shutil.copytree(ENVIRONMENTS, root / "environments")
    return root


def _args(root: Path, generation: int = 0) -> list[str]:
    out = []
    for env in ENVS:
        out += ["--values", f"{env}=dotenv:{values_file(root, env, generation)}"]
    return out


def _env(api: FakeVercel) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("VERCEL")}
    return {**base, "VERCEL_TOKEN": api.token, "VERCEL_API_URL": api.url}


def _apply(root: Path, api: FakeVercel, *extra: str) -> int:
    args = ("apply", *ENVS, *_args(root), "--yes", "--confirm", "production", *extra)
    return run_cli(*args, cwd=root, env=_env(api)).code


def _plan(root: Path, api: FakeVercel, *extra: str) -> Any:
    return run_cli("plan", *ENVS, *_args(root), *extra, cwd=root, env=_env(api))


BRANCHES = ("feature/new-dashboard", "feature/billing", "fix/login")
Mutation = tuple[str, int]


def _branch_variable(root: Path, branch: str | None) -> None:
    """staging.toml gains PREVIEW_API_URL for one preview branch (or nothing)."""
    if branch is not None:
        with (root / "environments" / "staging.toml").open("a") as file:
            file.write(
                '\n[env.PREVIEW_API_URL]\nvalue = "https://api.preview.meterr.ai"\n'
                f'targets = ["preview"]\ngit_branch = "{branch}"\n'
            )


MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["delete", "value", "type", "share", "extra", "branch"]),
        st.integers(0, 60),
    ),
    max_size=6,
)


def _mutated(mutations: list[Mutation]) -> list[dict[str, Any]]:
    envs = sample_envs()
    for kind, pick in mutations:
        generic = [e for e in envs if not e.get("gitBranch")]
        item = generic[pick % len(generic)]
        if kind == "delete":
            envs.remove(item)
        elif kind == "value" and item["type"] == "plain":
            item["value"] = f"drifted-{pick}"
        elif kind == "type":
            item["type"] = {"plain": "encrypted", "encrypted": "plain"}.get(
                item["type"], "sensitive"
            )
        elif kind == "share" and item.get("target") == ["production"]:
            item["target"] = ["preview", "production"]
        elif kind == "branch":
            record = next(e for e in envs if e.get("gitBranch"))
            record.update(key="PREVIEW_API_URL", gitBranch=BRANCHES[pick % len(BRANCHES)])
        elif kind == "extra":
            created = max(e["createdAt"] for e in envs) + 1 + pick
            envs.append(
                {
                    **item,
                    "id": f"extra{pick:011d}",
                    "key": f"EXTRA_{pick}",
                    "createdAt": created,
                    "type": "plain",
                }
            )
    return envs


@PROPERTY
@given(mutations=MUTATIONS, prune=st.booleans(), branch=st.sampled_from((None, *BRANCHES)))
def test_apply_then_plan_is_empty(
    tmp_path_factory: pytest.TempPathFactory,
    mutations: list[Mutation],
    prune: bool,
    branch: str | None,
) -> None:
    root = _project(tmp_path_factory.mktemp("converge"))
    _branch_variable(root, branch)
    extra = ("--prune",) if prune else ()
    with FakeVercel(envs=_mutated(mutations)) as api:
        code = _apply(root, api, "--allow-replace", *extra)
        assert code == 0
        again = _plan(root, api, *extra)
    assert again.code == 0, again.out


@PROPERTY
@given(mutations=MUTATIONS, stop_at=st.integers(0, 60))
def test_an_apply_stopped_between_requests_converges_when_run_again(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    mutations: list[Mutation],
    stop_at: int,
) -> None:
    from meterr_config.sources import vercel_api

    root = _project(tmp_path_factory.mktemp("stopped"))
    send = vercel_api.VercelClient._send
    sent = {"n": 0}

    def stopping(self: Any, method: str, path: str, params: Any, body: Any) -> Any:
        if method != "GET":
            if sent["n"] == stop_at:
                raise Stop
            sent["n"] += 1
        return send(self, method, path, params, body)

    with FakeVercel(envs=_mutated(mutations)) as api:
        with monkeypatch.context() as patched:
            patched.setattr(vercel_api.VercelClient, "_send", stopping)
            with contextlib.suppress(Stop):  # the run ends there, as a killed process
                _apply(root, api, "--allow-replace")
        assert _apply(root, api, "--allow-replace") == 0
        assert _plan(root, api).code == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_canary_in_any_output_or_file(tmp_path: Path, fmt: str) -> None:
    root = _project(tmp_path / "canary")
    confirmed = ("--yes", "--confirm", "production", "--format", fmt)
    with FakeVercel(refuse_keys={"CRON_SECRET"}) as api:
        out = root / "plan.json"

        def apply(generation: int) -> Any:
            args = ("apply", *ENVS, *_args(root, generation), *confirmed)
            return run_cli(*args, cwd=root, env=_env(api))

        runs = [
            _plan(root, api, "--format", fmt, "--out", str(out)),
            apply(0),
            run_cli("status", *ENVS, "--format", fmt, cwd=root, env=_env(api)),
            apply(1),
        ]
    assert [r.code for r in runs] == [1, 3, 1, 3]
    written = [p.read_text() for p in (root / ".meterr-config").rglob("*") if p.is_file()]
    for text in [*(r.out + r.err for r in runs), out.read_text(), *written]:
        assert CANARY not in text

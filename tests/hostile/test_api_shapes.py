"""Issue 16, point 7: each malformed shape of a Vercel answer is a one-line error naming
the endpoint, the field's path and what was expected; never an internal error, and
never a wrong reading (a `regions` string split into characters, a missing `key`
skipped, a string of ids iterated letter by letter).

Each case garbles one field of one answer of the fake Vercel API (tests/live), served by
a real HTTP server on 127.0.0.1, and runs `diff env:production vercel:meterr@production`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from tests.conftest import Runner
from tests.fuzzing.servers import Behaviour, HostileServer, Request, reshape, vercel
from tests.live.vercel_server import FakeVercel

TOKEN = "tok_shapes_4Hx8Qm2Lr7Vz"
PROJECT = "/v9/projects/meterr"
CUSTOMS = "/v9/projects/meterr/custom-environments"
ENV = "/v10/projects/meterr/env"
LIST = "/v6/deployments"
DEPLOYMENT = f"/v13/deployments/{FakeVercel().deployment('production')['id']}"
Change = Callable[[Any], Any]


def _set(*path: str | int, to: Any) -> Change:
    """Set the member at `path` (keys and list indexes) to `to`."""

    def change(body: Any) -> Any:
        node = body
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = to
        return body

    return change


def _drop(*path: str | int) -> Change:
    def change(body: Any) -> Any:
        node = body
        for step in path[:-1]:
            node = node[step]
        del node[path[-1]]
        return body

    return change


# (endpoint, change, the error's tail after "vercel: GET <endpoint>: ")
CASES: dict[str, tuple[str, Change, str]] = {
    "project-not-an-object": (
        PROJECT,
        lambda body: [body],
        "the answer is a list, expected an object",
    ),
    "project-resourceConfig-string": (
        PROJECT,
        _set("resourceConfig", to="iad1"),
        "resourceConfig is a string, expected an object",
    ),
    "project-default-regions-string": (
        PROJECT,
        _set("resourceConfig", "functionDefaultRegions", to="iad1"),
        "resourceConfig.functionDefaultRegions is a string, expected a list of strings",
    ),
    "project-timeout-string": (
        PROJECT,
        _set("resourceConfig", "functionDefaultTimeout", to="300"),
        "resourceConfig.functionDefaultTimeout is a string, expected a number",
    ),
    "project-node-version-number": (
        PROJECT,
        _set("nodeVersion", to=22),
        "nodeVersion is a number, expected a string",
    ),
    "project-cron-definition-string": (
        PROJECT,
        _set("crons", "definitions", 0, to="0 2 * * *"),
        "crons.definitions[0] is a string, expected an object",
    ),
    "customs-environments-object": (
        CUSTOMS,
        _set("environments", to={"env_staging": "staging"}),
        "environments is an object, expected a list",
    ),
    "customs-environment-without-slug": (
        CUSTOMS,
        _drop("environments", 0, "slug"),
        "environments[0].slug is missing, expected a non-empty string",
    ),
    "envs-not-a-list": (ENV, _set("envs", to="NODE_ENV"), "envs is a string, expected a list"),
    "envs-missing": (ENV, _drop("envs"), "envs is missing, expected a list"),
    "env-item-string": (
        ENV,
        _set("envs", 0, to="NODE_ENV"),
        "envs[0] is a string, expected an object",
    ),
    "env-item-without-key": (
        ENV,
        _drop("envs", 2, "key"),
        "envs[2].key is missing, expected a non-empty string",
    ),
    "env-key-number": (
        ENV,
        _set("envs", 1, "key", to=7),
        "envs[1].key is a number, expected a non-empty string",
    ),
    "env-type-missing": (
        ENV,
        _drop("envs", 0, "type"),
        "envs[0].type is missing, expected a non-empty string",
    ),
    "env-target-number": (
        ENV,
        _set("envs", 0, "target", to=1),
        "envs[0].target is a number, expected a list of strings or a string",
    ),
    "env-target-holds-a-number": (
        ENV,
        _set("envs", 0, "target", to=["production", 1]),
        "envs[0].target[1] is a number, expected a string",
    ),
    "env-custom-ids-string": (
        ENV,
        _set("envs", 0, "customEnvironmentIds", to="env_staging"),
        "envs[0].customEnvironmentIds is a string, expected a list of strings",
    ),
    "env-value-object": (
        ENV,
        _set("envs", 0, "value", to={"v": 1}),
        "envs[0].value is an object, expected a string",
    ),
    "pagination-list": (
        ENV,
        _set("pagination", to=[1]),
        "pagination is a list, expected an object",
    ),
    "pagination-next-string": (
        ENV,
        _set("pagination", "next", to="later"),
        "pagination.next is a string, expected a number",
    ),
    "pagination-next-boolean": (
        ENV,
        _set("pagination", "next", to=True),
        "pagination.next is a boolean, expected a number",
    ),
    # production's deployment is the one project.targets names
    "targets-a-list": (
        PROJECT,
        _set("targets", to=[]),
        "targets is a list, expected an object",
    ),
    "target-a-string": (
        PROJECT,
        _set("targets", "production", to="dpl_x"),
        "targets.production is a string, expected an object",
    ),
    "target-id-a-path": (
        PROJECT,
        _set("targets", "production", "id", to="../v9/projects/other"),
        "targets.production.id is a string, expected a deployment id (letters, digits, '_' "
        "and '-')",
    ),
    "deployment-regions-string": (
        DEPLOYMENT,
        _set("regions", to="iad1"),
        "regions is a string, expected a list of strings",
    ),
    "deployment-cron-without-path": (
        DEPLOYMENT,
        _set("crons", to=[{"schedule": "0 2 * * *"}]),
        "crons[0].path is missing, expected a non-empty string",
    ),
    "deployment-crons-object": (
        DEPLOYMENT,
        _set("crons", to={"path": "/api/cron"}),
        "crons is an object, expected a list",
    ),
    "deployment-functions-list": (
        DEPLOYMENT,
        _set("functions", to=["app/api/**/*.ts"]),
        "functions is a list, expected an object",
    ),
    "deployment-function-string": (
        DEPLOYMENT,
        _set("functions", to={"app/api/**/*.ts": "30"}),
        "functions[entry 1] is a string, expected an object",
    ),
    "deployment-function-memory-string": (
        DEPLOYMENT,
        _set("functions", to={"app/api/**/*.ts": {"memory": "1 GB"}}),
        "functions[entry 1].memory is a string, expected a number",
    ),
    "deployment-function-regions-string": (
        DEPLOYMENT,
        _set("functions", to={"app/api/**/*.ts": {"regions": "iad1"}}),
        "functions[entry 1].regions is a string, expected a list of strings",
    ),
}


def _run(cli: Runner, server: HostileServer, target: str = "production") -> tuple[int, str, str]:
    env = {**os.environ, "VERCEL_TOKEN": TOKEN, "VERCEL_API_URL": server.url}
    result = cli("diff", f"env:{target}", f"vercel:meterr@{target}", env=env)
    return result.code, result.out, result.err


# Another target's deployment is the newest READY one the listing gives.
LISTING_CASES: dict[str, tuple[str, Change, str]] = {
    "deployments-object": (
        LIST,
        _set("deployments", to={}),
        "deployments is an object, expected a list",
    ),
    "deployment-without-uid": (
        LIST,
        _drop("deployments", 0, "uid"),
        "deployments[0].uid is missing, expected a non-empty string",
    ),
    "deployment-uid-a-path": (
        LIST,
        _set("deployments", 0, "uid", to="../v9/projects/other"),
        "deployments[0].uid is a string, expected a deployment id (letters, digits, '_' and '-')",
    ),
}


@pytest.mark.parametrize("case", list(LISTING_CASES))
def test_a_malformed_listing_is_diagnosed(cli: Runner, case: str) -> None:
    endpoint, change, says = LISTING_CASES[case]
    with HostileServer(vercel(FakeVercel(token=TOKEN), reshape(endpoint, change))) as server:
        code, out, err = _run(cli, server, "staging")
    assert (code, out, err) == (2, "", f"meterr-config: error: vercel: GET {endpoint}: {says}\n")


@pytest.mark.parametrize("case", list(CASES))
def test_a_malformed_answer_is_diagnosed(cli: Runner, case: str) -> None:
    endpoint, change, says = CASES[case]
    twist = reshape(endpoint, change)
    with HostileServer(vercel(FakeVercel(token=TOKEN), twist)) as server:
        code, out, err = _run(cli, server)
    assert (code, out, err) == (2, "", f"meterr-config: error: vercel: GET {endpoint}: {says}\n")


def test_an_account_without_custom_environments_reads_the_standard_targets(cli: Runner) -> None:
    """The API answers 404 from /custom-environments when the account has none."""

    def missing(request: Request, normal: Behaviour) -> Behaviour:
        if request.path != CUSTOMS:
            return normal
        return replace(normal, status=404, body=b'{"error": {"code": "not_found"}}')

    with HostileServer(vercel(FakeVercel(token=TOKEN), missing)) as server:
        code, _, err = _run(cli, server)
    assert code in (0, 1), err

"""The write side of the fake and of our client, held to the REST API reference: every
request body apply sends matches the endpoint's requestBody schema, and every answer the
fake gives matches the endpoint's response schema (the OpenAPI excerpt, vendored)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from tests.conftest import Runner
from tests.live.plan_support import values_file
from tests.live.test_vercel_server import openapi, to_json_schema
from tests.live.vercel_server import FakeVercel

ROUTES = {
    ("POST", "v10"): ("/v10/projects/{idOrName}/env", "post", "201"),
    ("PATCH", "v9"): ("/v9/projects/{idOrName}/env/{id}", "patch", "200"),
    ("DELETE", "v9"): ("/v9/projects/{idOrName}/env/{id}", "delete", "200"),
}


def _schema(node: Any) -> Draft7Validator:
    converted: dict[str, Any] = to_json_schema(node)
    components = openapi().get("components", {}).get("schemas", {})
    converted["definitions"] = {name: to_json_schema(s) for name, s in components.items()}
    Draft7Validator.check_schema(converted)
    return Draft7Validator(converted)


def _request_schema(path: str, method: str) -> Draft7Validator:
    body = openapi()["paths"][path][method]["requestBody"]["content"]["application/json"]
    return _schema(body["schema"])


def _response_schema(path: str, method: str, status: str) -> Draft7Validator:
    """The answer's schema; of PATCH's top-level oneOf [the variable, {type: object}],
    the first branch (any object matches both, so a oneOf refuses every answer: the
    ambiguity test_excerpt_top_level_oneof_is_ambiguous shows for GET)."""
    answer = openapi()["paths"][path][method]["responses"][status]["content"]["application/json"]
    schema = answer["schema"]
    return _schema(schema["oneOf"][0] if "oneOf" in schema else schema)


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("meterr_config.plan.fingerprint.COST", 2**4)


def test_apply_sends_what_the_reference_accepts_and_gets_what_it_promises(
    cli: Runner, workdir: Path
) -> None:
    """A plan with creates (a fresh project, one variable for a preview branch), then
    updates (a rotation, and with --prune that variable moved to another branch)."""
    staging = workdir / "environments" / "staging.toml"
    staging.write_text(
        staging.read_text() + '\n[env.PREVIEW_BANNER]\nvalue = "on"\ntargets = ["preview"]\n'
        'git_branch = "feature/a"\n'
    )
    answers: list[tuple[str, str, int, Any]] = []
    with FakeVercel(envs=[]) as api:
        original = api.respond

        def recording(
            method: str, path: str, query: dict[str, str], auth: str | None, body: bytes = b""
        ) -> Any:
            status, headers, answer = original(method, path, query, auth, body)
            answers.append((method, path, status, json.loads(answer)))
            return status, headers, answer

        api.respond = recording  # type: ignore[assignment]
        env = {**os.environ, "VERCEL_TOKEN": api.token, "VERCEL_API_URL": api.url}
        for generation in (0, 1):
            values = []
            for name in ("production", "staging"):
                file = values_file(workdir, name, generation)
                values += ["--values", f"{name}=dotenv:{file}"]
            args = ("apply", "production", "staging", *values, "--yes", "--confirm", "production")
            if generation:
                staging.write_text(staging.read_text().replace("feature/a", "feature/b"))
                args = (*args, "--prune")
            assert cli(*args, env=env).code == 0
    sent = [r for r in api.requests if r.method != "GET"]
    kinds = {(r.method, r.path.split("/")[1]) for r in sent}
    assert {("POST", "v10"), ("PATCH", "v9")} <= kinds
    bodies = [json.loads(r.body) for r in sent]
    assert any(
        b.get("gitBranch") == "feature/a" for body in bodies if isinstance(body, list) for b in body
    )
    assert {"gitBranch": "feature/b"} in bodies
    for request in sent:
        path, method, _ = ROUTES[(request.method, request.path.split("/")[1])]
        errors = list(_request_schema(path, method).iter_errors(json.loads(request.body)))
        assert not errors, (request.method, request.path, errors[0].message)
    for method, route, status, answer in answers:
        if method == "GET":
            continue
        path, verb, expected = ROUTES[(method, route.split("/")[1])]
        assert str(status) == expected
        errors = list(_response_schema(path, verb, expected).iter_errors(answer))
        assert not errors, (method, route, errors[0].message)

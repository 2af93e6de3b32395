"""The fake Vercel API: its answers match the OpenAPI excerpt, and its modes do what they say.

Schema checks convert the excerpt's OpenAPI 3.0 response schemas to JSON Schema (draft 7)
and validate real HTTP answers of the fake with them. The excerpt is looked up in
$METERR_VERCEL_OPENAPI, schemas/vendor/ and the shared reference folder; when it is
missing those tests skip, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import json
import math
import os
import threading
from collections.abc import Iterator
from dataclasses import FrozenInstanceError
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft7Validator

from tests.live.vercel_server import (
    DEFAULT_TOKEN,
    FORBIDDEN,
    MALFORMED_BODY,
    PROJECT_NOT_FOUND,
    SECRET_KEYS,
    SLOW_SECONDS,
    UNAUTHENTICATED,
    FakeVercel,
    Recorded,
    sample_deployments,
    sample_envs,
)

ROOT = Path(__file__).resolve().parents[2]
EXCERPT_NAME = "vercel-rest-api-openapi-excerpt.json"
EXCERPT_PLACES = (
    ROOT / "schemas" / "vendor" / EXCERPT_NAME,
    Path("/work/shared/reference/vercel") / EXCERPT_NAME,
)

PROJECT = "/v9/projects/{idOrName}"
ENV = "/v10/projects/{idOrName}/env"
CUSTOM_ENVS = "/v9/projects/{idOrName}/custom-environments"
LIST_DEPLOYMENTS = "/v6/deployments"
DEPLOYMENT = "/v13/deployments/{idOrUrl}"

# Branches of a top-level oneOf. The excerpt's oneOf alternatives overlap (none sets
# additionalProperties: false), so a real answer matches two of them and a strict oneOf
# rejects it: {envs, pagination} matches both "{envs, pagination}" and "{envs}", and a
# full deployment matches both "public and private" and "public only". We validate
# against the branch the fake claims to answer with.
ENV_ITEM, ENV_PAGINATED, ENV_LIST = 0, 1, 2
DEPLOYMENT_FULL, DEPLOYMENT_PUBLIC = 0, 1

ENDPOINTS = (
    "/v9/projects/meterr",
    "/v10/projects/meterr/env",
    "/v9/projects/meterr/custom-environments",
    "/v6/deployments?projectId=prj_meterr&target=production&limit=1",
    "/v13/deployments/{production}",
)


# --- OpenAPI 3.0 -> JSON Schema -------------------------------------------------------------

COMBINATORS = ("oneOf", "anyOf", "allOf")
OPENAPI_ONLY = {"nullable", "example", "deprecated", "discriminator", "xml", "externalDocs"}
COMPONENTS = "#/components/schemas/"


def to_json_schema(node: Any) -> Any:
    """One OpenAPI 3.0 schema as JSON Schema draft 7.

    `nullable: true` adds "null" to `type` (and None to `enum`), or, beside oneOf/anyOf/
    allOf or without a type, wraps the schema as anyOf [{"type": "null"}, schema]. A $ref
    to #/components/schemas/X becomes #/definitions/X. OpenAPI-only keywords are dropped.
    """
    if isinstance(node, list):
        return [to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith(COMPONENTS), ref
        return {"$ref": "#/definitions/" + ref[len(COMPONENTS) :]}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in OPENAPI_ONLY or key.startswith("x-"):
            continue
        if key == "properties":
            out[key] = {name: to_json_schema(schema) for name, schema in value.items()}
        elif key in COMBINATORS and not value:
            out["not"] = {}  # the excerpt has `oneOf: []` (an empty TS tuple): nothing matches
        elif key in ("items", "additionalProperties", "not") or key in COMBINATORS:
            out[key] = to_json_schema(value)
        else:
            out[key] = value
    if node.get("nullable") is True:
        if "type" in out and not any(c in out for c in COMBINATORS):
            out["type"] = [out["type"], "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [{"type": "null"}, out]}
    return out


@cache
def openapi() -> dict[str, Any]:
    """The excerpt, or a skip (a failure under CI=true) when it cannot be found."""
    places = [Path(p) for p in [os.environ.get("METERR_VERCEL_OPENAPI")] if p]
    for place in [*places, *EXCERPT_PLACES]:
        if place.is_file():
            spec: dict[str, Any] = json.loads(place.read_text(encoding="utf-8"))
            return spec
    message = f"{EXCERPT_NAME} not found (set METERR_VERCEL_OPENAPI)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@cache
def response_schema(path: str, branch: int | None = None, status: str = "200") -> dict[str, Any]:
    """The JSON Schema of the GET answer of `path` (one branch of a top-level oneOf)."""
    spec = openapi()
    schema = spec["paths"][path]["get"]["responses"][status]["content"]["application/json"]
    schema = schema["schema"]
    if branch is not None:
        schema = schema["oneOf"][branch]
    converted: dict[str, Any] = to_json_schema(schema)
    components = spec.get("components", {}).get("schemas", {})
    converted["definitions"] = {name: to_json_schema(s) for name, s in components.items()}
    Draft7Validator.check_schema(converted)
    return converted


@cache
def validator_for(path: str, branch: int | None = None) -> Draft7Validator:
    return Draft7Validator(response_schema(path, branch))


def schema_errors(body: Any, path: str, branch: int | None = None) -> list[str]:
    validator = validator_for(path, branch)
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:300]}"
        for e in validator.iter_errors(body)
    ]


def assert_matches(body: Any, path: str, branch: int | None = None) -> None:
    errors = schema_errors(body, path, branch)
    assert not errors, "\n".join(errors)


# --- fixtures and helpers --------------------------------------------------------------------


@pytest.fixture
def api() -> Iterator[FakeVercel]:
    with FakeVercel() as fake:
        yield fake


def http(fake: FakeVercel, *, token: str | None = None, timeout: float = 5.0) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token or fake.token}"}
    # plain HTTP to 127.0.0.1: verify=False only skips loading the CA bundle (60 ms a client)
    return httpx.Client(base_url=fake.url, headers=headers, timeout=timeout, verify=False)


def endpoints(fake: FakeVercel) -> list[str]:
    production = fake.deployment("production")["id"]
    return [e.format(production=production) for e in ENDPOINTS]


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body


def all_pages(client: httpx.Client, project: str = "meterr") -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = []
    params: dict[str, Any] = {}
    while True:
        response = client.get(f"/v10/projects/{project}/env", params=params)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        cursor = pages[-1]["pagination"]["next"]
        if cursor is None:
            return pages
        params = {"until": cursor}


# --- every 200 answer matches the excerpt ---------------------------------------------------


def test_converter_handles_nullable_refs_and_enums() -> None:
    converted = to_json_schema(
        {
            "type": "object",
            "properties": {
                "a": {"type": "string", "nullable": True, "example": "x"},
                "b": {"type": "string", "enum": ["x"], "nullable": True},
                "c": {"nullable": True, "oneOf": [{"type": "number"}, {"type": "boolean"}]},
                "d": {"$ref": "#/components/schemas/Pagination"},
            },
        }
    )
    assert converted["properties"]["a"] == {"type": ["string", "null"]}
    assert converted["properties"]["b"] == {"type": ["string", "null"], "enum": ["x", None]}
    assert converted["properties"]["c"]["anyOf"][0] == {"type": "null"}
    assert converted["properties"]["d"] == {"$ref": "#/definitions/Pagination"}


def test_project_matches_schema(api: FakeVercel) -> None:
    with http(api) as client:
        by_name = client.get("/v9/projects/meterr").json()
        by_id = client.get("/v9/projects/prj_meterr").json()
    assert by_name == by_id
    assert_matches(by_name, PROJECT)
    assert by_name["framework"] == "nextjs"
    assert by_name["resourceConfig"]["functionDefaultRegions"] == ["iad1", "sfo1"]
    assert by_name["resourceConfig"]["functionDefaultTimeout"] == 300
    assert [c["slug"] for c in by_name["customEnvironments"]] == ["staging"]
    production = api.deployment("production")
    assert by_name["crons"]["deploymentId"] == production["id"]
    assert by_name["crons"]["definitions"] == [
        {"host": "meterr.vercel.app", "path": "/api/cron/cleanup", "schedule": "0 2 * * *"}
    ]


def test_env_pages_match_schema() -> None:
    with FakeVercel(page_size=10) as api, http(api) as client:
        pages = all_pages(client)
    assert len(pages) == 4
    for page in pages:
        assert_matches(page, ENV, ENV_PAGINATED)
        for item in page["envs"]:
            assert_matches(item, ENV, ENV_ITEM)


def test_custom_environments_match_schema(api: FakeVercel) -> None:
    with http(api) as client:
        body = client.get("/v9/projects/meterr/custom-environments").json()
    assert_matches(body, CUSTOM_ENVS)
    assert body["accountLimit"] == {"total": 12}
    [staging] = body["environments"]
    assert (staging["id"], staging["slug"], staging["type"]) == (
        "env_staging",
        "staging",
        "preview",
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"target": "production"}, ["production"]),
        ({"target": "staging"}, ["staging"]),
        ({"target": "env_staging"}, ["staging"]),
        ({"target": "preview"}, []),
        ({}, ["staging", "production"]),
        ({"limit": "1"}, ["staging"]),
    ],
)
def test_deployment_list_matches_schema(
    api: FakeVercel, query: dict[str, str], expected: list[str]
) -> None:
    with http(api) as client:
        response = client.get("/v6/deployments", params={"projectId": "prj_meterr", **query})
    body = response.json()
    assert_matches(body, LIST_DEPLOYMENTS)
    uids = [d["uid"] for d in body["deployments"]]
    assert uids == [api.deployment(t)["id"] for t in expected]
    created = [d["created"] for d in body["deployments"]]
    assert created == sorted(created, reverse=True)
    assert body["pagination"]["count"] == len(uids)
    more = query == {"limit": "1"}
    assert body["pagination"]["next"] == (created[-1] if more else None)


def test_deployment_list_marks_targets(api: FakeVercel) -> None:
    with http(api) as client:
        production = client.get("/v6/deployments", params={"target": "production"}).json()
        staging = client.get("/v6/deployments", params={"target": "staging"}).json()
    assert production["deployments"][0]["target"] == "production"
    assert staging["deployments"][0]["target"] is None  # the excerpt allows production|staging
    assert staging["deployments"][0]["customEnvironment"] == {
        "id": "env_staging",
        "slug": "staging",
    }


@pytest.mark.parametrize("target", ["production", "staging"])
def test_deployment_matches_schema(api: FakeVercel, target: str) -> None:
    expected = sample_deployments()[target]
    with http(api) as client:
        [listed] = client.get("/v6/deployments", params={"target": target}).json()["deployments"]
        by_uid = client.get(f"/v13/deployments/{listed['uid']}").json()
        by_url = client.get(f"/v13/deployments/{listed['url']}").json()
    assert by_uid == by_url
    assert_matches(by_uid, DEPLOYMENT, DEPLOYMENT_FULL)
    assert by_uid["readyState"] == "READY"
    assert by_uid["target"] == ("production" if target == "production" else None)
    for key in ("crons", "regions", "functions"):
        assert by_uid[key] == expected[key]
    if target == "staging":
        assert by_uid["customEnvironment"] == {"id": "env_staging"}


@pytest.mark.parametrize(
    ("path", "branches", "fetch"),
    [
        (ENV, (ENV_PAGINATED, ENV_LIST), "/v10/projects/meterr/env"),
        (DEPLOYMENT, (DEPLOYMENT_FULL, DEPLOYMENT_PUBLIC), "/v13/deployments/{production}"),
    ],
)
def test_excerpt_top_level_oneof_is_ambiguous(
    api: FakeVercel, path: str, branches: tuple[int, int], fetch: str
) -> None:
    """Why the schema tests pick a branch: a real answer matches two of them."""
    with http(api) as client:
        body = client.get(fetch.format(production=api.deployment("production")["id"])).json()
    for branch in branches:
        assert_matches(body, path, branch)
    assert schema_errors(body, path), "a strict oneOf should reject a two-branch match"


def test_overrides_are_deep_merged_and_still_valid() -> None:
    overrides = {"framework": None, "resourceConfig": {"functionDefaultRegions": ["fra1"]}}
    with FakeVercel(project=overrides, deployments={}) as api, http(api) as client:
        project = client.get("/v9/projects/meterr").json()
        listing = client.get("/v6/deployments", params={"target": "production"}).json()
    assert_matches(project, PROJECT)
    assert project["framework"] is None
    assert project["resourceConfig"]["functionDefaultRegions"] == ["fra1"]
    assert project["resourceConfig"]["functionDefaultTimeout"] == 300
    assert project["crons"]["definitions"] == []
    assert project["crons"]["deploymentId"] is None
    assert listing["deployments"] == []


def test_deployment_fields_override_defaults() -> None:
    fields = {"preview": {"regions": ["cdg1"], "crons": [], "readyState": "ERROR"}}
    with FakeVercel(deployments=fields) as api, http(api) as client:
        [listed] = client.get("/v6/deployments", params={"target": "preview"}).json()["deployments"]
        full = client.get(f"/v13/deployments/{listed['uid']}").json()
        project = client.get("/v9/projects/meterr").json()
    assert (full["regions"], full["readyState"], listed["readyState"]) == (
        ["cdg1"],
        "ERROR",
        "ERROR",
    )
    assert full["target"] is None
    assert project["crons"]["definitions"] == []  # no production deployment
    assert_matches(full, DEPLOYMENT, DEPLOYMENT_FULL)


# --- pagination ------------------------------------------------------------------------------


@pytest.mark.parametrize("page_size", [1, 4, 33, 34, 35, 100])
def test_pagination_returns_every_item_once(page_size: int) -> None:
    expected = sample_envs()
    with FakeVercel(page_size=page_size) as api, http(api) as client:
        pages = all_pages(client)
    assert len(pages) == math.ceil(len(expected) / page_size)
    assert len(api.requests) == len(pages)
    ids = [item["id"] for page in pages for item in page["envs"]]
    assert sorted(ids) == sorted(e["id"] for e in expected)
    assert len(set(ids)) == len(ids)
    created = [item["createdAt"] for page in pages for item in page["envs"]]
    assert created == sorted(created, reverse=True)  # newest first, a stable order
    for number, (page, request) in enumerate(zip(pages, api.requests, strict=True)):
        assert page["pagination"]["count"] == len(page["envs"])
        last = number == len(pages) - 1
        assert page["pagination"]["next"] == (None if last else page["envs"][-1]["createdAt"])
        if number == 0:
            assert "until" not in request.query
        else:
            until = pages[number - 1]["pagination"]["next"]
            assert request.query["until"] == str(until)
            assert all(item["createdAt"] < until for item in page["envs"])


def test_until_returns_only_older_items(api: FakeVercel) -> None:
    cursor = sorted(e["createdAt"] for e in sample_envs())[10]
    with http(api) as client:
        page = client.get("/v10/projects/meterr/env", params={"until": cursor}).json()
        oldest = client.get("/v10/projects/meterr/env", params={"until": 1}).json()
        bad = client.get("/v10/projects/meterr/env", params={"until": "soon"})
    assert [e["createdAt"] for e in page["envs"]] == sorted(
        (e["createdAt"] for e in sample_envs() if e["createdAt"] < cursor), reverse=True
    )
    assert oldest == {"envs": [], "pagination": {"count": 0, "next": None, "prev": None}}
    assert_error(bad, 400, "bad_request")


def test_limit_asks_for_smaller_pages(api: FakeVercel) -> None:
    """`limit` (the Vercel CLI sends 100) caps a page below the fake's page_size."""
    with http(api) as client:
        small = client.get("/v10/projects/meterr/env", params={"limit": 3}).json()
        large = client.get("/v10/projects/meterr/env", params={"limit": 1000}).json()
        zero = client.get("/v10/projects/meterr/env", params={"limit": 0})
        word = client.get("/v10/projects/meterr/env", params={"limit": "many"})
    assert len(small["envs"]) == 3 and small["pagination"]["next"] is not None
    assert len(large["envs"]) == len(sample_envs()) and large["pagination"]["next"] is None
    assert_error(zero, 400, "bad_request")
    assert_error(word, 400, "bad_request")


def test_no_variables_is_one_empty_page() -> None:
    with FakeVercel(envs=[]) as api, http(api) as client:
        pages = all_pages(client)
    assert pages == [{"envs": [], "pagination": {"count": 0, "next": None, "prev": None}}]
    assert_matches(pages[0], ENV, ENV_PAGINATED)


def test_env_items_come_back_as_given() -> None:
    items = sample_envs()[:3]
    with FakeVercel(envs=items) as api, http(api) as client:
        [page] = all_pages(client)
    assert page["envs"] == list(reversed(items))


def test_createdat_must_be_a_unique_number() -> None:
    twins = sample_envs()[:2]
    twins[1]["createdAt"] = twins[0]["createdAt"]
    with pytest.raises(ValueError, match="share createdAt"):
        FakeVercel(envs=twins)
    missing = sample_envs()[:1]
    del missing[0]["createdAt"]
    with pytest.raises(ValueError, match="numeric createdAt"):
        FakeVercel(envs=missing)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown mode"):
        FakeVercel(mode="flaky")
    with pytest.raises(ValueError, match="not one of"):
        FakeVercel(deployments={"prod": {}})
    with pytest.raises(ValueError, match="page_size"):
        FakeVercel(page_size=0)


# --- authentication and errors ---------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", f"Basic {DEFAULT_TOKEN}", "Bearer", DEFAULT_TOKEN],
)
def test_every_endpoint_needs_the_bearer_token(api: FakeVercel, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    with httpx.Client(base_url=api.url, headers=headers, timeout=5, verify=False) as client:
        for endpoint in endpoints(api):
            body = assert_error(client.get(endpoint), 403, "forbidden")
            assert body == FORBIDDEN
    assert [r.authorization for r in api.requests] == [authorization] * len(ENDPOINTS)


def test_bearer_scheme_is_case_insensitive(api: FakeVercel) -> None:
    headers = {"Authorization": f"bearer {api.token}"}
    with httpx.Client(base_url=api.url, headers=headers, timeout=5, verify=False) as client:
        assert client.get("/v9/projects/meterr").status_code == 200


def test_token_can_be_chosen() -> None:
    with FakeVercel(token="tok_other") as api, http(api) as client:
        assert api.token == "tok_other"
        assert client.get("/v9/projects/meterr").status_code == 200
    with FakeVercel(token="tok_other") as api, http(api, token=DEFAULT_TOKEN) as client:
        assert client.get("/v9/projects/meterr").status_code == 403


@pytest.mark.parametrize(
    "endpoint",
    [
        "/v9/projects/nope",
        "/v9/projects/prj_nope",
        "/v10/projects/nope/env",
        "/v9/projects/nope/custom-environments",
        "/v6/deployments?projectId=nope",
    ],
)
def test_unknown_project_is_404(api: FakeVercel, endpoint: str) -> None:
    with http(api) as client:
        assert assert_error(client.get(endpoint), 404, "not_found") == PROJECT_NOT_FOUND


def test_unknown_deployment_path_and_method(api: FakeVercel) -> None:
    with http(api) as client:
        assert_error(client.get("/v13/deployments/dpl_nope"), 404, "not_found")
        assert_error(client.get("/v1/nothing"), 404, "not_found")
        assert_error(client.post("/v10/projects/meterr/env", json={}), 400, "bad_request")
        assert_error(client.put("/v10/projects/meterr/env", json={}), 405, "method_not_allowed")


def test_team_id_is_accepted_and_recorded(api: FakeVercel) -> None:
    with http(api) as client:
        for endpoint in endpoints(api):
            separator = "&" if "?" in endpoint else "?"
            response = client.get(f"{endpoint}{separator}teamId=team_abc")
            assert response.status_code == 200, endpoint
    assert all(r.query.get("teamId") == "team_abc" for r in api.requests)
    assert api.requests[3] == Recorded(
        "GET",
        "/v6/deployments",
        {"projectId": "prj_meterr", "target": "production", "limit": "1", "teamId": "team_abc"},
        f"Bearer {api.token}",
    )
    with pytest.raises(FrozenInstanceError):
        # The assignment the type checker refuses too, made on purpose: it must raise.
        api.requests[0].path = "/elsewhere"  # type: ignore[misc]


# --- modes -----------------------------------------------------------------------------------


def test_mode_429_once_per_path() -> None:
    with FakeVercel(mode="429", page_size=20) as api, http(api) as client:
        first = client.get("/v9/projects/meterr")
        second = client.get("/v9/projects/meterr")
        env_first = client.get("/v10/projects/meterr/env")
        env_second = client.get("/v10/projects/meterr/env")
        next_page = client.get(
            "/v10/projects/meterr/env", params={"until": env_second.json()["pagination"]["next"]}
        )
    assert_error(first, 429, "rate_limited")
    assert first.headers["Retry-After"] == "1"
    assert first.headers["X-RateLimit-Remaining"] == "0"
    assert second.status_code == 200
    assert_matches(second.json(), PROJECT)
    assert_error(env_first, 429, "rate_limited")
    assert (env_second.status_code, next_page.status_code) == (200, 200)
    assert len(api.requests) == 5


def test_mode_500_once_per_path() -> None:
    with FakeVercel(mode="500-once") as api, http(api) as client:
        answers = [client.get(e).status_code for e in endpoints(api) for _ in range(2)]
    assert answers == [500, 200] * len(ENDPOINTS)


def test_mode_500_body_has_the_error_shape() -> None:
    with FakeVercel(mode="500-once") as api, http(api) as client:
        assert_error(client.get("/v9/projects/meterr"), 500, "internal_server_error")


def test_mode_malformed() -> None:
    with FakeVercel(mode="malformed") as api, http(api) as client:
        for endpoint in endpoints(api):
            response = client.get(endpoint)
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("application/json")
            assert response.content == MALFORMED_BODY == b'{"envs": ['
            with pytest.raises(json.JSONDecodeError):
                response.json()


def test_mode_401() -> None:
    with FakeVercel(mode="401") as api, http(api) as client:
        for endpoint in endpoints(api):
            assert assert_error(client.get(endpoint), 401, "forbidden") == UNAUTHENTICATED


def test_mode_slow_waits_three_seconds() -> None:
    """Each request waits SLOW_SECONDS (3 s) before its normal answer. The wait is the
    fake's injectable one, so the delay asked for is seen without sitting through it."""
    waits: list[float] = []

    def wait(stopping: threading.Event, seconds: float) -> bool:
        waits.append(seconds)
        return False  # the time passed; the fake is not stopping

    with FakeVercel(mode="slow", wait=wait) as api, http(api) as client:
        first = client.get("/v9/projects/meterr")
        second = client.get("/v10/projects/meterr/env")
    assert waits == [SLOW_SECONDS, SLOW_SECONDS] == [3.0, 3.0]
    assert (first.status_code, second.status_code) == (200, 200)
    assert_matches(first.json(), PROJECT)
    assert api.paths() == ["/v9/projects/meterr", "/v10/projects/meterr/env"]


def test_mode_slow_times_a_client_out_and_stops_promptly() -> None:
    """A client that will not wait 3 s times out; stop() then wakes the handler still
    waiting, rather than leaving it to sit out its delay. The wait below is the default
    one made twenty times longer, so only stop() can have ended it."""
    woken: list[bool] = []

    def wait(stopping: threading.Event, seconds: float) -> bool:
        stopped = stopping.wait(20 * seconds)
        woken.append(stopped)
        return stopped

    api = FakeVercel(mode="slow", wait=wait).start()
    with http(api, timeout=0.3) as client, pytest.raises(httpx.ReadTimeout):
        client.get("/v9/projects/meterr")
    assert woken == []  # still waiting
    api.stop()  # returns once every request thread has ended
    assert woken == [True]


def test_mode_slow_without_a_wait_given_delays_for_real() -> None:
    """The default wait really waits: a client allowing 0.3 s gets no answer."""
    with (
        FakeVercel(mode="slow") as api,
        http(api, timeout=0.3) as client,
        pytest.raises(httpx.ReadTimeout),
    ):
        client.get("/v9/projects/meterr")
    assert api.paths() == ["/v9/projects/meterr"]


# --- the server itself -----------------------------------------------------------------------


def test_url_binds_localhost_and_stop_frees_it() -> None:
    api = FakeVercel()
    with pytest.raises(RuntimeError):
        _ = api.url
    with api:
        url = api.url
        assert url.startswith("http://127.0.0.1:") and int(url.rsplit(":", 1)[1]) > 0
        thread = api._thread
        with http(api) as client:  # a keep-alive connection left open on purpose
            assert client.get("/v9/projects/meterr").status_code == 200
            api.stop()
            assert thread is not None and not thread.is_alive()
            with pytest.raises(httpx.TransportError):
                client.get("/v9/projects/meterr")
    api.stop()  # twice is harmless


def test_requests_are_recorded_from_many_threads(api: FakeVercel) -> None:
    def hammer() -> None:
        with http(api) as client:
            for _ in range(10):
                assert client.get("/v9/projects/meterr").status_code == 200

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(api.requests) == 80
    assert api.paths() == ["/v9/projects/meterr"] * 80


def test_never_prints(capfd: pytest.CaptureFixture[str]) -> None:
    with FakeVercel(mode="429") as api, http(api) as client:
        for endpoint in [*endpoints(api), "/v1/nothing", "/v9/projects/nope"]:
            client.get(endpoint)
            client.get(endpoint)
        client.post("/v9/projects/meterr", content=b"{}")
        with httpx.Client(base_url=api.url, timeout=5, verify=False) as anonymous:
            anonymous.get("/v9/projects/meterr")
    assert capfd.readouterr() == ("", "")


# --- the sample data -------------------------------------------------------------------------


def _in(item: dict[str, Any], target: str) -> bool:
    targets = item["target"]
    targets = [targets] if isinstance(targets, str) else targets
    custom = target == "staging" and "env_staging" in item["customEnvironmentIds"]
    return (target in targets or custom) and "gitBranch" not in item


def _view(target: str) -> dict[str, dict[str, Any]]:
    view: dict[str, dict[str, Any]] = {}
    for item in sample_envs():
        if _in(item, target):
            assert item["key"] not in view, (target, item["key"])
            view[item["key"]] = item
    return view


def test_sample_envs_per_target() -> None:
    flags = {
        "FEATURE_NEW_DASHBOARD",
        "FEATURE_SMART_ROUTING_V2",
        "FEATURE_BETA_FEATURES",
        "MAINTENANCE_MODE",
        "ROLLBACK_MODE",
    }
    production, staging, development = _view("production"), _view("staging"), _view("development")
    assert (
        set(production) == set(staging) == {"NODE_ENV", "NEXT_PUBLIC_API_URL", *SECRET_KEYS} | flags
    )
    assert production["NEXT_PUBLIC_API_URL"]["value"] == "https://api.meterr.ai"
    assert staging["NEXT_PUBLIC_API_URL"]["value"] == "https://api.staging.meterr.ai"
    assert staging["NEXT_PUBLIC_API_URL"]["target"] == []
    assert staging["NEXT_PUBLIC_API_URL"]["customEnvironmentIds"] == ["env_staging"]
    for key in SECRET_KEYS:
        assert (production[key]["type"], production[key]["value"]) == ("sensitive", "")
        assert (staging[key]["type"], staging[key]["value"]) == ("sensitive", "")
    assert {k: production[k]["value"] for k in flags} == dict.fromkeys(flags, "false")
    assert staging["FEATURE_NEW_DASHBOARD"]["value"] == "true"
    assert development["NODE_ENV"]["target"] == "development"  # the string form
    assert development["DATABASE_URL"]["type"] == "plain"
    assert all(item["type"] != "sensitive" for item in development.values())
    assert all(item["type"] == "plain" for item in production.values() if item["key"] in flags)


def test_sample_envs_match_the_item_schema() -> None:
    items = sample_envs()
    for item in items:
        assert_matches(item, ENV, ENV_ITEM)
    assert len({e["createdAt"] for e in items}) == len(items)
    assert sample_envs() == items  # deterministic
    assert any("gitBranch" in e for e in items)


def test_sample_deployments() -> None:
    production = sample_deployments()["production"]
    assert production == {
        "crons": [{"path": "/api/cron/cleanup", "schedule": "0 2 * * *"}],
        "regions": ["iad1", "sfo1"],
        "functions": {"app/api/**/*.ts": {"maxDuration": 30}},
    }

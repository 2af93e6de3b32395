"""Issue 16, point 3 and the network sources' credential leaks: every read of a server is
bounded (pages, requests, seconds, decoded bytes), each bound a one-line error naming it,
and no URL credential or token reaches any output.

The servers are real, on 127.0.0.1 (tests/fuzzing/servers.py). The bounds are patched
down (limits is read at call time), so a drip or an endless body ends in well under a
second; each hostile server also gives up after a while (a finite drip, a finite tail, an
answer of 400 after many pages) so that the build these tests failed on ends too.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from meterr_config import limits, redact
from meterr_config.errors import InputError
from meterr_config.snapshot import Snapshot
from meterr_config.sources.url import url_snapshots
from tests.conftest import Result, Runner
from tests.fuzzing.servers import (
    JSON,
    Behaviour,
    HostileServer,
    Request,
    Twist,
    gzip_bomb,
    hostile_api,
    on_path,
    reshape,
)

TOKEN = "tok_hostile_9Qx7Lm2Vb8Rt4Kw6"
PASSWORD = "pw_Zr8Kq2Lx9Vm4Tn7Bc3"
BYPASS = "Bp4Xk9Lm2Qr7Vt8Zn3Wc6Hd1"
FRAGMENT = "Fr9Tq3Wx7Kp2Ly8Mz4Nb6Vc"
FORMATS = ("text", "json", "sarif", "github", "markdown")
PROJECT = "/v9/projects/meterr"
ENV = "/v10/projects/meterr/env"
GIVE_UP = 300  # requests after which a paging server answers 400: the old build's end


def _env(server: HostileServer, **extra: str) -> dict[str, str]:
    return {**os.environ, "VERCEL_TOKEN": TOKEN, "VERCEL_API_URL": server.url, **extra}


def _diff(cli: Runner, server: HostileServer, *extra: str) -> Result:
    result = cli("diff", "env:production", "vercel:meterr@production", *extra, env=_env(server))
    assert TOKEN not in result.out + result.err
    return result


def _error(message: str) -> str:
    return f"meterr-config: error: {message}\n"


def _env_requests(server: HostileServer) -> list[Request]:
    return [r for r in server.requests if r.path == ENV]


def _pages(cursor: Any) -> Twist:
    """Env pages whose `pagination.next` is `cursor(n)` for the n-th page (from 0), and
    a 400 after GIVE_UP requests."""
    count = iter(range(10**9))

    def change(body: dict[str, Any]) -> Any:
        number = next(count)
        if number >= GIVE_UP:
            return {"error": {"code": "bad_request", "message": "enough"}}
        body["pagination"]["next"] = cursor(number)
        return body

    return reshape(ENV, change)


# --- per run: pages, cursors, requests, limit ---------------------------------------------------


def test_a_cursor_that_never_advances_is_refused_at_the_second_page(cli: Runner) -> None:
    with hostile_api(_pages(lambda n: 1_730_000_000_000), TOKEN) as server:
        result = _diff(cli, server)
    assert (result.code, result.err) == (
        2,
        _error(
            f"vercel: GET {ENV}: pagination.next does not advance "
            "(each page's cursor must be older than the one before)"
        ),
    )
    assert len(_env_requests(server)) == 2


def test_a_cursor_that_goes_forward_is_refused(cli: Runner) -> None:
    with hostile_api(_pages(lambda n: 1_730_000_000_000 + n), TOKEN) as server:
        result = _diff(cli, server)
    assert result.code == 2 and "pagination.next does not advance" in result.err
    assert len(_env_requests(server)) == 2


def test_a_listing_is_read_for_at_most_max_pages(
    cli: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_PAGES", 7)
    with hostile_api(_pages(lambda n: 1_730_000_000_000 - n), TOKEN) as server:
        result = _diff(cli, server)
    assert (result.code, result.err) == (
        2,
        _error(f"vercel: GET {ENV}: more than 7 pages (MAX_PAGES)"),
    )
    assert len(_env_requests(server)) == 7


def test_listings_send_a_limit(cli: Runner) -> None:
    with hostile_api(None, TOKEN) as server:
        result = _diff(cli, server)
    assert result.code in (0, 1)
    assert [r.query.get("limit") for r in _env_requests(server)] == ["100"]


def test_requests_are_counted_retries_included(
    cli: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_REQUESTS", 3)
    busy = Behaviour(status=503, body=b"{}")
    with hostile_api(on_path(ENV, busy), TOKEN) as server:
        result = _diff(cli, server)
    assert (result.code, result.err) == (
        2,
        _error("vercel: more than 3 requests to servers in one run (MAX_REQUESTS)"),
    )
    assert len(server.requests) == 3


def test_no_request_starts_once_the_run_has_gone_on_too_long(
    cli: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server slow just inside every per-request bound, page after page, would hold a
    run for an hour: past RUN_SECONDS (0 here) no request starts, retries included."""
    monkeypatch.setattr(limits, "RUN_SECONDS", 0.0)
    with hostile_api(None, TOKEN) as server:
        result = _diff(cli, server)
    assert (result.code, result.err) == (
        2,
        _error("vercel: the run has gone on for 0 s, the most it waits for servers (RUN_SECONDS)"),
    )
    assert server.requests == []


def test_a_redirect_is_not_an_answer(cli: Runner) -> None:
    moved = Behaviour(status=302, headers=(*JSON, ("Location", "/v9/projects/other")))
    with hostile_api(on_path(PROJECT, moved), TOKEN) as server:
        result = _diff(cli, server)
    assert (result.code, result.err) == (
        2,
        _error(f"vercel: GET {PROJECT} was redirected (HTTP 302); the API does not redirect"),
    )
    assert [r.path for r in server.requests] == [PROJECT]


# --- per request: seconds and bytes ------------------------------------------------------------


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Bounds small enough for a test: half a second a request, 100 kB a body."""
    monkeypatch.setattr(limits, "REQUEST_SECONDS", 0.5)
    monkeypatch.setattr(limits, "READ_SECONDS", 5.0)
    monkeypatch.setattr(limits, "MAX_BODY_BYTES", 100_000)
    yield


@pytest.mark.usefixtures("fast")
def test_a_dripping_body_ends_at_the_deadline(cli: Runner) -> None:
    drip = Behaviour(body=b" " * 100 + b"{}", drip=0.05)  # 5 s in all, a byte each 50 ms
    with hostile_api(on_path(PROJECT, drip), TOKEN) as server:
        result = _diff(cli, server)
    assert (result.code, result.err) == (
        2,
        _error(f"vercel: GET {PROJECT} took longer than 0.5 s (REQUEST_SECONDS)"),
    )
    assert len(server.requests) == 1  # a deadline is not retried


@pytest.mark.usefixtures("fast")
def test_dripping_headers_end_at_the_deadline(cli: Runner) -> None:
    drip = Behaviour(drip_headers=100, drip=0.05)
    with hostile_api(on_path(PROJECT, drip), TOKEN) as server:
        result = _diff(cli, server)
    assert (result.code, result.err) == (
        2,
        _error(f"vercel: GET {PROJECT} took longer than 0.5 s (REQUEST_SECONDS)"),
    )


@pytest.mark.usefixtures("fast")
def test_an_endless_body_stops_at_the_cap(cli: Runner) -> None:
    endless = Behaviour(body=b'{"id": "', tail=20_000_000)
    with hostile_api(on_path(PROJECT, endless), TOKEN) as server:
        result = _diff(cli, server)
    assert (result.code, result.err) == (
        2,
        _error(f"vercel: the answer to GET {PROJECT} is larger than 100 kB (MAX_BODY_BYTES)"),
    )


@pytest.mark.usefixtures("fast")
def test_a_gzip_bomb_stops_at_the_cap_without_inflating(cli: Runner) -> None:
    """40 MB of zeros in 40 kB of gzip: read until the decoded bytes pass the cap, and
    never more than a slice of it inflated at once."""
    bomb = Behaviour(body=gzip_bomb(40), headers=(*JSON, ("Content-Encoding", "gzip")))
    with hostile_api(on_path(PROJECT, bomb), TOKEN) as server:
        tracemalloc.start()
        try:
            result = _diff(cli, server)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert (result.code, result.err) == (
        2,
        _error(f"vercel: the answer to GET {PROJECT} is larger than 100 kB (MAX_BODY_BYTES)"),
    )
    assert peak < 20_000_000  # the whole bomb is 40 MB


def _deflate(data: bytes) -> bytes:
    return zlib.compress(data)


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def _gzip_members(data: bytes) -> bytes:
    half = len(data) // 2
    return gzip.compress(data[:half]) + gzip.compress(data[half:])


@pytest.mark.parametrize(
    ("encoding", "pack"),
    [
        ("gzip", gzip.compress),
        ("gzip", _gzip_members),
        ("deflate", _deflate),
        ("deflate", _raw_deflate),
    ],
)
def test_compressed_answers_are_read(
    cli: Runner, encoding: str, pack: Callable[[bytes], bytes]
) -> None:
    """Bodies are inflated here, a slice at a time: the answers read as if plain."""

    def compress(request: Request, normal: Behaviour) -> Behaviour:
        headers = (*normal.headers, ("Content-Encoding", encoding))
        return Behaviour(status=normal.status, headers=headers, body=pack(normal.body))

    with hostile_api(compress, TOKEN) as server:
        packed = _diff(cli, server, "-f", "json")
    with hostile_api(None, TOKEN) as server:
        plain = _diff(cli, server, "-f", "json")
    assert (packed.code, packed.out) == (plain.code, plain.out)
    assert server.requests[0].headers["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize(("encoding", "body"), [("gzip", b"\x1f\x8bnot gzip"), ("br", b"{}")])
def test_a_body_not_in_the_encoding_asked_for_is_refused(
    cli: Runner, encoding: str, body: bytes
) -> None:
    headers = (*JSON, ("Content-Encoding", encoding))
    with hostile_api(on_path(PROJECT, Behaviour(headers=headers, body=body)), TOKEN) as server:
        result = _diff(cli, server)
    says = {
        "gzip": "is not valid gzip",
        "br": "is encoded in a way that was not asked for (only gzip and deflate are)",
    }[encoding]
    assert (result.code, result.err) == (
        2,
        _error(f"vercel: the answer to GET {PROJECT} {says}"),
    )


# --- error bodies that echo the token -------------------------------------------------------


def _echo(status: int, message: str) -> Twist:
    body = json.dumps({"error": {"code": "forbidden", "message": message}}).encode()
    return on_path(PROJECT, Behaviour(status=status, body=body))


ECHOES = {
    "the token": TOKEN,
    "the header": f"Authorization: Bearer {TOKEN} is not valid",
    "most of it": f"invalid token {TOKEN[:-3]}",
    "a key shape": "leaked sk_live_" + "a1B2c3D4e5F6g7H8i9J0k1L2",
}


@pytest.mark.parametrize("status", [400, 401, 403, 422])
@pytest.mark.parametrize("echo", list(ECHOES))
def test_an_error_body_that_echoes_the_token_shows_only_its_code(
    cli: Runner, status: int, echo: str
) -> None:
    with hostile_api(_echo(status, ECHOES[echo]), TOKEN) as server:
        for fmt in FORMATS:
            result = _diff(cli, server, "-f", fmt)
            assert TOKEN[:12] not in result.out + result.err
            assert "a1B2c3D4e5F6g7H8" not in result.out + result.err
            if status in (401, 403):
                said = (
                    f"vercel: the API refused GET {PROJECT} (HTTP {status}: forbidden): "
                    "check VERCEL_TOKEN and VERCEL_TEAM_ID"
                )
            else:
                said = f"vercel: GET {PROJECT}: HTTP {status}: forbidden"
            assert (result.code, result.err) == (2, _error(said))


@pytest.mark.parametrize("status", [401, 400])
def test_an_error_code_that_is_the_token_is_not_shown_either(cli: Runner, status: int) -> None:
    body = json.dumps({"error": {"code": TOKEN, "message": TOKEN}}).encode()
    with hostile_api(on_path(PROJECT, Behaviour(status=status, body=body)), TOKEN) as server:
        result = _diff(cli, server)
    said = {
        401: f"vercel: the API refused GET {PROJECT} (HTTP 401): "
        "check VERCEL_TOKEN and VERCEL_TEAM_ID",
        400: f"vercel: GET {PROJECT}: HTTP 400: request failed",
    }[status]
    assert (result.code, result.err) == (2, _error(said))


def test_a_harmless_error_message_is_still_shown(cli: Runner) -> None:
    with hostile_api(_echo(403, "You do not have access to this team"), TOKEN) as server:
        result = _diff(cli, server)
    assert result.err == _error(
        f"vercel: the API refused GET {PROJECT} (HTTP 403: You do not have access to this "
        "team): check VERCEL_TOKEN and VERCEL_TEAM_ID"
    )


# --- url: ---------------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _secret_url(base: str) -> str:
    host = base.removeprefix("http://")
    query = f"x-vercel-protection-bypass={BYPASS}&token=tok&region=production-eu"
    return f"url:http://ci:{PASSWORD}@{host}/?{query}#access_token={FRAGMENT}"


def _leaks(result: Result) -> list[str]:
    return [s for s in (PASSWORD, BYPASS, FRAGMENT) if s in result.out + result.err]


def test_url_credentials_are_not_in_the_cannot_reach_error(cli: Runner) -> None:
    port = _closed_port()
    for fmt in FORMATS:
        result = cli("diff", "env:production", _secret_url(f"http://127.0.0.1:{port}"), "-f", fmt)
        assert _leaks(result) == []
        assert (result.code, result.err) == (
            2,
            _error(f"cannot reach http://127.0.0.1:{port} (ConnectError)"),
        )


def _site(request: Request) -> Behaviour:
    return Behaviour(headers=(("Content-Type", "text/html"), ("X-Frame-Options", "DENY")))


def test_url_credentials_are_sent_but_never_shown(cli: Runner) -> None:
    """The source shows the URL as scheme://host:port/path and remembers the password
    and the bypass token, so the output boundary scrubs them where the command line
    itself is repeated (the diff's title names its two SOURCE arguments)."""
    with HostileServer(_site) as server:
        for fmt in FORMATS:
            result = cli("diff", "env:production", _secret_url(server.url), "-f", fmt)
            assert result.code == 1, result.err
            scrubbed = Result(result.code, redact.scrub(result.out), redact.scrub(result.err))
            assert _leaks(scrubbed) == [], fmt
        guide = Snapshot(name="guide", source="env")
        promised, served = url_snapshots(_secret_url(server.url)[4:], guide, "next")
    assert served.name == f"url:{server.url}"
    assert PASSWORD not in repr(served) + repr(promised) and BYPASS not in repr(served)
    basic = "Basic Y2k6cHdfWnI4S3EyTHg5Vm00VG43QmMz"  # ci:PASSWORD
    assert {r.headers.get("authorization") for r in server.requests} == {basic}
    assert {r.query.get("x-vercel-protection-bypass") for r in server.requests} == {BYPASS}
    assert {r.query.get("token") for r in server.requests} == {"tok"}


def test_url_credentials_are_remembered_for_the_scrubber() -> None:
    redact.forget_all()
    with pytest.raises(InputError):
        url_snapshots(
            _secret_url(f"http://127.0.0.1:{_closed_port()}")[4:],
            Snapshot(name="g", source="env"),
            "next",
        )
    text = f"{PASSWORD} {BYPASS} {FRAGMENT} production-eu"
    assert redact.scrub(text).endswith(" production-eu")  # not a credential: left alone
    assert [s for s in (PASSWORD, BYPASS, FRAGMENT) if s in redact.scrub(text)] == []


def test_url_reads_headers_only_of_an_endless_body(cli: Runner) -> None:
    def endless(request: Request) -> Behaviour:
        return Behaviour(headers=(("Content-Type", "text/html"),), body=b"<p>", tail=20_000_000)

    with HostileServer(endless) as server:
        tracemalloc.start()
        try:
            result = cli("diff", "env:production", f"url:{server.url}")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert result.code == 1, result.err
    assert peak < 10_000_000  # one body is 20 MB


def test_url_does_not_wait_for_a_dripping_body(cli: Runner) -> None:
    def drip(request: Request) -> Behaviour:
        return Behaviour(headers=(("Content-Type", "text/html"),), body=b" " * 20, drip=0.2)

    with HostileServer(drip) as server:
        result = cli("diff", "env:production", f"url:{server.url}")
    assert result.code == 1, result.err
    assert server.body_bytes <= 3 * len(server.requests)  # 20 each, when bodies are read


def test_url_dripping_headers_end_at_the_deadline(
    cli: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "REQUEST_SECONDS", 0.5)
    with HostileServer(lambda request: Behaviour(drip_headers=100, drip=0.05)) as server:
        result = cli("diff", "env:production", f"url:{server.url}")
    first = server.requests[0]
    assert (result.code, result.err) == (
        2,
        _error(f"url: {first.method} {first.path} took longer than 0.5 s (REQUEST_SECONDS)"),
    )

"""End to end: build production with the real Next.js, serve it, and request what the
model promises: the /api redirect, CORS for allowed and disallowed origins, and the
security headers. The server is started on 127.0.0.1 and stopped by its PID."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from meterr_config.load import Loader
from meterr_config.realtools.tools import QUIET_ENV, Tools
from meterr_config.realtools.vercelbuild import prepare
from meterr_config.render import render
from tests.conftest import ENVIRONMENTS, Runner

pytestmark = pytest.mark.realtool

SECURITY = {
    "content-security-policy": "frame-ancestors 'none'; object-src 'none'; base-uri 'self'",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "referrer-policy": "strict-origin-when-cross-origin",
    "strict-transport-security": "max-age=63072000; includeSubDomains; preload",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
}
CORS = {
    "access-control-allow-origin": "https://app.meterr.ai",
    "access-control-allow-methods": "GET, POST, PUT, DELETE, OPTIONS",
    "access-control-allow-headers": "Content-Type, Authorization",
    "access-control-max-age": "600",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(port: int, server: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"next start exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("next start did not listen within the deadline")


@pytest.fixture(scope="module")
def server(tools: Tools) -> Iterator[int]:
    """Build generated/production's config into a minimal app and serve it."""
    loaded = Loader(ENVIRONMENTS).load("production")
    env = {**os.environ, **QUIET_ENV}
    with tempfile.TemporaryDirectory(prefix=".meterr-e2e-", dir=tools.root) as folder:
        app = prepare(Path(folder), loaded, render(loaded), tools)
        next_bin = str(app / "node_modules" / ".bin" / "next")
        build = subprocess.run(
            [next_bin, "build"], cwd=app, env=env, capture_output=True, text=True, timeout=600
        )
        assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
        port = _free_port()
        proc = subprocess.Popen(
            [next_bin, "start", "-H", "127.0.0.1", "-p", str(port)],
            cwd=app,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            _wait_until_up(port, proc, time.monotonic() + 60)
            yield port
        finally:
            # next start forks next-server: stop the whole process group by the leader's PID.
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def _get(port: int, path: str, origin: str | None = None) -> http.client.HTTPResponse:
    """One GET that does not follow redirects."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Origin": origin} if origin else {})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def _vary(response: http.client.HTTPResponse) -> list[str]:
    return [token.strip().lower() for token in (response.getheader("vary") or "").split(",")]


def test_api_redirects_to_health(server: int) -> None:
    response = _get(server, "/api")
    assert response.status == 307
    assert response.getheader("location") == "/api/health"


def test_allowed_origin_is_echoed_with_vary(server: int) -> None:
    response = _get(server, "/api/health", origin="https://app.meterr.ai")
    assert response.status == 200
    for name, value in CORS.items():
        assert response.getheader(name) == value, name
    assert "origin" in _vary(response)
    assert response.getheader("access-control-allow-credentials") is None


@pytest.mark.parametrize(
    "origin",
    ["https://evil.example", "https://appXmeterr.ai", "https://app.meterr.ai.evil.example", "null"],
)
def test_disallowed_origin_gets_no_cors_headers(server: int, origin: str) -> None:
    response = _get(server, "/api/health", origin=origin)
    assert response.status == 200
    for name in CORS:
        assert response.getheader(name) is None, name
    assert "origin" in _vary(response)


def test_security_headers_on_the_home_page(server: int) -> None:
    response = _get(server, "/")
    assert response.status == 200
    for name, value in SECURITY.items():
        assert response.getheader(name) == value, name
    assert response.getheader("x-powered-by") is None


def test_url_source_matches_what_the_config_promises(server: int, cli: Runner) -> None:
    url = f"url:http://127.0.0.1:{server}"
    result = cli("diff", "env:production", url, "--served-by", "next", "--format", "json")
    assert (result.code, json.loads(result.out)["changes"]) == (0, [])


def test_url_source_reports_a_declared_header_the_server_does_not_send(
    server: int, cli: Runner, workdir: Path
) -> None:
    path = workdir / "environments" / "production.toml"
    path.write_text(path.read_text() + '\n[security.headers]\n"X-Extra-Header" = "1"\n')
    url = f"url:http://127.0.0.1:{server}"
    result = cli("diff", "env:production", url, "--served-by", "next", "--format", "json")
    assert result.code == 1
    changes = json.loads(result.out)["changes"]
    assert {(c["kind"], c["path"][2], c["old"]) for c in changes} == {
        ("removed", "x-extra-header", "1")
    }
    probed = {c["path"][1] for c in changes}
    assert {
        "GET /",
        "GET /api/health",
        "OPTIONS /api/health Origin: https://app.meterr.ai",
    } <= probed

"""Hostile HTTP servers on 127.0.0.1, and hypothesis strategies for how they misbehave.

`HostileServer` answers each request with a `Behaviour` chosen by a function of the
request: any status and headers, a body sent at once, gzip'd, dripped a byte at a time,
or endless; headers dripped too. `vercel(fake, twist)` puts it in front of the fake Vercel
API (tests/live/vercel_server.py), so a test can garble one endpoint of an otherwise
normal API. The strategies draw such behaviours (slow, endless, compressed, malformed
JSON shapes, bad cursors, odd statuses) for tests/hostile/test_fuzz_servers.py.

Each answer closes its connection (`Connection: close`), so a client that stops reading
ends it; the server counts the body bytes it managed to send.
"""

from __future__ import annotations

import contextlib
import copy
import gzip
import json
import re
import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from hypothesis import strategies as st

from tests.live.vercel_server import FakeVercel

JSON = (("Content-Type", "application/json; charset=utf-8"),)
ENDLESS = 10**15  # bytes: more than any client reads
_REASONS = {200: "OK", 301: "Moved", 302: "Found", 400: "Bad Request", 401: "Unauthorized"}


@dataclass(frozen=True)
class Request:
    """One request the server received (header names lower-cased)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass(frozen=True)
class Behaviour:
    """How one request is answered.

    - drip: seconds between the body's bytes (0: all at once);
    - drip_headers: the status line goes out, then this many header bytes, one per
      `drip` seconds (0.05 s when `drip` is 0), then the connection closes;
    - tail: after `body`, this many zeros (and no Content-Length: read until close);
      ENDLESS for a body that ends only when the client hangs up;
    - gzip: `body` is gzip'd and sent with Content-Encoding: gzip.

    A finite tail or header drip is a hang guard: a client without the bound under test
    still ends (with some other result), so the test fails instead of hanging.
    """

    status: int = 200
    headers: tuple[tuple[str, str], ...] = JSON
    body: bytes = b"{}"
    drip: float = 0.0
    drip_headers: int = 0
    tail: int = 0
    gzip: bool = False

    def head(self, length: int | None) -> bytes:
        lines = [f"HTTP/1.1 {self.status} {_REASONS.get(self.status, 'Status')}"]
        lines += [f"{name}: {value}" for name, value in self.headers]
        if self.gzip:
            lines.append("Content-Encoding: gzip")
        if length is not None:
            lines.append(f"Content-Length: {length}")
        lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


Answerer = Callable[[Request], Behaviour]


@cache
def gzip_bomb(megabytes: int) -> bytes:
    """`megabytes` MB of zeros, gzip'd (about 1 KB a MB)."""
    return gzip.compress(b"\0" * (megabytes * 1_000_000), compresslevel=9)


@dataclass
class _Counters:
    requests: list[Request] = field(default_factory=list)
    body_bytes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class HostileServer:
    """A threaded HTTP/1.1 server on a free port of 127.0.0.1 that answers as told.

    Attributes: ``url``, ``requests`` (every request, in order) and ``body_bytes`` (body
    bytes written to clients, in all)."""

    def __init__(self, answer: Answerer) -> None:
        self.answer = answer
        self.stopping = threading.Event()
        self._counters = _Counters()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "use HostileServer as a context manager"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def requests(self) -> list[Request]:
        with self._counters.lock:
            return list(self._counters.requests)

    @property
    def body_bytes(self) -> int:
        with self._counters.lock:
            return self._counters.body_bytes

    def __enter__(self) -> HostileServer:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.hostile = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.close_connections()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def record(self, request: Request) -> None:
        with self._counters.lock:
            self._counters.requests.append(request)

    def sent(self, count: int) -> None:
        with self._counters.lock:
            self._counters.body_bytes += count

    def serve(self, conn: socket.socket, behaviour: Behaviour) -> None:
        """Write one answer as `behaviour` says, until done, refused or stopping."""
        body = gzip.compress(behaviour.body) if behaviour.gzip else behaviour.body
        head = behaviour.head(None if behaviour.tail or behaviour.drip_headers else len(body))
        if behaviour.drip_headers:
            conn.sendall(head.split(b"\r\n", 1)[0] + b"\r\nX-Drip: ")
            for _ in range(behaviour.drip_headers):
                if self.stopping.wait(behaviour.drip or 0.05):
                    return
                conn.sendall(b"a")
            return
        conn.sendall(head)
        self._write(conn, body, behaviour.drip)
        left = behaviour.tail
        while left > 0 and not self.stopping.is_set():
            piece = min(left, 1 if behaviour.drip else 65_536)
            self._write(conn, b"\0" * piece, behaviour.drip)
            left -= piece

    def _write(self, conn: socket.socket, data: bytes, drip: float) -> None:
        if not drip:
            conn.sendall(data)
            self.sent(len(data))
            return
        for index in range(len(data)):
            if self.stopping.wait(drip):
                return
            conn.sendall(data[index : index + 1])
            self.sent(1)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    hostile: HostileServer

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self.connections_lock:
            connections = list(self.connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Silence: a client hanging up mid-answer is what these servers are for."""


class _Handler(socketserver.BaseRequestHandler):
    server: _Server
    request: socket.socket

    def handle(self) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.request.recv(65_536)
            if not chunk:
                return
            data += chunk
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        method, target, _ = head[0].split(" ", 2)
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        parts = urlsplit(target)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        request = Request(method, unquote(parts.path), query, headers)
        hostile = self.server.hostile
        hostile.record(request)
        with contextlib.suppress(OSError):
            hostile.serve(self.request, hostile.answer(request))


# --- in front of the fake Vercel API ---------------------------------------------------------

Twist = Callable[[Request, Behaviour], Behaviour]


def vercel(fake: FakeVercel, twist: Twist | None = None) -> Answerer:
    """Answer as the fake Vercel API would (without starting it), then apply `twist`."""

    def answer(request: Request) -> Behaviour:
        status, extra, body = fake.respond(
            request.method, request.path, request.query, request.headers.get("authorization")
        )
        normal = Behaviour(status=status, headers=JSON + tuple(extra.items()), body=body)
        return twist(request, normal) if twist is not None else normal

    return answer


def reshape(path: str, change: Callable[[Any], Any]) -> Twist:
    """A twist: the JSON answer of every request whose path fully matches `path` (a
    regex) passed through `change` (which gets a deep copy and returns the new body)."""

    def twist(request: Request, normal: Behaviour) -> Behaviour:
        if not re.fullmatch(path, request.path) or normal.status != 200:
            return normal
        body = change(copy.deepcopy(json.loads(normal.body)))
        return replace(normal, body=json.dumps(body).encode())

    return twist


def on_path(path: str, behaviour: Behaviour) -> Twist:
    """A twist: every request whose path fully matches `path` gets `behaviour`."""

    def twist(request: Request, normal: Behaviour) -> Behaviour:
        return behaviour if re.fullmatch(path, request.path) else normal

    return twist


ENDPOINTS = (
    r"/v9/projects/[^/]+",
    r"/v9/projects/[^/]+/custom-environments",
    r"/v10/projects/[^/]+/env",
    r"/v6/deployments",
    r"/v13/deployments/[^/]+",
)


# --- strategies ------------------------------------------------------------------------------

_json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8)
)
json_values = st.recursive(
    _json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=12,
)


def _set_path(body: Any, path: tuple[str | int, ...], value: Any) -> Any:
    """`body` with the member at `path` set to `value` (created as objects on the way;
    a path through a non-object replaces it)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        if isinstance(body, list) and body:
            body[head % len(body)] = _set_path(body[head % len(body)], rest, value)
        return body
    container = body if isinstance(body, dict) else {}
    container[head] = _set_path(container.get(head), rest, value)
    return container


# The fields the vercel: source reads, by endpoint: where a malformed value does harm.
FIELDS: dict[str, tuple[tuple[str | int, ...], ...]] = {
    ENDPOINTS[0]: (
        (),
        ("id",),
        ("nodeVersion",),
        ("framework",),
        ("resourceConfig",),
        ("resourceConfig", "functionDefaultRegions"),
        ("resourceConfig", "functionDefaultTimeout"),
        ("crons",),
        ("crons", "definitions"),
        ("crons", "definitions", 0),
        ("crons", "definitions", 0, "path"),
    ),
    ENDPOINTS[1]: ((), ("environments",), ("environments", 0), ("environments", 0, "slug")),
    ENDPOINTS[2]: (
        (),
        ("envs",),
        ("envs", 0),
        ("envs", 0, "key"),
        ("envs", 0, "type"),
        ("envs", 0, "target"),
        ("envs", 0, "value"),
        ("envs", 0, "customEnvironmentIds"),
        ("pagination",),
        ("pagination", "next"),
    ),
    ENDPOINTS[3]: ((), ("deployments",), ("deployments", 0), ("deployments", 0, "uid")),
    ENDPOINTS[4]: (
        (),
        ("regions",),
        ("crons",),
        ("crons", 0, "schedule"),
        ("functions",),
        ("functions", "app/api/**/*.ts"),
        ("functions", "app/api/**/*.ts", "memory"),
    ),
}


@st.composite
def malformed_shapes(draw: st.DrawFn) -> Twist:
    """One field of one endpoint's answer replaced by any JSON value."""
    endpoint = draw(st.sampled_from(ENDPOINTS))
    path = draw(st.sampled_from(FIELDS[endpoint]))
    value = draw(json_values)
    return reshape(endpoint, lambda body: _set_path(body, path, value))


def _cursor_twist(cursors: list[int | None]) -> Twist:
    """Env pages whose `pagination.next` runs through `cursors` (then repeats the last)."""
    count = iter(range(1_000_000))

    def change(body: Any) -> Any:
        index = next(count)
        body["pagination"]["next"] = cursors[min(index, len(cursors) - 1)]
        return body

    return reshape(ENDPOINTS[2], change)


bad_cursors = st.lists(
    st.one_of(st.none(), st.integers(-5, 2_000_000_000_000)), min_size=1, max_size=6
).map(_cursor_twist)

odd_statuses = st.sampled_from(
    [
        100,
        199,
        204,
        301,
        302,
        303,
        304,
        307,
        308,
        400,
        401,
        402,
        403,
        404,
        409,
        418,
        422,
        451,
        500,
        501,
        502,
        503,
        599,
    ]
)


@st.composite
def odd_answers(draw: st.DrawFn) -> Twist:
    """An odd status (with a body that may echo anything) on one endpoint."""
    endpoint = draw(st.sampled_from(ENDPOINTS))
    status = draw(odd_statuses)
    body = draw(st.sampled_from([b"", b"{}", b"not json", b'{"error": {"code": 7}}']))
    headers = (*JSON, ("Location", "http://127.0.0.1:9/elsewhere"), ("Retry-After", "0"))
    return on_path(endpoint, Behaviour(status=status, headers=headers, body=body))


@st.composite
def transfer_behaviours(draw: st.DrawFn) -> Twist:
    """A body that is slow, endless, compressed (maybe a bomb) or garbled, on one endpoint."""
    endpoint = draw(st.sampled_from(ENDPOINTS))
    kind = draw(st.sampled_from(["drip", "endless", "bomb", "gzip-garbage", "drip-headers"]))
    behaviour = {
        "drip": Behaviour(body=b'{"envs": []}', drip=0.05),
        "endless": Behaviour(body=b'{"envs": [', tail=ENDLESS),
        "bomb": Behaviour(body=gzip_bomb(2), headers=(*JSON, ("Content-Encoding", "gzip"))),
        "gzip-garbage": Behaviour(
            body=b"\x1f\x8bnot gzip", headers=(*JSON, ("Content-Encoding", "gzip"))
        ),
        "drip-headers": Behaviour(drip_headers=ENDLESS, drip=0.05),
    }[kind]
    return on_path(endpoint, behaviour)


hostile_twists = st.one_of(malformed_shapes(), bad_cursors, odd_answers(), transfer_behaviours())


@contextlib.contextmanager
def hostile_api(twist: Twist | None, token: str) -> Iterator[HostileServer]:
    """The fake Vercel API (with `token`) behind `twist`, served until the block ends."""
    with HostileServer(vercel(FakeVercel(token=token), twist)) as server:
        yield server

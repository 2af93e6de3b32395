"""A connection to an environment's PostgreSQL, made safely: the DSN is a secret.

The DSN comes from a values source (`DATABASE_URL`), never from an argument. It and its
password are remembered for scrubbing as soon as it is read. A driver error names the
host and user ("connection to server at "db.internal", port 5432 failed: password
authentication failed for user "app""): every error that leaves here is scrubbed of the
password, hosts, user and database name. Outside development the connection must
require TLS (`sslmode` require, verify-ca or verify-full, or PGSSLMODE), as ENV006 says
of URLs; a Unix socket or a loopback host needs none.

psycopg is imported here, lazily by its callers: `--help` and `check` never load it.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from meterr_config import redact
from meterr_config.errors import InputError

if TYPE_CHECKING:
    import psycopg

SAFE_MODES = ("require", "verify-ca", "verify-full")
HIDDEN = ("password", "host", "hostaddr", "user", "dbname")
# Bounds on anything this tool runs: a read or an apply never waits on a busy database.
CONNECT_TIMEOUT = 10  # seconds
STATEMENT_TIMEOUT = "10s"
LOCK_TIMEOUT = "3s"


class Dsn:
    """A connection string and what it names, checked; never shown."""

    def __init__(self, where: str, dsn: str) -> None:
        from psycopg.conninfo import conninfo_to_dict

        redact.remember(dsn)
        self.where = where
        try:
            parts = conninfo_to_dict(dsn)
        except Exception:  # psycopg.ProgrammingError; its message quotes the DSN
            raise InputError(
                f"{where}: DATABASE_URL is not a PostgreSQL connection string"
            ) from None
        self.dsn = dsn
        self.parts = {k: str(v) for k, v in parts.items() if v is not None}
        # The password is scrubbed from everything this run writes; the names around it
        # (host, user, database) only from driver messages: remembered for good, a user
        # called "postgres" would vanish from every word of every report.
        redact.remember(self.parts.get("password"))
        self._hidden = [self.parts[k] for k in HIDDEN if self.parts.get(k)]

    def hosts(self) -> list[str]:
        """Every host it may connect to ("" for the default Unix socket)."""
        hosts = self.parts.get("hostaddr") or self.parts.get("host") or os.environ.get("PGHOST", "")
        return hosts.split(",")

    def local(self) -> bool:
        """Only Unix sockets and loopback addresses: nothing crosses a network."""
        return all(_local(host) for host in self.hosts())

    def sslmode(self) -> str:
        return self.parts.get("sslmode") or os.environ.get("PGSSLMODE", "") or "prefer"

    def require_tls(self) -> None:
        """Refuse a connection that could go over a network in clear text."""
        if not self.local() and self.sslmode() not in SAFE_MODES:
            raise InputError(
                f"{self.where}: DATABASE_URL does not require TLS (sslmode={self.sslmode()}); "
                "outside development add sslmode=require (or verify-full)"
            )

    def scrub(self, text: str) -> str:
        """A driver's message without the password, hosts, user or database name."""
        for value in sorted(self._hidden, key=len, reverse=True):
            text = text.replace(value, "…")
        return redact.scrub(text)


def _local(host: str) -> bool:
    if not host or host.startswith(("/", "@")) or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@contextmanager
def connection(dsn: Dsn, *, read_only: bool) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A connection in one transaction, bounded by statement and lock timeouts; a read
    is READ ONLY. Every driver error becomes an InputError, scrubbed."""
    import psycopg

    try:
        with psycopg.connect(
            dsn.dsn, connect_timeout=CONNECT_TIMEOUT, application_name="meterr-config"
        ) as conn:
            conn.read_only = read_only
            with conn.transaction():
                conn.execute(f"SET LOCAL statement_timeout = '{STATEMENT_TIMEOUT}'")
                conn.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                yield conn
    except psycopg.Error as exc:
        raise InputError(f"{dsn.where}: {dsn.scrub(_message(exc))}") from None


def _message(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__

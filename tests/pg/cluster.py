"""A throwaway PostgreSQL cluster for the tests: a real server, never a mock.

initdb into a fresh folder, the server's Unix socket in that folder and a TCP listener
on 127.0.0.1 at a free port, fsync off (nothing here needs to survive a crash), stopped
and removed at the end. initdb refuses to run as root, which CI is: then the cluster is
made and run as the unprivileged `postgres` user (Debian's package creates it) or
`nobody`, through util-linux's runuser. The server binaries come from PATH or Debian's
/usr/lib/postgresql/N/bin; `.ci/run` installs the package when neither has initdb.

Local connections are trusted (the superuser `postgres`); TCP ones need a password
(scram-sha-256), so a test can connect with a DSN that carries one.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "postgres"


def server_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=_version)
    return versions[-1].parent if versions else None


def _version(path: Path) -> int:
    part = path.parent.parent.name
    return int(part) if part.isdigit() else 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    """A running server: its folder (also the socket's) and TCP port."""

    folder: Path
    port: int
    binaries: Path
    user: str | None  # the unprivileged user it runs as, when we are root

    def dsn(self, database: str, user: str = SUPERUSER, password: str | None = None) -> str:
        """A URL DSN: over the Unix socket, or over TCP to 127.0.0.1 when a password is
        given."""
        if password is None:
            return f"postgresql://{user}@/{database}?host={self.folder}&port={self.port}"
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        """Run SQL as the superuser over the socket (autocommit)."""
        import psycopg

        with psycopg.connect(self.dsn(database), autocommit=True) as conn:
            conn.execute(statement.encode())

    def create_database(self, name: str) -> str:
        self.sql(f'CREATE DATABASE "{name}"')
        return name

    def stop(self) -> None:
        self._run(str(self.binaries / "pg_ctl"), "-D", str(self.folder / "data"), "-m",
                  "immediate", "-w", "stop", check=False)  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = ["runuser", "-u", self.user, "--", *args] if self.user else list(args)
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {result.stdout}{result.stderr}")
        return result


def _unprivileged() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise RuntimeError("running as root and no unprivileged user (postgres, nobody) exists")


def start() -> Cluster:
    """initdb and start a cluster; raises RuntimeError with the server's words if not."""
    binaries = server_binaries()
    if binaries is None:
        raise RuntimeError("PostgreSQL's server (initdb) is not installed")
    user = _unprivileged()
    # Directly under the temp folder: pytest's own (0700, root's) is not reachable by
    # the unprivileged user.
    folder = Path(tempfile.mkdtemp(prefix="meterr-pg-"))
    if user:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    folder.chmod(0o700)
    cluster = Cluster(folder, _free_port(), binaries, user)
    data = folder / "data"
    cluster._run(
        str(binaries / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth-local=trust",
        "--auth-host=scram-sha-256", "--no-sync", "-E", "UTF8", "--locale=C",
    )  # fmt: skip
    options = (
        f"-k {folder} -c listen_addresses=127.0.0.1 -p {cluster.port} -c fsync=off "
        "-c full_page_writes=off -c synchronous_commit=off"
    )
    started = cluster._run(
        str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"),
        "-w", "-t", "60", "start", check=False,
    )  # fmt: skip
    if started.returncode != 0:
        log = (folder / "log").read_text() if (folder / "log").exists() else ""
        cluster.stop()
        raise RuntimeError(f"the PostgreSQL server did not start: {started.stderr}{log}")
    return cluster

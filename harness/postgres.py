"""A throwaway PostgreSQL server in a temporary folder, for the tests and the benchmark.

Debian's ``initdb`` and ``pg_ctl`` (``/usr/lib/postgresql/<version>/bin``, from the ``postgresql``
package that ``./workbook test`` installs) refuse to run as root: as root they run as Debian's own
``postgres`` user. The server listens on 127.0.0.1 only, trusts local connections, and is removed
with its folder afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from harness.server import free_port

__all__ = ["PostgresCluster", "PostgresMissing", "throwaway_cluster"]


class PostgresMissing(RuntimeError):
    """PostgreSQL's programs are not installed here."""


def _program(name: str) -> str:
    """Debian's PostgreSQL programs, else the PATH's."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if found:
        return str(found[-1])
    program = shutil.which(name)
    if program is None:
        raise PostgresMissing(f"PostgreSQL's {name} not found; ./workbook test installs Debian's postgresql")
    return program


def _as_unprivileged(command: list[str]) -> list[str]:
    # initdb and pg_ctl refuse to run as root: run them as Debian's own postgres user then.
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@dataclass
class PostgresCluster:
    """A PostgreSQL server of its own, in a temporary folder, reachable on 127.0.0.1."""

    port: int
    data: Path
    settings: str
    user: str = "postgres"

    def stop(self) -> None:
        """Stop the server at once, as a crash or a pulled cable would take it away."""
        subprocess.run(
            _as_unprivileged([_program("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]),
            check=False,
            capture_output=True,
        )

    def start(self) -> None:
        """Start the server (again)."""
        subprocess.run(
            _as_unprivileged(
                [
                    _program("pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.data.parent / "log"),
                    "-o",
                    self.settings,
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL for ``database`` on this server."""
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """Create an empty database and return its URL."""
        import psycopg

        name = f"test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres") as admin:
            admin.autocommit = True
            admin.execute(f"CREATE DATABASE {name}")  # a name made here, never from input
        return self.url(name)

    def connections(self) -> int:
        """How many client connections the server has now (this query's own not counted)."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres") as admin:
            (count,) = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                " AND pid <> pg_backend_pid()"
            ).fetchone()
        return int(count)


@contextmanager
def throwaway_cluster(max_connections: int = 200) -> Iterator[PostgresCluster]:
    """Start a new cluster on a free port; stop it and remove its folder after."""
    initdb = _program("initdb")
    folder = Path(tempfile.mkdtemp(prefix="reconnection-postgres-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = free_port()
    subprocess.run(
        _as_unprivileged([initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
        check=True,
        capture_output=True,
    )
    settings = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    settings += f" -c max_connections={max_connections}"
    cluster = PostgresCluster(port=port, data=data, settings=settings)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)

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
from typing import TypeVar

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
        log = str(self.data.parent / "log")
        command = [_program("pg_ctl"), "-D", str(self.data), "-l", log, "-o", self.settings, "-w", "start"]
        subprocess.run(self._where_it_starts(_as_unprivileged(command)), check=True, capture_output=True)

    def _where_it_starts(self, command: list[str]) -> list[str]:
        """The command that starts the server, run where it should run: here, on this machine."""
        return command

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


def new_cluster_folder(prefix: str) -> tuple[Path, Path]:
    """A temporary folder, and in it a new cluster's data folder (``initdb``, trusting local users)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    initdb = [_program("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
    subprocess.run(_as_unprivileged(initdb), check=True, capture_output=True)
    return folder, data


Cluster = TypeVar("Cluster", bound=PostgresCluster)


@contextmanager
def running(cluster: Cluster, folder: Path) -> Iterator[Cluster]:
    """Start ``cluster``; stop it and remove its folder after, whatever happened."""
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def throwaway_cluster(max_connections: int = 200) -> Iterator[PostgresCluster]:
    """Start a new cluster on a free port; stop it and remove its folder after."""
    folder, data = new_cluster_folder("reconnection-postgres-")
    port = free_port()
    settings = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    settings += f" -c max_connections={max_connections}"
    with running(PostgresCluster(port=port, data=data, settings=settings), folder) as cluster:
        yield cluster

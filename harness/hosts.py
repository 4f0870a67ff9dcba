"""Several hosts on one machine: workers on two hosts behind HAProxy on a third, PostgreSQL on a fourth.

``docs/deploy.md`` ("Several machines") puts HAProxy on a proxy host, one worker on each worker host
(``./workbook serve 8866 --lan``) and PostgreSQL on a database host. Here each host is a Linux network
namespace of its own (root only: ``ip netns``), with loopback up and one cable (a veth pair) to a switch
(a bridge in a namespace of its own, so nothing of the machine's own network or firewall is in the way).
The test process sits on the same switch, from the root namespace, as the participants' side of the
proxy. Addresses are from the benchmarking range 198.18.0.0/15 (RFC 2544), ``198.18.28.0/24``: nothing
leaves the machine.

- **A host lost** is its cable unplugged (``ip link set ... down`` on its end: packets to it vanish, as
  when a machine loses power or its network; nobody is told), then every process in its namespace
  killed. **A host back** is its cable plugged in again and its worker started again.
- **PostgreSQL** is `harness.postgres`'s throwaway cluster, started inside the database host by
  Debian's ``postgres`` user, listening on that host's address, with ``pg_hba.conf`` trusting the subnet.
- **HAProxy** runs inside the proxy host with the configuration `widgets.server.workers.haproxy_config`
  writes for two workers on other hosts (``--worker name=host:port``); its messages (a worker down, or
  up again) are read as they come and stamped with the time they came.

Everything is removed at the end, also when the run fails, and whatever an earlier run left with the
same names is removed before anything is made.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from harness.postgres import PostgresCluster, new_cluster_folder, running
from harness.server import REPO, Server, wait_for_workers

__all__ = [
    "CLIENT_ADDRESS",
    "PORT",
    "Deployment",
    "Host",
    "HostedPostgres",
    "Network",
    "ProxyMessages",
    "Worker",
    "deployment",
    "four_hosts",
    "remove_leftovers",
]

SUBNET = "198.18.28"
# The test process's own address, on the root namespace's cable to the switch.
CLIENT_ADDRESS = f"{SUBNET}.1"
NAMESPACE_PREFIX = "rwhosts-"
LINK_PREFIX = "rwh-"  # interface names: 15 characters at most
SWITCH = f"{NAMESPACE_PREFIX}switch"
BRIDGE = f"{LINK_PREFIX}switch"
CLIENT_LINK = f"{LINK_PREFIX}client"
# Every host serves on the port `./workbook serve` uses: each has its own addresses.
PORT = 8866
POSTGRES_PORT = 5432
START_LIMIT = 120.0  # seconds for a worker to answer after it started (two start at once on 2 cores)


def _ip(*arguments: str, check: bool = True) -> None:
    subprocess.run(["ip", *arguments], check=check, capture_output=True, text=True)


def _kill_all(pids: list[int], limit: float = 10.0) -> None:
    """SIGKILL every process in ``pids``, and wait until none of them is left."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + limit
    while any(Path(f"/proc/{pid}").exists() and not _zombie(pid) for pid in pids):
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)


def _zombie(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return status == "Z"


@dataclass(frozen=True)
class Host:
    """One host: a network namespace with loopback up and one cable to the switch."""

    name: str
    address: str

    @property
    def namespace(self) -> str:
        """The namespace's name."""
        return f"{NAMESPACE_PREFIX}{self.name}"

    @property
    def link(self) -> str:
        """The host's end of its cable (inside the host)."""
        return f"{LINK_PREFIX}{self.name}"

    def inside(self, *command: str) -> list[str]:
        """``command`` run on this host (inside its namespace)."""
        return ["ip", "netns", "exec", self.namespace, *command]

    def pids(self) -> list[int]:
        """Every process running on this host now."""
        listed = subprocess.run(["ip", "netns", "pids", self.namespace], capture_output=True, text=True)
        return [int(pid) for pid in listed.stdout.split()]

    def unplug(self) -> None:
        """Take the host's cable down: packets to it vanish, and nobody is told."""
        _ip("-n", self.namespace, "link", "set", self.link, "down")

    def plug(self) -> None:
        """Bring the host's cable up again."""
        _ip("-n", self.namespace, "link", "set", self.link, "up")

    def kill_everything(self) -> int:
        """Kill every process on the host (as its power going would); how many there were."""
        pids = self.pids()
        _kill_all(pids)
        return len(pids)


@dataclass(frozen=True)
class Network:
    """The four hosts on one switch."""

    proxy: Host
    a: Host
    b: Host
    db: Host

    @property
    def hosts(self) -> tuple[Host, ...]:
        """Every host."""
        return (self.proxy, self.a, self.b, self.db)


def remove_leftovers() -> None:
    """Remove every namespace and link with this module's names (an earlier run's, killed mid-way)."""
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    for namespace in re.findall(rf"^({re.escape(NAMESPACE_PREFIX)}\S+)", listed, re.M):
        pids = subprocess.run(["ip", "netns", "pids", namespace], capture_output=True, text=True).stdout
        _kill_all([int(pid) for pid in pids.split()])
        _ip("netns", "del", namespace, check=False)
    links = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True).stdout
    for link in re.findall(rf"^\d+: ({re.escape(LINK_PREFIX)}[^:@]+)", links, re.M):
        _ip("link", "del", link, check=False)


def _cable(namespace: str | None, link: str, address: str) -> None:
    """A veth pair from ``namespace`` (None: the root namespace) to the switch, with ``address`` on it."""
    _ip("link", "add", link, "type", "veth", "peer", "name", f"{link}-s")
    _ip("link", "set", f"{link}-s", "netns", SWITCH)
    _ip("-n", SWITCH, "link", "set", f"{link}-s", "master", BRIDGE, "up")
    where = ["-n", namespace] if namespace else []
    if namespace:
        _ip("link", "set", link, "netns", namespace)
        _ip(*where, "link", "set", "lo", "up")
    _ip(*where, "addr", "add", f"{address}/24", "dev", link)
    _ip(*where, "link", "set", link, "up")


@contextmanager
def four_hosts() -> Iterator[Network]:
    """The proxy host, worker hosts A and B and the database host, on one switch; removed after."""
    network = Network(
        proxy=Host("proxy", f"{SUBNET}.10"),
        a=Host("a", f"{SUBNET}.11"),
        b=Host("b", f"{SUBNET}.12"),
        db=Host("db", f"{SUBNET}.13"),
    )
    remove_leftovers()
    try:
        _ip("netns", "add", SWITCH)
        _ip("-n", SWITCH, "link", "add", BRIDGE, "type", "bridge")
        _ip("-n", SWITCH, "link", "set", BRIDGE, "up")
        for host in network.hosts:
            _ip("netns", "add", host.namespace)
            _cable(host.namespace, host.link, host.address)
        _cable(None, CLIENT_LINK, CLIENT_ADDRESS)
        yield network
    finally:
        remove_leftovers()


# --- PostgreSQL on the database host ---------------------------------------------------------------


@dataclass
class HostedPostgres(PostgresCluster):
    """`harness.postgres`'s cluster, run on the database host and reached at its address."""

    host: Host = field(default_factory=lambda: Host("db", "127.0.0.1"))

    def _where_it_starts(self, command: list[str]) -> list[str]:
        """Inside the database host, so that it listens on that host's address."""
        return self.host.inside(*command)

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL for ``database``, at the database host's address."""
        return f"postgresql+psycopg://{self.user}@{self.host.address}:{self.port}/{database}"

    def new_database(self) -> str:
        """Create an empty database and return its URL."""
        import psycopg

        name = f"hosts_{secrets.token_hex(6)}"
        dsn = f"host={self.host.address} port={self.port} user={self.user} dbname=postgres"
        with psycopg.connect(dsn, connect_timeout=10) as admin:
            admin.autocommit = True
            admin.execute(f"CREATE DATABASE {name}")  # a name made here, never from input
        return self.url(name)


@contextmanager
def postgres_on(host: Host, max_connections: int = 200) -> Iterator[HostedPostgres]:
    """A new cluster on ``host``, trusting the hosts' subnet; stopped and removed after."""
    folder, data = new_cluster_folder("reconnection-hosts-postgres-")
    # The workers' kernels connect from their own hosts' addresses: trusted, as loopback is.
    with (data / "pg_hba.conf").open("a", encoding="utf-8") as hba:
        hba.write(f"host all all {SUBNET}.0/24 trust\n")
    settings = f"-p {POSTGRES_PORT} -k {folder} -c listen_addresses={host.address} -c fsync=off"
    settings += f" -c max_connections={max_connections}"
    with running(HostedPostgres(port=POSTGRES_PORT, data=data, settings=settings, host=host), folder) as db:
        yield db


# --- the workers and HAProxy ----------------------------------------------------------------------


@dataclass
class Worker:
    """One worker host's ``./workbook serve 8866 --lan``: its launcher, started (again) on its host."""

    name: str  # HAProxy's name for it, also its cookie's value
    host: Host
    environment: dict[str, str]
    log: Path
    settings: tuple[str, ...] = ()
    process: subprocess.Popen | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        """The worker's own address (HAProxy's server line)."""
        return f"http://{self.host.address}:{PORT}"

    def start(self) -> None:
        """Start the launcher on the worker's host, as ``./workbook serve 8866 --lan`` does."""
        command = [sys.executable, "-m", "widgets.server.launch", str(PORT), "--lan", *self.settings]
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                self.host.inside(*command),
                cwd=REPO,
                env=self.environment,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: SIGTERM reaches Voilà and its warm parent
            )
        self.starts += 1

    def answering(self, limit: float = START_LIMIT) -> None:
        """Wait until the worker answers its own address (its redirect page, which starts no kernel)."""
        deadline = time.monotonic() + limit
        while True:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2):  # noqa: S310 - our own worker
                    return
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{self.name} did not answer: {self.log.read_text()[-3000:]}"
                    ) from None
                time.sleep(0.3)

    def server(self) -> Server:
        """The worker as `harness.server` sees a server (its kernels, its memory)."""
        if self.process is None:
            raise RuntimeError(f"{self.name} was never started")
        return Server(self.name, self.url, self.process, self.log)

    def stop(self) -> None:
        """SIGTERM the worker's group (Voilà stops its kernels), then kill what is left on its host."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.host.kill_everything()


class ProxyMessages:
    """HAProxy's messages as they come (a worker down, or up again), each with the time it came."""

    def __init__(self, process: subprocess.Popen, log: Path) -> None:
        self.lines: list[tuple[float, str]] = []
        self._log = log
        self._reader = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._reader.start()

    def _read(self, process: subprocess.Popen) -> None:
        with self._log.open("a", encoding="utf-8") as out:
            for raw in process.stderr or ():
                line = raw.decode(errors="replace").rstrip()
                self.lines.append((time.monotonic(), line))
                out.write(line + "\n")
                out.flush()

    def marked(self, worker: str, state: str, since: float) -> float | None:
        """When HAProxy last said ``worker`` is ``state`` ("DOWN" or "UP") since ``since``, or None."""
        said = f"Server workers/{worker} is {state}"
        found = [when for when, line in list(self.lines) if when >= since and said in line]
        return found[-1] if found else None

    def wait_for(self, worker: str, state: str, since: float, limit: float = 60.0) -> float:
        """Wait until HAProxy says ``worker`` is ``state``; the time it said so."""
        deadline = time.monotonic() + limit
        while (when := self.marked(worker, state, since)) is None:
            if time.monotonic() > deadline:
                lines = "\n".join(line for _when, line in self.lines[-20:])
                raise TimeoutError(f"HAProxy did not mark {worker} {state} within {limit:.0f} s:\n{lines}")
            time.sleep(0.02)
        return when


@dataclass
class Deployment:
    """The four hosts serving: PostgreSQL, a worker on each worker host, HAProxy in front."""

    network: Network
    postgres: HostedPostgres
    database_url: str
    workers: dict[str, Worker]
    proxy: subprocess.Popen
    messages: ProxyMessages
    folder: Path
    token: str

    @property
    def url(self) -> str:
        """The address participants open: HAProxy's, on the proxy host."""
        return f"http://{self.network.proxy.address}:{PORT}"

    def server(self) -> Server:
        """The deployment as one server, for `harness.page_client.PageClient`: every page goes to HAProxy."""
        return Server("hosts", self.url, self.proxy, self.folder / "haproxy.log")

    def cut(self, worker: Worker) -> dict[str, float]:
        """Unplug the worker's host, then kill every process on it; when it was unplugged, and what died."""
        unplugged = time.monotonic()
        worker.host.unplug()
        killed = worker.host.kill_everything()
        if worker.process is not None:
            worker.process.wait()
        return {
            "unplugged_at": unplugged,
            "processes_killed": killed,
            "all_dead_after": time.monotonic() - unplugged,
        }

    def bring_back(self, worker: Worker) -> float:
        """Plug the worker's host in again and start its worker; when it was plugged in."""
        plugged = time.monotonic()
        worker.host.plug()
        worker.start()
        return plugged


def _worker_environment(folder: Path, database_url: str, public_url: str, token: str) -> dict[str, str]:
    """What docs/deploy.md says every worker host shares, and a data folder of the host's own."""
    from widgets.room.access import TOKEN_SETTING
    from widgets.room.join import PUBLIC_URL_SETTING
    from widgets.server.room_pools import WORKERS_SETTING
    from widgets.store import DATABASE_URL_SETTING

    # None of the caller's own RECONNECTION_ settings (a test's data folder): only the deployment's.
    environment = {key: value for key, value in os.environ.items() if not key.startswith("RECONNECTION_")}
    environment.update(
        {
            "JUPYTER_PATH": str(REPO / "share" / "jupyter"),
            "RECONNECTION_DATA_DIR": str(folder / "data"),
            DATABASE_URL_SETTING: database_url,
            PUBLIC_URL_SETTING: public_url,
            WORKERS_SETTING: "2",
            TOKEN_SETTING: token,
        }
    )
    return environment


def _start_proxy(network: Network, workers: list[Worker], folder: Path) -> subprocess.Popen:
    """HAProxy on the proxy host, with the configuration the workbook writes for workers elsewhere."""
    from widgets.server.workers import find_haproxy, haproxy_config

    servers = [(worker.name, worker.host.address, PORT) for worker in workers]
    config = folder / "haproxy.cfg"
    config.write_text(haproxy_config(network.proxy.address, PORT, servers), encoding="utf-8")
    command = network.proxy.inside(find_haproxy(), "-db", "-f", str(config))
    return subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _stop_everything(network: Network, proxy: subprocess.Popen | None, workers: list[Worker]) -> None:
    """HAProxy first (no new requests), then every worker, then whatever is left on the hosts."""
    if proxy is not None and proxy.poll() is None:
        proxy.terminate()
        try:
            proxy.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proxy.kill()
            proxy.wait()
    for worker in workers:
        worker.stop()
    for host in (network.proxy, network.a, network.b):
        host.kill_everything()


@contextmanager
def deployment(
    settings: tuple[str, ...] = (), token: str | None = None, logs: Path | None = None
) -> Iterator[Deployment]:
    """The four hosts, serving as docs/deploy.md's "Several machines" says; all removed after.

    ``settings``: Voilà settings for both workers (``--Class.name=value``). ``token``: the facilitator
    token every worker shares (a new one if not given). ``logs``: a folder to keep the workers' and
    HAProxy's messages in (else a temporary one, removed after).
    """
    token = token or secrets.token_urlsafe(24)
    folder = logs or Path(tempfile.mkdtemp(prefix="reconnection-hosts-"))
    with four_hosts() as network, postgres_on(network.db) as cluster:
        database_url = cluster.new_database()
        public_url = f"http://{network.proxy.address}:{PORT}/"
        workers = [
            Worker(
                name,
                host,
                _worker_environment(folder / name, database_url, public_url, token),
                folder / f"{name}.log",
                settings,
            )
            for name, host in (("host-a", network.a), ("host-b", network.b))
        ]
        proxy: subprocess.Popen | None = None
        try:
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.answering()
            proxy = _start_proxy(network, workers, folder)
            messages = ProxyMessages(proxy, folder / "haproxy.log")
            by_name = {worker.name: worker for worker in workers}
            found = Deployment(network, cluster, database_url, by_name, proxy, messages, folder, token)
            wait_for_workers(found.url, lambda seen: seen >= set(by_name), limit=60.0)
            yield found
        finally:
            _stop_everything(network, proxy, workers)
            if logs is None:
                shutil.rmtree(folder, ignore_errors=True)

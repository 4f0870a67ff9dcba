"""``./workbook serve --workers N``: several Voilà processes on this machine, behind one HAProxy.

One Voilà server is one Python thread: every page's HTML, every widget message of every kernel goes
through it. With ``--workers N`` the launcher becomes a small supervisor instead: it starts N Voilà
servers ("workers") on private ports of 127.0.0.1, and HAProxy on the public port in front of them.

- **A page stays on its worker.** A page's kernel lives in the worker that rendered the page, and its
  later requests (the kernel websocket, ``/api/kernels/<id>``, Voilà's shutdown and query requests)
  must reach that same worker. HAProxy gives each browser a cookie naming its worker on its first
  answer. It never hashes the source address: a whole room behind one venue NAT would land on one
  worker.
- **A worker that dies is started again** after a short pause, and HAProxy's health checks keep
  browsers off it until it answers again; a browser whose worker is gone is sent to another one. Its
  answers are in the shared store, so the next page it opens shows them.
- **Ctrl+C or SIGTERM stops everything**: HAProxy first (no new requests), then each worker with its
  warm parent and kernels; whatever is still running after a while is killed.

Each worker gets ``RECONNECTION_WORKERS`` (N) and ``RECONNECTION_WORKER`` (its index, from 1): a
worker's room pools preheat only its share of a room (`widgets.server.room_pools`). Every worker
inherits the one facilitator token the launcher made before it became the supervisor, so the one
facilitator link it prints opens rooms on whichever worker HAProxy sends it to. The supervisor's
private folder (``workbook-workers-PID-*`` in the temporary folder, mode 0700) holds HAProxy's
configuration, its own messages (``haproxy.txt``: started, a worker down or up; never a request) and
``workers.json``: each worker's name, port and process id, for the tests. It goes when the supervisor
stops.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

import psutil

from widgets.room.join import PUBLIC_URL_SETTING
from widgets.server.launch import (
    ServeOptions,
    announce,
    public_addresses,
    read_options,
    ready_token,
    voila_command,
)
from widgets.server.room_pools import WORKERS_SETTING

__all__ = [
    "COOKIE",
    "WORKER_HEADER",
    "HaproxyMissingError",
    "config_main",
    "haproxy_config",
    "main",
    "serve_workers",
]

# The persistence cookie HAProxy sets: its value names the worker (never anything about the person).
COOKIE = "WORKBOOK_WORKER"
# The response header naming the worker that answered, for the tests and the benchmark.
WORKER_HEADER = "X-Workbook-Worker"
# Each worker's index (1 to N), beside WORKERS_SETTING (N).
WORKER_SETTING = "RECONNECTION_WORKER"
# Where HAProxy may be, when not on PATH: Debian puts it in /usr/sbin, not on a normal user's PATH.
HAPROXY_SETTING = "RECONNECTION_HAPROXY"
_HAPROXY_PLACES = ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy")

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
_HOST = re.compile(r"^[A-Za-z0-9_.:-]{1,253}$")
# A worker that ran this long before it ended is started again after the first pause; one that keeps
# ending sooner waits longer each time, up to the last pause (seconds): a broken setting is not retried
# in a tight loop, and a worker killed once is back within a few seconds.
_STEADY = 60.0
_PAUSES = (1.0, 2.0, 5.0, 10.0, 30.0)
# Seconds HAProxy and the workers get to stop on their own before what is left of them is killed.
_STOP_WAIT = 15.0
# HAProxy that ends this soon after it started did not start (its message says why: a port in use).
_HAPROXY_START = 5.0


class HaproxyMissingError(RuntimeError):
    """HAProxy is not installed; the message says how to install it."""


def _checked_server(server: tuple[str, str, int] | int, index: int) -> tuple[str, str, int]:
    if isinstance(server, int):
        server = (f"worker{index}", "127.0.0.1", server)
    name, host, port = server
    # These go into the configuration as they are: refuse anything that could add a line or a word.
    if not _NAME.match(name):
        raise ValueError(f"a worker's name must be letters, digits, '_', '.' or '-', got {name!r}")
    if not _HOST.match(host):
        raise ValueError(f"a worker's host must be a host name or an IP address, got {host!r}")
    if not 1 <= int(port) <= 65535:
        raise ValueError(f"a worker's port must be 1 to 65535, got {port!r}")
    return name, host, int(port)


def _checked_servers(
    bind: str, port: int, servers: Sequence[tuple[str, str, int] | int]
) -> list[tuple[str, str, int]]:
    """The workers as ``(name, host, port)``, each checked, and the public address checked too."""
    if not servers:
        raise ValueError("HAProxy needs at least one worker")
    listed = [_checked_server(server, index) for index, server in enumerate(servers, start=1)]
    if len({name for name, _host, _port in listed}) != len(listed):
        raise ValueError("two workers have the same name")
    _checked_server(("bind", bind, port), 0)
    return listed


def haproxy_config(
    bind: str,
    port: int,
    servers: Sequence[tuple[str, str, int] | int],
    certificate: str | None = None,
) -> str:
    """HAProxy's configuration for the workbook's workers.

    Parameters
    ----------
    bind
        The address HAProxy listens on: ``127.0.0.1`` (this computer only) or ``0.0.0.0`` (``--lan``).
    port
        The public port participants open.
    servers
        The workers: each a port on 127.0.0.1 (named ``worker1``, ``worker2``, ...), or a
        ``(name, host, port)`` for workers elsewhere. A name is also its cookie's value.
    certificate
        A PEM file (certificate chain and key) for HTTPS on ``port``; plain HTTP on port 80 is then
        redirected to it. ``None``: plain HTTP (this computer, or a local network).

    Returns
    -------
    str
        The configuration text, for ``haproxy -f``.
    """
    listed = _checked_servers(bind, port, servers)
    lines = [*_DEFAULTS, "", *_frontends(bind, port, certificate), *_backend(listed, certificate)]
    return "\n".join(lines) + "\n"


# The configuration's first lines: who wrote it, and the settings every frontend and backend shares.
_DEFAULTS = (
    "# Written by the workbook (widgets/server/workers.py): ./workbook serve --workers, or its config.",
    # No `global` section and no `log` line: HAProxy logs no request at all (a facilitator's link
    # carries the room's secret). Its own messages (a worker down, or up again) go to its standard error.
    "# No request is logged, on purpose: a facilitator's address carries the room's secret.",
    "defaults",
    "    mode http",
    "    option forwardfor",
    # No `compression` here: each worker sends its files compressed already (brotli, or Zopfli's
    # gzip, made once), which HAProxy passes on as they are; its own would be gzip only, made again
    # for every response.
    # A browser whose worker is gone (its cookie names a dead worker) is sent to another at once,
    # also when the worker took the request and died before answering. Replaying is safe here: a
    # request only reads or opens a page (a new kernel); answers travel on the kernel's websocket.
    "    option redispatch 1",
    "    retries 2",
    "    retry-on conn-failure empty-response",
    "    timeout connect 2s",
    # A page's HTML streams while its kernel runs the notebook; it may wait for a free kernel first.
    "    timeout client 2m",
    "    timeout server 2m",
    "    timeout http-request 15s",
    "    timeout http-keep-alive 15s",
    "    timeout queue 30s",
    # Once a kernel's websocket is open the connection is a tunnel: Jupyter pings it every 30 s,
    # so only a page gone without a word reaches this.
    "    timeout tunnel 1h",
    "    timeout client-fin 30s",
    # A worker busy with a room's burst answers its health check late, but it is not gone: without
    # this, a check waits only `inter` (2 s), the busy worker is taken out, and its pages' next
    # requests are sent to a worker without their kernel (measured: 503s and a 404 in a room of
    # 120). A worker that is gone refuses the connection at once, or misses `timeout connect`.
    "    timeout check 30s",
)


def _backend(listed: Sequence[tuple[str, str, int]], certificate: str | None) -> list[str]:
    """The workers behind HAProxy: who gets a browser, how it stays there, and how each is checked."""
    lines = [
        "backend workers",
        "    balance roundrobin",
        # Persistence by HAProxy's own cookie, not by address. `indirect`: the workers never see it;
        # `nocache`: no shared cache keeps one browser's cookie for another; Lax: a link, or a phone's
        # camera opening the join address, still carries it.
        f"    cookie {COOKIE} insert indirect nocache httponly{' secure' if certificate else ''}"
        ' attr "SameSite=Lax"',
        # `/` is the workbook's redirect page: it answers at once and starts no kernel.
        "    option httpchk",
        "    http-check send meth GET uri / ver HTTP/1.1 hdr Host localhost",
        "    http-check expect status 200",
        f"    http-response set-header {WORKER_HEADER} %s",
    ]
    # Each worker checked every 2 s: one starting or gone gets no browser after two failed checks, and
    # gets them back after one good one. A worker taken out has its open connections closed
    # (on-marked-down): a page whose worker host vanished without a word (its cable pulled) would
    # otherwise wait in silence; closed, it says it is reconnecting and reloads onto another worker.
    lines += [
        f"    server {name} {host}:{port} cookie {name} check inter 2s fall 2 rise 1"
        " on-marked-down shutdown-sessions"
        for name, host, port in listed
    ]
    return lines


_CERTIFICATE = re.compile(r"^/[A-Za-z0-9_./-]{1,255}$")


def _frontends(bind: str, port: int, certificate: str | None) -> list[str]:
    # HAProxy's own answers too (its 503 while workers start, its redirect) never send a Referer.
    private = "    http-after-response set-header Referrer-Policy no-referrer"
    if certificate is None:
        return ["frontend workbook", f"    bind {bind}:{port}", private, "    default_backend workers", ""]
    if not _CERTIFICATE.match(certificate):
        raise ValueError(f"the certificate must be an absolute path to a PEM file, got {certificate!r}")
    return [
        # Participants' answers never cross a network in clear: HTTPS only, and plain HTTP sent there.
        "frontend workbook",
        f"    bind {bind}:{port} ssl crt {certificate} alpn http/1.1",
        "    http-request set-header X-Forwarded-Proto https",
        '    http-response set-header Strict-Transport-Security "max-age=31536000"',
        private,
        "    default_backend workers",
        "",
        "frontend plain-http",
        f"    bind {bind}:80",
        private,
        "    http-request redirect scheme https code 301",
        "",
    ]


def config_main(argv: Sequence[str]) -> int:
    """``python -m widgets.server.workers config ...``: print HAProxy's configuration for workers elsewhere.

    The same generator ``./workbook serve --workers N`` uses, for a proxy host in front of workers on
    several machines (docs/deploy.md).
    """
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m widgets.server.workers config", description=config_main.__doc__
    )
    parser.add_argument("--bind", default="0.0.0.0", help="the address HAProxy listens on")  # noqa: S104
    parser.add_argument("--port", type=int, default=443, help="the public port")
    parser.add_argument("--certificate", default=None, help="a PEM file for HTTPS (leave out for plain HTTP)")
    parser.add_argument(
        "--worker", action="append", default=[], metavar="NAME=HOST:PORT", help="a worker (again for each)"
    )
    options = parser.parse_args(argv)
    servers = []
    for given in options.worker:
        name, _, address = given.partition("=")
        host, _, port = address.rpartition(":")
        if not (name and host and port.isdigit()):
            parser.error(f"a worker is NAME=HOST:PORT, got {given!r}")
        servers.append((name, host, int(port)))
    try:
        print(haproxy_config(options.bind, options.port, servers, options.certificate), end="")
    except ValueError as error:
        parser.error(str(error))
    return 0


def find_haproxy() -> str:
    """HAProxy's program: ``RECONNECTION_HAPROXY``, on PATH, or where Debian puts it."""
    chosen = os.environ.get(HAPROXY_SETTING)
    if chosen:
        if not os.access(chosen, os.X_OK):
            raise HaproxyMissingError(f"{HAPROXY_SETTING} is {chosen}, which is not a program")
        return chosen
    found = shutil.which("haproxy") or next((p for p in _HAPROXY_PLACES if os.access(p, os.X_OK)), None)
    if found is None:
        raise HaproxyMissingError(
            "--workers needs HAProxy, which is not installed: on Debian or Ubuntu run"
            " 'sudo apt-get install haproxy' (./workbook serve does it for you), or serve with one worker"
        )
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _die_with_me() -> None:
    """In a child, before it runs: its own process group, and SIGTERM if the supervisor is killed."""
    os.setsid()  # Ctrl+C reaches the supervisor only, which stops each child in order
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG


def _running(process: psutil.Process) -> bool:
    """Whether a process still runs (a zombie has ended: only its exit status is left)."""
    try:
        return bool(process.is_running() and process.status() != psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False


def _signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)


@dataclass
class _Child:
    """One process the supervisor keeps running: a worker, or HAProxy."""

    name: str
    command: list[str]
    environment: dict[str, str]
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    failures: int = 0
    restart_at: float | None = None

    def start(self, messages: BinaryIO | None = None) -> None:
        """Start the process; its messages go to ``messages``, else to the terminal."""
        self.process = subprocess.Popen(  # noqa: S603 - Voilà and HAProxy, commands built here
            self.command,
            env=self.environment,
            stdin=subprocess.DEVNULL,
            stdout=messages,
            stderr=messages,
            preexec_fn=_die_with_me,  # the supervisor runs no threads: safe between fork and exec
        )
        self.started = time.monotonic()
        self.restart_at = None

    def ended(self) -> int | None:
        """The exit code if it has ended (collected, so no zombie is left), else None."""
        return None if self.process is None else self.process.poll()


class _Supervisor:
    def __init__(self, options: ServeOptions, haproxy: str, out: TextIO) -> None:
        self.port = options.port
        self.out = out
        self.stopping = False
        self.folder = Path(tempfile.mkdtemp(prefix=f"workbook-workers-{os.getpid()}-"))
        self.workers: list[_Child] = []
        for index in range(1, options.workers + 1):
            port = _free_port()
            # The same Voilà command as one process serving alone, on a private port. The address last,
            # so no setting given on the command line can move a worker off it; and no other port if
            # this one is taken: HAProxy would not find the worker there.
            private = dataclasses.replace(options, port=port, lan=False, workers=1)
            command = [*voila_command(private), "--Voila.ip=127.0.0.1", "--Voila.port_retries=0"]
            environment = {**os.environ, WORKERS_SETTING: str(options.workers), WORKER_SETTING: str(index)}
            self.workers.append(_Child(f"worker{index}", command, environment, port=port))
        config = self.folder / "haproxy.cfg"
        bind = "0.0.0.0" if options.lan else "127.0.0.1"  # noqa: S104 - --lan asks for every network
        ports = [worker.port for worker in self.workers]
        config.write_text(haproxy_config(bind, options.port, ports), encoding="utf-8")
        # Master-worker, in the foreground. Its messages (started; a worker down or up again: never a
        # request) go to a file here, not to the facilitator's terminal; the supervisor says what matters.
        self.haproxy_messages = self.folder / "haproxy.txt"
        self.haproxy = _Child("HAProxy", [haproxy, "-W", "-db", "-f", str(config)], dict(os.environ))

    def say(self, text: str) -> None:
        print(f"[workbook] {text}", file=self.out, flush=True)

    def write_state(self) -> None:
        """Write ``workers.json``: HAProxy's and each worker's process id, and each worker's port."""
        state = {
            "haproxy": self.haproxy.process.pid if self.haproxy.process else None,
            "workers": [
                {"name": w.name, "port": w.port, "pid": w.process.pid if w.process else None}
                for w in self.workers
            ],
        }
        temporary = self.folder / "workers.json.tmp"
        temporary.write_text(json.dumps(state), encoding="utf-8")
        temporary.replace(self.folder / "workers.json")

    def stop_signal(self, _signum: int, _frame: object) -> None:
        """Ctrl+C or SIGTERM: stop at the next look; a second one kills what is still running."""
        if self.stopping:
            for child in [self.haproxy, *self.workers]:
                if child.process is not None:
                    _signal_group(child.process.pid, signal.SIGKILL)
        self.stopping = True

    def run(self, on_start: Callable[[], None] | None) -> int:
        """Start everything, then keep it running until asked to stop. The exit code."""
        for worker in self.workers:
            worker.start()
        with self.haproxy_messages.open("ab") as messages:
            self.haproxy.start(messages)
        self.write_state()
        if not self._haproxy_listening():
            return 1
        count = f"{len(self.workers)} Voilà worker{'s' if len(self.workers) > 1 else ''}"
        self.say(f"{count} behind HAProxy on port {self.port} (a worker that stops is started again)")
        if on_start is not None:
            on_start()
        while not self.stopping:
            if not self._schedule_restarts():
                return 1
            self._restart_due()
            time.sleep(0.2)
        return 0

    def _schedule_restarts(self) -> bool:
        """Give each process that has just ended its time to start again; False if HAProxy never started."""
        for child in [self.haproxy, *self.workers]:
            code = child.ended()
            if code is None or child.restart_at is not None:
                continue
            if child.process is None:  # ended() gives an exit code only for a process it started
                raise RuntimeError(f"{child.name} ended without having been started")
            # What it started goes with it: HAProxy's own worker process, which would keep the
            # port; a Voilà worker's warm parent (its forked kernels follow their parent).
            _signal_group(child.process.pid, signal.SIGKILL)
            if child is self.haproxy and time.monotonic() - child.started < _HAPROXY_START:
                self.say(self._haproxy_failure())
                return False
            self._schedule(child, code)
        return True

    def _restart_due(self) -> None:
        """Start again each process whose pause is over, unless everything is stopping."""
        for child in [self.haproxy, *self.workers]:
            due = child.restart_at is not None and time.monotonic() >= child.restart_at
            if due and not self.stopping:
                with self.haproxy_messages.open("ab") as messages:
                    child.start(messages if child is self.haproxy else None)
                self.write_state()

    def _haproxy_lines(self) -> list[str]:
        try:
            return self.haproxy_messages.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return []

    def _haproxy_listening(self) -> bool:
        """Wait until HAProxy says it has started, so nothing says "serving" before it does."""
        deadline = time.monotonic() + _HAPROXY_START
        while time.monotonic() < deadline and not self.stopping:
            if any("Loading success" in line for line in self._haproxy_lines()):
                return True
            if self.haproxy.ended() is not None:
                self.say(self._haproxy_failure())
                return False
            time.sleep(0.05)
        return True  # no word from it yet: the loop below sees it if it ends

    def _haproxy_failure(self) -> str:
        lines = self._haproxy_lines()
        alerts = [line.split(":", 1)[-1].strip() for line in lines if line.startswith("[ALERT]")]
        if any("Address already in use" in alert for alert in alerts):
            return f"port {self.port} is in use by another program: choose another with --port N"
        return f"HAProxy could not start on port {self.port}: {alerts[0] if alerts else 'it gave no reason'}"

    def _schedule(self, child: _Child, code: int) -> None:
        child.failures = 0 if time.monotonic() - child.started >= _STEADY else child.failures + 1
        pause = _PAUSES[min(child.failures, len(_PAUSES) - 1)]
        how = f"was stopped by signal {-code}" if code < 0 else f"exited with code {code}"
        self.say(f"{child.name} {how}; starting it again in {pause:g} s")
        child.restart_at = time.monotonic() + pause

    def stop(self) -> None:
        """Stop HAProxy, then every worker; kill whatever of them is left after a while."""
        # Everything started below this process, kernels included, noted before anything is stopped.
        try:
            left = psutil.Process().children(recursive=True)
        except psutil.Error:
            left = []
        if self.haproxy.process is not None and self.haproxy.ended() is None:
            _signal_group(self.haproxy.process.pid, signal.SIGTERM)
        for worker in self.workers:
            if worker.process is not None and worker.ended() is None:
                # The whole group: Voilà stops serving and its warm parent ends the kernels it forked.
                # (Voilà alone would ask each preheated kernel to stop mid-run: a traceback from each.)
                _signal_group(worker.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + _STOP_WAIT
        for child in [self.haproxy, *self.workers]:
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
            _signal_group(child.process.pid, signal.SIGKILL)
        # What is still running now lost its worker: a kernel in its own process group (each has one),
        # seen before its warm parent ended it. Nothing of a page is lost: answers are saved as given.
        still = [process for process in left if _running(process)]
        for process in still:
            with contextlib.suppress(psutil.Error):
                process.kill()  # psutil checks it is still the same process, not a reused number
        psutil.wait_procs(still, timeout=2)
        shutil.rmtree(self.folder, ignore_errors=True)


def serve_workers(options: ServeOptions, on_start: Callable[[], None] | None = None) -> int:
    """Serve with ``options.workers`` Voilà workers behind HAProxy until Ctrl+C or SIGTERM.

    Parameters
    ----------
    options
        What ``./workbook serve`` was asked for: ``port`` is HAProxy's (the public one), ``lan`` has it
        listen on every network, ``voila_settings`` go to every worker. One worker works too, behind
        HAProxy all the same (the benchmark compares it with more).
    on_start
        Called once HAProxy has started (the launcher says where the workbook is).

    Returns
    -------
    int
        The exit code: 0 after a stop asked for, 1 if HAProxy is missing or could not start.
    """
    try:
        haproxy = find_haproxy()
    except HaproxyMissingError as error:
        print(f"[workbook] {error}", file=sys.stderr)
        return 1
    supervisor = _Supervisor(options, haproxy, sys.stderr)
    previous = {
        signum: signal.signal(signum, supervisor.stop_signal) for signum in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        return supervisor.run(on_start)
    finally:
        supervisor.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main(argv: Sequence[str] | None = None) -> int:
    """``./workbook serve --workers N ...``: the launcher becomes this when N is above 1.

    ``config ...`` instead prints the configuration for workers on other hosts (:func:`config_main`).
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["config"]:
        return config_main(arguments[1:])
    options = read_options(arguments)
    # The launcher made the token already; run on its own, this makes it, before any worker starts.
    if options is None or not ready_token():
        return 2
    public_url = os.environ.get(PUBLIC_URL_SETTING, "")  # the user's, before --lan sets its own
    addresses = public_addresses(options)
    return serve_workers(options, lambda: announce(options, addresses, sys.stderr, public_url))


if __name__ == "__main__":
    raise SystemExit(main())

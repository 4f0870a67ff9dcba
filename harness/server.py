"""The real server: Voilà started as ``./workbook serve`` starts it (or stock), stopped, killed, restarted.

Also what the server's processes use: its kernels, counted, and their CPU time and memory.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Server:
    """A running Voilà server and where it is (and, for `restart`, how it was started)."""

    name: str
    url: str
    process: subprocess.Popen
    log: Path
    data: Path | None = None
    command: list[str] = field(default_factory=list)
    workdir: Path | None = None
    env: dict[str, str] = field(default_factory=dict)

    def page(self, notebook: str, query: str = "") -> str:
        """The address of a notebook's page."""
        return f"{self.url}/voila/render/{notebook}" + (f"?{query}" if query else "")


# The workbook's Voilà server (Voilà plus the workbook's routes and headers), as ./workbook serve runs it.
WORKBOOK_VOILA = (sys.executable, "-m", "widgets.server")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (for a server the benchmark or a test starts)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _launch(command: list[str], workdir: Path | None, env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("a") as out:
        return subprocess.Popen(command, cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT)


def _wait_until_up(server: Server, limit: float = 90.0) -> None:
    deadline = time.monotonic() + limit
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} Voilà exited: {server.log.read_text()}")
        try:
            with urllib.request.urlopen(server.url + "/", timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{server.name} Voilà did not answer: {server.log.read_text()}") from None
            time.sleep(0.2)


@contextmanager
def serve(
    name: str,
    workdir: Path,
    settings: dict[str, str] | None = None,
    address: str = "127.0.0.1",
    options: tuple[str, ...] = (),
) -> Iterator[Server]:
    """Start Voilà on ``notebooks/`` from ``workdir`` (whose ``voila.json``, if any, it reads).

    ``settings``: environment variables for the server and its kernels (e.g. the SQLite sync mode).
    ``address``: where it listens (another than loopback for clients behind a shaped link).
    ``options``: more of the server's command-line options, e.g. ``--CappedKernelManager.max_kernels=140``.
    """
    port = free_port()
    log = Path(tempfile.mkstemp(prefix=f"bench-{name}-", suffix=".log")[1])
    voila = [shutil.which("voila", path=str(Path(sys.executable).parent)) or "voila"]
    data = Path(tempfile.mkdtemp(prefix="bench-data-"))
    env = {**os.environ, "RECONNECTION_DATA_DIR": str(data), **(settings or {})}
    if name == "workbook":
        env["JUPYTER_PATH"] = str(workdir / "share" / "jupyter")  # that checkout's own page template
        voila = list(WORKBOOK_VOILA)  # as ./workbook serve runs it; stock Voilà stays stock
    # On its own port or not at all: Voilà would otherwise take the next free one, unseen by the clients.
    command = [*voila, "notebooks", f"--port={port}", "--no-browser", f"--Voila.ip={address}"]
    command.append("--Voila.port_retries=0")
    command.extend(options)
    process = _launch(command, workdir, env, log)
    server = Server(name, f"http://{address}:{port}", process, log, data, command, workdir, env)
    try:
        _wait_until_up(server)
        yield server
    finally:
        _stop(server.process)


def _stop(process: subprocess.Popen) -> None:
    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.Error:
        children = []
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    # Kernels a stopped server could not shut down are not left running.
    for child in children:
        try:
            child.kill()
        except psutil.Error:
            continue


def _still_running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def kill_server(server: Server, limit: float = 30.0) -> dict[str, float]:
    """``kill -9`` the server process alone, as a crash does, and wait for what it started to end by itself.

    Only the server gets the signal: its warm parent and kernels are left to notice on their own (the
    warm parent watches its parent and takes its kernels with it). Any still running after ``limit``
    seconds is counted, then killed, so that it weighs on nothing after.
    """
    try:
        left = psutil.Process(server.process.pid).children(recursive=True)
    except psutil.Error:
        left = []
    folders = []  # the folder the server made for its warm parent's socket (the warm parent's argument)
    for process in left:
        with contextlib.suppress(psutil.Error):
            if _is_warm_parent(process) and process.ppid() == server.process.pid:
                folders.append(Path(process.cmdline()[-1]).parent)
    killed = time.monotonic()
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait()
    while any(_still_running(process) for process in left) and time.monotonic() - killed < limit:
        time.sleep(0.05)
    gone_after = time.monotonic() - killed
    running = [process for process in left if _still_running(process)]
    for process in running:
        with contextlib.suppress(psutil.Error):
            process.kill()
    return {
        "left_by_server": len(left),
        "gone_after": round(gone_after, 2),
        "still_running": len(running),
        "folders_left": sum(folder.exists() for folder in folders),
    }


def restart(server: Server) -> float:
    """Start the server again as it was started (same command, port, data folder and log); seconds it took."""
    started = time.monotonic()
    server.process = _launch(server.command, server.workdir, server.env, server.log)
    _wait_until_up(server)
    return time.monotonic() - started


def stock_workdir() -> Path:
    """A folder with the same notebooks and no ``voila.json``: stock Voilà's defaults."""
    folder = Path(tempfile.mkdtemp(prefix="bench-stock-"))
    (folder / "notebooks").symlink_to(REPO / "notebooks")
    return folder


def _is_warm_parent(process: psutil.Process) -> bool:
    return any("widgets.server.warm_parent" in part for part in process.cmdline())


def _server_processes(server: Server) -> tuple[list[psutil.Process], list[psutil.Process]]:
    """The server's kernels (ipykernel, or forked by the warm parent), and its other helper processes."""
    kernels, helpers = [], []
    for child in psutil.Process(server.process.pid).children(recursive=True):
        try:
            if any("ipykernel" in part for part in child.cmdline()):
                kernels.append(child)
            elif _is_warm_parent(child):
                # The warm parent's forks share its command line; a warm parent's parent is a server.
                (kernels if _is_warm_parent(psutil.Process(child.ppid())) else helpers).append(child)
            else:
                helpers.append(child)  # behind the proxy: the Voilà workers and HAProxy
        except psutil.Error:
            continue
    return kernels, helpers


def wait_for_idle_kernels(server: Server, steady: float = 5.0, limit: float = 180.0) -> int:
    """Wait until the server's kernel count has not changed for ``steady`` seconds (preheated pools full).

    A workshop's server is started well before people arrive; measuring while pools still fill would
    measure the start-up, not the room.
    """
    deadline = time.monotonic() + limit
    count, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        now = len(kernel_processes(server))
        if now != count:
            count, since = now, time.monotonic()
        elif time.monotonic() - since >= steady:
            break
        time.sleep(0.5)
    return count


def kernel_processes(server: Server) -> list[psutil.Process]:
    """The server's kernel processes."""
    return _server_processes(server)[0]


def _cpu(times: object, children: bool = False) -> float:
    return times.children_user + times.children_system if children else times.user + times.system


def cpu_used(server: Server) -> dict[str, float]:
    """CPU-seconds used so far by the server (with its warm parent) and by every kernel it has had.

    A kernel that has ended is counted by the process that waited for it: the warm parent for forked
    kernels, the server for kernels it started itself.
    """
    used = {"server": 0.0, "kernels": 0.0}
    try:
        server_process = psutil.Process(server.process.pid)
        times = server_process.cpu_times()
        kernels, helpers = _server_processes(server)
    except psutil.Error:
        return used
    used["server"] += _cpu(times)
    used["kernels"] += _cpu(times, children=True)
    for process in helpers:
        try:
            helper_times = process.cpu_times()
        except psutil.Error:
            continue
        used["server"] += _cpu(helper_times)
        used["kernels"] += _cpu(helper_times, children=True)
    for process in kernels:
        try:
            used["kernels"] += _cpu(process.cpu_times())
        except psutil.Error:
            continue
    return used


def memory(server: Server) -> dict[str, float]:
    """Memory in MiB: the server, each kernel on average, and everything together.

    RSS counts every page a process maps, so forked kernels each count the pages they still share with
    their warm parent. PSS splits each shared page between the processes sharing it (their sum is what
    the machine spends); USS is a process's own pages, what one more kernel costs.
    """
    mib = 1024 * 1024
    server_process = psutil.Process(server.process.pid)
    kernels, helpers = _server_processes(server)
    rss, pss, uss = [], [], []
    for process in kernels:
        try:
            info = process.memory_full_info()
        except psutil.Error:
            continue
        rss.append(info.rss / mib)
        pss.append(info.pss / mib)
        uss.append(info.uss / mib)
    others_rss = others_pss = 0.0
    for process in [server_process, *helpers]:
        try:
            info = process.memory_full_info()
        except psutil.Error:
            continue
        others_rss += info.rss / mib
        others_pss += info.pss / mib
    return {
        "server_mib": round(server_process.memory_info().rss / mib, 1),
        "helpers_mib": round(others_rss - server_process.memory_info().rss / mib, 1),
        "kernels": len(rss),
        "kernel_mean_mib": round(statistics.fmean(rss), 1) if rss else 0.0,
        "kernel_mean_pss_mib": round(statistics.fmean(pss), 1) if pss else 0.0,
        "kernel_mean_uss_mib": round(statistics.fmean(uss), 1) if uss else 0.0,
        "total_mib": round(others_rss + sum(rss), 1),
        "total_pss_mib": round(others_pss + sum(pss), 1),
    }


def wait_for_workers(url: str, enough: Callable[[set[str]], bool], limit: float = 120.0) -> set[str]:
    """Ask HAProxy at ``url`` for the front page until ``enough`` of its workers have answered.

    Each answer names its worker (HAProxy's ``X-Workbook-Worker`` header); ``enough`` is given the
    names seen so far. Returns them.
    """
    seen: set[str] = set()
    deadline = time.monotonic() + limit
    while not enough(seen):
        try:
            with urllib.request.urlopen(url + "/", timeout=5) as response:  # noqa: S310 - our own proxy
                seen.add(response.headers.get("X-Workbook-Worker", ""))
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"HAProxy sent requests only to {sorted(seen)} within {limit:.0f} s")
        time.sleep(0.2)
    return seen

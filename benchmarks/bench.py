"""The benchmark: one participant in a browser, a room at the protocol level, memory, stale kernels.

``./workbook bench`` (or ``python -m benchmarks.bench``) starts the workbook's
server as ``./workbook serve`` does and, for comparison, stock Voilà with its
default settings serving the same notebooks, then prints one table and writes
``benchmarks/results/latest.json``. ``--smoke`` runs a tiny version (CI).

(a) one participant, headless Chromium, a fresh browser context per run:
    time until section 1's controls are visible, and until its first answer's
    round trip ("Saved" counted by the page) is complete, p50/p95;
(b) moving to the next section by its link: time until its controls show;
(c) a room at the protocol level (HTTP for the page, the kernel websocket
    for the widgets, as a browser's page does; no browsers, so the load
    generator leaves the server its CPU): N participants open the welcome
    page within 2 s, then move together to sections 1, 2 and 3, answering
    one question on each section page; time to ready (page received and
    every widget's state received) per page and time per answer save,
    p50/p95/max, and errors;
(d) memory: RSS of the server, of each page's kernel, and in all;
(e) kernels still alive 60 s after the participants left (closing their
    pages as a browser does, with Voilà's shutdown call).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psutil
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
CHROMIUM = os.environ.get("RECONNECTION_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The announced room: the welcome page, then the section the room is paced to.
ANNOUNCED_PAGES = ["00-welcome.ipynb", "01-hidden-weight.ipynb"]
ROOM_PAGES = [
    "00-welcome.ipynb",
    "01-hidden-weight.ipynb",
    "02-handling-it-alone.ipynb",
    "03-protective-withdrawal.ipynb",
]
_CONFIG = re.compile(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', re.S)
MESSAGE_TIMEOUT = 120.0
# The browser's widget manager (Voilà's widgets-manager8) asks the control comm for every widget's state,
# and asks each widget on its own when the kernel closes that comm or gives no answer within 4 s.
CONTROL_TARGET = "jupyter.widget.control"
CONTROL_VERSION = "1.0.0"
CONTROL_TIMEOUT = 4.0
# Stock Voilà has no limit on kernels: a room that outruns the machine is stopped, not left to swap.
MEMORY_LIMIT_MIB = 12 * 1024
ROOM_TIME_LIMIT = 600.0
# The workbook's busy page asks the browser to come back after a few seconds (<meta refresh>).
_BUSY_REFRESH = re.compile(r'<meta http-equiv="refresh" content="(\d+)">')
BUSY_RETRIES = 10


# --- servers ----------------------------------------------------------------------


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
WORKBOOK_VOILA = (sys.executable, "-m", "widgets.server.voila_app")


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
    name: str, workdir: Path, settings: dict[str, str] | None = None, address: str = "127.0.0.1"
) -> Iterator[Server]:
    """Start Voilà on ``notebooks/`` from ``workdir`` (whose ``voila.json``, if any, it reads).

    ``settings``: environment variables for the server and its kernels (e.g. the SQLite sync mode).
    ``address``: where it listens (another than loopback for clients behind a shaped link).
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


# --- statistics ---------------------------------------------------------------------


def summary(values: list[float]) -> dict[str, float]:
    """p50, p95 and max of ``values`` (seconds), rounded to milliseconds."""
    if not values:
        return {"n": 0, "p50": float("nan"), "p95": float("nan"), "max": float("nan")}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "n": len(values),
        "p50": round(statistics.median(ordered), 3),
        "p95": round(p95, 3),
        "max": round(ordered[-1], 3),
    }


# --- (a) and (b): one participant in a browser ------------------------------------------


# Checked on every animation frame: Playwright's own visibility wait backs off to polling every 500 ms,
# which measured here as a spread of 1.05 s against 1.55 s for the same page.
_CONTROLS_VISIBLE = """() => {
  const radio = document.querySelector('input[type=radio], [role=radio]');
  return radio !== null && radio.checkVisibility();
}"""


def _wait_for_controls(page: object) -> None:
    page.wait_for_function(_CONTROLS_VISIBLE, polling="raf", timeout=120_000)


def browser_runs(server: Server, runs: int) -> dict[str, dict[str, float]]:
    """Section 1 from its link in a fresh context: controls visible, first answer saved, next section."""
    # Its own thread: Playwright's sync API refuses a thread where another Playwright (a test's) runs.
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(_browser_runs, server, runs).result()


def _browser_runs(server: Server, runs: int) -> dict[str, dict[str, float]]:
    from playwright.sync_api import expect, sync_playwright

    visible, answered, following = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1000, "height": 900})
            page = context.new_page()
            started = time.monotonic()
            page.goto(server.page("01-hidden-weight.ipynb"), wait_until="commit")
            _wait_for_controls(page)
            visible.append(time.monotonic() - started)
            page.get_by_role("radio").first.check()
            expect(page.locator(".rw-participant")).to_have_attribute("data-saves", "1", timeout=60_000)
            answered.append(time.monotonic() - started)
            moved = time.monotonic()
            page.get_by_role("link", name=re.compile("^Section 2")).click()
            page.wait_for_url("**/02-handling-it-alone.ipynb*", wait_until="commit")
            _wait_for_controls(page)
            following.append(time.monotonic() - moved)
            # Close the tab as a person does, so the page's own unload handler stops its kernel.
            page.close(run_before_unload=True)
            time.sleep(0.5)
            context.close()
        browser.close()
    return {
        "controls_visible": summary(visible),
        "first_answer_saved": summary(answered),
        "next_section": summary(following),
    }


# --- (c): a room at the protocol level ----------------------------------------------------


@dataclass
class Room:
    """What the simulated room measured."""

    ready: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    saves: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    kernels: list[str] = field(default_factory=list)
    stopped: str = ""
    models: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    frames: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    fallbacks: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # Behind the proxy: how many pages each worker served (HAProxy's X-Workbook-Worker header).
    served_by: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # Pages that met the workbook's busy page first (every kernel in use) and came back, as a browser does.
    busy_pages: int = 0
    # CPU-seconds used so far by the server and by kernels, when the room moved to each page (and at its end).
    cpu_marks: list[tuple[str, dict[str, float]]] = field(default_factory=list)


def kernel_message(session: str, msg_type: str, content: dict, username: str = "bench") -> dict:
    """A Jupyter shell message, as a page's widget manager sends it on the kernel websocket."""
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "username": username,
            "session": session,
            "date": datetime.now(UTC).isoformat(),
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": content,
        "channel": "shell",
        "buffers": [],
    }


class PageClient:
    """One open page: its HTML, its kernel websocket, and its widgets' states."""

    def __init__(self, server: Server, cookies: dict[str, str] | None = None) -> None:
        self.server = server
        # The participant's cookies, kept from page to page as a browser keeps them (behind the
        # proxy, its cookie sends every request of a page to the worker that has the page's kernel).
        self.cookies = {} if cookies is None else cookies
        self.served_by = ""
        self.waited_busy = 0
        self.session = uuid.uuid4().hex
        self.kernel_id = ""
        self.notebook = ""
        self.states: dict[str, dict] = {}
        self.ws = None
        self.frames_sent = 0
        self.fell_back = False
        self._reading: asyncio.Future | None = None
        self._linking: asyncio.Future | None = None

    async def open(
        self, notebook: str, query: str = "", page_files: Callable[[], Awaitable[None]] | None = None
    ) -> None:
        """Load the page and its widgets as a browser's page does: HTML, websocket, every widget's state.

        As Voilà's widget manager does: one ``request_states`` on the control comm; only when the kernel
        has no control target, or gives no answer within 4 s, each widget's state in a message of its own.
        ``page_files``: the page's scripts and styles, fetched as a browser does: from the moment the
        page's head has come (the page streams), and all in before the websocket opens.
        """
        self.notebook = notebook
        loading: asyncio.Future | None = None
        for _attempt in range(BUSY_RETRIES):
            chunks: list[bytes] = []

            def streamed(chunk: bytes, chunks: list[bytes] = chunks) -> None:
                nonlocal loading
                chunks.append(chunk)
                if page_files is not None and loading is None:
                    so_far = b"".join(chunks)
                    if b"jupyter-config-data" in so_far and b"</head>" in so_far:
                        loading = asyncio.ensure_future(page_files())

            response = await AsyncHTTPClient().fetch(
                self.server.page(notebook, query),
                request_timeout=MESSAGE_TIMEOUT,
                headers=self._cookie_header(),
                raise_error=False,
                streaming_callback=streamed,
            )
            body = b"".join(chunks).decode(errors="replace")
            busy = _BUSY_REFRESH.search(body) if response.code == 503 else None
            if busy is None:
                break
            # The workbook's busy page (every kernel in use) reloads itself after a few seconds, and
            # so does the participant's browser: the wait counts in the time until the page is ready.
            self.waited_busy += 1
            await asyncio.sleep(int(busy.group(1)))
        response.rethrow()
        for cookie in response.headers.get_list("Set-Cookie"):
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        self.served_by = response.headers.get("X-Workbook-Worker", "")
        match = _CONFIG.search(body)
        if not match:
            raise RuntimeError(f"{notebook}: no jupyter-config-data")
        self.kernel_id = json.loads(match.group(1))["kernelId"]
        if page_files is not None:
            await (loading if loading is not None else page_files())
        ws_url = (
            self.server.url.replace("http", "ws")
            + f"/api/kernels/{self.kernel_id}/channels?session_id={self.session}"
        )
        # compression_options: permessage-deflate offered, as every browser offers it.
        self.ws = await websocket_connect(
            HTTPRequest(ws_url, connect_timeout=MESSAGE_TIMEOUT, headers=self._cookie_header()),
            compression_options={},
        )
        self.ws.stream.set_nodelay(True)  # as Chromium's sockets are: no small message held back
        if not await self._states_from_control_comm():
            self.fell_back = True
            await self._states_one_by_one()
        # The page's script asks for the cookie while the page is already in use, as a browser's does:
        # it is not part of the page's time. `linked()` waits for it before the next page.
        self._linking = asyncio.ensure_future(self._keep_participant())

    async def linked(self) -> None:
        """Wait until the server has set the participant cookie this page asked for (if any)."""
        if self._linking is not None:
            await self._linking

    async def _keep_participant(self) -> None:
        """As the page's bar script does: ask the server to keep the page's participant in a cookie."""
        bar = self.find(session_code=True)
        if bar is None or not self.states[bar]["session_code"]:
            return  # stock Voilà, or a page without a participant
        state = self.states[bar]
        body = {
            "code": state["session_code"],
            "remember": bool(state.get("remember")),
            "fresh": bool(state.get("fresh")),
        }
        response = await AsyncHTTPClient().fetch(
            f"{self.server.url}/workbook/participant",
            method="POST",
            body=json.dumps(body),
            headers={**self._cookie_header(), "Content-Type": "application/json", "X-Workbook-Page": "1"},
            request_timeout=MESSAGE_TIMEOUT,
            raise_error=False,  # stock Voilà has no such route: the page's script shrugs, so does the client
        )
        for cookie in response.headers.get_list("Set-Cookie"):
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()

    def _cookie_header(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        cookies = {**self.cookies, **(extra or {})}
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items())} if cookies else {}

    async def _send(self, message: dict) -> None:
        self.frames_sent += 1
        await self.ws.write_message(json.dumps(message))

    async def _states_from_control_comm(self) -> bool:
        comm_id = uuid.uuid4().hex
        opening = kernel_message(
            self.session, "comm_open", {"comm_id": comm_id, "target_name": CONTROL_TARGET, "data": {}}
        )
        opening["metadata"] = {"version": CONTROL_VERSION}
        await self._send(opening)
        await self._send(
            kernel_message(
                self.session, "comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}}
            )
        )
        deadline = time.monotonic() + CONTROL_TIMEOUT
        while (left := deadline - time.monotonic()) > 0:
            message = await self._next(left)
            if message is None:
                break
            content = message.get("content", {})
            if content.get("comm_id") != comm_id:
                continue
            if message["header"]["msg_type"] == "comm_close":
                return False
            data = content.get("data", {})
            if message["header"]["msg_type"] == "comm_msg" and data.get("method") == "update_states":
                self.states = {model_id: entry["state"] for model_id, entry in data["states"].items()}
                await self._send(kernel_message(self.session, "comm_close", {"comm_id": comm_id, "data": {}}))
                return True
        return False

    async def _states_one_by_one(self) -> None:
        info = kernel_message(self.session, "comm_info_request", {"target_name": "jupyter.widget"})
        await self._send(info)
        comms = (await self._reply(info["header"]["msg_id"], "comm_info_reply"))["content"]["comms"]
        requests = {}
        for comm_id in comms:
            request = kernel_message(
                self.session, "comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}}
            )
            requests[request["header"]["msg_id"]] = comm_id
            await self._send(request)
        while len(self.states) < len(requests):
            message = await self._next()
            parent = message.get("parent_header", {}).get("msg_id")
            if parent in requests and message["header"]["msg_type"] == "comm_msg":
                data = message["content"]["data"]
                if data.get("method") == "update":
                    self.states[requests[parent]] = data["state"]

    async def _next(self, timeout: float = MESSAGE_TIMEOUT) -> dict | None:
        """The next message from the kernel; ``None`` if none came within ``timeout`` (never lost)."""
        if self._reading is None:
            self._reading = asyncio.ensure_future(self.ws.read_message())
        done, _pending = await asyncio.wait({self._reading}, timeout=timeout)
        if not done:
            if timeout >= MESSAGE_TIMEOUT:
                raise TimeoutError(f"no message from the kernel in {timeout:.0f} s")
            return None
        frame, self._reading = self._reading.result(), None
        if frame is None:
            raise RuntimeError("the kernel websocket closed")
        return json.loads(frame)

    async def _reply(self, msg_id: str, msg_type: str) -> dict:
        while True:
            message = await self._next()
            if (
                message.get("parent_header", {}).get("msg_id") == msg_id
                and message["header"]["msg_type"] == msg_type
            ):
                return message

    def find(self, **wanted: object) -> str | None:
        """The comm id of the first widget whose state has every ``wanted`` key (``True``: any value)."""
        for comm_id, state in self.states.items():
            if all(key in state and (value is True or state[key] == value) for key, value in wanted.items()):
                return comm_id
        return None

    async def answer_first_question(self) -> float | None:
        """Choose an answer to the page's first question; seconds until the page's bar counts a save."""
        bar = self.find(saves=True, session_code=True)
        # The activity's first question: a numbered one, else the first with choices that is not
        # the room's sharing box (outside a room, that box refuses any change).
        questions = [
            c
            for c, s in self.states.items()
            if s.get("options") and s.get("question") and c != self._share_box()
        ]
        numbered = [c for c in questions if str(self.states[c]["question"])[:1].isdigit()]
        question = (numbered or questions or [None])[0]
        if bar is None or question is None:
            return None
        state = self.states[question]
        option = state["options"][0][0]
        value = [option] if isinstance(state.get("value"), list) else option
        return await self.answer(question, value)

    async def answer(self, question: str, value: object, timeout: float = MESSAGE_TIMEOUT) -> float | None:
        """Give the widget ``question`` the value ``value``, as a person's choice on the page does.

        Returns the seconds until the page's bar counted one more save (what the page shows as
        "Saved"), or ``None`` when the bar said the answer is not saved yet.
        """
        bar = self.find(saves=True, session_code=True)
        counted = self.states[bar].get("saves", 0)
        started = time.monotonic()
        update = {"method": "update", "state": {"value": value}, "buffer_paths": []}
        await self._send(kernel_message(self.session, "comm_msg", {"comm_id": question, "data": update}))
        self.states[question]["value"] = value
        while (left := started + timeout - time.monotonic()) > 0:
            message = await self._next(min(left, MESSAGE_TIMEOUT))
            if message is None:
                break
            if message["header"]["msg_type"] != "comm_msg" or message["content"].get("comm_id") != bar:
                continue
            changed = message["content"]["data"].get("state", {})
            self.states[bar].update(changed)
            if changed.get("saves", 0) > counted:
                return time.monotonic() - started
            if changed.get("problem"):
                return None
        raise TimeoutError(f"the page did not say whether the answer was saved within {timeout:.0f} s")

    async def idle(self, seconds: float) -> None:
        """Stay on the page for ``seconds``, reading what the kernel sends; raise if its websocket closes."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            await self._next(min(left, MESSAGE_TIMEOUT / 2))

    def _share_box(self) -> str | None:
        from widgets.room.content import load_room_content

        return self.find(question=load_room_content().share.question)

    def code(self) -> str:
        """The participant's code, as the page's bar holds it for the browser's cookie."""
        bar = self.find(session_code=True)
        return self.states[bar]["session_code"] if bar else ""

    async def close(self) -> None:
        """Leave the page as a browser does: close the websocket and ask Voilà to stop the kernel."""
        with contextlib.suppress(Exception):
            await self.linked()  # a failed cookie is the next page's problem, as in a browser
        if self.ws is not None:
            self.ws.close()
        if self.kernel_id:
            token = uuid.uuid4().hex
            await AsyncHTTPClient().fetch(
                f"{self.server.url}/voila/api/shutdown/{self.kernel_id}",
                method="POST",
                body=b"",
                headers={**self._cookie_header({"_xsrf": token}), "X-XSRFToken": token},
                raise_error=False,
            )


async def _participant(
    server: Server,
    room: Room,
    number: int,
    spread: float,
    barrier: asyncio.Barrier,
    pages: list[str],
    before_page: Callable[[int], Awaitable[None]] | None,
) -> None:
    cookies: dict[str, str] = {}
    previous: PageClient | None = None
    try:
        for page_number, notebook in enumerate(pages):
            # The room moves together: each stays on a page until everyone is done with it, then all
            # move on within `spread` seconds, leaving the page they were on as a browser does. Before
            # they move, the facilitator may act (open the room, pace it) and the room may read a while.
            if await barrier.wait() == 0:
                if before_page is not None:
                    await before_page(page_number)
                room.cpu_marks.append((notebook, cpu_used(server)))
            await barrier.wait()
            if room.stopped:
                return
            await asyncio.sleep(spread * ((number * 7919) % 1000) / 1000)
            await _leave(room, number, previous)
            client = previous = PageClient(server, cookies)
            try:
                started = time.monotonic()
                # No code in any address: the participant cookie, kept in `cookies`, names them.
                await client.open(notebook)
                room.ready[notebook].append(time.monotonic() - started)
                room.models[notebook].append(len(client.states))
                room.frames[notebook].append(client.frames_sent)
                room.fallbacks[notebook] += client.fell_back
                room.busy_pages += client.waited_busy
                if client.served_by:
                    room.served_by[client.served_by] += 1
                room.kernels.append(client.kernel_id)
                if page_number > 0:
                    saved = await client.answer_first_question()
                    if saved is not None:
                        room.saves.append(saved)
            except Exception as error:  # every failure is counted and reported
                room.errors.append(f"participant {number} on {notebook}: {type(error).__name__}: {error}")
    finally:
        await _leave(room, number, previous)


async def _leave(room: Room, number: int, client: PageClient | None) -> None:
    if client is None:
        return
    try:
        await client.close()
    except Exception as error:
        room.errors.append(f"participant {number} leaving {client.notebook}: {error}")


async def _room(
    server: Server,
    size: int,
    spread: float,
    room: Room,
    pages: list[str],
    before_page: Callable[[int], Awaitable[None]] | None = None,
) -> Room:
    AsyncHTTPClient.configure(None, max_clients=size * 2)
    barrier = asyncio.Barrier(size)
    walkers = (
        _participant(server, room, number, spread, barrier, pages, before_page) for number in range(size)
    )
    try:
        await asyncio.wait_for(asyncio.gather(*walkers), ROOM_TIME_LIMIT)
    except TimeoutError:
        room.stopped = room.stopped or f"not done after {ROOM_TIME_LIMIT:.0f} s"
    room.cpu_marks.append(("", cpu_used(server)))
    return room


def cpu_per_page(room: Room, size: int) -> dict[str, dict[str, float]]:
    """CPU-seconds per participant for each page, in the server and in kernels, from one mark to the next."""
    per_page = {}
    for (notebook, before), (_next, after) in zip(room.cpu_marks, room.cpu_marks[1:], strict=False):
        per_page[notebook] = {
            part: round((after[part] - before[part]) / size, 3) for part in ("server", "kernels")
        }
        per_page[notebook]["total"] = round(per_page[notebook]["server"] + per_page[notebook]["kernels"], 3)
    return per_page


def _pools(server: Server) -> dict[str, int]:
    """How many kernels each page's preheated pool holds, as the workbook's server last wrote it."""
    if server.data is None:
        return {}
    for status in server.data.glob("kernel-pools-*.json"):
        if not psutil.pid_exists(int(status.stem.rpartition("-")[2])):
            continue  # left by a server that was killed
        try:
            pools = json.loads(status.read_text(encoding="utf-8"))["pools"]
        except (OSError, ValueError, KeyError):
            continue
        return {name: entry["pooled"] for name, entry in pools.items()}
    return {}


class Facilitator:
    """What the facilitator's page does for the announced room: open it for N, then pace it."""

    def __init__(self, server: Server, size: int, reading: float) -> None:
        from widgets.room.model import Rooms
        from widgets.store import Store

        self.rooms = Rooms(Store(server.data / "workbook.sqlite"))
        self.server, self.size, self.reading = server, size, reading
        self.opened = None
        self.ready_after: dict[str, float] = {}

    async def _until_ready(self, notebook: str, started: float, at_least: float) -> None:
        target = self.size + 1  # the page's own one, and one per person expected
        while time.monotonic() - started < max(at_least, 0) or _pools(self.server).get(notebook, 0) < target:
            if notebook not in self.ready_after and _pools(self.server).get(notebook, 0) >= target:
                self.ready_after[notebook] = round(time.monotonic() - started, 1)
            if time.monotonic() - started > ROOM_TIME_LIMIT / 4:
                break
            await asyncio.sleep(0.5)
        self.ready_after.setdefault(notebook, round(time.monotonic() - started, 1))

    async def before_page(self, page_number: int) -> None:
        """Before the welcome burst: open the room and let its pages get ready; before the next: pace."""
        started = time.monotonic()
        if page_number == 0:
            keys = self.rooms.open_room(expected=self.size)
            self.opened = self.rooms.facilitator_room(keys.join_code, keys.secret)
            await self._until_ready(ANNOUNCED_PAGES[0], started, 0)
        else:
            self.opened.set_pace(page_number)
            # A minute of reading the section before the room opens it together.
            await self._until_ready(ANNOUNCED_PAGES[page_number], started, self.reading)

    def close(self) -> None:
        """Close the room, as the facilitator does at the end."""
        if self.opened is not None:
            self.opened.close()


def room_run(
    server: Server,
    size: int,
    spread: float = 2.0,
    settle: float = 60.0,
    announced: bool = False,
    reading: float = 60.0,
) -> dict:
    """A room of ``size`` at the protocol level, with memory sampled throughout and kernels counted after.

    Unannounced, the room walks the welcome page and sections 1 to 3 with no warning to the server.
    Announced, a facilitator first opens a room for ``size`` (the server gets pages ready), the room
    opens the welcome page together, then the room is paced to section 1, reads for ``reading``
    seconds, and opens it together.
    """
    peak: dict[str, float] = {"total_mib": 0.0, "total_pss_mib": 0.0}
    stop = threading.Event()

    # Kernels already running: preheated pools if any, or (stock Voilà) kernels its closed pages left.
    before = wait_for_idle_kernels(server)
    room = Room()
    most_kernels = [0]
    pools_over_time: list[list[float]] = []
    facilitator = Facilitator(server, size, reading) if announced else None
    started = time.monotonic()

    def sample() -> None:
        while not stop.is_set():
            pools = _pools(server)
            if pools:
                pooled = [pools.get(notebook, 0) for notebook in ANNOUNCED_PAGES]
                pools_over_time.append([round(time.monotonic() - started, 1), *pooled])
            now = memory(server)
            most_kernels[0] = max(most_kernels[0], int(now["kernels"]))
            # The peak is the moment the machine spent most (PSS); RSS double-counts shared pages.
            if now["total_pss_mib"] > peak["total_pss_mib"]:
                peak.update(now)
            if now["total_pss_mib"] > MEMORY_LIMIT_MIB:
                room.stopped = f"stopped: the server's kernels passed {MEMORY_LIMIT_MIB} MiB"
            stop.wait(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    pages = ANNOUNCED_PAGES if announced else ROOM_PAGES
    before_page = facilitator.before_page if facilitator is not None else None
    with ThreadPoolExecutor(max_workers=1) as worker:  # as for the browser: a thread with no loop of its own
        worker.submit(asyncio.run, _room(server, size, spread, room, pages, before_page)).result()
    elapsed = time.monotonic() - started
    if facilitator is not None:
        facilitator.close()
    stop.set()
    sampler.join()
    left = time.monotonic()
    time.sleep(settle)
    alive = len(kernel_processes(server))
    return {
        "participants": size,
        "announced": announced,
        "pages_ready_after": facilitator.ready_after if facilitator is not None else {},
        "pools_over_time": pools_over_time[::2],
        "seconds": round(elapsed, 1),
        "ready": {notebook: summary(times) for notebook, times in room.ready.items()},
        "widget_models": {notebook: statistics.median(counts) for notebook, counts in room.models.items()},
        "frames_sent": {notebook: statistics.median(counts) for notebook, counts in room.frames.items()},
        "fell_back_to_one_by_one": dict(room.fallbacks),
        "cpu_per_page": cpu_per_page(room, size),
        "save": summary(room.saves),
        "errors": len(room.errors),
        "busy_pages_waited": room.busy_pages,
        "stopped": room.stopped,
        "error_samples": room.errors[:5],
        "peak_memory": peak,
        "most_kernels": most_kernels[0],
        "kernels_alive_after": {
            "seconds": round(time.monotonic() - left, 1),
            "kernels": alive,
            "before_room": before,
            "stale": max(0, alive - before),
        },
    }


# --- the table ------------------------------------------------------------------------------


def _row(label: str, stats: dict[str, float], unit: str = "s") -> str:
    figures = "  ".join(f"{key} {stats[key]:>7.3f}{unit}" for key in ("p50", "p95", "max"))
    return f"  {label:<44} {figures}  (n={stats['n']})"


def print_table(results: dict) -> None:
    """Print the results as one table."""
    print(f"\nReconnection Workbook benchmark, {results['date']}, {results['machine']}")
    for name, browser in results["browser"].items():
        print(f"(a, b) one participant, headless Chromium, {name}:")
        print(_row("controls visible (section 1, direct link)", browser["controls_visible"]))
        print(_row("first answer saved (from navigation)", browser["first_answer_saved"]))
        print(_row("next section's controls visible", browser["next_section"]))
    for name, rooms in results["rooms"].items():
        for room in rooms:
            kind = "announced and paced" if room.get("announced") else "unannounced"
            size, seconds = room["participants"], room["seconds"]
            print(f"(c) room of {size} at the protocol level, {kind}, {name} ({seconds} s):")
            if room.get("pages_ready_after"):
                ready = ", ".join(
                    f"{page} {seconds} s" for page, seconds in room["pages_ready_after"].items()
                )
                most = [max((row[i] for row in room["pools_over_time"]), default=0) for i in (1, 2)]
                print(f"  pages ready for the room after: {ready}")
                print(f"  most kernels pooled: welcome {most[0]}, section 1 {most[1]}")
            for notebook, stats in room["ready"].items():
                print(_row(f"ready: {notebook}", stats))
                cpu = room.get("cpu_per_page", {}).get(notebook)
                print(
                    f"    {room['widget_models'].get(notebook, 0):g} widget models, "
                    f"{room['frames_sent'].get(notebook, 0):g} frames sent, "
                    f"{room['fell_back_to_one_by_one'].get(notebook, 0)} fell back to one state a message"
                    + (
                        f"; CPU per page {cpu['total']:.3f} s (server {cpu['server']:.3f}, "
                        f"kernels {cpu['kernels']:.3f})"
                        if cpu
                        else ""
                    )
                )
            print(_row("answer saved", room["save"]))
            print(f"  errors: {room['errors']}" + (f"  ({room['stopped']})" if room["stopped"] else ""))
            peak = room["peak_memory"]
            print(
                f"(d) peak memory: server {peak.get('server_mib', 0)} MiB "
                f"(+ {peak.get('helpers_mib', 0)} MiB warm parent), {peak.get('kernels', 0)} kernels of "
                f"RSS {peak.get('kernel_mean_mib', 0)} / PSS {peak.get('kernel_mean_pss_mib', 0)} / "
                f"own (USS) {peak.get('kernel_mean_uss_mib', 0)} MiB on average; "
                f"total RSS {peak['total_mib']} MiB, PSS {peak['total_pss_mib']} MiB"
            )
            after = room["kernels_alive_after"]
            print(
                f"(e) kernels alive {after['seconds']} s after everyone left: {after['kernels']} "
                f"({after['before_room']} were running before the room; left by the room: {after['stale']})"
            )
    if results.get("targets"):
        print("Targets:")
        for found in results["targets"]:
            measured = (
                "not measured" if found["measured"] is None else f"{found['measured']:g} {found['unit']}"
            )
            verdict = "met" if found["met"] else "NOT met"
            print(
                f"  {found['target']:<58} <= {found['limit']:g} {found['unit']:<6} {measured:>14}  {verdict}"
            )


def _room_result(results: dict, server: str, size: int, announced: bool) -> dict | None:
    for room in results["rooms"].get(server, []):
        if room["participants"] == size and room.get("announced", False) == announced:
            return room
    return None


def targets(results: dict) -> list[dict]:
    """Each target of the workbook's issue 14, with what this run measured and whether it is met."""
    found: list[dict] = []

    def target(name: str, limit: float, value: float | None, unit: str = "s") -> None:
        met = value is not None and value == value and value <= limit  # NaN is never met
        found.append({"target": name, "limit": limit, "measured": value, "unit": unit, "met": met})

    welcome, section_1 = ANNOUNCED_PAGES
    announced = _room_result(results, "workbook", 30, True)
    if announced:
        target("announced room of 30: welcome ready p95", 3.0, announced["ready"].get(welcome, {}).get("p95"))
        target(
            "announced room of 30, paced: section 1 ready p95",
            3.0,
            announced["ready"].get(section_1, {}).get("p95"),
        )
        target("answer saved p95 while the room of 30 works", 0.050, announced["save"]["p95"])
        target(
            "whole server PSS during the room of 30, pools included",
            3072,
            announced["peak_memory"]["total_pss_mib"],
            "MiB",
        )
    burst = _room_result(results, "workbook", 60, False)
    if burst:
        target("unannounced 60 on a section: errors", 0, burst["errors"], "")
        target("unannounced 60 on a section: ready p95", 12.0, burst["ready"].get(section_1, {}).get("p95"))
        cpu = burst.get("cpu_per_page", {}).get(section_1)
        target(
            "CPU per section page without a pool (server + kernel)",
            0.3,
            cpu["total"] if cpu else None,
            "CPU-s",
        )
    browser = results["browser"]
    if "workbook" in browser:
        target("one participant: next section visible p50", 0.6, browser["workbook"]["next_section"]["p50"])
        if "stock" in browser:
            ratio = (
                browser["workbook"]["controls_visible"]["p50"] / browser["stock"]["controls_visible"]["p50"]
            )
            target("section 1 visible p50, as a share of stock Voilà's", 0.25, round(ratio, 3), "x")
    return found


def sync_mode_rooms(modes: list[str], size: int, settle: float, reading: float) -> dict[str, dict]:
    """The announced room of ``size`` once per SQLite sync mode, each on a server and store of its own.

    The store reads the mode from ``RECONNECTION_SQLITE_SYNCHRONOUS`` (`widgets.store`); what differs
    is the answer-save time, the price of FULL's sync at each commit.
    """
    from widgets.store import SYNCHRONOUS_SETTING

    compared: dict[str, dict] = {}
    for mode in modes:
        with serve("workbook", REPO, {SYNCHRONOUS_SETTING: mode}) as server:
            wait_for_idle_kernels(server)
            room = room_run(server, size, settle=settle, announced=True, reading=reading)
        compared[mode] = {
            "participants": size,
            "save": room["save"],
            "ready": room["ready"],
            "errors": room["errors"],
            "error_samples": room["error_samples"],
        }
    return compared


def print_sync_modes(compared: dict[str, dict]) -> None:
    """The answer-save times of each sync mode, side by side."""
    print("\nAnswer saved while an announced room works, by SQLite sync mode (PRAGMA synchronous):")
    for mode, run in compared.items():
        label = f"{mode}, room of {run['participants']}"
        print(_row(label, run["save"]) + f"  errors {run['errors']}")


def _machine() -> str:
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{round(psutil.virtual_memory().total / 2**30)} GiB, Python {platform.python_version()}"
    )


def _write(path: Path, results: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=main.__doc__)
    parser.add_argument("--runs", type=int, default=10, help="browser runs per server (a, b)")
    parser.add_argument("--rooms", default="30,60", help="room sizes for (c), comma-separated")
    parser.add_argument(
        "--settle", type=float, default=60.0, help="seconds to wait before counting kernels (e)"
    )
    parser.add_argument(
        "--announced", default="30", help="room sizes opened by a facilitator first (workbook only)"
    )
    parser.add_argument("--reading", type=float, default=60.0, help="seconds the announced room reads")
    parser.add_argument("--smoke", action="store_true", help="a tiny run that checks the benchmark works")
    parser.add_argument("--servers", default="stock,workbook", help="which servers to measure")
    parser.add_argument("--out", type=Path, help="where to write the JSON (results/latest.json)")
    parser.add_argument(
        "--workers",
        default="",
        help="instead: rooms through HAProxy on PostgreSQL with these numbers of workers, e.g. 1,2",
    )
    parser.add_argument("--proxy-rooms", default="60,120", help="room sizes for --workers")
    parser.add_argument("--max-kernels", type=int, default=140, help="each worker's kernel cap for --workers")
    parser.add_argument(
        "--sync-modes",
        default="",
        help="instead: the announced room (--announced, 30) once per SQLite sync mode, e.g. FULL,NORMAL",
    )
    parser.add_argument(
        "--kill-restarts",
        type=int,
        default=0,
        help="instead: a room saving as it goes while the server is killed (SIGKILL) and restarted N times",
    )
    parser.add_argument("--fault-room", type=int, default=30, help="the room's size for --kill-restarts")
    parser.add_argument(
        "--shaped", action="store_true", help="instead: (f) clients behind one shaped link (needs root)"
    )
    parser.add_argument("--shaped-clients", type=int, default=30, help="clients behind the link for --shaped")
    parser.add_argument("--rate", type=float, default=20.0, help="the shaped link's Mbit/s, each way")
    parser.add_argument("--rtt", type=float, default=0.04, help="the round trip the clients add, seconds")
    parser.add_argument(
        "--lighthouse", action="store_true", help="instead: (g) Lighthouse's mobile audit of two pages"
    )
    parser.add_argument("--lighthouse-runs", type=int, default=3, help="Lighthouse runs per page")
    parser.add_argument(
        "--before",
        type=Path,
        help="with --shaped or --lighthouse: also the workbook as checked out there (a git worktree)",
    )
    options = parser.parse_args(argv)
    if options.shaped or options.lighthouse:
        return _network_figures(options)
    if options.sync_modes:
        from widgets.store import SYNCHRONOUS_MODES

        modes = [mode.strip().upper() for mode in options.sync_modes.split(",") if mode.strip()]
        if not modes or any(mode not in SYNCHRONOUS_MODES for mode in modes):
            parser.error(f"--sync-modes takes {', '.join(SYNCHRONOUS_MODES)}, got {options.sync_modes!r}")
        size = 5 if options.smoke else int(options.announced.split(",")[0])
        settle, reading = (5.0, 3.0) if options.smoke else (options.settle, options.reading)
        compared = sync_mode_rooms(modes, size, settle=settle, reading=reading)
        results = {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": _machine(),
            "sync_modes": compared,
        }
        # Its own file unless told: latest.json holds the whole benchmark's run.
        out = options.out or RESULTS / "sync-modes.json"
        _write(out, results)
        print_sync_modes(compared)
        return 0
    if options.kill_restarts:
        from benchmarks import faults

        size = 3 if options.smoke else options.fault_room
        with serve("workbook", REPO) as server:
            wait_for_idle_kernels(server)
            results = faults.figures(faults.fault_room(server, size, options.kill_restarts))
        results["machine"] = _machine()
        _write(options.out or RESULTS / "issue-18-faults.json", results)
        faults.print_faults(results)
        return 0
    options.out = options.out or RESULTS / "latest.json"
    if options.workers:
        from benchmarks import workers

        rooms = "3" if options.smoke else options.proxy_rooms
        if options.smoke:
            workers.WARM_UP = 2
        return workers.main(
            [int(size) for size in rooms.split(",") if size],
            [int(count) for count in options.workers.split(",") if count],
            options.max_kernels,
            options.out,
        )
    if options.smoke:
        options.runs, options.rooms, options.announced, options.reading = 1, "3", "5", 3.0
    if options.settle is None:
        options.settle = 5.0 if options.smoke else 60.0
    sizes = [int(size) for size in options.rooms.split(",") if size]
    results: dict = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _machine(),
        "browser": {},
        "rooms": {},
    }
    for name in options.servers.split(","):
        workdir = REPO if name == "workbook" else stock_workdir()
        with serve(name, workdir) as server:
            results.setdefault("idle_kernels_at_start", {})[name] = wait_for_idle_kernels(server)
            results["browser"][name] = browser_runs(server, options.runs)
            results["rooms"][name] = []
            if name == "workbook":  # stock Voilà has no rooms to announce
                for size in [int(size) for size in options.announced.split(",") if size]:
                    run = room_run(
                        server, size, settle=options.settle, announced=True, reading=options.reading
                    )
                    results["rooms"][name].append(run)
                    _write(options.out, results)
            for size in sizes:
                results["rooms"][name].append(room_run(server, size, settle=options.settle))
                _write(options.out, results)
    results["targets"] = targets(results)
    _write(options.out, results)
    print_table(results)
    return 0


def _network_figures(options: argparse.Namespace) -> int:
    """(f) and (g): the workbook (and a checkout of it before, if given) beside stock Voilà."""
    servers = [("workbook", REPO)]
    if options.before:
        servers.insert(0, ("before", options.before.resolve()))
    if "stock" in options.servers.split(","):
        servers.append(("stock", stock_workdir()))
    results: dict = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": _machine()}
    if options.shaped:
        from benchmarks import shaped

        size, steady = (3, 1.0) if options.smoke else (options.shaped_clients, 5.0)
        results["shaped"] = shaped.run(servers, size, options.rate, options.rtt, steady)
        _write(options.out or RESULTS / "issue-24-shaped.json", results)
        shaped.print_shaped(results["shaped"])
    if options.lighthouse:
        from benchmarks import lighthouse

        results["lighthouse"] = {}
        for label, workdir in servers:
            with serve("stock" if label == "stock" else "workbook", workdir) as server:
                wait_for_idle_kernels(server)
                results["lighthouse"][label] = lighthouse.audit(server.url, options.lighthouse_runs)
            _write(options.out or RESULTS / "issue-24-lighthouse.json", results)
        lighthouse.print_lighthouse(results["lighthouse"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

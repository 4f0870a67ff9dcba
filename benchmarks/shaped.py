"""(f) A room of phones on a venue's Wi-Fi: thirty clients behind one shaped link, first page and next.

``./workbook bench --shaped`` (root: it makes a network namespace). What it does, for each server (the
workbook and stock Voilà, in the same run):

1. **A shared link.** A network namespace with a veth pair into it, addresses from the benchmarking
   range (server side 198.18.0.1, clients 198.18.0.2), and ``tc tbf`` limiting each direction to
   ``--rate`` Mbit/s (20 by default): the capacity a venue's Wi-Fi or a phone's hotspot shares among
   everyone. The server listens on the host's side; every client sits in the namespace. The namespace
   (and so the pair) is removed when the run ends, failed or not. This kernel has no ``netem``, so the
   round trip (``--rtt``, 40 ms) is added by the clients: Chromium's own network emulation for the
   real browser; the protocol clients wait one round trip per request and one per new connection, as
   a browser's six connections per host do.
2. **A real browser behind the link** (Debian's Chromium, started inside the namespace) loads the first
   page (welcome, cache cold) and the next (section 1, cache warm): time until its widgets show,
   requests that went to the network, bytes received. Its list of requests is the protocol clients'
   list: the same files a browser fetched, in the same number.
3. **Thirty clients at once** (protocol level, in one process in the namespace): each opens the first
   page (HTML, every file the browser fetched, with a browser's ``Accept-Encoding``, six at a time;
   then the kernel websocket, offering permessage-deflate, and every widget's state), then, once all
   are done, the next page with what a browser sends for it with a warm cache (the requests the real
   browser made for it, with the validators the client was given). Ready p50/p95 for each page, and
   bytes on the wire per client (the namespace side's received bytes, headers and TCP included).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

SERVER_ADDRESS = "198.18.0.1"
CLIENT_ADDRESS = "198.18.0.2"
FIRST_PAGE = "00-welcome.ipynb"
NEXT_PAGE = "01-hidden-weight.ipynb"
# What Chromium sends: the server picks brotli.
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br, zstd"
# A browser's connections to one host (HTTP/1.1).
CONNECTIONS = 6
# A page's widgets have shown: Voilà reveals the cells once its widget manager has drawn them.
_WIDGETS_SHOWN = """() => {
  const widget = document.querySelector('#rendered_cells .jupyter-widgets');
  return widget !== null && widget.checkVisibility();
}"""
# What the clients fetch as the browser did: the page's files, not the page, its kernel or its calls.
_FILES = (
    "/voila/static/",
    "/voila/labextensions/",
    "/voila/templates/",
    "/voila/api/themes/",
    "/workbook/page/",
)


@dataclass
class Link:
    """A network namespace behind a shaped veth pair."""

    namespace: str
    host_side: str
    client_side: str
    rate_mbit: float

    def inside(self, *command: str) -> list[str]:
        """``command`` run inside the namespace."""
        return ["ip", "netns", "exec", self.namespace, *command]


def _ip(*arguments: str) -> None:
    subprocess.run(["ip", *arguments], check=True, capture_output=True, text=True)


@contextmanager
def shaped_link(rate_mbit: float) -> Iterator[Link]:
    """A namespace and a veth pair into it, each direction limited to ``rate_mbit``; removed after."""
    tag = f"{os.getpid() % 100000}"
    link = Link(f"rw-bench-{tag}", f"rwbh{tag}", f"rwbn{tag}", rate_mbit)
    # tbf: the rate, a burst of 32 KiB, and up to 500 ms of queue (Wi-Fi buffers rather than drops).
    shaping = ["root", "tbf", "rate", f"{rate_mbit}mbit", "burst", "32kb", "latency", "500ms"]
    try:
        _ip("netns", "add", link.namespace)
        _ip("link", "add", link.host_side, "type", "veth", "peer", "name", link.client_side)
        _ip("link", "set", link.client_side, "netns", link.namespace)
        _ip("addr", "add", f"{SERVER_ADDRESS}/30", "dev", link.host_side)
        _ip("link", "set", link.host_side, "up")
        _ip("-n", link.namespace, "addr", "add", f"{CLIENT_ADDRESS}/30", "dev", link.client_side)
        _ip("-n", link.namespace, "link", "set", link.client_side, "up")
        _ip("-n", link.namespace, "link", "set", "lo", "up")
        subprocess.run(["tc", "qdisc", "add", "dev", link.host_side, *shaping], check=True)
        subprocess.run(link.inside("tc", "qdisc", "add", "dev", link.client_side, *shaping), check=True)
        yield link
    finally:
        # Deleting the namespace deletes its end of the pair, and so the pair.
        subprocess.run(["ip", "netns", "del", link.namespace], capture_output=True)
        subprocess.run(["ip", "link", "del", link.host_side], capture_output=True)


def received_bytes(interface: str) -> int:
    """Bytes an interface of this (the current) namespace has received."""
    return int(Path(f"/sys/class/net/{interface}/statistics/rx_bytes").read_text())


# --- a real browser behind the link ----------------------------------------------------------


def browser_visit(link: Link, server_url: str, rtt: float) -> dict:
    """Chromium inside the namespace, round trip emulated: the first page cold, then the next page warm."""
    # Its own thread: Playwright's sync API refuses a thread where another Playwright (a test's) runs.
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(_browser_visit, link, server_url, rtt).result()


def _browser_visit(link: Link, server_url: str, rtt: float) -> dict:
    from playwright.sync_api import sync_playwright

    from harness.browser import CHROMIUM, CHROMIUM_ARGS

    folder = Path(tempfile.mkdtemp(prefix="bench-shaped-"))
    launcher = folder / "chromium-in-namespace"
    launcher.write_text(f'#!/bin/sh\nexec ip netns exec {link.namespace} {CHROMIUM} "$@"\n')
    launcher.chmod(0o755)
    visit: dict = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(launcher), args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 412, "height": 915}).new_page()
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": rtt * 1000, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        requests: dict[str, dict] = {}

        def sent(event: dict) -> None:
            url = event["request"]["url"]
            if urlsplit(url).scheme in {"http", "https"}:
                requests[event["requestId"]] = {"url": url, "bytes": 0, "cached": False}

        def cached(event: dict) -> None:
            if event["requestId"] in requests:
                requests[event["requestId"]]["cached"] = True

        def finished(event: dict) -> None:
            if event["requestId"] in requests:
                requests[event["requestId"]]["bytes"] = event["encodedDataLength"]

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.requestServedFromCache", cached)
        cdp.on("Network.loadingFinished", finished)
        for step, notebook in (("first", FIRST_PAGE), ("next", NEXT_PAGE)):
            requests.clear()
            started = time.monotonic()
            page.goto(f"{server_url}/voila/render/{notebook}", wait_until="commit", timeout=300_000)
            page.wait_for_function(_WIDGETS_SHOWN, polling="raf", timeout=300_000)
            ready = time.monotonic() - started
            time.sleep(1.0)  # what the page still asks for once shown (counted, not timed)
            network = [request for request in requests.values() if not request["cached"]]
            files = [
                urlsplit(request["url"])._replace(scheme="", netloc="").geturl()
                for request in network
                if urlsplit(request["url"]).path.startswith(_FILES)
            ]
            visit[step] = {
                "ready": round(ready, 3),
                "requests": len(network),
                "bytes": sum(request["bytes"] for request in network),
                "files": files,
            }
        browser.close()
    return visit


# --- thirty clients at the protocol level, inside the namespace -------------------------------


async def _room(server_url: str, plan: dict, size: int, rtt: float, interface: str) -> dict:
    from tornado.httpclient import AsyncHTTPClient

    from harness.server import Server

    AsyncHTTPClient.configure(None, max_clients=size * 2)
    server = Server("shaped", server_url, None, Path(os.devnull))  # type: ignore[arg-type]
    phases = _Phases(size, interface)
    results: list[dict] = []
    await asyncio.gather(*(_participant(server, server_url, plan, rtt, phases, results) for _ in range(size)))
    return _room_figures(results, phases.marks, size)


class _Phases:
    """Every client waits for the others between two phases, where the link's byte counter is read."""

    def __init__(self, size: int, interface: str) -> None:
        self.barrier = asyncio.Barrier(size)
        self.interface = interface
        self.marks: dict[str, int] = {}

    async def mark(self, name: str) -> None:
        """Wait for every client, note the interface's counter as ``name``, then go on together."""
        if await self.barrier.wait() == 0:
            self.marks[name] = received_bytes(self.interface)
        await self.barrier.wait()


class _PageFiles:
    """One client's fetches of a page's files, as a browser makes them: six connections, round trips."""

    def __init__(self, http, server_url: str, rtt: float, outcome: dict) -> None:
        self.http, self.server_url, self.rtt, self.outcome = http, server_url, rtt, outcome
        # Each file's validators from its last answer, sent again once the cache is warm.
        self.validators: dict[str, dict[str, str]] = {}

    async def fetch(self, step: str, paths: list[str], warm: bool, started: float) -> None:
        """Every file of ``paths``, each once, on as many connections as a browser opens."""
        waiting = list(paths)
        self.outcome["files_started"][step] = time.monotonic() - started
        await asyncio.gather(*(self._connection(waiting, warm) for _ in range(min(CONNECTIONS, len(paths)))))
        self.outcome["files_done"][step] = time.monotonic() - started
        await asyncio.sleep(2 * self.rtt)  # the websocket's handshake, then the widgets' states asked for

    async def _connection(self, waiting: list[str], warm: bool) -> None:
        """One kept-alive connection, taking the next file still waiting until none is left."""
        await asyncio.sleep(self.rtt)  # the connection's handshake
        while waiting:
            await self._get(waiting.pop(0), warm)

    async def _get(self, path: str, warm: bool) -> None:
        headers = {"Accept-Encoding": BROWSER_ACCEPT_ENCODING}
        if warm:
            headers.update(self.validators.get(path, {}))
        await asyncio.sleep(self.rtt)  # the request's round trip
        # Read as it came (not decoded): the link's counter says how many bytes it was.
        async with self.http.stream("GET", self.server_url + path, headers=headers) as response:
            async for _chunk in response.aiter_raw():
                pass
        if response.status_code not in (200, 304):
            self.outcome["errors"].append(f"{response.status_code} {path}")
        kept = {}
        if response.headers.get("ETag"):
            kept["If-None-Match"] = response.headers["ETag"]
        if response.headers.get("Last-Modified"):
            kept["If-Modified-Since"] = response.headers["Last-Modified"]
        self.validators[path] = kept


async def _participant(
    server, server_url: str, plan: dict, rtt: float, phases: _Phases, results: list[dict]
) -> None:
    """One client: the first page, then (once every client has it) the next page with a warm cache."""
    import httpx

    from harness.page_client import PageClient

    # Six kept-alive connections, as a browser keeps to one host (HTTP/1.1).
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    http = httpx.AsyncClient(limits=limits, timeout=600.0)
    outcome: dict = {"errors": [], "files_started": {}, "files_done": {}}
    files = _PageFiles(http, server_url, rtt, outcome)
    first = PageClient(server)
    try:
        await phases.mark("start")
        started = time.monotonic()
        await asyncio.sleep(2 * rtt)  # a connection, then the page asked for
        await first.open(
            FIRST_PAGE, page_files=lambda: files.fetch("first", plan["first"]["files"], False, started)
        )
        outcome["first"] = time.monotonic() - started
        await first.linked()
    except Exception as error:
        outcome["errors"].append(f"first page: {error!r}")
    await phases.mark("first")
    await _leave(first, outcome)
    following = PageClient(server, cookies=first.cookies)
    try:
        await phases.mark("between")
        started = time.monotonic()
        await asyncio.sleep(rtt)  # the page asked for on a connection kept open
        await following.open(
            NEXT_PAGE, page_files=lambda: files.fetch("next", plan["next"]["files"], True, started)
        )
        outcome["next"] = time.monotonic() - started
    except Exception as error:
        outcome["errors"].append(f"next page: {error!r}")
    await phases.mark("next")
    await _leave(following, outcome)
    await http.aclose()
    results.append(outcome)


def _room_figures(results: list[dict], marks: dict[str, int], size: int) -> dict:
    """The clients' times and errors, in the order they finished, and the bytes each received."""
    return {
        "files_started": {
            step: [result["files_started"][step] for result in results if step in result["files_started"]]
            for step in ("first", "next")
        },
        "files_done": {
            step: [result["files_done"][step] for result in results if step in result["files_done"]]
            for step in ("first", "next")
        },
        "first": [result["first"] for result in results if "first" in result],
        "next": [result["next"] for result in results if "next" in result],
        "errors": [error for result in results for error in result["errors"]],
        "bytes_per_client": {
            "first": (marks["first"] - marks["start"]) / size,
            "next": (marks["next"] - marks["between"]) / size,
        },
    }


async def _leave(client, outcome: dict) -> None:
    """Leave a page as a browser does (Voilà's shutdown call); a page never opened has nothing to leave."""
    if not client.kernel_id:
        return
    try:
        await client.close()
    except Exception as error:
        outcome["errors"].append(f"leaving {client.notebook}: {error!r}")


def room_behind(link: Link, server_url: str, plan: dict, size: int, rtt: float) -> dict:
    """The room of ``size``, in a process of its own inside the namespace; its figures."""
    from harness.server import REPO
    from harness.stats import summary

    with tempfile.TemporaryDirectory(prefix="bench-shaped-") as folder:
        plan_file, out_file = Path(folder) / "plan.json", Path(folder) / "room.json"
        plan_file.write_text(json.dumps(plan))
        command = link.inside(
            sys.executable,
            "-m",
            "benchmarks.shaped",
            "--room-inside",
            server_url,
            str(plan_file),
            str(size),
            str(rtt),
            link.client_side,
            str(out_file),
        )
        subprocess.run(command, check=True, cwd=REPO, timeout=1800)
        room = json.loads(out_file.read_text())
    return {
        "size": size,
        "first_page_ready": summary(room["first"]),
        "next_page_ready": summary(room["next"]),
        # When the page's head had come (its files asked for from then on), and when every file had.
        "first_page_head": summary(room["files_started"]["first"]),
        "next_page_head": summary(room["files_started"]["next"]),
        "first_page_files_done": summary(room["files_done"]["first"]),
        "next_page_files_done": summary(room["files_done"]["next"]),
        "bytes_per_client": {step: round(value) for step, value in room["bytes_per_client"].items()},
        "errors": room["errors"][:20],
        "error_count": len(room["errors"]),
    }


def shaped_run(server, link: Link, size: int, rtt: float, steady: float = 5.0) -> dict:
    """The real browser's visit, then the room, for one server behind ``link``.

    ``steady``: seconds the server's kernel count must hold still (its pools full) before each.
    """
    from harness.server import wait_for_idle_kernels

    wait_for_idle_kernels(server, steady=steady)
    visit = browser_visit(link, server.url, rtt)
    wait_for_idle_kernels(server, steady=steady)
    plan = {step: {"files": visit[step]["files"]} for step in ("first", "next")}
    room = room_behind(link, server.url, plan, size, rtt)
    return {
        "browser": {
            step: {key: value for key, value in visit[step].items() if key != "files"}
            | {"files": len(visit[step]["files"])}
            for step in ("first", "next")
        },
        "room": room,
    }


def run(
    servers: list[tuple[str, Path]], size: int, rate_mbit: float, rtt: float, steady: float = 5.0
) -> dict:
    """Every server (its label, and the folder it runs from) behind one shaped link, one after another."""
    from harness.server import serve

    figures: dict = {"rate_mbit": rate_mbit, "rtt_s": rtt, "clients": size, "servers": {}}
    with shaped_link(rate_mbit) as link:
        for label, workdir in servers:
            kind = "stock" if label == "stock" else "workbook"
            with serve(kind, workdir, address=SERVER_ADDRESS) as server:
                figures["servers"][label] = shaped_run(server, link, size, rtt, steady)
    return figures


def print_shaped(figures: dict) -> None:
    """The shaped-link table."""
    print(
        f"\n(f) {figures['clients']} clients behind one link of {figures['rate_mbit']:g} Mbit/s,"
        f" {figures['rtt_s'] * 1000:.0f} ms round trip"
    )
    print(f"{'':44}" + "".join(f"{name:>16}" for name in figures["servers"]))
    rows = [
        ("browser: first page widgets shown (s)", lambda f: f["browser"]["first"]["ready"]),
        ("browser: first page requests", lambda f: f["browser"]["first"]["requests"]),
        ("browser: first page bytes", lambda f: f["browser"]["first"]["bytes"]),
        ("browser: next page widgets shown (s)", lambda f: f["browser"]["next"]["ready"]),
        ("browser: next page requests", lambda f: f["browser"]["next"]["requests"]),
        ("browser: next page bytes", lambda f: f["browser"]["next"]["bytes"]),
        ("room: first page ready p50 (s)", lambda f: f["room"]["first_page_ready"]["p50"]),
        ("room: first page ready p95 (s)", lambda f: f["room"]["first_page_ready"]["p95"]),
        ("room: first page head in, p95 (s)", lambda f: f["room"]["first_page_head"]["p95"]),
        ("room: first page files all in, p95 (s)", lambda f: f["room"]["first_page_files_done"]["p95"]),
        ("room: next page ready p50 (s)", lambda f: f["room"]["next_page_ready"]["p50"]),
        ("room: next page ready p95 (s)", lambda f: f["room"]["next_page_ready"]["p95"]),
        ("room: first page bytes per client", lambda f: f["room"]["bytes_per_client"]["first"]),
        ("room: next page bytes per client", lambda f: f["room"]["bytes_per_client"]["next"]),
        ("room: errors", lambda f: f["room"]["error_count"]),
    ]
    for label, value in rows:
        cells = []
        for figures_of in figures["servers"].values():
            try:
                found = value(figures_of)
            except (KeyError, TypeError):
                cells.append(f"{'-':>16}")
                continue
            cells.append(f"{found:>16,}" if isinstance(found, int) else f"{found:>16.2f}")
        print(f"{label:44}" + "".join(cells))


def _room_inside(argv: list[str]) -> int:
    server_url, plan_file, size, rtt, interface, out_file = argv
    plan = json.loads(Path(plan_file).read_text())
    room = asyncio.run(_room(server_url, plan, int(size), float(rtt), interface))
    Path(out_file).write_text(json.dumps(room))
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="the room's side, run by the benchmark inside its namespace")
    parser.add_argument("--room-inside", nargs=6, required=True)
    raise SystemExit(_room_inside(parser.parse_args().room_inside))

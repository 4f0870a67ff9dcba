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
import json
import os
import platform
import re
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import psutil

from benchmarks.room import ROOM_TIME_LIMIT, Room, _room, cpu_per_page
from harness.browser import CHROMIUM, CHROMIUM_ARGS
from harness.server import REPO, Server, kernel_processes, memory, serve, stock_workdir, wait_for_idle_kernels
from harness.stats import summary

RESULTS = REPO / "benchmarks" / "results"
# Announced rooms larger than this run on a server of their own with the kernel cap raised (--max-kernels):
# at the default cap (90) a room of 60 cannot have its next section ready for everyone.
LARGEST_ANNOUNCED_AT_DEFAULT_CAP = 40
# The announced room: the welcome page, then the section the room is paced to.
ANNOUNCED_PAGES = ["00-welcome.ipynb", "01-hidden-weight.ipynb"]
ROOM_PAGES = [
    "00-welcome.ipynb",
    "01-hidden-weight.ipynb",
    "02-handling-it-alone.ipynb",
    "03-protective-withdrawal.ipynb",
]
# Stock Voilà has no limit on kernels: a room that outruns the machine is stopped, not left to swap.
MEMORY_LIMIT_MIB = 12 * 1024


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
        # Kernels ready now (a pool's size also counts those still waiting to be made).
        return {name: entry.get("ready", entry["pooled"]) for name, entry in pools.items()}
    return {}


class Facilitator:
    """What the facilitator's page does for the announced room: open it for N, then pace it."""

    def __init__(self, server: Server, size: int, reading: float) -> None:
        from widgets.registry import SECTIONS
        from widgets.room.model import Rooms
        from widgets.store import Store

        self.rooms = Rooms(Store(server.data / "workbook.sqlite"), SECTIONS)
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
    # Kernels already running: preheated pools if any, or (stock Voilà) kernels its closed pages left.
    before = wait_for_idle_kernels(server)
    room = Room()
    facilitator = Facilitator(server, size, reading) if announced else None
    started = time.monotonic()
    sampler = _RoomSampler(server, room, started)
    sampler.start()
    pages = ANNOUNCED_PAGES if announced else ROOM_PAGES
    before_page = facilitator.before_page if facilitator is not None else None
    with ThreadPoolExecutor(max_workers=1) as worker:  # as for the browser: a thread with no loop of its own
        worker.submit(asyncio.run, _room(server, size, spread, room, pages, before_page)).result()
    elapsed = time.monotonic() - started
    if facilitator is not None:
        facilitator.close()
    sampler.stop()
    kernels_alive_after = _kernels_left(server, settle, before)
    return {
        "participants": size,
        "announced": announced,
        "spread": spread,
        "pages_ready_after": facilitator.ready_after if facilitator is not None else {},
        "pools_over_time": sampler.pools_over_time[::2],
        "seconds": round(elapsed, 1),
        **_room_figures(room, size),
        "peak_memory": sampler.peak,
        "most_kernels": sampler.most_kernels,
        "kernels_alive_after": kernels_alive_after,
    }


class _RoomSampler:
    """Memory, kernels and pooled pages every half second while a room runs, in a thread of its own."""

    def __init__(self, server: Server, room: Room, started: float) -> None:
        self.server, self.room, self.started = server, room, started
        self.peak: dict[str, float] = {"total_mib": 0.0, "total_pss_mib": 0.0}
        self.most_kernels = 0
        self.pools_over_time: list[list[float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def start(self) -> None:
        """Start sampling."""
        self._thread.start()

    def stop(self) -> None:
        """Stop sampling, once the sample under way is taken."""
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.is_set():
            pools = _pools(self.server)
            if pools:
                pooled = [pools.get(notebook, 0) for notebook in ANNOUNCED_PAGES]
                self.pools_over_time.append([round(time.monotonic() - self.started, 1), *pooled])
            now = memory(self.server)
            self.most_kernels = max(self.most_kernels, int(now["kernels"]))
            # The peak is the moment the machine spent most (PSS); RSS double-counts shared pages.
            if now["total_pss_mib"] > self.peak["total_pss_mib"]:
                self.peak.update(now)
            if now["total_pss_mib"] > MEMORY_LIMIT_MIB:
                self.room.stopped = f"stopped: the server's kernels passed {MEMORY_LIMIT_MIB} MiB"
            self._stop.wait(0.5)


def _room_figures(room: Room, size: int) -> dict:
    """What the room's participants met: pages ready, widgets, CPU, saves and errors."""
    return {
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
    }


def _kernels_left(server: Server, settle: float, before: int) -> dict:
    """(e): the kernels still alive ``settle`` seconds after the room left, and how many it left."""
    left = time.monotonic()
    time.sleep(settle)
    alive = len(kernel_processes(server))
    return {
        "seconds": round(time.monotonic() - left, 1),
        "kernels": alive,
        "before_room": before,
        "stale": max(0, alive - before),
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
            size, seconds, spread = room["participants"], room["seconds"], room.get("spread", 2.0)
            arriving = "at the same instant" if spread == 0 else f"arriving over {spread:g} s"
            cap = f", kernel cap {room['max_kernels']}" if room.get("max_kernels") else ""
            print(f"(c) room of {size} at the protocol level, {kind}, {arriving}, {name}{cap} ({seconds} s):")
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
    _print_targets(results.get("targets", []))


def _print_targets(targets_found: list[dict]) -> None:
    if not targets_found:
        return
    print("Targets:")
    for found in targets_found:
        measured = "not measured" if found["measured"] is None else f"{found['measured']:g} {found['unit']}"
        verdict = "met" if found["met"] else "NOT met"
        print(f"  {found['target']:<58} <= {found['limit']:g} {found['unit']:<6} {measured:>14}  {verdict}")


def _room_result(results: dict, server: str, size: int, announced: bool, spread: float = 2.0) -> dict | None:
    for room in results["rooms"].get(server, []):
        if (
            room["participants"] == size
            and room.get("announced", False) == announced
            and room.get("spread", 2.0) == spread
        ):
            return room
    return None


def targets(results: dict) -> list[dict]:
    """Each target of the workbook's issue 14, with what this run measured and whether it is met."""
    found: list[dict] = []

    def target(name: str, limit: float, value: float | None, unit: str = "s") -> None:
        met = value is not None and value == value and value <= limit  # NaN is never met
        found.append({"target": name, "limit": limit, "measured": value, "unit": unit, "met": met})

    welcome, section_1 = ANNOUNCED_PAGES
    _same_instant_targets(results, target)
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


def _same_instant_targets(results: dict, target: Callable[..., None]) -> None:
    """Issue 28's: rooms whose people all arrive at the same instant, and the idle server's memory."""
    welcome, section_1 = ANNOUNCED_PAGES
    announced = _room_result(results, "workbook", 30, True, spread=0.0)
    if announced:
        target(
            "announced 30 at the same instant: welcome ready p95",
            1.5,
            announced["ready"].get(welcome, {}).get("p95"),
        )
    unannounced = _room_result(results, "workbook", 30, False, spread=0.0)
    if unannounced:
        for notebook in (welcome, section_1):
            stats = unannounced["ready"].get(notebook, {})
            target(f"unannounced 30 at the same instant: {notebook} ready p95", 3.0, stats.get("p95"))
    burst = _room_result(results, "workbook", 60, False, spread=0.0)
    if burst:
        section_2 = ROOM_PAGES[2]
        target(
            "unannounced 60 at the same instant: section 2 ready p95",
            8.0,
            burst["ready"].get(section_2, {}).get("p95"),
        )
    idle = results.get("idle_memory", {}).get("workbook")
    if idle:
        target("idle server's memory (PSS), ready pages included", 4096, idle["total_pss_mib"], "MiB")


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


def _parser() -> argparse.ArgumentParser:
    """The benchmark's command line: what each run measures, and how big."""
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
    parser.add_argument("--spreads", default="0,2", help="seconds each room arrives over (0: all at once)")
    parser.add_argument("--smoke", action="store_true", help="a tiny run that checks the benchmark works")
    parser.add_argument("--servers", default="stock,workbook", help="which servers to measure")
    parser.add_argument("--out", type=Path, help="where to write the JSON (results/latest.json)")
    _scenario_options(parser)
    return parser


def _scenario_options(parser: argparse.ArgumentParser) -> None:
    """The scenarios that run instead of the whole benchmark, and their own options."""
    parser.add_argument(
        "--workers",
        default="",
        help="instead: rooms through HAProxy on PostgreSQL with these numbers of workers, e.g. 1,2",
    )
    parser.add_argument("--proxy-rooms", default="60,120", help="room sizes for --workers")
    parser.add_argument(
        "--max-kernels",
        type=int,
        default=140,
        help="each worker's kernel cap for --workers; the server's for announced rooms over "
        f"{LARGEST_ANNOUNCED_AT_DEFAULT_CAP}",
    )
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
        "--hosts",
        type=int,
        default=0,
        help="instead: a room of N on two worker hosts, one host lost and back (benchmarks/hosts.py; root)",
    )
    parser.add_argument("--voila-tests", action="store_true", help="instead: Voilà's tests on both servers")
    parser.add_argument(
        "--static",
        action="store_true",
        help="instead: (h) the server-free edition: bytes and time to section 1, first and return visit, "
        "throttled and not",
    )
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


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    parser = _parser()
    options = parser.parse_args(argv)
    # Each of these runs instead of the whole benchmark (as their options' help says).
    if options.shaped or options.lighthouse:
        return _network_figures(options)
    if options.sync_modes:
        return _sync_mode_figures(parser, options)
    if options.kill_restarts:
        return _fault_figures(options)
    if options.hosts:
        from benchmarks import hosts

        return hosts.main(
            3 if options.smoke else options.hosts, options.out or RESULTS / "issue-28-hosts.json"
        )
    if options.voila_tests:
        from benchmarks import voila_tests

        return voila_tests.main(options.smoke, options.out or RESULTS / "issue-28-voila-tests.json")
    if options.static:
        from benchmarks import static_site

        return static_site.main(options.smoke, options.out or RESULTS / "issue-29-static.json")
    options.out = options.out or RESULTS / "latest.json"
    if options.workers:
        return _proxy_figures(options)
    return _whole_benchmark(options)


def _sync_mode_figures(parser: argparse.ArgumentParser, options: argparse.Namespace) -> int:
    """``--sync-modes``: the announced room once per SQLite sync mode."""
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


def _fault_figures(options: argparse.Namespace) -> int:
    """``--kill-restarts``: a room saving as it goes while the server is killed and started again."""
    from benchmarks import faults

    size = 3 if options.smoke else options.fault_room
    with serve("workbook", REPO) as server:
        wait_for_idle_kernels(server)
        results = faults.figures(faults.fault_room(server, size, options.kill_restarts))
    results["machine"] = _machine()
    _write(options.out or RESULTS / "issue-18-faults.json", results)
    faults.print_faults(results)
    return 0


def _proxy_figures(options: argparse.Namespace) -> int:
    """``--workers``: rooms through HAProxy on PostgreSQL, once per number of workers."""
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


def _whole_benchmark(options: argparse.Namespace) -> int:
    """(a) to (e) on each server: one participant in a browser, rooms, memory, kernels left behind."""
    if options.smoke:
        options.runs, options.rooms, options.announced, options.reading = 1, "3", "5", 3.0
        options.spreads = "0"  # the rooms arriving at the same instant: the newer path
    if options.settle is None:
        options.settle = 5.0 if options.smoke else 60.0
    sizes = [int(size) for size in options.rooms.split(",") if size]
    announced = [int(size) for size in options.announced.split(",") if size]
    spreads = [float(spread) for spread in options.spreads.split(",") if spread]
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
            results.setdefault("idle_memory", {})[name] = memory(server)
            results["browser"][name] = browser_runs(server, options.runs)
            results["rooms"][name] = []
            for spread in spreads:
                if name == "workbook":  # stock Voilà has no rooms to announce
                    for size in announced:
                        if size > LARGEST_ANNOUNCED_AT_DEFAULT_CAP:
                            continue  # on a server of its own, below
                        run = room_run(
                            server, size, spread, options.settle, announced=True, reading=options.reading
                        )
                        results["rooms"][name].append(run)
                        _write(options.out, results)
                for size in sizes:
                    results["rooms"][name].append(room_run(server, size, spread, settle=options.settle))
                    _write(options.out, results)
    larger = [size for size in announced if size > LARGEST_ANNOUNCED_AT_DEFAULT_CAP]
    if larger and "workbook" in options.servers.split(","):
        results["rooms"]["workbook"].extend(_larger_announced_rooms(options, larger, spreads))
    results["targets"] = targets(results)
    _write(options.out, results)
    print_table(results)
    return 0


def _larger_announced_rooms(
    options: argparse.Namespace, sizes: list[int], spreads: list[float]
) -> list[dict]:
    """Announced rooms too big for the default kernel cap, on a server whose cap is raised to fit them.

    As the README tells a facilitator to: a room of 60 needs its pages ready for everyone, twice over
    (the welcome page and the section it is paced to), beside the idle pools; the cap is ``--max-kernels``.
    """
    runs = []
    cap = (f"--CappedKernelManager.max_kernels={options.max_kernels}",)
    with serve("workbook", REPO, options=cap) as server:
        wait_for_idle_kernels(server)
        for spread in spreads:
            for size in sizes:
                run = room_run(server, size, spread, options.settle, announced=True, reading=options.reading)
                runs.append({**run, "max_kernels": options.max_kernels})
    return runs


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

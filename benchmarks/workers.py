"""Past one process: rooms opening pages at once through HAProxy, with 1 and with 2 Voilà workers.

Both servers run as ``./workbook serve --workers N`` runs them (``widgets.server.workers``: HAProxy in
front, its cookie keeping each participant's page on the worker that has its kernel), on one
PostgreSQL server (a throwaway cluster, ``harness/postgres.py``), in the same run. Each room is
unannounced: everyone opens the welcome page within 2 s, then section 1, as ``bench.py``'s room does,
with clients that keep their cookies from page to page as a browser does. Each server first serves a
small room that is not counted. Measured per room: pages
ready p50 / p95, errors, CPU per page in the servers (HAProxy and the workers) and in kernels, which
worker served how many pages, and PostgreSQL's client connections at their peak.

Both servers get the same kernel cap (``--CappedKernelManager.max_kernels``, above the largest room),
so that the cap is not what tells them apart: each worker has its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import psutil

from benchmarks.room import Room, _room, cpu_per_page
from harness.postgres import PostgresCluster, throwaway_cluster
from harness.server import REPO, Server, free_port, wait_for_idle_kernels, wait_for_workers
from harness.stats import summary

PAGES = ["00-welcome.ipynb", "01-hidden-weight.ipynb"]
WARM_UP = 10
# Starts the supervisor as `./workbook serve --workers N` does, also for N = 1 (so both go through
# HAProxy): port, workers, then Voilà settings.
_LAUNCH = (
    "import sys\n"
    "from widgets.server.launch import ServeOptions\n"
    "from widgets.server.workers import serve_workers\n"
    "port, workers, settings = int(sys.argv[1]), int(sys.argv[2]), tuple(sys.argv[3:])\n"
    "options = ServeOptions(port=port, workers=workers, voila_settings=settings)\n"
    "sys.exit(serve_workers(options))\n"
)


@contextmanager
def through_proxy(workers: int, database_url: str, max_kernels: int) -> Iterator[Server]:
    """``workers`` Voilà workers behind HAProxy on one free port, keeping answers in ``database_url``."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix=f"bench-workers-{workers}-", suffix=".log")[1])
    data = Path(tempfile.mkdtemp(prefix="bench-data-"))
    environment = {
        **os.environ,
        "RECONNECTION_DATA_DIR": str(data),
        "RECONNECTION_DATABASE_URL": database_url,
        "JUPYTER_PATH": str(REPO / "share" / "jupyter"),
    }
    settings = [f"--CappedKernelManager.max_kernels={max_kernels}"]
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", _LAUNCH, str(port), str(workers), *settings],
            cwd=REPO,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_workers(url, lambda seen: len(seen) >= workers)
        yield Server(f"{workers} worker(s)", url, process, log, data)
    finally:
        tree = []
        with contextlib.suppress(psutil.Error):
            tree = psutil.Process(process.pid).children(recursive=True)
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
        for child in tree:  # nothing of a stopped run may weigh on the next
            try:
                child.kill()
            except psutil.Error:
                continue


def _connections_peak(cluster: PostgresCluster, stop: threading.Event, peak: list[int]) -> None:
    while not stop.is_set():
        try:
            peak[0] = max(peak[0], cluster.connections())
        except Exception:  # noqa: S112 - the server busy for a moment: the next sample counts
            continue
        finally:
            stop.wait(0.1)


def room_through_proxy(server: Server, cluster: PostgresCluster, size: int, spread: float = 2.0) -> dict:
    """A room of ``size`` opening the welcome page together, then section 1, through the proxy."""
    wait_for_idle_kernels(server)
    room = Room()
    stop, peak = threading.Event(), [0]
    sampler = threading.Thread(target=_connections_peak, args=(cluster, stop, peak), daemon=True)
    sampler.start()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, _room(server, size, spread, room, PAGES)).result()
    stop.set()
    sampler.join()
    return {
        "participants": size,
        "seconds": round(time.monotonic() - started, 1),
        "ready": {notebook: summary(times) for notebook, times in room.ready.items()},
        "errors": len(room.errors),
        "busy_pages_waited": room.busy_pages,
        "error_samples": room.errors[:5],
        "stopped": room.stopped,
        "cpu_per_page": cpu_per_page(room, size),
        "pages_per_worker": dict(sorted(room.served_by.items())),
        "postgres_connections_peak": peak[0],
    }


def compare(sizes: list[int], workers: list[int], max_kernels: int) -> dict:
    """Every room size with every number of workers, on one PostgreSQL server, in one run."""
    results: dict = {"pages": PAGES, "max_kernels_per_worker": max_kernels, "runs": []}
    with throwaway_cluster(max_connections=max(200, 3 * max(sizes))) as cluster:
        for count in workers:
            with through_proxy(count, cluster.new_database(), max_kernels) as server:
                # A first small room, not counted: the first burst after a start is slower whatever
                # the server (measured: the first room of each run came out up to 20% slower).
                room_through_proxy(server, cluster, WARM_UP)
                for size in sizes:
                    run = room_through_proxy(server, cluster, size)
                    run["workers"] = count
                    results["runs"].append(run)
    results["ratios"] = ratios(results["runs"])
    return results


def ratios(runs: list[dict]) -> dict[str, dict[str, float]]:
    """Each room's ready p95 with 2 workers over its p95 with 1 (below 1: 2 workers are faster)."""
    by = {(run["workers"], run["participants"]): run for run in runs}
    found: dict[str, dict[str, float]] = {}
    for (count, size), run in by.items():
        one = by.get((1, size))
        if count == 1 or one is None:
            continue
        found[f"{count} workers / 1, room of {size}"] = {
            notebook: round(stats["p95"] / one["ready"][notebook]["p95"], 2)
            for notebook, stats in run["ready"].items()
            if one["ready"].get(notebook, {}).get("p95")
        }
    return found


def print_table(results: dict) -> None:
    """The comparison as the README shows it."""
    print(f"\nRooms through HAProxy on PostgreSQL (pages: {', '.join(results['pages'])})")
    for run in results["runs"]:
        ready = "  ".join(
            f"{notebook.split('-')[0]}: p50 {stats['p50']:.2f} p95 {stats['p95']:.2f} s"
            for notebook, stats in run["ready"].items()
        )
        cpu = ", ".join(
            f"{notebook.split('-')[0]} {parts['server']:.2f}+{parts['kernels']:.2f}"
            for notebook, parts in run["cpu_per_page"].items()
        )
        print(
            f"  {run['workers']} worker(s), room of {run['participants']}: {ready}; errors {run['errors']};"
            f" busy pages waited {run['busy_pages_waited']};"
            f" CPU per page (servers+kernels) {cpu}; pages per worker {run['pages_per_worker']};"
            f" PostgreSQL connections at the peak {run['postgres_connections_peak']}"
        )
    for name, values in results["ratios"].items():
        print(f"  {name}: p95 ratio {values}")


def main(sizes: list[int], workers: list[int], max_kernels: int, out: Path) -> int:
    """Run the comparison, write its JSON to ``out`` and print its table."""
    results = compare(sizes, workers, max_kernels)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    print_table(results)
    return 0 if all(run["errors"] == 0 and not run["stopped"] for run in results["runs"]) else 1

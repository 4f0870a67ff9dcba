"""The benchmark keeps working: a smoke run against the real server (not a timed test)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from benchmarks.bench import ANNOUNCED_PAGES, ROOM_PAGES, main
from benchmarks.shaped import CLIENT_ADDRESS, SERVER_ADDRESS, shaped_link

# Timings and capacity: measured with the machine to itself (README, "Tests").
pytestmark = [pytest.mark.browser, pytest.mark.serial]


def test_benchmark_smoke_run(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert main(["--smoke", "--servers", "workbook", "--settle", "15", "--out", str(out)]) == 0
    results = json.loads(out.read_text())
    browser = results["browser"]["workbook"]
    for measure in ("controls_visible", "first_answer_saved", "next_section"):
        assert browser[measure]["n"] == 1
        assert 0 < browser[measure]["p50"] < 120
    announced, room = results["rooms"]["workbook"]
    # The announced room: the server got a page ready for each of the 5 before they came.
    assert announced["announced"]
    assert announced["errors"] == 0, announced["error_samples"]
    assert [announced["ready"][page]["n"] for page in ANNOUNCED_PAGES] == [5, 5]
    assert announced["save"]["n"] == 5
    assert set(announced["pages_ready_after"]) == set(ANNOUNCED_PAGES)
    # (The pages kept ready while no room is open, ready_when_idle, may be more at the start.)
    most_pooled = [max(row[i] for row in announced["pools_over_time"]) for i in (1, 2)]
    assert min(most_pooled) >= 6, announced["pools_over_time"]
    assert announced["widget_models"][ANNOUNCED_PAGES[0]] > 10
    assert announced["fell_back_to_one_by_one"] == {page: 0 for page in ANNOUNCED_PAGES}
    # The unannounced room, everyone arriving at the same instant.
    assert not room["announced"]
    assert room["spread"] == 0
    assert room["errors"] == 0, room["error_samples"]
    assert [room["ready"][page]["n"] for page in ROOM_PAGES] == [3] * len(ROOM_PAGES)
    assert room["save"]["n"] == 3 * (len(ROOM_PAGES) - 1)
    assert room["most_kernels"] >= 3
    assert room["peak_memory"]["kernels"] >= 1
    after = room["kernels_alive_after"]
    assert after["stale"] == 0
    assert after["kernels"] == after["before_room"], "only the preheated pools are left"
    assert room["cpu_per_page"][ROOM_PAGES[1]]["total"] > 0
    printed = capsys.readouterr().out
    assert "(c) room of 3 at the protocol level, unannounced, at the same instant, workbook" in printed
    assert "Targets:" in printed


def test_benchmark_through_the_proxy_smoke_run(tmp_path, capsys):
    """Rooms through HAProxy on PostgreSQL with 1 and 2 workers (``./workbook bench --workers 1,2``)."""
    out = tmp_path / "workers.json"
    assert main(["--smoke", "--workers", "1,2", "--out", str(out)]) == 0
    results = json.loads(out.read_text())
    one, two = results["runs"]
    assert (one["workers"], two["workers"]) == (1, 2)
    for run in (one, two):
        assert run["errors"] == 0, run["error_samples"]
        assert [stats["n"] for stats in run["ready"].values()] == [3, 3]
        assert sum(run["pages_per_worker"].values()) == 6
        assert run["cpu_per_page"]["01-hidden-weight.ipynb"]["kernels"] > 0
    assert set(one["pages_per_worker"]) == {"worker1"}
    assert set(two["pages_per_worker"]) == {"worker1", "worker2"}  # the proxy spread the room
    assert list(results["ratios"]) == ["2 workers / 1, room of 3"]
    assert "Rooms through HAProxy on PostgreSQL" in capsys.readouterr().out


def test_sync_modes_are_checked_before_anything_runs(capsys):
    """``--sync-modes FULL,NORMAL`` runs the room once per mode; a mode the store refuses stops at once."""
    with pytest.raises(SystemExit) as stopped:
        main(["--sync-modes", "FULL,OFF"])
    assert stopped.value.code == 2
    assert "--sync-modes takes FULL, NORMAL, got 'FULL,OFF'" in capsys.readouterr().err


def _namespaces() -> str:
    return subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout


def _fetch_through(link, folder) -> tuple[int, float]:
    """Bytes and seconds for a client in the namespace to fetch a file the host side serves."""
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", "8999", "--bind", SERVER_ADDRESS, "--directory", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    fetch = (
        "import time, urllib.request; time.sleep(0.5); started = time.monotonic(); "
        f"size = len(urllib.request.urlopen('http://{SERVER_ADDRESS}:8999/blob', timeout=30).read()); "
        "print(size, time.monotonic() - started)"
    )
    try:
        client = link.inside(sys.executable, "-c", fetch)
        got = subprocess.run(client, capture_output=True, text=True, timeout=60)
    finally:
        server.terminate()
        server.wait()
    size, took = got.stdout.split()
    return int(size), float(took)


def _made_then_failed(folder) -> tuple[object, dict]:
    seen: dict = {}
    with shaped_link(8) as link:
        seen["namespaces"] = _namespaces()
        seen["shaping"] = subprocess.run(
            ["tc", "qdisc", "show", "dev", link.host_side], capture_output=True, text=True, check=True
        ).stdout
        seen["fetched"] = _fetch_through(link, folder)
        raise RuntimeError(link, seen)


def test_the_shaped_link_limits_the_rate_and_is_removed_even_when_the_run_fails(tmp_path):
    """The network the shaped benchmark makes: 198.18.0.0/15 addresses, tbf each way, gone afterwards."""
    (tmp_path / "blob").write_bytes(bytes(2_500_000))
    with pytest.raises(RuntimeError) as failed:
        _made_then_failed(tmp_path)
    link, seen = failed.value.args
    assert link.namespace in seen["namespaces"]
    assert "tbf" in seen["shaping"]
    assert "8Mbit" in seen["shaping"]
    # 20 Mbit at 8 Mbit/s takes 2.5 s at the least; over loopback it would take milliseconds.
    assert seen["fetched"][0] == 2_500_000
    assert seen["fetched"][1] > 2.2, seen["fetched"]
    assert SERVER_ADDRESS.startswith("198.18.")
    assert CLIENT_ADDRESS.startswith("198.18.")
    # The failed run left nothing behind.
    assert link.namespace not in _namespaces()
    assert subprocess.run(["ip", "link", "show", link.host_side], capture_output=True).returncode != 0

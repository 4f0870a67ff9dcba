"""Workers on two hosts behind HAProxy on a third, PostgreSQL on a fourth, and one worker host lost.

Each host is a network namespace of its own (`harness.hosts`: 198.18.28.0/24, made by the test and
removed after, also when it fails). The room is `benchmarks.hosts`'s scenario at a smaller size: the
facilitator opens a room through HAProxy with the token, on host A; participants join through the room's
link and land on both hosts by HAProxy's cookie, answer section 1's check-in and see "Saved". Then host
A's cable is unplugged and every process on it killed: HAProxy stops sending new pages to it within its
health checks, the participants who were on it reload onto host B with every answer shown saved, the
dashboard (on A, so reloaded too) counts every member and every share made after the cut, and no answer
shown saved is missing from PostgreSQL. Then host A comes back and serves a newcomer's page.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from benchmarks.hosts import CUT, KEPT, LOST, PROBE_EVERY, SAVES_BEFORE, figures, lost_host_room
from harness.hosts import LINK_PREFIX, NAMESPACE_PREFIX, PORT, deployment, four_hosts
from harness.server import wait_for_idle_kernels
from widgets.room.access import facilitator_token
from widgets.server.workers import haproxy_config

# HAProxy's health checks, timed with the machine to itself (README, "Tests").
pytestmark = pytest.mark.serial

ROOM = 6
PATIENCE = 8.0  # seconds a participant whose page says nothing waits before reloading it
# A host gone silently fails each check after min(timeout connect, inter) = 2 s; two failures (fall 2),
# each started up to inter (2 s) after the one before: down within about 8 s of the cut.
CHECKS_DOWN_WITHIN = 10.0


def _left_on_the_machine() -> tuple[list[str], list[str]]:
    namespaces = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout
    links = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True, check=True).stdout
    return (
        sorted(line.split()[0] for line in namespaces.splitlines() if line.startswith(NAMESPACE_PREFIX)),
        sorted(re.findall(rf"^\d+: ({re.escape(LINK_PREFIX)}[^:@]+)", links, re.M)),
    )


def _fail_inside_the_hosts() -> None:
    with four_hosts() as network:
        # The leftover is gone; the four hosts and their switch are there, and the test's own cable.
        hosts = sorted(f"{NAMESPACE_PREFIX}{name}" for name in ("a", "b", "db", "proxy", "switch"))
        assert _left_on_the_machine() == (hosts, [f"{LINK_PREFIX}client"])
        assert all(host.address.startswith("198.18.28.") for host in network.hosts)
        raise RuntimeError("mid-run")


def test_the_hosts_are_removed_after_a_failure_and_leftovers_before_a_run():
    subprocess.run(["ip", "netns", "add", f"{NAMESPACE_PREFIX}leftover"], check=True)
    with pytest.raises(RuntimeError, match="mid-run"):
        _fail_inside_the_hosts()
    assert _left_on_the_machine() == ([], [])


def _assert_the_cut(results: dict) -> None:
    assert results["errors"] == 0, results["error_samples"]
    assert not results["stopped"]
    assert results["on_each_host"][LOST] >= 1
    assert results["on_each_host"][KEPT] >= 1
    assert results["processes_killed"] >= 3  # Voilà, its warm parent, and at least one kernel
    assert 0 < results["haproxy_marked_down_after"] <= CHECKS_DOWN_WITHIN
    # Newcomers meanwhile: served by B (one sent to A first waits for its 2 s connect timeout), but for
    # those still trying A at the moment HAProxy took it out and closed its connections: at most the
    # requests of one connect timeout (one every PROBE_EVERY).
    newcomers = results["newcomers_while_down"]
    assert newcomers["requests"] > 0
    assert KEPT in newcomers["served_by"]
    assert set(newcomers["served_by"]) <= {KEPT, CUT}
    assert newcomers["cut_when_marked_down"] <= 2.0 / PROBE_EVERY + 1
    assert newcomers["wait"]["max"] < 3.0


def _assert_the_room_went_on(results: dict) -> None:
    back = results["back_on_the_other_host"]
    assert back["n"] == results["on_each_host"][LOST]
    assert results["back_on"] == [KEPT]
    assert back["max"] < PATIENCE + 20
    # HAProxy closes the lost host's connections as it takes it out: no page is left waiting in silence
    # for a "Saved" that cannot come (each hears its connection close, and reloads).
    assert results["answers_without_a_word_at_the_cut"] == 0
    assert results["pages_not_restored"] == 0, results["not_restored_samples"]
    assert results["answers_checked_in_store"] >= ROOM * SAVES_BEFORE
    assert results["answers_lost"] == 0, results["lost_samples"]
    board = results["dashboard"]
    assert board["on"] == LOST
    assert board["reloaded"] >= 1
    assert board["back_on"] == KEPT
    assert tuple(board["counts_seen"][-1][1:]) == (ROOM, ROOM)  # every member, and every share after the cut
    assert board["longest_without_a_reply"] < PATIENCE + 20
    assert results["newcomer_on_the_host_back"] == {
        "served_by": LOST,
        "ready": results["newcomer_on_the_host_back"]["ready"],
        "saved": True,
    }


def test_a_room_on_two_worker_hosts_goes_on_when_one_host_is_lost(tmp_path):
    with deployment(token=facilitator_token(), logs=tmp_path) as hosts:
        written = (tmp_path / "haproxy.cfg").read_text(encoding="utf-8")
        servers = [(w.name, w.host.address, PORT) for w in hosts.workers.values()]
        assert written == haproxy_config(hosts.network.proxy.address, PORT, servers)
        for worker in hosts.workers.values():
            wait_for_idle_kernels(worker.server(), steady=2.0)
        results = figures(lost_host_room(hosts, ROOM, PATIENCE))
    print(json.dumps(results))
    _assert_the_cut(results)
    _assert_the_room_went_on(results)
    assert _left_on_the_machine() == ([], [])

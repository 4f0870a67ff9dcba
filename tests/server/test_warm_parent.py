"""Kernels forked from the warm parent: what it refuses, and that the real server's kernels come from it."""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import threading
import time

import psutil
import pytest
from conftest import open_page, running_voila, shut_down

from widgets.server.provisioner import _alive, _stat
from widgets.server.warm_parent import _read_request

LAUNCH = ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "kernel-1.json"]


def _request(payload: bytes) -> dict:
    ours, theirs = socket.socketpair()

    def send() -> None:
        with contextlib.suppress(OSError):  # the reader may stop early, as it does for a too-large one
            theirs.sendall(payload)
            theirs.shutdown(socket.SHUT_WR)

    sender = threading.Thread(target=send)
    sender.start()
    try:
        with ours:
            return _read_request(ours)
    finally:
        theirs.close()
        sender.join()


def test_a_request_from_voila_is_read():
    request = _request(json.dumps({"argv": LAUNCH, "env": {"A": "1"}, "cwd": "notebooks"}).encode() + b"\n")
    assert request["argv"] == LAUNCH


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"argv": ["/bin/sh", "-c", "echo hi"], "env": {}, "cwd": "/"}, "only 'python -m ipykernel_launcher"),
        ({"argv": ["python", "-m", "other"], "env": {}, "cwd": "/"}, "only 'python -m ipykernel_launcher"),
        ({"argv": "python -m ipykernel_launcher", "env": {}, "cwd": "/"}, "argv must be a list"),
        ({"argv": LAUNCH, "env": {"A": 1}, "cwd": "/"}, "env must map strings"),
        ({"argv": LAUNCH, "env": {}, "cwd": 3}, "cwd must be a string"),
    ],
)
def test_anything_but_an_ipykernel_launch_is_refused(payload, reason):
    with pytest.raises(ValueError, match=re.escape(reason)):
        _request(json.dumps(payload).encode() + b"\n")


def test_an_oversized_or_broken_request_is_refused():
    with pytest.raises(ValueError, match="too large"):
        _request(b"x" * (2 << 20))
    with pytest.raises(ValueError, match="Expecting property name"):
        _request(b"{not json\n")


def test_a_connection_that_sends_nothing_is_not_a_request():
    with pytest.raises(EOFError):
        _request(b"")


def test_a_finished_process_is_not_alive_even_before_it_is_collected():
    assert _alive(os.getpid())
    process = psutil.Popen(["true"])
    deadline = time.monotonic() + 10
    while process.status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.status() == psutil.STATUS_ZOMBIE
    assert not _alive(process.pid)
    process.wait()
    assert not _alive(process.pid)


def test_a_process_id_taken_by_another_process_is_not_the_kernel():
    _state, started = _stat(os.getpid())
    assert _alive(os.getpid(), started)
    assert not _alive(os.getpid(), str(int(started) - 1))


def _warm_parents(server_pid: int) -> list[psutil.Process]:
    return [
        child
        for child in psutil.Process(server_pid).children()
        if any("widgets.server.warm_parent" in part for part in child.cmdline())
    ]


# Without the preheated pools, so that the only kernels are the pages' own.
NO_POOLS = "--VoilaConfiguration.preheat_kernel=False"


def test_the_servers_kernels_are_forked_and_go_with_the_server(tmp_path):
    with running_voila(tmp_path / "voila.log", NO_POOLS) as (server, process):
        first = open_page(server.page("01-hidden-weight.ipynb"))
        second = open_page(server.page("02-handling-it-alone.ipynb"))
        assert first != second
        (parent,) = _warm_parents(process.pid)
        kernels = parent.children()
        assert len(kernels) == 2, "each page's kernel is a child of the one warm parent"
        # Leaving a page stops its kernel, as Voilà's own page does.
        shut_down(server, first)
        deadline = time.monotonic() + 30
        while len(parent.children()) != 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(parent.children()) == 1
        left = [*parent.children(), parent]
    # The server is gone: so are the warm parent and every kernel it forked.
    gone, alive = psutil.wait_procs(left, timeout=15)
    assert alive == [], [p.pid for p in alive]
    assert len(gone) == 2


def _kernel_of(parent: psutil.Process) -> psutil.Process:
    (kernel,) = parent.children()
    return kernel


def test_a_forked_kernel_ends_on_sigterm_and_a_lost_warm_parent_is_replaced(tmp_path):
    with running_voila(tmp_path / "voila.log", NO_POOLS) as (server, process):
        open_page(server.page("01-hidden-weight.ipynb"))
        (parent,) = _warm_parents(process.pid)
        kernel = _kernel_of(parent)
        # The server's shutdown sends SIGTERM first: a kernel ends on it, as any kernel does.
        kernel.terminate()
        kernel.wait(timeout=10)

        parent.kill()
        parent.wait(timeout=10)
        # The next page still opens: a new warm parent takes the old one's place.
        open_page(server.page("02-handling-it-alone.ipynb"))
        (replacement,) = _warm_parents(process.pid)
        assert replacement.pid != parent.pid
        # The new page's kernel, and the server's restart of the page whose kernel was stopped.
        assert replacement.children()


POOLED = 11  # the English pages: voila.json preheats no other language's (see README, Languages)


def test_the_preheated_pools_are_forked_too_and_a_pooled_page_opens(tmp_path):
    with running_voila(tmp_path / "voila.log") as (server, process):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            parents = _warm_parents(process.pid)
            if parents and len(parents[0].children()) >= POOLED:
                break
            time.sleep(0.5)
        (parent,) = _warm_parents(process.pid)
        # One idle kernel for each of the 11 English participant pages (not the facilitator page or
        # the guide).
        assert len(parent.children()) == POOLED
        server_kernels = [
            child
            for child in psutil.Process(process.pid).children()
            if any("ipykernel" in part for part in child.cmdline())
        ]
        assert server_kernels == [], "no kernel was started the usual way"
        started = time.monotonic()
        assert open_page(server.page("01-hidden-weight.ipynb"))
        assert time.monotonic() - started < 10

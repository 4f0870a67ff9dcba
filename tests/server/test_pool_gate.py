"""Pages before pools (`widgets.server.pool_gate`): the queue a pool's kernel waits in before it is made.

The gate is driven here on a real event loop with the three things it reads from the server (pages
waiting, a notebook's rank, whether a kernel's page reached its request) as plain values the test sets;
`tests/server/test_room_pools.py` runs it inside the real server.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from widgets.server import pool_gate
from widgets.server.pool_gate import PoolGate


class Server:
    """What the gate reads, as the test sets it."""

    def __init__(self) -> None:
        self.pages_waiting = 0
        self.ready: set[str] = set()
        self.ranks: dict[str, int] = {}
        self.made: list[str] = []

    def gate(self) -> PoolGate:
        return PoolGate(
            lambda: self.pages_waiting, lambda name: self.ranks.get(name, 2), self.ready.__contains__
        )

    async def make(self, gate: PoolGate, notebook: str, kernel_id: str) -> None:
        async with gate.turn(notebook, asyncio.current_task()) as made:
            self.made.append(kernel_id)
            made(kernel_id)


def _run(check) -> None:
    """Run ``check`` on an event loop of its own (in a thread: a browser test may hold this one's)."""
    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, asyncio.wait_for(check(), 20)).result()


def test_no_pool_kernel_is_begun_while_a_page_is_waiting() -> None:
    server = Server()
    server.pages_waiting = 1

    async def check() -> None:
        gate = server.gate()
        task = asyncio.ensure_future(server.make(gate, "01.ipynb", "k1"))
        await asyncio.sleep(0.5)
        assert server.made == []
        assert gate.queued == 1
        server.pages_waiting = 0
        server.ready.add("k1")
        await task
        assert server.made == ["k1"]
        assert gate.begun == 1

    _run(check)


def test_one_at_a_time_until_its_page_reaches_the_request() -> None:
    server = Server()

    async def check() -> None:
        gate = server.gate()
        first = asyncio.ensure_future(server.make(gate, "01.ipynb", "k1"))
        second = asyncio.ensure_future(server.make(gate, "02.ipynb", "k2"))
        await asyncio.sleep(0.5)
        assert server.made == ["k1"], "the second began before the first kernel's page was ready"
        server.ready.add("k1")
        await first
        server.ready.add("k2")
        await second
        assert server.made == ["k1", "k2"]

    _run(check)


def test_a_rooms_pages_then_one_kernel_for_every_page_before_any_seconds() -> None:
    server = Server()
    server.ranks = {"room.ipynb": 0, "welcome.ipynb": 1}
    server.pages_waiting = 1  # everything queues first

    async def check() -> None:
        gate = server.gate()
        order = ["welcome.ipynb", "welcome.ipynb", "other.ipynb", "room.ipynb", "room.ipynb", "other.ipynb"]
        tasks = [
            asyncio.ensure_future(server.make(gate, name, f"{name}#{number}"))
            for number, name in enumerate(order)
        ]
        await asyncio.sleep(0.2)
        server.ready.update(f"{name}#{number}" for number, name in enumerate(order))
        server.pages_waiting = 0
        await asyncio.gather(*tasks)
        assert [kernel.split("#")[0] for kernel in server.made] == [
            "room.ipynb",
            "room.ipynb",
            "welcome.ipynb",
            "other.ipynb",
            "welcome.ipynb",
            "other.ipynb",
        ]

    _run(check)


def test_a_kernel_a_page_already_took_goes_at_once(monkeypatch) -> None:
    server = Server()
    server.pages_waiting = 1  # the page that took it is waiting for it

    async def check() -> None:
        gate = server.gate()
        before = asyncio.ensure_future(server.make(gate, "01.ipynb", "k0"))
        task = asyncio.ensure_future(server.make(gate, "01.ipynb", "k1"))
        await asyncio.sleep(0.3)
        assert server.made == []
        gate.wanted_now(task)  # the page took the second entry: that one goes, not the first
        await asyncio.wait_for(task, 1)
        assert server.made == ["k1"]
        before.cancel()
        await asyncio.gather(before, return_exceptions=True)

    _run(check)


def test_a_stream_of_pages_cannot_starve_the_pools(monkeypatch) -> None:
    monkeypatch.setattr(pool_gate, "STARVED_AFTER", 0.6)
    server = Server()
    server.pages_waiting = 3  # and never fewer

    async def check() -> None:
        gate = server.gate()
        gate._last_begun = gate.clock()  # a pool kernel was just begun
        task = asyncio.ensure_future(server.make(gate, "01.ipynb", "k1"))
        await asyncio.sleep(0.3)
        assert server.made == []
        await asyncio.wait_for(task, 2)
        assert server.made == ["k1"]

    _run(check)


def test_a_kernel_whose_page_never_gets_ready_holds_the_gate_only_so_long(monkeypatch) -> None:
    monkeypatch.setattr(pool_gate, "LONGEST_HOLD", 0.4)
    server = Server()

    async def check() -> None:
        gate = server.gate()
        first = asyncio.ensure_future(server.make(gate, "01.ipynb", "never-ready"))
        second = asyncio.ensure_future(server.make(gate, "02.ipynb", "k2"))
        server.ready.add("k2")
        await asyncio.wait_for(asyncio.gather(first, second), 3)
        assert server.made == ["never-ready", "k2"]

    _run(check)


def test_a_cancelled_wait_leaves_the_queue_clean() -> None:
    server = Server()
    server.pages_waiting = 1

    async def check() -> None:
        gate = server.gate()
        task = asyncio.ensure_future(server.make(gate, "01.ipynb", "k1"))
        await asyncio.sleep(0.2)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        assert gate.queued == 0
        assert not gate._notebooks

    _run(check)

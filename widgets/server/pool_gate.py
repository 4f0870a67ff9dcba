"""Pages before pools: a preheated kernel is made only while no page someone asked for is waiting.

Voilà fills every pool at once: at a start, after a crash, and after each page taken from a pool. On 2
cores that work competes with the pages people are waiting for, and wins: after a restart in a room of
30, the reloaded pages were ready 14-26 s after the server answered, behind the refills. The gate puts
the kernel manager's pool refills (its ``_initialize``, wrapped in `widgets.server.kernels`) in a queue:

- **one at a time**: the next pool kernel is begun only once the last has run its page up to the
  participant's part (its kernel waits for the request on Voilà's ``/voila/query`` socket), or after
  :data:`LONGEST_HOLD` seconds;
- **only while no page is waiting**: a page request from its arrival until its HTML is sent
  (`widgets.server.page_requests`). A pool still gets one kernel every :data:`STARVED_AFTER` seconds
  while pages keep coming, so a long stream of pages cannot leave every pool empty;
- **the most wanted first**: every kernel for the pages an open room is paced to; then one kernel for
  each pool, where people arrive together (the welcome page and section 1) first, before any pool's
  second, so after a restart every page has one kernel ready soon (the gate's ``priority`` says which
  pages are which);
- **a page never waits in it**: a page is given a pool's kernel that is made if there is one (the
  kernel manager moves it to the front); else Voilà hands it the pool's next, which may still wait
  here: :meth:`PoolGate.wanted_now` lets that one through at once, since it is now that page's kernel.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import asynccontextmanager

__all__ = ["LONGEST_HOLD", "STARVED_AFTER", "PoolGate"]

# Seconds a pool kernel may hold the gate while its page runs up to the participant's part (a page
# that never asks for its request, or a kernel that died, lets the next one go after this).
LONGEST_HOLD = 4.0
# Seconds after the last pool kernel was begun that one more is begun even while pages are waiting.
STARVED_AFTER = 8.0
# How often a waiting pool kernel looks again (cheap: a few comparisons).
LOOK_EVERY = 0.05


class PoolGate:
    """The queue a pool's kernel waits in before it is made.

    Parameters
    ----------
    pages_waiting
        How many page requests are waiting for their HTML now.
    priority
        A notebook's rank: 0 when an open room is paced to it, else lower first.
    ready
        Whether a kernel's page has run up to its request (Voilà's query socket is open for it).
    clock
        Seconds, as ``time.monotonic``.
    """

    def __init__(
        self,
        pages_waiting: Callable[[], int],
        priority: Callable[[str], int],
        ready: Callable[[str], bool],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.pages_waiting = pages_waiting
        self.priority = priority
        self.ready = ready
        self.clock = clock
        self._queue: list[tuple[int, int, int]] = []  # (round, rank, number): the smallest goes first
        self._notebooks: dict[int, str] = {}  # a queued ticket's notebook
        self._keys: dict[int, Hashable] = {}  # a queued ticket's pool entry (its task)
        self._wanted: set[Hashable] = set()  # pool entries pages took before they were made
        self._numbers = itertools.count()
        self._holder: int | None = None
        self._last_begun = clock()  # the starved rule counts from the server's start
        self.begun = 0  # pool kernels let through, for the status file and the tests
        self.held_back = 0.0  # seconds pool kernels waited in all, for the same

    @property
    def queued(self) -> int:
        """Pool kernels waiting for their turn."""
        return len(self._queue)

    def wanted_now(self, key: Hashable) -> None:
        """A page took the pool entry ``key`` before its kernel was made: make it now, first."""
        self._wanted.add(key)

    def _ticket(self, notebook: str) -> tuple[int, int, int]:
        rank = self.priority(notebook)
        # A room's kernels all go first; else this notebook's n-th kernel queued waits for every
        # other pool's (n-1)-th.
        queued_here = sum(1 for name in self._notebooks.values() if name == notebook)
        return (0 if rank == 0 else queued_here + 1, rank, next(self._numbers))

    def _may_begin(self, ticket: tuple[int, int, int]) -> bool:
        key = self._keys.get(ticket[2])
        if key is not None and key in self._wanted:
            self._wanted.discard(key)
            return True
        if self._holder is not None or not self._queue or self._queue[0] != ticket:
            return False
        return self.pages_waiting() == 0 or self.clock() - self._last_begun >= STARVED_AFTER

    @asynccontextmanager
    async def turn(self, notebook: str, key: Hashable = None) -> AsyncIterator[Callable[[str], None]]:
        """Wait for ``notebook``'s pool kernel's turn; the caller makes the kernel inside the block.

        ``key``: the pool entry this kernel is for (its task), for :meth:`wanted_now`.

        The block receives a function to call with the new kernel's id: the gate is then held until
        that kernel's page is ready for its request (or :data:`LONGEST_HOLD`), so the next pool kernel
        does not compete with it.
        """
        ticket = self._ticket(notebook)
        heapq.heappush(self._queue, ticket)
        self._notebooks[ticket[2]] = notebook
        if key is not None:
            self._keys[ticket[2]] = key
        asked = self.clock()
        try:
            while not self._may_begin(ticket):
                await asyncio.sleep(LOOK_EVERY)
        finally:
            self._queue.remove(ticket)
            heapq.heapify(self._queue)
            del self._notebooks[ticket[2]]
            self._keys.pop(ticket[2], None)
        if self._holder is not None:  # a page's kernel, let through beside the one holding the gate
            yield lambda _kernel_id: None
            return
        self._holder, self._last_begun = ticket[2], self.clock()
        self.begun += 1
        self.held_back += self._last_begun - asked
        made: list[str] = []
        try:
            yield made.append
            until = self.clock() + LONGEST_HOLD
            while made and not self.ready(made[0]) and self.clock() < until and self.pages_waiting() == 0:
                await asyncio.sleep(LOOK_EVERY)
        finally:
            self._holder = None

"""Preheated pages sized to the rooms that are open: the work of a room's burst done before it.

A room acts together: everyone opens the welcome page when the facilitator says so, and everyone opens
the next section together. Voilà's preheated kernels do a page's start before anyone asks for it, so a
room that is expected is served from kernels already made. While a room is open, the welcome page, and
the section the room is paced to, each keep ready about as many kernels as the facilitator said people
would come (fewer as those kernels are used); every other page keeps its ``voila.json`` pool; pools go
back when the room closes or moves on. A used kernel is not replaced in the burst, only if the room
still expects more people, so refills happen while the room reads.

**Ready for a burst nobody announced.** People also arrive together without a room: a facilitator who
just says "open the link", a class handed the address. While the server is otherwise idle, the pages
they arrive on (the welcome page and section 1) keep ``ready_when_idle`` kernels each
(`widgets.server.kernels.CappedKernelManager`), fewer if the machine's free memory is short
(:func:`ready_for_bursts`); a page that finds the kernel cap full takes the place of one of those
(:meth:`RoomPools.spare_kernel`), so they never cost a page its kernel.

Pools grow a few kernels at a time, and never past the kernel cap less a reserve for pages that come
without warning; their kernels are made only while no page is waiting (`widgets.server.pool_gate`).
Each pool's size and target is written to ``kernel-pools-PID.json`` in the data folder (counts only),
for the benchmark and the tests to read.

Behind ``./workbook serve --workers N`` (``RECONNECTION_WORKERS``), every worker reads the same rooms,
and HAProxy's cookie spreads a room's people about evenly between the workers: each worker keeps ready
its share of a room, ``ceil(expected / N)``, not the whole room.

Voilà has no public way to shrink a pool, so :class:`RoomPools` reads its ``_pools`` (pinned by the
``voila<0.6`` requirement); it changes pool sizes only through ``kernel_pools_config`` and
``fill_if_needed``, and stops kernels only through ``shutdown_kernel``.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import psutil
from tornado.ioloop import PeriodicCallback

log = logging.getLogger(__name__)

# Kernels a pool may grow by in one look at the rooms (every `interval` seconds): a room of 30 is
# ready within about 10 s of opening, without starving pages being opened at the same time.
GROW_STEP = 6
# Kernels kept free under the cap for pages opened by people no room announced.
RESERVE = 10
# How many workers share the rooms (set by `widgets.server.workers` in each worker's environment).
WORKERS_SETTING = "RECONNECTION_WORKERS"
# A preheated kernel's own memory (USS), measured: about 45 MiB forked from the warm parent; counted
# high, so the pools below stay well within what is free.
KERNEL_MEMORY = 64 * 2**20
# The most of the machine's free memory (at the server's start) kept-ready pages may use together.
MEMORY_SHARE = 0.25


def ready_for_bursts(wanted: int, pages: int, workers: int, available: int | None = None) -> int:
    """Kernels each of ``pages`` keeps ready while idle: ``wanted`` shared by the workers, within memory.

    ``available``: the machine's free memory in bytes (read now when not given).
    """
    if wanted <= 0 or pages <= 0:
        return 0
    free = psutil.virtual_memory().available if available is None else available
    memory_allows = int(free * MEMORY_SHARE // KERNEL_MEMORY) // pages
    return max(1, min(math.ceil(wanted / max(1, workers)), memory_allows))


def workers_sharing() -> int:
    """How many workers serve this workbook: ``RECONNECTION_WORKERS``, 1 when unset or not a count."""
    text = os.environ.get(WORKERS_SETTING, "")
    return int(text) if text.isdigit() and int(text) >= 1 else 1


class RoomPools:
    """Keeps the kernel manager's preheated pools the size the open rooms need.

    Parameters
    ----------
    manager
        Voilà's kernel manager (with preheated pools): ``kernel_pools_config``, ``fill_if_needed``,
        ``get_pool_size``, ``shutdown_kernel``, ``in_use`` and ``max_kernels``.
    demand
        Reads the rooms in use: ``[(room_id, expected, notebook paced to or None), ...]``.
    welcome
        The welcome page's notebook, as Voilà names it (``00-welcome.ipynb``).
    status_folder
        Where the pools' sizes are written, or ``None`` for nowhere.
    interval
        Seconds between two looks at the rooms.
    workers
        How many workers share each room's people (``RECONNECTION_WORKERS`` unless given).
    together
        The pages people arrive on together without a room (the welcome page and section 1).
    ready_when_idle
        Kernels each of ``together`` keeps ready (before :func:`ready_for_bursts` shares and bounds it).
    """

    def __init__(
        self,
        manager: Any,
        demand: Callable[[], list[tuple[int, int, str | None]]],
        welcome: str,
        status_folder: Path | None,
        interval: float = 2.0,
        workers: int | None = None,
        together: Iterable[str] = (),
        ready_when_idle: int = 0,
    ) -> None:
        self.manager = manager
        self.workers = workers_sharing() if workers is None else max(1, workers)
        self.together = frozenset(together)
        self.ready_when_idle = ready_for_bursts(ready_when_idle, len(self.together), self.workers)
        self.demand = demand
        self.welcome = welcome
        self.status = status_folder / f"kernel-pools-{os.getpid()}.json" if status_folder else None
        self.base: dict[str, dict[str, Any]] = {
            name: dict(config) for name, config in manager.kernel_pools_config.items()
        }
        self.wanted: dict[tuple[int, str], int] = {}  # (room, notebook) -> kernels that room expects
        self.taken: dict[tuple[int, str], int] = defaultdict(int)  # kernels used from them so far
        self._written = ""
        self._callback = PeriodicCallback(self.look, interval * 1000)

    def start(self) -> None:
        """Look at the rooms every ``interval`` seconds from now on."""
        self._callback.start()

    # --- sizes -------------------------------------------------------------------------

    def base_size(self, notebook: str) -> int:
        """The pool ``voila.json`` gives a notebook when no room needs it."""
        config = self.base.get(notebook, self.base.get("default", {}))
        return int(config.get("pool_size", self.base.get("default", {}).get("pool_size", 1)))

    def outstanding(self, notebook: str) -> int:
        """Kernels the open rooms still expect to use on ``notebook``."""
        return sum(
            max(0, expected - self.taken[(room, name)])
            for (room, name), expected in self.wanted.items()
            if name == notebook
        )

    def target(self, notebook: str) -> int:
        """How many kernels ``notebook``'s pool should hold now."""
        # Kept ready for an unannounced burst only while no room is open: an open room's pools are sized
        # to it, and need the kernels under the cap.
        idle = self.ready_when_idle if notebook in self.together and not self.wanted else 0
        return max(self.base_size(notebook) + self.outstanding(notebook), idle)

    def _set_size(self, notebook: str, size: int) -> None:
        config = dict(self.manager.kernel_pools_config.get(notebook, self.base.get("default", {})))
        config["pool_size"] = size
        pools = dict(self.manager.kernel_pools_config)
        pools[notebook] = config
        self.manager.kernel_pools_config = pools

    # --- a kernel taken from a pool ----------------------------------------------------------

    def taking(self, notebook: str) -> None:
        """A page is about to take a kernel from ``notebook``'s pool: count it, so it is not replaced.

        Called before Voilà pops the kernel and refills the pool to its configured size.
        """
        for key, expected in self.wanted.items():
            if key[1] == notebook and self.taken[key] < expected:
                self.taken[key] += 1
                break
        if self.target(notebook) > self.base_size(notebook):
            # Voilà refills the pool to its configured size right after the take. In a burst that
            # would start a kernel for every one used: keep the size at what is left, and let the
            # next look grow it back while the room reads.
            left = max(self.manager.get_pool_size(notebook) - 1, 0)
            self._set_size(notebook, min(self.target(notebook), left))
        else:
            self._set_size(notebook, self.base_size(notebook))

    # --- a look at the rooms -------------------------------------------------------------------

    async def look(self) -> None:
        """Read the rooms in use, then grow or shrink each pool a step towards its target."""
        try:
            rooms = self.demand()
        except Exception as error:  # the store busy or missing: keep the pools as they are
            log.warning("could not read the open rooms: %s", error)
            return
        wanted: dict[tuple[int, str], int] = {}
        for room, expected, paced in rooms:
            share = math.ceil(expected / self.workers)  # this worker's part of the room
            wanted[(room, self.welcome)] = share
            if paced is not None and paced != self.welcome:
                wanted[(room, paced)] = share
        for key in set(self.taken) - set(wanted):
            del self.taken[key]  # a room closed or moved on: back there later, it starts afresh
        self.wanted = wanted
        room_left = max(0, self.manager.max_kernels - RESERVE - self.manager.in_use())
        notebooks = (
            {name for _room, name in wanted}
            | {name for name in self.manager.kernel_pools_config if name != "default"}
            | set(getattr(self.manager, "_pools", {}))
        )
        for notebook in sorted(notebooks):
            pooled = self.manager.get_pool_size(notebook)
            target = self.target(notebook)
            if pooled < target:
                grow = min(target - pooled, GROW_STEP, room_left)
                room_left -= grow
                self._set_size(notebook, pooled + grow)
                if grow:
                    self.manager.fill_if_needed(delay=0, notebook_name=notebook)
            else:
                self._set_size(notebook, target)
                if pooled > target:
                    await self._shrink(notebook, pooled - target)
        self._write_status(notebooks)

    def spare_kernel(self) -> str | None:
        """A ready kernel kept beyond its page's own pool for no room (a burst's): one a page may have."""
        pools = getattr(self.manager, "_pools", {})
        for notebook in sorted(self.together, key=lambda name: -len(pools.get(name, []))):
            if self.outstanding(notebook) or len(pools.get(notebook, [])) <= self.base_size(notebook):
                continue
            ready = [task for task in pools[notebook] if task.done() and not task.exception()]
            if ready:
                pools[notebook].remove(ready[-1])
                self._set_size(notebook, len(pools[notebook]))
                return str(ready[-1].result()["kernel_id"])
        return None

    async def _shrink(self, notebook: str, extra: int) -> None:
        pool = getattr(self.manager, "_pools", {}).get(notebook, [])
        ready = [task.result()["kernel_id"] for task in pool if task.done() and not task.exception()]
        for kernel_id in ready[-min(extra, GROW_STEP) :]:
            try:
                await self.manager.shutdown_kernel(kernel_id)
            except Exception as error:  # already gone
                log.info("a pooled kernel could not be stopped: %s", error)

    def _write_status(self, notebooks: set[str]) -> None:
        if self.status is None:
            return
        pools = getattr(self.manager, "_pools", {})
        sizes = {
            name: {
                "pooled": self.manager.get_pool_size(name),  # made, being made, or waiting in the gate
                "ready": sum(1 for task in pools.get(name, []) if task.done() and not task.exception()),
                "target": self.target(name),
            }
            for name in sorted(notebooks)
        }
        status: dict[str, Any] = {"pools": sizes, "rooms": len({room for room, _name in self.wanted})}
        gate = getattr(self.manager, "pool_gate", None)
        if gate is not None:  # pages before pools (widgets.server.pool_gate)
            status["gate"] = {"queued": gate.queued, "begun": gate.begun, "held_back": round(gate.held_back)}
        text = json.dumps(status)
        if text == self._written:
            return
        try:
            temporary = self.status.with_suffix(".tmp")
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(self.status)
            self._written = text
        except OSError as error:
            log.info("could not write the pools' sizes: %s", error)

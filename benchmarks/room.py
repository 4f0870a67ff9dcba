"""(c) of the benchmark: a room at the protocol level, its participants walking pages together.

Each participant is a `harness.page_client.PageClient` keeping its cookies from page to page as a
browser does; ``bench.py``'s rooms and ``workers.py``'s rooms through the proxy both walk it.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from tornado.httpclient import AsyncHTTPClient

from harness.page_client import PageClient
from harness.server import Server, cpu_used

# A room that is not done in this time is stopped, not waited for.
ROOM_TIME_LIMIT = 600.0


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

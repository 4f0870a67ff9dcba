"""Preheated pages for the rooms that are open, read from the real server's kernel manager.

The server runs as ``./workbook serve`` runs it, with a store of its own; the test opens, paces and
closes a room in that store as the facilitator's page does, and reads the pools' sizes that the
server's kernel manager writes (``kernel-pools-PID.json``: counts only). Behind ``--workers N``, each
worker's share of a room is checked on `RoomPools` itself, with a stand-in for Voilà's pools. Pages
kept ready with no room (``ready_when_idle``) give their place to a page when the kernel cap is full.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import open_page, running_voila, shut_down

from harness.page_client import PageClient
from harness.server import Server
from widgets import load_content
from widgets.participant import PARTICIPANT_COOKIE, cookie_value, new_participant
from widgets.registry import SECTIONS as REGISTRY
from widgets.room.model import Rooms
from widgets.sections.checkin.model import load_checkin_content
from widgets.server.room_pools import WORKERS_SETTING, RoomPools, ready_for_bursts
from widgets.store import Store

CONTENT = load_content()
WELCOME = CONTENT.sections.welcome_notebook
SECTION_1 = CONTENT.sections.by_number(1).notebook
ITEMS = [item.id for item in load_checkin_content().items]
EXPECTED = 5  # the fewest a facilitator may say
# Pools fill as fast as kernels start: measured with the machine to itself (README, "Tests").
pytestmark = pytest.mark.serial
WAIT = 120.0  # seconds: kernels start a few at a time on a busy 2-core machine


def _pools(data: Path, pid: int) -> dict[str, dict[str, int]]:
    status = data / f"kernel-pools-{pid}.json"
    try:
        return json.loads(status.read_text(encoding="utf-8"))["pools"]
    except (OSError, ValueError, KeyError):
        return {}


def _wait_for(data: Path, pid: int, check: Callable[[dict[str, dict[str, int]]], bool], what: str) -> dict:
    deadline = time.monotonic() + WAIT
    pools: dict = {}
    while time.monotonic() < deadline:
        pools = _pools(data, pid)
        if pools and check(pools):
            return pools
        time.sleep(0.5)
    raise AssertionError(f"{what}: pools were {pools}")


def _pooled(pools: dict, notebook: str) -> int:
    """Kernels ready in ``notebook``'s pool (its size also counts those still waiting to be made)."""
    return pools.get(notebook, {}).get("ready", -1)


def _section_1_answers(url: str, codes: list[str]) -> list[tuple[str, list[object]]]:
    """Open section 1 for every code at once, as browsers do; each page's code and its six answers."""

    async def one(code: str) -> tuple[str, list[object]]:
        # As each person's browser: the participant cookie names them (a link's code only asks first).
        cookies = {PARTICIPANT_COOKIE: cookie_value(code, False)}
        client = PageClient(Server("workbook", url, None, Path()), cookies)  # type: ignore[arg-type]
        await client.open(SECTION_1)
        try:
            questions = sorted(
                (state for state in client.states.values() if str(state.get("question", ""))[:1].isdigit()),
                key=lambda state: int(state["question"].split(".", 1)[0]),
            )
            return client.code(), [state["value"] for state in questions]
        finally:
            await client.close()

    async def all_at_once() -> list[tuple[str, list[object]]]:
        return list(await asyncio.gather(*(one(code) for code in codes)))

    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, all_at_once()).result()


def test_a_room_gets_its_pages_ready_and_gives_them_back(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = Store(data / "workbook.sqlite")
    rooms = Rooms(store, REGISTRY)
    log = tmp_path / "voila.log"
    settings = (
        "--CappedKernelManager.pools_for_rooms=True",
        "--CappedKernelManager.max_kernels=40",
        "--CappedKernelManager.ready_when_idle=0",  # only the rooms' pools here
    )
    with running_voila(log, *settings, data_dir=data) as (server, process):
        # No room: every participant page keeps one kernel ready, the facilitator's none.
        pools = _wait_for(data, process.pid, lambda p: _pooled(p, WELCOME) == 1, "one welcome kernel")
        assert pools[WELCOME]["target"] == 1
        assert pools[CONTENT.sections.facilitator_notebook]["target"] == 0

        keys = rooms.open_room(expected=EXPECTED)
        room = rooms.facilitator_room(keys.join_code, keys.secret)
        assert room is not None
        pools = _wait_for(
            data, process.pid, lambda p: _pooled(p, WELCOME) == 1 + EXPECTED, "welcome pages for the room"
        )
        assert pools[WELCOME]["target"] == 1 + EXPECTED
        assert _pooled(pools, SECTION_1) == 1

        # A kernel used by someone who came is not replaced: the room expects one fewer now.
        kernel = open_page(server.page(WELCOME))
        try:
            time.sleep(5)  # Voilà refills a pool a second after a take
            pools = _wait_for(data, process.pid, lambda p: p[WELCOME]["target"] == EXPECTED, "one fewer")
            assert _pooled(pools, WELCOME) == EXPECTED
        finally:
            shut_down(server, kernel)

        room.set_pace(1)
        _wait_for(
            data, process.pid, lambda p: _pooled(p, SECTION_1) == 1 + EXPECTED, "section 1 pages for the room"
        )

        # Two people opening the same pooled page at once each get their own answers, never the other's.
        first, second = new_participant(), new_participant()
        store.save(first.code_hash, "hidden-weight", {"answers": {ITEMS[0]: "often", ITEMS[1]: "often"}})
        store.save(second.code_hash, "hidden-weight", {"answers": {ITEMS[0]: "hardly-ever"}})
        seen = _section_1_answers(server.url, [first.code, second.code])
        assert seen[0] == (first.code, ["often", "often", None, None, None, None])
        assert seen[1] == (second.code, ["hardly-ever", None, None, None, None, None])

        room.close()
        _wait_for(
            data,
            process.pid,
            lambda p: _pooled(p, WELCOME) == 1 and _pooled(p, SECTION_1) == 1,
            "pools back to one after the room closed",
        )


# --- behind ./workbook serve --workers N: each worker keeps its share of a room ready -----------------


class _PooledManager:
    """The part of Voilà's kernel manager `RoomPools` uses, with kernels that are only names."""

    max_kernels = 90

    def __init__(self) -> None:
        self.kernel_pools_config = {"default": {"pool_size": 1}, "20-facilitator.ipynb": {"pool_size": 0}}
        self._pools: dict[str, list] = {}
        self.started = 0

    def get_pool_size(self, notebook: str) -> int:
        return len(self._pools.get(notebook, []))

    def fill_if_needed(self, delay: float | None = None, notebook_name: str | None = None) -> None:
        config = self.kernel_pools_config.get(notebook_name, self.kernel_pools_config["default"])
        pool = self._pools.setdefault(notebook_name, [])
        while len(pool) < config["pool_size"]:
            self.started += 1
            kernel: asyncio.Future = asyncio.get_running_loop().create_future()
            kernel.set_result({"kernel_id": f"kernel-{self.started}"})
            pool.append(kernel)

    def in_use(self) -> int:
        return sum(len(pool) for pool in self._pools.values())

    async def shutdown_kernel(self, kernel_id: str) -> None:
        for pool in self._pools.values():
            pool[:] = [task for task in pool if task.result()["kernel_id"] != kernel_id]


def _settled(pools: RoomPools, rooms: list[tuple[int, int, str | None]]) -> dict[str, int]:
    """Let the pools grow for ``rooms`` until they stop changing; each notebook's pool then."""

    async def looks() -> None:
        for _ in range(20):  # GROW_STEP kernels a look: 20 looks grow far past any room here
            await pools.look()

    pools.demand = lambda: rooms
    with ThreadPoolExecutor(max_workers=1) as worker:  # a loop of its own, beside Playwright's
        worker.submit(asyncio.run, looks()).result()
    return {name: pools.manager.get_pool_size(name) for name in (WELCOME, SECTION_1)}


@pytest.mark.parametrize(
    ("workers", "expected", "each_keeps"),
    [
        (None, 30, 30),  # one Voilà process: the whole room
        ("1", 30, 30),
        ("2", 30, 15),
        ("4", 30, 8),  # ceil(7.5): a worker may get one person more than the average
        ("3", 5, 2),
        ("16", 5, 1),
        ("zero", 30, 30),  # not a count: as one process
        ("0", 30, 30),
    ],
)
def test_each_worker_keeps_its_share_of_a_room_ready(monkeypatch, workers, expected, each_keeps):
    if workers is None:
        monkeypatch.delenv(WORKERS_SETTING, raising=False)
    else:
        monkeypatch.setenv(WORKERS_SETTING, workers)
    pools = RoomPools(_PooledManager(), lambda: [], WELCOME, None)
    # A room paced to section 1: its welcome page and section 1 each keep this worker's share ready,
    # beside the one kernel every participant page keeps.
    sizes = _settled(pools, [(1, expected, SECTION_1)])
    assert sizes == {WELCOME: 1 + each_keeps, SECTION_1: 1 + each_keeps}
    # Each of this worker's share who comes takes one; none is replaced while the room still comes.
    for _ in range(each_keeps):
        pools.taking(WELCOME)
    assert pools.target(WELCOME) == 1
    # The room closed: back to one kernel a page.
    assert _settled(pools, []) == {WELCOME: 1, SECTION_1: 1}


# --- ten people opening the same preheated page at once, each carried by their own cookie --------------

PEOPLE = 10


def _answers_for(person: int) -> dict[str, str]:
    """A different set of six answers for each person (the person's number in base 3)."""
    options = [option.id for option in load_checkin_content().options]
    return {item: options[(person // 3**place) % 3] for place, item in enumerate(ITEMS)}


def _open_at_once(url: str, cookies: list[str]) -> list[tuple[str, dict[str, str], str]]:
    """Open section 1 in one browser per cookie, all at once; each page's code, answers and kernel."""
    from playwright.async_api import async_playwright

    from harness.browser import CHROMIUM, CHROMIUM_ARGS
    from widgets.participant import PARTICIPANT_COOKIE, parse_code

    labels = {option.label: option.id for option in load_checkin_content().options}

    async def one(browser, cookie: str) -> tuple[str, dict[str, str], str]:
        context = await browser.new_context()
        await context.add_cookies([{"name": PARTICIPANT_COOKIE, "value": cookie, "url": url}])
        page = await context.new_page()
        try:
            await page.goto(f"{url}/voila/render/{SECTION_1}")
            await page.locator(".rw-code").first.wait_for(timeout=120_000)
            seen: dict[str, str] = {}
            for number, item in enumerate(load_checkin_content().items, start=1):
                group = page.get_by_role("group", name=f"{number}. {item.text}")
                await group.wait_for(timeout=120_000)
                for label, option in labels.items():
                    if await group.get_by_role("radio", name=label, exact=True).is_checked():
                        seen[item.id] = option
            code = parse_code(await page.locator(".rw-code").first.inner_text()) or ""
            config = json.loads(await page.locator("#jupyter-config-data").text_content())
            return code, seen, config["kernelId"]
        finally:
            await context.close()

    async def all_at_once() -> list[tuple[str, dict[str, str], str]]:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return list(await asyncio.gather(*(one(browser, cookie) for cookie in cookies)))
            finally:
                await browser.close()

    with ThreadPoolExecutor(max_workers=1) as worker:  # a loop of its own, beside any sync Playwright
        return worker.submit(asyncio.run, all_at_once()).result()


@pytest.mark.browser
def test_ten_people_opening_one_preheated_page_at_once_each_see_their_own_answers(tmp_path: Path) -> None:
    from widgets.participant import cookie_value

    data = tmp_path / "data"
    store = Store(data / "workbook.sqlite")
    rooms = Rooms(store, REGISTRY)
    people = [new_participant() for _ in range(PEOPLE)]
    for number, person in enumerate(people):
        store.save(person.code_hash, "hidden-weight", {"answers": _answers_for(number)})
    settings = (
        "--CappedKernelManager.pools_for_rooms=True",
        "--CappedKernelManager.max_kernels=40",
        "--Voila.log_level=INFO",  # Voilà says which kernels were preheated
    )
    log = tmp_path / "voila.log"
    with running_voila(log, *settings, data_dir=data) as (server, process):
        keys = rooms.open_room(expected=PEOPLE)
        rooms.facilitator_room(keys.join_code, keys.secret).set_pace(1)
        _wait_for(data, process.pid, lambda p: _pooled(p, SECTION_1) >= PEOPLE, "ten section 1 pages ready")
        seen = _open_at_once(server.url, [cookie_value(person.code, False) for person in people])
        written = log.read_text(encoding="utf-8")
    for number, (person, (code, answers, kernel)) in enumerate(zip(people, seen, strict=True)):
        assert answers == _answers_for(number), f"person {number} saw answers that are not theirs"
        assert code == person.code
        assert f"Using pre-heated kernel: {kernel} for {SECTION_1}" in written
    assert len({kernel for _code, _answers, kernel in seen}) == PEOPLE


# --- ready for a burst nobody announced -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wanted", "workers", "free_mib", "each"),
    [
        (20, 1, 16384, 20),  # plenty of memory: the setting
        (20, 2, 16384, 10),  # two workers share the people who come
        (20, 1, 1024, 2),  # 1 GiB free: a quarter of it, 64 MiB a kernel, for two pages
        (20, 1, 100, 1),  # almost none: still the page's own one
        (0, 1, 16384, 0),  # turned off
    ],
)
def test_pages_kept_ready_while_idle_follow_the_setting_the_workers_and_the_memory(
    wanted, workers, free_mib, each
):
    assert ready_for_bursts(wanted, 2, workers, available=free_mib * 2**20) == each


def test_a_page_takes_the_place_of_a_kernel_kept_ready_for_a_burst_when_the_cap_is_full(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    settings = (
        "--CappedKernelManager.pools_for_rooms=True",
        "--CappedKernelManager.max_kernels=30",
        "--CappedKernelManager.ready_when_idle=4",
        "--CappedKernelManager.wait_for_room=5",  # the busy page after 5 s, if no kernel gave its place
    )
    with running_voila(tmp_path / "voila.log", *settings, data_dir=data) as (server, process):
        pools = _wait_for(
            data,
            process.pid,
            lambda p: _pooled(p, WELCOME) == 4 and _pooled(p, SECTION_1) == 4,
            "four welcome and four section 1 pages ready while idle",
        )
        assert pools[CONTENT.sections.by_number(2).notebook]["target"] == 1
        in_use = sum(pool["pooled"] for pool in pools.values())
        section_2 = server.page(CONTENT.sections.by_number(2).notebook)
        # Pages of section 2 (one kernel each, kept) past the cap: each is served without waiting.
        kernels = []
        for _ in range(30 - in_use + 3):
            started = time.monotonic()
            kernels.append(open_page(section_2, new_participant().code))
            assert time.monotonic() - started < 5, "a page waited for room: no ready kernel gave its place"
        # The pools' sizes are written every 2 s: kernels kept ready gave their places.
        _wait_for(
            data,
            process.pid,
            lambda p: _pooled(p, WELCOME) + _pooled(p, SECTION_1) < 8,
            "kernels kept ready gave their places to the pages past the cap",
        )
        assert len(set(kernels)) == len(kernels)

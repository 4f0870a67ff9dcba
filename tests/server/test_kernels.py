"""The cap on kernels: its settings, the busy page, and the real server showing it, then recovering."""

from __future__ import annotations

import asyncio
import re
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import pytest
from conftest import running_voila
from markupsafe import escape
from traitlets import TraitError

from widgets import load_content
from widgets.rendering import parts
from widgets.server.kernels import CappedKernelManager
from widgets.workbook_content import BusyText

CONTENT = load_content()


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("max_kernels", 0),
        ("max_kernels", -3),
        ("wait_for_room", -1.0),
        ("retry_after", 0),
        ("retry_after", 301),
        ("pages_per_participant", 0),
        ("pages_without_cookie", 0),
        ("pages_without_cookie", -60),
    ],
)
def test_a_nonsense_setting_is_refused(setting, value):
    manager = CappedKernelManager()
    with pytest.raises(TraitError, match=setting):
        setattr(manager, setting, value)


def test_the_settings_take_sensible_values():
    manager = CappedKernelManager(max_kernels=1, wait_for_room=0, retry_after=300)
    assert (manager.max_kernels, manager.wait_for_room, manager.retry_after) == (1, 0, 300)
    assert manager.in_use() == 0
    # The limits no room meets, as voila.json sets them (the defaults), and as a smaller server may.
    assert (manager.pages_per_participant, manager.pages_without_cookie) == (8, 60)
    manager = CappedKernelManager(pages_per_participant=1, pages_without_cookie=1)
    assert (manager.pages_per_participant, manager.pages_without_cookie) == (1, 1)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)


def test_the_busy_page_is_calm_complete_and_needs_nothing_else():
    page = parts.busy_page(CONTENT, 8)
    busy = CONTENT.workbook.busy
    assert page.startswith("<!DOCTYPE html>")
    assert escape(busy.title) in page
    assert escape(busy.message) in page
    assert escape(busy.retrying).replace("{seconds}", "8") in page
    assert '<meta http-equiv="refresh" content="8">' in page
    assert escape(CONTENT.workbook.framing) in page
    for line in CONTENT.crisis.lines:
        assert escape(line.short) in page
        assert escape(line.how) in page
    parser = _Tags()
    parser.feed(page)
    # No script, image, font or stylesheet link: nothing to fetch, from any host.
    assert not {"script", "img", "link", "iframe"} & set(parser.tags)
    assert not re.search(r"https?://", page.replace(escape("findahelpline.com"), ""))


def test_the_wait_must_appear_in_the_retry_words():
    with pytest.raises(ValueError, match="seconds"):
        BusyText(title="Busy", message="Wait.", retrying="Trying again soon.", retry_now="Try now")


@pytest.mark.browser
def test_a_full_server_shows_the_busy_page_then_opens_the_page_by_itself(artifacts, new_watched_page):
    with running_voila(
        artifacts / "voila-capped.log",
        "--CappedKernelManager.max_kernels=1",
        "--CappedKernelManager.wait_for_room=1",
        "--CappedKernelManager.retry_after=2",
        "--VoilaConfiguration.preheat_kernel=False",  # one page's own kernel fills the server
    ) as (server, _process):
        first, _ = new_watched_page()
        first.goto(server.page("01-hidden-weight.ipynb"))
        first.get_by_role("radio").first.wait_for(state="visible", timeout=60_000)

        waiting, watch = new_watched_page(width=390, height=844)  # a phone
        response = waiting.goto(server.page("02-handling-it-alone.ipynb"))
        assert response.status == 503
        busy = CONTENT.workbook.busy
        assert waiting.get_by_role("heading", name=busy.title).is_visible()
        assert waiting.get_by_role("complementary", name="Crisis support").is_visible()
        assert waiting.get_by_role("link", name=busy.retry_now).is_visible()
        waiting.screenshot(path=artifacts / "busy-page-phone.png", full_page=True)

        # The first person leaves: the waiting page tries again by itself and opens.
        started = time.monotonic()
        first.close(run_before_unload=True)
        waiting.get_by_role("radio").first.wait_for(state="visible", timeout=60_000)
        reopened = time.monotonic() - started
        assert reopened < 30, f"the busy page took {reopened:.1f} s to open the page"
        assert watch.external == []


def test_a_kernel_gone_while_the_server_stops_is_no_error():
    """Stopping the server shuts every kernel down; one that went away meanwhile is already done.

    `shutdown_all` lists the kernels, then shuts each down. A kernel removed in between (its page's own
    shutdown finishing, a failed start) made jupyter_server raise ``HTTP 404: Kernel does not exist``,
    which stopped the server's stop halfway (found by Voilà's own tests, `benchmarks/voila_tests.py`).
    """

    async def check() -> None:
        manager = CappedKernelManager()
        kept = await manager.start_kernel()
        gone = await manager.start_kernel()
        gone_manager = manager.get_kernel(gone)
        # Runs after shutdown_all has listed both kernels, before it shuts down either.
        asyncio.get_running_loop().call_soon(manager.remove_kernel, gone)
        try:
            await manager.shutdown_all()
            assert manager.list_kernel_ids() == []
            assert kept not in manager
        finally:
            await gone_manager.shutdown_kernel(now=True)
            # Closed here, in the thread that used it: left to the garbage collector, jupyter_client's
            # __del__ destroys it from whichever test runs then, and zmq's term() waited there for good.
            manager.context.destroy(linger=0)

    with ThreadPoolExecutor(max_workers=1) as worker:  # a loop of its own: a browser test may hold this one's
        worker.submit(asyncio.run, asyncio.wait_for(check(), 60)).result()

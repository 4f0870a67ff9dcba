"""Pages come back by themselves: after the server is killed (``kill -9``) and started again, after a blip
of their connection, and after a server that stopped answering for a while.

The real Voilà server, started here on a data folder of its own (and again on the same port and folder),
Debian's Chromium and the real store. Nobody clicks anything to bring a page back.
"""

from __future__ import annotations

import json
import os
import signal
import time
from urllib.parse import urlsplit

import pytest
from conftest import LOCAL_HOSTS, answer_checkin, checkin_checked, serious_violations
from playwright.sync_api import expect

from harness.server import REPO, kill_server, restart, serve
from widgets import load_content
from widgets.participant import Participant, parse_code
from widgets.store import Store

# It kills and stops the server, and measures how long a page takes to come back (README, "Tests").
pytestmark = [pytest.mark.browser, pytest.mark.serial]

CONTENT = load_content()
WORDS = CONTENT.workbook.page
SECTION_1 = CONTENT.sections.by_number(1)
NOTE_1 = f"{CONTENT.workbook.note_label}: {SECTION_1.note_prompt}"
GRACE_SECONDS = 1.5  # frontend/src/reconnect.js, GRACE_MS: a shorter drop shows nothing

# Watches the page's connection line from now on: when it first had words (the page's clock), and marks
# this page, so a page loaded again is told apart from it. Returns the page's clock now.
WATCH_THE_LINE = """() => {
  window.rwThisPage = true;
  window.rwLineShownAt = null;
  const line = document.getElementById("rw-connection");
  const seen = () => {
    if (line.textContent && window.rwLineShownAt === null) window.rwLineShownAt = Date.now();
  };
  new MutationObserver(seen).observe(line, { childList: true, characterData: true, subtree: true });
  return Date.now();
}"""
LINE_EMPTY = "() => document.getElementById('rw-connection').textContent === ''"
# The page was loaded again (not the page WATCH_THE_LINE marked) and its activities have come.
LOADED_AGAIN_AND_READY = """() => window.rwThisPage === undefined && document.readyState === "complete"
  && !document.getElementById("loading") && document.querySelector("#rendered_cells input") !== null"""


def _ready(page) -> None:
    page.locator("#rendered_cells input").first.wait_for(state="visible", timeout=60_000)


# The page's bar has counted this many saves and says "Saved" (the kernel sends the count, then the words).
SAVED = """([atLeast, saved]) =>
  Number(document.querySelector(".rw-participant")?.dataset.saves || 0) >= atLeast
  && document.querySelector(".rw-saved")?.textContent === saved"""


def _wait_saves(page, at_least: int) -> None:
    page.wait_for_function(SAVED, arg=[at_least, CONTENT.workbook.participant.saved], timeout=15_000)


def _line(page):
    return page.locator("#rw-connection")


def _elsewhere(requests: list[str]) -> list[str]:
    """The requests to any host but the workbook's server (blob: and data: have none)."""
    return [url for url in requests if urlsplit(url).hostname not in LOCAL_HOSTS | {None}]


def _kill_and_type_while_down(server, page, artifacts) -> float:
    """Kill the server; the line shows after the grace, and a note is typed meanwhile. Seconds to the line."""
    killed_at = page.evaluate(WATCH_THE_LINE)
    kill_server(server)
    _line(page).get_by_text(WORDS.reconnecting).wait_for(timeout=10_000)
    shown_after = (page.evaluate("window.rwLineShownAt") - killed_at) / 1000
    assert GRACE_SECONDS <= shown_after < GRACE_SECONDS + 2
    page.screenshot(path=str(artifacts / "reconnecting-line-phone.png"))
    assert serious_violations(page) == [], "the line, and the page under it, as axe checks every page"
    # Typed while the server is gone: the kernel never has it, so the tab keeps it for the reload.
    page.get_by_role("textbox", name=NOTE_1).fill("Call my sister on Sunday")
    page.wait_for_timeout(1000)
    assert page.evaluate("window.rwThisPage") is True, "the page waits while nothing answers"
    return shown_after


def test_a_page_comes_back_by_itself_after_the_server_is_killed_and_started_again(browser, artifacts):
    with serve("workbook", REPO) as server:
        context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(server.page(SECTION_1.notebook))
        _ready(page)
        code = parse_code(page.locator(".rw-code").first.inner_text())
        answer_checkin(page, 1, "Often")
        answer_checkin(page, 4, "Hardly ever")
        _wait_saves(page, 2)
        assert _line(page).inner_text() == ""

        shown_after = _kill_and_type_while_down(server, page, artifacts)

        restart(server)
        answered, answered_clock = time.monotonic(), time.time()
        page.wait_for_function(LOADED_AGAIN_AND_READY, timeout=60_000)
        ready_after = time.monotonic() - answered
        reloaded_after = page.evaluate("performance.timeOrigin") / 1000 - answered_clock
        assert checkin_checked(page, 1, "Often")
        assert checkin_checked(page, 4, "Hardly ever")
        # Put back once the text controls have drawn themselves, a moment after the activities show.
        expect(page.get_by_role("textbox", name=NOTE_1)).to_have_value("Call my sister on Sunday")
        _wait_saves(page, 1)  # the note, put back, is sent and saved like any other change
        assert page.evaluate("sessionStorage.length") == 0, "the tab keeps nothing after it is put back"
        assert _line(page).inner_text() == ""
        context.close()
        store = Store(server.data / "workbook.sqlite")
        kept = store.load_all(Participant(code).code_hash)
        store.close()

    assert kept["note:hidden-weight"] == {"text": "Call my sister on Sunday"}
    assert _elsewhere(requests) == [], "no request to any other host"
    assert ready_after < 30
    figures = {
        "line_shown_after_the_kill_s": round(shown_after, 2),
        "reload_began_after_the_server_answered_s": round(reloaded_after, 2),
        "ready_after_the_server_answered_s": round(ready_after, 2),
    }
    (artifacts / "browser-reconnect.json").write_text(json.dumps(figures, indent=2))
    print(figures)


def _route_kernel_sockets(page) -> list:
    """Send the page's kernel websockets through Playwright to the real server, to be cut from here.

    Returns the list each one is added to as it opens: (the page's side, the server's side).
    """
    sockets: list = []

    def through(socket) -> None:
        sockets.append((socket, socket.connect_to_server()))

    page.route_web_socket("**/api/kernels/*/channels*", through)
    return sockets


def _cut(sockets: list) -> None:
    """Close the latest kernel websocket on both sides, as a dropped connection does."""
    for side in sockets[-1]:
        side.close()


def _wait_for_socket(page, sockets: list, count: int, limit: float = 5.0) -> None:
    """Until the page has opened its ``count``-th kernel websocket (each opens through the route)."""
    deadline = time.monotonic() + limit
    while len(sockets) < count:
        assert time.monotonic() < deadline, f"the page opened {len(sockets)} connections, not {count}"
        page.wait_for_timeout(50)


def test_a_blip_shows_nothing_and_a_server_back_after_a_while_keeps_the_page(browser):
    with serve("workbook", REPO) as server:
        context = browser.new_context()
        page = context.new_page()
        sockets = _route_kernel_sockets(page)
        page.goto(server.page(SECTION_1.notebook))
        _ready(page)
        answer_checkin(page, 1, "Often")
        _wait_saves(page, 1)
        page.evaluate(WATCH_THE_LINE)

        # A blip: the connection is made again at once, and the page says nothing about it.
        _cut(sockets)
        _wait_for_socket(page, sockets, 2)
        answer_checkin(page, 2, "Often")
        _wait_saves(page, 2)
        page.wait_for_timeout(GRACE_SECONDS * 1000 + 500)
        assert page.evaluate("window.rwLineShownAt") is None

        # The server stops answering for a while (stopped, not killed: its kernels stay): the line
        # shows, what is chosen meanwhile waits in the page, and all of it goes through once it answers.
        os.kill(server.process.pid, signal.SIGSTOP)
        try:
            _cut(sockets)
            _line(page).get_by_text(WORDS.reconnecting).wait_for(timeout=10_000)
            answer_checkin(page, 3, "Some of the time")
            page.wait_for_timeout(2_000)
        finally:
            os.kill(server.process.pid, signal.SIGCONT)
        page.wait_for_function(LINE_EMPTY, timeout=20_000)
        _wait_saves(page, 3)
        assert page.evaluate("window.rwThisPage") is True, "the same page, never loaded again"
        assert checkin_checked(page, 3, "Some of the time")
        context.close()

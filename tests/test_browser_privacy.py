"""Privacy on shared and watched devices, through the real server and a real browser.

No page address holds a participant's code (a link's code only asks first: `test_browser_links.py`);
every response says ``Referrer-Policy: no-referrer``; the browser forgets the workbook when it closes
unless the participant chose to be remembered; "Leave quickly" leaves nothing of the workbook on
screen or one step back.
"""

from __future__ import annotations

import re
import time

import pytest
from conftest import answer_checkin, checkin_checked, open_as, participant_cookie
from playwright.sync_api import expect

from widgets import load_content
from widgets.participant import PARTICIPANT_COOKIE, Participant, new_participant, parse_code
from widgets.registry import SECTIONS as REGISTRY
from widgets.room.content import load_room_content
from widgets.room.model import Rooms
from widgets.sections.checkin.model import load_checkin_content
from widgets.store import default_store

pytestmark = pytest.mark.browser

CONTENT = load_content()
WORDS = load_room_content()
TEXT = CONTENT.workbook
SECTIONS = CONTENT.sections
SECTION_1 = SECTIONS.by_number(1)
SECTION_2 = SECTIONS.by_number(2)
CHECKIN = load_checkin_content()
LEAVE = "Leave quickly"


def _ready(page) -> str:
    """Wait for the page's bar; the code it shows."""
    page.locator(".rw-code").first.wait_for(timeout=60_000)
    expect(page.locator(".rw-code").first).to_have_text(re.compile(r"^\S{4}-\S{4}-\S{4}-\S{4}$"))
    code = parse_code(page.locator(".rw-code").first.inner_text())
    assert code is not None
    return code


def _opened(context, url: str):
    """A new tab of ``context`` at ``url``, once its bar is ready; the tab and the code it shows."""
    page = context.new_page()
    page.goto(url)
    return page, _ready(page)


@pytest.fixture
def context(browser):
    """One person's browser (a context of its own), closed after the test."""
    context = browser.new_context()
    yield context
    context.close()


def _answer_first_question(page, label: str = "Often") -> None:
    saves = int(page.locator(".rw-participant").first.get_attribute("data-saves") or 0)
    answer_checkin(page, 1, label)
    page.wait_for_function(
        f"() => Number(document.querySelector('.rw-participant')?.dataset.saves || 0) > {saves}",
        timeout=15_000,
    )


def _cookie_once(context, code: str, remembered: bool, timeout: float = 15.0) -> dict:
    """The participant cookie for ``code``, once it is persistent (``remembered``) or a session one."""
    deadline = time.monotonic() + timeout
    cookie = participant_cookie(context, code)
    while (cookie["expires"] != -1) != remembered and time.monotonic() < deadline:
        time.sleep(0.1)
        cookie = participant_cookie(context, code)
    return cookie


def _persistent(context) -> list[dict]:
    """The cookies a browser keeps when it is closed and opened again: those with an expiry date."""
    return [cookie for cookie in context.cookies() if cookie["expires"] != -1]


def _reopened(browser, context):
    """The same browser, closed and opened again: only its persistent cookies are left."""
    again = browser.new_context()
    kept = _persistent(context)
    if kept:
        again.add_cookies(kept)
    return again


def _code_forms(code: str) -> list[str]:
    return [code, Participant(code).shown_code, code.lower(), Participant(code).shown_code.lower()]


def _watch_addresses(page) -> tuple[list[str], list[tuple[str, str | None]]]:
    """Every address the page goes to, asks for or connects to; every response with its Referrer-Policy."""
    addresses: list[str] = []
    responses: list[tuple[str, str | None]] = []
    page.on("framenavigated", lambda frame: addresses.append(frame.url) if frame == page.main_frame else None)
    page.on("request", lambda request: addresses.append(request.url))
    page.on("websocket", lambda socket: addresses.append(socket.url))
    page.on(
        "response",
        lambda response: responses.append((response.url, response.header_value("referrer-policy"))),
    )
    return addresses, responses


def _same_workbook_across_pages(page, code: str) -> None:
    """Answer, reload, move between pages: always the same workbook."""
    page.get_by_role("link", name=TEXT.start_label).click()
    page.wait_for_url(f"**/{SECTION_1.notebook}")
    assert _ready(page) == code
    _answer_first_question(page)
    page.reload()
    assert _ready(page) == code
    assert checkin_checked(page, 1, "Often")
    page.get_by_role("navigation", name="Sections").get_by_role("link", name=re.compile("^Section 2")).click()
    page.wait_for_url(f"**/{SECTION_2.notebook}")
    assert _ready(page) == code


def _resume_another_workbook(page, context) -> Participant:
    """Resume another workbook by typing its code: the links then open that one. Its participant."""
    other = new_participant()
    default_store().save(other.code_hash, "hidden-weight", {"answers": {CHECKIN.items[0].id: "hardly-ever"}})
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="All sections").click()
    page.wait_for_url(f"**/{SECTIONS.welcome_notebook}")
    _ready(page)
    page.get_by_role("textbox", name=TEXT.resume.label).fill(other.shown_code)
    page.get_by_role("button", name=TEXT.resume.open_label).click()
    page.get_by_text(TEXT.resume.found).wait_for(timeout=15_000)
    participant_cookie(context, other.code)
    page.get_by_role("navigation", name=TEXT.toc_heading).get_by_role(
        "link", name=f"Section 1: {SECTION_1.title}"
    ).click()
    page.wait_for_url(f"**/{SECTION_1.notebook}")
    assert _ready(page) == other.code
    assert checkin_checked(page, 1, "Hardly ever")
    return other


def _join_and_follow_the_pace(voila_server, page, code: str) -> None:
    """Join a room, and follow the pace banner's link: the same workbook all along."""
    rooms = Rooms(default_store(), REGISTRY)
    keys = rooms.open_room()
    page.goto(voila_server.page(f"{SECTIONS.welcome_notebook}?room={keys.join_code}"))
    page.get_by_role("button", name=WORDS.invite.join_label).click(timeout=60_000)
    page.get_by_text(WORDS.join.in_room.format(code=f"{keys.join_code[:3]}-{keys.join_code[3:]}")).wait_for(
        timeout=60_000
    )
    assert _ready(page) == code
    rooms.facilitator_room(keys.join_code, keys.secret).set_pace(2)
    page.get_by_role("link", name=WORDS.participant.pace_link.format(number=2)).click(timeout=30_000)
    page.wait_for_url(f"**/{SECTION_2.notebook}")
    assert _ready(page) == code
    rooms.facilitator_room(keys.join_code, keys.secret).close()


def test_no_address_holds_the_code_and_every_response_says_no_referrer(voila_server, context):
    page = context.new_page()
    addresses, responses = _watch_addresses(page)
    page.goto(voila_server.page(SECTIONS.welcome_notebook))
    code = _ready(page)
    cookie = participant_cookie(context, code)
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["expires"]) == (True, "Strict", -1)
    assert page.evaluate("document.cookie").find(code) == -1  # no script can read it

    _same_workbook_across_pages(page, code)
    other = _resume_another_workbook(page, context)
    _join_and_follow_the_pace(voila_server, page, other.code)

    forms = _code_forms(code) + _code_forms(other.code)
    assert len(addresses) > 50
    holding = [address for address in addresses if any(form in address for form in forms)]
    assert holding == []
    assert len(responses) > 50
    # blob: and data: addresses are the page's own objects, not responses of any server.
    served = [(url, policy) for url, policy in responses if url.startswith("http")]
    assert len(served) > 50
    without = [url for url, policy in served if policy != "no-referrer"]
    assert without == []


def test_a_closed_browser_forgets_the_workbook_unless_it_was_asked_to_remember(
    voila_server, browser, context
):
    page, code = _opened(context, voila_server.page(SECTION_1.notebook))
    _answer_first_question(page)
    participant_cookie(context, code)

    # Closed without "remember me": the browser keeps no cookie at all (not even Jupyter's anonymous
    # name for the visitor), and the welcome page starts fresh.
    assert _persistent(context) == []
    again = _reopened(browser, context)
    fresh, new_code = _opened(again, voila_server.page(SECTIONS.welcome_notebook))
    assert new_code != code
    contents = fresh.get_by_role("navigation", name=TEXT.toc_heading)
    assert contents.get_by_text(TEXT.progress.started).count() == 0
    again.close()

    # "Remember me on this device", on the welcome page: the plain address opens it tomorrow.
    page.goto(voila_server.page(SECTIONS.welcome_notebook))
    assert _ready(page) == code
    remember = page.get_by_role("checkbox", name=TEXT.participant.remember_label)
    expect(remember).not_to_be_checked()
    expect(page.get_by_text(TEXT.participant.remember_note)).to_be_visible()
    remember.check()
    kept = _cookie_once(context, code, remembered=True)
    assert kept["expires"] > time.time() + 80 * 24 * 3600  # the retention period (90 days)
    tomorrow = _reopened(browser, context)
    back, code_back = _opened(tomorrow, voila_server.page(SECTIONS.welcome_notebook))
    assert code_back == code
    contents = back.get_by_role("navigation", name=TEXT.toc_heading)
    expect(contents.get_by_text(TEXT.progress.started)).to_have_count(1)
    expect(back.get_by_role("checkbox", name=TEXT.participant.remember_label)).to_be_checked()

    # "Forget this device", on any page: closed again, the browser no longer opens it.
    back.get_by_role("link", name=f"Section 1: {SECTION_1.title}").click()
    back.wait_for_url(f"**/{SECTION_1.notebook}")
    assert _ready(back) == code
    assert checkin_checked(back, 1, "Often")
    back.get_by_role("button", name=TEXT.participant.forget_label).click()
    back.get_by_text(TEXT.participant.forgotten).wait_for(timeout=15_000)
    assert _cookie_once(tomorrow, code, remembered=False)["expires"] == -1
    later = _reopened(browser, tomorrow)
    assert _opened(later, voila_server.page(SECTIONS.welcome_notebook))[1] != code
    later.close()
    tomorrow.close()


def test_leave_quickly_leaves_no_workbook_page_on_screen_or_one_step_back(voila_server, context):
    page, code = _opened(context, voila_server.page(SECTIONS.welcome_notebook))
    page.get_by_role("link", name=TEXT.start_label).click()
    page.wait_for_url(f"**/{SECTION_1.notebook}")
    assert _ready(page) == code
    _answer_first_question(page)
    other_tab, code_there = _opened(context, voila_server.page(SECTION_1.notebook))
    assert code_there == code

    leave = page.get_by_role("link", name=LEAVE)
    expect(leave).to_be_visible()
    leave.click()
    page.wait_for_url("**/workbook/away")
    assert page.title() == "New page"
    assert page.locator("body").inner_text().strip() == ""
    # Every other tab of the workbook leaves too, and the browser no longer names the participant.
    other_tab.wait_for_url("**/workbook/away", timeout=15_000)
    assert [cookie for cookie in context.cookies() if cookie["name"] == PARTICIPANT_COOKIE] == []

    # Back: the welcome page, opened again, for nobody: a new code, no answers.
    page.go_back()
    page.wait_for_url(f"**/{SECTIONS.welcome_notebook}")
    assert _ready(page) != code
    contents = page.get_by_role("navigation", name=TEXT.toc_heading)
    assert contents.get_by_text(TEXT.progress.started).count() == 0
    assert Participant(code).shown_code not in page.content()

    # Escape twice does the same, from any page.
    open_as(context, voila_server.url, code)  # the code typed again on the welcome page
    page.goto(voila_server.page(SECTION_1.notebook))
    assert _ready(page) == code
    assert checkin_checked(page, 1, "Often")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url("**/workbook/away", timeout=10_000)
    assert [cookie for cookie in context.cookies() if cookie["name"] == PARTICIPANT_COOKIE] == []
    page.go_back()
    page.wait_for_url(f"**/{SECTIONS.welcome_notebook}")
    assert _ready(page) != code


def test_a_link_from_another_site_still_opens_the_browsers_workbook(voila_server, context):
    # A SameSite=Strict cookie does not follow a link from another site (a webmail, a chat): the page
    # first opens for nobody, then the server says this browser has a workbook, and the page reloads.
    target = voila_server.page(SECTION_1.notebook)
    page, code = _opened(context, target)
    _answer_first_question(page)
    page.goto(f'data:text/html,<a href="{target}">Open the workbook</a>')
    arrivals: list[str] = []
    page.on("framenavigated", lambda frame: arrivals.append(frame.url) if frame == page.main_frame else None)
    page.get_by_role("link", name="Open the workbook").click()
    page.wait_for_url(target)
    expect(page.locator(".rw-code").first).to_have_text(Participant(code).shown_code, timeout=60_000)
    assert checkin_checked(page, 1, "Often")
    assert arrivals == [target, target]  # opened for nobody first, then again with the cookie
    assert participant_cookie(context)["value"].startswith(code)

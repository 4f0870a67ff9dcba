"""No link acts on its own: a workbook code or a room code in an address is asked about first.

Issue 23's attacks, each reproduced with two people's browsers against the real server and Chromium,
and shown to fail. "Another site" is a page of this test's own small server at ``http://evil.test``,
a host name Chromium maps to 127.0.0.1 (``--host-resolver-rules``): to the browser it is another
site, as a webmail or a chat would be.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import answer_checkin, checkin_checked, participant_cookie
from markupsafe import escape
from playwright.sync_api import expect
from sqlalchemy import func, select

from harness.browser import CHROMIUM, CHROMIUM_ARGS
from widgets import load_content
from widgets.participant import PARTICIPANT_COOKIE, PREVIOUS_COOKIE, Participant, parse_code
from widgets.registry import SECTIONS as REGISTRY
from widgets.room.content import load_room_content
from widgets.room.model import Rooms, shown_join_code
from widgets.store import default_store, room_members, rooms

pytestmark = pytest.mark.browser

CONTENT = load_content()
TEXT = CONTENT.workbook
QUESTION = TEXT.link_question
BAR = TEXT.participant
INVITE = load_room_content().invite
JOIN = load_room_content().join
SECTIONS = CONTENT.sections
SECTION_1 = SECTIONS.by_number(1)
OTHER_SITE = "evil.test"


class _OtherSite(BaseHTTPRequestHandler):
    """Another site's pages: ``/link?to=URL``, a plain link; ``/form?to=URL&...``, a form posting there."""

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        target = escape(query.pop("to", "/"))
        if parts.path == "/form":
            fields = "".join(
                f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
                for name, value in query.items()
            )
            body = f'<form method="post" action="{target}">{fields}<button>Win a prize</button></form>'
        else:
            body = f'<a href="{target}">Open this</a>'
        page = f"<!doctype html><html><head><title>Elsewhere</title></head><body>{body}</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(page.encode())

    def log_message(self, *_args: object) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def other_site() -> Iterator[str]:
    """The other site's address (``http://evil.test:PORT``); Chromium resolves the name to this computer."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OtherSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{OTHER_SITE}:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def mapped_browser(browser) -> Iterator[object]:
    """A second Chromium, in which ``evil.test`` is another site on this computer."""
    launched = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {OTHER_SITE} 127.0.0.1"]
    )
    yield launched
    launched.close()


def _ready(page) -> str:
    """Wait for the page's bar; the code it shows."""
    expect(page.locator(".rw-code").first).to_have_text(
        re.compile(r"^\S{4}-\S{4}-\S{4}-\S{4}$"), timeout=60_000
    )
    code = parse_code(page.locator(".rw-code").first.inner_text())
    assert code is not None
    return code


def _answer(page, label: str) -> None:
    saves = int(page.locator(".rw-participant").first.get_attribute("data-saves") or 0)
    answer_checkin(page, 1, label)
    page.wait_for_function(
        f"() => Number(document.querySelector('.rw-participant')?.dataset.saves || 0) > {saves}",
        timeout=15_000,
    )


def _cookies(context) -> dict[str, str]:
    return {
        c["name"]: c["value"] for c in context.cookies() if c["name"] in (PARTICIPANT_COOKIE, PREVIOUS_COOKIE)
    }


def _follow(page, other_site: str, target: str) -> None:
    """Go to the other site, and follow its link to ``target`` as a person would."""
    page.goto(f"{other_site}/link?to={target}")
    page.get_by_role("link", name="Open this").click()


def _workbook_with_an_answer(browser, server, label: str) -> tuple[object, object, str]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.page(SECTION_1.notebook))
    code = _ready(page)
    _answer(page, label)
    participant_cookie(context, code)
    return context, page, code


def test_someone_elses_workbook_link_asks_first_shows_nothing_and_keeps_the_way_back(
    voila_server, browser, mapped_browser, other_site
):
    # A, who means harm or just made a mistake, sends B a link to A's workbook.
    a_context, _a_page, a_code = _workbook_with_an_answer(browser, voila_server, "Often")
    b_context, b_page, b_code = _workbook_with_an_answer(mapped_browser, voila_server, "Hardly ever")
    try:
        before = _cookies(b_context)
        link = voila_server.page(SECTION_1.notebook) + f"?code={Participant(a_code).shown_code}"
        _follow(b_page, other_site, link)

        # The question, and nothing of either workbook: no bar, no answers, no code but the endings.
        expect(b_page.get_by_role("heading", name=QUESTION.title)).to_be_visible(timeout=30_000)
        text = b_page.locator("body").inner_text()
        assert QUESTION.opens.format(ending=a_code[-4:]) in text
        assert QUESTION.own_kept.format(ending=b_code[-4:]) in text
        assert Participant(a_code).shown_code not in text
        assert Participant(b_code).shown_code not in text
        assert b_page.locator(".rw-participant, .rw-checkin, input[type=radio]").count() == 0
        expect(b_page.locator(".rw-crisis")).to_be_visible()
        assert _cookies(b_context) == before

        # "No": B's own workbook, as it was; the address holds no code.
        b_page.get_by_role("link", name=QUESTION.keep_label).click()
        b_page.wait_for_url(voila_server.page(SECTION_1.notebook))
        assert _ready(b_page) == b_code
        assert checkin_checked(b_page, 1, "Hardly ever")
        assert _cookies(b_context) == before

        # "Yes, it is mine": A's workbook opens, says plainly it came from a link, and offers the way back.
        _follow(b_page, other_site, link)
        b_page.get_by_role("button", name=QUESTION.open_label).click()
        b_page.wait_for_url(voila_server.page(SECTION_1.notebook))
        assert _ready(b_page) == a_code
        assert checkin_checked(b_page, 1, "Often")
        expect(b_page.get_by_text(BAR.from_link.format(ending=a_code[-4:]))).to_be_visible()
        assert participant_cookie(b_context, a_code)["expires"] == -1  # for this session only
        back = b_page.get_by_role("button", name=BAR.back_label.format(ending=b_code[-4:]))
        back.click()  # the page opens again, with the browser's own workbook
        expect(b_page.locator(".rw-code").first).to_have_text(Participant(b_code).shown_code, timeout=60_000)
        assert checkin_checked(b_page, 1, "Hardly ever")
        expect(b_page.get_by_text(BAR.from_link.format(ending=a_code[-4:]))).to_have_count(0)
        assert _cookies(b_context) == before
    finally:
        a_context.close()
        b_context.close()


def test_a_browser_with_no_workbook_opens_a_linked_one_only_when_asked(voila_server, browser):
    owner, _page, code = _workbook_with_an_answer(browser, voila_server, "Often")
    owner.close()
    context = browser.new_context()
    try:
        page = context.new_page()
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.goto(voila_server.page(SECTION_1.notebook) + f"?code={code}")
        expect(page.get_by_role("heading", name=QUESTION.title)).to_be_visible(timeout=30_000)
        expect(page.locator(".rw-crisis")).to_be_visible()
        # The question page asks nothing of any host: it is one document, its icon a data: address.
        assert [url for url in asked if not url.startswith("data:")] == [
            voila_server.page(SECTION_1.notebook) + f"?code={code}"
        ]
        assert _cookies(context) == {}
        page.get_by_role("link", name=QUESTION.no_workbook_label).click()
        page.wait_for_url(voila_server.page(SECTION_1.notebook))
        assert _ready(page) != code
        assert not checkin_checked(page, 1, "Often")

        # A code that is not complete opens nothing, and says so.
        page.goto(voila_server.page(SECTION_1.notebook) + "?code=ABCD-EFGH")
        expect(page.get_by_text(QUESTION.broken)).to_be_visible(timeout=30_000)
        assert page.get_by_role("button", name=QUESTION.open_label).count() == 0
    finally:
        context.close()


def _members(join_code: str) -> int:
    with default_store().engine.connect() as connection:
        return connection.execute(
            select(func.count())
            .select_from(room_members)
            .join(rooms, rooms.c.id == room_members.c.room_id)
            .where(rooms.c.join_code == join_code)
        ).scalar_one()


def test_a_room_link_from_another_site_asks_before_joining_and_leaves_no_ghost(
    voila_server, mapped_browser, other_site
):
    keys = Rooms(default_store(), REGISTRY).open_room(expected=5)
    context, page, code = _workbook_with_an_answer(mapped_browser, voila_server, "Often")
    try:
        _follow(page, other_site, voila_server.page(SECTIONS.welcome_notebook) + f"?room={keys.join_code}")
        # The first, cookie-less load (another site's link) and the reload with the cookie: both only ask.
        ask = INVITE.ask.format(code=shown_join_code(keys.join_code))
        expect(page.locator(".rw-code").first).to_have_text(Participant(code).shown_code, timeout=60_000)
        expect(page.get_by_role("heading", name=ask)).to_be_visible(timeout=60_000)
        page.wait_for_timeout(2_500)  # a heartbeat: anything joined by now would be in the store
        assert _members(keys.join_code) == 0

        page.get_by_role("button", name=INVITE.join_label).click()
        expect(page.get_by_text(JOIN.in_room.format(code=shown_join_code(keys.join_code)))).to_be_visible(
            timeout=30_000
        )
        assert _members(keys.join_code) == 1
        assert (
            Rooms(default_store(), REGISTRY).membership(Participant(code).code_hash).join_code
            == keys.join_code
        )
    finally:
        context.close()
        Rooms(default_store(), REGISTRY).facilitator_room(keys.join_code, keys.secret).close()


def test_another_sites_links_and_forms_change_no_cookie(voila_server, mapped_browser, other_site):
    context, page, code = _workbook_with_an_answer(mapped_browser, voila_server, "Some of the time")
    stranger = "ZZZZZZZZZZZZZZZZ"
    try:
        before = _cookies(context)
        # "Leave quickly"'s blank page, opened by another site's link: blank, and the workbook stays.
        _follow(page, other_site, f"{voila_server.url}/workbook/away")
        page.wait_for_url("**/workbook/away")
        assert page.locator("body").inner_text().strip() == ""
        assert _cookies(context) == before

        # Another site's form posting a code, or asking for "the way back": refused, nothing changes.
        for action, fields in (
            ("workbook/link", f"code={stranger}&next=/voila/render/{SECTION_1.notebook}&ask=guess"),
            ("workbook/back", ""),
            ("workbook/away", ""),
        ):
            page.goto(f"{other_site}/form?to={voila_server.url}/{action}&{fields}")
            with page.expect_response(f"**/{action}") as response:
                page.get_by_role("button", name="Win a prize").click()
            assert response.value.status == 403
            assert _cookies(context) == before

        page.goto(voila_server.page(SECTION_1.notebook))
        assert _ready(page) == code
        assert checkin_checked(page, 1, "Some of the time")
    finally:
        context.close()

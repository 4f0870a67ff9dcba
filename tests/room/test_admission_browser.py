"""Through the real server: one more person than the room expected waits, and is let in by the facilitator."""

from __future__ import annotations

import pytest
from conftest import serious_violations
from playwright.sync_api import expect

from widgets import load_content
from widgets.content_files import counted
from widgets.participant import new_participant
from widgets.registry import SECTIONS as REGISTRY
from widgets.room.content import load_room_content
from widgets.room.model import Rooms, shown_join_code
from widgets.store import default_store

pytestmark = pytest.mark.browser

CONTENT = load_content()
WORDS = load_room_content()
SECTIONS = CONTENT.sections
SECTION_1 = SECTIONS.by_number(1)
EXPECTED = 5
HEARTBEAT_SECONDS = 5.0


def _join_and_wait(voila_server, participant, join_code: str, screenshot) -> None:
    """Join by typing the code, one more than expected: the participant waits, and cannot share yet."""
    code = shown_join_code(join_code)
    participant.goto(voila_server.page(SECTIONS.welcome_notebook))
    participant.get_by_role("textbox", name=WORDS.join.label).fill(join_code, timeout=60_000)
    participant.wait_for_timeout(400)  # the text box sends after a short pause
    participant.get_by_role("button", name=WORDS.join.join_label, exact=True).click()
    expect(participant.get_by_text(WORDS.join.waiting.format(code=code)).first).to_be_visible(timeout=30_000)
    participant.get_by_role("link", name=CONTENT.workbook.start_label).click()
    participant.wait_for_url(f"**/{SECTION_1.notebook}")
    expect(participant.get_by_text(WORDS.share.waiting)).to_be_visible(timeout=60_000)
    expect(participant.get_by_role("checkbox", name=WORDS.share.option)).to_be_hidden()
    screenshot(participant, "room-waiting-to-be-let-in")
    expect(participant.locator(".rw-participant")).to_contain_text(
        WORDS.participant.waiting.format(code=code)
    )


def _check_the_console_and_its_settings(facilitator, screenshot) -> None:
    """The console, with its question, passes axe-core as the pages do; so does its settings tab, where
    the threshold says what it protects against."""
    assert serious_violations(facilitator) == []
    screenshot(facilitator, "room-asking-to-join")
    facilitator.get_by_role("tab", name=WORDS.facilitator.tab_settings).click()
    expect(facilitator.get_by_text(WORDS.facilitator.threshold_limits)).to_be_visible()
    assert serious_violations(facilitator) == []
    facilitator.get_by_role("tab", name=WORDS.facilitator.tab_live).click()


def test_one_more_than_expected_waits_until_the_facilitator_lets_them_in(
    voila_server, new_watched_page, screenshot
):
    rooms = Rooms(default_store(), REGISTRY)
    keys = rooms.open_room(expected=EXPECTED)
    for number in range(EXPECTED):
        someone = new_participant()
        assert rooms.join(someone.code_hash, someone.kind, keys.join_code).admitted
        if number == 0:
            rooms.offer_line(someone.code_hash, "what-community-means", "a line waiting")
    try:
        participant, participant_watch = new_watched_page(412, 900)
        _join_and_wait(voila_server, participant, keys.join_code, screenshot)

        facilitator, facilitator_watch = new_watched_page(1280, 900)
        facilitator.goto(
            voila_server.page(f"{SECTIONS.facilitator_notebook}?room={keys.join_code}&key={keys.secret}")
        )
        asking = facilitator.get_by_text(
            counted(WORDS.facilitator.join_waiting, 1, waiting=1, expected=EXPECTED)
        )
        expect(asking).to_be_visible(timeout=60_000)
        counts = facilitator.locator(".rw-room-counts")
        joined = counts.locator(".rw-console-counts > strong")
        over = counts.locator(".rw-over-expected")
        expect(joined).to_have_text(
            counted(WORDS.facilitator.joined, EXPECTED, joined=EXPECTED, expected=EXPECTED)
        )
        expect(over).to_have_count(0)
        delete_all = facilitator.get_by_role(
            "button", name=WORDS.facilitator.decline_all_label.format(count=1)
        )
        expect(delete_all).to_be_visible()

        _check_the_console_and_its_settings(facilitator, screenshot)
        expect(delete_all).to_be_visible()

        facilitator.get_by_role("button", name=WORDS.facilitator.admit_label).click()
        expect(asking).to_be_hidden(timeout=HEARTBEAT_SECONDS * 1000)
        more = EXPECTED + 1
        expect(joined).to_have_text(counted(WORDS.facilitator.joined, more, joined=more, expected=EXPECTED))
        expect(over).to_have_text(WORDS.facilitator.over_expected)

        # The participant's page hears of it on its own heartbeat: the sharing box appears, no reload.
        share = participant.get_by_role("checkbox", name=WORDS.share.option)
        expect(share).to_be_visible(timeout=HEARTBEAT_SECONDS * 1000)
        expect(participant.get_by_text(WORDS.share.waiting)).to_be_hidden()
        expect(participant.locator(".rw-participant")).to_contain_text(WORDS.participant.sharing_off)

        delete_all.click()
        expect(delete_all).to_be_hidden(timeout=HEARTBEAT_SECONDS * 1000)
        expect(facilitator.get_by_text(WORDS.facilitator.lines_empty)).to_be_visible()
        for watch in (participant_watch, facilitator_watch):
            assert watch.console_errors == []
    finally:
        rooms.facilitator_room(keys.join_code, keys.secret).close()

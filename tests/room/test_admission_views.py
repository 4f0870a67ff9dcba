"""Waiting to be let in, in a kernel: what the participant's pages and the facilitator's dashboard say."""

from __future__ import annotations

import pytest
from conftest import all_widgets
from ipywidgets import HTML
from markupsafe import escape

from widgets import load_content
from widgets.content_files import counted
from widgets.page_session import PageSession
from widgets.participant import PageParticipant, new_participant
from widgets.registry import SECTIONS as REGISTRY
from widgets.room.content import load_room_content
from widgets.room.facilitator_view import RoomDashboard, results_html
from widgets.room.heartbeat import Heartbeat
from widgets.room.model import FacilitatorRoom, RoomKeys, Rooms
from widgets.room.participant_view import JoinPanel, SharePanel
from widgets.store import default_store

CONTENT = load_content()
WORDS = load_room_content()
SECTION_1 = CONTENT.sections.by_number(1)
SECTION_4 = CONTENT.sections.by_number(4)
EXPECTED = 5


def _shown(join_code: str) -> str:
    return f"{join_code[:3]}-{join_code[3:]}"


@pytest.fixture
def opened() -> tuple[RoomKeys, FacilitatorRoom, RoomDashboard]:
    """A room for five, and its dashboard (as the facilitator's private link shows it)."""
    rooms = Rooms(default_store(), REGISTRY)
    keys = rooms.open_room(expected=EXPECTED)
    room = rooms.facilitator_room(keys.join_code, keys.secret)
    heartbeat = Heartbeat(interval_ms=2000)
    heartbeat.address = {"room": keys.join_code, "key": keys.secret}
    return keys, room, RoomDashboard(CONTENT, room, heartbeat)


def _fill(join_code: str, people: int) -> None:
    rooms = Rooms(default_store(), REGISTRY)
    for _ in range(people):
        someone = new_participant()
        assert rooms.join(someone.code_hash, someone.kind, join_code).admitted


def _session() -> PageSession:
    return PageSession(CONTENT, PageParticipant(new_participant()))


def test_someone_beyond_the_number_expected_waits_and_the_page_says_so(opened):
    keys, _room, dashboard = opened
    _fill(keys.join_code, EXPECTED)
    session = _session()
    panel = JoinPanel(session)
    assert panel.join(keys.join_code)
    assert session.membership.admitted is False
    waiting = WORDS.participant.waiting.format(code=_shown(keys.join_code))
    assert session.bar.room_line == waiting
    assert escape(WORDS.join.waiting.format(code=_shown(keys.join_code))) in panel.status.value
    assert escape(WORDS.join.in_room.format(code=_shown(keys.join_code))) not in panel.status.value
    assert escape(WORDS.join.waiting_note) in panel.message.value
    assert panel.leave_button.layout.display == "flex"

    # On a section page: no sharing box and no line box, only the note; the bar says nothing is shared.
    session.show_section(SECTION_4)
    share = SharePanel(session, SECTION_4)
    assert share.layout.display == "flex"
    assert [control.layout.display for control in share.offers] == ["none"] * 3  # box, line, button
    assert escape(WORDS.share.waiting) in share.share_message.value
    assert session.bar.room_line == waiting  # not "this page's answers are not shared": nothing is
    # A crafted tick of the hidden box, or a crafted offer, is refused calmly and changes nothing.
    share.share.set_state({"value": ["share"]})
    assert share.share.value == []
    assert escape(WORDS.refusals["not-admitted"]) in share.share_message.value
    assert not share.offer("let me in")
    assert escape(WORDS.refusals["not-admitted"]) in share.line_message.value
    dashboard.refresh()
    assert dashboard._board.waiting == ()
    assert dashboard.decline_all_button.layout.display == "none"

    # The facilitator lets them in: the next heartbeat shows the sharing box, with no reload.
    assert dashboard.admit_waiting() == 1
    session.heartbeat.tick()
    assert session.membership.admitted is True
    assert [control.layout.display for control in share.offers] == [None] * 3
    assert share.share_message.value == ""
    assert WORDS.participant.sharing_off in session.bar.room_line
    assert escape(WORDS.join.in_room.format(code=_shown(keys.join_code))) in panel.status.value
    share.share.set_state({"value": ["share"]})
    assert session.membership.shared == frozenset({SECTION_4.slug})


def test_the_dashboard_asks_the_facilitator_and_says_when_more_came_than_expected(opened):
    keys, room, dashboard = opened
    words = WORDS.facilitator
    assert escape(counted(words.joined, 0, joined=0, expected=EXPECTED)) in dashboard.counts.value
    assert dashboard.join_waiting.layout.display == "none"
    _fill(keys.join_code, EXPECTED)
    people = [_session() for _ in range(3)]
    for session in people:
        assert JoinPanel(session).join(keys.join_code)
        session.show_section(SECTION_1)
        assert session.membership.admitted is False
    dashboard.refresh()
    joined = counted(words.joined, 5, joined=5, expected=EXPECTED)
    assert joined == "5 joined of 5 expected"
    assert f"<strong>{escape(joined)}</strong>" in dashboard.counts.value
    assert escape(words.over_expected) not in dashboard.counts.value
    assert dashboard.join_waiting.layout.display == "flex"
    asking = counted(words.join_waiting, 3, waiting=3, expected=EXPECTED)
    assert asking == "3 more people are asking to join. You expected 5."
    assert escape(asking) in dashboard.join_waiting_text.value
    assert words.admit_label == dashboard.admit_button.description == "Let them in"
    assert words.turn_away_label == dashboard.turn_away_button.description == "Turn them away"
    # Waiting people are not in "N of M shared" either.
    assert escape(counted(words.shared, 0, shared=0, joined=5)) in results_html(CONTENT, dashboard._board)

    # Two let in: one still asks, and the dashboard says more came than expected.
    assert dashboard.room.admit_waiting(at_most=2) == 2
    dashboard.refresh()
    asking = counted(words.join_waiting, 1, waiting=1, expected=EXPECTED)
    assert asking == "1 more person is asking to join. You expected 5."
    assert escape(asking) in dashboard.join_waiting_text.value
    joined = counted(words.joined, 7, joined=7, expected=EXPECTED)
    over = f'<span class="rw-over-expected">{escape(words.over_expected)}</span>'
    assert f"<strong>{escape(joined)}</strong> {over}" in dashboard.counts.value

    dashboard.turn_away_button.click()
    assert dashboard.join_waiting.layout.display == "none"
    assert room.dashboard().waiting_to_join == 0
    for session in people:
        session.heartbeat.tick()
    assert [session.membership is None for session in people] == [False, False, True]
    assert people[2].bar.room_line == WORDS.participant.turned_away
    assert people[0].bar.room_line != WORDS.participant.turned_away


def test_the_dashboard_says_what_the_threshold_protects_and_what_it_cannot(opened):
    _keys, _room, dashboard = opened
    limits = WORDS.facilitator.threshold_limits
    for words in ("watching the screen", "several phones or browsers", "made-up", "as many people as you"):
        assert words in limits, words
    drawn = [widget.value for widget in all_widgets(dashboard) if isinstance(widget, HTML)]
    (beside,) = [value for value in drawn if escape(limits) in value]
    assert 'class="rw-threshold-limits"' in beside
    # It sits with the threshold control, on the settings tab, among what only the facilitator sees.
    (controls,) = [w for w in dashboard.tabs.panels if dashboard.threshold in getattr(w, "children", ())]
    assert dashboard.tabs.titles[dashboard.tabs.panels.index(controls)] == WORDS.facilitator.tab_settings
    assert "rw-facilitator-only" in controls._dom_classes
    assert "rw-room-controls" in controls._dom_classes
    assert [w.value for w in controls.children if isinstance(w, HTML) and escape(limits) in w.value] == [
        beside
    ]


def test_delete_all_waiting_lines_from_the_dashboard(opened):
    keys, room, dashboard = opened
    label = WORDS.facilitator.decline_all_label
    assert dashboard.decline_all_button.layout.display == "none"
    sessions = [_session() for _ in range(3)]
    for session in sessions:
        JoinPanel(session).join(keys.join_code)
        assert SharePanel(session, SECTION_4).offer(f"a line from {session.participant.code[:4]}")
    dashboard.refresh()
    assert dashboard.decline_all_button.layout.display is None
    assert dashboard.decline_all_button.description == label.format(count=3) == "Delete all waiting lines (3)"
    assert len(dashboard.queue.children) == 3
    dashboard.decline_all_button.click()
    assert room.dashboard().waiting == ()
    assert dashboard.decline_all_button.layout.display == "none"
    assert escape(WORDS.facilitator.lines_empty) in dashboard.queue.children[0].value


def test_a_flood_of_lines_is_refused_calmly(opened):
    keys, _room, _dashboard = opened
    sessions = [_session() for _ in range(EXPECTED)]
    panels = []
    for session in sessions:
        JoinPanel(session).join(keys.join_code)
        panels.append(SharePanel(session, SECTION_4))
    # Five people, three lines each: the room's 5 + 10 lines a minute.
    for panel in panels:
        for number in range(3):
            assert panel.offer(f"line {number}")
    other = SharePanel(sessions[0], CONTENT.sections.by_number(7))
    assert not other.offer("one more")
    assert WORDS.refusals["lines-busy"] == "Many lines came in just now. Please try again in a minute."
    assert escape(WORDS.refusals["lines-busy"]) in other.line_message.value

"""What a page does before its request comes, and what only after (``widgets.pages``).

A preheated kernel runs its page up to the first reading of the page's address and waits there; what
comes before is done ahead of the request. The address is read here through the page session's own
hook, so the tests see when a page first asks for it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from widgets import answers, load_content, page_session, pages
from widgets.participant import PARTICIPANT_COOKIE, PageRequest, Participant, cookie_value, new_participant
from widgets.sections.checkin.model import load_checkin_content
from widgets.store import default_store

CONTENT = load_content()


def _request_for(participant: Participant) -> PageRequest:
    """A page request whose cookie names ``participant`` (for this browser session only)."""
    cookie = f"{PARTICIPANT_COOKIE}={cookie_value(participant.code, False)}"
    return PageRequest(query_string="", cookie=cookie)


@pytest.fixture
def addresses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A fresh page (no session yet) whose cookie names a participant; lists each time it is read."""
    participant = new_participant()
    read: list[str] = []

    def address() -> PageRequest:
        read.append(participant.code)
        return _request_for(participant)

    monkeypatch.setattr(page_session, "_SESSION", None)
    monkeypatch.setattr(page_session, "page_request", address)
    yield read
    answers.use(answers.AnswerBook())


def test_a_section_without_a_content_note_makes_its_header_before_the_request(addresses):
    pages.show_section_header(1)
    assert addresses == []
    shell = page_session.page_shell(CONTENT)
    assert not shell.is_open
    assert shell.bar.code == ""

    pages.show_section_activity(1)
    assert len(addresses) == 1
    session = page_session.page_session(CONTENT)
    assert session is shell
    assert session.is_open
    assert session.bar.session_code == addresses[0]


def test_every_section_header_is_made_before_the_request(addresses):
    # No link names the participant any more, so even a content note's skip link needs no request.
    for section in CONTENT.sections.sections:
        pages.show_section_header(section.number)
    assert addresses == []
    assert not page_session.page_shell(CONTENT).is_open


def test_the_check_in_is_made_before_the_request_and_then_shows_the_kept_answers(monkeypatch):
    from widgets.sections.checkin import view

    participant = new_participant()
    first_item = load_checkin_content().items[0].id
    default_store().save(participant.code_hash, "hidden-weight", {"answers": {first_item: "often"}})
    read: list[str] = []
    made: list[tuple[int, object]] = []
    real_build = view.build

    def address() -> PageRequest:
        read.append(participant.code)
        return _request_for(participant)

    def build(content, sections=None):
        activity = real_build(content, sections)
        made.append((len(read), activity))
        return activity

    monkeypatch.setattr(page_session, "_SESSION", None)
    monkeypatch.setattr(page_session, "page_request", address)
    monkeypatch.setattr(view, "build", build)
    try:
        pages.show_section_header(1)
        pages.show_section_activity(1)
    finally:
        answers.use(answers.AnswerBook())
    ((read_when_made, activity),) = made
    assert read_when_made == 0
    assert len(read) == 1
    assert activity.questions[first_item].value == "often"
    assert all(question.value is None for item, question in activity.questions.items() if item != first_item)


def test_a_sections_note_and_take_home_are_made_before_the_request_then_show_the_kept(monkeypatch):
    from ipywidgets.widgets.widget import _instances

    from widgets.answers import note_key
    from widgets.controls import TextBox
    from widgets.take_home.view import TakeHome

    participant = new_participant()
    default_store().save(participant.code_hash, note_key("hidden-weight"), {"text": "ask Dana for a walk"})
    made_before_request: set[str] = set()

    def address() -> PageRequest:
        made_before_request.update(_instances)
        return _request_for(participant)

    monkeypatch.setattr(page_session, "_SESSION", None)
    monkeypatch.setattr(page_session, "page_request", address)
    try:
        pages.show_section_header(1)
        pages.show_section_activity(1)
    finally:
        answers.use(answers.AnswerBook())
    made_after = [_instances[model_id] for model_id in set(_instances) - made_before_request]
    assert made_before_request
    assert not [widget for widget in made_after if isinstance(widget, TextBox | TakeHome)]
    notes = [w for w in _instances.values() if isinstance(w, TextBox) and w.value == "ask Dana for a walk"]
    assert len(notes) == 1

"""The welcome page: coming back with a code, starting fresh, seeing and deleting what is kept."""

from __future__ import annotations

import time

import pytest
from markupsafe import escape

from widgets import answers, load_content
from widgets.answers import note_key
from widgets.page_session import PageSession
from widgets.participant import PageParticipant, new_participant
from widgets.store import default_store
from widgets.welcome_view import RESUME_SECONDS, WelcomePage

CONTENT = load_content()
TEXT = CONTENT.workbook


@pytest.fixture
def page():
    session = PageSession(CONTENT, PageParticipant(new_participant()))
    return WelcomePage(CONTENT, session), session


def _someone_with_answers():
    someone = new_participant()
    default_store().save(someone.code_hash, "hidden-weight", {"answers": {"left-out": "often"}})
    default_store().save(someone.code_hash, note_key("hidden-weight"), {"text": "<b>call Sam</b>"})
    return someone


def test_links_carry_the_code_and_progress_shows(page):
    welcome, session = page
    assert 'href="01-hidden-weight.ipynb"' in welcome.contents.value
    assert session.participant.code not in welcome.contents.value
    assert welcome.contents.value.count(escape(TEXT.progress.not_started)) == 9


def test_resume_with_a_typed_code(page):
    welcome, session = page
    someone = _someone_with_answers()
    assert welcome.resume(someone.shown_code.lower().replace("-", " "))
    assert session.participant == someone
    assert answers.current().load("hidden-weight") == {"answers": {"left-out": "often"}}
    assert session.bar.code == someone.shown_code
    assert session.bar.session_code == someone.code
    assert escape(TEXT.resume.found) in welcome.resume_message.value
    assert welcome.contents.value.count(escape(TEXT.progress.started)) == 1


def test_unknown_and_malformed_codes_get_the_same_message_and_timing(page):
    welcome, session = page
    before = session.participant
    timings, messages = [], []
    for typed in ("ABCD-EFGH-JKMN-PQRS", "not a code <b>", "ABCD-EFGH-JKMN-PQRS", "x"):
        started = time.monotonic()
        assert not welcome.resume(typed)
        timings.append(time.monotonic() - started)
        messages.append(welcome.resume_message.value)
    assert len(set(messages)) == 1
    assert escape(TEXT.resume.not_found) in messages[0]
    assert min(timings) >= RESUME_SECONDS
    assert max(timings) - min(timings) < 0.15
    assert session.participant == before


def test_start_new_gives_a_new_code(page):
    welcome, session = page
    before = session.participant
    welcome.start_new()
    assert session.participant != before
    assert session.bar.code == session.participant.shown_code


def test_what_is_kept_in_plain_words(page):
    welcome, _session = page
    someone = _someone_with_answers()
    welcome.resume(someone.code)
    welcome.show_kept()
    kept = welcome.kept.value
    assert "Section 1: The Hidden Weight Many People Carry" in kept
    assert escape(TEXT.kept.note_line.format(text="<b>call Sam</b>")) in kept
    assert "<b>call Sam</b>" not in kept
    assert "Code first used on" in kept


def test_delete_needs_its_confirmation_then_removes_everything(page):
    welcome, session = page
    someone = _someone_with_answers()
    welcome.resume(someone.code)
    welcome.delete_everything()  # a click without the confirmation shown does nothing
    assert default_store().load_all(someone.code_hash) != {}
    # A crafted page can show the confirmation by sending its layout; that is not asking for it.
    welcome.confirm_box.layout.set_state({"display": "flex"})
    welcome.delete_everything()
    assert default_store().load_all(someone.code_hash) != {}
    welcome._ask_to_delete()
    welcome.delete_everything()
    assert default_store().load_all(someone.code_hash) == {}
    assert default_store().participant(someone.code_hash) is None
    assert session.participant != someone
    assert escape(TEXT.kept.deleted) in welcome.kept_message.value


def test_a_preheated_welcome_page_makes_no_widget_after_its_request():
    from ipywidgets.widgets.widget import _instances

    # Before the request: the page's shell, whose session knows no participant yet.
    session = PageSession(CONTENT)
    welcome = WelcomePage(CONTENT, session)
    made_before = set(_instances)
    someone = _someone_with_answers()
    session.open_for(PageParticipant(someone))
    welcome.show_participant_part()
    # Every widget a room's burst would wait for was made while the kernel waited in its pool; the
    # request only fills in the participant's own contents, take-home and room.
    assert set(_instances) - made_before == set()
    assert welcome.take_home in welcome.children
    assert welcome.join_panel in welcome.children
    assert welcome.take_home.layout.display == "flex"  # something is kept for this participant
    assert escape(TEXT.progress.started) in welcome.contents.value

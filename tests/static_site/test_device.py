"""The server-free edition's page session, run here in CPython with a stand-in for the browser's storage.

The browser's storage is JavaScript (``frontend/src/static_page.js``); here a small keeper holds the same
one JSON text, so the session, the answer book and the saved-workbook file are checked without a browser
(tests/static_site/test_static_browser.py drives the real page).
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from widgets import answers, pages
from widgets.answers import note_key
from widgets.page_session import PageSession, use_page_session
from widgets.static_site import device
from widgets.workbook_content import load_content

CONTENT = load_content()
WORDS = CONTENT.workbook.device
CHECKIN = {"answers": {"left-out": "often", "companionship": "hardly-ever"}}


class Keeper:
    """What the page's script gives Python: one text kept in the browser's storage, or a refusal."""

    def __init__(self, text: str | None = None, refuses: bool = False) -> None:
        self.text, self.refuses, self.said = text, refuses, []

    def read(self) -> str | None:
        return self.text

    def write(self, text: str) -> None:
        if self.refuses:
            raise RuntimeError("QuotaExceededError")  # as a JavaScript error reaches Python
        self.text = text

    def erase(self) -> None:
        self.text = None

    def status(self, text: str) -> None:
        self.said.append(text)


@pytest.fixture
def shown(monkeypatch):
    """What the pages display, in order (no kernel here)."""
    made = []
    monkeypatch.setattr(pages, "display", made.append)
    yield made
    use_page_session(PageSession(CONTENT))
    answers.use(answers.AnswerBook())


def test_answers_are_kept_in_the_browsers_storage_as_they_are_given(shown):
    keeper = Keeper()
    session = device.start(keeper)
    session.book.save("hidden-weight", CHECKIN)
    assert json.loads(keeper.text) == {"answers": {"hidden-weight": CHECKIN}}
    again = device.start(keeper)  # the page reloaded: Python starts again from the storage
    assert again.book.load("hidden-weight") == CHECKIN


def test_a_section_page_shows_the_kept_answers_and_has_no_code_bar_or_room(shown):
    from widgets.controls import ParticipantBar
    from widgets.room.participant_view import SharePanel

    device.start(Keeper(json.dumps({"answers": {"hidden-weight": CHECKIN}})))
    pages.show_section_header(1)
    pages.show_section_activity(1)
    activity = next(widget for widget in shown if type(widget).__name__ == "CheckinActivity")
    assert activity.questions["left-out"].value == "often"
    assert not [widget for widget in shown if isinstance(widget, (ParticipantBar, SharePanel))]


def test_a_browser_that_refuses_to_keep_says_so_and_the_answer_stays_on_the_page(shown):
    keeper = Keeper(refuses=True)
    session = device.start(keeper)
    session.book.save("hidden-weight", CHECKIN)
    assert keeper.said[-1] == WORDS.not_kept
    assert session.book.load("hidden-weight") == CHECKIN


def test_the_welcome_page_says_rooms_need_a_server_and_links_to_the_practices(shown):
    device.start(Keeper(), served_url="https://workbook.example.org/")
    pages.show_welcome()
    welcome = shown[0].data
    assert WORDS.rooms_absent.split(",")[0] in welcome
    assert 'href="https://workbook.example.org/"' in welcome


def test_a_saved_workbook_opens_in_another_browser(shown):
    first = device.start(Keeper())
    first.book.save("hidden-weight", CHECKIN)
    first.book.save(note_key("hidden-weight"), {"text": "call Sam <b>"})
    name, text = first.saved_file(date(2026, 12, 8))
    assert name == "my-reconnection-workbook-2026-12-08.json"
    other = Keeper()
    second = device.start(other)
    assert second.open_saved(text) == WORDS.opened
    assert second.book.load("hidden-weight") == CHECKIN
    assert json.loads(other.text)["answers"][note_key("hidden-weight")] == {"text": "call Sam <b>"}


@pytest.mark.parametrize(
    "change",
    [
        lambda saved: "not json at all",
        lambda saved: json.dumps({**saved, "kind": "something-else"}),
        lambda saved: json.dumps({**saved, "version": 2}),
        lambda saved: json.dumps({**saved, "answers": {**saved["answers"], "passwords": {"x": 1}}}),
        lambda saved: json.dumps({**saved, "answers": {"hidden-weight": {"answers": ["often"]}}}),
        lambda saved: json.dumps({**saved, "answers": {note_key("hidden-weight"): {"text": "x" * 2001}}}),
        lambda saved: json.dumps({**saved, "answers": {"language": {"locale": "xx"}}}),
        lambda saved: json.dumps({**saved, "answers": []}),
    ],
    ids=[
        "not-json",
        "other-kind",
        "other-version",
        "unknown-key",
        "bad-answer",
        "long-note",
        "language",
        "list",
    ],
)
def test_a_file_that_is_not_wholly_a_saved_workbook_changes_nothing(shown, change):
    source = device.start(Keeper())
    source.book.save("hidden-weight", CHECKIN)
    saved = json.loads(source.saved_file()[1])
    keeper = Keeper(json.dumps({"answers": {"hidden-weight": {"answers": {"left-out": "some-of-the-time"}}}}))
    before = keeper.text
    session = device.start(keeper)
    assert session.open_saved(change(saved)) == WORDS.open_failed
    assert keeper.text == before
    assert session.book.load("hidden-weight") == {"answers": {"left-out": "some-of-the-time"}}


def test_delete_everything_empties_the_browsers_storage(shown):
    keeper = Keeper()
    session = device.start(keeper)
    session.book.save("hidden-weight", CHECKIN)
    session.book.delete_everything()
    assert keeper.text is None
    assert session.open_book().kept_keys() == []

"""The answer book writes through to the store, and never loses what could not be written."""

from __future__ import annotations

import pytest

from widgets.answers import SAVED, UNSAVED, AnswerBook, note_key
from widgets.participant import Participant, demo_participant
from widgets.store import Store, StoreError

PERSON = Participant("ABCDEFGHJKMNPQRS")


class FlakyStore(Store):
    """A real store whose next ``failures`` writes fail, as a full disk or a lock would."""

    failures = 0

    def save(self, *args, **kwargs):
        if self.failures:
            self.failures -= 1
            raise StoreError("the answer store could not be written: disk I/O error")
        return super().save(*args, **kwargs)


@pytest.fixture
def path(tmp_path):
    return tmp_path / "workbook.sqlite"


def test_answers_are_kept_as_given_and_found_by_a_new_page(path):
    book = AnswerBook(Store(path), PERSON)
    statuses = []
    book.on_status(statuses.append)
    book.save("hidden-weight", {"answers": {"left-out": "often"}})
    book.save(note_key("hidden-weight"), {"text": "call Sam"})
    assert statuses == [SAVED, SAVED]
    reopened = AnswerBook(Store(path), PERSON)
    assert reopened.load("hidden-weight") == {"answers": {"left-out": "often"}}
    assert reopened.load("note:hidden-weight") == {"text": "call Sam"}
    assert reopened.kept_keys() == ["hidden-weight", "note:hidden-weight"]


def test_demo_answers_are_kept_apart(path):
    AnswerBook(Store(path), demo_participant()).save("hidden-weight", {"answers": {"left-out": "often"}})
    assert AnswerBook(Store(path), PERSON).load("hidden-weight") is None
    assert Store(path).participant(demo_participant().code_hash).kind == "demo"


def test_a_failed_write_keeps_the_answer_and_writes_it_with_the_next(path):
    store = FlakyStore(path)
    book = AnswerBook(store, PERSON)
    statuses = []
    book.on_status(statuses.append)
    store.failures = 1
    book.save("hidden-weight", {"answers": {"left-out": "often"}})
    assert book.status == UNSAVED
    assert book.load("hidden-weight") == {"answers": {"left-out": "often"}}
    assert Store(path).load_all(PERSON.code_hash) == {}
    book.save("note:hidden-weight", {"text": "later"})
    assert statuses == [UNSAVED, SAVED]
    assert Store(path).load_all(PERSON.code_hash) == {
        "hidden-weight": {"answers": {"left-out": "often"}},
        "note:hidden-weight": {"text": "later"},
    }


def test_delete_everything(path):
    book = AnswerBook(Store(path), PERSON)
    book.save("hidden-weight", {"answers": {}})
    book.delete_everything()
    assert book.kept_keys() == []
    assert Store(path).counts() == {"participants": 0, "answers": 0}


def test_a_database_server_that_goes_away_loses_nothing(postgres, postgres_url):
    """PostgreSQL stopped under a page, and a page opened while it is down: both save once it is back."""
    book = AnswerBook(Store(postgres_url), PERSON)
    book.save("hidden-weight", {"answers": {"left-out": "often"}})
    postgres.stop()
    try:
        book.save("small-steps", {"steps": []})
        assert book.status == UNSAVED
        with pytest.raises(StoreError):
            Store(postgres_url)
        # A page opened now keeps its answers on the page, as for a locked SQLite file.
        later = AnswerBook(None, PERSON, reopen=lambda: Store(postgres_url))
        later.save("looking-ahead", {"answers": {"left-out": "hardly-ever"}})
        assert later.status == UNSAVED
    finally:
        postgres.start()
    book.save(note_key("small-steps"), {"text": "call Sam"})
    later.save("looking-ahead", {"answers": {"left-out": "some-of-the-time"}})
    assert (book.status, later.status) == (SAVED, SAVED)
    assert Store(postgres_url).load_all(PERSON.code_hash) == {
        "hidden-weight": {"answers": {"left-out": "often"}},
        "small-steps": {"steps": []},
        note_key("small-steps"): {"text": "call Sam"},
        "looking-ahead": {"answers": {"left-out": "some-of-the-time"}},
    }
    # The page opened during the outage now also shows what the store kept from the other page.
    assert later.load("hidden-weight") == {"answers": {"left-out": "often"}}

"""The answer book keeps plain data by section and hands out copies."""

from __future__ import annotations

import pytest

from widgets.answers import AnswerBook


def test_round_trip_and_copies():
    book = AnswerBook()
    assert book.load("hidden-weight") is None
    answers = {"answers": {"left-out": "often"}}
    book.save("hidden-weight", answers)
    answers["answers"]["left-out"] = "hardly-ever"
    loaded = book.load("hidden-weight")
    assert loaded == {"answers": {"left-out": "often"}}
    loaded["answers"].clear()
    assert book.load("hidden-weight") == {"answers": {"left-out": "often"}}


def test_refuses_what_is_not_plain_data():
    book = AnswerBook()
    with pytest.raises(TypeError):
        book.save("hidden-weight", {"when": object()})
    assert book.load("hidden-weight") is None


def test_clear():
    book = AnswerBook()
    book.save("small-steps", {"steps": []})
    book.clear()
    assert book.load("small-steps") is None

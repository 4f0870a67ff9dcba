"""Section 2's model: the beliefs held most strongly, and its content file."""

from __future__ import annotations

import pytest

from widgets import ContentError
from widgets._content import load_activity_content
from widgets.beliefs import BeliefsContent, strongest_beliefs

SPEC = load_activity_content("beliefs", BeliefsContent)
IDS = [statement.id for statement in SPEC.statements]


def test_content_loads():
    assert 6 <= len(SPEC.statements) <= 8
    assert [option.score for option in SPEC.options] == [1, 2, 3, 4, 5]


def test_nothing_answered():
    result = strongest_beliefs(SPEC, {})
    assert (result.answered, result.total, result.strongest, result.more) == (0, len(IDS), (), 0)


def test_strongest_first_then_in_asked_order():
    answers = {IDS[0]: "agree", IDS[1]: "strongly-agree", IDS[2]: "agree", IDS[3]: "not-sure"}
    result = strongest_beliefs(SPEC, answers)
    assert [s.id for s in result.strongest] == [IDS[1], IDS[0], IDS[2]]
    assert result.answered == 4
    assert result.more == 0


def test_at_most_max_shown_and_the_rest_counted():
    result = strongest_beliefs(SPEC, dict.fromkeys(IDS, "agree"))
    assert len(result.strongest) == SPEC.max_shown
    assert result.more == len(IDS) - SPEC.max_shown


def test_disagreeing_and_not_sure_are_not_strong():
    answers = {IDS[0]: "strongly-disagree", IDS[1]: "disagree", IDS[2]: "not-sure"}
    result = strongest_beliefs(SPEC, answers)
    assert result.strongest == ()
    assert result.answered == 3


def test_skips_are_not_answers():
    result = strongest_beliefs(SPEC, {IDS[0]: None, IDS[1]: "agree"})
    assert result.answered == 1
    assert [s.id for s in result.strongest] == [IDS[1]]


@pytest.mark.parametrize(
    ("answers", "problem"), [({"nope": "agree"}, "no belief"), ({IDS[0]: "yes"}, "not one")]
)
def test_unknown_ids_are_refused(answers, problem):
    with pytest.raises(ValueError, match=problem):
        strongest_beliefs(SPEC, answers)


def test_bad_content_names_file_and_field(edit_content):
    def change(data):
        data["statements"][1]["id"] = data["statements"][0]["id"]
        del data["statements"][2]["reframe"]

    folder = edit_content("beliefs", change)
    with pytest.raises(ContentError, match=r"beliefs\.yaml: statements\.2\.reframe: Field required"):
        load_activity_content("beliefs", BeliefsContent, folder)

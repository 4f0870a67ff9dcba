"""Section 9's model: comparing the check-in with section 1's, and its content file."""

from __future__ import annotations

import pytest

from widgets import load_content
from widgets._content import load_activity_content
from widgets.answers import AnswerBook
from widgets.summary import summarise
from widgets.where_now import WhereNowContent, compare_checkins, summary_lines

CONTENT = load_content()
CHECKIN = CONTENT.checkin
SPEC = load_activity_content("where_now", WhereNowContent)
ITEMS = [item.id for item in CHECKIN.items]


def _all(option: str) -> dict[str, str]:
    return dict.fromkeys(ITEMS, option)


def test_lighter():
    comparison = compare_checkins(CHECKIN, _all("often"), _all("some-of-the-time"), SPEC.same_within)
    assert (comparison.before_average, comparison.now_average, comparison.change) == (3, 2, "lighter")


def test_heavier():
    comparison = compare_checkins(CHECKIN, _all("hardly-ever"), _all("often"), SPEC.same_within)
    assert comparison.change == "heavier"


def test_about_the_same_within_the_margin():
    before = _all("some-of-the-time")
    now = {**before, ITEMS[0]: "often"}  # average 2.17, within 0.25 of 2
    assert compare_checkins(CHECKIN, before, now, SPEC.same_within).change == "same"


def test_skipped_questions_do_not_move_the_average():
    before = {ITEMS[0]: "often", ITEMS[1]: "often", ITEMS[2]: "often"}
    now = {**_all("often"), ITEMS[5]: None}
    comparison = compare_checkins(CHECKIN, before, now, SPEC.same_within)
    assert (comparison.before_average, comparison.now_average, comparison.change) == (3, 3, "same")
    assert comparison.items[3].before is None
    assert comparison.items[3].now == "Often"
    assert comparison.items[5].now is None


def test_too_few_answers_either_time_gives_nothing_to_compare():
    assert compare_checkins(CHECKIN, {ITEMS[0]: "often"}, _all("often"), SPEC.same_within) is None
    assert compare_checkins(CHECKIN, _all("often"), {ITEMS[0]: "often"}, SPEC.same_within) is None


def test_unknown_answers_are_refused():
    with pytest.raises(ValueError, match="not one of the answers"):
        compare_checkins(CHECKIN, _all("always"), _all("often"), SPEC.same_within)


def test_summary_lines_name_the_band_and_the_patterns():
    saved = {"answers": _all("hardly-ever"), "patterns": ["keep-busy", "unknown"], "own_words": "I hide."}
    lines = summary_lines(saved)
    assert lines[0] == f"{SPEC.now_label}: {CHECKIN.bands[0].title}"
    assert "I keep busy instead of reaching out" in lines
    assert lines[-1] == "I hide."
    assert not any("unknown" in line for line in lines)


def test_summarise_walks_every_section_in_order():
    book = AnswerBook()
    book.save("hidden-weight", {"answers": _all("often")})
    book.save("handling-it-alone", {"answers": {"weakness": "strongly-agree"}})
    summaries = summarise(CONTENT, book)
    assert [s.section.number for s in summaries] == list(range(1, 10))
    assert CHECKIN.bands[-1].title in summaries[0].lines
    assert "“Needing help from other people is a sign of weakness.”" in summaries[1].lines
    assert summaries[2].lines == ()


def test_summarise_reads_tampered_answers_without_stopping():
    """Section 9's page summarises every section: data from an older or tampered page must not stop it."""
    book = AnswerBook()
    book.save("hidden-weight", {"answers": {**_all("often"), "left-out": "always", "gone": "often"}})
    book.save("handling-it-alone", {"answers": {"weakness": "strongly-agree", "burden": 5, "gone": "agree"}})
    book.save("small-steps", {"steps": None})
    book.save(
        "looking-ahead",
        {"answers": "often", "patterns": ["keep-busy", {"x": 1}, "gone"], "own_words": ["not text"]},
    )
    summaries = {s.section.slug: s.lines for s in summarise(CONTENT, book)}
    assert CHECKIN.bands[-1].title in summaries["hidden-weight"]  # five answers that still fit
    assert "“Needing help from other people is a sign of weakness.”" in summaries["handling-it-alone"]
    assert summaries["small-steps"] == ()
    assert summaries["looking-ahead"] == ("I keep busy instead of reaching out",)

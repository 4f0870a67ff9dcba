"""Section 9's model: comparing the check-in with section 1's, and its content file."""

from __future__ import annotations

import pytest

from widgets import ContentError, load_content
from widgets._content import load_activity_content
from widgets.answers import AnswerBook
from widgets.summary import summarise
from widgets.where_now import WhereNowContent, compare_checkins, group_figures, summary_lines

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


# --- the group's figures (facilitator's screen) ----------------------------------

SENTINEL = "<b>Sam Secret</b>"
WHERE_NOW = load_activity_content("where_now", WhereNowContent)
PATTERN_LABELS = [option.label for option in WHERE_NOW.patterns.options]


def _rows(figure) -> list[tuple[str, float]]:
    return [(row.label, row.value) for row in figure.rows]


def test_group_figures_count_todays_bands_and_the_patterns_noticed():
    shared = [
        {"answers": _all("often"), "patterns": ["keep-busy", "more-support"], "own_words": SENTINEL},
        {
            "answers": {"left-out": "hardly-ever", "companionship": "hardly-ever", "unseen": "hardly-ever"},
            "patterns": ["keep-busy", "gone", "keep-busy", {"x": 1}],
        },
        {
            "answers": {"left-out": "often"},
            "patterns": "keep-busy",
            "own_words": SENTINEL,
        },  # too few; not a list
        {"answers": {"left-out": "always", "unseen": 3, "distant": ["often"]}},
        "not a mapping",
    ]
    bands, patterns = group_figures(shared)
    # 18 / 6 = 3.0 lands in the last band; 3 / 3 = 1.0 in the first; one answer is too few for a band.
    assert (bands.id, bands.measure) == ("bands", "count")
    assert _rows(bands) == [
        (CHECKIN.bands[0].title, 1),
        (CHECKIN.bands[1].title, 0),
        (CHECKIN.bands[2].title, 1),
    ]
    assert [option.id for option in WHERE_NOW.patterns.options][:1] == ["keep-busy"]
    more_support = [option.id for option in WHERE_NOW.patterns.options].index("more-support")
    expected = [0] * len(PATTERN_LABELS)
    expected[0], expected[more_support] = 2, 1
    assert (patterns.id, patterns.measure) == ("patterns", "count")
    assert _rows(patterns) == list(zip(PATTERN_LABELS, expected, strict=True))
    assert all("group" in figure.title for figure in (bands, patterns))


def test_group_figures_leave_out_what_no_one_gave():
    assert [f.id for f in group_figures([{"patterns": ["ready-for-a-step"]}])] == ["patterns"]
    assert [f.id for f in group_figures([{"answers": _all("hardly-ever"), "patterns": []}])] == ["bands"]


def test_group_figures_never_show_own_words():
    shared = [
        {
            "answers": {**_all("often"), SENTINEL: "often"},
            "patterns": ["keep-busy", SENTINEL],
            "own_words": SENTINEL,
        },
        {"answers": {"left-out": SENTINEL}, "own_words": "Sam", SENTINEL: SENTINEL},
    ]
    figures = group_figures(shared)
    words = [text for f in figures for text in (f.title, f.unit, *(row.label for row in f.rows))]
    assert len(figures) == 2
    assert not [text for text in words if "Sam" in text or "<" in text]


@pytest.mark.parametrize(
    "shared",
    [
        [],
        [{}],
        ["x"],
        [{"answers": {}, "patterns": [], "own_words": "Sam"}],
        [{"answers": {"left-out": "often"}}],
    ],
)
def test_group_figures_are_empty_without_usable_answers(shared):
    assert group_figures(shared) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("group"), "group: Field required"),
        (lambda d: d["group"]["bands"].pop("title"), "group.bands.title"),
    ],
)
def test_bad_group_words_name_the_problem(content_copy, edit_content, change, expected):
    edit_content("where_now", change)
    with pytest.raises(ContentError, match=r"where_now\.yaml") as caught:
        load_activity_content("where_now", WhereNowContent, content_copy)
    assert expected in str(caught.value)

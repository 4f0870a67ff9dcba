"""The connection map's rules and content (the model, no widgets)."""

from __future__ import annotations

import pytest
from conftest import figure_rows, figure_words

from widgets import load_content
from widgets.blocks import Bullets, Diagram, Grid, Paragraph, Quote, Rings, Table
from widgets.content_files import load_activity_content
from widgets.sections.connection_map.model import (
    ConnectionMapContent,
    Entry,
    MapError,
    add_entry,
    count_safe,
    entries_table,
    feedback_blocks,
    from_saved,
    group_figures,
    is_safe,
    make_entry,
    read_saved_map,
    remove_entry,
    report_blocks,
    ring_placement,
    summary_lines,
    to_saved,
    worksheet_blocks,
)
from widgets.sections.connection_map.view import build
from widgets.take_home.export import document_blocks

CRISIS = load_content().crisis
SPEC = load_activity_content("connection_map", ConnectionMapContent)
ALL_MOSTLY = {"authenticity": "mostly", "reliability": "mostly", "mutual-care": "mostly"}


def _entry(label: str, circle: str = "close", **ratings: str | None) -> Entry:
    return make_entry(SPEC, label, circle, "friend", {k.replace("_", "-"): v for k, v in ratings.items()})


def _full_map(count: int) -> tuple[Entry, ...]:
    entries: tuple[Entry, ...] = ()
    for number in range(count):
        entries = add_entry(SPEC, entries, _entry(f"P{number}", "outer"))
    return entries


# --- content --------------------------------------------------------------------


def test_shipped_content_limits_and_choices():
    assert SPEC.max_entries == 25
    assert SPEC.label_max_length == 30
    assert [kind.label for kind in SPEC.kinds] == [
        "Friend",
        "Family",
        "Counselor",
        "Faith group",
        "Peer support",
        "Shared interest",
        "Coworker",
        "Other",
    ]
    assert [circle.id for circle in SPEC.circles] == ["close", "middle", "outer"]
    assert [rating.id for rating in SPEC.ratings] == ["authenticity", "reliability", "mutual-care"]
    assert SPEC.safe_when in {choice.id for choice in SPEC.scale}
    assert "25" in SPEC.form_note.format(max_entries=SPEC.max_entries)


def test_article_words_are_quoted_exactly(article_lines):
    assert SPEC.article_words == (
        "A single safe relationship can begin to shift a person’s experience of isolation "
        "and open the door to broader reconnection over time."
    )
    assert any(SPEC.article_words in line for line in article_lines)


def test_safe_definition_says_what_counts():
    mostly = next(choice.label for choice in SPEC.scale if choice.id == SPEC.safe_when)
    assert f"“{mostly}”" in SPEC.safe_definition
    assert "all three" in SPEC.safe_definition


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["kinds"][1].update(id="friend"), "kinds: Value error, every kind needs its own id"),
        (lambda d: d.update(safe_when="always"), "safe_when"),
        (lambda d: d.update(max_entries=0), "max_entries"),
        (lambda d: d.update(map_full="Only {limit} fit"), "unknown placeholder"),
        (lambda d: d.update(centre_label="Myself and I"), "centre_label"),
        (lambda d: d.pop("article_words"), "article_words: Field required"),
        (lambda d: d.update(colour="blue"), "colour: Extra inputs are not permitted"),
        (lambda d: d["group"]["safe"].pop("none_yet"), "group.safe.none_yet"),
        (lambda d: d["group"]["kinds"].update(colour="red"), "group.kinds.colour"),
        (lambda d: d["worksheet"].update(rows=0), "worksheet.rows"),
        (lambda d: d["worksheet"].update(rows=26), "worksheet.rows (26) is more than max_entries"),
        (lambda d: d["worksheet"].update(kinds_note="Pick: {choices}"), "unknown placeholder"),
        (lambda d: d["worksheet"]["columns"].pop("circle"), "worksheet.columns.circle"),
        (lambda d: d["worksheet"].update(colour="red"), "worksheet.colour"),
    ],
)
def test_bad_content_names_file_field_and_problem(content_refusal, change, expected):
    # Without its group or worksheet words at all: tests/sections/test_every_section.py.
    assert expected in content_refusal("connection_map", change)


# --- one entry ------------------------------------------------------------------


def test_label_is_stripped_and_ratings_are_optional():
    entry = make_entry(SPEC, "  Sam  ", "middle")
    assert entry == Entry(
        label="Sam",
        circle="middle",
        kind=None,
        ratings={"authenticity": None, "reliability": None, "mutual-care": None},
    )


@pytest.mark.parametrize("label", ["", "   ", "\t"])
def test_label_is_required(label):
    with pytest.raises(MapError, match="type a label first"):
        make_entry(SPEC, label, "close")


def test_label_length_limit():
    assert make_entry(SPEC, "x" * 30, "close").label == "x" * 30
    assert make_entry(SPEC, "  " + "x" * 30 + "  ", "close").label == "x" * 30
    with pytest.raises(MapError, match="up to 30 characters"):
        make_entry(SPEC, "x" * 31, "close")


def test_circle_is_required():
    with pytest.raises(MapError, match="choose a circle"):
        make_entry(SPEC, "Sam", None)


@pytest.mark.parametrize(
    ("circle", "kind", "ratings"),
    [
        ("inner", None, None),
        ("close", "stranger", None),
        ("close", None, {"authenticity": "always"}),
        ("close", None, {"trust": "mostly"}),
        (["close"], None, None),
        ("close", None, {"authenticity": ["mostly"]}),
    ],
)
def test_choices_must_be_the_contents(circle, kind, ratings):
    with pytest.raises(MapError, match="isn't one of the choices"):
        make_entry(SPEC, "Sam", circle, kind, ratings)


# --- the list -----------------------------------------------------------------


def test_map_holds_up_to_25_and_the_26th_changes_nothing():
    entries = _full_map(25)
    assert len(entries) == 25
    with pytest.raises(MapError, match="already holds 25 people or groups") as caught:
        add_entry(SPEC, entries, _entry("One more"))
    assert "remove someone first" in str(caught.value)
    assert len(entries) == 25
    assert [entry.label for entry in entries] == [f"P{n}" for n in range(25)]


def test_duplicate_labels_are_refused_ignoring_case_and_spaces():
    entries = add_entry(SPEC, (), _entry("Sam"))
    for again in ("Sam", " sam ", "SAM"):
        with pytest.raises(MapError, match="already on your map"):
            add_entry(SPEC, entries, make_entry(SPEC, again, "outer"))
    assert add_entry(SPEC, entries, _entry("Sam (work)"))[-1].label == "Sam (work)"


def test_removal_keeps_the_others_in_order_and_frees_a_place():
    entries = _full_map(25)
    fewer = remove_entry(entries, "P3")
    assert len(fewer) == 24
    assert "P3" not in [entry.label for entry in fewer]
    assert [entry.label for entry in fewer][:4] == ["P0", "P1", "P2", "P4"]
    assert add_entry(SPEC, fewer, _entry("New"))[-1].label == "New"
    with pytest.raises(KeyError):
        remove_entry(fewer, "P3")


def test_the_same_label_can_come_back_after_removal():
    entries = remove_entry(add_entry(SPEC, (), _entry("Sam")), "Sam")
    assert entries == ()
    assert add_entry(SPEC, entries, _entry("Sam"))[0].label == "Sam"


# --- feels safe ---------------------------------------------------------------


def test_safe_needs_mostly_on_all_three():
    assert is_safe(SPEC, make_entry(SPEC, "A", "close", None, ALL_MOSTLY))
    assert not is_safe(SPEC, make_entry(SPEC, "B", "close", None, {**ALL_MOSTLY, "reliability": "sometimes"}))
    assert not is_safe(SPEC, make_entry(SPEC, "C", "close", None, {**ALL_MOSTLY, "mutual-care": None}))
    assert not is_safe(SPEC, make_entry(SPEC, "D", "close"))


def test_count_safe():
    entries: tuple[Entry, ...] = ()
    for label, ratings in [
        ("A", ALL_MOSTLY),
        ("B", {**ALL_MOSTLY, "authenticity": "rarely"}),
        ("C", ALL_MOSTLY),
        ("D", {}),
    ]:
        entries = add_entry(SPEC, entries, make_entry(SPEC, label, "middle", None, ratings))
    assert count_safe(SPEC, entries) == 2
    assert count_safe(SPEC, ()) == 0


# --- ring placement -----------------------------------------------------------


def test_ring_placement_is_innermost_first_in_order_added():
    entries: tuple[Entry, ...] = ()
    for label, circle in [("Mum", "close"), ("Book club", "outer"), ("Jo", "close"), ("Ana", "middle")]:
        entries = add_entry(SPEC, entries, make_entry(SPEC, label, circle))
    assert ring_placement(SPEC, entries) == [
        ("Close circle", ["Mum", "Jo"]),
        ("Middle circle", ["Ana"]),
        ("Outer circle", ["Book club"]),
    ]


def test_empty_map_still_has_its_three_rings():
    assert ring_placement(SPEC, ()) == [("Close circle", []), ("Middle circle", []), ("Outer circle", [])]


# --- saved and read back ------------------------------------------------------


def test_saved_map_reads_back_the_same():
    entries = add_entry(SPEC, add_entry(SPEC, (), _entry("A", **ALL_MOSTLY)), _entry("B", "outer"))
    saved = to_saved(entries)
    assert saved["entries"][0] == {"label": "A", "kind": "friend", "circle": "close", "ratings": ALL_MOSTLY}
    assert from_saved(SPEC, saved) == entries


@pytest.mark.parametrize("saved", [None, {}, {"entries": "lots"}, {"entries": None}, []])
def test_nothing_usable_saved_is_an_empty_map(saved):
    assert from_saved(SPEC, saved) == ()


def test_unusable_saved_entries_are_left_out():
    saved = {
        "entries": [
            {"label": "Good", "circle": "close"},
            "not an entry",
            {"label": "", "circle": "close"},
            {"label": "No circle"},
            {"label": "Bad kind", "circle": "close", "kind": "stranger"},
            {"label": "good", "circle": "outer"},  # a repeat of "Good"
            {"label": 7, "circle": "close"},
            {"label": "Rated", "circle": "middle", "ratings": {"authenticity": "mostly"}},
        ]
    }
    assert [entry.label for entry in from_saved(SPEC, saved)] == ["Good", "Rated"]


def test_reading_a_saved_map_back_keeps_entries_whose_kind_or_ratings_no_longer_fit():
    saved = {
        "entries": [
            {"label": "Sam", "circle": "close", "kind": "neighbour", "ratings": {"authenticity": "mostly"}},
            {"label": "Ana", "circle": "outer", "kind": "friend", "ratings": ["mostly"]},
            {"label": "x" * 31, "circle": "close"},
            {"label": "Old", "circle": "far-away"},
            "not an entry",
        ]
    }
    entries = read_saved_map(SPEC, saved)
    assert [(entry.label, entry.kind) for entry in entries] == [("Sam", None), ("Ana", "friend")]
    assert entries[0].ratings == {"authenticity": "mostly", "reliability": None, "mutual-care": None}
    for nothing in (None, {}, {"entries": "lots"}, [], "text"):
        assert read_saved_map(SPEC, nothing) == ()


def test_saved_map_over_the_limit_keeps_the_first_25():
    saved = {"entries": [{"label": f"P{n}", "circle": "outer"} for n in range(30)]}
    assert [entry.label for entry in from_saved(SPEC, saved)] == [f"P{n}" for n in range(25)]


# --- the summary's lines ----------------------------------------------------------

SLUG = "what-community-means"


def _add(activity, label: str, circle: str, kind: str | None = None, **ratings: str) -> None:
    """Fill the form as the browser does, one value at a time, and press the add button."""
    activity.label.set_state({"value": label})
    if kind:
        activity.kind.set_state({"value": kind})
    activity.circle.set_state({"value": circle})
    for rating_id, value in ratings.items():
        activity.ratings[rating_id.replace("_", "-")].set_state({"value": value})
    activity.add_button.click()


def test_summary_lines_say_who_is_in_each_circle_and_how_many_feel_safe(book):
    activity = build(load_content())
    _add(
        activity, "Mum", "close", "family", authenticity="mostly", reliability="mostly", mutual_care="mostly"
    )
    _add(activity, "<b>Jo</b>", "close", "friend", authenticity="mostly", reliability="sometimes")
    _add(activity, "Choir", "outer", "shared-interest")
    assert len(activity.entries) == 3
    assert summary_lines(book.load(SLUG)) == [
        "Close circle (2): Mum, <b>Jo</b>",  # labels as typed: the summary page escapes them
        f"Middle circle (0): {SPEC.ring_empty}",
        "Outer circle (1): Choir",
        SPEC.safe_line.format(safe=1, total=3),
    ]
    assert summary_lines(book.load(SLUG))[-1] == "Relationships that feel safe right now: 1 of 3."


def test_summary_lines_are_empty_for_an_empty_map(book):
    assert summary_lines({}) == []
    assert summary_lines({"entries": []}) == []
    activity = build(load_content())
    _add(activity, "Sam", "middle")
    activity.remove("Sam")  # added, then removed: the saved map is empty
    assert book.load(SLUG) == {"entries": []}
    assert summary_lines(book.load(SLUG)) == []


def test_summary_lines_read_unknown_kinds_and_ratings_as_skipped_and_drop_unknown_circles():
    saved = {
        "entries": [
            {
                "label": "Sam",
                "circle": "close",
                "kind": "neighbour",
                "ratings": {**ALL_MOSTLY, "humour": "mostly"},
            },
            {
                "label": "Ana",
                "circle": "close",
                "kind": "friend",
                "ratings": {**ALL_MOSTLY, "reliability": "always"},
            },
            {"label": "Old", "circle": "far-away", "kind": "friend", "ratings": ALL_MOSTLY},
            "not an entry",
        ]
    }
    assert summary_lines(saved) == [
        "Close circle (2): Sam, Ana",
        f"Middle circle (0): {SPEC.ring_empty}",
        f"Outer circle (0): {SPEC.ring_empty}",
        SPEC.safe_line.format(safe=1, total=2),  # Ana's unknown answer is not counted as safe
    ]
    assert summary_lines({"entries": [{"label": "Old", "circle": "far-away"}]}) == []
    assert summary_lines({"entries": "not a list"}) == []


# --- the group's figures (facilitator's screen) ----------------------------------

SENTINEL = "<b>Sam Secret</b>"


def _saved_entry(label, circle, kind=None, ratings=None) -> dict:
    return {"label": label, "circle": circle, "kind": kind, "ratings": ratings or {}}


SHARED_MAPS = [
    {
        "entries": [
            _saved_entry(SENTINEL, "close", "friend", ALL_MOSTLY),
            _saved_entry("B", "close", "family"),
            _saved_entry("C", "outer"),
        ]
    },
    {
        "entries": [
            _saved_entry("Jo", "middle", "friend", {"authenticity": "mostly", "reliability": "sometimes"}),
            _saved_entry("X", "far-away", "friend"),  # a circle the map does not have: left out
            _saved_entry("jo", "close", "friend"),  # the same label again: left out, as on the page
            _saved_entry("K", "outer", "alien"),  # a kind the map does not have: kept, kind skipped
            "not an entry",
        ]
    },
    {"entries": []},  # an empty map counts nowhere
    {"entries": "x"},
    "not a mapping",
]


def test_group_figures_average_each_circle_count_kinds_and_safe_maps():
    circles, kinds, safe = group_figures(SHARED_MAPS)
    names = [circle.name for circle in SPEC.circles]
    # Two maps count: close (2 + 0) / 2, middle (0 + 1) / 2, outer (1 + 1) / 2.
    assert (circles.id, circles.measure) == ("circles", "average")
    assert figure_rows(circles) == [(names[0], 1.0), (names[1], 0.5), (names[2], 1.0)]
    labels = [kind.label for kind in SPEC.kinds]
    assert (kinds.id, kinds.measure) == ("kinds", "count")
    assert figure_rows(kinds) == [(labels[0], 2), (labels[1], 1), *((label, 0) for label in labels[2:])]
    # Only the first map has a relationship with "mostly" on all three.
    assert (safe.id, safe.measure) == ("safe", "count")
    assert figure_rows(safe) == [(SPEC.group.safe.some, 1), (SPEC.group.safe.none_yet, 1)]
    assert all("group" in figure.title for figure in (circles, kinds, safe))


def test_group_figures_leave_out_kinds_when_none_was_given():
    figures = group_figures([{"entries": [_saved_entry("A", "close")]}])
    assert [figure.id for figure in figures] == ["circles", "safe"]


def test_group_figures_never_show_a_label():
    shared = [
        {
            "entries": [
                _saved_entry(SENTINEL, "close", "friend", ALL_MOSTLY),
                _saved_entry("Sam", "middle", "family"),
            ]
        },
        {"entries": [_saved_entry("x", "outer", SENTINEL, {"authenticity": SENTINEL})], SENTINEL: SENTINEL},
    ]
    figures = group_figures(shared)
    words = figure_words(figures)
    assert words
    assert not [text for text in words if "Sam" in text or "<" in text]


def test_group_figures_are_empty_without_anyone_on_a_map():
    # Any section's unusable shares (none, empty, not a mapping): tests/sections/test_every_section.py.
    assert group_figures([{"entries": []}]) == []
    assert group_figures([{"entries": [_saved_entry("A", "nowhere"), _saved_entry("", "close")]}]) == []


# --- the take-home workbook and the paper worksheet --------------------------------

TYPED = "<b>Sam & Jo</b> 🙂"  # typed by a participant: must stay exactly this, never escaped


def _check_rings_have_their_table(blocks: list) -> None:
    """Every Rings is followed by a Table listing the same labels, each in its ring's circle."""
    for index, block in enumerate(blocks):
        if isinstance(block, Rings):
            table = blocks[index + 1]
            assert isinstance(table, Table)
            placed = sorted((name, label) for name, labels in block.rings for label in labels)
            assert sorted((row[2], row[0]) for row in table.rows) == placed


SAVED_MAP = {
    "entries": [
        _saved_entry(TYPED, "close", "friend", ALL_MOSTLY),
        _saved_entry("Choir", "outer", None, {"authenticity": "sometimes"}),
        _saved_entry("Ana", "close", "family", {**ALL_MOSTLY, "reliability": "rarely"}),
    ]
}


def _printed(saved) -> list:
    """The take-home's blocks as its web page and PDF print them."""
    return document_blocks(report_blocks(saved), CRISIS)


def test_feedback_blocks_draw_the_map_with_its_words_then_the_safe_count_and_the_articles_words():
    entries = read_saved_map(SPEC, SAVED_MAP)
    diagram, *rest = feedback_blocks(SPEC, entries)
    rings = Rings(
        title=SPEC.map_title,
        rings=(("Close circle", (TYPED, "Ana")), ("Middle circle", ()), ("Outer circle", ("Choir",))),
        centre=SPEC.centre_label,
    )
    assert diagram == Diagram(
        chart=rings,
        caption=SPEC.map_caption,
        alternative=(
            Paragraph("", lead=SPEC.text_alternative_heading),
            Bullets(
                (f"(2): {TYPED}, Ana", f"(0): {SPEC.ring_empty}", "(1): Choir"),
                leads=("Close circle", "Middle circle", "Outer circle"),
            ),
        ),
        document=(rings, entries_table(SPEC, entries)),
    )
    assert rest == [
        Paragraph("", lead=SPEC.safe_line.format(safe=1, total=3), style="safe-count"),
        Paragraph(SPEC.safe_definition),
        Quote(SPEC.article_words, SPEC.article_credit),
    ]


def test_feedback_blocks_of_an_empty_map_say_the_gentle_words():
    diagram, *rest = feedback_blocks(SPEC, ())
    assert isinstance(diagram, Diagram)
    assert rest == [Paragraph(SPEC.empty_feedback), Quote(SPEC.article_words, SPEC.article_credit)]


def test_the_take_home_gives_the_blocks_the_page_shows():
    assert report_blocks(SAVED_MAP) == feedback_blocks(SPEC, read_saved_map(SPEC, SAVED_MAP))


def test_report_blocks_show_the_map_its_table_the_safe_count_and_the_articles_words(block_texts):
    blocks = _printed(SAVED_MAP)
    rings, table = blocks[0], blocks[1]
    assert rings == Rings(
        title=SPEC.map_title,
        rings=(("Close circle", (TYPED, "Ana")), ("Middle circle", ()), ("Outer circle", ("Choir",))),
        centre=SPEC.centre_label,
    )
    assert table.caption == SPEC.list_heading
    columns = SPEC.worksheet.columns
    assert table.headers == (columns.label, columns.kind, columns.circle, *(r.short for r in SPEC.ratings))
    assert table.rows == (
        (TYPED, "Friend", "Close circle", "Mostly", "Mostly", "Mostly"),
        ("Choir", SPEC.not_given, "Outer circle", "Sometimes", SPEC.not_given, SPEC.not_given),
        ("Ana", "Family", "Close circle", "Mostly", "Rarely", "Mostly"),
    )
    _check_rings_have_their_table(blocks)
    assert blocks[2:] == [
        Paragraph(SPEC.safe_line.format(safe=1, total=3), style="strong"),
        Paragraph(SPEC.safe_definition),
        Paragraph(f"“{SPEC.article_words}” ({SPEC.article_credit})", style="quiet"),
    ]
    texts = block_texts(blocks)
    assert SPEC.safe_none not in texts  # one relationship feels safe
    # What the participant typed is kept exactly, in the map and in its table.
    assert texts.count(TYPED) == 2
    assert not any("&amp;" in text or "&lt;" in text for text in texts)


def test_report_blocks_say_the_gentle_words_when_none_feels_safe_yet():
    blocks = _printed({"entries": [_saved_entry("Jo", "middle", "coworker")]})
    assert Paragraph(SPEC.safe_line.format(safe=0, total=1), style="strong") in blocks
    assert Paragraph(SPEC.safe_none) in blocks
    _check_rings_have_their_table(blocks)


def test_report_blocks_skip_what_no_longer_fits_the_content():
    saved = {
        "entries": [
            _saved_entry("Old", "far-away", "friend", ALL_MOSTLY),  # a circle the map does not have
            _saved_entry("K", "outer", "alien", {"humour": "mostly", "reliability": "always"}),
            _saved_entry("k", "close", "friend"),  # the same label again
            {"label": ["not", "text"], "circle": "close"},
            "not an entry",
            None,
        ]
    }
    blocks = _printed(saved)
    assert blocks[0].rings == (("Close circle", ()), ("Middle circle", ()), ("Outer circle", ("K",)))
    assert blocks[1].rows == (("K", SPEC.not_given, "Outer circle", *[SPEC.not_given] * 3),)
    _check_rings_have_their_table(blocks)


# Any section's empty or unreadable saved answers: tests/sections/test_every_section.py.
@pytest.mark.parametrize(
    "saved", [{"entries": []}, {"entries": "x"}, {"entries": [_saved_entry("Old", "far-away")]}, []]
)
def test_report_blocks_are_empty_without_anyone_on_the_map(saved):
    assert report_blocks(saved) == []


def test_worksheet_blocks_cover_every_kind_circle_rating_and_choice(block_texts):
    blocks = worksheet_blocks()
    texts = " ".join(block_texts(blocks))
    words = SPEC.worksheet
    assert words.intro in texts
    for kind in SPEC.kinds:
        assert kind.label in texts
    for circle in SPEC.circles:
        assert f"{circle.name}: {circle.explanation}" in texts
    for rating in SPEC.ratings:
        assert rating.question in texts
    for choice in SPEC.scale:
        assert choice.label in texts
    (grid,) = [block for block in blocks if isinstance(block, Grid)]
    columns = words.columns
    assert grid.headers == (columns.label, columns.kind, columns.circle, *(r.short for r in SPEC.ratings))
    assert grid.rows == words.rows == 10
    assert SPEC.safe_definition in texts
    assert f"“{SPEC.article_words}”" in texts
    # A blank form: nothing anyone typed, and no placeholder left unfilled.
    assert "{" not in texts

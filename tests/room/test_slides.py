"""Presenting mode's slides and their buttons, without a browser (the browser test projects them)."""

from __future__ import annotations

import json

import pytest
from markupsafe import escape
from room_boards import dashboard_of

from widgets import load_content
from widgets.content_files import Unit, content_dir, counted, locale_in_use
from widgets.room import release
from widgets.room.content import load_room_content
from widgets.room.figures import GroupFigure, GroupRow
from widgets.room.join import JoinAddress
from widgets.room.model import ActivityResult, Dashboard
from widgets.room.presentation import Presentation, SlideScreen
from widgets.room.slides import LINES_SHOWN, SLIDE_COUNT, figure_html, slide_for_section, slide_html
from widgets.sections.crowding.model import group_figures

CONTENT = load_content()
WORDS = load_room_content()
JOIN = JoinAddress(
    full="http://192.168.1.20:8866/voila/render/00-welcome.ipynb?room=K7MP3X", short="192.168.1.20:8866"
)
PAYLOAD = '<img src=x onerror="alert(1)">'
PEOPLE = Unit.of({"one": "person", "other": "people"})
FIGURE = GroupFigure(
    id="often",
    title="How many said <often>",
    unit=PEOPLE,
    measure="count",
    rows=(GroupRow("A long question label " * 4, 3.0), GroupRow("Short", 0.0)),
)


def _board(
    pace: int | None = None, needed: int = 0, lines: int = 0, released: bool | None = None
) -> Dashboard:
    texts = [f"{PAYLOAD} line {n}" for n in range(lines)]
    return dashboard_of(FIGURE, pace=pace, needed=needed, lines=texts, released=released)


@pytest.mark.parametrize(("pace", "slide"), [(None, 0), (1, 1), (9, 9), (0, 0), (10, 0)])
def test_the_slides_follow_the_pace(pace, slide):
    assert slide_for_section(pace) == slide


def test_the_join_slide_shows_the_qr_code_the_address_and_the_code():
    html = slide_html(CONTENT, _board(), 0, JOIN)
    assert f'alt="{WORDS.facilitator.qr_label}: {JOIN.full}"' in html
    assert "192.168.1.20:8866" in html
    assert "K7M-P3X" in html
    assert "rw-slide-corner" not in html  # the join slide is the large version
    assert "rw-crisis" in html
    assert escape(CONTENT.workbook.framing) in html


def test_a_section_slide_has_its_figures_lines_and_corner_and_escapes_what_people_wrote():
    html = slide_html(CONTENT, _board(lines=LINES_SHOWN + 2), 4, JOIN)
    assert "Section 4:" in html
    assert html.count('class="rw-slide-figure"') == 1
    assert html.count("rw-slide-card") == LINES_SHOWN
    assert f"line {LINES_SHOWN + 1}" in html  # the newest lines
    assert "<img" not in html.replace('<img class="rw-qr', "")
    assert "&lt;img src=x" in html
    assert "rw-slide-corner" in html
    assert "rw-slide-corner" not in slide_html(CONTENT, _board(), 4, JOIN, show_join=False)


def test_before_enough_share_the_slide_says_how_many_more_in_words():
    one = counted(WORDS.presenting.needed, 1, needed=1)
    assert one == "1 more person to share, and the group's results show here."
    assert escape(one) in slide_html(CONTENT, _board(needed=1), 1, JOIN)
    many = slide_html(CONTENT, _board(needed=3, lines=1), 1, JOIN)
    three = counted(WORDS.presenting.needed, 3, needed=3)
    assert three == "3 more people to share, and the group's results show here."
    assert escape(three) in many
    assert "rw-slide-figure" not in many
    assert "rw-slide-card" in many  # approved lines still show


def test_released_figures_stay_on_screen_and_say_how_many_more_before_they_update():
    html = slide_html(CONTENT, _board(needed=4, released=True), 1, JOIN)
    assert escape(counted(WORDS.presenting.update, 4, needed=4)) in html
    assert html.count('class="rw-slide-figure"') == 1
    one = counted(WORDS.presenting.update, 1, needed=1)
    assert one == "1 more to share before these update"
    assert escape(one) in slide_html(CONTENT, _board(needed=1, released=True), 1, JOIN)


def test_a_private_section_says_so():
    assert escape(WORDS.presenting.private) in slide_html(CONTENT, _board(), 3, JOIN)


def test_a_figure_keeps_every_word_of_its_labels_and_a_table_for_screen_readers():
    html = figure_html(FIGURE)
    assert html.count(("A long question label " * 4).strip()) == 2  # the bar's label and the table's
    assert 'aria-hidden="true"' in html
    assert "<caption>How many said &lt;often&gt;</caption>" in html


def test_a_count_of_people_says_person_for_one():
    agree = GroupFigure(
        id="agree",
        title="How many agree",
        unit=PEOPLE,
        measure="count",
        rows=(GroupRow("One", 1.0), GroupRow("Two", 2.0), GroupRow("None", 0.0)),
    )
    html = figure_html(agree)
    assert "1 people" not in html
    for said in ("1 person", "2 people", "0 people"):
        assert html.count(f">{said}<") == 2, said  # the bar's value and the table's
    # Any other unit follows its number as written.
    scale = GroupFigure(
        id="average",
        title="Average",
        unit=Unit("out of 5"),
        measure="average",
        rows=(GroupRow("Q1", 1.0), GroupRow("Q2", 3.5)),
        scale=5,
    )
    shown = figure_html(scale)
    assert shown.count(">1 out of 5<") == shown.count(">3.5 out of 5<") == 2


# Two people's weeks for section 5: work 1 hour; screens 2 and 3 hours (2.5 on average); one ticked
# "busy schedule", both "exhaustion", nobody the other patterns.
WEEKS = [
    {"hours": {"work": 1, "screens": 2}, "patterns": ["busy-schedule", "exhaustion"]},
    {"hours": {"screens": 3}, "patterns": ["exhaustion"]},
]


def _week_board(figures: tuple[GroupFigure, ...]) -> Dashboard:
    activity = ActivityResult(
        slug="isolation-replaces-connection",
        shared=2,
        needed=0,
        figures=figures,
        lines=(),
        released=True,
        covered=2,
    )
    return Dashboard(
        join_code="K7MP3X",
        joined=2,
        expected=30,
        waiting_to_join=0,
        threshold=2,
        pace_section=5,
        activities=(activity,),
        waiting=(),
    )


@pytest.mark.parametrize(
    ("locale", "shown"),
    [
        ("en", ["1 hour a week", "2.5 hours a week", "1 person", "2 people"]),
        ("es", ["1 hora a la semana", "2.5 horas a la semana", "1 persona", "2 personas"]),
    ],
)
def test_a_slide_writes_each_number_with_the_form_of_its_unit_in_the_slides_language(locale, shown):
    with locale_in_use(locale):
        # Worked out from the answers and kept as a release is, then read back, as a dashboard does.
        kept = release.figures_to_json({locale: tuple(group_figures(WEEKS))})
        html = slide_html(
            load_content(content_dir(locale)), _week_board(release.figures_from_json(kept, locale)), 5, JOIN
        )
    for said in shown:
        assert html.count(f">{said}<") == 2, said  # the bar's value and the table's
    people = shown[-1].split()[1]
    assert html.count(f">0 {people}<") == 2 * 4  # the four patterns nobody ticked
    assert f">1 {shown[0].split()[1]}s" not in html  # not "1 hours a week" / "1 horas a la semana"
    assert f">1 {people}<" not in html


def test_a_release_kept_with_one_text_for_its_unit_still_shows():
    # As a release kept by a version whose units were one text.
    kept = [{"id": "often", "title": "How many", "unit": "people", "measure": "count", "rows": []}]
    kept[0]["rows"] = [{"label": "Often", "value": 3.0}, {"label": "Rarely", "value": 1.0}]
    (figure,) = release.figures_from_json(json.dumps(kept))
    assert figure.unit == Unit("people")
    html = slide_html(CONTENT, _week_board((figure,)), 5, JOIN)
    assert html.count(">3 people<") == html.count(">1 people<") == 2  # as it showed then
    # Kept again (a newer release), its unit keeps its forms.
    assert release.figures_from_json(release.figures_to_json({"en": (FIGURE,)}))[0].unit == PEOPLE


def test_buttons_keys_and_the_pace_move_between_slides():
    presentation = Presentation(CONTENT, JOIN, on_leave=lambda: None)
    presentation.show(_board(pace=2))
    assert presentation.slide == 2
    presentation.step(-1)
    presentation.step(-1)
    presentation.step(-1)
    assert presentation.slide == 0
    assert presentation.previous_button.disabled
    presentation.show(_board(pace=2))  # the same pace: the facilitator's own step stays
    assert presentation.slide == 0
    presentation.show(_board(pace=7))
    assert presentation.slide == 7
    presentation.next_button.click()
    presentation.next_button.click()
    presentation.next_button.click()
    assert presentation.slide == SLIDE_COUNT - 1
    assert presentation.next_button.disabled
    assert 'data-slide="9"' in presentation.view.value


def test_only_the_pages_own_key_presses_move_the_slides():
    presentation = Presentation(CONTENT, JOIN, on_leave=lambda: None)
    presentation.show(_board(pace=4))
    screen = presentation.screen
    screen._received(screen, {"step": 1}, [])
    assert presentation.slide == 4  # not presenting: keys do nothing
    screen.active = True
    for crafted in ({"step": 5}, {"step": "1"}, {"step": True}, {"step": 1, "x": 1}, [1], None, {"tick": 1}):
        screen._received(screen, crafted, [])
    assert presentation.slide == 4
    screen._received(screen, {"step": 1}, [])
    screen._received(screen, {"step": -1}, [])
    screen._received(screen, {"step": -1}, [])
    assert presentation.slide == 3
    screen.set_state({"active": False})  # the browser cannot switch it
    assert screen.active
    assert isinstance(screen, SlideScreen)

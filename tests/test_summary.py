"""The summary of all nine sections, from answers given on each section's own page."""

from __future__ import annotations

from widgets import load_content
from widgets.registry import SECTIONS
from widgets.sections.beliefs import view as beliefs_view
from widgets.sections.checkin import view as checkin_view
from widgets.sections.connection_map import view as connection_map_view
from widgets.sections.crowding import view as crowding_view
from widgets.sections.safety_check import view as safety_check_view
from widgets.sections.sharing_load import view as sharing_load_view
from widgets.sections.small_steps import view as small_steps_view
from widgets.sections.where_now import view as where_now_view
from widgets.sections.withdrawal import view as withdrawal_view
from widgets.summary import summarise

CONTENT = load_content()


def _answer_every_section(content) -> None:
    """Give a few answers on each section's page, as a participant would, in section order."""
    checkin = checkin_view.build(content)
    for question in checkin.questions.values():
        question.set_state({"value": "often"})

    beliefs = beliefs_view.build(content)
    beliefs.questions["weakness"].set_state({"value": "strongly-agree"})

    withdrawal = withdrawal_view.build(content)
    withdrawal.strategies.set_state({"value": ["keeping-busy"]})
    withdrawal.questions_for("keeping-busy").then.set_state({"value": "yes"})
    withdrawal.questions_for("keeping-busy").now.set_state({"value": "no"})

    connection_map = connection_map_view.build(content)
    connection_map.label.set_state({"value": "Mum"})
    connection_map.circle.set_state({"value": "close"})
    connection_map.add_button.click()

    crowding = crowding_view.build(content)
    crowding.hours_boxes["screens"].set_state({"value": 14})
    crowding.hours_boxes["with-people"].set_state({"value": 6})

    safety_check = safety_check_view.build(content)
    safety_check.questions["honesty"].set_state({"value": "often"})

    small_steps = small_steps_view.build(content)
    small_steps.cards[0].when.set_state({"value": "Sunday"})

    sharing_load = sharing_load_view.build(content)  # offers the map's "Mum", saved above
    sharing_load.questions["turn-to"].set_state({"value": ["map-1"]})

    where_now = where_now_view.build(content, SECTIONS)
    where_now.patterns.set_state({"value": ["keep-busy"]})


def test_the_registry_lists_every_section_in_section_order():
    assert [activity.slug for activity in SECTIONS] == [section.slug for section in CONTENT.sections.sections]


def test_summarise_gives_lines_for_all_nine_sections_answered_on_their_pages(book):
    _answer_every_section(CONTENT)
    assert all(book.load(section.slug) is not None for section in CONTENT.sections.sections)
    summaries = summarise(CONTENT, book, SECTIONS)
    assert [item.section.number for item in summaries] == list(range(1, 10))
    for item in summaries:
        assert item.lines, f"section {item.section.number} has no summary lines"
        assert all(isinstance(line, str) and line.strip() for line in item.lines)
        assert not any("<" in line for line in item.lines)  # plain text: the page escapes it
    by_number = {item.section.number: item.lines for item in summaries}
    assert "Close circle (1): Mum" in by_number[4]
    assert "Time with people is 6 of the 20 hours you entered, about 30%." in by_number[5]
    assert by_number[8][0] == "1 of 6 kinds of support have someone."

"""Bar charts drawn as SVG: labels wrap whole, never cut; each value with its unit in the form that agrees.

A bar chart names every bar in its description, and its table waits behind "Show as a table".
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from widgets.blocks import Bars, Diagram, Figure, Paragraph, Rings, Table
from widgets.content_files import Unit, content_dir, load_activity_content, locale_in_use
from widgets.rendering.charts import Bar, bar_chart, figure, table
from widgets.rendering.screen import feedback_html
from widgets.sections.checkin.model import load_checkin_content
from widgets.sections.crowding.model import CrowdingContent

LONG = "How often do you feel unseen, even when people are around you and talking with you?"


def _label_lines(svg: str) -> list[list[str]]:
    return [
        [unescape(line) for line in re.findall(r"<tspan[^>]*>([^<]*)</tspan>", text)]
        for text in re.findall(r'<text class="rw-bar-label"[^>]*>(.*?)</text>', svg)
    ]


PEOPLE = Unit.of({"one": "person", "other": "people"})


def test_a_long_label_wraps_onto_lines_with_every_word_kept():
    svg = bar_chart(
        "Title", [Bar(LONG, 3), Bar("Short & sweet", 1, highlight=True, note="you")], PEOPLE, label_chars=30
    )
    long_lines, short_lines = _label_lines(svg)
    assert " ".join(long_lines) == LONG
    assert all(len(line) <= 30 for line in long_lines)
    assert len(long_lines) == 3
    assert short_lines == ["Short & sweet (you)"]
    assert "…" not in svg


def test_rows_grow_with_their_labels_and_labels_start_inside_the_chart():
    one_line = bar_chart("T", [Bar("Short", 1)], PEOPLE)
    three_lines = bar_chart("T", [Bar(LONG, 1)], PEOPLE)
    height = lambda svg: int(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))  # noqa: E731
    assert height(three_lines) > height(one_line)
    assert all(float(x) >= 0 for x in re.findall(r'<tspan x="([\d.]+)"', three_lines))


def _values(svg: str) -> list[str]:
    return re.findall(r'<text x="[\d.]+" y="[\d.]+" font-size="15" fill="#1a1a1a">([^<]*)</text>', svg)


# Each language's own units, as its content files give them: a count of people, the week chart's
# hours, the group's hours a week.
def _units(locale: str) -> tuple[Unit, Unit, Unit]:
    crowding = load_activity_content("crowding", CrowdingContent, content_dir(locale))
    people = load_checkin_content(content_dir(locale)).group.bands.unit
    return people, crowding.week.unit, crowding.group.hours.unit


ENGLISH = [
    *("1 person", "2 people", "1.5 people", "0 people", "1 hour", "2 hours"),
    *("1 hour a week", "2.5 hours a week"),
]
SPANISH = [
    *("1 persona", "2 personas", "1.5 personas", "0 personas", "1 hora", "2 horas"),
    *("1 hora a la semana", "2.5 horas a la semana"),
]


@pytest.mark.parametrize(("locale", "expected"), [("en", ENGLISH), ("es", SPANISH)])
def test_each_value_takes_the_form_of_its_unit_its_language_gives_that_number(locale, expected):
    people, hours, hours_a_week = _units(locale)
    counts = [Bar("Alone", 1), Bar("Together", 2), Bar("Average", 1.5), Bar("None", 0)]
    values = _values(bar_chart("T", counts, people, locale=locale))
    values += _values(bar_chart("T", [Bar("Screens", 1), Bar("Rest", 2.0)], hours, locale=locale))
    values += _values(bar_chart("T", [Bar("Rest", 1.0), Bar("Work", 2.5)], hours_a_week, locale=locale))
    assert values == expected


def test_a_chart_writes_its_units_in_the_pages_language_unless_told():
    spanish = _units("es")[0]
    with locale_in_use("es"):
        assert _values(bar_chart("T", [Bar("A", 1)], spanish)) == ["1 persona"]
    # A unit whose words do not change with the number, and one with no words, follow the number.
    scale = Unit.of("out of 5")
    assert _values(bar_chart("T", [Bar("A", 1), Bar("B", 3.5)], scale)) == ["1 out of 5", "3.5 out of 5"]
    assert _values(bar_chart("T", [Bar("A", 2.1)], Unit(""))) == ["2.1"]


def _desc(svg: str) -> str:
    found = re.search(r'aria-describedby="([^"]+)".*?<desc id="([^"]+)">([^<]*)</desc>', svg, re.S)
    assert found, "the chart has no description it points to"
    described, desc_id, words = found.groups()
    assert described == desc_id
    return unescape(words)


def test_a_bar_charts_description_names_every_bar_with_its_value():
    bars = [Bar("Alone", 3, highlight=True, note="you"), Bar("A <b>&</b> B", 1), Bar(LONG, 0)]
    svg = bar_chart("T", bars, PEOPLE)
    assert _desc(svg) == f"Alone (you): 3 people; A <b>&</b> B: 1 person; {LONG}: 0 people"
    assert "<b>" not in svg
    # Fresh ids for every chart, so two on one page each point to their own description.
    desc_id = lambda svg: re.search(r'<desc id="([^"]+)"', svg).group(1)  # noqa: E731
    assert desc_id(svg) != desc_id(bar_chart("T", [Bar("A", 1)], PEOPLE))


def test_the_table_waits_in_a_closed_details_whose_summary_is_the_label_escaped():
    svg = bar_chart("T", [Bar("Alone", 3)], PEOPLE)
    html = str(
        figure(svg, "Caption", table("Numbers", ["Who", "How many"], [["Alone", 3]]), "Show <b>it</b>")
    )
    details = re.search(r"<details([^>]*)><summary>([^<]*)</summary>(.*?)</details>", html, re.S)
    assert details, html
    attributes, summary, inside = details.groups()
    assert 'class="rw-text-alternative rw-show-table"' in attributes
    assert "open" not in attributes
    assert summary == "Show &lt;b&gt;it&lt;/b&gt;"
    assert "<b>" not in html
    assert "<table><caption>Numbers</caption>" in inside
    assert html.count("<table>") == 1  # the table is only inside the details


def test_without_a_label_the_text_alternative_is_shown_as_before():
    html = str(figure(bar_chart("T", [Bar("A", 1)], PEOPLE), "Caption", table("N", ["W"], [["A"]])))
    assert "<details" not in html
    assert '<div class="rw-text-alternative"><table>' in html


@pytest.mark.parametrize(("locale", "label"), [("en", "Show as a table"), ("es", "Ver como tabla")])
def test_a_pages_bar_chart_puts_its_table_behind_the_pages_words(locale, label):
    block = Figure(
        chart=Bars("T", PEOPLE, (Bar("Alone", 2),)),
        caption="Caption",
        table=Table("Numbers", ("Who", "How many"), (("Alone", "2"),)),
        document_table=Table("Numbers", ("Who", "How many"), (("Alone", "2"),)),
        table_lead="Lead line.",
    )
    with locale_in_use(locale):
        html = str(feedback_html([block]))
    assert f"<summary>{label}</summary><p>Lead line.</p><table>" in html


def test_bars_drawn_as_a_diagram_wait_behind_the_label_and_circles_keep_their_words_shown():
    table_block = Table("Numbers", ("Who", "How many"), (("Alone", "2"),))
    bars = Diagram(Bars("T", PEOPLE, (Bar("Alone", 2),)), "Caption", (table_block,), (table_block,))
    words = (Paragraph("Close: Rosa"),)
    rings = Diagram(Rings("Map", (("Close", ("Rosa",)),), centre="Me"), "Caption", words, words)
    html = str(feedback_html([bars, rings]))
    assert "<summary>Show as a table</summary><table><caption>Numbers</caption>" in html
    assert '<div class="rw-text-alternative"><p>Close: Rosa</p></div>' in html
    assert html.count("<details") == 1

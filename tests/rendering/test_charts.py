"""Bar charts drawn as SVG: labels wrap whole, never cut; each value with its unit in the form that agrees."""

from __future__ import annotations

import re
from html import unescape

import pytest

from widgets.content_files import Unit, content_dir, load_activity_content, locale_in_use
from widgets.rendering.charts import Bar, bar_chart
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

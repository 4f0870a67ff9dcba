"""Bar charts drawn as SVG: labels wrap whole, never cut."""

from __future__ import annotations

import re
from html import unescape

from widgets.rendering.charts import Bar, bar_chart

LONG = "How often do you feel unseen, even when people are around you and talking with you?"


def _label_lines(svg: str) -> list[list[str]]:
    return [
        [unescape(line) for line in re.findall(r"<tspan[^>]*>([^<]*)</tspan>", text)]
        for text in re.findall(r'<text class="rw-bar-label"[^>]*>(.*?)</text>', svg)
    ]


def test_a_long_label_wraps_onto_lines_with_every_word_kept():
    svg = bar_chart(
        "Title", [Bar(LONG, 3), Bar("Short & sweet", 1, highlight=True, note="you")], "people", label_chars=30
    )
    long_lines, short_lines = _label_lines(svg)
    assert " ".join(long_lines) == LONG
    assert all(len(line) <= 30 for line in long_lines)
    assert len(long_lines) == 3
    assert short_lines == ["Short & sweet (you)"]
    assert "…" not in svg


def test_rows_grow_with_their_labels_and_labels_start_inside_the_chart():
    one_line = bar_chart("T", [Bar("Short", 1)], "people")
    three_lines = bar_chart("T", [Bar(LONG, 1)], "people")
    height = lambda svg: int(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))  # noqa: E731
    assert height(three_lines) > height(one_line)
    assert all(float(x) >= 0 for x in re.findall(r'<tspan x="([\d.]+)"', three_lines))


def test_a_count_of_one_takes_the_singular_and_other_values_keep_their_unit():
    svg = bar_chart("T", [Bar("Alone", 1), Bar("Together", 2), Bar("Hours", 1.5)], "people")
    values = re.findall(r'<text x="[\d.]+" y="[\d.]+" font-size="15" fill="#1a1a1a">([^<]*)</text>', svg)
    assert values == ["1 person", "2 people", "1.5 people"]
    assert re.findall(r">(1 hour)<", bar_chart("T", [Bar("Screens", 1)], "hours")) == ["1 hour"]

"""The group's figures: building one from content words, and averaging."""

from __future__ import annotations

import pydantic
import pytest

from widgets.room.figures import GroupFigure, GroupRow, GroupWords, average, figure

WORDS = GroupWords(title="How many in the group said yes", unit="people")


def test_figure_takes_its_words_and_keeps_rows_in_order_as_numbers():
    built = figure("yes", WORDS, "count", [("Second", 2), ("First", 1)])
    assert built == GroupFigure(
        id="yes",
        title="How many in the group said yes",
        unit="people",
        measure="count",
        rows=(GroupRow("Second", 2.0), GroupRow("First", 1.0)),
        scale=None,
    )
    assert all(isinstance(row.value, float) for row in built.rows)


def test_figure_keeps_its_scale_and_may_have_no_rows():
    built = figure("sure", WORDS, "average", [], scale=10)
    assert (built.rows, built.scale, built.measure) == ((), 10, "average")


def test_a_figure_cannot_be_changed():
    built = figure("yes", WORDS, "count", [("A", 1)])
    with pytest.raises(AttributeError):
        built.title = "Something else"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], 0.0),
        ([4], 4.0),
        ([1, 2], 1.5),
        ([1, 1, 2], 1.3),  # 1.333... to one decimal place
        ([2, 2, 3], 2.3),
        ([0, 10, 10], 6.7),  # 6.666... to one decimal place
    ],
)
def test_average_is_the_mean_to_one_decimal_place(values, expected):
    assert average(values) == expected


@pytest.mark.parametrize(
    "given",
    [
        {"title": "", "unit": "people"},
        {"title": "Title"},
        {"title": "Title", "unit": "people", "colour": "red"},
    ],
)
def test_group_words_need_a_title_and_a_unit_and_nothing_else(given):
    with pytest.raises(pydantic.ValidationError):
        GroupWords(**given)

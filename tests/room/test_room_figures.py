"""The group's figures: building one from content words, and averaging."""

from __future__ import annotations

import pydantic
import pytest

from widgets.content_files import Unit
from widgets.room.figures import GroupFigure, GroupRow, GroupWords, TopScaleWords, average, figure

WORDS = GroupWords(title="How many in the group said yes", unit={"one": "person", "other": "people"})


def test_figure_takes_its_words_and_keeps_rows_in_order_as_numbers():
    built = figure("yes", WORDS, "count", [("Second", 2), ("First", 1)])
    assert built == GroupFigure(
        id="yes",
        title="How many in the group said yes",
        unit=Unit(one="person", other="people"),
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


def test_a_unit_is_one_text_or_its_forms_by_plural_category():
    assert GroupWords(title="T", unit=" out of 5 ").unit == Unit("out of 5")
    assert WORDS.unit.forms == {"one": "person", "other": "people"}
    top = TopScaleWords(title="T", unit={"one": "point of {highest}", "other": "points of {highest}"})
    assert top.unit.format(highest=5) == Unit(one="point of 5", other="points of 5")


@pytest.mark.parametrize(
    ("unit", "problem"),
    [
        ({"one": "person"}, "unit: Value error, a unit's forms need 'other' (the form most numbers take)"),
        ({"one": "person", "plural": "people"}, "unit: Value error, unknown plural category ['plural']"),
        ({"one": "", "other": "people"}, "unit: Value error, the form 'one' needs words"),
        (["person", "people"], "unit: Value error, a unit is a text, or its forms by plural category"),
    ],
)
def test_a_unit_without_other_or_with_an_unknown_category_is_refused(unit, problem):
    with pytest.raises(pydantic.ValidationError) as caught:
        GroupWords(title="T", unit=unit)
    [error] = caught.value.errors()
    assert f"{error['loc'][0]}: {error['msg']}".startswith(problem)
    with pytest.raises(pydantic.ValidationError, match=r"unknown placeholder\(s\) \['top'\]"):
        TopScaleWords(title="T", unit={"one": "point of {top}", "other": "points of {highest}"})

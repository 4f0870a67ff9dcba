"""Scoring of the connection check-in (the model, no widgets)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from widgets import load_content
from widgets.checkin import score_checkin, validate_answer

SPEC = load_content().checkin
ITEMS = [item.id for item in SPEC.items]


def _answers(*choices: str | None) -> dict[str, str | None]:
    return dict(zip(ITEMS, choices, strict=True))


def test_nothing_answered():
    result = score_checkin(SPEC, {})
    assert (result.answered, result.total, result.score, result.band) == (0, 6, 0, None)
    assert result.needed == SPEC.min_answered_for_reflection


def test_all_hardly_ever_is_the_first_band():
    result = score_checkin(SPEC, _answers(*["hardly-ever"] * 6))
    assert (result.answered, result.score, result.lowest, result.highest) == (6, 6, 6, 18)
    assert result.band.id == "connected"
    assert result.needed == 0


def test_all_often_is_the_last_band_and_invites_support():
    result = score_checkin(SPEC, _answers(*["often"] * 6))
    assert result.score == 18
    assert result.band.id == "heavy-weight"
    assert result.band.invite_support


@pytest.mark.parametrize(
    ("choices", "band"),
    [
        # average 1.5: still the first band (up to and including 1.5)
        (["hardly-ever"] * 3 + ["some-of-the-time"] * 3, "connected"),
        # average 1.67
        (["hardly-ever"] * 2 + ["some-of-the-time"] * 4, "some-distance"),
        # average 2.17
        (["some-of-the-time"] * 5 + ["often"], "some-distance"),
        # average 2.33
        (["some-of-the-time"] * 4 + ["often"] * 2, "heavy-weight"),
    ],
)
def test_band_edges(choices, band):
    assert score_checkin(SPEC, _answers(*choices)).band.id == band


def test_skipped_items_do_not_count_against_anyone():
    result = score_checkin(SPEC, _answers("often", None, "often", None, "often", None))
    assert (result.answered, result.score, result.lowest, result.highest) == (3, 9, 3, 9)
    assert result.band.id == "heavy-weight"


def test_too_few_answers_give_no_band_and_say_how_many_more():
    result = score_checkin(SPEC, _answers("often", "often", None, None, None, None))
    assert result.band is None
    assert result.needed == SPEC.min_answered_for_reflection - 2


@pytest.mark.parametrize(
    ("item", "option", "problem"),
    [
        ("left-out", "always", "not one of the answers"),
        ("left-out", "<script>", "not one of the answers"),
        ("favourite-colour", "often", "no check-in question"),
    ],
)
def test_unknown_items_and_options_are_refused(item, option, problem):
    with pytest.raises(ValueError, match=problem):
        validate_answer(SPEC, item, option)
    with pytest.raises(ValueError, match=problem):
        score_checkin(SPEC, {item: option})


def test_the_model_never_imports_widgets():
    code = "import sys, widgets.checkin, widgets._content; print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

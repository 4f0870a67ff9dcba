"""Section 6's relationship profile (the model, no widgets) and its content file."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from widgets import ContentError
from widgets._content import CONTENT_DIR
from widgets.safety_check import clean_label, load_safety_check_content, profile

SPEC = load_safety_check_content()
QUALITIES = [quality.id for quality in SPEC.qualities]


def _ratings(*choices: str | None) -> dict[str, str | None]:
    return dict(zip(QUALITIES, choices, strict=True))


def test_shipped_content_covers_the_five_qualities_on_a_five_step_scale():
    assert QUALITIES == ["consistency", "respect", "honesty", "being-yourself", "disagreement"]
    assert [option.id for option in SPEC.options] == ["never", "rarely", "sometimes", "often", "always"]
    assert SPEC.name_max_length == 40
    assert "does not mean the absence of disagreement" in SPEC.disagreement_article_words


def test_nothing_answered():
    result = profile(SPEC, "", {})
    assert result.answered == 0
    assert result.relationship is None
    assert (result.strengths, result.growing, result.low, result.care_note) == ([], [], [], False)
    assert [rating.step for rating in result.ratings] == [0] * 5


def test_often_and_always_are_strengths_the_rest_are_growing():
    result = profile(SPEC, "  Sam  ", _ratings("always", "rarely", "sometimes", "often", None))
    assert result.relationship == "Sam"
    assert [q.id for q in result.strengths] == ["consistency", "being-yourself"]
    assert [q.id for q in result.growing] == ["respect", "honesty"]
    assert [q.id for q in result.low] == ["respect"]
    assert [rating.step for rating in result.ratings] == [5, 2, 3, 4, 0]
    assert result.answered == 4
    assert not result.care_note


@pytest.mark.parametrize(
    ("choices", "care"),
    [
        (("never", "rarely", "never", "often", "always"), True),
        (("never", "never", "never", "never", "never"), True),
        (("rarely", "rarely", None, None, None), False),
        (("never", "rarely", "sometimes", "sometimes", "often"), False),
    ],
)
def test_a_calm_care_note_when_most_qualities_are_rarely_or_never_there(choices, care):
    assert profile(SPEC, "", _ratings(*choices)).care_note is care


@pytest.mark.parametrize(
    ("ratings", "problem"),
    [
        ({"consistency": "sometimes-maybe"}, "not one of the answers"),
        ({"consistency": "<img src=x>"}, "not one of the answers"),
        ({"height": "often"}, "no quality called"),
    ],
)
def test_unknown_qualities_and_answers_are_refused(ratings, problem):
    with pytest.raises(ValueError, match=problem):
        profile(SPEC, "", ratings)


def test_the_label_is_trimmed_and_limited():
    assert clean_label(SPEC, "   ") is None
    assert clean_label(SPEC, "<b>Jo</b>") == "<b>Jo</b>"  # kept as text; escaped where shown
    with pytest.raises(ValueError, match="up to 40 characters"):
        clean_label(SPEC, "x" * 41)
    with pytest.raises(ValueError, match="one line"):
        clean_label(SPEC, "Jo\nSam")


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def _edit(folder: Path, change) -> None:
    path = folder / "safety_check.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("care_note"), "care_note: Field required"),
        (lambda d: d["qualities"][1].update(id="consistency"), "every quality needs its own id"),
        (lambda d: d["options"][0].update(standing="bad"), "options.0.standing"),
        (lambda d: d["options"].reverse(), "from its low answers"),
        (lambda d: [o.update(standing="middle") for o in d["options"] if o["standing"] == "low"], "one low"),
        (lambda d: d.update(care_note_when_low_at_least=6), "more than the number of qualities"),
        (lambda d: d.update(chart_title="About {person}"), "unknown placeholder"),
        (lambda d: d.update(name_max_length=0), "name_max_length"),
        (lambda d: d.update(grade="A"), "grade: Extra inputs are not permitted"),
    ],
)
def test_bad_content_names_file_field_and_problem(content_copy, change, expected):
    _edit(content_copy, change)
    with pytest.raises(ContentError) as caught:
        load_safety_check_content(content_copy)
    assert "safety_check.yaml" in str(caught.value)
    assert expected in str(caught.value)


def test_the_model_never_imports_widgets():
    code = "import sys, widgets.safety_check; print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

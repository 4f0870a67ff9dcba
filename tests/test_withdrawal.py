"""Section 3's reflection (the model, no widgets) and its content file."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from widgets import ContentError
from widgets._content import CONTENT_DIR
from widgets.withdrawal import FollowUp, Kind, classify, load_withdrawal_content, reflect

SPEC = load_withdrawal_content()
IDS = [strategy.id for strategy in SPEC.strategies]


def test_shipped_content_has_seven_to_nine_ways_and_a_something_else_choice():
    assert 7 <= len(SPEC.strategies) <= 9
    assert "something-else" in IDS
    assert {option.means for option in SPEC.options} == {"yes", "somewhat", "no", "not-sure"}
    assert "{strategy}" in SPEC.then_question
    assert "{strategy}" in SPEC.now_question


def test_the_words_carry_the_articles_framing_and_privacy():
    assert "survival response, not a weakness" in SPEC.opening
    assert "same strategy that once helped them survive now prevents" in SPEC.groups.shifted.article_words
    assert "shared with the group" in SPEC.private_line


@pytest.mark.parametrize(
    ("then", "now", "kind"),
    [
        ("yes", "no", Kind.SHIFTED),
        ("yes", "somewhat", Kind.SHIFTED),
        ("somewhat", "no", Kind.SHIFTED),
        ("yes", "yes", Kind.STILL_HELPS),
        ("somewhat", "somewhat", Kind.STILL_HELPS),
        ("somewhat", "yes", Kind.STILL_HELPS),
        ("no", "yes", Kind.STILL_HELPS),
        (None, "yes", Kind.STILL_HELPS),
        ("no", "no", Kind.DID_NOT_HELP),
        ("yes", "not-sure", Kind.WONDERING),
        ("not-sure", "no", Kind.WONDERING),
        ("yes", None, Kind.WONDERING),
        (None, "no", Kind.WONDERING),
        (None, None, Kind.WONDERING),
        ("no", None, Kind.WONDERING),
    ],
)
def test_each_pair_of_answers_finds_its_group(then, now, kind):
    assert classify(SPEC, FollowUp(then=then, now=now)) is kind


def test_nothing_ticked_is_an_empty_reflection():
    result = reflect(SPEC, [], {})
    assert not result.anything_chosen
    assert all(not strategies for strategies in result.groups.values())


def test_ticked_ways_are_grouped_in_checklist_order():
    chosen = [IDS[4], IDS[0], IDS[2], IDS[1]]
    follow_ups = {
        IDS[4]: FollowUp("yes", "no"),
        IDS[0]: FollowUp("somewhat", "no"),
        IDS[2]: FollowUp("yes", "yes"),
    }
    result = reflect(SPEC, chosen, follow_ups)
    assert [s.id for s in result.groups[Kind.SHIFTED]] == [IDS[0], IDS[4]]
    assert [s.id for s in result.groups[Kind.STILL_HELPS]] == [IDS[2]]
    # Ticked but not yet answered.
    assert [s.id for s in result.groups[Kind.WONDERING]] == [IDS[1]]
    assert result.groups[Kind.DID_NOT_HELP] == []


@pytest.mark.parametrize(
    ("chosen", "follow_ups", "problem"),
    [
        (["hiding-under-the-bed"], {}, "no strategy called"),
        ([IDS[0]], {IDS[0]: FollowUp("always", None)}, "not one of the answers"),
        ([IDS[0]], {IDS[0]: FollowUp(None, "<script>")}, "not one of the answers"),
        # Unticking a strategy takes its answers away: answers for it are refused.
        ([IDS[0]], {IDS[1]: FollowUp("yes", "no")}, "is not ticked"),
    ],
)
def test_unknown_or_orphaned_answers_are_refused(chosen, follow_ups, problem):
    with pytest.raises(ValueError, match=problem):
        reflect(SPEC, chosen, follow_ups)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def _edit(folder: Path, change) -> None:
    path = folder / "withdrawal.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("opening"), "opening: Field required"),
        (lambda d: d["strategies"][1].update(id=d["strategies"][0]["id"]), "every strategy needs its own id"),
        (lambda d: d["strategies"][0].update(id="Not An Id"), "strategies.0.id"),
        (lambda d: d["options"][0].update(means="maybe"), "options.0.means"),
        (lambda d: d["options"][1].update(means="yes"), "its own meaning"),
        (lambda d: d.update(options=[o for o in d["options"] if o["means"] != "no"]), "one that means no"),
        (lambda d: d.update(then_question="Did it help? {name}"), "unknown placeholder"),
        (lambda d: d.update(now_question="Does it still help?"), "must name the strategy"),
        (lambda d: d["groups"].pop("shifted"), "groups.shifted: Field required"),
        (lambda d: d.update(score="yes"), "score: Extra inputs are not permitted"),
    ],
)
def test_bad_content_names_file_field_and_problem(content_copy, change, expected):
    _edit(content_copy, change)
    with pytest.raises(ContentError) as caught:
        load_withdrawal_content(content_copy)
    assert "withdrawal.yaml" in str(caught.value)
    assert expected in str(caught.value)


def test_the_model_never_imports_widgets():
    code = "import sys, widgets.withdrawal; print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

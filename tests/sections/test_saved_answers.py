"""Each section's ``SavedAnswers`` model: what its view saves fits, a declared key of the wrong type does not.

The rows a section's readers still make something of (unknown ids, an odd element among good
ones, a key left out) fit too: the model must never cost a participant answers the take-home
would show. Every ``*Answers`` model is checked the same way, one parameter set per section.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import ValidationError

from widgets.content_files import load_activity_content
from widgets.contract import SavedAnswers
from widgets.sections.beliefs import model as beliefs
from widgets.sections.checkin import model as checkin
from widgets.sections.checkin.model import load_checkin_content
from widgets.sections.connection_map import model as connection_map
from widgets.sections.crowding import model as crowding
from widgets.sections.safety_check import model as safety_check
from widgets.sections.sharing_load import model as sharing_load
from widgets.sections.small_steps import model as small_steps
from widgets.sections.where_now import model as where_now
from widgets.sections.withdrawal import model as withdrawal

Row = dict[str, Any]

CHECKIN = load_checkin_content()
BELIEFS = load_activity_content("beliefs", beliefs.BeliefsContent)
WITHDRAWAL = withdrawal.load_withdrawal_content()
MAP = load_activity_content("connection_map", connection_map.ConnectionMapContent)
CROWDING = load_activity_content("crowding", crowding.CrowdingContent)
SAFETY = safety_check.load_safety_check_content()
STEPS = load_activity_content("small_steps", small_steps.SmallStepsContent)
SHARING = load_activity_content("sharing_load", sharing_load.SharingLoadContent)
WHERE_NOW = load_activity_content("where_now", where_now.WhereNowContent)


def _chosen(ids: Sequence[str], option: str) -> dict[str, str | None]:
    """Every question skipped but the first, as a view's ``answers`` gives them."""
    return {**dict.fromkeys(ids), ids[0]: option}


CHECKIN_ANSWERS = _chosen([item.id for item in CHECKIN.items], CHECKIN.options[-1].id)
STRATEGIES = [strategy.id for strategy in WITHDRAWAL.strategies]
YES = next(option.id for option in WITHDRAWAL.options if option.means == "yes")
FIRST_HOURS = next(activity.id for activity in CROWDING.hours.activities if activity.part_of is None)
PATTERN = CROWDING.patterns.options[0].id
MAP_SAVED = connection_map.to_saved(
    (
        connection_map.make_entry(
            MAP,
            label="Sam",
            circle=MAP.circles[0].id,
            kind=MAP.kinds[0].id,
            ratings={MAP.ratings[0].id: MAP.scale[0].id},
        ),
        connection_map.make_entry(MAP, label="Jo", circle=MAP.circles[-1].id),
    )
)
SUPPORTS = [support.id for support in SHARING.supports]
KIND = MAP.kinds[0].id


@dataclass(frozen=True)
class Section:
    """One section's answers model, with rows it must take and rows it must refuse."""

    answers: type[SavedAnswers]
    report_blocks: Callable[..., Sequence[object]]
    saved: Row
    """What the view saves, made as the view or the model makes it."""
    tolerated: Sequence[Row]
    """Rows with oddities the section's readers pass over while still using the rest."""
    malformed: Mapping[str, Row]
    """A declared key of the wrong type, by what is wrong."""


SECTIONS = {
    "checkin": Section(
        checkin.CheckinAnswers,
        checkin.report_blocks,
        saved={"answers": CHECKIN_ANSWERS},
        tolerated=[
            {"answers": {**CHECKIN_ANSWERS, "gone": "often", CHECKIN.items[1].id: 3}, "extra": True},
            {"answers": {**CHECKIN_ANSWERS, CHECKIN.items[2].id: ["often"], CHECKIN.items[3].id: "always"}},
        ],
        malformed={"answers as text": {"answers": "oops"}, "answers as a list": {"answers": ["often"]}},
    ),
    "beliefs": Section(
        beliefs.BeliefsAnswers,
        beliefs.report_blocks,
        saved={
            "answers": _chosen([statement.id for statement in BELIEFS.statements], BELIEFS.options[-1].id)
        },
        tolerated=[
            {
                "answers": {
                    BELIEFS.statements[0].id: BELIEFS.options[-1].id,
                    BELIEFS.statements[1].id: 5,
                    "a-belief-no-longer-asked": "agree",
                }
            },
        ],
        malformed={"answers as text": {"answers": "agree"}, "answers as a number": {"answers": 5}},
    ),
    "withdrawal": Section(
        withdrawal.WithdrawalAnswers,
        withdrawal.report_blocks,
        saved={
            "chosen": STRATEGIES[:2],
            "follow_ups": {
                STRATEGIES[0]: {"then": YES, "now": None},
                STRATEGIES[1]: {"then": None, "now": None},
            },
        },
        tolerated=[
            {
                "chosen": ["a-way-no-longer-listed", STRATEGIES[0], 7, STRATEGIES[1]],
                "follow_ups": {STRATEGIES[0]: {"then": YES, "now": "always"}, STRATEGIES[1]: "yes"},
            },
            {"chosen": [STRATEGIES[0]]},
        ],
        malformed={
            "chosen as text": {"chosen": STRATEGIES[0]},
            "follow-ups as a list": {"chosen": STRATEGIES[:1], "follow_ups": [YES]},
            "chosen as null": {"chosen": None},
        },
    ),
    "connection_map": Section(
        connection_map.ConnectionMapAnswers,
        connection_map.report_blocks,
        saved=MAP_SAVED,
        tolerated=[
            {
                "entries": [
                    {
                        "label": "Ana",
                        "circle": MAP.circles[0].id,
                        "ratings": {MAP.ratings[0].id: "x", "x": 1},
                    },
                    {"label": ["Bo"], "circle": MAP.circles[0].id},
                    {"label": "Old", "circle": "far-away", "kind": 3},
                    "not an entry",
                ]
            },
            {"entries": [{"label": "Mum", "circle": MAP.circles[0].id}, {"label": ""}]},
        ],
        malformed={
            "entries as a mapping": {"entries": {"label": "Sam", "circle": MAP.circles[0].id}},
            "entries as text": {"entries": "Sam"},
        },
    ),
    "crowding": Section(
        crowding.CrowdingAnswers,
        crowding.report_blocks,
        saved={"hours": crowding.check_hours(CROWDING.hours, {FIRST_HOURS: 10.5}), "patterns": [PATTERN]},
        tolerated=[
            {
                "hours": {FIRST_HOURS: 10, "sleep": 8, "screens": True, "caregiving": "3", "rest": [2]},
                "patterns": [PATTERN, "a-pattern-no-longer-listed", 3],
            },
            {"patterns": [PATTERN]},
        ],
        malformed={
            "hours as a list": {"hours": [1, 2]},
            "hours as a number": {"hours": 5},
            "patterns as text": {"patterns": PATTERN},
        },
    ),
    "safety_check": Section(
        safety_check.SafetyCheckAnswers,
        safety_check.report_blocks,
        saved={
            "relationship": "Mum",
            "ratings": _chosen([quality.id for quality in SAFETY.qualities], SAFETY.options[-1].id),
        },
        tolerated=[
            {
                "relationship": "x" * (SAFETY.name_max_length + 1),
                "ratings": {
                    SAFETY.qualities[0].id: SAFETY.options[-1].id,
                    SAFETY.qualities[1].id: 3,
                    "gone": "x",
                },
            },
            {"ratings": {SAFETY.qualities[0].id: SAFETY.options[0].id}},
        ],
        malformed={
            "name as a number": {"relationship": 5},
            "name as null": {"relationship": None},
            "ratings as a list": {"ratings": [SAFETY.options[0].id]},
        },
    ),
    "small_steps": Section(
        small_steps.SmallStepsAnswers,
        small_steps.report_blocks,
        saved={
            "steps": [
                small_steps.make_step(
                    STEPS, what=STEPS.what.options[0].id, who="Park", confidence="7"
                ).as_dict(),
                small_steps.Step().as_dict(),
            ]
        },
        tolerated=[
            {
                "steps": [
                    {"what": "run-a-marathon", "who": "Park", "confidence": 11, "plan": 5, "mood": "fine"},
                    "not a step",
                    {"what": STEPS.what.own_option.id, "own_text": "Walk", "confidence": "4"},
                    {"who": "a fourth step, over the limit"},
                ]
            },
        ],
        malformed={"steps as a mapping": {"steps": {"what": "walk"}}, "steps as text": {"steps": "walk"}},
    ),
    "sharing_load": Section(
        sharing_load.SharingLoadAnswers,
        sharing_load.report_blocks,
        saved=sharing_load.to_saved(
            sharing_load.giver_options(SHARING, MAP, MAP_SAVED),
            {SUPPORTS[0]: ["map-1", "map-2"], SUPPORTS[1]: [sharing_load.NO_ONE_YET]},
        ),
        tolerated=[
            {
                "options_from": "kinds",
                "givers": {
                    SUPPORTS[0]: [KIND, "a-kind-no-longer-offered", 7],
                    SUPPORTS[1]: [sharing_load.NO_ONE_YET],
                    SUPPORTS[2]: KIND,
                    "a-support-no-longer-asked": 1,
                },
                "named": {SUPPORTS[0]: "Friend"},
            },
            {"options_from": "kinds", "givers": {SUPPORTS[0]: [KIND]}},
        ],
        malformed={
            "source as a list": {"options_from": ["map"], "givers": {}},
            "givers as a list": {"options_from": "kinds", "givers": [KIND]},
            "names as text": {"options_from": "kinds", "givers": {}, "named": "Sam"},
        },
    ),
    "where_now": Section(
        where_now.WhereNowAnswers,
        where_now.report_blocks,
        saved={
            "answers": CHECKIN_ANSWERS,
            "patterns": [WHERE_NOW.patterns.options[0].id],
            "own_words": "More walks with Sam.",
        },
        tolerated=[
            {
                "answers": {**CHECKIN_ANSWERS, CHECKIN.items[1].id: 2, "no-such-question": "often"},
                "patterns": [WHERE_NOW.patterns.options[0].id, "a-pattern-no-longer-listed", 4],
                "own_words": "x" * (WHERE_NOW.patterns.own_words_max + 1),
            },
            {"own_words": "Only my own words."},
        ],
        malformed={
            "own words as a number": {"own_words": 5},
            "patterns as text": {"patterns": WHERE_NOW.patterns.options[0].id},
            "answers as text": {"answers": "often"},
        },
    ),
}

BY_SECTION = pytest.mark.parametrize("section", list(SECTIONS.values()), ids=list(SECTIONS))


@BY_SECTION
def test_answers_model_takes_what_the_view_saves_and_declares_exactly_its_keys(section):
    assert issubclass(section.answers, SavedAnswers)
    section.answers.model_validate(section.saved)
    assert set(section.answers.model_fields) == set(section.saved)


@BY_SECTION
def test_answers_model_takes_rows_the_take_home_still_uses(section):
    for row in section.tolerated:
        assert section.report_blocks(row), row  # the take-home shows something from it...
        section.answers.model_validate(row)  # ...so the row must not be skipped


@BY_SECTION
def test_answers_model_reads_a_key_left_out_as_nothing_given(section):
    section.answers.model_validate({})


@pytest.mark.parametrize(
    ("answers", "row"),
    [
        pytest.param(section.answers, row, id=f"{name}: {what}")
        for name, section in SECTIONS.items()
        for what, row in section.malformed.items()
    ],
)
def test_answers_model_refuses_a_declared_key_of_the_wrong_type(answers, row):
    with pytest.raises(ValidationError):
        answers.model_validate(row)

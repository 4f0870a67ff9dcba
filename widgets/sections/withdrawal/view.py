"""When pulling back protected me (section 3): widgets wired to :mod:`widgets.sections.withdrawal.model`."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ipywidgets import HTML, Layout, VBox
from traitlets import TraitError

from widgets.controls import CheckList, ChoiceGroup, restore_value
from widgets.rendering import Markup, render, screen
from widgets.rendering.fragments import heading
from widgets.sections.activity_view import SavedActivity, feedback_area
from widgets.sections.withdrawal import model
from widgets.workbook_content import Content, CrisisContent

if TYPE_CHECKING:
    from widgets.contract import SectionRegistry


def feedback_html(
    spec: model.WithdrawalContent, crisis: CrisisContent, reflection: model.Reflection
) -> Markup:
    """The reflection shown under the questions: the model's feedback blocks, drawn on the page.

    It names strategies only: no counts, no scores. The invitation to reach
    someone, with the crisis lines, is always there, because the topic is heavy.
    """
    groups = " ".join(kind.value for kind in model.GROUP_ORDER if reflection.groups[kind])
    return screen.feedback_html(model.feedback_blocks(spec, reflection), crisis, {"groups": groups})


@dataclass(frozen=True)
class FollowUpQuestions:
    """The two questions about one ticked strategy, in their own box."""

    box: VBox
    then: ChoiceGroup
    now: ChoiceGroup


class WithdrawalActivity(SavedActivity):
    """The checklist, a pair of questions for each ticked strategy, and live feedback.

    Follow-up questions appear when a strategy is ticked. Unticking it hides
    them and clears their answers, so they leave the feedback and the saved
    answers too; ticking it again brings them back blank.
    """

    def __init__(
        self, spec: model.WithdrawalContent, crisis: CrisisContent, slug: str = "", **kwargs: object
    ) -> None:
        self._spec = spec
        self._crisis = crisis
        self._clearing = False
        self._follow_ups: dict[str, FollowUpQuestions] = {}
        self.strategies = CheckList(
            question=spec.checklist_question,
            hint=spec.checklist_hint,
            options=[(strategy.id, strategy.label) for strategy in spec.strategies],
        )
        self._follow_up_heading = HTML(
            heading(spec.follow_up_heading, level=3, css_class="rw-follow-up-heading")
        )
        self.follow_up_area = VBox(layout=Layout(width="100%"))
        self.follow_up_area.add_class("rw-follow-ups")
        self.feedback = feedback_area()
        intro = HTML(render("sections/withdrawal/intro.html", spec=spec))
        self.strategies.observe(self._chosen_changed, names="value")
        super().__init__(slug, [intro, self.strategies, self.follow_up_area, self.feedback], **kwargs)

    @property
    def chosen(self) -> list[str]:
        """Ids of the ticked strategies, in checklist order."""
        return list(self.strategies.value)

    @property
    def follow_ups(self) -> dict[str, model.FollowUp]:
        """Each ticked strategy's two answers (option ids, ``None`` where skipped)."""
        result = {}
        for strategy_id in self.chosen:
            questions = self._follow_ups.get(strategy_id)
            if questions is not None:
                result[strategy_id] = model.FollowUp(then=questions.then.value, now=questions.now.value)
        return result

    @property
    def answers(self) -> dict[str, object]:
        """The answers as plain data, as they are saved."""
        return {
            "chosen": self.chosen,
            "follow_ups": {
                strategy_id: {"then": follow_up.then, "now": follow_up.now}
                for strategy_id, follow_up in self.follow_ups.items()
            },
        }

    saved = answers

    def questions_for(self, strategy_id: str) -> FollowUpQuestions:
        """The follow-up questions of one strategy, made the first time they are needed."""
        if strategy_id not in self._follow_ups:
            strategy = next(s for s in self._spec.strategies if s.id == strategy_id)
            options = [(option.id, option.label) for option in self._spec.options]
            then = ChoiceGroup(
                question=self._spec.then_question.format(strategy=strategy.short), options=options
            )
            now = ChoiceGroup(
                question=self._spec.now_question.format(strategy=strategy.short), options=options
            )
            for question in (then, now):
                question.observe(self._follow_up_changed, names="value")
            box = VBox(children=[then, now], layout=Layout(width="100%"))
            box.add_class("rw-follow-up")
            self._follow_ups[strategy_id] = FollowUpQuestions(box=box, then=then, now=now)
        return self._follow_ups[strategy_id]

    def _give_back(self, saved: object) -> None:
        # Strategies the checklist no longer has stay unticked, answers not among the choices
        # unanswered; everything else is kept.
        if not isinstance(saved, dict):
            return
        known = {strategy.id for strategy in self._spec.strategies}
        raw_chosen = saved.get("chosen")
        chosen = raw_chosen if isinstance(raw_chosen, list) else []
        raw_follow_ups = saved.get("follow_ups")
        follow_ups = raw_follow_ups if isinstance(raw_follow_ups, dict) else {}
        ticked = [item for item in chosen if isinstance(item, str) and item in known]
        # Refused by today's checklist: leave every strategy unticked.
        with contextlib.suppress(TraitError):
            self.strategies.value = list(dict.fromkeys(ticked))
        for strategy_id in self.chosen:
            answer = follow_ups.get(strategy_id)
            if not isinstance(answer, dict):
                continue
            questions = self.questions_for(strategy_id)
            restore_value(questions.then, answer.get("then"))
            restore_value(questions.now, answer.get("now"))

    def reflection(self) -> model.Reflection:
        """Sort the current answers into the reflection's groups."""
        return model.reflect(self._spec, self.chosen, self.follow_ups)

    def _chosen_changed(self, change: dict[str, Any]) -> None:
        chosen: list[str] = change["new"]
        # An unticked strategy's answers go with it; one feedback update follows below.
        self._clearing = True
        try:
            for strategy_id, questions in self._follow_ups.items():
                if strategy_id not in chosen:
                    questions.then.value = None
                    questions.now.value = None
        finally:
            self._clearing = False
        boxes = [self.questions_for(strategy_id).box for strategy_id in chosen]
        self.follow_up_area.children = (self._follow_up_heading, *boxes) if boxes else ()
        self._answer_changed(change)

    def _follow_up_changed(self, change: dict[str, Any]) -> None:
        if not self._clearing:
            self._answer_changed(change)

    def _show_feedback(self) -> None:
        self.feedback.value = feedback_html(self._spec, self._crisis, self.reflection())


def build(content: Content, sections: SectionRegistry | None = None) -> WithdrawalActivity:
    """Build section 3's activity from the content files; ``sections`` is not read here."""
    return WithdrawalActivity(
        model.load_withdrawal_content(), content.crisis, slug=content.sections.by_number(3).slug
    )

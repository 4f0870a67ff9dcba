"""The connection check-in's widgets (section 1), wired to :mod:`widgets.sections.checkin.model`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ipywidgets import HTML, Button, Layout, VBox

from widgets import answers
from widgets.controls import ChoiceGroup, restore_value
from widgets.rendering import Markup, render, screen
from widgets.sections.checkin.model import (
    CheckinContent,
    CheckinResult,
    feedback_blocks,
    load_checkin_content,
    score_checkin,
)
from widgets.workbook_content import Content, CrisisContent

if TYPE_CHECKING:
    from widgets.contract import SectionRegistry


def feedback_html(spec: CheckinContent, crisis: CrisisContent, result: CheckinResult) -> Markup:
    """The reflection shown under the questions: the model's feedback blocks, drawn on the page."""
    band = result.band
    return screen.feedback_html(feedback_blocks(spec, result), crisis, {"band": band.id if band else ""})


class CheckinActivity(VBox):
    """The connection check-in: the questions, live feedback and a restart.

    With a ``slug``, the answers kept in the answer book under it are chosen
    again when the activity is made, so a page opened again looks as it was left.
    """

    _restoring = False

    def __init__(self, spec: CheckinContent, crisis: CrisisContent, slug: str = "", **kwargs: object) -> None:
        self._spec = spec
        self.slug = slug  # the section whose answers these are, for the answer book
        self._crisis = crisis
        options = [(option.id, option.label) for option in spec.options]
        self.questions = {
            item.id: ChoiceGroup(question=f"{number}. {item.text}", options=options)
            for number, item in enumerate(spec.items, start=1)
        }
        self.feedback = HTML(layout=Layout(width="100%"))
        self.feedback.add_class("rw-feedback-area")
        restart = Button(description=spec.restart_label, layout=Layout(width="auto"))
        restart.add_class("rw-button")
        restart.on_click(lambda _button: self.restart())
        intro = HTML(render("sections/checkin/intro.html", spec=spec))
        for question in self.questions.values():
            question.observe(self._show_feedback, names="value")
        super().__init__(
            children=[intro, *self.questions.values(), self.feedback, restart],
            **kwargs,
        )
        self.add_class("rw-activity")
        if slug:
            self.restore(answers.current().load(slug))
        self._show_feedback()

    @property
    def answers(self) -> dict[str, str | None]:
        """Item id to chosen option id (``None`` where skipped)."""
        return {item_id: question.value for item_id, question in self.questions.items()}

    def result(self) -> CheckinResult:
        """Score the current answers."""
        return score_checkin(self._spec, self.answers)

    def restore(self, saved: object) -> None:
        """Choose again the answers in ``saved`` (``{"answers": {item id: option id}}``), saving nothing.

        Items the check-in no longer has, and answers that are not among the
        choices, are left out; the other answers are kept.
        """
        given = saved.get("answers") if isinstance(saved, dict) else None
        if not isinstance(given, dict):
            return
        self._restoring = True
        try:
            for item_id, question in self.questions.items():
                restore_value(question, given.get(item_id))
        finally:
            self._restoring = False
        self._show_feedback()

    def restart(self) -> None:
        """Clear every answer so the check-in can be taken again."""
        for question in self.questions.values():
            question.value = None

    def _show_feedback(self, _change: object = None) -> None:
        if self._restoring:
            return  # restore() shows the feedback once, when every answer is back
        self.feedback.value = feedback_html(self._spec, self._crisis, self.result())
        if _change is not None and self.slug:
            answers.current().save(self.slug, {"answers": self.answers})


def build(content: Content, sections: SectionRegistry | None = None) -> CheckinActivity:
    """Build section 1's activity from the content files; ``sections`` is not read here."""
    return CheckinActivity(load_checkin_content(), content.crisis, slug=content.sections.by_number(1).slug)

"""The connection check-in's widgets (section 1), wired to :mod:`widgets.sections.checkin.model`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ipywidgets import HTML, Button, Layout

from widgets.rendering import Markup, render, screen
from widgets.sections.activity_view import NumberedQuestions, QuestionsActivity, feedback_area
from widgets.sections.checkin import model
from widgets.workbook_content import Content, CrisisContent

if TYPE_CHECKING:
    from widgets.contract import SectionRegistry


def feedback_html(spec: model.CheckinContent, crisis: CrisisContent, result: model.CheckinResult) -> Markup:
    """The reflection shown under the questions: the model's feedback blocks, drawn on the page."""
    band = result.band
    return screen.feedback_html(
        model.feedback_blocks(spec, result), crisis, {"band": band.id if band else ""}
    )


class CheckinActivity(QuestionsActivity):
    """The connection check-in: the questions, live feedback and a restart."""

    def __init__(
        self, spec: model.CheckinContent, crisis: CrisisContent, slug: str = "", **kwargs: object
    ) -> None:
        self._spec = spec
        self._crisis = crisis
        self.questions = NumberedQuestions(spec.options, {item.id: item.text for item in spec.items})
        self.feedback = feedback_area()
        restart = Button(description=spec.restart_label, layout=Layout(width="auto"))
        restart.add_class("rw-button")
        restart.on_click(lambda _button: self.restart())
        intro = HTML(render("sections/checkin/intro.html", spec=spec))
        self.questions.observe(self._answer_changed)
        super().__init__(slug, [intro, *self.questions.values(), self.feedback, restart], **kwargs)

    def result(self) -> model.CheckinResult:
        """Score the current answers."""
        return model.score_checkin(self._spec, self.answers)

    def restart(self) -> None:
        """Clear every answer so the check-in can be taken again."""
        for question in self.questions.values():
            question.value = None

    def _show_feedback(self) -> None:
        self.feedback.value = feedback_html(self._spec, self._crisis, self.result())


def build(content: Content, sections: SectionRegistry | None = None) -> CheckinActivity:
    """Build section 1's activity from the content files; ``sections`` is not read here."""
    return CheckinActivity(
        model.load_checkin_content(), content.crisis, slug=content.sections.by_number(1).slug
    )

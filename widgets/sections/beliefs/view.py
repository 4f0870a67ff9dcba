"""Section 2's widgets: a five-point scale per belief, and reframes of the strongest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ipywidgets import HTML, Layout, VBox

from widgets import answers
from widgets.content_files import load_activity_content
from widgets.controls import ChoiceGroup, restore_value
from widgets.rendering import Markup, render, screen
from widgets.sections.beliefs.model import BeliefsContent, BeliefsResult, feedback_blocks, strongest_beliefs
from widgets.workbook_content import Content

if TYPE_CHECKING:
    from widgets.contract import SectionRegistry

SLUG = "handling-it-alone"


def feedback_html(spec: BeliefsContent, result: BeliefsResult) -> Markup:
    """The reflection under the beliefs: the model's feedback blocks, drawn on the page."""
    return screen.feedback_html(feedback_blocks(spec, result))


class BeliefsActivity(VBox):
    """One five-point scale per belief, with reframes of the beliefs held most strongly.

    The answers kept in the answer book are chosen again when the activity is
    made, so a page opened again looks as it was left.
    """

    def __init__(self, spec: BeliefsContent, **kwargs: object) -> None:
        self._spec = spec
        options = [(option.id, option.label) for option in spec.options]
        self.questions = {
            statement.id: ChoiceGroup(question=f"{number}. {statement.text}", options=options)
            for number, statement in enumerate(spec.statements, start=1)
        }
        self.feedback = HTML(layout=Layout(width="100%"))
        self.feedback.add_class("rw-feedback-area")
        intro = HTML(render("sections/beliefs/intro.html", spec=spec))
        # Before the questions are watched, so bringing the answers back saves nothing.
        self._restore(answers.current().load(SLUG))
        for question in self.questions.values():
            question.observe(self._changed, names="value")
        super().__init__(children=[intro, *self.questions.values(), self.feedback], **kwargs)
        self.add_class("rw-activity")
        self._show_feedback()

    @property
    def answers(self) -> dict[str, str | None]:
        """Belief id to chosen option id (``None`` where skipped)."""
        return {statement_id: question.value for statement_id, question in self.questions.items()}

    def _restore(self, saved: object) -> None:
        """Choose again the saved answers that still fit; unknown beliefs or answers are left out."""
        given = saved.get("answers") if isinstance(saved, dict) else None
        if not isinstance(given, dict):
            return
        for statement_id, question in self.questions.items():
            restore_value(question, given.get(statement_id))

    def _changed(self, _change: object) -> None:
        self._show_feedback()
        answers.current().save(SLUG, {"answers": self.answers})

    def _show_feedback(self) -> None:
        self.feedback.value = feedback_html(self._spec, strongest_beliefs(self._spec, self.answers))


def build(content: Content, sections: SectionRegistry | None = None) -> BeliefsActivity:
    """Build section 2's activity from its content file; ``sections`` is not read here."""
    return BeliefsActivity(load_activity_content("beliefs", BeliefsContent))

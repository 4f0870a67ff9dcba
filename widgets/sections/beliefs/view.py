"""Section 2's widgets: a five-point scale per belief, and reframes of the strongest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ipywidgets import HTML

from widgets.content_files import load_activity_content
from widgets.rendering import Markup, render, screen
from widgets.sections.activity_view import NumberedQuestions, QuestionsActivity, feedback_area
from widgets.sections.beliefs.model import BeliefsContent, BeliefsResult, feedback_blocks, strongest_beliefs
from widgets.workbook_content import Content

if TYPE_CHECKING:
    from widgets.contract import SectionRegistry

SLUG = "handling-it-alone"


def feedback_html(spec: BeliefsContent, result: BeliefsResult) -> Markup:
    """The reflection under the beliefs: the model's feedback blocks, drawn on the page."""
    return screen.feedback_html(feedback_blocks(spec, result))


class BeliefsActivity(QuestionsActivity):
    """One five-point scale per belief, with reframes of the beliefs held most strongly."""

    def __init__(self, spec: BeliefsContent, slug: str = "", **kwargs: object) -> None:
        self._spec = spec
        statements = {statement.id: statement.text for statement in spec.statements}
        self.questions = NumberedQuestions(spec.options, statements)
        self.feedback = feedback_area()
        intro = HTML(render("sections/beliefs/intro.html", spec=spec))
        self.questions.observe(self._answer_changed)
        super().__init__(slug, [intro, *self.questions.values(), self.feedback], **kwargs)

    def _show_feedback(self) -> None:
        self.feedback.value = feedback_html(self._spec, strongest_beliefs(self._spec, self.answers))


def build(content: Content, sections: SectionRegistry | None = None) -> BeliefsActivity:
    """Build section 2's activity from its content file; ``sections`` is not read here."""
    return BeliefsActivity(load_activity_content("beliefs", BeliefsContent), slug=SLUG)

"""Relational safety check (section 6): widgets wired to :mod:`widgets.sections.safety_check.model`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ipywidgets import HTML

from widgets.controls import TextBox, restore_value
from widgets.rendering import Markup, render, screen
from widgets.sections.activity_view import NumberedQuestions, SavedActivity, feedback_area
from widgets.sections.safety_check import model
from widgets.workbook_content import Content, CrisisContent

if TYPE_CHECKING:
    from widgets.contract import SectionRegistry


def feedback_html(
    spec: model.SafetyCheckContent, crisis: CrisisContent, result: model.SafetyProfile
) -> Markup:
    """The relationship's model.profile: the model's feedback blocks, drawn on the page.

    The participant's name for the relationship is put into the content's
    wording first and the whole line escaped after, so it is only ever text.
    """
    data = {"care": "yes" if result.care_note else "no"}
    return screen.feedback_html(model.feedback_blocks(spec, result), crisis, data)


class SafetyCheckActivity(SavedActivity):
    """A name for one relationship, five quality questions, and its model.profile as they are answered."""

    def __init__(
        self, spec: model.SafetyCheckContent, crisis: CrisisContent, slug: str = "", **kwargs: object
    ) -> None:
        self._spec = spec
        self._crisis = crisis
        self.relationship = TextBox(
            label=spec.name_label, hint=spec.name_hint, max_length=spec.name_max_length, multiline=False
        )
        qualities = {quality.id: quality.question for quality in spec.qualities}
        self.questions = NumberedQuestions(spec.options, qualities)
        self.feedback = feedback_area()
        intro = HTML(render("sections/safety_check/intro.html", spec=spec))
        lead = HTML(render("sections/safety_check/scale_lead.html", spec=spec))
        self.relationship.observe(self._answer_changed, names="value")
        self.questions.observe(self._answer_changed)
        super().__init__(
            slug, [intro, self.relationship, lead, *self.questions.values(), self.feedback], **kwargs
        )

    @property
    def ratings(self) -> dict[str, str | None]:
        """Quality id to chosen option id (``None`` where skipped)."""
        return self.questions.chosen()

    @property
    def answers(self) -> dict[str, object]:
        """The answers as plain data, as they are saved."""
        return {"relationship": self.relationship.value.strip(), "ratings": self.ratings}

    saved = answers

    def result(self) -> model.SafetyProfile:
        """The model.profile of the relationship from the current answers."""
        return model.profile(self._spec, self.relationship.value, self.ratings)

    def _give_back(self, saved: object) -> None:
        # A name over today's length limit or on more than one line, a quality the content no
        # longer has, or an answer that is not among the choices is left out.
        if isinstance(saved, dict):
            restore_value(self.relationship, saved.get("relationship"))
            self.questions.choose_again(saved.get("ratings"))

    def _show_feedback(self) -> None:
        self.feedback.value = feedback_html(self._spec, self._crisis, self.result())


def build(content: Content, sections: SectionRegistry | None = None) -> SafetyCheckActivity:
    """Build section 6's activity from the content files; ``sections`` is not read here."""
    return SafetyCheckActivity(
        model.load_safety_check_content(), content.crisis, slug=content.sections.by_number(6).slug
    )

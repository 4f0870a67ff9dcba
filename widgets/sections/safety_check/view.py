"""Relational safety check (section 6): widgets wired to :mod:`widgets.sections.safety_check.model`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ipywidgets import HTML, Layout, VBox

from widgets import answers
from widgets.controls import ChoiceGroup, TextBox, restore_value
from widgets.rendering import Markup, render, screen
from widgets.sections.safety_check.model import (
    SafetyCheckContent,
    SafetyProfile,
    feedback_blocks,
    load_safety_check_content,
    profile,
)
from widgets.workbook_content import Content, CrisisContent

if TYPE_CHECKING:
    from widgets.contract import SectionRegistry


def feedback_html(spec: SafetyCheckContent, crisis: CrisisContent, result: SafetyProfile) -> Markup:
    """The relationship's profile: the model's feedback blocks, drawn on the page.

    The participant's name for the relationship is put into the content's
    wording first and the whole line escaped after, so it is only ever text.
    """
    data = {"care": "yes" if result.care_note else "no"}
    return screen.feedback_html(feedback_blocks(spec, result), crisis, data)


class SafetyCheckActivity(VBox):
    """A name for one relationship, five quality questions, and its profile as they are answered.

    With a ``slug``, the answers kept in the answer book under it are given
    again when the activity is made, so a page opened again looks as it was left.
    """

    def __init__(
        self, spec: SafetyCheckContent, crisis: CrisisContent, slug: str = "", **kwargs: object
    ) -> None:
        self._spec = spec
        self._crisis = crisis
        self.slug = slug  # the section whose answers these are, for the answer book
        self.relationship = TextBox(
            label=spec.name_label, hint=spec.name_hint, max_length=spec.name_max_length, multiline=False
        )
        options = [(option.id, option.label) for option in spec.options]
        self.questions = {
            quality.id: ChoiceGroup(question=f"{number}. {quality.question}", options=options)
            for number, quality in enumerate(spec.qualities, start=1)
        }
        self.feedback = HTML(layout=Layout(width="100%"))
        self.feedback.add_class("rw-feedback-area")
        intro = HTML(render("sections/safety_check/intro.html", spec=spec))
        lead = HTML(render("sections/safety_check/scale_lead.html", spec=spec))
        if slug:
            # Before the answers are watched, so bringing them back saves nothing.
            self._restore(answers.current().load(slug))
        self.relationship.observe(self._show_feedback, names="value")
        for question in self.questions.values():
            question.observe(self._show_feedback, names="value")
        super().__init__(
            children=[intro, self.relationship, lead, *self.questions.values(), self.feedback], **kwargs
        )
        self.add_class("rw-activity")
        self._show_feedback()

    @property
    def ratings(self) -> dict[str, str | None]:
        """Quality id to chosen option id (``None`` where skipped)."""
        return {quality_id: question.value for quality_id, question in self.questions.items()}

    @property
    def answers(self) -> dict[str, object]:
        """The answers as plain data, as they are saved."""
        return {"relationship": self.relationship.value.strip(), "ratings": self.ratings}

    def result(self) -> SafetyProfile:
        """The profile of the relationship from the current answers."""
        return profile(self._spec, self.relationship.value, self.ratings)

    def _restore(self, saved: object) -> None:
        """Give back the saved name and ratings that still fit; anything else stays empty.

        A name over today's length limit or on more than one line, a quality the
        content no longer has, or an answer that is not among the choices is left out.
        """
        if not isinstance(saved, dict):
            return
        pieces = [(self.relationship, saved.get("relationship"))]
        ratings = saved.get("ratings")
        if isinstance(ratings, dict):
            pieces += [(question, ratings.get(quality_id)) for quality_id, question in self.questions.items()]
        for control, value in pieces:
            restore_value(control, value)

    def _show_feedback(self, _change: object = None) -> None:
        self.feedback.value = feedback_html(self._spec, self._crisis, self.result())
        if _change is not None and self.slug:
            answers.current().save(self.slug, self.answers)


def build(content: Content, sections: SectionRegistry | None = None) -> SafetyCheckActivity:
    """Build section 6's activity from the content files; ``sections`` is not read here."""
    return SafetyCheckActivity(
        load_safety_check_content(), content.crisis, slug=content.sections.by_number(6).slug
    )

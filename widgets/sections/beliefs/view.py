"""Section 2's widgets: a five-point scale per belief, and reframes of the strongest."""

from __future__ import annotations

from html import escape

from ipywidgets import HTML, Layout, VBox

from widgets import answers
from widgets.content_files import load_activity_content
from widgets.controls import ChoiceGroup, restore_value
from widgets.sections.beliefs.model import BeliefsContent, BeliefsResult, strongest_beliefs
from widgets.workbook_content import Content

SLUG = "handling-it-alone"


def feedback_html(spec: BeliefsContent, result: BeliefsResult) -> str:
    """The reflection under the beliefs, as escaped HTML."""
    parts = [f"<p>{escape(spec.answered_line.format(answered=result.answered, total=result.total))}</p>"]
    if result.answered == 0:
        parts.append(f"<p>{escape(spec.nothing_yet)}</p>")
    elif not result.strongest:
        parts.append(f"<p>{escape(spec.none_strong)}</p>")
    else:
        items = "".join(
            f"<li><p><strong>“{escape(statement.text)}”</strong></p><p>{escape(statement.reframe)}</p></li>"
            for statement in result.strongest
        )
        parts += [
            f'<h3 class="rw-band-title">{escape(spec.strongest_heading)}</h3>',
            f"<p>{escape(spec.strongest_intro)}</p>",
            f'<ul class="rw-reframes">{items}</ul>',
        ]
        if result.more:
            parts.append(f"<p>{escape(spec.more_line.format(count=result.more))}</p>")
    if result.answered:
        parts.append(
            f'<blockquote class="rw-article-words"><p>“{escape(spec.article_words)}”</p>'
            f"<p>{escape(spec.article_source)}</p></blockquote>"
        )
    return f'<div class="rw-feedback">{"".join(parts)}</div>'


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
        intro = HTML(f'<h2 class="rw-activity-title">{escape(spec.heading)}</h2><p>{escape(spec.intro)}</p>')
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


def build(content: Content) -> BeliefsActivity:
    """Build section 2's activity from its content file."""
    return BeliefsActivity(load_activity_content("beliefs", BeliefsContent))

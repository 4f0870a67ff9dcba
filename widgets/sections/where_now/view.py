"""Section 9's widgets: the check-in again, before and after, patterns, a look back and ahead."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from ipywidgets import HTML, Layout, VBox
from traitlets import TraitError

from widgets import answers
from widgets.answers import AnswerBook
from widgets.content_files import load_activity_content
from widgets.controls import CheckList, TextBox
from widgets.rendering import Markup, render, screen
from widgets.sections.checkin.model import load_checkin_content
from widgets.sections.checkin.view import CheckinActivity
from widgets.sections.where_now.model import WhereNowContent, feedback_blocks
from widgets.summary import summarise
from widgets.workbook_content import Content

if TYPE_CHECKING:
    from widgets.contract import SectionRegistry

SLUG = "looking-ahead"
BASELINE_SLUG = "hidden-weight"


def comparison_html(
    content: Content, spec: WhereNowContent, now: dict[str, str | None], book: AnswerBook
) -> Markup:
    """Before and after, or why there is nothing to compare: the model's feedback blocks, drawn."""
    blocks = feedback_blocks(load_checkin_content(), spec, now, book.load(BASELINE_SLUG))
    return screen.feedback_html(blocks, style="compare")


def summary_html(
    content: Content, spec: WhereNowContent, book: AnswerBook, sections: SectionRegistry
) -> Markup:
    """One or two lines for each earlier section whose answers are kept."""
    found = [s for s in summarise(content, book, sections) if s.lines and s.section.slug != SLUG]
    return render("sections/where_now/summary.html", spec=spec, summaries=found)


class WhereNowActivity(VBox):
    """The check-in retaken and compared with section 1's, patterns noticed, a look back and ahead.

    The retake, patterns and own words kept in ``book`` for this section are
    given back when the activity is made, so a page opened again looks as it was left.
    """

    def __init__(
        self,
        content: Content,
        spec: WhereNowContent,
        book: AnswerBook,
        sections: SectionRegistry,
        **kwargs: object,
    ) -> None:
        self._content, self._spec, self._book = content, spec, book
        self.checkin = CheckinActivity(load_checkin_content(), content.crisis)
        self.comparison = HTML(layout=Layout(width="100%"))
        self.comparison.add_class("rw-feedback-area")
        patterns = spec.patterns
        self.patterns = CheckList(
            question=patterns.question, options=[(option.id, option.label) for option in patterns.options]
        )
        self.own_words = TextBox(
            label=patterns.own_words_label, max_length=patterns.own_words_max, multiline=True
        )
        self.summary = HTML(summary_html(content, spec, book, sections), layout=Layout(width="100%"))
        self.summary.add_class("rw-feedback-area")
        # Before the answers are watched here, so bringing them back saves nothing.
        self._restore(book.load(SLUG))
        for question in self.checkin.questions.values():
            question.observe(self._changed, names="value")
        self.patterns.observe(self._changed, names="value")
        self.own_words.observe(self._changed, names="value")
        part = "sections/where_now/part.html"
        retake = HTML(render(part, heading=spec.retake_heading, text=spec.retake_intro))
        look_ahead = HTML(render(part, heading=spec.look_ahead_heading, text=spec.look_ahead))
        super().__init__(
            children=[
                HTML(render("sections/where_now/intro.html", spec=spec)),
                retake,
                self.checkin,
                self.comparison,
                self.patterns,
                self.own_words,
                self.summary,
                look_ahead,
            ],
            **kwargs,
        )
        self.add_class("rw-activity")
        self._show_comparison()

    @property
    def saved(self) -> dict[str, object]:
        """What this section keeps in the answer book."""
        return {
            "answers": self.checkin.answers,
            "patterns": list(self.patterns.value),
            "own_words": self.own_words.value,
        }

    def _restore(self, saved: object) -> None:
        """Give back the saved retake, patterns and own words that still fit; the rest stays empty.

        Check-in answers go through :meth:`CheckinActivity.restore`; a pattern
        the list no longer has is left unticked, and own words that are not
        text or are over today's limit are left out.
        """
        if not isinstance(saved, dict):
            return
        self.checkin.restore(saved)
        ticked = saved.get("patterns")
        if isinstance(ticked, list):
            known = [option_id for option_id, _ in self.patterns.options]
            # More ticks than the list allows today: leave the patterns unticked.
            with contextlib.suppress(TraitError):
                self.patterns.value = [option_id for option_id in known if option_id in ticked]
        own_words = saved.get("own_words")
        if own_words is not None:
            # Not text, or longer than today's limit: leave the box empty.
            with contextlib.suppress(TraitError):
                self.own_words.value = own_words

    def _changed(self, _change: object) -> None:
        self._show_comparison()
        self._book.save(SLUG, self.saved)

    def _show_comparison(self) -> None:
        self.comparison.value = comparison_html(self._content, self._spec, self.checkin.answers, self._book)


def build(content: Content, sections: SectionRegistry | None = None) -> WhereNowActivity:
    """Build section 9's activity from its content file and the answers kept so far.

    ``sections`` (every section's activity) gives the earlier sections' summary lines.
    """
    if sections is None:
        raise TypeError("section 9's activity sums up the others: give it the sections")
    spec = load_activity_content("where_now", WhereNowContent)
    return WhereNowActivity(content, spec, answers.current(), sections)

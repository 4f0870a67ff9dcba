"""Section 9's widgets: the check-in again, before and after, patterns, a look back and ahead."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from ipywidgets import HTML, Layout
from traitlets import TraitError

from widgets import answers
from widgets.answers import AnswerBook
from widgets.content_files import load_activity_content
from widgets.controls import CheckList, TextBox
from widgets.rendering import Markup, render, screen
from widgets.sections.activity_view import SavedActivity, feedback_area
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
    return render("sections/where_now/summary.html", spec=spec, summaries=found, page=content.workbook.page)


class WhereNowActivity(SavedActivity):
    """The check-in retaken and compared with section 1's, patterns noticed, a look back and ahead.

    Kept in ``book``, from which section 1's check-in is read too.
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
        self.comparison = feedback_area()
        patterns = spec.patterns
        self.patterns = CheckList(
            question=patterns.question, options=[(option.id, option.label) for option in patterns.options]
        )
        self.own_words = TextBox(
            label=patterns.own_words_label, max_length=patterns.own_words_max, multiline=True
        )
        self.summary = HTML(summary_html(content, spec, book, sections), layout=Layout(width="100%"))
        self.summary.add_class("rw-feedback-area")
        self.checkin.questions.observe(self._answer_changed)
        self.patterns.observe(self._answer_changed, names="value")
        self.own_words.observe(self._answer_changed, names="value")
        part = "sections/where_now/part.html"
        retake = HTML(render(part, heading=spec.retake_heading, text=spec.retake_intro))
        look_ahead = HTML(render(part, heading=spec.look_ahead_heading, text=spec.look_ahead))
        intro = HTML(render("sections/where_now/intro.html", spec=spec))
        children = [intro, retake, self.checkin, self.comparison, self.patterns, self.own_words]
        super().__init__(SLUG, [*children, self.summary, look_ahead], **kwargs)

    @property
    def saved(self) -> dict[str, object]:
        """What this section keeps in the answer book."""
        return {
            "answers": self.checkin.answers,
            "patterns": list(self.patterns.value),
            "own_words": self.own_words.value,
        }

    def _give_back(self, saved: object) -> None:
        # Check-in answers go through CheckinActivity.restore; a pattern the list no longer has is
        # left unticked, and own words that are not text or are over today's limit are left out.
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

    def _answer_book(self) -> AnswerBook:
        return self._book

    def _show_feedback(self) -> None:
        self.comparison.value = comparison_html(self._content, self._spec, self.checkin.answers, self._book)


def build(content: Content, sections: SectionRegistry | None = None) -> WhereNowActivity:
    """Build section 9's activity from its content file and the answers kept so far.

    ``sections`` (every section's activity) gives the earlier sections' summary lines.
    """
    if sections is None:
        raise TypeError("section 9's activity sums up the others: give it the sections")
    spec = load_activity_content("where_now", WhereNowContent)
    return WhereNowActivity(content, spec, answers.current(), sections)

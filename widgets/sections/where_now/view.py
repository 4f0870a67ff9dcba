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
from widgets.rendering import Markup, charts, render
from widgets.sections.checkin.model import load_checkin_content, score_checkin, usable_answers
from widgets.sections.checkin.view import CheckinActivity
from widgets.sections.where_now.model import Comparison, WhereNowContent, compare_checkins
from widgets.summary import summarise
from widgets.workbook_content import Content

if TYPE_CHECKING:
    from widgets.contract import SectionRegistry

SLUG = "looking-ahead"
BASELINE_SLUG = "hidden-weight"


def comparison_html(
    content: Content, spec: WhereNowContent, now: dict[str, str | None], book: AnswerBook
) -> Markup:
    """Before and after, in words, as a chart and as a table; or why there is nothing to compare."""
    baseline = book.load(BASELINE_SLUG)
    now_result = score_checkin(load_checkin_content(), now)
    if baseline is not None and now_result.band is None:
        waiting = spec.not_enough_now.format(needed=now_result.needed)
        return render("sections/where_now/comparison.html", spec=spec, lines=[waiting], figure=None)
    comparison = None
    if baseline is not None:
        # Section 1's answers as its own page gives them back: any that no longer fit are left out.
        before = usable_answers(load_checkin_content(), baseline.get("answers"))
        comparison = compare_checkins(load_checkin_content(), before, now, spec.same_within)
    if comparison is None:
        return render("sections/where_now/comparison.html", spec=spec, lines=[spec.no_baseline], figure=None)
    line = spec.compare_line.format(
        before=f"{comparison.before_average:g}", now=f"{comparison.now_average:g}"
    )
    return render(
        "sections/where_now/comparison.html",
        spec=spec,
        lines=[line, getattr(spec.change_words, comparison.change)],
        figure=_before_and_after(spec, comparison, line),
    )


def _before_and_after(spec: WhereNowContent, comparison: Comparison, line: str) -> Markup:
    """The two averages as bars, with every question's answers before and now as their text alternative."""
    bars = [
        charts.Bar(spec.before_label, comparison.before_average),
        charts.Bar(spec.now_label, comparison.now_average, highlight=True),
    ]
    rows = [
        (item.question, item.before or spec.skipped_label, item.now or spec.skipped_label)
        for item in comparison.items
    ]
    table = charts.table(spec.table_caption, ["Question", spec.before_label, spec.now_label], rows)
    return charts.figure(
        charts.bar_chart(spec.chart_title, bars, unit="", max_value=3),
        spec.chart_caption,
        render("sections/where_now/comparison_alternative.html", compare_line=line, table=table),
    )


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

"""Section 9's widgets: the check-in again, before and after, patterns, a look back and ahead."""

from __future__ import annotations

import contextlib
from html import escape

from ipywidgets import HTML, Layout, VBox
from traitlets import TraitError

from widgets import answers, charts
from widgets.answers import AnswerBook
from widgets.content_files import load_activity_content
from widgets.controls import CheckList, TextBox
from widgets.sections.checkin.model import score_checkin, usable_answers
from widgets.sections.checkin.view import CheckinActivity
from widgets.sections.where_now.model import WhereNowContent, compare_checkins
from widgets.summary import summarise
from widgets.workbook_content import Content

SLUG = "looking-ahead"
BASELINE_SLUG = "hidden-weight"


def comparison_html(
    content: Content, spec: WhereNowContent, now: dict[str, str | None], book: AnswerBook
) -> str:
    """Before and after, in words, as a chart and as a table; or why there is nothing to compare."""
    parts = [f'<h3 class="rw-band-title">{escape(spec.compare_heading)}</h3>']
    baseline = book.load(BASELINE_SLUG)
    now_result = score_checkin(content.checkin, now)
    if baseline is None:
        parts.append(f"<p>{escape(spec.no_baseline)}</p>")
    elif now_result.band is None:
        parts.append(f"<p>{escape(spec.not_enough_now.format(needed=now_result.needed))}</p>")
    else:
        # Section 1's answers as its own page gives them back: any that no longer fit are left out.
        before = usable_answers(content.checkin, baseline.get("answers"))
        comparison = compare_checkins(content.checkin, before, now, spec.same_within)
        if comparison is None:
            parts.append(f"<p>{escape(spec.no_baseline)}</p>")
        else:
            line = spec.compare_line.format(
                before=f"{comparison.before_average:g}", now=f"{comparison.now_average:g}"
            )
            words = getattr(spec.change_words, comparison.change)
            bars = [
                charts.Bar(spec.before_label, comparison.before_average),
                charts.Bar(spec.now_label, comparison.now_average, highlight=True),
            ]
            rows = [
                (item.question, item.before or spec.skipped_label, item.now or spec.skipped_label)
                for item in comparison.items
            ]
            alternative = f"<p>{escape(line)}</p>" + charts.table(
                spec.table_caption, ["Question", spec.before_label, spec.now_label], rows
            )
            parts += [
                f"<p>{escape(line)}</p>",
                f"<p>{escape(words)}</p>",
                charts.figure(
                    charts.bar_chart(spec.chart_title, bars, unit="", max_value=3),
                    spec.chart_caption,
                    alternative,
                ),
            ]
    return f'<div class="rw-feedback rw-compare">{"".join(parts)}</div>'


def summary_html(content: Content, spec: WhereNowContent, book: AnswerBook) -> str:
    """One or two lines for each earlier section whose answers are kept."""
    found = [s for s in summarise(content, book) if s.lines and s.section.slug != SLUG]
    if not found:
        body = f"<p>{escape(spec.summary_nothing)}</p>"
    else:
        body = (
            "<ul>"
            + "".join(
                f"<li><strong>Section {s.section.number}: {escape(s.section.title)}</strong>"
                f"<br>{'<br>'.join(escape(line) for line in s.lines)}</li>"
                for s in found
            )
            + "</ul>"
        )
    return f'<h3 class="rw-band-title">{escape(spec.summary_heading)}</h3>{body}'


class WhereNowActivity(VBox):
    """The check-in retaken and compared with section 1's, patterns noticed, a look back and ahead.

    The retake, patterns and own words kept in ``book`` for this section are
    given back when the activity is made, so a page opened again looks as it was left.
    """

    def __init__(self, content: Content, spec: WhereNowContent, book: AnswerBook, **kwargs: object) -> None:
        self._content, self._spec, self._book = content, spec, book
        self.checkin = CheckinActivity(content.checkin, content.crisis)
        self.comparison = HTML(layout=Layout(width="100%"))
        self.comparison.add_class("rw-feedback-area")
        patterns = spec.patterns
        self.patterns = CheckList(
            question=patterns.question, options=[(option.id, option.label) for option in patterns.options]
        )
        self.own_words = TextBox(
            label=patterns.own_words_label, max_length=patterns.own_words_max, multiline=True
        )
        self.summary = HTML(summary_html(content, spec, book), layout=Layout(width="100%"))
        self.summary.add_class("rw-feedback-area")
        # Before the answers are watched here, so bringing them back saves nothing.
        self._restore(book.load(SLUG))
        for question in self.checkin.questions.values():
            question.observe(self._changed, names="value")
        self.patterns.observe(self._changed, names="value")
        self.own_words.observe(self._changed, names="value")
        super().__init__(
            children=[
                HTML(f'<h2 class="rw-activity-title">{escape(spec.heading)}</h2><p>{escape(spec.intro)}</p>'),
                HTML(f"<h3>{escape(spec.retake_heading)}</h3><p>{escape(spec.retake_intro)}</p>"),
                self.checkin,
                self.comparison,
                self.patterns,
                self.own_words,
                self.summary,
                HTML(f"<h3>{escape(spec.look_ahead_heading)}</h3><p>{escape(spec.look_ahead)}</p>"),
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


def build(content: Content) -> WhereNowActivity:
    """Build section 9's activity from its content file and the answers kept so far."""
    return WhereNowActivity(content, load_activity_content("where_now", WhereNowContent), answers.current())

"""What crowds out connection (section 5): the widgets, wired to :mod:`widgets.sections.crowding.model`."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ipywidgets import HTML
from traitlets import TraitError, validate

from widgets.content_files import load_activity_content
from widgets.controls import CheckList, NumberBox
from widgets.rendering import Markup, render, screen
from widgets.rendering.fragments import paragraph
from widgets.sections.activity_view import SavedActivity, feedback_area
from widgets.sections.crowding.model import (
    CrowdingContent,
    HoursRefused,
    check_change,
    counted_total,
    feedback_blocks,
)
from widgets.workbook_content import Content

if TYPE_CHECKING:
    from widgets.contract import SectionRegistry


class HoursBox(NumberBox):
    """A :class:`NumberBox` whose answer must also fit with the week's other answers.

    ``check`` gets each proposed value (after the box's own range check) and raises
    :class:`~widgets.sections.crowding.model.HoursRefused` to refuse it; the refusal's words become the
    message beside the box and the earlier value is kept, as for any refused value.
    """

    def __init__(self, check: Callable[[float | None], object], **kwargs: object) -> None:
        self._check_with_others = check
        super().__init__(**kwargs)

    @validate("value")
    def _in_range(self, proposal: dict[str, Any]) -> float | None:
        value: float | None = super()._in_range(proposal)
        try:
            self._check_with_others(value)
        except HoursRefused as refused:
            raise TraitError(str(refused)) from None
        return value


def _hours(value: float) -> str:
    return f"{value:g}"


def feedback_html(spec: CrowdingContent, hours: Mapping[str, float | None], ticked: Sequence[str]) -> Markup:
    """Everything shown under the questions: the model's feedback blocks, drawn on the page."""
    return screen.feedback_html(feedback_blocks(spec, hours, ticked))


class CrowdingActivity(SavedActivity):
    """Hours a week and patterns that apply, with the week, the cycle and a routine to adjust."""

    def __init__(self, spec: CrowdingContent, slug: str = "", **kwargs: object) -> None:
        self._spec = spec
        questions = spec.hours
        limit = _hours(questions.limit)
        self.hours_boxes = {
            activity.id: HoursBox(
                check=self._checker(activity.id),
                label=activity.label,
                unit=questions.unit,
                minimum=0,
                maximum=questions.limit,
                step=questions.step,
            )
            for activity in questions.activities
        }
        self.total = HTML()
        self.patterns = CheckList(
            question=spec.patterns.question,
            hint=spec.patterns.hint,
            options=[(pattern.id, pattern.label) for pattern in spec.patterns.options],
        )
        self.feedback = feedback_area()
        intro = HTML(render("sections/crowding/intro.html", spec=spec))
        hours_intro = HTML(
            render(
                "sections/crowding/hours_intro.html",
                questions=questions,
                intro=questions.intro.format(limit=limit, per_day=questions.waking_hours_per_day),
            )
        )
        for box in self.hours_boxes.values():
            box.observe(self._answer_changed, names="value")
        self.patterns.observe(self._answer_changed, names="value")
        questions_part = [intro, hours_intro, *self.hours_boxes.values(), self.total, self.patterns]
        super().__init__(slug, [*questions_part, self.feedback], **kwargs)

    def _checker(self, activity_id: str) -> Callable[[float | None], object]:
        return lambda value: check_change(self._spec.hours, self.hours, activity_id, value)

    @property
    def hours(self) -> dict[str, float | None]:
        """Activity id to hours a week (``None`` where skipped)."""
        return {activity_id: box.value for activity_id, box in self.hours_boxes.items()}

    @property
    def ticked(self) -> list[str]:
        """The ids of the ticked patterns, in the order listed."""
        return list(self.patterns.value)

    @property
    def saved(self) -> dict[str, object]:
        """The hours and ticked patterns, as the answer book keeps them."""
        return {"hours": self.hours, "patterns": self.ticked}

    def _give_back(self, saved: object) -> None:
        # Each hours answer goes through its box's checks, wholes before their parts (time with
        # people before deep conversation), so a saved set the rules refuse now keeps every answer
        # that fits with those before it; ticks the list no longer has stay unticked.
        if not isinstance(saved, dict):
            return
        hours = saved.get("hours")
        if isinstance(hours, dict):
            activities = self._spec.hours.activities
            for activity in sorted(activities, key=lambda activity: activity.part_of is not None):
                value = hours.get(activity.id)
                # bool is an int to Python, and a number box would take True as 1 hour.
                if isinstance(value, bool) or not isinstance(value, int | float):
                    continue
                try:
                    self.hours_boxes[activity.id].value = value
                except (TraitError, OverflowError):  # OverflowError: an int too big to be a float
                    continue
        ticked = saved.get("patterns")
        if isinstance(ticked, list):
            known = [option_id for option_id, _ in self.patterns.options]
            # More ticks than the list allows today: leave the patterns unticked.
            with contextlib.suppress(TraitError):
                self.patterns.value = [option_id for option_id in known if option_id in ticked]

    def _show_feedback(self) -> None:
        questions = self._spec.hours
        total = questions.total_line.format(
            total=_hours(counted_total(questions, self.hours)), limit=_hours(questions.limit)
        )
        self.total.value = paragraph(total, css_class="rw-hours-total")
        self.feedback.value = feedback_html(self._spec, self.hours, self.ticked)


def build(content: Content, sections: SectionRegistry | None = None) -> CrowdingActivity:
    """Build section 5's activity from the content files; ``sections`` is not read here."""
    spec = load_activity_content("crowding", CrowdingContent)
    return CrowdingActivity(spec, slug=content.sections.by_number(5).slug)

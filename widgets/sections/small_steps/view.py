"""The small-steps planner's widgets (section 7), wired to :mod:`widgets.sections.small_steps.model`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ipywidgets import HTML, Button, Layout, VBox

from widgets.content_files import load_activity_content
from widgets.controls import ChoiceGroup, GuardedState, TextBox, restore_value
from widgets.rendering import Markup, render, screen
from widgets.rendering.fragments import heading
from widgets.sections.activity_view import SavedActivity, feedback_area
from widgets.sections.small_steps.model import (
    CONFIDENCE_HIGHEST,
    CONFIDENCE_LOWEST,
    SmallStepsContent,
    Step,
    TextField,
    can_add_step,
    card_entries,
    feedback_blocks,
    make_step,
    needs_smaller,
    parse_confidence,
)
from widgets.workbook_content import Content

if TYPE_CHECKING:
    from widgets.contract import SectionRegistry

CONTENT_NAME = "small_steps"


class ServerButton(GuardedState, Button):
    """A button whose state the browser cannot change: a crafted page can't re-enable it.

    Clicks still arrive (they are messages, not state), so whatever a click
    does must check on the server that it is allowed.
    """

    _client_writable = ()


def smaller_html(spec: SmallStepsContent) -> Markup:
    """The gentle "make it smaller" prompt with its ideas."""
    return render("sections/small_steps/smaller.html", confidence=spec.confidence)


def card_html(spec: SmallStepsContent, steps: list[Step]) -> Markup:
    """The "My small steps" card: the model's feedback blocks, drawn on the page in a card's box.

    The participant's words are shown as text; ``data-steps`` says how many steps it lists.
    """
    listed = str(len(card_entries(spec, steps)))
    return screen.feedback_html(feedback_blocks(spec, steps), data={"steps": listed}, style="steps-card")


def _text_box(spec: SmallStepsContent, field: TextField, number: int) -> TextBox:
    return TextBox(
        label=spec.control_label.format(number=number, label=field.label),
        hint=field.hint or "",
        max_length=field.max_length,
        multiline=False,
    )


class StepCard(VBox):
    """One planned step: what, who or where, when, how sure, a likely obstacle and a plan.

    Parameters
    ----------
    spec
        The planner's content.
    number
        The step's place in the planner (1-based); see :meth:`renumber`.
    on_change
        Called with no arguments whenever any answer on the card changes.
    on_remove
        Called with this card when its remove (or clear) button is clicked.
    """

    def __init__(
        self,
        spec: SmallStepsContent,
        number: int,
        on_change: Callable[[], None],
        on_remove: Callable[[StepCard], None],
        **kwargs: object,
    ) -> None:
        self._spec = spec
        self._on_change = on_change
        what = spec.what
        self.heading = HTML()
        self.what = ChoiceGroup(
            options=[(option.id, option.label) for option in [*what.options, what.own_option]]
        )
        self.own_text = _text_box(spec, what.own_text, number)
        self.who = _text_box(spec, spec.who, number)
        self.when = _text_box(spec, spec.when, number)
        self.confidence = ChoiceGroup(
            options=[(str(n), str(n)) for n in range(CONFIDENCE_LOWEST, CONFIDENCE_HIGHEST + 1)]
        )
        self.confidence.add_class("rw-confidence")
        self.smaller = HTML(layout=Layout(width="100%"))
        self.obstacle = _text_box(spec, spec.obstacle, number)
        self.plan = _text_box(spec, spec.plan, number)
        self.remove_button = ServerButton(layout=Layout(width="auto", align_self="flex-start"))
        self.remove_button.add_class("rw-button")
        self.remove_button.on_click(lambda _button: on_remove(self))
        for control in self.answer_controls:
            control.observe(self._changed, names="value")
        super().__init__(
            children=[
                self.heading,
                self.what,
                self.own_text,
                self.who,
                self.when,
                self.confidence,
                self.smaller,
                self.obstacle,
                self.plan,
                self.remove_button,
            ],
            **kwargs,
        )
        self.add_class("rw-step-card")
        self.renumber(number, only_one=True)
        self._show_parts()

    @property
    def answer_controls(self) -> tuple[ChoiceGroup | TextBox, ...]:
        """Every control that holds an answer, in the order shown."""
        return (self.what, self.own_text, self.who, self.when, self.confidence, self.obstacle, self.plan)

    def step(self) -> Step:
        """The step as kept (the own-step text only while "my own step" is chosen)."""
        return make_step(
            self._spec,
            what=self.what.value,
            own_text=self.own_text.value,
            who=self.who.value,
            when=self.when.value,
            confidence=self.confidence.value,
            obstacle=self.obstacle.value,
            plan=self.plan.value,
        )

    def renumber(self, number: int, only_one: bool) -> None:
        """Label every control with the step's place, so each is told apart when read aloud.

        ``only_one`` turns "remove" into "clear": the planner always keeps one step.
        """
        spec = self._spec
        self.number = number
        self.heading.value = heading(
            spec.step_heading.format(number=number), level=3, css_class="rw-step-title"
        )
        self.what.question = spec.control_label.format(number=number, label=spec.what.question)
        self.confidence.question = spec.control_label.format(number=number, label=spec.confidence.question)
        for box, field in (
            (self.own_text, spec.what.own_text),
            (self.who, spec.who),
            (self.when, spec.when),
            (self.obstacle, spec.obstacle),
            (self.plan, spec.plan),
        ):
            box.label = spec.control_label.format(number=number, label=field.label)
        template = spec.clear_label if only_one else spec.remove_label
        self.remove_button.description = template.format(number=number)

    def restore(self, saved: object) -> None:
        """Give back a saved step's answers (as from :meth:`Step.as_dict`) without telling the planner.

        So nothing is saved, and the planner shows its card once, when every
        step is back. A field that is not text, over today's limit, or not
        among the choices is left empty; the other fields are kept.
        """
        if not isinstance(saved, dict):
            return
        try:
            confidence = parse_confidence(saved.get("confidence"))
        except ValueError:
            confidence = None  # not a whole number from 0 to 10: leave it unanswered
        pieces: list[tuple[TextBox | ChoiceGroup, object]] = [
            (self.what, saved.get("what")),
            (self.own_text, saved.get("own_text")),
            (self.who, saved.get("who")),
            (self.when, saved.get("when")),
            (self.confidence, None if confidence is None else str(confidence)),
            (self.obstacle, saved.get("obstacle")),
            (self.plan, saved.get("plan")),
        ]
        self._restoring = True
        try:
            for control, value in pieces:
                restore_value(control, value)
        finally:
            self._restoring = False
        self._show_parts()

    def clear(self) -> None:
        """Empty every answer on this card (one save, not one per control)."""
        self._clearing = True
        try:
            self.what.value = None
            self.confidence.value = None
            for box in (self.own_text, self.who, self.when, self.obstacle, self.plan):
                box.value = ""
        finally:
            self._clearing = False
        self._changed()

    def close(self) -> None:
        """Close the card and every widget on it, so a removed step leaves nothing behind."""
        for child in self.children:
            child.close()
        super().close()

    _clearing = False
    _restoring = False

    def _show_parts(self) -> None:
        step = self.step()
        own_chosen = step.what == self._spec.what.own_option.id
        self.own_text.layout.display = None if own_chosen else "none"
        self.smaller.value = smaller_html(self._spec) if needs_smaller(self._spec, step) else ""
        self.smaller.layout.display = None if self.smaller.value else "none"

    def _changed(self, _change: object = None) -> None:
        if self._clearing or self._restoring:
            return
        self._show_parts()
        self._on_change()


class SmallStepsActivity(SavedActivity):
    """The small-steps planner: one to ``max_steps`` step cards and the "My small steps" card."""

    def __init__(self, spec: SmallStepsContent, slug: str = "", **kwargs: object) -> None:
        self._spec = spec
        self.cards: list[StepCard] = []
        self.steps_box = VBox(layout=Layout(width="100%"))
        self.add_button = ServerButton(
            description=spec.add_label, layout=Layout(width="auto", align_self="flex-start")
        )
        self.add_button.add_class("rw-button")
        self.add_button.on_click(lambda _button: self.add_step())
        self.limit_note = HTML()
        self.feedback = feedback_area()
        intro = HTML(render("sections/small_steps/intro.html", spec=spec))
        self._limit_refused = False
        self._append_card()
        children = [intro, self.steps_box, self.add_button, self.limit_note, self.feedback]
        super().__init__(slug, children, **kwargs)

    @property
    def steps(self) -> list[Step]:
        """Every step card's answers, in the planner's order (empty steps included)."""
        return [card.step() for card in self.cards]

    def add_step(self) -> bool:
        """Add an empty step card, unless the planner is full (checked here, not only in the page).

        Returns
        -------
        bool
            Whether a card was added.
        """
        if not can_add_step(self._spec, len(self.cards)):
            self._limit_refused = True
            self._show_feedback()
            return False
        self._append_card()
        self._answer_changed()
        return True

    def remove_step(self, card: StepCard) -> None:
        """Remove ``card``; the last one left is cleared instead, so there is always a step to fill."""
        if card not in self.cards:
            return  # a late click from a card already gone
        if len(self.cards) == 1:
            card.clear()
            return
        self.cards.remove(card)
        self.steps_box.children = tuple(self.cards)
        card.close()
        self._answer_changed()

    @property
    def saved(self) -> dict[str, object]:
        """The steps as the answer book keeps them."""
        return {"steps": [step.as_dict() for step in self.steps]}

    def _give_back(self, saved: object) -> None:
        # A card for each saved step (up to today's limit); a saved step that is not a step at
        # all keeps its place as an empty card, so the steps after it keep their numbers.
        steps = saved.get("steps") if isinstance(saved, dict) else None
        if not isinstance(steps, list):
            return
        steps = steps[: self._spec.max_steps]
        while len(self.cards) < len(steps):
            self._append_card()
        for card, step in zip(self.cards, steps, strict=False):
            card.restore(step)

    def _append_card(self) -> None:
        card = StepCard(
            self._spec, len(self.cards) + 1, on_change=self._answer_changed, on_remove=self.remove_step
        )
        self.cards.append(card)
        self.steps_box.children = tuple(self.cards)

    def _show_feedback(self) -> None:
        # Also the numbers on the cards, the add button and the note on how many steps there may be.
        spec = self._spec
        only_one = len(self.cards) == 1
        for number, card in enumerate(self.cards, start=1):
            card.renumber(number, only_one)
        room = can_add_step(spec, len(self.cards))
        self.add_button.disabled = not room
        if room:
            self._limit_refused = False
            line = spec.limit_line.format(count=len(self.cards), most=spec.max_steps)
        elif self._limit_refused:
            line = spec.refused_add.format(most=spec.max_steps)
        else:
            line = spec.at_limit_line.format(most=spec.max_steps)
        self.limit_note.value = render("sections/small_steps/limit_note.html", line=line)
        self.feedback.value = card_html(spec, self.steps)


def build(content: Content, sections: SectionRegistry | None = None) -> SmallStepsActivity:
    """Build section 7's activity from the content files; ``sections`` is not read here."""
    spec = load_activity_content(CONTENT_NAME, SmallStepsContent)
    return SmallStepsActivity(spec, slug=content.sections.by_number(7).slug)

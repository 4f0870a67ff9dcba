"""The frame the activities' views share: kept in the answer book, feedback shown as answers change.

An activity built on :class:`SavedActivity` says what its controls are, what it saves
(:attr:`~SavedActivity.saved`), how it gives saved answers back (``_give_back``) and how it draws its
feedback (``_show_feedback``); the frame saves each change under the section's slug and brings the
answers back when the activity is made, saving nothing while it does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

from ipywidgets import HTML, Layout, VBox, Widget

from widgets import answers
from widgets.answers import AnswerBook
from widgets.controls import ChoiceGroup, restore_value


class _Choice(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def label(self) -> str: ...


def feedback_area() -> HTML:
    """The full-width box under an activity's questions that its feedback is drawn in."""
    area = HTML(layout=Layout(width="100%"))
    area.add_class("rw-feedback-area")
    return area


class NumberedQuestions(dict[str, ChoiceGroup]):
    """Question id to its choice group: one per question, numbered from 1, each offering every option."""

    def __init__(self, options: Iterable[_Choice], questions: Mapping[str, str]) -> None:
        choices = [(option.id, option.label) for option in options]
        super().__init__(
            (question_id, ChoiceGroup(question=f"{number}. {text}", options=choices))
            for number, (question_id, text) in enumerate(questions.items(), start=1)
        )

    def observe(self, handler: Callable[[object], None]) -> None:
        """Call ``handler`` whenever an answer changes."""
        for question in self.values():
            question.observe(handler, names="value")

    def chosen(self) -> dict[str, str | None]:
        """Each question's chosen option id (``None`` where skipped)."""
        return {question_id: question.value for question_id, question in self.items()}

    def choose_again(self, given: object) -> None:
        """Choose again the answers in ``given`` (question id to option id) that still fit; skip the rest."""
        if isinstance(given, dict):
            for question_id, question in self.items():
                restore_value(question, given.get(question_id))


class SavedActivity(VBox):
    """An activity whose answers are kept in the answer book under its section's ``slug``.

    Without a ``slug`` nothing is loaded or saved (as in the tests' own activities).
    """

    _restoring = False

    def __init__(self, slug: str, children: Sequence[Widget], **kwargs: object) -> None:
        self.slug = slug  # the section whose answers these are, for the answer book
        super().__init__(children=children, **kwargs)
        self.add_class("rw-activity")
        if slug:
            self.restore(self._answer_book().load(slug))
        else:
            self._show_feedback()

    def _answer_book(self) -> AnswerBook:
        """The answer book kept in: the page's, unless an activity is given its own."""
        return answers.current()

    @property
    def saved(self) -> dict[str, object]:
        """The answers as plain data, as the answer book keeps them."""
        raise NotImplementedError

    def restore(self, saved: object) -> None:
        """Give back the answers in ``saved`` (as :attr:`saved` was) that still fit, saving nothing."""
        self._restoring = True
        try:
            self._give_back(saved)
        finally:
            self._restoring = False
        self._show_feedback()

    def _give_back(self, saved: object) -> None:
        raise NotImplementedError

    def _show_feedback(self) -> None:
        raise NotImplementedError

    def _answer_changed(self, _change: object = None) -> None:
        if self._restoring:
            return  # restore() shows the feedback once, when every answer is back
        self._show_feedback()
        if self.slug:
            self._answer_book().save(self.slug, self.saved)


class QuestionsActivity(SavedActivity):
    """An activity of numbered questions, saved as ``{"answers": {question id: option id}}``."""

    questions: NumberedQuestions

    @property
    def answers(self) -> dict[str, str | None]:
        """Question id to chosen option id (``None`` where skipped)."""
        return self.questions.chosen()

    @property
    def saved(self) -> dict[str, object]:
        """The answers as the answer book keeps them."""
        return {"answers": self.answers}

    def _give_back(self, saved: object) -> None:
        # Questions the content no longer has, and answers not among the choices, are left out.
        self.questions.choose_again(saved.get("answers") if isinstance(saved, dict) else None)

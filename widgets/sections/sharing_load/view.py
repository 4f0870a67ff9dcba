"""Sharing the load's widgets (section 8), wired to :mod:`widgets.sections.sharing_load.model`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ipywidgets import HTML
from traitlets import TraitError, validate

from widgets import answers
from widgets.content_files import load_activity_content
from widgets.controls import CheckList, restore_value
from widgets.rendering import Markup, render, screen
from widgets.sections.activity_view import SavedActivity, feedback_area
from widgets.sections.connection_map.model import ConnectionMapContent
from widgets.sections.sharing_load.model import (
    Coverage,
    GiverError,
    GiverOptions,
    SharingLoadContent,
    check_givers,
    coverage,
    feedback_blocks,
    giver_options,
    restorable_givers,
    to_saved,
)
from widgets.workbook_content import Content, CrisisContent

if TYPE_CHECKING:
    from widgets.contract import SectionRegistry

MAP_SLUG = "what-community-means"


class GiverList(CheckList):
    """A CheckList that also refuses "no one yet" ticked together with someone else."""

    def __init__(self, spec: SharingLoadContent, **kwargs: object) -> None:
        self._spec = spec
        super().__init__(**kwargs)

    @validate("value")
    def _known_options(self, proposal: dict[str, Any]) -> list[str]:
        chosen: list[str] = super()._known_options(proposal)
        try:
            check_givers(self._spec, chosen)
        except GiverError as refused:
            raise TraitError(str(refused)) from None
        return chosen


def feedback_html(spec: SharingLoadContent, crisis: CrisisContent, result: Coverage) -> Markup:
    """How the supports stand: the model's feedback blocks, drawn on the page.

    ``data-answered="0"`` before any tick; then ``data-grow-first``, the support to grow first ("" for none).
    """
    if not result.answered:
        data = {"answered": "0"}
    else:
        data = {"grow-first": result.grow_first.id if result.grow_first is not None else ""}
    return screen.feedback_html(feedback_blocks(spec, result), crisis, data)


class SharingLoadActivity(SavedActivity):
    """One list of who gives it per support, and feedback that follows every tick."""

    def __init__(
        self,
        spec: SharingLoadContent,
        crisis: CrisisContent,
        options: GiverOptions,
        slug: str = "",
        **kwargs: object,
    ) -> None:
        self._spec = spec
        self._crisis = crisis
        self.options = options
        self.questions = {
            support.id: GiverList(
                spec,
                question=f"{number}. {support.question}",
                hint=support.description,
                options=list(options.options),
            )
            for number, support in enumerate(spec.supports, start=1)
        }
        self.feedback = feedback_area()
        source_note = spec.from_map_note if options.source == "map" else spec.from_kinds_note
        intro = HTML(
            render(
                "sections/sharing_load/intro.html", spec=spec, source=options.source, source_note=source_note
            )
        )
        for question in self.questions.values():
            question.observe(self._answer_changed, names="value")
        super().__init__(slug, [intro, *self.questions.values(), self.feedback], **kwargs)

    @property
    def givers(self) -> dict[str, list[str]]:
        """Support id to the ticked option ids, for the supports with any tick."""
        return {support_id: list(q.value) for support_id, q in self.questions.items() if q.value}

    @property
    def saved(self) -> dict[str, object]:
        """The ticks, and the names they stand for, as the answer book keeps them."""
        return to_saved(self.options, self.givers)

    def _give_back(self, saved: object) -> None:
        # Only what still fits the choices offered, as restorable_givers says.
        givers = restorable_givers(self._spec, self.options, saved)
        for support_id, question in self.questions.items():
            restore_value(question, givers.get(support_id, []))

    def result(self) -> Coverage:
        """How the supports stand with the current ticks."""
        return coverage(self._spec, self.options, self.givers)

    def _show_feedback(self) -> None:
        self.feedback.value = feedback_html(self._spec, self._crisis, self.result())


def load_spec() -> SharingLoadContent:
    """Sharing the load's content file, validated."""
    return load_activity_content("sharing_load", SharingLoadContent)


def build(content: Content, sections: SectionRegistry | None = None) -> SharingLoadActivity:
    """Build section 8's activity, offering the connection map's entries when the answer book has them.

    The ticks kept in the answer book for this section are given back where they still fit the
    choices offered, so a page opened again looks as it was left. (``sections`` is not read here.)
    """
    spec = load_spec()
    map_spec = load_activity_content("connection_map", ConnectionMapContent)
    options = giver_options(spec, map_spec, answers.current().load(MAP_SLUG))
    slug = content.sections.by_number(8).slug
    return SharingLoadActivity(spec, content.crisis, options, slug=slug)

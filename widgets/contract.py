"""What a section's activity is, written down: the one description every section gives.

A section lives in ``widgets/sections/<activity>/``: ``model.py`` (its content, rules and scoring, and
what it gives the rest of the workbook; never imports a widget library) and ``view.py`` (its widgets).
Its package's ``__init__.py`` exports ``ACTIVITY``, one :class:`SectionActivity`. The page shell
gathers them into a :class:`SectionRegistry` (``widgets/registry.py``) and hands that to the room,
the take-home and the summary, none of which imports a section: adding a section means adding its
folder and one line in the registry.

What a view saves in the answer book comes back from the store as a mapping. Before any of the
functions below sees it, :meth:`SectionActivity.read` checks it against the section's
:class:`SavedAnswers` model: a row that does not fit (damaged, or written by a version that saved
something else) is skipped with one log line, never a crash.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, cast

from pydantic import BaseModel, ConfigDict, ValidationError

from widgets.blocks import Block

if TYPE_CHECKING:
    from widgets.room.figures import GroupFigure
    from widgets.workbook_content import Content

__all__ = [
    "ActivityView",
    "Saved",
    "SavedAnswers",
    "SectionActivity",
    "SectionModel",
    "SectionRegistry",
    "view_of",
]

log = logging.getLogger(__name__)

Saved = Mapping[str, Any]
"""What a section's view saved, as the answer book gives it back (checked by :meth:`SectionActivity.read`)."""


class SavedAnswers(BaseModel):
    """The shape of what a section's view saves. Each section's model declares its own.

    Keys a section does not declare are let through untouched (an older version may have saved
    more); a declared key of the wrong type makes the whole row unusable.
    """

    model_config = ConfigDict(extra="allow", frozen=True)


class ActivityView(Protocol):
    """A section's ``view`` module, as the page shell uses it."""

    def build(self, content: Content, sections: SectionRegistry | None = None) -> Any:
        """Make the activity's widgets (an ipywidgets widget: typed loosely, as ipywidgets is).

        ``sections`` is every section's activity, for a view that reads other sections' answers
        (section 9 sums up the earlier ones); the others do not need it.
        """
        ...


class SectionModel(Protocol):
    """What every section's ``model`` module offers (see :class:`SectionActivity` for each)."""

    def summary_lines(self, saved: Saved) -> Sequence[str]:
        """One or two plain lines."""
        ...

    def report_blocks(self, saved: Saved) -> Sequence[Block]:
        """The take-home's blocks."""
        ...

    def worksheet_blocks(self) -> Sequence[Block]:
        """The paper form's blocks."""
        ...


def view_of(package: str) -> Callable[[], ActivityView]:
    """A loader for the section package's own ``view`` module, imported on its first call.

    Only a page that shows the section calls it: no process that only reads answers loads widgets.
    """

    def load() -> ActivityView:
        return cast(ActivityView, importlib.import_module(f"{package}.view"))

    return load


@dataclass(frozen=True)
class SectionActivity:
    """One section's activity: everything the rest of the workbook may ask of it."""

    slug: str
    """The section's id in ``content/sections.yaml``; what its answers are kept under."""
    answers: type[SavedAnswers]
    """The shape of what its view saves (see :meth:`read`)."""
    view: Callable[[], ActivityView]
    """Imports the view module when a page first needs it (no other process loads widgets)."""
    summary_lines: Callable[[Saved], Sequence[str]]
    """One or two plain lines for the summary page and "What is kept"."""
    report_blocks: Callable[..., Sequence[Block]]
    """What the participant answered and got back, for the take-home web page and PDF. Called with
    the saved answers and, by keyword, what it :attr:`reads` of other sections."""
    worksheet_blocks: Callable[[], Sequence[Block]]
    """The activity as a paper form."""
    group_figures: Callable[[Sequence[Saved]], Sequence[GroupFigure]] | None = None
    """A room's anonymous figures from the answers people shared; ``None``: never shared in a room."""
    made_before_request: bool = False
    """Whether its widgets can be made while the page waits in a pool (they then get ``restore``)."""
    reads: Mapping[str, str] = field(default_factory=dict)
    """Other sections' answers its take-home reads: keyword of :attr:`report_blocks` -> section slug."""

    @classmethod
    def of(
        cls,
        model: SectionModel,
        slug: str,
        answers: type[SavedAnswers],
        view: Callable[[], ActivityView],
        group_figures: Callable[[Sequence[Saved]], Sequence[GroupFigure]] | None = None,
        made_before_request: bool = False,
        reads: Mapping[str, str] | None = None,
    ) -> SectionActivity:
        """The activity of a section whose ``model`` module has the usual functions."""
        return cls(
            slug=slug,
            answers=answers,
            view=view,
            summary_lines=model.summary_lines,
            report_blocks=model.report_blocks,
            worksheet_blocks=model.worksheet_blocks,
            group_figures=group_figures,
            made_before_request=made_before_request,
            reads=reads or {},
        )

    @property
    def shareable(self) -> bool:
        """Whether people may share this activity's answers with a room."""
        return self.group_figures is not None

    def read(self, stored: object) -> Saved | None:
        """``stored`` if it has this section's shape, else ``None`` (with one log line)."""
        if stored is None:
            return None
        if not isinstance(stored, Mapping):
            log.warning("skipped a stored %s row: not a mapping", self.slug)
            return None
        try:
            self.answers.model_validate(stored)
        except ValidationError as error:
            log.warning("skipped a stored %s row: %s", self.slug, _first_problem(error))
            return None
        return stored

    def build(self, content: Content, sections: SectionRegistry) -> Any:
        """The activity's widgets (imports the view on first use)."""
        return self.view().build(content, sections)


def _first_problem(error: ValidationError) -> str:
    problem = error.errors()[0]
    where = ".".join(str(part) for part in problem["loc"]) or "row"
    return f"{where}: {problem['msg']} ({error.error_count()} problem(s))"


@dataclass(frozen=True, eq=False)  # one registry is one list: compared (and cached) by identity
class SectionRegistry:
    """Every section's activity, in section order, as the page shell assembled them."""

    activities: tuple[SectionActivity, ...]

    def __post_init__(self) -> None:
        slugs = [activity.slug for activity in self.activities]
        if len(set(slugs)) != len(slugs):
            raise ValueError(f"a section is registered twice: {slugs}")

    def __iter__(self) -> Iterator[SectionActivity]:
        return iter(self.activities)

    def __getitem__(self, slug: str) -> SectionActivity:
        for activity in self.activities:
            if activity.slug == slug:
                return activity
        raise KeyError(slug)

    def __contains__(self, slug: object) -> bool:
        return any(activity.slug == slug for activity in self.activities)

    @property
    def shareable(self) -> tuple[str, ...]:
        """The slugs of the activities people may share with a room, in section order."""
        return tuple(activity.slug for activity in self.activities if activity.shareable)

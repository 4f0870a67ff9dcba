"""Load and validate the workbook's content files (``widgets/content/*.yaml``).

Each file has a pydantic model as its schema. A file that does not match its
schema raises :class:`ContentError` naming the file, the field and the problem,
so a facilitator who edits wording finds a mistake at once, not mid-session.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, TypeVar

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

CONTENT_DIR = Path(__file__).parent / "content"
SECTION_COUNT = 9

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
NotebookName = Annotated[str, StringConstraints(pattern=r"^[0-9]{2}-[a-z0-9-]+\.ipynb$")]


class ContentError(ValueError):
    """A content file is missing, unreadable or does not match its schema."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# Activity modules define their content schemas on this base.
ContentModel = _Strict
M = TypeVar("M", bound=_Strict)


def check_placeholders(template: str, allowed: set[str]) -> str:
    """Reject ``{names}`` in a text template other than the allowed ones."""
    used = {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}
    unknown = used - allowed
    if unknown:
        raise ValueError(
            f"unknown placeholder(s) {sorted(unknown)}; allowed here: {sorted(allowed) or 'none'}"
        )
    return template


# --- crisis.yaml --------------------------------------------------------------


class CrisisLine(_Strict):
    region: Text
    name: Text
    how: Text
    short: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class CrisisContent(_Strict):
    heading: Text
    intro: Text
    compact_lead: Text
    lines: list[CrisisLine] = Field(min_length=1)
    emergency: Text


# --- workbook.yaml ------------------------------------------------------------


class WelcomeText(_Strict):
    what_it_is: Text
    how_long: Text
    choice: Text


class PrivacyText(_Strict):
    heading: Text
    points: list[Text] = Field(min_length=1)

    @field_validator("points")
    @classmethod
    def _retention_placeholder(cls, points: list[str]) -> list[str]:
        for point in points:
            check_placeholders(point, {"retention_days"})
        return points


class SummaryText(_Strict):
    intro: Text
    nothing_kept: Text
    section_empty: Text
    link_label: Text


class ParticipantText(_Strict):
    code_label: Text
    code_hint: Text
    demo_label: Text
    saved: Text
    unsaved: Text
    link_code_refused: Text


class ProgressText(_Strict):
    started: Text
    not_started: Text


class ResumeText(_Strict):
    heading: Text
    intro: Text
    label: Text
    hint: Text
    open_label: Text
    found: Text
    not_found: Text
    new_label: Text
    new_done: Text


class KeptText(_Strict):
    heading: Text
    show_label: Text
    nothing: Text
    dates: Text
    sections_heading: Text
    note_line: Text
    delete_label: Text
    demo_delete_label: Text
    confirm: Text
    confirm_label: Text
    cancel_label: Text
    deleted: Text

    @field_validator("dates")
    @classmethod
    def _dates_placeholders(cls, text: str) -> str:
        return check_placeholders(text, {"created", "last"})

    @field_validator("note_line")
    @classmethod
    def _note_placeholder(cls, text: str) -> str:
        return check_placeholders(text, {"text"})


class TakeHomeText(_Strict):
    heading: Text
    intro: Text
    nothing_yet: Text
    offer: Text
    pdf_label: Text
    html_label: Text


class WorksheetsText(_Strict):
    heading: Text
    intro: Text
    activity_lead: Text
    note_lead: Text
    contents_heading: Text
    offer: Text
    a4_label: Text
    letter_label: Text


class BusyText(_Strict):
    """The page shown while every kernel is in use: it waits, then opens the page by itself."""

    title: Text
    message: Text
    retrying: Text  # "{seconds}" is replaced by the wait before the next try
    retry_now: Text

    @field_validator("retrying")
    @classmethod
    def _names_the_wait(cls, value: str) -> str:
        if "{seconds}" not in value:
            raise ValueError('must contain "{seconds}", where the wait before the next try goes')
        return value


class WorkbookContent(_Strict):
    title: Text
    series: Text
    framing: Text
    welcome: WelcomeText
    privacy: PrivacyText
    toc_heading: Text
    toc_unavailable: Text
    start_label: Text
    note_label: Text
    note_max_length: int = Field(ge=1, le=10_000)
    summary: SummaryText
    participant: ParticipantText
    progress: ProgressText
    resume: ResumeText
    kept: KeptText
    take_home: TakeHomeText
    worksheets: WorksheetsText
    busy: BusyText


# --- sections.yaml ------------------------------------------------------------


class Section(_Strict):
    number: int = Field(ge=1, le=SECTION_COUNT)
    slug: Identifier
    title: Text
    activity: Text
    note_prompt: Text
    content_note: Text | None = None
    notebook: NotebookName | None = None


class SectionsContent(_Strict):
    welcome_notebook: NotebookName
    summary_notebook: NotebookName
    facilitator_notebook: NotebookName
    guide_notebook: NotebookName
    sections: list[Section] = Field(min_length=SECTION_COUNT, max_length=SECTION_COUNT)

    @model_validator(mode="after")
    def _numbered_in_order(self) -> SectionsContent:
        numbers = [section.number for section in self.sections]
        if numbers != list(range(1, SECTION_COUNT + 1)):
            raise ValueError(f"sections must be numbered 1 to {SECTION_COUNT} in order, got {numbers}")
        slugs = [section.slug for section in self.sections]
        if len(set(slugs)) != len(slugs):
            raise ValueError("every section needs its own slug")
        return self

    def by_number(self, number: int) -> Section:
        """Return section ``number`` (1-based)."""
        if not 1 <= number <= SECTION_COUNT:
            raise KeyError(f"there is no section {number}")
        return self.sections[number - 1]

    def by_slug(self, slug: str) -> Section:
        """Return the section called ``slug``."""
        for section in self.sections:
            if section.slug == slug:
                return section
        raise KeyError(f"there is no section {slug!r}")


# --- checkin.yaml -------------------------------------------------------------

# Here, not at the top: widgets/group.py builds GroupWords on ContentModel, defined above.
from .group import GroupWords  # noqa: E402


class AnswerOption(_Strict):
    id: Identifier
    label: Text
    score: int = Field(ge=0, le=10)


class Item(_Strict):
    id: Identifier
    text: Text


class Band(_Strict):
    id: Identifier
    up_to_average: float = Field(gt=0)
    title: Text
    meaning: Text
    article_words: Text
    suggestion: Text
    invite_support: bool


class CheckinGroupWords(_Strict):
    """The words of the check-in's group figures (see :func:`widgets.checkin.group_figures`)."""

    bands: GroupWords
    often: GroupWords
    """``{option}`` in its title is the label of the answer that scores highest ("Often")."""
    average: GroupWords
    """``{highest}`` in its unit is the highest answer score."""

    @model_validator(mode="after")
    def _placeholders(self) -> CheckinGroupWords:
        check_placeholders(self.often.title, {"option"})
        check_placeholders(self.average.unit, {"highest"})
        return self


class CheckinReportWords(_Strict):
    """The take-home workbook's words for the check-in (see :func:`widgets.checkin.report_blocks`)."""

    answers_caption: Text
    question_header: Text
    answer_header: Text
    support_invitation: Text
    """In documents, instead of ``support_invitation``: there the crisis lines are not right below."""


class CheckinWorksheetWords(_Strict):
    """The paper worksheet's words (see :func:`widgets.checkin.worksheet_blocks`).

    ``reading`` may use ``{scores}`` (each answer with its number) and
    ``{needed}`` (answers a reflection needs); ``first_band_line`` ``{high}``
    and ``{title}``; ``band_line`` ``{low}``, ``{high}`` and ``{title}``.
    """

    instructions: Text
    reading_heading: Text
    reading: Text
    first_band_line: Text
    band_line: Text
    notice_label: Text

    @model_validator(mode="after")
    def _placeholders(self) -> CheckinWorksheetWords:
        check_placeholders(self.instructions, set())
        check_placeholders(self.reading, {"scores", "needed"})
        check_placeholders(self.first_band_line, {"high", "title"})
        check_placeholders(self.band_line, {"low", "high", "title"})
        return self


class CheckinContent(_Strict):
    heading: Text
    intro: Text
    source_note: Text
    options: list[AnswerOption] = Field(min_length=2)
    items: list[Item] = Field(min_length=1, max_length=20)
    min_answered_for_reflection: int = Field(ge=1)
    not_enough_answers: Text
    answered_line: Text
    score_line: Text
    bands: list[Band] = Field(min_length=1)
    support_invitation: Text
    restart_label: Text
    suggestion_lead: Text
    article_source: Text
    group: CheckinGroupWords
    report: CheckinReportWords
    worksheet: CheckinWorksheetWords

    @field_validator("not_enough_answers")
    @classmethod
    def _needed_placeholder(cls, text: str) -> str:
        return check_placeholders(text, {"needed"})

    @field_validator("answered_line")
    @classmethod
    def _answered_placeholders(cls, text: str) -> str:
        return check_placeholders(text, {"answered", "total"})

    @field_validator("score_line")
    @classmethod
    def _score_placeholders(cls, text: str) -> str:
        return check_placeholders(text, {"score", "lowest", "highest"})

    @model_validator(mode="after")
    def _consistent(self) -> CheckinContent:
        for kind, ids in (
            ("option", [option.id for option in self.options]),
            ("item", [item.id for item in self.items]),
            ("band", [band.id for band in self.bands]),
        ):
            if len(set(ids)) != len(ids):
                raise ValueError(f"every {kind} needs its own id, got {ids}")
        if self.min_answered_for_reflection > len(self.items):
            raise ValueError(
                f"min_answered_for_reflection ({self.min_answered_for_reflection}) is more than "
                f"the number of items ({len(self.items)})"
            )
        limits = [band.up_to_average for band in self.bands]
        if limits != sorted(set(limits)):
            raise ValueError(f"bands must be in rising order of up_to_average, got {limits}")
        top = max(option.score for option in self.options)
        if limits[-1] != top:
            raise ValueError(f"the last band must reach the highest answer score ({top}), got {limits[-1]}")
        return self


# --- loading ------------------------------------------------------------------


_SCHEMAS: dict[str, type[_Strict]] = {
    "crisis": CrisisContent,
    "workbook": WorkbookContent,
    "sections": SectionsContent,
    "checkin": CheckinContent,
}


@dataclass(frozen=True)
class Content:
    """Every content file of the workbook, validated."""

    crisis: CrisisContent
    workbook: WorkbookContent
    sections: SectionsContent
    checkin: CheckinContent


def _describe(error: ValidationError) -> str:
    problems = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"]) or "(whole file)"
        problems.append(f"{where}: {problem['msg']}")
    return "; ".join(problems)


def _load_file(path: Path, schema: type[_Strict]) -> _Strict:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{path}: the content file is missing") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ContentError(f"{path}: could not be read: {error}") from None
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: (whole file): expected a mapping of fields, got {type(raw).__name__}")
    try:
        return schema.model_validate(raw)
    except ValidationError as error:
        raise ContentError(f"{path}: {_describe(error)}") from None


def _load(directory: Path) -> Content:
    loaded = {name: _load_file(directory / f"{name}.yaml", schema) for name, schema in _SCHEMAS.items()}
    return Content(**loaded)


# Cached per file version (its modification time), so a server whose warm parent loaded the content at
# its start still gives new pages the words a facilitator has just edited.
def _version(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


def _folder_version(directory: Path) -> tuple[int, ...]:
    return tuple(_version(directory / f"{name}.yaml") for name in _SCHEMAS)


@lru_cache(maxsize=4)
def _load_cached(directory: Path, _stamp: tuple[int, ...]) -> Content:
    return _load(directory)


@lru_cache(maxsize=64)
def _load_activity_cached(path: Path, schema: type[_Strict], _stamp: int) -> _Strict:
    return _load_file(path, schema)


def load_activity_content(name: str, schema: type[M], directory: str | Path | None = None) -> M:
    """Load and validate one activity's content file, ``content/NAME.yaml``.

    Parameters
    ----------
    name
        The file's name without ``.yaml``.
    schema
        The pydantic model (a :class:`ContentModel`) the file must match.
    directory
        Folder holding the content files; the package's own by default.

    Raises
    ------
    ContentError
        As for :func:`load_content`.
    """
    path = Path(directory or CONTENT_DIR).resolve() / f"{name}.yaml"
    return _load_activity_cached(path, schema, _version(path))


def load_content(directory: str | Path | None = None) -> Content:
    """Load and validate every content file.

    Parameters
    ----------
    directory
        Folder holding the ``*.yaml`` content files; the package's own
        ``content`` folder by default.

    Returns
    -------
    Content
        The validated content. Results are cached per folder.

    Raises
    ------
    ContentError
        If a file is missing, is not valid YAML, or does not match its schema.
        The message names the file, the field and what is wrong.
    """
    folder = Path(directory or CONTENT_DIR).resolve()
    return _load_cached(folder, _folder_version(folder))

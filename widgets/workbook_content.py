"""The content any page may read: crisis lines, the workbook's words, the section list, the check-in.

:func:`load_content` loads and checks these files (``widgets/content/LANG/*.yaml``) together; each other
activity's file is loaded by its own model module. How one file is read and checked is in
:mod:`widgets.content_files`. The check-in is here too because sections 1 and 9, the summary and the
take-home workbook all use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator, model_validator

from widgets.content_files import (
    DEFAULT_LOCALE,
    ContentModel,
    Identifier,
    NotebookName,
    Placeholders,
    PlainText,
    Text,
    file_version,
    load_file,
    locales,
    page_content_dir,
)

SECTION_COUNT = 9

# --- crisis.yaml --------------------------------------------------------------


class CrisisLine(ContentModel):
    """One crisis line: where it serves, its name, how to reach it, and a short form for small spaces."""

    region: Text
    name: Text
    how: Text
    short: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class CrisisContent(ContentModel):
    """``crisis.yaml``: the crisis resources every page shows."""

    heading: Text
    intro: Text
    compact_lead: Text
    landmark_label: PlainText  # names the compact line for screen readers' list of landmarks
    lines: list[CrisisLine] = Field(min_length=1)
    emergency: Text


# --- workbook.yaml ------------------------------------------------------------


class WelcomeText(ContentModel):
    """The welcome page's opening: what the workbook is, how long it takes, that every part is a choice."""

    what_it_is: Text
    how_long: Text
    choice: Text


class PrivacyText(ContentModel):
    """What is kept, in plain points (``{retention_days}`` and ``{backup_days}`` may appear in them)."""

    heading: Text
    points: list[Annotated[Text, Placeholders("retention_days", "backup_days")]] = Field(min_length=1)


class SummaryText(ContentModel):
    """The summary page's words."""

    intro: Text
    nothing_kept: Text
    section_empty: Text
    link_label: Text


class ParticipantText(ContentModel):
    """The code bar's words: the participant code, its hint, saved or not."""

    code_label: Text
    code_hint: Text
    demo_label: Text
    saved: Text
    unsaved: Text
    remember_label: Text
    remember_note: Text
    forget_label: Text
    forgotten: Text
    from_link: Annotated[Text, Placeholders("ending")]  # the last four characters of the link's code
    back_label: Annotated[Text, Placeholders("ending")]  # the workbook the browser had before


class LinkQuestionText(ContentModel):
    """The page a link with a workbook code opens: it asks whether that workbook is the person's own."""

    title: Text
    opens: Annotated[Text, Placeholders("ending")]  # the last four characters of the link's code
    why: Text
    own_kept: Annotated[Text, Placeholders("ending")]  # the workbook this browser has already
    open_label: Text
    keep_label: Text
    no_workbook_label: Text
    broken: Text
    go_on_label: Text


class ProgressText(ContentModel):
    """How the contents list marks a section started or not."""

    started: Text
    not_started: Text


class ResumeText(ContentModel):
    """Coming back with a code, or starting anew, on the welcome page."""

    heading: Text
    intro: Text
    label: Text
    hint: Text
    open_label: Text
    found: Text
    not_found: Text
    new_label: Text
    new_done: Text


class KeptText(ContentModel):
    """Seeing and deleting everything kept for a code."""

    heading: Text
    show_label: Text
    nothing: Text
    dates: Annotated[Text, Placeholders("created", "last")]
    sections_heading: Text
    note_line: Annotated[Text, Placeholders("text")]
    delete_label: Text
    demo_delete_label: Text
    confirm: Text
    confirm_label: Text
    cancel_label: Text
    deleted: Text


class TakeHomeText(ContentModel):
    """The take-home panel: download my workbook as PDF or web page."""

    heading: Text
    intro: Text
    nothing_yet: Text
    offer: Text
    pdf_label: Text
    html_label: Text


class WorksheetsText(ContentModel):
    """The printable worksheets and booklet, and their offer on the welcome page."""

    heading: Text
    intro: Text
    activity_lead: Text
    note_lead: Text
    contents_heading: Text
    offer: Text
    a4_label: Text
    letter_label: Text


class BusyText(ContentModel):
    """The page shown while every kernel is in use: it waits, then opens the page by itself."""

    title: Text
    message: Text
    retrying: Annotated[Text, Placeholders("seconds")]  # "{seconds}": the wait before the next try
    retry_now: Text

    @field_validator("retrying")
    @classmethod
    def _names_the_wait(cls, value: str) -> str:
        if "{seconds}" not in value:
            raise ValueError('must contain "{seconds}", where the wait before the next try goes')
        return value


class FacilitatorOnlyText(ContentModel):
    """The facilitator page opened without the facilitator link: who it is for, and where to go."""

    title: Text
    message: Text
    welcome_link: Text


class PageText(ContentModel):
    """The words of the page itself, around the content: skip links, navigation, section labels."""

    leave_quickly: PlainText
    leave_quickly_hint: PlainText  # the Leave quickly button's tooltip, which names the Escape keys
    skip_to_content: PlainText
    loading: PlainText  # the line shown until the page's activities have come
    reconnecting: PlainText  # the line shown while the page has lost its server, until it comes back
    # After a page came back by itself: what was typed just before the connection dropped is not there.
    typing_not_put_back: PlainText
    open_workbook: PlainText  # the folder listing's link to the welcome page
    content_note: PlainText  # the label before a section's content note
    show_table: PlainText  # the summary that opens a bar chart's table ("Show as a table")
    skip_to_section: Annotated[Text, Placeholders("number")]
    section_position: Annotated[Text, Placeholders("number", "count")]
    section_label: Annotated[Text, Placeholders("number", "title")]
    activity_line: Annotated[Text, Placeholders("activity")]
    back_label: PlainText
    next_label: PlainText
    welcome_page: PlainText
    all_sections: PlainText
    sections_nav: PlainText  # the section navigation landmark's name
    facilitator_link: PlainText
    language_name: PlainText  # this language's own name, as its speakers write it ("Español")
    languages_nav: PlainText  # the language switch's landmark name
    # Above a section's article in a translation (never in the language the article was written in):
    # that the text is the workbook's translation, and a link to the original.
    translation_note: PlainText
    original_link: PlainText


class ControlText(ContentModel):
    """The words the form controls show of their own (`widgets.controls.ControlWords`)."""

    clear_answer: PlainText
    characters: Annotated[Text, Placeholders("count", "limit")]
    number_range: Annotated[Text, Placeholders("minimum", "maximum")]
    not_a_choice: PlainText
    not_a_choice_here: PlainText
    too_many: Annotated[Text, Placeholders("count")]
    out_of_range: Annotated[Text, Placeholders("minimum", "maximum")]
    too_long: Annotated[Text, Placeholders("limit")]
    one_line: PlainText


class DeviceText(ContentModel):
    """The server-free edition's own words (``./workbook static``): answers kept in this browser only."""

    rooms_absent: Text
    served_link: Text  # the link to a served workbook, where the practice set one at build time
    kept_heading: Text
    kept_points: list[Text] = Field(min_length=1)
    remember_label: Text
    remember_on: Text
    remember_off: Text
    delete_label: Text
    delete_confirm: Text
    delete_yes: Text
    delete_no: Text
    deleted: Text
    save_label: Text
    save_note: Text
    open_label: Text
    opened: Text
    open_failed: Text
    starting: Text
    cannot_start: Text
    not_kept: Text


class WorkbookContent(ContentModel):
    """``workbook.yaml``: the words shared by every page."""

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
    link_question: LinkQuestionText
    progress: ProgressText
    resume: ResumeText
    kept: KeptText
    take_home: TakeHomeText
    worksheets: WorksheetsText
    busy: BusyText
    facilitator_only: FacilitatorOnlyText
    page: PageText
    controls: ControlText
    device: DeviceText


# --- sections.yaml ------------------------------------------------------------


class Section(ContentModel):
    """One of the nine sections: its number, slug, title, activity, note question and notebook."""

    number: int = Field(ge=1, le=SECTION_COUNT)
    slug: Identifier
    title: Text
    activity: Text
    note_prompt: Text
    content_note: Text | None = None
    notebook: NotebookName | None = None


class SectionsContent(ContentModel):
    """``sections.yaml``: the pages and the nine sections in order."""

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


# --- loading ------------------------------------------------------------------


_SCHEMAS: dict[str, type[ContentModel]] = {
    "crisis": CrisisContent,
    "workbook": WorkbookContent,
    "sections": SectionsContent,
}


@dataclass(frozen=True)
class Content:
    """Every content file of the workbook, validated, and the language they are written in."""

    crisis: CrisisContent
    workbook: WorkbookContent
    sections: SectionsContent
    locale: str
    """A language tag, as ``<html lang>`` takes it: the folder's name."""


def _locale_of(directory: Path) -> str:
    # A copy of the content elsewhere (as tests make, in a temporary folder) is taken as English.
    return directory.name if directory.name in locales() else DEFAULT_LOCALE


def _load(directory: Path) -> Content:
    return Content(
        locale=_locale_of(directory),
        crisis=load_file(directory / "crisis.yaml", CrisisContent),
        workbook=load_file(directory / "workbook.yaml", WorkbookContent),
        sections=load_file(directory / "sections.yaml", SectionsContent),
    )


# Cached per version of every file, so edited words reach new pages (see file_version).
def _folder_version(directory: Path) -> tuple[int, ...]:
    return tuple(file_version(directory / f"{name}.yaml") for name in _SCHEMAS)


@lru_cache(maxsize=4)
def _load_cached(directory: Path, _stamp: tuple[int, ...]) -> Content:
    return _load(directory)


def load_content(directory: str | Path | None = None) -> Content:
    """Load and check every content file in ``directory`` (the page's language's by default), cached.

    Raises :class:`ContentError` naming the file, the field and what is wrong if a file is missing,
    is not valid YAML, or does not match its schema.
    """
    folder = Path(directory or page_content_dir()).resolve()
    return _load_cached(folder, _folder_version(folder))

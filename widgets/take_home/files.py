"""Making the take-home files: a participant's workbook (PDF, HTML) and the worksheet booklets.

``python -m widgets.worksheets`` (``./workbook worksheets``) writes the printable
worksheets to a folder; pages offer the same files as downloads made in the
kernel and saved by the browser.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from widgets.answers import AnswerBook
from widgets.content_files import content_dir, page_locale
from widgets.contract import SectionRegistry
from widgets.take_home._pdf import PAPERS, render_pdf
from widgets.take_home.export import render_html, workbook_document, workbook_file_name, worksheet_document
from widgets.workbook_content import Content, load_content

__all__ = ["PAPERS", "booklet_pdf", "workbook_html", "workbook_pdf", "worksheet_files"]


def workbook_pdf(
    content: Content, book: AnswerBook, sections: SectionRegistry, made_on: date | None = None
) -> tuple[str, bytes]:
    """The participant's workbook as a PDF: its file name (with the date) and bytes."""
    doc = workbook_document(content, book, sections, made_on)
    return workbook_file_name(doc.made_on, "pdf"), render_pdf(doc, "a4")


def workbook_html(
    content: Content, book: AnswerBook, sections: SectionRegistry, made_on: date | None = None
) -> tuple[str, bytes]:
    """The participant's workbook as one standalone web page: its file name and bytes."""
    doc = workbook_document(content, book, sections, made_on)
    return workbook_file_name(doc.made_on, "html"), render_html(doc).encode("utf-8")


@lru_cache(maxsize=4)
def _booklet(paper: str, sections: SectionRegistry, locale: str) -> bytes:
    # The booklet depends only on the content, so one kernel makes each paper size once per language.
    return render_pdf(worksheet_document(load_content(content_dir(locale)), sections), paper, booklet=True)


def booklet_pdf(paper: str, sections: SectionRegistry) -> tuple[str, bytes]:
    """The worksheet booklet (cover, contents, crisis resources, nine sections) on ``paper``.

    In the page's language (:func:`widgets.content_files.page_locale`).
    """
    return f"reconnection-worksheets-booklet-{paper}.pdf", _booklet(paper, sections, page_locale())


def worksheet_files(content: Content, paper: str, sections: SectionRegistry) -> dict[str, bytes]:
    """Every section's worksheet on its own, and the booklet, by file name."""
    files = {
        f"worksheet-{section.number:02d}-{section.slug}-{paper}.pdf": render_pdf(
            worksheet_document(content, sections, [section.number]), paper
        )
        for section in content.sections.sections
    }
    files[f"reconnection-worksheets-booklet-{paper}.pdf"] = render_pdf(
        worksheet_document(content, sections), paper, booklet=True
    )
    return files

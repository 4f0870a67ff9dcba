"""Download buttons for the take-home files: my workbook (PDF, web page) and the worksheet booklet."""

from __future__ import annotations

from typing import Protocol

from ipywidgets import HTML, HBox, Layout, VBox

from widgets.answers import AnswerBook
from widgets.contract import SectionRegistry
from widgets.controls import Download, DownloadButton
from widgets.rendering.fragments import heading, paragraph
from widgets.workbook_content import Content

# The PDF library (fpdf2, with fontTools and Pillow) is imported on the first click, not
# when a page opens: most pages never make a file, and each page is its own kernel.


class PageBook(Protocol):
    """What the take-home asks of a page: the answer book of whoever's page it is now.

    A property, not a value: the welcome page can switch to another workbook after it is made.
    """

    @property
    def book(self) -> AnswerBook:
        """The page's answer book."""
        ...


class TakeHome(VBox):
    """Download my workbook as a PDF or a web page, made from the answers kept when it is clicked.

    On a section page it shows once something is kept (``always=False``); on
    the summary page it always shows.
    """

    def __init__(
        self,
        content: Content,
        session: PageBook,
        sections: SectionRegistry,
        always: bool = False,
        follow: bool = True,
        **kwargs: object,
    ) -> None:
        """``follow=False``: made before the page knows whose it is; :meth:`follow_book` once it does."""
        self._content, self._session, self._sections, self._always = content, session, sections, always
        words = content.workbook.take_home
        self.pdf_button = DownloadButton(self._pdf, label=words.pdf_label)
        self.html_button = DownloadButton(self._html, label=words.html_label)
        super().__init__(
            children=[
                HTML(paragraph(words.offer, "rw-take-home")),
                HBox([self.pdf_button, self.html_button], layout=Layout(flex_flow="row wrap")),
            ],
            **kwargs,
        )
        self.add_class("rw-take-home-box")
        if follow:
            self.follow_book()

    def follow_book(self) -> None:
        """Show or hide as the page's answer book keeps answers, from now on."""
        self._session.book.on_status(lambda _status: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        """Show or hide, by whether the page's participant has anything kept."""
        kept = bool(self._session.book.kept_keys())
        self.layout.display = "flex" if self._always or kept else "none"

    def _pdf(self) -> Download:
        from widgets.take_home.files import workbook_pdf

        name, data = workbook_pdf(self._content, self._session.book, self._sections)
        return name, "application/pdf", data

    def _html(self) -> Download:
        from widgets.take_home.files import workbook_html

        name, data = workbook_html(self._content, self._session.book, self._sections)
        return name, "text/html", data


class BookletOffer(VBox):
    """The printable worksheet booklet, A4 or US Letter, offered on the welcome page."""

    def __init__(self, content: Content, sections: SectionRegistry, **kwargs: object) -> None:
        words = content.workbook.worksheets
        self.a4_button = DownloadButton(lambda: _booklet("a4", sections), label=words.a4_label)
        self.letter_button = DownloadButton(lambda: _booklet("letter", sections), label=words.letter_label)
        super().__init__(
            children=[
                HTML(heading(words.heading) + paragraph(words.offer)),
                HBox([self.a4_button, self.letter_button], layout=Layout(flex_flow="row wrap")),
            ],
            **kwargs,
        )
        self.add_class("rw-booklet")


def _booklet(paper: str, sections: SectionRegistry) -> Download:
    from widgets.take_home.files import booklet_pdf

    name, data = booklet_pdf(paper, sections)
    return name, "application/pdf", data

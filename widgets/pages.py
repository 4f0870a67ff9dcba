"""What each notebook shows. A notebook calls one of these and nothing else."""

from __future__ import annotations

import importlib

from IPython.display import HTML, display

from . import _html, answers
from ._content import load_content
from .summary import summarise
from .text_box import TextBox

__all__ = ["show_section_activity", "show_section_header", "show_summary", "show_welcome"]

# Each section's activity: the module whose ``build(content)`` makes its widget.
# Imported only by the page that shows it, so a page loads no other section's code.
ACTIVITY_MODULES = {
    "hidden-weight": "widgets.checkin_view",
    "handling-it-alone": "widgets.beliefs_view",
    "protective-withdrawal": "widgets.withdrawal_view",
    "what-community-means": "widgets.connection_map_view",
    "isolation-replaces-connection": "widgets.crowding_view",
    "safe-relationships": "widgets.safety_check_view",
    "small-steps": "widgets.small_steps_view",
    "long-term-resilience": "widgets.sharing_load_view",
    "looking-ahead": "widgets.where_now_view",
}


def show_welcome() -> None:
    """Show the welcome page: framing, contents, what is kept, crisis resources."""
    display(HTML(_html.welcome_page(load_content())))


def show_section_header(number: int) -> None:
    """Show "section N of 9", the framing line, the compact crisis resources and any content note."""
    content = load_content()
    display(HTML(_html.section_header(content, content.sections.by_number(number))))


def show_section_activity(number: int) -> None:
    """Show section ``number``'s activity, its private note, then the links to other pages."""
    content = load_content()
    section = content.sections.by_number(number)
    build = importlib.import_module(ACTIVITY_MODULES[section.slug]).build
    display(build(content))
    workbook = content.workbook
    display(
        TextBox(
            label=f"{workbook.note_label}: {section.note_prompt}",
            max_length=workbook.note_max_length,
            multiline=True,
        )
    )
    display(HTML(_html.section_nav(content, section)))


def show_summary() -> None:
    """Show the summary page: every section with what its kept answers say."""
    content = load_content()
    display(HTML(_html.summary_page(content, summarise(content, answers.current()))))

"""What each notebook shows. A notebook calls one of these and nothing else."""

from __future__ import annotations

from IPython.display import HTML, display

from . import _html
from ._content import load_content
from .checkin_view import CheckinActivity

__all__ = ["show_section_activity", "show_section_header", "show_welcome"]


def show_welcome() -> None:
    """Show the welcome page: framing, contents, what is kept, crisis resources."""
    display(HTML(_html.welcome_page(load_content())))


def show_section_header(number: int) -> None:
    """Show "section N of 9", the framing line and the compact crisis resources."""
    content = load_content()
    display(HTML(_html.section_header(content, content.sections.by_number(number))))


def show_section_activity(number: int) -> None:
    """Show section ``number``'s activity, then the links to the other sections."""
    content = load_content()
    section = content.sections.by_number(number)
    if section.number != 1:
        raise LookupError(f"section {number} has no activity in this version")
    activity = CheckinActivity(content.checkin, content.crisis)
    display(activity)
    display(HTML(_html.section_nav(content, section)))

"""What each notebook shows. A notebook calls one of these and nothing else."""

from __future__ import annotations

import os

from IPython.display import HTML, display

from widgets.answers import note_key
from widgets.content_files import DEFAULT_LOCALE, use_locale
from widgets.controls import ControlWords, TextBox, open_widget_channel, use_control_words
from widgets.page_session import PageSession, page_session, page_shell
from widgets.registry import SECTIONS
from widgets.rendering import parts
from widgets.room.participant_view import SharePanel
from widgets.summary import summarise
from widgets.take_home.view import TakeHome
from widgets.workbook_content import Content, load_content

__all__ = [
    "show_facilitator",
    "show_guide_header",
    "show_section_activity",
    "show_section_header",
    "show_summary",
    "show_welcome",
]


def _open_page(language: str) -> None:
    """Start a page in ``language`` (each notebook says its own): every word it loads is in it."""
    use_locale(language)
    use_control_words(ControlWords(**load_content().workbook.controls.model_dump(), locale=language))
    open_widget_channel()


def show_welcome(language: str = DEFAULT_LOCALE) -> None:
    """Show the welcome page: framing, start or come back, contents, what is kept, crisis resources."""
    _open_page(language)
    content = load_content()
    if not page_shell(content).serves_rooms:
        _show_device_welcome(content)
        return
    from widgets.welcome_view import WelcomePage  # only the welcome page needs its widgets

    # Made for the page's shell, so a preheated page makes all that is the same for everyone before its
    # request; then the participant's own part, once the request says whose page it is.
    page = WelcomePage(content, page_shell(content))
    page_session(content)
    page.show_participant_part()
    display(page)


def show_section_header(number: int, language: str = DEFAULT_LOCALE) -> None:
    """Show the code bar, "section N of 9", the framing line, the crisis resources and any content note."""
    _open_page(language)
    content = load_content()
    section = content.sections.by_number(number)
    # The header does not depend on who asks (no link names the participant), so a preheated page
    # makes it, and renders the article below it, before its request.
    session = page_shell(content)
    session.show_section(section)
    _show_bar(session)
    display(HTML(parts.section_header(content, section)))


def _show_bar(session: PageSession) -> None:
    """The code bar and its heartbeat, on a page with a server behind it.

    The server-free edition has no code (its answers stay in the browser), and says what it keeps on its
    welcome page.
    """
    if session.serves_rooms:
        display(session.bar)
        display(session.heartbeat)


def _show_device_welcome(content: Content) -> None:
    """The server-free edition's welcome: the same opening and contents, no code, no rooms."""
    session = page_shell(content)
    started = frozenset(key for key in session.book.kept_keys() if key in SECTIONS)
    served_url = os.environ.get("RECONNECTION_SERVED_URL", "")  # set by widgets.static_site.device
    display(HTML(parts.device_welcome(content, started, served_url)))
    display(TakeHome(content, session, SECTIONS))


def show_section_activity(number: int, language: str = DEFAULT_LOCALE) -> None:
    """Show section ``number``'s activity, its private note, then the links to other pages."""
    _open_page(language)
    content = load_content()
    section = content.sections.by_number(number)
    activity = SECTIONS[section.slug]
    if activity.made_before_request and not page_shell(content).is_open:
        # Its widgets, its note box and its take-home offer do not depend on who asks: a preheated page
        # makes them before the request, then puts in the participant's answers.
        widget = activity.build(content, SECTIONS)
        note = _note_box(content, section.note_prompt)
        take_home = TakeHome(content, page_shell(content), SECTIONS, follow=False)
        session = page_session(content)
        widget.restore(activity.read(session.book.load(section.slug)))
    else:
        # Made in the page's order, after the activity that needs its participant to be made.
        session = page_session(content)
        widget = activity.build(content, SECTIONS)
        if activity.made_before_request:
            # A page whose session was open before it (the server-free edition's): its answers, put in.
            widget.restore(activity.read(session.book.load(section.slug)))
        note = _note_box(content, section.note_prompt)
        take_home = TakeHome(content, session, SECTIONS, follow=False)
    _keep_note(content, section.slug, note)
    take_home.follow_book()
    display(widget)
    if session.serves_rooms:
        display(SharePanel(session, section))
    display(note)
    display(HTML(parts.section_nav(content, section)))
    display(take_home)


def _note_box(content: Content, prompt: str) -> TextBox:
    """The section's private note box, empty."""
    workbook = content.workbook
    label = f"{workbook.note_label}: {prompt}"
    return TextBox(label=label, max_length=workbook.note_max_length, multiline=True)


def _keep_note(content: Content, slug: str, note: TextBox) -> None:
    """Put the participant's kept note in the box, and save it as it is typed; never shared."""
    workbook = content.workbook
    kept = (page_session(content).book.load(note_key(slug)) or {}).get("text")
    if isinstance(kept, str) and len(kept) <= workbook.note_max_length:
        note.value = kept
    note.observe(
        lambda change: page_session(content).book.save(note_key(slug), {"text": change["new"]}), "value"
    )


def show_summary(language: str = DEFAULT_LOCALE) -> None:
    """Show the summary page: every section with what its kept answers say."""
    _open_page(language)
    content = load_content()
    session = page_session(content)
    _show_bar(session)
    display(HTML(parts.summary_page(content, summarise(content, session.book, SECTIONS))))
    display(TakeHome(content, session, SECTIONS, always=True))


def show_facilitator(language: str = DEFAULT_LOCALE) -> None:
    """Show the facilitator page: open a room, or the dashboard of the room its private link opens."""
    _open_page(language)
    from widgets.participant import request_query_string
    from widgets.room.facilitator_view import FacilitatorPage  # only the facilitator page needs it

    display(FacilitatorPage(load_content(), request_query_string(), SECTIONS))


def show_guide_header(language: str = DEFAULT_LOCALE) -> None:
    """Show the session guide's top: crisis resources, the framing line, a link to the facilitator page."""
    _open_page(language)
    display(HTML(parts.guide_header(load_content())))

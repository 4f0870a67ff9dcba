"""The welcome page's widgets.

Start, or come back with a code; the contents with progress; what is kept, and deleting it.
"""

from __future__ import annotations

import time
from html import escape

from ipywidgets import HTML, HBox, Layout, VBox

from widgets import html_parts
from widgets.answers import note_key
from widgets.backups import backup_days
from widgets.controls import TextBox, page_button
from widgets.page_session import PageSession
from widgets.participant import Participant, new_participant, parse_code
from widgets.room.content import load_room_content
from widgets.room.model import shown_join_code
from widgets.room.participant_view import JoinPanel
from widgets.store import default_store, retention_days
from widgets.summary import summarise
from widgets.take_home.view import BookletOffer, TakeHome
from widgets.workbook_content import Content

# A resume answers no sooner than this, found or not, so its timing says nothing
# about whether a code exists.
RESUME_SECONDS = 0.4


class WelcomePage(VBox):
    """Everything below the welcome page's title."""

    def __init__(self, content: Content, session: PageSession, **kwargs: object) -> None:
        self._content, self._session = content, session
        text = content.workbook
        self.code_box = TextBox(
            label=text.resume.label, hint=text.resume.hint, max_length=40, multiline=False
        )
        self.open_button = page_button(text.resume.open_label)
        self.new_button = page_button(text.resume.new_label)
        self.resume_message = HTML()
        self.resume_message.add_class("rw-live")
        self.contents = HTML()
        self.kept = HTML()
        self.show_kept_button = page_button(text.kept.show_label)
        self.delete_button = page_button("")
        self.confirm = HTML(f'<p class="rw-confirm">{escape(text.kept.confirm)}</p>')
        self.confirm_button = page_button(text.kept.confirm_label)
        self.cancel_button = page_button(text.kept.cancel_label)
        self.confirm_box = VBox([self.confirm, HBox([self.confirm_button, self.cancel_button])])
        self.confirm_box.layout.display = "none"
        # Whether the confirmation is asked, kept here: the browser can change any layout, not this.
        self._confirming = False
        self.kept_message = HTML()
        self.kept_message.add_class("rw-live")
        self.take_home = TakeHome(content, session)
        self.join_panel = JoinPanel(session)
        session.bar.offer_remember = True

        self.open_button.on_click(lambda _b: self.resume(self.code_box.value))
        self.new_button.on_click(lambda _b: self.start_new())
        self.show_kept_button.on_click(lambda _b: self.show_kept())
        self.delete_button.on_click(lambda _b: self._ask_to_delete())
        self.confirm_button.on_click(lambda _b: self.delete_everything())
        self.cancel_button.on_click(lambda _b: self._close_confirm())

        super().__init__(
            children=[
                session.bar,
                session.heartbeat,
                # A room named by the link: asked first, at the top, joined only if the person says so.
                *([self.join_panel.invite] if self.join_panel.invite is not None else []),
                HTML(html_parts.welcome_intro(content)),
                HTML(f"<h2>{escape(text.resume.heading)}</h2><p>{escape(text.resume.intro)}</p>"),
                self.code_box,
                HBox([self.open_button, self.new_button], layout=Layout(flex_flow="row wrap")),
                self.resume_message,
                self.contents,
                self.take_home,
                self.join_panel,
                HTML(html_parts.welcome_privacy(content, retention_days(), backup_days())),
                HTML(f"<h2>{escape(text.kept.heading)}</h2>"),
                HBox([self.show_kept_button, self.delete_button], layout=Layout(flex_flow="row wrap")),
                self.confirm_box,
                self.kept_message,
                self.kept,
                BookletOffer(content),
                HTML(html_parts.crisis_full(content.crisis)),
                HTML(
                    '<p class="rw-facilitator-link">'
                    + html_parts.page_link(
                        content.sections.facilitator_notebook,
                        escape(load_room_content().facilitator.welcome_link),
                    )
                    + "</p>"
                ),
            ],
            **kwargs,
        )
        self.add_class("rw-activity")
        self._refresh()

    # --- coming back, starting fresh ------------------------------------------------

    def resume(self, typed: str) -> bool:
        """Open the workbook of a typed code; the same calm message, and timing, for any miss."""
        started = time.monotonic()
        code = parse_code(typed)
        candidate = Participant(code) if code else new_participant()  # a look-up either way
        found = default_store().participant(candidate.code_hash) is not None and code is not None
        time.sleep(max(0.0, RESUME_SECONDS - (time.monotonic() - started)))
        resume = self._content.workbook.resume
        if not found:
            self.resume_message.value = f'<p class="rw-message-text">{escape(resume.not_found)}</p>'
            return False
        self._session.switch_to(candidate)
        self.code_box.value = ""
        self.resume_message.value = f"<p>{escape(resume.found)}</p>"
        self._refresh()
        return True

    def start_new(self) -> None:
        """Give this page a new code, with nothing kept yet."""
        self._session.switch_to(new_participant())
        self.resume_message.value = f"<p>{escape(self._content.workbook.resume.new_done)}</p>"
        self._refresh()

    # --- what is kept, and deleting it ----------------------------------------------

    def show_kept(self) -> None:
        """Show, in plain words, everything the store keeps for this code."""
        self.kept.value = kept_html(self._content, self._session)

    def _ask_to_delete(self) -> None:
        self._confirming = True
        self.confirm_box.layout.display = "flex"

    def _close_confirm(self) -> None:
        self._confirming = False
        self.confirm_box.layout.display = "none"

    def delete_everything(self) -> None:
        """Delete every answer and note kept for this code, then start fresh with a new code."""
        if not self._confirming:
            return  # a click that skipped the confirmation (a crafted page) does nothing
        self._session.book.delete_everything()
        self._close_confirm()
        # Whoever deleted everything is not remembered on this device with the new, empty workbook.
        self._session.switch_to(new_participant(), remember=False)
        self.kept.value = ""
        self.kept_message.value = f"<p>{escape(self._content.workbook.kept.deleted)}</p>"
        self._refresh()

    def _refresh(self) -> None:
        session, kept = self._session, self._content.workbook.kept
        started = frozenset(key for key in session.book.kept_keys() if not key.startswith("note:"))
        self.contents.value = html_parts.welcome_contents(self._content, started)
        self.take_home.refresh()
        self.delete_button.description = (
            kept.demo_delete_label if session.participant.demo else kept.delete_label
        )
        if self.kept.value:
            self.show_kept()


def kept_html(content: Content, session: PageSession) -> str:
    """Everything kept for the page's participant, in plain words."""
    kept = content.workbook.kept
    book = session.book
    about = book.kept_about()
    if about is None and not book.kept_keys():
        return f"<p>{escape(kept.nothing)}</p>"
    parts = []
    if about is not None:
        dates = kept.dates.format(
            created=about.created_at.strftime("%d %B %Y"), last=about.last_active_at.strftime("%d %B %Y")
        )
        parts.append(f"<p>{escape(dates)}</p>")
    sections = []
    for summary in summarise(content, book):
        lines = list(summary.lines)
        note = (book.load(note_key(summary.section.slug)) or {}).get("text")
        if note:
            lines.append(kept.note_line.format(text=note))
        if lines:
            items = "".join(f"<li>{escape(line)}</li>" for line in lines)
            sections.append(
                f"<li><strong>Section {summary.section.number}: {escape(summary.section.title)}</strong>"
                f"<ul>{items}</ul></li>"
            )
    if sections:
        parts.append(f"<p>{escape(kept.sections_heading)}</p><ul>{''.join(sections)}</ul>")
    membership = session.membership
    if membership is not None:
        words = load_room_content().join
        shared = ", ".join(
            f"Section {section.number}"
            for section in content.sections.sections
            if section.slug in membership.shared
        )
        code = shown_join_code(membership.join_code)
        if membership.admitted:
            line = words.kept.format(code=code, shared=shared or words.kept_nothing)
        else:
            line = words.waiting.format(code=code)  # nothing of theirs counts until they are let in
        parts.append(f"<p>{escape(line)}</p>")
    return f'<div class="rw-feedback rw-kept">{"".join(parts)}</div>'

"""The welcome page's widgets.

Start, or come back with a code; the contents with progress; what is kept, and deleting it.
"""

from __future__ import annotations

import time

from ipywidgets import HTML, HBox, Layout, VBox

from widgets.answers import note_key
from widgets.backups import backup_days
from widgets.controls import TextBox, page_button
from widgets.page_session import PageSession
from widgets.participant import Participant, new_participant, parse_code
from widgets.registry import SECTIONS
from widgets.rendering import Markup, parts, render
from widgets.rendering.dates import long_date
from widgets.rendering.fragments import heading, paragraph
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
    """Everything below the welcome page's title.

    Made in two steps, so a preheated page does most of its work before anyone asks for it: the
    parts that are the same for everyone when the page is made for the page's shell (no participant
    yet), then :meth:`show_participant_part` once the request says whose page it is (their contents,
    take-home, room).
    """

    def __init__(self, content: Content, session: PageSession, **kwargs: object) -> None:
        self._content, self._session = content, session
        self._make_resume(content)
        self._make_kept(content)
        self._same_for_everyone = self._shared_parts(content)
        # Their widgets made now too; what they show is the participant's, filled in after the request.
        self.take_home = TakeHome(content, session, SECTIONS, follow=False)
        self.join_panel = JoinPanel(session)
        super().__init__(children=[session.bar, session.heartbeat], **kwargs)
        self.add_class("rw-activity")
        if session.is_open:
            self.show_participant_part()

    def show_participant_part(self) -> None:
        """Add the participant's own part, once the page's session knows whose page it is."""
        session = self._session
        self.take_home.follow_book()
        self.join_panel.follow_participant()
        session.bar.offer_remember = True
        self.children = self._children()
        self._refresh()

    def _make_resume(self, content: Content) -> None:
        """Come back with a code, or start a new workbook."""
        resume = content.workbook.resume
        self.code_box = TextBox(label=resume.label, hint=resume.hint, max_length=40, multiline=False)
        self.open_button = page_button(resume.open_label)
        self.new_button = page_button(resume.new_label)
        self.resume_message = HTML()
        self.resume_message.add_class("rw-live")
        self.contents = HTML()
        self.open_button.on_click(lambda _b: self.resume(self.code_box.value))
        self.new_button.on_click(lambda _b: self.start_new())

    def _make_kept(self, content: Content) -> None:
        """What is kept, and deleting it (asked once more before anything is deleted)."""
        kept = content.workbook.kept
        self.kept = HTML()
        self.show_kept_button = page_button(kept.show_label)
        self.delete_button = page_button("")
        self.confirm = HTML(paragraph(kept.confirm, "rw-confirm"))
        self.confirm_button = page_button(kept.confirm_label)
        self.cancel_button = page_button(kept.cancel_label)
        self.confirm_box = VBox([self.confirm, HBox([self.confirm_button, self.cancel_button])])
        self.confirm_box.layout.display = "none"
        # Whether the confirmation is asked, kept here: the browser can change any layout, not this.
        self._confirming = False
        self.kept_message = HTML()
        self.kept_message.add_class("rw-live")
        self.show_kept_button.on_click(lambda _b: self.show_kept())
        self.delete_button.on_click(lambda _b: self._ask_to_delete())
        self.confirm_button.on_click(lambda _b: self.delete_everything())
        self.cancel_button.on_click(lambda _b: self._close_confirm())

    def _shared_parts(self, content: Content) -> dict[str, object]:
        """The page's parts that do not depend on who asks, by where they go."""
        text = content.workbook
        facilitator_link = parts.page_link(
            content.sections.facilitator_notebook, load_room_content().facilitator.welcome_link
        )
        return {
            "intro": HTML(parts.welcome_intro(content)),
            "resume": HTML(render("shell/welcome_resume.html", resume=text.resume)),
            "resume_buttons": HBox([self.open_button, self.new_button], layout=Layout(flex_flow="row wrap")),
            "privacy": HTML(parts.welcome_privacy(content, retention_days(), backup_days())),
            "kept_heading": HTML(heading(text.kept.heading)),
            "kept_buttons": HBox(
                [self.show_kept_button, self.delete_button], layout=Layout(flex_flow="row wrap")
            ),
            "booklet": BookletOffer(content, SECTIONS),
            "crisis": HTML(parts.crisis_full(content.crisis)),
            "facilitator": HTML(paragraph(facilitator_link, "rw-facilitator-link")),
        }

    def _children(self) -> list[object]:
        """The page from top to bottom."""
        session, shared = self._session, self._same_for_everyone
        return [
            session.bar,
            session.heartbeat,
            # A room named by the link: asked first, at the top, joined only if the person says so.
            *([self.join_panel.invite] if self.join_panel.invite is not None else []),
            shared["intro"],
            shared["resume"],
            self.code_box,
            shared["resume_buttons"],
            self.resume_message,
            self.contents,
            self.take_home,
            self.join_panel,
            shared["privacy"],
            shared["kept_heading"],
            shared["kept_buttons"],
            self.confirm_box,
            self.kept_message,
            self.kept,
            shared["booklet"],
            shared["crisis"],
            shared["facilitator"],
        ]

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
            self.resume_message.value = paragraph(resume.not_found, "rw-message-text")
            return False
        self._session.switch_to(candidate)
        self.code_box.value = ""
        self.resume_message.value = paragraph(resume.found)
        self._refresh()
        return True

    def start_new(self) -> None:
        """Give this page a new code, with nothing kept yet."""
        self._session.switch_to(new_participant())
        self.resume_message.value = paragraph(self._content.workbook.resume.new_done)
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
        self.kept_message.value = paragraph(self._content.workbook.kept.deleted)
        self._refresh()

    def _refresh(self) -> None:
        session, kept = self._session, self._content.workbook.kept
        started = frozenset(key for key in session.book.kept_keys() if not key.startswith("note:"))
        self.contents.value = parts.welcome_contents(self._content, started)
        self.take_home.refresh()
        self.delete_button.description = (
            kept.demo_delete_label if session.participant.demo else kept.delete_label
        )
        if self.kept.value:
            self.show_kept()


def kept_html(content: Content, session: PageSession) -> Markup:
    """Everything kept for the page's participant, in plain words."""
    kept = content.workbook.kept
    book = session.book
    about = book.kept_about()
    dates = None
    if about is not None:
        dates = kept.dates.format(
            created=long_date(about.created_at, content.locale),
            last=long_date(about.last_active_at, content.locale),
        )
    sections = []
    for summary in summarise(content, book, SECTIONS):
        lines = list(summary.lines)
        note = (book.load(note_key(summary.section.slug)) or {}).get("text")
        if note:
            lines.append(kept.note_line.format(text=note))
        if lines:
            sections.append((summary.section, lines))
    return render(
        "shell/welcome_kept.html",
        kept=kept,
        page=content.workbook.page,
        nothing_kept=about is None and not book.kept_keys(),
        dates=dates,
        sections=sections,
        room_line=_room_line(content, session),
    )


def _room_line(content: Content, session: PageSession) -> str | None:
    """What the room membership keeps, if any: nothing of theirs counts until they are let in."""
    membership = session.membership
    if membership is None:
        return None
    words = load_room_content().join
    shared = ", ".join(
        f"Section {section.number}"
        for section in content.sections.sections
        if section.slug in membership.shared
    )
    code = shown_join_code(membership.join_code)
    if membership.admitted:
        return words.kept.format(code=code, shared=shared or words.kept_nothing)
    return words.waiting.format(code=code)

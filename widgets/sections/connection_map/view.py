"""The connection map's widgets (section 4), wired to :mod:`widgets.sections.connection_map.model`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ipywidgets import HTML, Button, HBox, Layout, VBox

from widgets import answers
from widgets.content_files import load_activity_content
from widgets.controls import ChoiceGroup, TextBox
from widgets.rendering import Markup, render, screen
from widgets.rendering.fragments import paragraph
from widgets.sections.connection_map.model import (
    ConnectionMapContent,
    Entry,
    MapError,
    add_entry,
    feedback_blocks,
    make_entry,
    read_saved_map,
    remove_entry,
    to_saved,
)
from widgets.workbook_content import Content

if TYPE_CHECKING:
    from widgets.contract import SectionRegistry

SLUG = "what-community-means"


def load_spec() -> ConnectionMapContent:
    """The connection map's content file, validated."""
    return load_activity_content("connection_map", ConnectionMapContent)


def entry_text(spec: ConnectionMapContent, entry: Entry) -> str:
    """One entry as a plain sentence (not HTML): label, kind, circle and ratings."""
    kinds = {kind.id: kind.label for kind in spec.kinds}
    circles = {circle.id: circle.name for circle in spec.circles}
    scale = {choice.id: choice.label for choice in spec.scale}
    ratings = "; ".join(
        f"{rating.short}: {scale.get(entry.ratings.get(rating.id) or '', spec.not_given)}"
        for rating in spec.ratings
    )
    return spec.entry_line.format(
        label=entry.label,
        kind=kinds.get(entry.kind or "", spec.not_given),
        circle=circles[entry.circle],
        ratings=ratings,
    )


def feedback_html(spec: ConnectionMapContent, entries: Sequence[Entry]) -> Markup:
    """The map drawn as circles with its words, the safe count and the article's words: the model's blocks."""
    return screen.feedback_html(feedback_blocks(spec, entries), data={"entries": str(len(entries))})


class ConnectionMapActivity(VBox):
    """The form to add a person or group, the list with remove buttons, and the drawn map."""

    def __init__(
        self,
        spec: ConnectionMapContent,
        slug: str = "",
        entries: Sequence[Entry] = (),
        **kwargs: object,
    ) -> None:
        self._spec = spec
        self.slug = slug  # the section whose answers these are, for the answer book
        self._entries: tuple[Entry, ...] = tuple(entries)
        self._make_form(spec)
        self._make_results()
        form_note = spec.form_note.format(max_entries=spec.max_entries)
        intro = HTML(render("sections/connection_map/intro.html", spec=spec, form_note=form_note))
        super().__init__(
            children=[
                intro,
                self.label,
                self.kind,
                self.circle,
                HTML(paragraph(spec.ratings_note)),
                *self.ratings.values(),
                self.add_button,
                self.status,
                self.list_heading,
                self.rows,
                self.feedback,
            ],
            **kwargs,
        )
        self.add_class("rw-activity")
        self._show()

    def _make_form(self, spec: ConnectionMapContent) -> None:
        """The form's questions about one person or group, and its button to add them to the map."""
        self.label = TextBox(
            label=spec.label_question,
            hint=spec.label_hint,
            max_length=spec.label_max_length,
            multiline=False,
        )
        self.kind = ChoiceGroup(
            question=spec.kind_question, options=[(kind.id, kind.label) for kind in spec.kinds]
        )
        self.circle = ChoiceGroup(
            question=spec.circle_question,
            options=[(circle.id, f"{circle.name}: {circle.explanation}") for circle in spec.circles],
        )
        self.ratings = {
            rating.id: ChoiceGroup(
                question=rating.question, options=[(choice.id, choice.label) for choice in spec.scale]
            )
            for rating in spec.ratings
        }
        self.add_button = Button(
            description=spec.add_label, layout=Layout(width="auto", align_self="flex-start")
        )
        self.add_button.add_class("rw-button")
        self.add_button.on_click(lambda _button: self.add())

    def _make_results(self) -> None:
        """Where the form's message, the list of entries and the drawn map are shown."""
        self.status = HTML(layout=Layout(width="100%"))
        self.status.add_class("rw-form-status")
        self.list_heading = HTML(layout=Layout(width="100%"))
        self.rows = VBox(layout=Layout(width="100%"))
        self.rows.add_class("rw-entry-list")
        self.feedback = HTML(layout=Layout(width="100%"))
        self.feedback.add_class("rw-feedback-area")

    @property
    def entries(self) -> tuple[Entry, ...]:
        """The map as it stands, in the order added."""
        return self._entries

    def add(self) -> bool:
        """Add what the form holds to the map; on refusal say why and leave the form as it is.

        Returns
        -------
        bool
            Whether the entry was added.
        """
        self._clear_messages()
        try:
            entry = make_entry(
                self._spec,
                label=self.label.value,
                circle=self.circle.value,
                kind=self.kind.value,
                ratings={rating_id: group.value for rating_id, group in self.ratings.items()},
            )
            entries = add_entry(self._spec, self._entries, entry)
        except MapError as refused:
            self._say(str(refused))
            # Also beside the control it concerns: its message line is read out by screen readers.
            target = self.circle if self.circle.value is None and self.label.value.strip() else self.label
            target.message = str(refused)
            return False
        self._entries = entries
        self._clear_form()
        self._say(self._spec.added.format(label=entry.label))
        self._changed()
        return True

    def remove(self, label: str) -> None:
        """Take the entry called ``label`` off the map (nothing happens if it is already gone)."""
        try:
            self._entries = remove_entry(self._entries, label)
        except KeyError:
            return
        self._clear_messages()
        self._say(self._spec.removed.format(label=label))
        self._changed()

    def _clear_form(self) -> None:
        self.label.value = ""
        for group in (self.kind, self.circle, *self.ratings.values()):
            group.value = None

    def _clear_messages(self) -> None:
        for control in (self.label, self.circle):
            control.message = ""

    def _say(self, text: str) -> None:
        self.status.value = render("sections/connection_map/status.html", text=text)

    def _changed(self) -> None:
        self._show()
        if self.slug:
            answers.current().save(self.slug, to_saved(self._entries))

    def _show(self) -> None:
        spec = self._spec
        count = spec.count_line.format(count=len(self._entries), max_entries=spec.max_entries)
        self.list_heading.value = render(
            "sections/connection_map/list_heading.html", spec=spec, count_line=count, entries=self._entries
        )
        old_rows = self.rows.children
        self.rows.children = [self._row(entry) for entry in self._entries]
        # Close the replaced widgets so a long session does not pile up models in the kernel.
        for row in old_rows:
            for child in row.children:
                child.close()
            row.close()
        self.feedback.value = feedback_html(spec, self._entries)

    def _row(self, entry: Entry) -> HBox:
        text = HTML(paragraph(entry_text(self._spec, entry)), layout=Layout(flex="1 1 16rem"))
        remove = Button(
            description=self._spec.remove_label.format(label=entry.label), layout=Layout(width="auto")
        )
        remove.add_class("rw-button")
        # The entry's label is bound here, not read back from the button, whose text a browser could change.
        remove.on_click(lambda _button, label=entry.label: self.remove(label))
        row = HBox([text, remove], layout=Layout(flex_flow="row wrap", align_items="center", width="100%"))
        row.add_class("rw-entry")
        return row


def build(content: Content, sections: SectionRegistry | None = None) -> ConnectionMapActivity:
    """Build section 4's activity, starting from the map kept in the answer book (saving nothing).

    Entries and answers that no longer fit the content are read as
    :func:`~widgets.sections.connection_map.model.read_saved_map` says; the rest of the map is kept.
     (``sections`` is not read here.)
    """
    spec = load_spec()
    slug = content.sections.by_number(4).slug
    return ConnectionMapActivity(spec, slug=slug, entries=read_saved_map(spec, answers.current().load(slug)))

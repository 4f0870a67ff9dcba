"""The schema of ``content/LANG/room.yaml``: every word about group rooms, for both sides.

The room's texts use no ``{placeholders}`` by default: each is a
:data:`~widgets.content_files.PlainText` unless its field names the ones the code fills in, so a
``{name}`` anywhere else is a mistake in the file. (The ``prompts`` of the group lines and the
``refusals`` are shown as written and are not checked.)
"""

from __future__ import annotations

from typing import Annotated

from pydantic import field_validator

from widgets.content_files import (
    ContentModel,
    Identifier,
    Placeholders,
    PlainText,
    Text,
    Unit,
    load_activity_content,
)
from widgets.rendering import Markup
from widgets.rendering.fragments import paragraph


class ParticipantRoomText(ContentModel):
    """What a participant's page says about the room they are in."""

    room_line: Annotated[Text, Placeholders("code")]
    sharing_on: PlainText
    sharing_off: PlainText
    never_shared: PlainText
    closed: PlainText
    pace: Annotated[Text, Placeholders("number", "title")]
    pace_link: Annotated[Text, Placeholders("number")]
    pace_here: PlainText
    waiting: Annotated[Text, Placeholders("code")]
    turned_away: PlainText


class ShareText(ContentModel):
    """The opt-in box: share my answers from this activity, without my name."""

    question: PlainText
    option: PlainText
    hint: Annotated[Text, Placeholders("threshold")]
    done_on: PlainText
    done_off: PlainText
    waiting: PlainText


class LineText(ContentModel):
    """Offering one short line for the group."""

    label_lead: PlainText
    hint: PlainText
    offer_label: PlainText
    sent: PlainText
    prompts: dict[Identifier, Text]


class JoinText(ContentModel):
    """Joining a room with its code on the welcome page."""

    heading: PlainText
    intro: PlainText
    label: PlainText
    hint: PlainText
    join_label: PlainText
    joined: Annotated[Text, Placeholders("code")]
    not_found: PlainText
    in_room: Annotated[Text, Placeholders("code")]
    waiting: Annotated[Text, Placeholders("code")]
    waiting_note: PlainText
    leave_label: PlainText
    left: PlainText
    kept: Annotated[Text, Placeholders("code", "shared")]
    kept_nothing: PlainText


class InviteText(ContentModel):
    """A link that names a room asks first: the welcome page joins it only when the person chooses to."""

    ask: Annotated[Text, Placeholders("code")]
    ask_other: Annotated[Text, Placeholders("code", "current")]
    why: PlainText
    join_label: PlainText
    not_now_label: PlainText
    dismissed: PlainText


class FacilitatorText(ContentModel):
    """The facilitator's page: opening a room, the dashboard, moderation, pacing, export, close."""

    welcome_link: PlainText
    heading: PlainText
    intro: PlainText
    expected_label: PlainText
    expected_hint: PlainText
    open_label: PlainText
    guide_link: PlainText
    private_link: PlainText
    wrong_link: PlainText
    code_label: PlainText
    how_to_join: PlainText
    join_link_label: PlainText
    qr_label: PlainText
    local_only: PlainText
    # A sentence about a count is a Unit: its forms by plural category (widgets.content_files.counted).
    joined: Annotated[Unit, Placeholders("joined", "expected")]
    over_expected: PlainText
    join_waiting: Annotated[Unit, Placeholders("waiting", "expected")]
    join_waiting_hint: PlainText
    admit_label: PlainText
    turn_away_label: PlainText
    shared: Annotated[Unit, Placeholders("shared", "joined")]
    needed: Annotated[Unit, Placeholders("threshold", "needed")]
    update_needed: Annotated[Unit, Placeholders("needed")]
    release_note: Annotated[Text, Placeholders("threshold")]
    pace_question: PlainText
    pace_none: PlainText
    threshold_question: PlainText
    threshold_recommended: Annotated[Text, Placeholders("number")]
    threshold_back: Annotated[Text, Placeholders("number")]  # the button that sets the recommended again
    threshold_limits: PlainText
    present_label: PlainText
    stop_present_label: PlainText
    lines_heading: PlainText
    lines_hint: PlainText
    lines_empty: PlainText
    approve_label: PlainText
    decline_label: PlainText
    decline_all_label: Annotated[Text, Placeholders("count")]
    approved_heading: PlainText
    export_label: PlainText
    close_label: PlainText
    close_confirm: PlainText
    close_confirm_label: PlainText
    close_cancel_label: PlainText
    closed: PlainText
    # The console (widgets/room/console.py): the live room on one screen, the rest one tab away.
    tabs_label: PlainText
    tab_live: PlainText
    tab_join: PlainText
    tab_results: PlainText
    tab_settings: PlainText
    pace_previous: PlainText
    pace_next: PlainText
    now_none: PlainText
    now_private: PlainText
    sharing_heading: PlainText
    sharing_activity: PlainText
    sharing_shared: PlainText
    sharing_results: PlainText
    sharing_showing: PlainText
    sharing_needed: Annotated[Unit, Placeholders("needed")]
    lines_more: Annotated[Unit, Placeholders("count")]
    keys_heading: PlainText
    keys: PlainText
    second_screen_label: PlainText
    second_screen_stop: PlainText
    second_screen_on: PlainText
    second_screen_blocked: PlainText


class PresentingText(ContentModel):
    """Presenting mode: the join slide, one slide per section, and the buttons between them."""

    join_heading: PlainText
    scan: PlainText
    or_type: Annotated[Text, Placeholders("address", "code")]
    join_note: PlainText
    corner_label: PlainText
    position: Annotated[Text, Placeholders("position", "total")]
    previous_label: PlainText
    next_label: PlainText
    hide_join_label: PlainText
    show_join_label: PlainText
    keys_hint: PlainText
    needed: Annotated[Unit, Placeholders("needed")]
    update: Annotated[Unit, Placeholders("needed")]
    private: PlainText
    lines_heading: PlainText


REFUSALS = (
    "not-in-room",
    "room-gone",
    "never-shared",
    "unknown-activity",
    "line-empty",
    "line-too-long",
    "too-many-lines",
    "lines-busy",
    "not-admitted",
    "threshold",
    "expected",
    "pace",
    "demo",
    "unknown-line",
    "store-busy",
)


class RoomContent(ContentModel):
    """Everything ``room.yaml`` holds."""

    participant: ParticipantRoomText
    share: ShareText
    line: LineText
    join: JoinText
    invite: InviteText
    refusals: dict[str, Text]
    facilitator: FacilitatorText
    presenting: PresentingText

    @field_validator("refusals")
    @classmethod
    def _every_refusal_worded(cls, refusals: dict[str, str]) -> dict[str, str]:
        missing = sorted(set(REFUSALS) - set(refusals))
        unknown = sorted(set(refusals) - set(REFUSALS))
        if missing or unknown:
            raise ValueError(
                f"refusals must word exactly {list(REFUSALS)}; missing {missing}, unknown {unknown}"
            )
        return refusals


def load_room_content() -> RoomContent:
    """The room words, validated (cached after the first load)."""
    return load_activity_content("room", RoomContent)


def refusal_html(error: Exception) -> Markup:
    """The calm words for a refused room action, as a paragraph.

    A :class:`~widgets.room.model.RoomError` is worded by its reason; anything else
    (the store staying busy) by ``store-busy``.
    """
    refusals = load_room_content().refusals
    reason = getattr(error, "reason", "store-busy")
    return paragraph(refusals.get(reason, refusals["room-gone"]), "rw-message-text")

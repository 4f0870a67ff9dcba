"""The schema of ``content/room.yaml``: every word about group rooms, for both sides."""

from __future__ import annotations

from html import escape
from typing import Any

from pydantic import field_validator, model_validator

from widgets.content_files import ContentModel, Identifier, Text, check_placeholders, load_activity_content

# Which {placeholders} each text may use; any other is a mistake in the file.
_ALLOWED = {
    "room_line": {"code"},
    "pace": {"number", "title"},
    "pace_link": {"number"},
    "hint": {"threshold"},
    "joined": {"code", "joined", "expected"},
    "waiting": {"code"},
    "join_waiting_one": {"expected"},
    "join_waiting_many": {"waiting", "expected"},
    "decline_all_label": {"count"},
    "in_room": {"code"},
    "kept": {"code", "shared"},
    "shared": {"shared", "joined"},
    "needed": {"threshold", "needed"},
    "threshold_recommended": {"number"},
    "or_type": {"address", "code"},
    "position": {"position", "total"},
    "needed_many": {"needed"},
    "update_needed": {"needed"},
    "release_note": {"threshold"},
    "update_many": {"needed"},
    "ask": {"code"},
    "ask_other": {"code", "current"},
}


class _Words(ContentModel):
    @model_validator(mode="before")
    @classmethod
    def _placeholders(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name, value in data.items():
                if isinstance(value, str):
                    check_placeholders(value, _ALLOWED.get(name, set()))
        return data


class ParticipantRoomText(_Words):
    """What a participant's page says about the room they are in."""

    room_line: Text
    sharing_on: Text
    sharing_off: Text
    never_shared: Text
    closed: Text
    pace: Text
    pace_link: Text
    pace_here: Text
    waiting: Text
    turned_away: Text


class ShareText(_Words):
    """The opt-in box: share my answers from this activity, without my name."""

    question: Text
    option: Text
    hint: Text
    done_on: Text
    done_off: Text
    waiting: Text


class LineText(_Words):
    """Offering one short line for the group."""

    label_lead: Text
    hint: Text
    offer_label: Text
    sent: Text
    prompts: dict[Identifier, Text]


class JoinText(_Words):
    """Joining a room with its code on the welcome page."""

    heading: Text
    intro: Text
    label: Text
    hint: Text
    join_label: Text
    joined: Text
    not_found: Text
    in_room: Text
    waiting: Text
    waiting_note: Text
    leave_label: Text
    left: Text
    kept: Text
    kept_nothing: Text


class InviteText(_Words):
    """A link that names a room asks first: the welcome page joins it only when the person chooses to."""

    ask: Text
    ask_other: Text
    why: Text
    join_label: Text
    not_now_label: Text
    dismissed: Text


class FacilitatorText(_Words):
    """The facilitator's page: opening a room, the dashboard, moderation, pacing, export, close."""

    welcome_link: Text
    heading: Text
    intro: Text
    expected_label: Text
    expected_hint: Text
    open_label: Text
    guide_link: Text
    private_link: Text
    wrong_link: Text
    code_label: Text
    how_to_join: Text
    join_link_label: Text
    qr_label: Text
    local_only: Text
    joined: Text
    over_expected: Text
    join_waiting_one: Text
    join_waiting_many: Text
    join_waiting_hint: Text
    admit_label: Text
    turn_away_label: Text
    shared: Text
    needed: Text
    update_needed: Text
    release_note: Text
    pace_question: Text
    pace_none: Text
    threshold_question: Text
    threshold_recommended: Text
    threshold_limits: Text
    present_label: Text
    stop_present_label: Text
    lines_heading: Text
    lines_hint: Text
    lines_empty: Text
    approve_label: Text
    decline_label: Text
    decline_all_label: Text
    approved_heading: Text
    export_label: Text
    close_label: Text
    close_confirm: Text
    close_confirm_label: Text
    close_cancel_label: Text
    closed: Text


class PresentingText(_Words):
    """Presenting mode: the join slide, one slide per section, and the buttons between them."""

    join_heading: Text
    scan: Text
    or_type: Text
    join_note: Text
    corner_label: Text
    position: Text
    previous_label: Text
    next_label: Text
    hide_join_label: Text
    show_join_label: Text
    keys_hint: Text
    needed_one: Text
    needed_many: Text
    update_one: Text
    update_many: Text
    private: Text
    lines_heading: Text


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


def refusal_html(error: Exception) -> str:
    """The calm words for a refused room action, as a paragraph.

    A :class:`~widgets.room.model.RoomError` is worded by its reason; anything else
    (the store staying busy) by ``store-busy``.
    """
    refusals = load_room_content().refusals
    reason = getattr(error, "reason", "store-busy")
    return f'<p class="rw-message-text">{escape(refusals.get(reason, refusals["room-gone"]))}</p>'

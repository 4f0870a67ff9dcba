"""What each shareable activity's page saves, two shapes per activity, and a room where everyone shared
them: the rooms' browser tests share both."""

from __future__ import annotations

from widgets.participant import new_participant
from widgets.registry import SECTIONS as REGISTRY
from widgets.room.model import DEFAULT_EXPECTED, RoomKeys, Rooms
from widgets.store import default_store

LINES_SLUG = "what-community-means"

SAVED = {
    "hidden-weight": [
        {"answers": dict.fromkeys(("left-out", "companionship", "unseen", "quick-updates"), "often")},
        {"answers": {"left-out": "hardly-ever", "unseen": "some-of-the-time", "distant": "often"}},
    ],
    "handling-it-alone": [
        {"answers": {"weakness": "strongly-agree", "burden": "agree", "push-through": "disagree"}},
        {"answers": {"weakness": "not-sure", "burden": "strongly-disagree"}},
    ],
    "what-community-means": [
        {
            "entries": [
                {"label": "A", "circle": "close", "kind": "friend", "ratings": {"authenticity": "mostly"}},
                {"label": "B", "circle": "middle", "kind": "family", "ratings": {}},
            ]
        },
        {"entries": [{"label": "C", "circle": "outer", "kind": "friend", "ratings": {}}]},
    ],
    "isolation-replaces-connection": [
        {
            "hours": {"work": 40, "with-people": 10, "deep-talk": 4},
            "patterns": ["busy-schedule", "exhaustion"],
        },
        {"hours": {"work": 30, "screens": 12.5, "with-people": 2}, "patterns": ["exhaustion"]},
    ],
    "safe-relationships": [
        {"ratings": {"consistency": "always", "respect": "often", "honesty": "sometimes"}},
        {"ratings": {"consistency": "often", "respect": "never", "being-yourself": "always"}},
    ],
    "small-steps": [
        {
            "steps": [
                {"what": "trusted-friend", "confidence": 8},
                {"what": "structured-group", "confidence": 4},
            ]
        },
        {"steps": [{"what": "trusted-friend", "confidence": 5}]},
    ],
    "long-term-resilience": [
        {
            "options_from": "kinds",
            "givers": {"encouragement": ["friend", "family"], "turn-to": ["no-one-yet"]},
        },
        {"options_from": "kinds", "givers": {"accountability": ["no-one-yet"], "encouragement": ["friend"]}},
    ],
    "looking-ahead": [
        {
            "answers": dict.fromkeys(("left-out", "companionship", "unseen"), "often"),
            "patterns": ["keep-busy"],
        },
        {"answers": dict.fromkeys(("left-out", "companionship", "unseen"), "hardly-ever"), "patterns": []},
    ],
}


def room_sharing_everything(
    people: int, lines: list[str], expected: int = DEFAULT_EXPECTED
) -> tuple[Rooms, RoomKeys]:
    """A room (threshold 3) of ``people`` who saved and shared every activity, as their pages do.

    The first ``len(lines)`` people each offer one of ``lines`` on section 4, where they wait.
    """
    rooms = Rooms(default_store(), REGISTRY)
    keys = rooms.open_room(threshold=3, expected=expected)
    for number in range(people):
        someone = new_participant()
        for slug, shapes in SAVED.items():
            default_store().save(someone.code_hash, slug, shapes[number % 2])
        assert rooms.join(someone.code_hash, someone.kind, keys.join_code) is not None
        for slug in SAVED:
            rooms.set_sharing(someone.code_hash, slug, True)
        if number < len(lines):
            rooms.offer_line(someone.code_hash, LINES_SLUG, lines[number])
    return rooms, keys
